"""The benchmarks' shared harness (benchmarks/harness.py) and `make bench`'s runner
(benchmarks/run_all.py), with tiny runs: the knobs read from the environment, figures recorded
and read back with their ratios, the summary's verdicts, and a benchmark stopped at its share of
the time budget with the figures it recorded before kept. Timings are never asserted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _modules() -> tuple[ModuleType, ModuleType]:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    import harness
    import run_all

    return harness, run_all


harness, run_all = _modules()


def test_runs_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCH_RUNS", raising=False)
    monkeypatch.delenv("BENCH_QUICK", raising=False)
    assert harness.runs(7) == 7
    monkeypatch.setenv("BENCH_QUICK", "1")
    assert harness.runs(7) == 1
    monkeypatch.setenv("BENCH_RUNS", "3")  # an explicit count wins over quick
    assert harness.runs(7) == 3
    monkeypatch.setenv("BENCH_QUICK", "0")
    monkeypatch.delenv("BENCH_RUNS")
    assert not harness.quick()
    assert harness.runs(5) == 5


def test_a_timed_child_runs_with_cached_bytecode_as_an_installed_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This machine's shells set PYTHONDONTWRITEBYTECODE; a timed child runs without it (or
    every run would compile the app's modules again), whichever environment it is given."""
    says = "import os, sys; sys.exit(3 if 'PYTHONDONTWRITEBYTECODE' in os.environ else 0)"
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert harness.child([sys.executable, "-c", says])[0] > 0
    given = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "BENCH_NAME": "Zoë"}
    assert harness.child([sys.executable, "-c", says], given)[0] > 0
    assert harness.as_installed(given) == {
        k: v for k, v in given.items() if k != "PYTHONDONTWRITEBYTECODE"
    }


@pytest.mark.parametrize("text", ["0", "-2", "three", "2.5"])
def test_a_bad_run_count_is_named(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("BENCH_RUNS", text)
    with pytest.raises(SystemExit, match=f"BENCH_RUNS must be a whole number.*{text!r}"):
        harness.runs(5)


def test_figures_are_recorded_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = tmp_path / "figures.jsonl"
    monkeypatch.setenv("BENCH_RESULTS", str(results))
    harness.record("Siân's start, 10k s", 3.0, baseline=0.5, baseline_label="bare", runs=3)
    harness.record("peak, 10k MB", 220, unit="MB", baseline=110)
    harness.record("no baseline", 0.01)
    harness.record("Siân's start, 10k s", 2.0, baseline=0.5)  # recorded again: the later wins
    figures = harness.read_results(results)
    assert list(figures) == ["Siân's start, 10k s", "peak, 10k MB", "no baseline"]
    assert figures["Siân's start, 10k s"].ratio == pytest.approx(4.0)
    assert figures["peak, 10k MB"].ratio == pytest.approx(2.0)
    assert figures["peak, 10k MB"].unit == "MB"
    assert figures["no baseline"].ratio is None
    assert harness.read_results(tmp_path / "missing.jsonl") == {}


def test_without_a_results_file_record_only_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BENCH_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)
    figure = harness.record("alone", 1.5, baseline=0.0)
    assert figure.ratio is None  # a zero baseline gives no ratio, not a division error
    assert list(tmp_path.iterdir()) == []


def test_amounts_and_sizes_read_as_in_the_summary() -> None:
    assert harness.amount(0.0164, "s") == "16.4 ms"
    assert harness.amount(2.345, "s") == "2.35 s"
    assert harness.amount(403.4, "MB") == "403 MB"
    assert harness.amount(None, "s") == "—"
    assert [harness.size_label(n) for n in (1_000, 100_000, 2_500)] == ["1k", "100k", "2,500"]


def test_child_gives_seconds_and_peak_memory() -> None:
    seconds, peak = harness.child([sys.executable, "-c", "b = bytearray(60_000_000)"])
    assert seconds > 0
    assert peak > 55  # MB: the 60 MB buffer is in the child's peak
    with pytest.raises(SystemExit, match="failed \\(exit 3\\)"):
        harness.child([sys.executable, "-c", "raise SystemExit(3)"])


def test_the_summary_names_each_target_and_its_verdict() -> None:
    figures = {
        "portfolio-app --exit-after-start, 10k s": harness.Figure(
            "portfolio-app --exit-after-start, 10k s", 0.6, "s", 0.5
        ),
        "portfolio-app --exit-after-start, 100k s": harness.Figure(
            "portfolio-app --exit-after-start, 100k s", 3.0, "s", 0.5, runs=3
        ),
        "portfolio-app --version": harness.Figure("portfolio-app --version", 0.08, "s", 0.02),
        "something new": harness.Figure("something new", 1.0, "s", 0.25, "bare"),
    }
    lines = run_all.summary(figures, quick=False)
    by_label = {line.split(" | ")[0].lstrip("| "): line for line in lines}
    assert by_label["start to painted, 10k"].endswith("| yes |")  # 1.2x <= 1.5x
    assert (
        "3.00 s, median of 3 | 500.0 ms (bare PySide6 window) | 6.00×"
        in (by_label["start to painted, 100k"])
    )
    assert by_label["start to painted, 100k"].endswith("| **no** |")  # 6x > 2x
    assert by_label["--version"].endswith("| ≤ 300 ms | yes |")
    assert "not measured" in by_label["start to painted, empty"]
    assert "not measured" in by_label["save an edit, 100k"]
    assert "1.00 s | 250.0 ms (bare) | 4.00×" in by_label["something new"]
    assert len(lines) == 2 + len(run_all.TARGETS) + 2  # header, targets, "other", the extra


