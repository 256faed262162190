"""The embedded fonts, and text made safe for them.

reportlab has no font fallback and draws a missing glyph as an empty box without a word, so every
piece of user text goes through `Fonts`: it escapes the text for platypus markup, wraps runs the
main family lacks (Chinese, say) in the fallback font, and remembers characters that no font has
so the user can be told which ones will not print.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from portfolio_app.charts.font_names import BOLD as BOLD
from portfolio_app.charts.font_names import BOLD_ITALIC as BOLD_ITALIC
from portfolio_app.charts.font_names import FALLBACK as FALLBACK
from portfolio_app.charts.font_names import FALLBACK_FILE as FALLBACK_FILE
from portfolio_app.charts.font_names import FAMILY_FILES as FAMILY_FILES
from portfolio_app.charts.font_names import ITALIC as ITALIC
from portfolio_app.charts.font_names import REGULAR as REGULAR
from portfolio_app.charts.font_names import fonts_dir as fonts_dir

# Used only if the shipped fallback is missing (a trimmed install). TrueType outlines only:
# reportlab refuses CFF-flavoured .otf files such as Noto Sans CJK.
SYSTEM_FALLBACKS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
    Path("C:/Windows/Fonts/ARIALUNI.TTF"),
)

_MAIN, _FALLBACK, _NONE, _DROP = 0, 1, 2, 3
_REPLACEMENT = "\ufffd"
_load_lock = threading.Lock()


class FontError(RuntimeError):
    """The shipped fonts are missing or unreadable: a broken install, not a user mistake."""


def _register(name: str, path: Path) -> TTFont:
    """Register a TrueType font once per process (reportlab's registry is global)."""
    try:
        font = pdfmetrics.getFont(name)
    except KeyError:
        pass
    else:
        if isinstance(font, TTFont):
            return font
    try:
        font = TTFont(name, str(path))
    except (OSError, TTFError) as exc:
        raise FontError(f"cannot read the font {path}: {exc}") from exc
    pdfmetrics.registerFont(font)
    return font


def _register_family(name: str, regular: str, bold: str, italic: str, bold_italic: str) -> None:
    for is_bold, is_italic, face in (
        (0, 0, regular),
        (1, 0, bold),
        (0, 1, italic),
        (1, 1, bold_italic),
    ):
        addMapping(name, is_bold, is_italic, face)


@dataclass(frozen=True)
class _Loaded:
    main: frozenset[str]  # characters the main family has
    fallback: dict[int, int] | None  # the fallback's code point -> glyph map, if there is one
    fallback_path: Path | None


_loaded: dict[Path, _Loaded] = {}


def _load(folder: Path, fallbacks: Sequence[Path]) -> _Loaded:
    with _load_lock:
        cached = _loaded.get(folder)
        if cached is not None:
            return cached
        fonts = {}
        for name, filename in FAMILY_FILES.items():
            path = folder / filename
            if not path.is_file():
                raise FontError(f"the font file {path} is missing; reinstall Portfolio")
            fonts[name] = _register(name, path)
        _register_family(REGULAR, REGULAR, BOLD, ITALIC, BOLD_ITALIC)
        # Control characters never print (some fonts map them anyway); a line break is ours.
        main = frozenset(
            char
            for char in map(chr, fonts[REGULAR].face.charToGlyph)
            if unicodedata.category(char) != "Cc"
        ) | {"\n"}
        fallback_map: dict[int, int] | None = None
        fallback_path: Path | None = None
        for candidate in (folder / FALLBACK_FILE, *fallbacks):
            if not candidate.is_file():
                continue
            try:
                fallback = _register(FALLBACK, candidate)
            except FontError:
                continue
            # One style only: bold and italic text in Chinese prints in the same face.
            _register_family(FALLBACK, FALLBACK, FALLBACK, FALLBACK, FALLBACK)
            fallback_map = fallback.face.charToGlyph
            fallback_path = candidate
            break
        loaded = _Loaded(main, fallback_map, fallback_path)
        _loaded[folder] = loaded
        return loaded


def describe_char(char: str) -> str:
    """'U+13000 EGYPTIAN HIEROGLYPH A001 (𓀀)' for a warning."""
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name} ({char})"


