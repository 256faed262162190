"""A paragraph laid out by hand: an activity's facts lines (many short style runs), headings,
and the user's own text in one style (descriptions, lesson sections, review comments: see
flowables.text_paragraphs for when).

platypus's Paragraph sends a paragraph that mixes styles (a bold label, a coloured swatch, then
plain text) through its general line breaking, which for the few words of an activity's facts
costs several times the activity's own description. The facts are our own markup around
escaped user text, in a handful of tags, so this flowable reads that markup itself — `<b>`,
`<font color="rgb(r,g,b)">` or `<font color="#rrggbb">`, `<font face="NAME">`, `<br/>` and the
entities `Fonts.markup` writes — breaks lines greedily at spaces as platypus does (a line may
run past the width by `spaceShrinkage` of each of its spaces; a word wider than the line is cut
between characters, its first piece filling the rest of the current line, as `splitLongWords`
does), and draws every line into one text object. Text in the style's own font and colour
(`Plain`) is laid out from its words' cached widths, each laid line one run: the same lines as
a one-style Paragraph (tests/test_pdf_light_paragraph.py compares them).
Anything else is refused (ValueError), so markup this cannot print is found by the tests rather
than printed as tags.

It follows the style's font, size, leading, colour, left and right indents, space before/after
and keepWithNext (left-aligned, no first-line indent); it splits across
pages between lines, never leaving a lone first line at the foot of a page (platypus's
allowOrphans=0).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from html import unescape
from typing import NamedTuple

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

_TAG = re.compile(r"<(/?)(b|font|br)\b([^>]*?)/?>")
_ATTRIBUTE = re.compile(r'\s*(\w+)="([^"]*)"')
_RGB = re.compile(r"^rgb\((\d{1,3}),(\d{1,3}),(\d{1,3})\)$")


class Segment(NamedTuple):  # a tuple: tens of thousands are made per export
    text: str
    font: str
    colour: Color


Word = tuple[Segment, ...]
Line = tuple[Word, ...]


@lru_cache(maxsize=64)
def _measure(font: str) -> Callable[[str, float], float]:
    """The font's own string width (pdfmetrics.stringWidth looks the font up on every call)."""
    measure: Callable[[str, float], float] = getFont(font).stringWidth
    return measure


@lru_cache(maxsize=256)
def _colour(value: str) -> Color:
    match = _RGB.match(value)
    if match:
        red, green, blue = (int(v) / 255 for v in match.groups())
        return Color(red, green, blue)
    if re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        return HexColor(value)
    raise ValueError(f"a colour this paragraph cannot read: {value!r}")


def _segments(markup: str, style: ParagraphStyle) -> list[list[Segment]]:
    """The markup as hard lines of styled text runs."""
    lines: list[list[Segment]] = [[]]
    bold = 0
    faces: list[str | None] = []  # each open <font>: the face it set, or None
    colours: list[Color] = [style.textColor]
    family = style.fontName
    position = 0

    def add(text: str) -> None:
        if not text:
            return
        if "<" in text:
            raise ValueError(f"markup this paragraph cannot read: {markup!r}")
        if "&" in text:
            text = unescape(text)
        face = next((f for f in reversed(faces) if f is not None), family)
        font = tt2ps(face, 1 if bold else 0, 0) if bold else face
        lines[-1].append(Segment(text, font, colours[-1]))

    for match in _TAG.finditer(markup):
        add(markup[position : match.start()])
        position = match.end()
        closing, tag, attributes = match.groups()
        if tag == "br":
            lines.append([])
        elif tag == "b":
            bold += -1 if closing else 1
        elif closing:
            if not faces:
                raise ValueError(f"an unopened </font> in {markup!r}")
            faces.pop()
            colours.pop()
        else:
            found = dict(_ATTRIBUTE.findall(attributes))
            if set(found) - {"color", "face"} or _ATTRIBUTE.sub("", attributes).strip():
                raise ValueError(f"a <font> this paragraph cannot print in {markup!r}")
            colours.append(_colour(found["color"]) if "color" in found else colours[-1])
            faces.append(found.get("face"))
    add(markup[position:])
    return lines


