"""A write that fails in the desktop app (a device chosen as the file, a full disk) shows one
clear error naming the file and the cause, leaves the dialog open, changes nothing and prints
no traceback."""

from __future__ import annotations

import errno
import os
import stat
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pytest
from pytestqt.qtbot import QtBot

from keys_for_tests import TEST_RECOVERY_CODE
from pdf_sample import Sample, build_sample
from portfolio_app.atomic_files import write_atomically
from portfolio_app.export.pdf import ExportOptions, ExportResult
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices
from portfolio_app.services.progress import Progress
from portfolio_app.ui.export_dialog import ExportDialog
from portfolio_app.ui.unlock_dialogs import RecoveryCodeDialog
from special_files import full_device_in

from .conftest import FakePrompts, MakeWindowType

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    return full_device_in(tmp_path)


@pytest.fixture
def sample(services: AppServices) -> Sample:
    return build_sample(services)


def export_dialog(
    qtbot: QtBot, sample: Sample, prompts: FakePrompts, **kwargs: object
) -> ExportDialog:
    dialog = ExportDialog(sample.services, None, prompts, today=date(2027, 1, 5), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_export(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.export_button.click()
    assert dialog.task is not None
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30_000)


def test_a_pdf_export_onto_a_device_is_refused_in_a_clear_dialog(
    qtbot: QtBot,
    sample: Sample,
    prompts: FakePrompts,
    full_device: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # The dialog adds ".pdf" to a name without one: the device is reached through a link.
    link = tmp_path / "Portfolio.pdf"
    link.symlink_to(full_device)
    dialog = export_dialog(qtbot, sample, prompts)
    prompts.save_path = link
    run_export(qtbot, dialog)
    assert prompts.errors == [
        f"cannot write {link}: it is a device, not an ordinary file; nothing was written"
    ]
    assert dialog.isVisible() and dialog.status_label.text() == "The export failed."
    assert dialog.export_button.isEnabled()  # the user can choose another file at once
    assert link.is_symlink() and stat.S_ISCHR(full_device.lstat().st_mode)
    assert "Traceback" not in capfd.readouterr().err


def test_a_pdf_export_onto_a_full_disk_keeps_the_old_file(
    qtbot: QtBot,
    sample: Sample,
    prompts: FakePrompts,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "Portfolio Siân.pdf"
    target.write_bytes(b"last year's portfolio")

    def onto_a_full_disk(
        services: AppServices, options: ExportOptions, path: Path, progress: Progress
    ) -> ExportResult:
        def write(handle: BinaryIO) -> None:
            handle.write(b"%PDF-1.4 half a portfolio")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        write_atomically(path, write)
        raise AssertionError("a full disk must not look like success")

    dialog = export_dialog(qtbot, sample, prompts, exporter=onto_a_full_disk)
    prompts.save_path = target
    run_export(qtbot, dialog)
    assert prompts.errors == [f"the disk is full: {target} was not written; nothing else changed"]
    assert dialog.isVisible() and dialog.status_label.text() == "The export failed."
    assert target.read_bytes() == b"last year's portfolio"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert "Traceback" not in capfd.readouterr().err


def test_csv_export_and_template_onto_a_device_say_so(
    services: AppServices,
    make_window: MakeWindowType,
    prompts: FakePrompts,
    full_device: Path,
) -> None:
    window = make_window(services)
    prompts.save_path = full_device
    window.export_csv()
    window.save_csv_template()
    refusal = (
        f"cannot write {full_device}: it is a device, not an ordinary file; nothing was written"
    )
    assert prompts.errors == [refusal, refusal]
    assert stat.S_ISCHR(full_device.lstat().st_mode)


def test_saving_the_recovery_code_onto_a_device_says_so(
    qtbot: QtBot, paths: AppPaths, full_device: Path
) -> None:
    prompts = FakePrompts()
    prompts.save_path = full_device
    dialog = RecoveryCodeDialog(paths, TEST_RECOVERY_CODE, prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert prompts.errors == [
        f"cannot write {full_device}: it is a device, not an ordinary file; nothing was written"
    ]
    assert dialog.isVisible()
    assert stat.S_ISCHR(full_device.lstat().st_mode)
