"""Argument types shared by the CLI's commands."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """A YYYY-MM-DD date; anything else is a usage error that argparse reports in one line."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None
