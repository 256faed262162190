"""`portfolio-app export-pdf`, registered on a parser the way cli/main.py registers it."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from pdf_sample import CONTACT_NAME, PERIOD, build_sample, pdf_text
from portfolio_app.cli import export_command
from portfolio_app.domain.enums import Visibility
from portfolio_app.domain.records import Goal
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, ServiceError


def parser() -> argparse.ArgumentParser:
    built = argparse.ArgumentParser(prog="portfolio-app")
    sub = built.add_subparsers(dest="command", metavar="COMMAND")
    export_command.register(sub)
    return built


def run(paths: AppPaths, *argv: str) -> int:
    args = parser().parse_args(["export-pdf", *argv])
    result: int = args.handler(args, paths)
    return result


FIXED = ("--from", "2026-01-01", "--to", "2026-12-31", "--export-date", "2027-01-05")


def test_writes_the_shared_portfolio(
    services: AppServices, paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_sample(services)
    out = tmp_path / "mine.pdf"
    assert run(paths, "--out", str(out), *FIXED) == 0
    printed = capsys.readouterr()
    assert f"Wrote {out}" in printed.out and "1 activity, 2 lessons" in printed.out
    assert PERIOD.label() in printed.out
    text = pdf_text(out)
    assert "Alphashared" in text and "Bravoprivate" not in text and CONTACT_NAME not in text
    assert float(PdfReader(out).pages[0].mediabox.width) == pytest.approx(595.28, abs=0.01)


def test_options(services: AppServices, paths: AppPaths, tmp_path: Path) -> None:
    build_sample(services)
    out = tmp_path / "all.pdf"
    args = ("--include-private", "--show-names", "--paper", "letter")
    assert run(paths, "--out", str(out), *FIXED, *args) == 0
    text = pdf_text(out)
    assert "Bravoprivate" in text and CONTACT_NAME in text
    assert float(PdfReader(out).pages[0].mediabox.width) == pytest.approx(612.0)


def test_private_goals_only_with_include_private(
    services: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    build_sample(services)
    services.goals.create(Goal("Goalprivate", ("police",), notes="PRIVATE: leaving the council"))
    services.goals.create(Goal("Goalshared", ("police",), visibility=Visibility.SHARED))
    default, everything = tmp_path / "default.pdf", tmp_path / "all.pdf"
    assert run(paths, "--out", str(default), *FIXED) == 0
    text = pdf_text(default)
    assert "Goalshared" in text and "Goalprivate" not in text and "leaving" not in text
    assert run(paths, "--out", str(everything), *FIXED, "--include-private") == 0
    assert "PRIVATE: leaving the council" in pdf_text(everything)


def test_the_export_date_makes_the_output_reproducible(
    services: AppServices, paths: AppPaths, tmp_path: Path
) -> None:
    build_sample(services)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    run(paths, "--out", str(first), *FIXED)
    run(paths, "--out", str(second), *FIXED)
    assert first.read_bytes() == second.read_bytes()


def test_default_period_is_the_twelve_months_to_today() -> None:
    args = parser().parse_args(["export-pdf", "--out", "x.pdf"])
    options = export_command.options_from_args(args, date(2026, 11, 1))
    assert (options.period.start, options.period.end) == (date(2025, 11, 2), date(2026, 11, 1))
    assert not options.include_private and not options.show_names
    assert options.paper.value == "a4" and not options.reproducible
    args = parser().parse_args(["export-pdf", "--out", "x.pdf", "--to", "2026-03-31"])
    options = export_command.options_from_args(args, date(2026, 11, 1))
    assert options.period.start == date(2025, 4, 1)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    args = parser().parse_args(
        ["export-pdf", "--out", "x.pdf", "--from", "2026-05-01", "--to", "2026-04-01"]
    )
    with pytest.raises(InvalidInput, match="--from: 2026-05-01 is after 2026-04-01"):
        export_command.options_from_args(args, date(2026, 11, 1))


def test_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["export-pdf", "--out", "x.pdf", "--from", "May"])
    assert "argument --from: 'May' is not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser().parse_args(["export-pdf", "--out", "x.pdf", "--paper", "a3"])


def test_export_date_is_hidden_from_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["export-pdf", "--help"])
    shown = capsys.readouterr().out
    assert "--include-private" in shown and "--export-date" not in shown


def test_without_a_profile(paths: AppPaths, tmp_path: Path) -> None:
    with pytest.raises(ServiceError):
        run(paths, "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_a_warning_for_characters_that_will_not_print(
    services: AppServices, paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = build_sample(services)
    services.activities.update(replace(sample.shared, title="Alphashared \U00013000"))
    assert run(paths, "--out", str(tmp_path / "w.pdf"), *FIXED) == 0
    assert "warning: 1 character will not print" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["0001-03-01", "1899-12-31", "3000-01-01"])
def test_dates_outside_the_calendar_we_support_are_one_clear_line(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from portfolio_app.cli.main import main as cli_main

    code = cli_main(
        ["--data-dir", str(tmp_path / "d"), "export-pdf", "--to", bad, "--out", "x.pdf"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "out of range" in err and "Traceback" not in err


def test_an_output_folder_that_does_not_exist_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from portfolio_app.cli.main import main as cli_main

    data = str(tmp_path / "d")
    assert (
        cli_main(
            [
                "--data-dir",
                data,
                "init",
                "--name",
                "A",
                "--role",
                "B",
                "--organisation",
                "C",
                "--sector",
                "police",
            ]
        )
        == 0
    )
    capsys.readouterr()
    missing = tmp_path / "missing" / "x.pdf"
    assert cli_main(["--data-dir", data, "export-pdf", "--out", str(missing)]) == 1
    err = capsys.readouterr().err
    assert str(missing.parent) in err and ".partial" not in err
    assert not missing.parent.exists()
