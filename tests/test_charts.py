"""The score's charts: reportlab Drawings in the embedded fonts, and their SVG for the screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from reportlab.graphics.shapes import Drawing, Group, String

from pdf_sample import PERIOD, Sample, build_sample
from portfolio_app.charts.fonts import FALLBACK, Fonts
from portfolio_app.charts.score_charts import drawing_to_svg, sector_bars, sector_radar, trend_line
from portfolio_app.export.periods import Period
from portfolio_app.scoring import build_inputs, policy_from_taxonomy, score
from portfolio_app.scoring.breadth import BreadthResult
from portfolio_app.services import AppServices


@pytest.fixture
def result(services: AppServices) -> BreadthResult:
    sample: Sample = build_sample(services)
    inputs = build_inputs(
        [sample.shared, sample.private, sample.outside],
        services.organisations.list_all(),
        services.contacts.list_all(),
    )
    return score(
        inputs, policy_from_taxonomy(services.taxonomy), services.taxonomy, "adult-social-care",
        PERIOD.end,
    )  # fmt: skip


def strings(node: Drawing | Group) -> list[String]:
    found: list[String] = []
    for child in node.contents:
        if isinstance(child, String):
            found.append(child)
        elif isinstance(child, Group):
            found += strings(child)
    return found


def test_bars_label_every_sector_in_the_embedded_font(result: BreadthResult) -> None:
    fonts = Fonts()
    drawing = sector_bars(result, fonts, 300)
    texts = strings(drawing)
    labels = " ".join(s.text for s in texts)
    for sector in result.sectors:
        assert sector.label[:8] in labels
    assert {s.fontName for s in texts} <= {fonts.regular, fonts.bold}
    assert drawing.initialFontName == fonts.regular
    assert f"{result.sector('police').coverage:.0%}" in labels


def test_trend_and_radar_use_only_embedded_fonts(result: BreadthResult) -> None:
    fonts = Fonts()
    points = [(date(2025, 1, 1), 0.0), (date(2025, 7, 1), 12.5), (date(2026, 12, 31), 31.25)]
    trend = trend_line(points, fonts, 300, 120, period=PERIOD)
    radar = sector_radar(result, fonts)
    for drawing in (trend, radar):
        assert {s.fontName for s in strings(drawing)} <= {fonts.regular, fonts.bold}
    assert "31.2" in " ".join(s.text for s in strings(trend))


def test_labels_the_main_font_lacks_use_the_fallback(result: BreadthResult) -> None:
    fonts = Fonts()
    renamed = [replace(s, label="合作 partners") if s.id == "police" else s for s in result.sectors]
    drawing = sector_bars(replace(result, sectors=tuple(renamed)), fonts, 300)
    assert FALLBACK in {s.fontName for s in strings(drawing)}


def test_svg_output(result: BreadthResult) -> None:
    svg = drawing_to_svg(sector_bars(result, Fonts(), 300))
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg and b"Police" in svg
    text = svg.decode("utf-8")
    assert "font-family: PortfolioSans-Bold" in text  # the reached sectors' figures
    assert "Helvetica" not in text


def test_an_empty_trend_is_an_empty_drawing() -> None:
    drawing = trend_line([], Fonts(), period=Period(date(2026, 1, 1), date(2026, 2, 1)))
    assert strings(drawing) == []


def test_the_charts_package_loads_no_reportlab_until_a_chart_is_drawn() -> None:
    """Start-up stays fast: the package and the font names import without reportlab."""
    import subprocess
    import sys

    code = (
        "import sys, portfolio_app.charts, portfolio_app.charts.font_names; "
        "print(any(m.startswith('reportlab') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