def _words(segments: list[Segment]) -> list[Word]:
    """Runs regrouped into words (split at spaces; a word may span runs, like '(■')."""
    words: list[list[Segment]] = [[]]
    for segment in segments:
        if " " not in segment.text:
            words[-1].append(segment)
            continue
        pieces = segment.text.split(" ")
        for index, piece in enumerate(pieces):
            if index:
                words.append([])
            if piece:
                words[-1].append(Segment(piece, segment.font, segment.colour))
    return [tuple(word) for word in words if word]


class Plain(NamedTuple):
    """A hard line in the style's own font and colour (the user's text, a heading): kept as
    its words, laid out without a Segment per word, each laid line drawn as one run."""

    words: list[str]
    font: str
    colour: Color


def _hard_lines(markup: str, style: ParagraphStyle) -> list[list[Word] | Plain]:
    if "<" in markup.replace("<br/>", ""):
        return [_words(line) for line in _segments(markup, style)]
    font, colour = style.fontName, style.textColor
    return [
        Plain([w for w in (unescape(line) if "&" in line else line).split(" ") if w], font, colour)
        for line in markup.split("<br/>")
    ]


@lru_cache(maxsize=64)
def _width_cache(font: str, size: float) -> dict[str, float]:
    """Words' widths in one font and size: a long export prints the same words many times."""
    return {}


def _widths(words: list[str], font: str, size: float) -> list[float]:
    cache = _width_cache(font, size)
    if len(cache) > 100_000:
        cache.clear()
    measure = _measure(font)
    widths = []
    for word in words:
        width = cache.get(word)
        if width is None:
            width = cache[word] = float(measure(word, size))
        widths.append(width)
    return widths


