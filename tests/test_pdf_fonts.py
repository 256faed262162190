"""Text made safe for the embedded fonts: escaped, fallback runs for what the main family lacks,
and a warning naming each character that no font has."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from portfolio_app.charts.fonts import (
    BOLD,
    FALLBACK,
    FALLBACK_FILE,
    FAMILY_FILES,
    REGULAR,
    FontError,
    Fonts,
    describe_char,
    fonts_dir,
)


def test_the_shipped_fonts_and_their_licences_are_there() -> None:
    folder = fonts_dir()
    for filename in [*FAMILY_FILES.values(), FALLBACK_FILE]:
        assert (folder / filename).is_file(), filename
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Apache" in (folder / "LICENSE-DroidSansFallback.txt").read_text(encoding="utf-8")
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 6.5 * 1024 * 1024


def test_all_four_styles_are_registered_as_one_family() -> None:
    Fonts()
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(REGULAR, 0, 0) == REGULAR
    assert tt2ps(REGULAR, 1, 0) == BOLD
    assert tt2ps(REGULAR, 0, 1) == "PortfolioSans-Italic"
    assert tt2ps(REGULAR, 1, 1) == "PortfolioSans-BoldItalic"
    assert pdfmetrics.getFont(BOLD).face.filename.endswith("DejaVuSans-Bold.ttf")


def test_markup_escapes_user_text() -> None:
    fonts = Fonts()
    assert fonts.markup("<b>Tom & Jerry</b>") == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    assert fonts.markup("one\ntwo\r\nthree") == "one<br/>two<br/>three"
    assert fonts.missing == {}


def test_runs_the_main_family_lacks_go_to_the_fallback() -> None:
    fonts = Fonts()
    assert fonts.has_fallback
    assert fonts.markup("Team 合作 & co") == (f'Team <font face="{FALLBACK}">合作</font> &amp; co')
    assert fonts.runs("Siân 合作", BOLD) == [(BOLD, "Siân "), (FALLBACK, "合作")]
    assert fonts.missing == {}


def test_characters_no_font_has_are_reported_by_name() -> None:
    fonts = Fonts()
    fonts.markup("A hieroglyph \U00013000 and another \U00013000")
    assert fonts.missing == {"\U00013000": 2}
    (warning,) = fonts.warnings()
    assert warning.startswith("1 character will not print")
    assert "U+13000 EGYPTIAN HIEROGLYPH A001" in warning
    assert describe_char("\U00013000") in warning
    assert Fonts().warnings() == []  # each export starts afresh


def test_invisible_controls_are_dropped_and_lone_surrogates_replaced() -> None:
    fonts = Fonts()
    assert fonts.clean("a\x00b\x07c\x1bd\x7f") == "abcd"
    assert fonts.clean("bad \ud800 half") == "bad \ufffd half"
    assert fonts.clean("tab\there") == "tab    here"
    assert fonts.missing == {}


def test_width_counts_fallback_runs() -> None:
    fonts = Fonts()
    assert fonts.width("合作", 10) == pytest.approx(pdfmetrics.stringWidth("合作", FALLBACK, 10))
    assert fonts.width("ab", 10) == pytest.approx(pdfmetrics.stringWidth("ab", REGULAR, 10))


def test_a_missing_font_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontError, match=r"DejaVuSans\.ttf is missing"):
        Fonts(tmp_path)
