"""Small building blocks shared by the sections: headings that make PDF bookmarks, user text
split into paragraphs, and sector names with their colour."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import _wsc  # the characters platypus breaks lines at

from portfolio_app.charts.fonts import Fonts
from portfolio_app.export.pdf.content import SectorTag
from portfolio_app.export.pdf.light_paragraph import LightParagraph, Line
from portfolio_app.export.pdf.styles import css

SWATCH = "■"  # U+25A0, in DejaVu Sans
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class OutlineEntry:
    title: str  # plain text, as the PDF viewer's bookmarks panel shows it
    key: str
    level: int  # 0: a section, 1: an activity
    counts_as_progress: bool = False  # one unit of the export's progress bar


class Heading(LightParagraph):
    """A heading that also adds a PDF bookmark (outline entry) pointing at itself. One style
    of our own markup: laid out as a LightParagraph (no markup parser per heading)."""

    def __init__(
        self, markup: str, style: ParagraphStyle, outline: OutlineEntry, **laid: Any
    ) -> None:
        super().__init__(markup, style, **laid)
        self.outline = outline

    def _part(self, lines: tuple[Line, ...], first: bool) -> LightParagraph:
        if not first:  # the bookmark (and the progress it counts) stays with the first part
            return super()._part(lines, first)
        return Heading(self.markup, self.style, self.outline, laid=lines, laid_width=self.width)

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.outline.key, 0, self.height + 6)
        canvas.addOutlineEntry(self.outline.title, self.outline.key, self.outline.level)
        super().draw()


def heading(
    text: str,
    style: ParagraphStyle,
    fonts: Fonts,
    key: str,
    level: int = 0,
    *,
    counts_as_progress: bool = False,
    outline_title: str | None = None,
) -> Heading:
    title = " ".join(fonts.clean(outline_title or text).split())
    return Heading(fonts.markup(text), style, OutlineEntry(title, key, level, counts_as_progress))


def paragraph(text: str, style: ParagraphStyle, fonts: Fonts) -> Paragraph:
    """One paragraph of user text, escaped."""
    return Paragraph(fonts.markup(text), style)


def text_paragraphs(
    text: str, style: ParagraphStyle, fonts: Fonts, lead: str = "", *, light: bool = True
) -> list[Flowable]:
    """User text as paragraphs (split at blank lines, so each can break across pages on its
    own); line breaks inside a paragraph are kept. `lead` is markup put before the first, such
    as a run-in label (one paragraph rather than two keeps long exports fast).

    Each paragraph is a LightParagraph (several times faster to lay out) where that prints as
    platypus would: a plain left-aligned style (`lays_out_lightly`) and text in the main font
    whose only spaces are ordinary ones (`_breaks_alike`); otherwise, and with `light=False`
    (inside a table's cells, which size their content in ways only a Paragraph answers), a
    platypus Paragraph."""
    blocks = [b.strip("\n") for b in fonts.clean(text).split("\n\n")]
    blocks = [b for b in blocks if b.strip()]
    markups = [fonts.markup(b) for b in blocks]
    if lead:
        markups = [lead + (markups[0] if markups else ""), *markups[1:]]
        blocks = blocks or [""]
    light = light and lays_out_lightly(style)
    return [
        LightParagraph(m, style) if light and _breaks_alike(b, m) else Paragraph(m, style)
        for m, b in zip(markups, blocks, strict=True)
    ]


# platypus breaks lines at any of these (and hyphenates at a soft hyphen): LightParagraph
# breaks only at a plain space, so text holding another is left to platypus.
_OTHER_BREAKS = frozenset(_wsc) - {" ", "\n"} | {"\u00ad"}


def _breaks_alike(text: str, markup: str) -> bool:
    """Whether LightParagraph breaks `text` (as `markup`) into the lines platypus would: only
    plain spaces, and all in the main font (platypus allows a line with runs in the fallback
    font a little less room, a rule not copied: such text stays with platypus)."""
    return _OTHER_BREAKS.isdisjoint(text) and "<font" not in markup


def lays_out_lightly(style: ParagraphStyle) -> bool:
    """Whether a LightParagraph follows everything in `style` that shapes the lines: left
    aligned, no first-line indent, border or background, platypus's own word wrap without
    hyphenation."""
    return bool(
        style.alignment == TA_LEFT
        and not style.firstLineIndent
        and style.wordWrap is None
        and not style.hyphenationLang
        and not style.embeddedHyphenation
        and not style.uriWasteReduce
        and style.splitLongWords
        and not style.endDots
        and not style.backColor
        and not style.borderWidth
        and getattr(style, "autoLeading", "") in ("", "off")
    )


def sector_markup(tags: Iterable[SectorTag], fonts: Fonts, separator: str = ", ") -> str:
    """Sector labels, each after a small square in its colour."""
    return separator.join(
        f'<font color="{safe_colour(t.colour)}">{SWATCH}</font>\u00a0{fonts.markup(t.label)}'
        for t in tags
    )


def safe_colour(value: str) -> str:
    """A taxonomy colour fit for markup (anything odd becomes grey)."""
    return css(value if _HEX.match(value) else "#808080")


def label_value(label: str, value_markup: str) -> str:
    """'<b>Label:</b> value' with the label as literal text (our own, never user input)."""
    return f"<b>{escape(label)}:</b> {value_markup}"


def join_markup(parts: Sequence[str], separator: str = " · ") -> str:
    return separator.join(p for p in parts if p)