class LightParagraph(Flowable):  # type: ignore[misc]  # reportlab is untyped
    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        *,
        laid: tuple[Line, ...] | None = None,
        laid_width: float | None = None,
        first_part: bool = True,
    ) -> None:
        super().__init__()
        self.markup = markup
        self.style = style
        self._hard = _hard_lines(markup, style) if laid is None else []
        self._laid = laid
        self._laid_width = laid_width
        self._first_part = first_part

    def __repr__(self) -> str:
        return f"LightParagraph({self.markup!r})"

    # -- layout --

    def _width(self, word: Word) -> float:
        size = self.style.fontSize
        return float(sum(_measure(s.font)(s.text, size) for s in word))

    def _broken(self, word: Word, room: float, width: float) -> list[Word]:
        """A word too wide for a line, cut between characters as platypus's splitLongWords
        does: the first piece fills the `room` left on the current line (it is empty when not
        even one character fits there), each further piece a whole line of `width`."""
        size = self.style.fontSize
        pieces: list[Word] = []
        current: list[Segment] = []
        used, limit = 0.0, room
        for segment in word:
            for char in segment.text:
                char_width = float(_measure(segment.font)(char, size))
                if used + char_width > limit and (current or char_width <= width):
                    pieces.append(tuple(current))
                    current, used, limit = [], 0.0, width
                if (
                    current
                    and current[-1].font == segment.font
                    and current[-1].colour is segment.colour
                ):
                    last = current[-1]
                    current[-1] = Segment(last.text + char, last.font, last.colour)
                else:
                    current.append(Segment(char, segment.font, segment.colour))
                used += char_width
        pieces.append(tuple(current))
        return pieces

    def _lay_out(self, available_width: float) -> tuple[Line, ...]:
        if self._laid is not None and (self._laid_width == available_width or not self._hard):
            return self._laid
        size = self.style.fontSize
        width = available_width - self.style.leftIndent - self.style.rightIndent
        # platypus lets a line run past the width by a share of its spaces (spaceShrinkage):
        # the same rule gives the same line breaks.
        shrink = float(self.style.spaceShrinkage or 0)
        lines: list[Line] = []
        for hard in self._hard:
            if isinstance(hard, Plain):
                laid = self._plain_lines(hard, width, shrink)
                if laid is not None:
                    lines += laid
                    continue
                hard = [(Segment(w, hard.font, hard.colour),) for w in hard.words]
            current: list[Word] = []
            used = gaps = 0.0
            for word in hard:
                word_width = self._width(word)
                space = float(_measure(current[-1][-1].font)(" ", size)) if current else 0.0
                if not current and word_width <= width:
                    current, used = [word], word_width
                    continue
                if current and used + space + word_width <= width + shrink * (gaps + space):
                    current.append(word)
                    used, gaps = used + space + word_width, gaps + space
                    continue
                if word_width <= width:  # to a new line
                    lines.append(tuple(current))
                    current, used, gaps = [word], word_width, 0.0
                    continue
                room = width - used - space if current else width
                first, *rest = self._broken(word, room, width)
                if first:
                    current.append(first)
                if current:
                    lines.append(tuple(current))
                *middle, last = rest or [()]
                lines += [(piece,) for piece in middle]
                current = [last] if last else []
                used, gaps = (self._width(last) if last else 0.0), 0.0
            lines.append(tuple(current))
        self._laid, self._laid_width = tuple(lines), available_width
        return self._laid

    def _plain_lines(self, hard: Plain, width: float, shrink: float) -> list[Line] | None:
        """`hard` broken greedily at its spaces as platypus breaks a paragraph in one style
        (a line may run past the width by `shrink` of each of its spaces); None when a word
        is wider than the line (cut between characters by the general path)."""
        size = self.style.fontSize
        words = hard.words
        if not words:
            return [()]
        widths = _widths(words, hard.font, size)
        if max(widths) > width:
            return None
        space = float(_measure(hard.font)(" ", size))
        allowance = shrink * space
        lines: list[Line] = []
        start, used = 0, widths[0]
        for index in range(1, len(words)):
            fits = used + space + widths[index]
            if fits <= width + allowance * (index - start):
                used = fits
                continue
            lines.append(((Segment(" ".join(words[start:index]), hard.font, hard.colour),),))
            start, used = index, widths[index]
        lines.append(((Segment(" ".join(words[start:]), hard.font, hard.colour),),))
        return lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        lines = self._lay_out(available_width)
        self.width = available_width
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self._lay_out(available_width)
        fit = int((available_height + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2:  # no lone first line at the foot of a page (allowOrphans=0)
            return []
        return [self._part(lines[:fit], True), self._part(lines[fit:], False)]

    def _part(self, lines: tuple[Line, ...], first: bool) -> LightParagraph:
        """A part of this paragraph holding `lines` (subclasses keep what belongs to the
        first part, such as a bookmark, with it)."""
        return LightParagraph(
            self.markup, self.style, laid=lines, laid_width=self._laid_width, first_part=first
        )

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore) if self._first_part else 0.0

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    # -- drawing --

    def draw(self) -> None:
        style = self.style
        lines = self._lay_out(self.width)
        canvas = self.canv
        canvas.saveState()
        text = canvas.beginText()
        font: str | None = None
        colour: Color | None = None
        y = self.height - style.fontSize
        for line in lines:
            text.setTextOrigin(style.leftIndent, y)
            chunk: list[str] = []
            for index, word in enumerate(line):
                for number, segment in enumerate(word):
                    if index and not number:
                        chunk.append(" ")  # the space between words, in the style before it
                    if segment.font != font or segment.colour is not colour:
                        if chunk:
                            text.textOut("".join(chunk))
                            chunk = []
                        if segment.font != font:
                            font = segment.font
                            text.setFont(font, style.fontSize)
                        if segment.colour is not colour:
                            colour = segment.colour
                            text.setFillColor(colour)
                    chunk.append(segment.text)
            if chunk:
                text.textOut("".join(chunk))
            y -= style.leading
        canvas.drawText(text)
        canvas.restoreState()
