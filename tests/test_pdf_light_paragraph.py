"""LightParagraph: the activity facts' hand-made layout prints what platypus's Paragraph
prints for the same markup (words, order, fonts), wraps within the width and splits between
lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from portfolio_app.charts.fonts import BOLD, FALLBACK, Fonts
from portfolio_app.export.pdf.flowables import Heading, heading
from portfolio_app.export.pdf.light_paragraph import LightParagraph
from portfolio_app.export.pdf.styles import make_styles

WIDTH = 200.0


def _facts() -> ParagraphStyle:
    return make_styles(Fonts()).facts


def _text(flowables: list[object], out: Path) -> str:
    fonts = Fonts()
    SimpleDocTemplate(str(out), initialFontName=fonts.regular).build(flowables)
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)


MARKUPS = [
    '<font color="rgb(31,58,95)"><b>Secondment</b></font> · 3 Jan – 5 Jan 2026 · 3 days'
    '<br/><b>Organisations:</b> Siân &amp; Łukasz Trust (<font color="rgb(20,120,60)">■</font>'
    '\u00a0Police); Zoë\'s &lt;hub&gt; (<font color="#336699">■</font>\u00a0Public health)'
    "<br/><b>People met:</b> 2 people from Team "
    f'<font face="{FALLBACK}">合作</font> Trust',
    "plain words " * 40,
]


@pytest.mark.parametrize("markup", MARKUPS)
def test_it_prints_the_words_platypus_prints(markup: str, tmp_path: Path) -> None:
    style = _facts()
    light = _text([LightParagraph(markup, style)], tmp_path / "light.pdf")
    plain = _text([Paragraph(markup, style)], tmp_path / "plain.pdf")
    assert light == plain
    assert "Siân & Łukasz" in light or "plain words" in light


def test_lines_stay_within_the_width_and_long_words_break() -> None:
    style = _facts()
    paragraph = LightParagraph("<b>Evidence:</b> " + "x" * 120 + " end", style)
    _, height = paragraph.wrap(WIDTH, 1000)
    lines = paragraph._lay_out(WIDTH)
    assert len(lines) >= 3
    assert height == len(lines) * style.leading
    for line in lines:
        used = sum(paragraph._width(w) for w in line) + 3 * (len(line) - 1)
        assert used <= WIDTH + 0.01
    assert lines[0][0][0].font == BOLD


def test_it_splits_between_lines_but_leaves_no_lone_first_line() -> None:
    style = _facts()
    paragraph = LightParagraph("<br/>".join(f"line {n}" for n in range(5)), style)
    paragraph.wrap(WIDTH, 1000)
    assert paragraph.split(WIDTH, style.leading * 1.5) == []
    head, tail = paragraph.split(WIDTH, style.leading * 3.2)
    assert head.wrap(WIDTH, 1000)[1] == 3 * style.leading
    assert tail.wrap(WIDTH, 1000)[1] == 2 * style.leading
    assert tail.getSpaceBefore() == 0
    assert paragraph.split(WIDTH, 1000) == [paragraph]


@pytest.mark.parametrize("markup", ["<i>italic</i>", "a < b", '<font size="3">x</font>', "</font>"])
def test_markup_it_cannot_print_is_refused(markup: str) -> None:
    with pytest.raises(ValueError):
        LightParagraph(markup, _facts())


def test_a_split_heading_keeps_its_bookmark_on_the_first_part() -> None:
    fonts = Fonts()
    styles = make_styles(fonts)
    title = "Siân's secondment " * 12
    whole = heading(title, styles.h2, fonts, "activity-1", level=1)
    whole.wrap(WIDTH, 1000)
    head, tail = whole.split(WIDTH, styles.h2.leading * 2.5)
    assert isinstance(head, Heading) and head.outline == whole.outline
    assert not isinstance(tail, Heading)


def test_indents_narrow_the_lines() -> None:
    styles = make_styles(Fonts())
    text = "safeguarding referral threshold " * 8
    plain = LightParagraph(text, styles.body)
    indented = LightParagraph(text, styles.indented)  # leftIndent 10
    assert len(indented._lay_out(WIDTH)) >= len(plain._lay_out(WIDTH))
    for line in indented._lay_out(WIDTH):
        used = sum(indented._width(w) for w in line) + 3 * (len(line) - 1)
        assert used <= WIDTH - styles.indented.leftIndent + 0.01
