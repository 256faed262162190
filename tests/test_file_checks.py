"""Inputs and outputs checked before use (file_checks, atomic_files): devices, FIFOs, folders and
oversized files are refused unread and without blocking; a device is never replaced; a symlink
is written through; a full disk is one clear sentence and the old file stays; a log file that
cannot be written never reaches the user."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from cli_support import assert_one_clear_line, run
from pdf_sample import build_sample
from portfolio_app.atomic_files import write_atomically, write_text_atomically
from portfolio_app.file_checks import (
    FileProblem,
    InputMissing,
    InputNotOrdinary,
    InputRefused,
    InputTooLarge,
    OutputRefused,
    WriteFailed,
    check_input_file,
    human_limit,
    read_input_bytes,
)
from portfolio_app.logging_setup import LOG_FILENAME, close_logging, configure_logging
from portfolio_app.paths import PASSPHRASE_ENV, AppPaths
from portfolio_app.services import AppServices
from special_files import full_device_in, system_device

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and device files are POSIX")
SRC = Path(__file__).resolve().parents[1] / "src"


@contextlib.contextmanager
def within_seconds(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block blocks: an open of a FIFO is
    interrupted by the alarm."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


device = system_device


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    return full_device_in(tmp_path)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe-Zoë"
    os.mkfifo(path)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ----- inputs ---------------------------------------------------------------------------------


def test_an_ordinary_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "Siân's activities.csv"
    path.write_bytes("Łukasz,Zoë\n".encode() * 1000)
    assert read_input_bytes(path, 1_000_000, "CSV file") == path.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    assert read_input_bytes(link, 1_000_000) == path.read_bytes()  # links to a file are fine


@posix_only
def test_a_fifo_is_refused_without_blocking(fifo: Path) -> None:
    with within_seconds(5), pytest.raises(InputNotOrdinary) as excinfo:
        read_input_bytes(fifo, 1000, "CSV file")
    assert excinfo.value.kind == "a named pipe (FIFO)"
    assert str(excinfo.value) == (
        f"cannot read the CSV file {fifo}: it is a named pipe (FIFO), not an ordinary file; "
        "nothing was read"
    )
    with within_seconds(5), pytest.raises(InputNotOrdinary):
        check_input_file(fifo, 1000)


@pytest.mark.parametrize("name", ["zero", "null", "full", "urandom"])
def test_devices_are_refused_unread(name: str) -> None:
    path = device(name)
    with within_seconds(5), pytest.raises(InputNotOrdinary) as excinfo:
        read_input_bytes(path, 50 * 1024 * 1024, "CSV file")
    assert excinfo.value.kind == "a device"
    assert "it is a device, not an ordinary file" in str(excinfo.value)


def test_a_folder_a_missing_file_and_a_large_one_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputNotOrdinary, match="it is a folder; nothing was read"):
        read_input_bytes(tmp_path, 1000)
    missing = tmp_path / "Zoë.csv"
    with pytest.raises(InputMissing) as missing_info:
        read_input_bytes(missing, 1000)
    assert isinstance(missing_info.value, FileNotFoundError)  # for callers that catch that
    assert missing_info.value.reason == "there is no such file"
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2001)
    with pytest.raises(InputTooLarge) as large:
        read_input_bytes(big, 2000, "CSV file")
    assert (large.value.size, large.value.limit) == (2001, 2000)
    assert "it is too large (2,001 bytes; the limit is 2,000 bytes)" in str(large.value)
    assert (human_limit(2 * 1024 * 1024), human_limit(64 * 1024)) == ("2 MB", "64 KB")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone")
    with pytest.raises(InputMissing):
        check_input_file(dangling, 1000)


def test_refusals_are_one_line_oserrors(tmp_path: Path) -> None:
    """The CLI prints an OSError as one line: every refusal is one, with the user's path."""
    with pytest.raises(InputRefused) as excinfo:
        read_input_bytes(tmp_path, 10)
    error = excinfo.value
    assert isinstance(error, OSError) and isinstance(error, FileProblem)
    assert error.filename == str(tmp_path) and error.errno == errno.EISDIR
    assert "\n" not in str(error)


# ----- outputs --------------------------------------------------------------------------------


def write_bytes(data: bytes):  # type: ignore[no-untyped-def]
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    return write


