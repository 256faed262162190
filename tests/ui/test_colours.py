"""The colours the app picks itself (ui/colours.py) are readable in light and dark palettes:
WCAG AA contrast (4.5:1) for text against the palette's window and base colours, and for each
banner or badge's text against its own background; and the widgets use the dark shades when the
application's palette is dark."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory
from pytestqt.qtbot import QtBot

from portfolio_app.services import AppServices
from portfolio_app.ui import colours
from portfolio_app.ui.dashboard.svg_chart import SvgChart
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.widgets.validation import ErrorLabel

from .helpers import find_by_name

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
AA = 4.5


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    assert style is not None
    return style.standardPalette()


PALETTES = {"light": light_palette, "dark": colours.dark_palette}


@pytest.mark.parametrize("name", sorted(colours.TEXT_SHADES))
@pytest.mark.parametrize("kind", sorted(PALETTES))
def test_text_shades_are_readable_on_the_palettes_window_and_base(
    qapp: QApplication, name: str, kind: str
) -> None:
    palette = PALETTES[kind]()
    assert colours.is_dark(palette) == (kind == "dark")
    shade = colours.TEXT_SHADES[name].colour(palette)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        ratio = colours.contrast(shade, palette.color(role))
        assert ratio >= AA, f"{name} on {kind} {role.name}: {ratio:.2f}:1"


@pytest.mark.parametrize("name", sorted(colours.PAIRS))
@pytest.mark.parametrize("kind", sorted(PALETTES))
def test_banner_and_badge_text_is_readable_on_its_background(
    qapp: QApplication, name: str, kind: str
) -> None:
    palette = PALETTES[kind]()
    pair = colours.PAIRS[name]
    ratio = colours.contrast(pair.text.colour(palette), pair.background.colour(palette))
    assert ratio >= AA, f"{name} in {kind}: {ratio:.2f}:1"


def test_contrast_is_wcags() -> None:
    assert colours.contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert colours.contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    assert colours.contrast(QColor("#123456"), QColor("#123456")) == pytest.approx(1.0)


@pytest.fixture
def dark_app(qapp: QApplication) -> Iterator[QApplication]:
    before = qapp.palette()
    qapp.setPalette(colours.dark_palette())
    yield qapp
    qapp.setPalette(before)


def test_in_a_dark_palette_the_widgets_use_the_dark_shades(
    qtbot: QtBot, dark_app: QApplication, with_profile: AppServices
) -> None:
    error = ErrorLabel("Title")
    qtbot.addWidget(error)
    assert colours.ERROR.dark in error.styleSheet()
    window = MainWindow(with_profile, demo=True)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    score = find_by_name(window, "Breadth score", QLabel)
    assert colours.SCORE.dark in score.styleSheet()
    assert colours.SCORE.light not in score.styleSheet()
    banner = find_by_name(window, "Demo banner", QLabel)
    assert colours.DEMO_BANNER.background.dark in banner.styleSheet()
    assert colours.DEMO_BANNER.text.dark in banner.styleSheet()


def test_chart_ink_is_readable_on_the_charts_paper() -> None:
    from portfolio_app.charts.palette import HEADING_HEX, INK_HEX, MUTED_HEX

    paper = QColor(colours.CHART_PAPER)
    for ink in (INK_HEX, MUTED_HEX, HEADING_HEX):
        assert colours.contrast(QColor(ink), paper) >= AA, ink


@pytest.mark.parametrize("kind", sorted(PALETTES))
def test_a_chart_sits_on_its_paper_in_a_dark_palette_only(
    qtbot: QtBot, qapp: QApplication, kind: str, tmp_path: Path
) -> None:
    """The trend line's navy on a dark window would vanish: there the chart is shown on a
    sheet of its white paper; in a light palette it stays on the window as before."""
    from portfolio_app.charts.fonts import Fonts
    from portfolio_app.charts.score_charts import trend_line

    chart = SvgChart("Score trend")
    qtbot.addWidget(chart)
    chart.setPalette(PALETTES[kind]())
    points = [(date(2026, 1, 1), 20.0), (date(2026, 6, 1), 45.0), (date(2026, 11, 1), 61.5)]
    chart.set_drawing(trend_line(points, Fonts()), "Score from 20 to 61.5")
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()
    image.save(str(tmp_path / f"trend-{kind}.png"))
    corner = image.pixelColor(2, 2)
    if kind == "dark":
        assert corner == QColor(colours.CHART_PAPER)
    else:
        assert corner == chart.palette().color(QPalette.ColorRole.Window)
