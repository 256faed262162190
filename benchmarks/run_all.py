"""`make bench`: every figure of issue 12's target table, each beside a baseline measured in the
same run, with the ratio (medians), then a summary table, within a time budget.

1. Data sets: the cached 1k, 10k and 100k sets (benchmarks/dataset.py, under benchmarks/.cache/)
   are built if missing, so a clean clone builds them here: the 100k set in one process and the
   1k and 10k sets in another beside it (two cores).
2. Each bench_*.py in turn, a process of its own, printing its own lines; each figure is also
   recorded through benchmarks/harness.py into a results file. A script gets a share of what is
   left of the budget by its weight; one still running at the end of its share is stopped (its
   figures so far are kept, the rest show as not measured), so the whole run ends in the budget.
   A bench_*.py not listed in STEPS runs last with no arguments.
3. The summary: each target's figure, its baseline, the ratio, the target and whether it is met;
   then any other figure the scripts recorded.

Environment: BENCH_BUDGET (seconds for the whole run, builds included; default 570),
BENCH_RUNS (runs per figure; default 3 here, so each figure is a median of 3), BENCH_QUICK=1
(one run per figure, the 10k set where the full run takes 100k, no 100k build: a check that
everything runs, not figures to quote).
Run with `make bench` or `.venv/bin/python benchmarks/run_all.py [--results FILE]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dataset
import harness

from portfolio_app.paths import AppPaths

HERE = Path(__file__).resolve().parent

BUDGET_ENV = "BENCH_BUDGET"
DEFAULT_BUDGET = 570.0  # seconds: under the 10 minutes `make bench` may take on a clean clone
PYTHON = sys.executable
SIZES = (1_000, 10_000, 100_000)
BENCH_RESERVE = 150.0  # seconds kept for the benchmarks however long the builds take
DEFAULT_RUNS = 3  # each figure the median of 3 runs unless BENCH_RUNS says otherwise


@dataclass(frozen=True)
class Step:
    script: str
    args: tuple[str, ...]  # the full run
    quick_args: tuple[str, ...] | None  # a quick run (None: skipped in a quick run)
    weight: float  # its expected share of the time
    needs: tuple[int, ...]  # the data sets it reads (full run; quick: 100k is 10k)


STEPS = (
    Step("bench_startup.py", (), (), 1, ()),
    Step("bench_scoring.py", (), (), 1, ()),
    Step(
        "bench_pdf_export.py", ("--sizes", "1000", "10000"), ("--sizes", "1000"), 2, (1_000, 10_000)
    ),
    Step("bench_gui_startup.py", ("empty", "10k", "100k"), ("empty", "10k"), 4, (10_000, 100_000)),
    Step("bench_score_cli.py", (), None, 2, (100_000,)),
    Step("bench_tables.py", ("--sizes", "100000"), ("--sizes", "10000"), 2, (100_000,)),
    Step("bench_dialogs.py", ("--sizes", "100000"), ("--sizes", "10000"), 2, (100_000,)),
    Step("bench_csv.py", ("--activities", "100000"), ("--activities", "10000"), 3, (100_000,)),
)


@dataclass(frozen=True)
class Target:
    """One row of issue 12's target table: the figure recorded under `key`, its baseline, and
    the limit on either the ratio to that baseline or the value itself."""

    label: str
    key: str
    baseline: str
    limit: float
    on: str  # "ratio" or "value"
    scaled: bool = True  # a quick run measures it at 10k where the full run takes 100k
    also: tuple[str, ...] = ()  # other names of the same figure (older scripts), in order

    def text(self) -> str:
        if self.on == "ratio":
            return f"≤ {self.limit:g}× baseline"
        if self.key.endswith(" MB"):
            return f"≤ {self.limit:g} MB"
        return f"≤ {self.limit * 1000:g} ms" if self.limit < 1 else f"≤ {self.limit:g} s"

    def met(self, figure: harness.Figure) -> bool | None:
        value = figure.ratio if self.on == "ratio" else figure.value
        return None if value is None else value <= self.limit


START = "portfolio-app --exit-after-start"
BARE = "bare PySide6 window"
TARGETS = (
    Target("start to painted, empty", f"{START}, empty s", BARE, 1.5, "ratio"),
    Target("start to painted, 10k", f"{START}, 10k s", BARE, 1.5, "ratio"),
    Target("start to painted, 100k", f"{START}, 100k s", BARE, 2.0, "ratio"),
    Target("peak memory, 100k open", f"{START}, 100k MB", f"{BARE}'s peak", 400, "value"),
    Target("--version", "portfolio-app --version", "python -c pass", 0.3, "value"),
    Target("--help", "portfolio-app --help", "python -c pass", 0.3, "value"),
    Target(
        "search keystroke to repaint, 100k",
        "keystroke to the box repainted (worst of 4), 100k",
        "SQL ids",
        0.016,
        "value",
        also=("search keystroke ('sian'), 100k", "search keystroke ('s'), 100k"),
    ),
    Target(
        "scroll end to end, 100k",
        "scroll to the end, 100k",
        "SQL ids",
        0.05,
        "value",
        also=("scrollToBottom, 100k",),
    ),
    Target("open new activity, 100k", "new activity, 100k", "bare QDialog", 0.05, "value"),
    Target("open an activity, 100k", "edit activity, 100k", "bare QDialog", 0.05, "value"),
    Target("open new lesson, 100k", "new lesson, 100k", "bare QDialog", 0.05, "value"),
    Target("open a lesson, 100k", "edit lesson, 100k", "bare QDialog", 0.05, "value"),
    Target(
        "save an edit, 100k",
        "save an edit, 100k",
        "bare QDialog",
        0.05,
        "value",
        also=("save activity edit, 100k",),  # bench_dialogs.py's name for it
    ),
    Target("score, 100k + 20k contacts", "score in memory, 100k", "one pass", 0.2, "value", False),
    Target("PDF of 1k with lessons", "PDF 1k", "plain platypus", 2.0, "ratio"),
    Target(
        "PDF linear to 10k (per activity)", "PDF per activity 10k", "1k per activity", 1.2, "ratio"
    ),
    Target("import-csv 100k", "import-csv 100k s", "stdlib csv+sqlite3", 3.0, "ratio"),
    Target("import-csv 100k peak", "import-csv 100k MB", "stdlib's peak", 400, "value"),
    Target("export-csv 100k", "export-csv 100k s", "stdlib csv over sqlite3", 2.0, "ratio"),
    Target("export-csv 100k peak", "export-csv 100k MB", "stdlib's peak", 100, "value"),
    Target(
        "portfolio-app score, 100k",
        "portfolio-app score, 100k",
        "python -c pass",
        2.0,
        "value",
        also=("score_cli_100k_vs_python",),  # bench_score_cli.py's name for it
    ),
)


def budget() -> float:
    text = os.environ.get(BUDGET_ENV, "").strip()
    if not text:
        return DEFAULT_BUDGET
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise SystemExit(f"{BUDGET_ENV} must be a number of seconds above 0, not {text!r}")
    return value


def quick_key(key: str) -> str:
    """A quick run measures at 10k what the full run measures at 100k."""
    return key.replace("100k", "10k")


class Clock:
    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.seconds = seconds

    def spent(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return self.seconds - self.spent()


def run_bounded(command: list[str], env: dict[str, str], seconds: float) -> int | None:
    """Run `command` (its output straight through); its exit code, or None when stopped at
    `seconds` (the whole process group: a benchmark's own children go with it)."""
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        return process.wait(timeout=max(seconds, 1.0))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return None
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def missing_sets(sizes: Sequence[int]) -> list[int]:
    """The sizes whose cached data set is not built yet (the test dataset.cached makes)."""
    cache = dataset.CACHE_DIR
    return [
        size
        for size in sizes
        if not AppPaths.resolve(cache / dataset.Spec(activities=size).key).database.is_file()
    ]


def build_sets(sizes: list[int], env: dict[str, str], clock: Clock, reserve: float) -> list[int]:
    """Build the missing data sets side by side (the largest alone); the sizes still missing."""
    if not sizes:
        return []
    print(f"== building data sets: {', '.join(harness.size_label(s) for s in sizes)}", flush=True)
    began = time.monotonic()
    largest = max(sizes)
    groups = [[largest], [s for s in sizes if s != largest]]
    processes = []
    for group in (g for g in groups if g):
        command = [PYTHON, str(HERE / "dataset.py")]
        for size in group:
            command += ["--activities", str(size)]
        processes.append(subprocess.Popen(command, env=env, start_new_session=True))
    deadline = time.monotonic() + max(clock.left() - reserve, 1.0)
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            for partial in dataset.CACHE_DIR.glob(f".*.partial-{process.pid}"):
                shutil.rmtree(partial, ignore_errors=True)  # what the stopped build left
    still = missing_sets(sizes)
    print(f"   data sets: {time.monotonic() - began:.0f} s", flush=True)
    for size in still:
        print(f"   the {harness.size_label(size)} set was not built within the budget", flush=True)
    return still


def steps() -> list[Step]:
    """STEPS, then any other bench_*.py with no arguments."""
    known = {step.script for step in STEPS}
    others = sorted(path.name for path in HERE.glob("bench_*.py") if path.name not in known)
    return [*STEPS, *(Step(name, (), None, 1, (100_000,)) for name in others)]


def run_steps(env: dict[str, str], clock: Clock, quick: bool, unbuilt: list[int]) -> list[str]:
    """Run each benchmark in its share of the budget; notes on those not run to the end."""
    notes: list[str] = []
    todo = [step for step in steps() if (HERE / step.script).is_file()]
    for missing in (step.script for step in STEPS if not (HERE / step.script).is_file()):
        notes.append(f"{missing}: not in this checkout")
    for index, step in enumerate(todo):
        args = step.quick_args if quick else step.args
        needs = [10_000 if quick and size == 100_000 else size for size in step.needs]
        if args is None:
            notes.append(f"{step.script}: not run in a quick run")
            continue
        if any(size in unbuilt for size in needs):
            smaller = [10_000 if size == 100_000 else size for size in step.needs]
            if quick or step.quick_args is None or any(size in unbuilt for size in smaller):
                notes.append(f"{step.script}: skipped, its data set was not built in the budget")
                continue
            args = step.quick_args
            notes.append(f"{step.script}: ran at 10k, the 100k set was not built in the budget")
        weights = sum(later.weight for later in todo[index:])
        share = min(clock.left(), max(clock.left() * step.weight / weights * 1.5, 10))
        if share < 5:
            notes.append(f"{step.script}: not run, the time budget was spent")
            continue
        print(f"\n== {step.script} {' '.join(args)}  (at most {share:.0f} s)", flush=True)
        began = time.monotonic()
        code = run_bounded([PYTHON, str(HERE / step.script), *args], env, share)
        took = time.monotonic() - began
        print(f"   {step.script}: {took:.0f} s", flush=True)
        if code is None:
            notes.append(f"{step.script}: stopped at its share of the budget ({share:.0f} s)")
        elif code != 0:
            notes.append(f"{step.script}: failed (exit {code})")
    return notes


def summary(figures: dict[str, harness.Figure], quick: bool) -> list[str]:
    """The summary table's lines (Markdown, so docs/performance.md can quote it)."""
    lines = [
        "| figure | measured | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    shown: set[str] = set()
    for target in TARGETS:
        scaled = quick and target.scaled
        keys = [quick_key(k) if scaled else k for k in (target.key, *target.also)]
        label = quick_key(target.label) if scaled else target.label
        key = next((k for k in keys if k in figures), keys[0])
        if key in shown:
            continue
        shown.add(key)
        figure = figures.get(key)
        if figure is None and target.scaled:  # the 100k set was not built: its 10k figure
            small = next((quick_key(k) for k in keys if quick_key(k) in figures), None)
            if small is not None and small not in shown:
                shown.add(small)
                row = _row(figures[small], target.baseline)
                lines.append(f"| {label} | at 10k: {row} | {target.text()} at 100k | — |")
                continue
        if figure is None:
            lines.append(
                f"| {label} | not measured | {target.baseline} | — | {target.text()} | — |"
            )
            continue
        met = target.met(figure)
        verdict = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {label} | {_row(figure, target.baseline)} | {target.text()} | {verdict} |")
    others = [figure for key, figure in figures.items() if key not in shown]
    if others:
        lines.append("| *other figures* | | | | | |")
        for figure in others:
            lines.append(f"| {figure.key} | {_row(figure, figure.baseline_label)} | | |")
    return lines


def _row(figure: harness.Figure, baseline_label: str) -> str:
    base = harness.amount(figure.baseline, figure.unit)
    if baseline_label and figure.baseline is not None:
        base = f"{base} ({baseline_label})"
    ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}×"
    runs = f", median of {figure.runs}" if figure.runs and figure.runs > 1 else ""
    return f"{harness.amount(figure.value, figure.unit)}{runs} | {base} | {ratio}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=Path, help="also keep the figures (JSON lines) here")
    args = parser.parse_args(argv)
    clock = Clock(budget())
    quick = harness.quick()
    with tempfile.TemporaryDirectory(prefix="bench-results-") as folder:
        results = Path(folder) / "figures.jsonl"
        env = {**os.environ, harness.RESULTS_ENV: str(results)}
        env.setdefault(harness.RUNS_ENV, "1" if quick else str(DEFAULT_RUNS))
        env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM") or "offscreen"
        print(
            f"make bench: budget {clock.seconds:.0f} s, "
            f"{'quick run (one run each, 10k for 100k)' if quick else 'full run'}, "
            f"{os.cpu_count()} cores",
            flush=True,
        )
        wanted = [size for size in SIZES if not (quick and size == 100_000)]
        unbuilt = build_sets(missing_sets(wanted), env, clock, reserve=BENCH_RESERVE)
        notes = run_steps(env, clock, quick, unbuilt)
        figures = harness.read_results(results)
        if args.results is not None and results.is_file():
            shutil.copyfile(results, args.results)
    print(f"\n== summary ({clock.spent():.0f} s in all; medians; baselines from this run)")
    for line in summary(figures, quick):
        print(line)
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
