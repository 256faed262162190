"""The export dialog: what is ticked is what goes into the PDF, the export runs off the UI thread,
Cancel leaves no file, and the finished PDF can be opened."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pdf_sample import CONTACT_NAME, PERIOD, Sample, build_sample, pdf_text
from portfolio_app.domain.enums import LessonSection
from portfolio_app.export.pdf import ExportOptions, ExportResult, Paper, export_pdf
from portfolio_app.services import AppServices
from portfolio_app.services.progress import Progress
from portfolio_app.ui.export_dialog import ExportDialog
from portfolio_app.ui.widgets.validation import to_qdate

from .conftest import FakePrompts
from .helpers import find_by_name, walk_unnamed

TODAY = date(2027, 1, 5)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def sample(services: AppServices) -> Sample:
    return build_sample(services)


def make_dialog(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, **kwargs: object
) -> ExportDialog:
    dialog = ExportDialog(sample.services, None, prompts, today=TODAY, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.from_edit.setDate(to_qdate(PERIOD.start))
    dialog.to_edit.setDate(to_qdate(PERIOD.end))
    return dialog


def run_export(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.export_button.click()
    task = dialog.task
    assert task is not None
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)


def checked(dialog: ExportDialog, key: tuple[object, ...]) -> bool:
    item = dialog.model.find_item(key)
    assert item is not None, key
    return item.checkState() == Qt.CheckState.Checked


def set_checked(dialog: ExportDialog, key: tuple[object, ...], on: bool) -> None:
    """What clicking the check box does."""
    item = dialog.model.find_item(key)
    assert item is not None, key
    index = dialog.model.indexFromItem(item)
    state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
    assert dialog.model.setData(index, state.value, Qt.ItemDataRole.CheckStateRole)


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    dialog.show()
    assert walk_unnamed(dialog) == []
    for name in ("Period", "From", "To", "Contents to include", "Paper size", "Export"):
        find_by_name(dialog, name)
    find_by_name(dialog, "Show names of people met")
    find_by_name(dialog, "Preview of page 1")


def test_shared_items_start_ticked_and_private_ones_unticked(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    alpha = sample.lessons["alpha"].id
    assert checked(dialog, ("activity", sample.shared.id))
    assert not checked(dialog, ("activity", sample.private.id))
    assert checked(dialog, ("section", alpha, LessonSection.WHAT_HAPPENED.value))
    assert not checked(dialog, ("section", alpha, LessonSection.WHAT_DID_NOT_WORK.value))
    assert dialog.model.find_item(("activity", sample.outside.id)) is None  # not in the period
    assert not dialog.names_check.isChecked()
    assert dialog.paper_combo.currentData() == Paper.A4.value
    options = dialog.options()
    assert options is not None
    assert options.selection is not None
    assert options.selection.activity_ids == {sample.shared.id}
    assert dialog.contents_summary.text() == "1 activity and 2 lessons will be included."


def test_a_lesson_of_an_unticked_activity_is_greyed_out(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    key = ("section", sample.lessons["of_private"].id, LessonSection.WHAT_WORKED.value)
    item = dialog.model.find_item(key)
    assert item is not None and not item.isEnabled()
    set_checked(dialog, ("activity", sample.private.id), True)
    assert item.isEnabled()
    assert "with 1 private item you ticked" in dialog.contents_summary.text()


def test_choices_flow_into_the_document(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, tmp_path: Path
) -> None:
    opened: list[Path] = []
    dialog = make_dialog(qtbot, sample, prompts, open_file=opened.append)
    alpha = sample.lessons["alpha"].id
    set_checked(dialog, ("activity", sample.private.id), True)
    set_checked(dialog, ("section", alpha, LessonSection.WHAT_DID_NOT_WORK.value), True)
    set_checked(dialog, ("section", alpha, LessonSection.WHAT_HAPPENED.value), False)
    dialog.names_check.setChecked(True)
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(Paper.LETTER.value))
    out = tmp_path / "mine.pdf"
    prompts.save_path = out
    prompts.confirm_answer = True
    run_export(qtbot, dialog)

    assert prompts.errors == []
    text = pdf_text(out)
    assert "Bravoprivate" in text and "Bravodescription" in text
    assert "Sectionprivate" in text and "Sectionshared" not in text
    assert CONTACT_NAME in text
    assert "Exported 5 Jan 2027" in text
    assert float(PdfReader(out).pages[0].mediabox.width) == pytest.approx(612.0)
    assert opened == [out]
    assert dialog.last_result is not None and dialog.last_result.activities == 2
    assert "Open it now?" in prompts.confirmations[-1]


def test_the_default_choice_is_the_shared_portfolio(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, tmp_path: Path
) -> None:
    opened: list[Path] = []
    dialog = make_dialog(qtbot, sample, prompts, open_file=opened.append)
    prompts.save_path = tmp_path / "shared"  # no suffix: .pdf is added
    prompts.confirm_answer = False
    run_export(qtbot, dialog)
    out = tmp_path / "shared.pdf"
    text = pdf_text(out)
    assert "Alphashared" in text and "Bravoprivate" not in text and CONTACT_NAME not in text
    assert opened == []
    assert dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, tmp_path: Path
) -> None:
    started, gate = threading.Event(), threading.Event()
    results: list[ExportResult] = []

    def held_back(
        services: AppServices, options: ExportOptions, path: Path, progress: Progress
    ) -> ExportResult:
        started.set()
        gate.wait(20)  # until the test has pressed Cancel
        result = export_pdf(services, options, path, progress)
        results.append(result)
        return result

    dialog = make_dialog(qtbot, sample, prompts, exporter=held_back)
    out = tmp_path / "cancelled.pdf"
    prompts.save_path = out
    dialog.export_button.click()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    task = dialog.task
    assert task is not None and not dialog.export_button.isEnabled()
    with qtbot.waitSignal(task.done, timeout=30_000):
        task.dialog.canceled.emit()  # what the progress dialog's Cancel button does
        gate.set()
    assert results == []
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []
    assert prompts.errors == [] and prompts.confirmations == []
    qtbot.waitUntil(lambda: dialog.task is None)
    assert dialog.export_button.isEnabled()


def test_a_failed_export_is_reported(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, tmp_path: Path
) -> None:
    def failing(
        services: AppServices, options: ExportOptions, path: Path, progress: Progress
    ) -> ExportResult:
        raise OSError(28, "No space left on device")

    dialog = make_dialog(qtbot, sample, prompts, exporter=failing)
    prompts.save_path = tmp_path / "x.pdf"
    run_export(qtbot, dialog)
    assert prompts.errors and "No space left on device" in prompts.errors[0]
    assert dialog.status_label.text() == "The export failed."


def test_choosing_no_file_does_nothing(qtbot: QtBot, sample: Sample, prompts: FakePrompts) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    prompts.save_path = None
    dialog.export_button.click()
    assert dialog.task is None


def test_periods(qtbot: QtBot, sample: Sample, prompts: FakePrompts) -> None:
    dialog = ExportDialog(sample.services, None, prompts, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.period_combo.currentIndex() == 0
    assert dialog.period() is not None
    assert dialog.period().start == date(2026, 1, 6)  # type: ignore[union-attr]
    labels = [dialog.period_combo.itemText(i) for i in range(dialog.period_combo.count())]
    assert labels[0].startswith("Last 12 months")
    assert any(label.startswith("Appraisal year 2026/27 (so far)") for label in labels)
    assert labels[-1] == "Custom dates"
    year = next(i for i, label in enumerate(labels) if label.startswith("Appraisal year 2025/26"))
    dialog.period_combo.setCurrentIndex(year)
    assert (dialog.period().start, dialog.period().end) == (  # type: ignore[union-attr]
        date(2025, 4, 1),
        date(2026, 3, 31),
    )
    assert dialog.model.find_item(("activity", sample.outside.id)) is not None
    dialog.from_edit.setDate(to_qdate(date(2026, 6, 1)))
    assert dialog.period_combo.currentText() == "Custom dates"
    dialog.to_edit.setDate(to_qdate(date(2026, 5, 1)))
    assert dialog.period() is None
    assert not dialog.export_button.isEnabled()
    assert "ends before it starts" in dialog.status_label.text()


def test_ticks_survive_a_change_of_period(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    set_checked(dialog, ("activity", sample.private.id), True)
    dialog.from_edit.setDate(to_qdate(date(2026, 2, 1)))
    assert checked(dialog, ("activity", sample.private.id))
    dialog.model.reset_to_shared()
    assert not checked(dialog, ("activity", sample.private.id))


def test_preview_of_page_one(qtbot: QtBot, sample: Sample, prompts: FakePrompts) -> None:
    dialog = make_dialog(qtbot, sample, prompts)
    dialog.update_preview()
    a4 = dialog.preview.pixmap()
    assert not a4.isNull()
    assert a4.height() / a4.width() == pytest.approx(841.89 / 595.28, abs=0.01)
    image = a4.toImage()
    top = image.pixelColor(5, 5)  # in the cover's dark blue band (SVG rounds the colour)
    rgb = (top.red(), top.green(), top.blue())
    assert all(abs(a - b) <= 3 for a, b in zip(rgb, (0x1F, 0x3A, 0x5F), strict=True))
    middle = image.pixelColor(5, a4.height() // 2)
    assert (middle.red(), middle.green(), middle.blue()) == (255, 255, 255)
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(Paper.LETTER.value))
    dialog.update_preview()
    letter = dialog.preview.pixmap()
    assert letter.height() / letter.width() == pytest.approx(792 / 612, abs=0.01)


def test_a_preview_after_the_data_closed_says_so_and_keeps_the_dialog(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts
) -> None:
    """A preview asked for once the data is closed (the window reopened it) is a note in the
    preview's place, not an error in the event loop."""
    dialog = make_dialog(qtbot, sample, prompts)
    sample.services.close()
    dialog.update_preview()
    assert dialog.preview.pixmap().isNull()
    assert dialog.preview.text() == "No preview: the data cannot be read now."
    assert "was closed" in dialog.preview.toolTip()


def test_without_a_profile_nothing_can_be_exported(
    qtbot: QtBot, services: AppServices, prompts: FakePrompts
) -> None:
    dialog = ExportDialog(services, None, prompts, today=TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    assert "profile" in dialog.status_label.text()
