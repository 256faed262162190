"""Argument types shared by the CLI's commands."""

from __future__ import annotations

import argparse
from datetime import date

from portfolio_app.domain.dates import DateParseError, parse_date


def typed_date(text: str) -> date:
    """A date in any form the dialogs accept ('15 Mar 2026', '15/03/2026', '2026-03-15',
    'today'); anything else is a usage error, which argparse prints after the option's name."""
    try:
        return parse_date(text, relative=True)
    except DateParseError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
