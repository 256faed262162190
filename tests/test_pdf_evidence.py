"""The PDF lists the names of shared evidence under its shared activity: never a private file,
never the files of a private activity or of a lesson, never a file's contents."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pdf_sample import EXPORT_DAY, PERIOD, Sample, build_sample, pdf_text
from portfolio_app.domain.enums import Visibility
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.export.pdf.content import build_content
from portfolio_app.services import AppServices

OPTIONS = ExportOptions(PERIOD, export_date=EXPORT_DAY, reproducible=True)
CONTENTS = b"Contentsmarker: the file itself never goes in."
SHOWN = ("Siân's agenda.pdf", "Łukasz – notes.txt")
HIDDEN = (
    "Privatefilemarker.pdf",  # private, on the shared activity
    "Ofprivateactivity.png",  # shared, on the private activity
    "Oflessonmarker.txt",  # shared, on a lesson of the shared activity
)


@pytest.fixture
def sample(services: AppServices) -> Sample:
    sample = build_sample(services)
    shared_id, private_id = sample.shared.id, sample.private.id
    lesson_id = sample.lessons["alpha"].id
    add = services.evidence.add
    for name in SHOWN:
        add(name, CONTENTS, activity_id=shared_id, visibility=Visibility.SHARED)
    add(HIDDEN[0], CONTENTS, activity_id=shared_id)
    add(HIDDEN[1], CONTENTS, activity_id=private_id, visibility=Visibility.SHARED)
    add(HIDDEN[2], CONTENTS, lesson_id=lesson_id, visibility=Visibility.SHARED)
    return sample


def test_the_content_names_only_shared_files_of_shared_activities(sample: Sample) -> None:
    content = build_content(sample.services, OPTIONS)
    assert {a.title: a.evidence for a in content.activities} == {sample.shared.title: SHOWN}
    # Even asked for private content, the private activity's files and private files stay out.
    everything = build_content(sample.services, replace(OPTIONS, include_private=True))
    assert {a.title: a.evidence for a in everything.activities} == {
        sample.shared.title: SHOWN,
        sample.private.title: (),
    }


def test_the_pdf_lists_the_names_under_their_activity(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export_pdf(sample.services, OPTIONS, out)
    text = pdf_text(out)
    assert f"Evidence: {SHOWN[0]}; {SHOWN[1]}" in text
    # Under the shared activity: after its title, before the next activity's.
    assert text.index(sample.shared.title) < text.index("Evidence:")
    assert not [name for name in HIDDEN if name in text]
    assert "Contentsmarker" not in text

    private = tmp_path / "with-private.pdf"
    export_pdf(sample.services, replace(OPTIONS, include_private=True), private)
    text = pdf_text(private)
    assert sample.private.title in text  # the private activity is in...
    assert not [name for name in HIDDEN if name in text]  # ...without its files
    assert text.count("Evidence:") == 1


def test_sharing_a_file_later_puts_its_name_in(sample: Sample, tmp_path: Path) -> None:
    services = sample.services
    [private_file] = [e for e in services.evidence.list_all() if e.name == HIDDEN[0]]
    assert private_file.id is not None
    services.evidence.set_visibility(private_file.id, Visibility.SHARED)
    out = tmp_path / "portfolio.pdf"
    export_pdf(services, OPTIONS, out)
    assert HIDDEN[0] in pdf_text(out)