def test_a_quick_summary_reads_the_10k_figures() -> None:
    key = "scrollToBottom, 10k"
    figures = {key: harness.Figure(key, 0.2, "s", 0.01)}
    lines = run_all.summary(figures, quick=True)
    assert any(line.startswith("| scroll end to end, 10k | 200.0 ms") for line in lines)
    assert any(line.startswith("| score, 100k + 20k contacts |") for line in lines)  # in memory
    assert not any("100k" in line for line in lines if "scroll" in line)


def test_a_bad_budget_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_BUDGET", "ten minutes")
    with pytest.raises(SystemExit, match="BENCH_BUDGET must be a number of seconds"):
        run_all.budget()
    monkeypatch.setenv("BENCH_BUDGET", "42")
    assert run_all.budget() == 42


def test_a_benchmark_is_stopped_at_its_share_and_its_figures_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two scripts in a benchmarks folder of their own: the quick one records a figure; the slow
    one records one, starts a child of its own, then sleeps past the budget. The runner stops
    it (and its child) in the budget and keeps both figures."""
    marker = tmp_path / "child-alive"
    (tmp_path / "bench_a_fast.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(BENCHMARKS)!r})
            import harness
            harness.record("fast, 1k", 0.25, baseline=0.125)
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "bench_b_slow.py").write_text(
        textwrap.dedent(
            f"""
            import subprocess, sys, time
            sys.path.insert(0, {str(BENCHMARKS)!r})
            import harness
            harness.record("slow, first figure", 1.0, baseline=0.5)
            late = "import time, pathlib; time.sleep(30); pathlib.Path(sys.argv[1]).touch()"
            subprocess.Popen([sys.executable, "-c", "import sys;" + late, {str(marker)!r}])
            time.sleep(60)
            harness.record("slow, never reached", 1.0)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    results = tmp_path / "figures.jsonl"
    env = {**os.environ, "BENCH_RESULTS": str(results)}
    began = time.monotonic()
    notes = run_all.run_steps(env, run_all.Clock(8), quick=False, unbuilt=[])
    assert time.monotonic() - began < 30
    figures = harness.read_results(results)
    assert set(figures) == {"fast, 1k", "slow, first figure"}
    assert any(note.startswith("bench_b_slow.py: stopped at its share") for note in notes)
    assert "bench_startup.py: not in this checkout" in notes
    stopped = subprocess.run(["pgrep", "-f", str(marker)], capture_output=True)
    assert stopped.returncode == 1  # the slow script's own child went with it


def test_without_the_100k_set_the_summary_shows_the_10k_figure_without_a_verdict() -> None:
    figures = {
        key: harness.Figure(key, value, unit, base)
        for key, value, unit, base in (
            ("scrollToBottom, 10k", 0.02, "s", 0.01),
            ("portfolio-app --exit-after-start, 10k s", 0.6, "s", 0.5),
            ("portfolio-app --exit-after-start, 10k MB", 210.0, "MB", 70.0),
        )
    }
    lines = run_all.summary(figures, quick=False)
    by_label = {line.split(" | ")[0].lstrip("| "): line for line in lines}
    assert by_label["scroll end to end, 100k"].startswith(
        "| scroll end to end, 100k | at 10k: 20.0 ms | 10.0 ms (SQL ids) | 2.00× | ≤ 50 ms at 100k"
    )
    assert by_label["scroll end to end, 100k"].endswith("| — |")
    assert by_label["peak memory, 100k open"].startswith(
        "| peak memory, 100k open | at 10k: 210 MB"
    )
    assert by_label["start to painted, 10k"].endswith("| yes |")
    assert "not measured" in by_label["start to painted, 100k"]  # its 10k row already shows it
    assert "| *other figures* |" not in lines


def test_a_target_takes_its_figure_under_a_newer_or_an_older_name() -> None:
    names = (
        ("scrollToBottom, 100k", 0.04),  # the older name of the scroll figure
        ("keystroke to the box repainted (worst of 4), 100k", 0.012),
        ("search keystroke ('sian'), 100k", 0.5),  # older; the newer figure wins
    )
    figures = {key: harness.Figure(key, value, "s", 0.01) for key, value in names}
    lines = run_all.summary(figures, quick=False)
    by_label = {line.split(" | ")[0].lstrip("| "): line for line in lines}
    assert by_label["scroll end to end, 100k"].startswith("| scroll end to end, 100k | 40.0 ms")
    assert by_label["scroll end to end, 100k"].endswith("| yes |")
    assert "| 12.0 ms |" in by_label["search keystroke to repaint, 100k"]
    assert by_label["search keystroke to repaint, 100k"].endswith("| yes |")
    assert by_label["search keystroke ('sian'), 100k"]  # not lost: listed with the others


def test_the_save_and_score_cli_targets_read_the_names_their_scripts_record() -> None:
    """bench_dialogs.py records "save activity edit, N" and bench_score_cli.py
    "score_cli_N_vs_python": the summary's rows for those targets read them (a clean-clone
    `make bench` showed both as "not measured" while the figures were in its table)."""
    names = (
        ("save activity edit, 100k", 0.0067, 0.0003),
        ("score_cli_100k_vs_python", 2.44, 0.015),
    )
    figures = {key: harness.Figure(key, value, "s", base) for key, value, base in names}
    lines = run_all.summary(figures, quick=False)
    by_label = {line.split(" | ")[0].lstrip("| "): line for line in lines}
    assert by_label["save an edit, 100k"].startswith("| save an edit, 100k | 6.7 ms")
    assert by_label["save an edit, 100k"].endswith("| yes |")
    assert by_label["portfolio-app score, 100k"].startswith("| portfolio-app score, 100k | 2.44 s")
    assert by_label["portfolio-app score, 100k"].endswith("| **no** |")  # 2.44 s > 2 s