class Fonts:
    """The registered fonts for one export, and the characters that export could not print.

    Create one per export: `missing` collects what that document's text needed.
    """

    regular = REGULAR
    bold = BOLD
    italic = ITALIC
    bold_italic = BOLD_ITALIC
    fallback_name = FALLBACK

    def __init__(self, folder: Path | None = None, fallbacks: Sequence[Path] | None = None) -> None:
        folder = folder or fonts_dir()
        candidates = SYSTEM_FALLBACKS if fallbacks is None else tuple(fallbacks)
        self._loaded = _load(folder, candidates)
        self._main = self._loaded.main
        self._kinds: dict[str, int] = {}
        self.missing: dict[str, int] = {}  # character -> how many times it was asked for

    @property
    def has_fallback(self) -> bool:
        return self._loaded.fallback is not None

    def _kind(self, char: str) -> int:
        kind = self._kinds.get(char)
        if kind is not None:
            return kind
        category = unicodedata.category(char)
        if char in self._main:
            kind = _MAIN
        elif category == "Cs":
            kind = _NONE  # a lone surrogate; clean() replaces it
        elif category == "Cc":
            kind = _DROP  # control characters never print
        elif self._loaded.fallback is not None and ord(char) in self._loaded.fallback:
            kind = _FALLBACK
        elif category == "Cf":
            kind = _DROP  # invisible format marks that no font draws anyway
        else:
            kind = _NONE
        self._kinds[char] = kind
        return kind

    def clean(self, text: str) -> str:
        """Plain text as it will print: unprintable controls dropped, line breaks normalised."""
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
        if set(text) <= self._main:
            return text
        out = []
        for char in text:
            if char == "\n" or char in self._main:
                out.append(char)
                continue
            kind = self._kind(char)
            if kind == _DROP:
                continue
            if unicodedata.category(char) == "Cs":
                out.append(_REPLACEMENT)
                continue
            if kind == _NONE:
                self.missing[char] = self.missing.get(char, 0) + 1
            out.append(char)
        return "".join(out)

    def runs(self, text: str, font: str = REGULAR) -> list[tuple[str, str]]:
        """(font name, text) runs: `font` where it has the glyphs, the fallback where it does
        not. For drawings, which have no markup. Missing characters are recorded."""
        if set(text) <= self._main and "\n" not in text:  # the common case
            return [(font, text)] if text else []
        text = self.clean(text).replace("\n", " ")
        if set(text) <= self._main:
            return [(font, text)] if text else []
        runs: list[tuple[str, str]] = []
        for char in text:
            name = FALLBACK if self._kind(char) == _FALLBACK else font
            if runs and runs[-1][0] == name:
                runs[-1] = (name, runs[-1][1] + char)
            else:
                runs.append((name, char))
        return runs

    def markup(self, text: str) -> str:
        """User text as platypus paragraph markup: escaped (so `<b>` prints as typed), line
        breaks kept, and runs the main family lacks set in the fallback font."""
        text = self.clean(text)
        if set(text) <= self._main:
            return escape(text).replace("\n", "<br/>")
        parts: list[str] = []
        in_fallback = False
        for char in text:
            fallback = char != "\n" and self._kind(char) == _FALLBACK
            if fallback != in_fallback:
                parts.append(f'<font face="{FALLBACK}">' if fallback else "</font>")
                in_fallback = fallback
            parts.append("<br/>" if char == "\n" else escape(char))
        if in_fallback:
            parts.append("</font>")
        return "".join(parts)

    def width(self, text: str, size: float, font: str = REGULAR) -> float:
        """The printed width of plain text, fallback runs included."""
        if set(text) <= self._main:  # the common case, without splitting into runs
            return float(pdfmetrics.stringWidth(text, font, size))
        return float(
            sum(pdfmetrics.stringWidth(t, name, size) for name, t in self.runs(text, font))
        )

    def wrap(self, text: str, width: float, size: float, font: str = REGULAR) -> list[str]:
        """Greedy word wrap of plain text into lines no wider than `width` (for drawings and
        hand-drawn tables, which have no paragraphs). A word too long for a line, such as a run
        of Chinese without spaces, is broken between characters."""
        space = self.width(" ", size, font)
        lines: list[str] = []
        for block in self.clean(text).split("\n"):
            current: list[str] = []
            used = 0.0
            for word in block.split():
                word_width = self.width(word, size, font)
                if current and used + space + word_width <= width:
                    current.append(word)
                    used += space + word_width
                    continue
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                while word_width > width and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and self.width(word[:cut], size, font) > width:
                        cut = max(1, cut * 3 // 4) if cut > 8 else cut - 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    word_width = self.width(word, size, font)
                current, used = [word], word_width
            if current or not lines:
                lines.append(" ".join(current))
        return lines

    def draw(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        size: float,
        font: str = REGULAR,
        anchor: str = "start",
    ) -> float:
        """Draw one line of plain text on a reportlab canvas in runs of `font` and the
        fallback; returns its width."""
        if set(text) <= self._main and "\n" not in text:
            runs = [(font, text)]
        else:
            runs = self.runs(text, font)
        widths = [float(pdfmetrics.stringWidth(t, name, size)) for name, t in runs]
        total = sum(widths)
        if anchor == "end":
            x -= total
        elif anchor == "middle":
            x -= total / 2
        for (name, chunk), width in zip(runs, widths, strict=True):
            canvas.setFont(name, size)
            canvas.drawString(x, y, chunk)
            x += width
        return total

    def missing_characters(self) -> list[str]:
        return sorted(self.missing, key=ord)

    def warnings(self) -> list[str]:
        """One sentence naming every character this export could not print, or nothing."""
        chars = self.missing_characters()
        if not chars:
            return []
        listed = "; ".join(describe_char(c) for c in chars)
        return [
            f"{len(chars)} character{'s' if len(chars) != 1 else ''} will not print, because "
            f"no font shipped with Portfolio has {'them' if len(chars) != 1 else 'it'}: {listed}"
        ]