def test_a_device_is_refused_and_stays_a_device(full_device: Path) -> None:
    with pytest.raises(OutputRefused) as excinfo:
        write_text_atomically(full_device, "Siân\n")
    assert str(excinfo.value) == (
        f"cannot write {full_device}: it is a device, not an ordinary file; nothing was written"
    )
    assert stat.S_ISCHR(full_device.lstat().st_mode)
    assert leftovers(full_device.parent) == []
    null = device("null")
    with pytest.raises(OutputRefused):
        write_text_atomically(null, "x")
    assert stat.S_ISCHR(null.lstat().st_mode)


@posix_only
def test_a_fifo_a_folder_and_a_missing_folder_are_refused_as_outputs(
    fifo: Path, tmp_path: Path
) -> None:
    with within_seconds(5), pytest.raises(OutputRefused, match="named pipe"):
        write_text_atomically(fifo, "x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with pytest.raises(OutputRefused, match="it is a folder"):
        write_text_atomically(tmp_path, "x")
    with pytest.raises(OutputRefused, match="the folder does not exist"):
        write_text_atomically(tmp_path / "no-such-folder" / "out.csv", "x")
    assert not (tmp_path / "no-such-folder").exists()
    assert leftovers(tmp_path) == []


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real" / "Łukasz.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text_atomically(link, "new Zoë\n")
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text(encoding="utf-8") == "new Zoë\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the target keeps its mode
    assert leftovers(tmp_path) == leftovers(real.parent) == []


def test_a_dangling_symlink_is_refused_untouched(tmp_path: Path) -> None:
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "gone.pdf")
    with pytest.raises(OutputRefused, match=r"it is a link to .*gone\.pdf, which does not exist"):
        write_text_atomically(link, "x")
    assert link.is_symlink() and not (tmp_path / "gone.pdf").exists()


def test_disk_full_is_one_sentence_and_the_old_file_stays(tmp_path: Path) -> None:
    target = tmp_path / "Siân.pdf"
    target.write_bytes(b"the old export")

    def full(handle: BinaryIO) -> None:
        handle.write(b"part of a new export")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(WriteFailed) as excinfo:
        write_atomically(target, full)
    assert str(excinfo.value) == f"the disk is full: {target} was not written; nothing else changed"
    assert excinfo.value.reason == "the disk is full"
    assert target.read_bytes() == b"the old export"
    assert leftovers(tmp_path) == []


def test_other_errors_of_the_writer_pass_through(tmp_path: Path) -> None:
    class Cancelled(Exception):
        pass

    def cancelled(handle: BinaryIO) -> None:
        handle.write(b"half")
        raise Cancelled

    with pytest.raises(Cancelled):
        write_atomically(tmp_path / "x.pdf", cancelled)
    assert list(tmp_path.iterdir()) == []


# ----- a real full disk (a small tmpfs in a user namespace) ----------------------------------


def _user_namespace_shell() -> list[str]:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        pytest.skip("needs Linux's unshare for a small filesystem of our own")
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt || exit 9"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("user namespaces (unshare -rm) are not allowed here")
    return ["unshare", "-rm", "sh", "-c"]


def on_full_disk(disk: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `command` with a 256 KB tmpfs mounted on `disk`, all but 16 KB of it filled, and
    `disk/old.pdf` holding an old export."""
    disk.mkdir()
    script = (
        f"mount -t tmpfs -o size=256k tmpfs '{disk}' && "
        f"printf 'the old export' > '{disk}/old.pdf' && "
        f"head -c 237568 /dev/zero > '{disk}/filler' && "
        f"{command}; code=$?; cat '{disk}/old.pdf' > '{disk.parent}/old-after.pdf'; "
        f"ls -a '{disk}' > '{disk.parent}/listing.txt'; exit $code"
    )
    return subprocess.run(
        [*_user_namespace_shell(), script],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def program_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def test_a_real_full_disk_leaves_the_old_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from portfolio_app.atomic_files import write_atomically
        from portfolio_app.file_checks import WriteFailed
        try:
            write_atomically(Path('{disk}/old.pdf'), lambda h: h.write(b'x' * 200_000))
        except WriteFailed as exc:
            print(exc)
        """
    )
    done = on_full_disk(disk, f'{sys.executable} -c "{code}"', program_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout == f"the disk is full: {disk}/old.pdf was not written; nothing else changed\n"
    )
    assert done.stderr == ""
    assert (tmp_path / "old-after.pdf").read_text() == "the old export"
    assert ".part" not in (tmp_path / "listing.txt").read_text()


