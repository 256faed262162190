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
from portfolio_app.export.pdf.flowables import Heading, heading, text_paragraphs
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


# -- the user's own text (descriptions, lesson sections, review comments) --

WORDS = ["Siân", "Łukasz", "Zoë's", "a", "of", "&", "<b>", "triage,", "safeguarding", "(referral)"]


def _user_texts() -> list[str]:
    """Texts with plain spaces, line breaks, escaped characters and words too long for a line
    (a URL), in a fixed pseudo-random mix: enough lines that a different break rule shows."""
    texts = []
    for n in range(120):
        words = [WORDS[(n * 7 + k * k) % len(WORDS)] for k in range(5 + (n * 13) % 70)]
        if n % 5 == 0:
            words.insert(n % len(words), "https://example.org/" + "really-long-path/" * 6)
        text = " ".join(words)
        if n % 3 == 0:
            text = text.replace(" a ", "\n", 2)
        texts.append(text)
    return texts


def _platypus_lines(paragraph: Paragraph, width: float) -> list[str]:
    paragraph.wrap(width, 10_000)
    laid = paragraph.blPara
    if laid.kind == 0:
        return [" ".join(words) for _, words in laid.lines]
    return [" ".join("".join(f.text for f in line.words).split()) for line in laid.lines]


def _light_lines(paragraph: LightParagraph, width: float) -> list[str]:
    laid = paragraph._lay_out(width)
    lines = [" ".join("".join(s.text for s in word) for word in line) for line in laid]
    return [" ".join(line.split()) for line in lines]  # as platypus's runs are read above


@pytest.mark.parametrize("style_name", ["body", "indented", "quote"])
def test_user_text_breaks_into_the_lines_platypus_makes(style_name: str) -> None:
    fonts = Fonts()
    style = getattr(make_styles(fonts), style_name)
    compared = 0
    for text in _user_texts():
        markup = fonts.markup(text)
        for width in (180.0, 300.0, 481.9):
            light = _light_lines(LightParagraph(markup, style), width)
            assert light == _platypus_lines(Paragraph(markup, style), width), (text, width)
            compared += len(light)
    assert compared > 2000


def test_facts_lines_break_as_platypus_breaks_them() -> None:
    """A line may run a little past the width by shrinking its spaces (spaceShrinkage), as in
    platypus: the facts lines full of short style runs break where a Paragraph's would."""
    style = _facts()
    orgs = ["Siân &amp; Łukasz Trust", "Zoë's hub", "North Police", "Care Board of Somewhere"]
    swatch = '(<font color="rgb(20,120,60)">■</font>\u00a0Police)'
    for n in range(60):
        named = "; ".join(f"{orgs[(n + k) % 4]} {swatch}" for k in range(1 + n % 6))
        markup = f"<b>Secondment</b> · 3 days<br/><b>Organisations:</b> {named}"
        for width in (300.0, 455.0, 481.9):
            light = _light_lines(LightParagraph(markup, style), width)
            assert light == _platypus_lines(Paragraph(markup, style), width), (markup, width)


@pytest.mark.parametrize(
    ("text", "light"),
    [
        ("Siân met Łukasz & Zoë.\nA second line.\n\nA second paragraph.", True),
        ("Team 合作 Trust", False),  # a run in the fallback font: platypus's own rule
        ("em\u2003space", False),  # platypus breaks at other spaces too
        ("soft\u00adhyphen", False),
    ],
)
def test_user_text_is_laid_out_lightly_only_where_it_prints_alike(text: str, light: bool) -> None:
    fonts = Fonts()
    styles = make_styles(fonts)
    made = text_paragraphs(text, styles.indented, fonts)
    assert made and all(isinstance(p, LightParagraph) is light for p in made)
    assert all(
        isinstance(p, Paragraph) for p in text_paragraphs(text, styles.cell, fonts, light=False)
    )
    assert all(isinstance(p, Paragraph) for p in text_paragraphs(text, styles.cell_right, fonts))


def test_user_text_prints_its_words_in_order(tmp_path: Path) -> None:
    fonts = Fonts()
    styles = make_styles(fonts)
    text = "\n\n".join(_user_texts()[:30])
    light = _text(text_paragraphs(text, styles.body, fonts), tmp_path / "light.pdf")
    plain = _text([Paragraph(fonts.markup(text), styles.body)], tmp_path / "plain.pdf")
    assert light == plain
    assert "Siân" in light and "<b>" in light
