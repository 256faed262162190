"""What the benchmarks share: runs and quick mode read from the environment, medians, ratios,
child processes' time and peak memory, and each figure recorded for the summary that
benchmarks/run_all.py (`make bench`) prints at the end.

Environment, read by every bench_*.py through this module:
- BENCH_RUNS: runs per figure (each figure is the median of its runs); default: the script's own.
- BENCH_QUICK=1: one run per figure (run_all also takes the 10k set where the full run takes
  100k), a quick check that everything still runs, not figures to quote.
- BENCH_RESULTS: a file each figure is appended to as one JSON line (run_all sets it); unset,
  `record` only returns the figure.

A script prints its own lines as before and calls `record(key, value, baseline=...)` for each
figure: the value and its baseline measured in the same run (same units), so the summary gives
the ratio beside the absolute figure.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

RUNS_ENV = "BENCH_RUNS"
QUICK_ENV = "BENCH_QUICK"
RESULTS_ENV = "BENCH_RESULTS"


def quick() -> bool:
    """True when BENCH_QUICK asks for a quick run (any value but empty, 0, no, false)."""
    return os.environ.get(QUICK_ENV, "").strip().lower() not in ("", "0", "no", "false")


def runs(default: int) -> int:
    """Runs per figure: BENCH_RUNS if set, else 1 in a quick run, else `default`."""
    text = os.environ.get(RUNS_ENV, "").strip()
    if text:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise SystemExit(f"{RUNS_ENV} must be a whole number of at least 1, not {text!r}")
        return value
    return 1 if quick() else default


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def median_seconds(action: Callable[[], object], count: int) -> float:
    """The median wall time of `count` calls of `action`."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return median(times)


def as_installed(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without PYTHONDONTWRITEBYTECODE: an installed app has its modules' bytecode
    cached, and with that variable set (this machine's shells set it) every run compiles
    them all again (0.1-0.3 s of each CLI or window start)."""
    return {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}


def child(command: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process run to its end (exit 0), its
    modules' bytecode cached as an installed app's is (`as_installed`)."""
    started = time.perf_counter()
    environment = as_installed(os.environ if env is None else env)
    process = subprocess.Popen(list(command), env=environment, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed (exit {process.returncode})")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


@dataclass(frozen=True)
class Figure:
    """One measured figure: `value` and its `baseline` in the same unit ("s" or "MB")."""

    key: str
    value: float
    unit: str = "s"
    baseline: float | None = None
    baseline_label: str = ""
    runs: int | None = None  # how many runs the value is the median of, when known

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline


def record(
    key: str,
    value: float,
    *,
    unit: str = "s",
    baseline: float | None = None,
    baseline_label: str = "",
    runs: int | None = None,
) -> Figure:
    """The figure, appended to the BENCH_RESULTS file when run_all collects them."""
    figure = Figure(key, float(value), unit, baseline, baseline_label, runs)
    target = os.environ.get(RESULTS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as results:
            results.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")
    return figure


def size_label(activities: int) -> str:
    """1000 -> "1k", 100000 -> "100k" (the data sets' names in figure keys)."""
    return f"{activities // 1000}k" if activities % 1000 == 0 else f"{activities:,}"


def read_results(path: Path) -> dict[str, Figure]:
    """The figures recorded in `path` by key (a key recorded twice: the later one)."""
    figures: dict[str, Figure] = {}
    if not path.is_file():
        return figures
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            figure = Figure(**json.loads(line))
            figures[figure.key] = figure
    return figures


def amount(value: float | None, unit: str) -> str:
    """`value` for a table: seconds below one as milliseconds, megabytes whole."""
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} {unit}".rstrip()
