"""A section that runs onto another page says so at the top of that page ("Activities
(continued)"), so a manager leafing through knows where they are; a page that opens with a
section's own heading, and the cover, do not."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from pdf_sample import add_review, build_sample
from portfolio_app.export.pdf import export_pdf
from portfolio_app.services import AppServices
from test_pdf_same_text import OPTIONS, add_many

CONTINUED = re.compile(r"^(.+) \(continued\)$", re.MULTILINE)


def test_pages_that_go_on_with_a_section_name_it(services: AppServices, tmp_path: Path) -> None:
    build_sample(services)
    add_review(services)
    add_many(services)
    out = tmp_path / "portfolio.pdf"
    export_pdf(services, OPTIONS, out)
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert not CONTINUED.search(pages[0])  # the cover
    seen: list[str] = []  # the section headings so far, in order
    continued: list[str] = []
    for text in pages[1:]:
        found = CONTINUED.findall(text)
        assert len(found) <= 1
        if found:
            section = found[0]
            assert seen and seen[-1] == section, (section, seen)  # the one still running
            continued.append(section)
        for heading in ("Summary", "Activities", "Development goals", "Appraisal review"):
            if re.search(rf"^{heading}$", text, re.MULTILINE) and heading not in seen:
                assert heading not in found  # the page that opens a section does not go on with it
                seen.append(heading)
        if "Appendix: how the breadth score is calculated" in text and not found:
            seen.append("Appendix: how the breadth score is calculated")
    assert continued.count("Activities") >= 5
    opening = next(text for text in pages if "Timeline" in text)  # the activities' first page
    assert not CONTINUED.search(opening)
    assert "Appendix: how the breadth score is calculated" in continued
