"""Time the main window's tables on the cached data sets (default 10k; `--sizes 10000 100000`).

On a private copy of each set (benchmarks/dataset.py): building the main window (and the
memory it adds), refreshing every list, the search box (a real key event to the box repainted;
the keystrokes to the list shown, the search running on a worker; the FTS5 query alone), scroll
end to end on the activity list, a sort by title and the refresh after a lesson is added.
The baseline, measured in the same run, is one plain SQL query reading every activity's id
and title in the list's order: the least any list of them must do; the keystroke figures are
also given beside a key event to a bare QLineEdit (repainted) and against a 16 ms frame. Each
figure is printed in seconds and as a ratio to the SQL baseline. Run with `make bench` or
`.venv/bin/python benchmarks/bench_tables.py`. Timings are of one run each, on a machine
others may share.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset
import harness
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import text

from portfolio_app.domain.records import Lesson
from portfolio_app.services import AppServices, search
from portfolio_app.ui.views.entity_page import EntityPage


def rss_mb() -> float:
    """This process's resident memory (Linux), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    QApplication.processEvents()
    return time.perf_counter() - started


def baseline(services: AppServices) -> float:
    def read() -> None:
        with services.db.transaction() as session:
            session.execute(
                text("SELECT id, title FROM activities ORDER BY start_date DESC, id DESC")
            ).all()

    read()  # warm the page cache as the window's own first reads are
    return min(timed(read) for _ in range(3))


def repainted(widget: QLineEdit, key: str) -> float:
    """A real key event to `widget`, until it has repainted (its events processed)."""
    started = time.perf_counter()
    QTest.keyClicks(widget, key)
    widget.repaint()
    QApplication.processEvents()
    return time.perf_counter() - started


def settled(page: EntityPage) -> None:
    while page.search_pending():
        QApplication.processEvents()
        time.sleep(0.001)
    QApplication.processEvents()


def search_box(page: EntityPage, services: AppServices) -> list[tuple[str, float]]:
    """The search box typed into with real key events; the list's search on its worker."""
    bare = QLineEdit()
    bare.show()
    bare_key = min(repainted(bare, "s") for _ in range(5))
    page.search.setFocus()
    out = [(f"keystroke, bare QLineEdit (frame 16 ms): {bare_key * 1000:.1f} ms", bare_key)]
    # Each keystroke alone, to the box repainted (the search starts later, off the UI thread).
    keys = []
    for key in "sian":
        keys.append(repainted(page.search, key))
    settled(page)
    out.append(("keystroke to the box repainted (worst of 4)", max(keys)))
    page.search.clear()
    settled(page)
    # The same while the worker searches (it shares the interpreter with the UI thread).
    QTest.keyClicks(page.search, "s")
    while not page.model.search_pending():
        QApplication.processEvents()
    keys = [repainted(page.search, key) for key in "ian"]
    out.append(("keystroke while a search runs (worst of 3)", max(keys)))
    settled(page)
    page.search.clear()
    settled(page)
    for typed in ("s", "sian"):
        started = time.perf_counter()
        for key in typed:
            QTest.keyClicks(page.search, key)
        settled(page)
        out.append((f"keystrokes to the list shown ({typed!r})", time.perf_counter() - started))
        page.search.clear()
        settled(page)
    for typed in ("s", "si", "sian"):

        def match(text: str = typed) -> None:
            services.tables.matching("activity", text)

        out.append((f"FTS5 matching ids ({typed!r})", min(timed(match) for _ in range(3))))
    # The FTS5 query alone (revision 0010's prefix index answers one and two letters).
    query = search.matching_ids(None, "activity", "s")  # type: ignore[arg-type]  # unused

    def fts_alone() -> None:
        with services.db.transaction() as session:
            session.execute(query).all()

    out.append(("FTS5 query alone ('s')", min(timed(fts_alone) for _ in range(3))))
    bare.close()
    return out


def measure(app: QApplication, size: int, folder: Path) -> list[tuple[str, float]]:
    from portfolio_app.ui.main_window import MainWindow

    data_dir = dataset.copy_of(dataset.Spec(activities=size), folder / f"d{size}")
    with dataset.unlocked():
        services = dataset.open_dataset(data_dir)
    figures: list[tuple[str, float]] = [("baseline: SQL ids and titles in order", 0.0)]
    figures[0] = (figures[0][0], baseline(services))
    gc.collect()
    before = rss_mb()
    holder: list[MainWindow] = []
    figures.append(("build the main window", timed(lambda: holder.append(MainWindow(services)))))
    gc.collect()
    added = rss_mb() - before
    window = holder[0]
    window.show()
    window.go_to_page(1)
    QApplication.processEvents()
    page = window.activities_page
    figures.append(("refresh every list", timed(window.reload)))

    def keystroke(typed: str) -> Callable[[], None]:
        def run() -> None:
            page.search.setText(typed)
            page.apply_search()

        return run

    figures.append(("search at once, Enter ('s')", timed(keystroke("s"))))
    figures.append(("search at once, Enter ('sian')", timed(keystroke("sian"))))
    page.search.setText("")
    page.apply_search()
    figures.extend(search_box(page, services))
    figures.append(("scroll to the end", timed(page.table.scrollToBottom)))
    figures.append(("scroll back to the top", timed(page.table.scrollToTop)))
    figures.append(
        (
            "sort by title",
            timed(lambda: page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)),
        )
    )
    figures.append(
        (
            "add a lesson (its views refreshed)",
            timed(lambda: window.add_record("lesson", Lesson("Siân's benchmark lesson"))),
        )
    )
    print(f"\n{size} activities: the window adds {added:.0f} MB of memory")
    window.outside_changes.stop()
    window.auto_backup.wait()
    services.close()
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="bench-tables-") as folder:
        for size in args.sizes:
            figures = measure(app, size, Path(folder))
            base = figures[0][1] or 1e-9
            for name, seconds in figures:
                print(f"  {name:<40} {seconds:8.3f} s  {seconds / base:8.1f}x")
                harness.record(f"{name}, {harness.size_label(size)}", seconds, baseline=base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