def test_pdf_export_onto_a_full_disk_is_one_clear_line(
    services: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    build_sample(services)
    disk = tmp_path / "disk"
    env = program_env(tmp_path)
    env[PASSPHRASE_ENV] = os.environ[PASSPHRASE_ENV]
    command = (
        f"{sys.executable} -m portfolio_app --data-dir '{paths.data_dir}' export-pdf "
        f"--out '{disk}/old.pdf' --from 2026-01-01 --to 2026-12-31 < /dev/null"
    )
    done = on_full_disk(disk, command, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == ""
    assert_one_clear_line(done.stderr, f"the disk is full: {disk}/old.pdf was not written")
    assert (tmp_path / "old-after.pdf").read_text() == "the old export"
    assert ".part" not in (tmp_path / "listing.txt").read_text()


def test_a_full_or_read_only_data_dir_is_one_clear_line_and_changes_nothing(
    services: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    """The data dir (with its log) on a disk with 40 KB free once a first reading has left its
    notes (the check stamp, the damage findings), then on the same disk read-only."""
    build_sample(services)
    services.close()
    rows = tmp_path / "rows.csv"
    header = "type,title,start,end,hours,organisation,sector,visibility,status\n"
    row = "shadowing,Row {} with Zoë,12/05/2026,,,Northshire Police,police,private,done\n"
    rows.write_text(header + "".join(row.format(i) for i in range(3000)), encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    data = disk / "data"
    app = f"{sys.executable} -m portfolio_app --data-dir '{data}'"
    script = f"""
        mount -t tmpfs -o size=3m tmpfs '{disk}' && cp -a '{paths.data_dir}' '{data}' || exit 9
        {app} list activities --json > '{tmp_path}/before.json'
        used=$(du -sk '{disk}' | cut -f1)
        head -c $(( (3072 - used - 40) * 1024 )) /dev/zero > '{disk}/filler'
        {app} import-csv '{rows}' 2> '{tmp_path}/full.err'; echo $? > '{tmp_path}/full.code'
        {app} list activities --json > '{tmp_path}/after-full.json' 2> '{tmp_path}/list.err'
        mount -o remount,ro '{disk}'
        {app} import-csv '{rows}' 2> '{tmp_path}/ro.err'; echo $? > '{tmp_path}/ro.code'
        {app} list activities --json > '{tmp_path}/after-ro.json'
        {app} export-pdf --out '{tmp_path}/still.pdf' > /dev/null 2> '{tmp_path}/pdf.err'
    """
    env = program_env(tmp_path)
    env[PASSPHRASE_ENV] = os.environ[PASSPHRASE_ENV]
    done = subprocess.run(
        [*_user_namespace_shell(), textwrap.dedent(script)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    def read(name: str) -> str:
        return (tmp_path / name).read_text(encoding="utf-8")

    before = read("before.json")
    assert "Alphashared" in before  # the sample's entries are there to be kept
    assert read("full.code") == read("ro.code") == "1\n"
    # One clear line (an automatic backup that could not be made may warn first).
    full_lines = read("full.err").splitlines()
    assert full_lines[-1].startswith(f"portfolio-app: the disk holding {data} is full")
    assert all(line.startswith("portfolio-app: ") for line in full_lines), full_lines
    assert len(full_lines) <= 2 and "Traceback" not in read("full.err")
    assert_one_clear_line(read("ro.err"), f"your data folder {data} is read-only")
    assert read("after-full.json") == before, read("list.err")
    assert read("after-ro.json") == before
    assert read("pdf.err") == "" and (tmp_path / "still.pdf").stat().st_size > 0


# ----- the CLI --------------------------------------------------------------------------------


def test_export_csv_to_dev_full_is_refused(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, full_device: Path
) -> None:
    code, out, err = run(
        capsys, "--data-dir", str(paths.data_dir), "export-csv", "--out", str(full_device)
    )
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"cannot write {full_device}: it is a device, not an ordinary file")
    assert stat.S_ISCHR(full_device.lstat().st_mode)


@pytest.mark.parametrize("command", ["export-csv", "csv-template"])
def test_csv_outputs_through_a_symlink_keep_the_link(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, tmp_path: Path, command: str
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, _out, err = run(capsys, "--data-dir", str(paths.data_dir), command, "--out", str(link))
    assert (code, err) == (0, "")
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("type,title,")


def _limit_memory() -> None:
    import resource

    limit = (
        4 * 1024**3
    )  # a regression reading /dev/zero whole ends in MemoryError, not the OOM killer
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_import_csv_from_dev_zero_is_refused_at_once(paths: AppPaths, tmp_path: Path) -> None:
    zero = device("zero")
    program = [sys.executable, "-m", "portfolio_app", "--data-dir", str(paths.data_dir)]
    done = subprocess.run(
        [*program, "import-csv", str(zero)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=program_env(tmp_path),
        timeout=60,
        preexec_fn=_limit_memory,  # the child's own limit, set before it starts
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert_one_clear_line(
        done.stderr, f"{zero}: cannot read the file (it is a device, not an ordinary file)"
    )


@posix_only
def test_import_csv_from_a_fifo_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, fifo: Path
) -> None:
    with within_seconds(5):
        code, out, err = run(capsys, "--data-dir", str(paths.data_dir), "import-csv", str(fifo))
    assert (code, out) == (1, "")
    assert_one_clear_line(err, f"{fifo}: cannot read the file (it is a named pipe (FIFO)")
    assert run(capsys, "--data-dir", str(paths.data_dir), "list", "activities")[1] == (
        "No activities yet.\n"
    )


def test_taxonomy_and_key_files_are_checked(tmp_path: Path, fifo: Path) -> None:
    from portfolio_app.security import key_file
    from portfolio_app.security.errors import KeyFileDamaged
    from portfolio_app.taxonomy.errors import TaxonomyError
    from portfolio_app.taxonomy.loader import load_taxonomy

    with within_seconds(5), pytest.raises(TaxonomyError, match="named pipe"):
        load_taxonomy(fifo)
    with within_seconds(5), pytest.raises(KeyFileDamaged, match="named pipe"):
        key_file.unlock_with_passphrase(fifo, "correct horse battery")


# ----- the log file ---------------------------------------------------------------------------


def _logs_dir(paths: AppPaths) -> Path:
    paths.logs_dir.mkdir(mode=0o700, exist_ok=True)
    return paths.logs_dir


def test_the_log_handler_falls_silent_when_its_disk_is_full(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    (_logs_dir(paths) / LOG_FILENAME).symlink_to(device("full"))
    configure_logging(paths)
    try:
        log = logging.getLogger("portfolio_app.test")
        log.warning("Siân's first record")  # ENOSPC: logging would print "--- Logging error ---"
        log.error("and a second", exc_info=OSError(errno.EIO, "boom"))
        handlers = logging.getLogger("portfolio_app").handlers
        (handler,) = [h for h in handlers if isinstance(h, logging.FileHandler)]
        assert getattr(handler, "broken", False) and handler.stream is None  # fell silent
    finally:
        close_logging()
    assert capsys.readouterr().err == ""


def _failing_command(capsys: pytest.CaptureFixture[str], paths: AppPaths, out: Path) -> str:
    """A command that fails with an OSError, which the CLI logs (with its traceback) before
    printing its one line."""
    code, printed, err = run(
        capsys, "--data-dir", str(paths.data_dir), "export-pdf", "--out", str(out)
    )
    assert (code, printed) == (1, "")
    return err


def test_a_log_on_a_full_disk_never_reaches_the_user(
    capsys: pytest.CaptureFixture[str], with_profile: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    (_logs_dir(paths) / LOG_FILENAME).symlink_to(device("full"))
    err = _failing_command(capsys, paths, tmp_path)
    assert_one_clear_line(err, f"cannot write {tmp_path}: it is a folder")


def test_an_unopenable_log_file_never_reaches_the_user(
    capsys: pytest.CaptureFixture[str], with_profile: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    (_logs_dir(paths) / LOG_FILENAME).mkdir()  # a folder where the log (or a rotation) goes
    err = _failing_command(capsys, paths, tmp_path)
    assert_one_clear_line(err, f"cannot write {tmp_path}: it is a folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_logs_folder_never_reaches_the_user(
    capsys: pytest.CaptureFixture[str], with_profile: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    logs = _logs_dir(paths)
    logs.chmod(0o500)
    try:
        err = _failing_command(capsys, paths, tmp_path)
    finally:
        logs.chmod(0o700)
    assert_one_clear_line(err, f"cannot write {tmp_path}: it is a folder")
