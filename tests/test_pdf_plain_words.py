"""The PDF is read by a line manager: it never tells them to use the app's menus, never names
a setting or a file of the app's source, whether its sections are full or empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pdf_sample import EXPORT_DAY, PERIOD, add_review, build_sample, pdf_text
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.services import AppServices

OPTIONS = ExportOptions(PERIOD, export_date=EXPORT_DAY, reproducible=True)
NOT_FOR_A_READER = (
    re.compile(r"→"),  # a menu path ("File → Record appraisal review…")
    re.compile(r"\b\w+\.(md|py|json)\b"),  # a file of the app
    re.compile(r"\bdocs/"),
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # a setting's name (duration_cap, half_life_months)
)


@pytest.mark.parametrize("filled", [True, False], ids=["full", "empty"])
def test_the_pdf_speaks_to_its_reader_in_plain_words(
    with_profile: AppServices, tmp_path: Path, filled: bool
) -> None:
    if filled:
        build_sample(with_profile)
        add_review(with_profile)
    out = tmp_path / "portfolio.pdf"
    export_pdf(with_profile, OPTIONS, out)
    text = " ".join(pdf_text(out).split())
    for pattern in NOT_FOR_A_READER:
        found = pattern.findall(text) and pattern.search(text)
        assert not found, (
            f"{found.group(0)!r} in: …{text[max(0, found.start() - 80) : found.end() + 80]}…"
        )
    if not filled:
        assert "No development goals or reviews are recorded yet." in text
