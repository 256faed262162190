"""The PDF export prints exactly the text it printed before it was made faster (issue 12).

tests/fixtures/pdf_text/*.txt hold the text pypdf extracts from two exports of a representative
portfolio (tests/pdf_sample.py plus a few dozen activities with long descriptions, lessons and
people, so it runs to many pages), written from the code as it was before the speed work. The
comparison is of the text with whitespace collapsed and page boundaries removed, and with the
page furniture (running header, footer, "Page N of M") taken off each page: a faster layout may
move a page break, but every word must be there in the same order. The furniture is checked on
its own: every page but the cover carries it, numbered 2..M "of M".

Regenerate (only when the wording is meant to change, e.g. issue 13):
    PDF_TEXT_REGENERATE=1 .venv/bin/python -m pytest tests/test_pdf_same_text.py
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from pdf_sample import EXPORT_DAY, NAME, PERIOD, add_review, build_sample
from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.services import AppServices

FIXTURES = Path(__file__).parent / "fixtures" / "pdf_text"
OPTIONS = ExportOptions(PERIOD, export_date=EXPORT_DAY, reproducible=True)
CASES = {
    "default": OPTIONS,
    "private-and-names": replace(OPTIONS, include_private=True, show_names=True),
}
PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")
HEADER = f"{NAME} · Cross-sector learning portfolio {PERIOD.label()}"
FOOTER = re.compile(r"Exported 5 Jan 2027 · (shared entries only|includes private entries)")
TYPES = list(ActivityType)
WORDS = [
    "Siân",
    "Łukasz",
    "Zoë",
    "triage",
    "handover",
    "safeguarding",
    "referral",
    "threshold",
    "partnership",
]


def add_many(services: AppServices) -> None:
    """Forty activities: enough pages for page breaks, outline and furniture to matter."""
    orgs = [
        services.organisations.create(Organisation(f"Łukasz Trust {n}", sector))
        for n, sector in enumerate(("police", "integrated-care-boards", "adult-social-care"))
    ]
    ids = [o.id for o in orgs if o.id is not None]
    contacts = [
        services.contacts.create(
            Contact(f"Zoë Contact {n}", "", (ContactRole(ids[n % 3], "Lead"),))
        )
        for n in range(4)
    ]
    contact_ids = [c.id for c in contacts if c.id is not None]
    for n in range(40):
        text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(30 + 7 * (n % 9)))
        activity = services.activities.create(
            Activity(
                TYPES[n % len(TYPES)],
                f"Activity {n:02d} with Siân at the hub",
                date(2026, 1, 5) + timedelta(days=7 * n),
                date(2026, 1, 5) + timedelta(days=7 * n + n % 3),
                organisation_ids=tuple(ids[: 1 + n % 3]),
                contact_ids=tuple(contact_ids[: n % 4]),
                description=f"{text}.\n\nSecond paragraph {n}: {text[:120]}.",
                visibility=Visibility.PRIVATE if n % 7 == 3 else Visibility.SHARED,
            )
        )
        if n % 3 == 0:
            fields = {s: LessonField() for s in LessonSection}
            fields[LessonSection.WHAT_HAPPENED] = LessonField(f"Happened {n}: {text}", True)
            fields[LessonSection.WHAT_WORKED] = LessonField(f"Worked {n}: Zoë helped.", n % 2 == 0)
            services.lessons.create(
                Lesson(f"Lesson {n} from Łukasz", activity.id, date(2026, 2, 1), sections=fields)
            )


def page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def without_furniture(pages: list[str]) -> str:
    """The pages' text joined, whitespace collapsed, header/footer/page numbers removed."""
    body = [pages[0]]
    for text in pages[1:]:
        text = text.replace(HEADER, "")
        text = FOOTER.sub("", PAGE_NUMBER.sub("", text))
        body.append(text)
    return " ".join(" ".join(body).split())


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_export_prints_the_same_text_as_before(
    services: AppServices, tmp_path: Path, case: str
) -> None:
    build_sample(services)
    add_review(services)
    add_many(services)
    out = tmp_path / f"{case}.pdf"
    result = export_pdf(services, CASES[case], out)
    pages = page_texts(out)
    fixture = FIXTURES / f"{case}.txt"
    if os.environ.get("PDF_TEXT_REGENERATE"):
        fixture.write_text("\f\n".join(pages) + "\n", encoding="utf-8")
    before = fixture.read_text(encoding="utf-8").rstrip("\n").split("\f\n")
    assert without_furniture(pages) == without_furniture(before)
    assert NAME in pages[0]
    assert all(HEADER in text and FOOTER.search(text) for text in pages[1:])
    assert result.pages == len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert PAGE_NUMBER.findall(text) == [(str(number), str(len(pages)))], text


def test_reportlab_uses_its_c_accelerator() -> None:
    """rl-accel (a dependency) replaces reportlab's pure-Python string widths and formatting."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.instanceStringWidthTTF).__name__ == "builtin_function_or_method"
    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
