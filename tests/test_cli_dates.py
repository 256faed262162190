"""Every CLI date option reads the forms the dialogs read, and names the option and the text
when it cannot."""

from __future__ import annotations

import argparse
from datetime import date, timedelta

import pytest

from portfolio_app.cli import export_command
from portfolio_app.cli.arguments import typed_date


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="portfolio-app")
    export_command.register(root.add_subparsers(dest="command", metavar="COMMAND"))
    return root


@pytest.mark.parametrize(
    "text",
    ["15 Mar 2026", "15 March 2026", "15/03/2026", "15/3/26", "2026-03-15", " 15 mar 2026 "],
)
def test_every_form_people_type_is_read(text: str) -> None:
    args = parser().parse_args(["export-pdf", "--out", "x.pdf", "--from", text])
    assert args.start == date(2026, 3, 15)


def test_day_first_as_in_the_uk() -> None:
    assert typed_date("1/9/2026") == date(2026, 9, 1)


def test_relative_words_are_read_on_the_command_line() -> None:
    assert typed_date("today") == date.today()
    assert typed_date("yesterday") == date.today() - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/06/2026", "'31/06/2026': June 2026 has no day 31"),
        ("15/13/2026", "'15/13/2026': there is no month 13 (the day comes first)"),
        ("15 Mxr 2026", "'15 Mxr 2026': 'mxr' is not a month"),
        ("next week", "'next week' is not a date"),
    ],
)
def test_unreadable_dates_name_the_option_and_the_text(
    text: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(["export-pdf", "--out", "x.pdf", "--to", text])
    assert caught.value.code == 2
    assert f"argument --to: {reason}" in capsys.readouterr().err
