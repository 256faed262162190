"""The PDF portfolio, read back with pypdf: what it contains, what it must never contain, and that
it is a well-formed document (metadata, outline, embedded fonts, page size)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics

from pdf_sample import (
    CONTACT_JOB,
    CONTACT_NAME,
    EXPORT_DAY,
    NAME,
    OLD_PRIVATE,
    OUTSIDE_MARKERS,
    PERIOD,
    PRIVATE_MARKERS,
    SHARED_MARKERS,
    Sample,
    add_review,
    build_sample,
    font_names,
    outline_titles,
    page_fonts,
    pdf_text,
)
from portfolio_app import __version__
from portfolio_app.charts.fonts import FALLBACK
from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import Activity
from portfolio_app.export.pdf import ExportOptions, ExportResult, Paper, Selection, export_pdf
from portfolio_app.services import AppServices
from portfolio_app.services.progress import Cancelled, Progress

OPTIONS = ExportOptions(PERIOD, export_date=EXPORT_DAY, reproducible=True)


@pytest.fixture
def sample(services: AppServices) -> Sample:
    return build_sample(services)


def export(
    services: AppServices, out: Path, options: ExportOptions = OPTIONS, **changes: object
) -> ExportResult:
    return export_pdf(services, replace(options, **changes), out)  # type: ignore[arg-type]


def test_default_export_has_the_shared_content_and_nothing_private(
    sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out)
    text = pdf_text(out)
    for marker in SHARED_MARKERS:
        assert marker in text, marker
    for marker in (*PRIVATE_MARKERS, *OUTSIDE_MARKERS, OLD_PRIVATE):
        assert marker not in text, marker
    assert CONTACT_NAME not in text and "Zebedee" not in text and "Quillfeather" not in text
    assert CONTACT_JOB not in text and "Notesmarker" not in text
    assert "1 person from Quillhouse Police" in text
    assert result.activities == 1
    assert result.lessons == 2  # the shared activity's lesson and the shared standalone one
    assert result.pages == len(PdfReader(out).pages)
    assert result.warnings == ()


def test_the_outline_has_every_section_and_each_included_activity(
    sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    outline = outline_titles(out)
    sections = [title for level, title in outline if level == 0]
    assert sections == [
        "Summary",
        "Activities",
        "Lessons learned",
        "Development goals",
        "Appraisal review",
        "Appendix: how the breadth score is calculated",
    ]
    activities_at = outline.index((0, "Activities"))
    children = []
    for level, title in outline[activities_at + 1 :]:
        if level == 0:
            break
        children.append(title)
    assert children == [sample.shared.title]
    assert not any("Bravoprivate" in title for _, title in outline)
    assert not any("Charlieoutside" in title for _, title in outline)


def test_outline_entries_point_at_the_pages_they_name(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    reader = PdfReader(out)
    pages = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        assert page is not None
        pages.append(page)
        page_text = " ".join(reader.pages[page].extract_text().split())
        assert str(item.title).split(":")[0] in page_text
    assert pages[0] == 1  # the summary, on page 2
    assert pages == sorted(pages)


def test_metadata(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    meta = PdfReader(out).metadata
    assert meta is not None
    assert meta.title == f"Cross-sector learning portfolio: {NAME}"
    assert meta.author == NAME
    assert meta.subject is not None and PERIOD.label() in meta.subject
    assert meta.creator == f"Portfolio {__version__}"
    assert "appraisal" in str(meta["/Keywords"])


def test_a_name_in_many_scripts_comes_back_exactly(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    text = pdf_text(out)
    assert NAME in text
    assert text.count(NAME) >= 5  # the cover, running headers, the review page
    reader = PdfReader(out)
    assert NAME in reader.pages[0].extract_text()


def test_only_the_embedded_family_is_used(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    names = font_names(out)
    assert names <= {
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSans-Oblique",
        "DejaVuSans-BoldOblique",
    }
    assert "Helvetica" not in names
    for font in page_fonts(out):
        assert str(font["/Subtype"]) == "/TrueType"
        descriptor = font["/FontDescriptor"].get_object()
        assert isinstance(descriptor, DictionaryObject)
        assert "/FontFile2" in descriptor  # the (subset) font program is embedded


def test_user_text_prints_as_typed(sample: Sample, tmp_path: Path) -> None:
    services = sample.services
    services.activities.update(
        replace(
            sample.shared,
            title="<b>Tom & Jerry</b> &amp; <font color=red>x</font>",
            description="Line one\nline two with 'quotes' and \"doubles\" and a tab\there.",
        )
    )
    out = tmp_path / "portfolio.pdf"
    export(services, out)
    text = pdf_text(out)
    assert "<b>Tom & Jerry</b> &amp; <font color=red>x</font>" in text
    assert "'quotes' and \"doubles\"" in text
    assert [t for _, t in outline_titles(out) if "Tom" in t] == [
        "<b>Tom & Jerry</b> &amp; <font color=red>x</font>"
    ]


def test_a_huge_description_breaks_across_pages(sample: Sample, tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(7000))
    huge = ("Hugestart " + words)[:49_980] + " Hugeend"
    huge = huge + "x" * (50_000 - len(huge))
    assert len(huge) == 50_000
    small = tmp_path / "small.pdf"
    export(sample.services, small)
    sample.services.activities.update(replace(sample.shared, description=huge))
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out)
    text = pdf_text(out)
    assert "Hugestart" in text and "Hugeend" in text and "word4000" in text
    assert result.pages >= len(PdfReader(small).pages) + 10


def test_an_unbroken_50000_character_word_still_exports(sample: Sample, tmp_path: Path) -> None:
    sample.services.activities.update(replace(sample.shared, description="Z" * 50_000))
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out)
    assert result.pages > 5
    assert "ZZZZZZZZZZ" in pdf_text(out)


def test_chinese_uses_the_fallback_font(sample: Sample, tmp_path: Path) -> None:
    sample.services.activities.update(
        replace(sample.shared, description="Alphadescription 跨部门合作的经验 and more.")
    )
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out)
    fallback_face = pdfmetrics.getFont(FALLBACK).face.name
    fallback_face = fallback_face.decode() if isinstance(fallback_face, bytes) else fallback_face
    assert fallback_face in font_names(out)
    assert "跨部门合作的经验" in pdf_text(out)
    assert result.warnings == ()


def test_a_character_no_font_has_is_named_in_a_warning(sample: Sample, tmp_path: Path) -> None:
    sample.services.activities.update(
        replace(sample.shared, description="Alphadescription with a hieroglyph \U00013000.")
    )
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out)
    assert len(result.warnings) == 1
    assert "U+13000" in result.warnings[0]
    assert "EGYPTIAN HIEROGLYPH A001" in result.warnings[0]
    assert out.exists()


@pytest.mark.parametrize(
    ("paper", "size"), [(Paper.A4, (595.28, 841.89)), (Paper.LETTER, (612.0, 792.0))]
)
def test_paper_size(
    sample: Sample, tmp_path: Path, paper: Paper, size: tuple[float, float]
) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out, paper=paper)
    for page in PdfReader(out).pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.01)


def test_include_private_includes_everything_in_the_period(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out, include_private=True)
    text = pdf_text(out)
    for marker in SHARED_MARKERS + PRIVATE_MARKERS:
        assert marker in text, marker
    for marker in OUTSIDE_MARKERS:
        assert marker not in text, marker
    assert CONTACT_NAME not in text  # names are a separate choice
    assert "includes private entries" in text
    assert result.activities == 2


def test_show_names(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out, show_names=True)
    text = pdf_text(out)
    assert CONTACT_NAME in text and CONTACT_JOB in text
    assert "Notesmarker" not in text  # notes about people are never exported


def test_an_explicit_selection_is_exactly_what_appears(sample: Sample, tmp_path: Path) -> None:
    alpha = sample.lessons["alpha"]
    assert alpha.id is not None and sample.private.id is not None
    selection = Selection(
        frozenset({sample.private.id}),  # the private one ticked, the shared one unticked
        {alpha.id: frozenset({LessonSection.WHAT_DID_NOT_WORK})},
    )
    out = tmp_path / "portfolio.pdf"
    result = export(sample.services, out, selection=selection)
    text = pdf_text(out)
    assert "Bravoprivate" in text and "Bravodescription" in text
    assert "Alphashared" not in text
    # The private activity's lesson had no section ticked; the shared lesson's activity is out.
    assert "Lessonofprivate" not in text and "Lessonalpha" not in text
    assert "Sectionprivate" not in text
    assert "Standaloneshared" not in text  # a standalone lesson with nothing ticked
    assert result.activities == 1 and result.lessons == 0


def test_the_previous_review_and_progress_against_its_goals(sample: Sample, tmp_path: Path) -> None:
    add_review(sample.services)
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    text = pdf_text(out)
    assert "The last review: 1 Apr 2026" in text
    assert "Reviewername Okonkwo, Head of adult services" in text
    assert "Reviewcomments: good breadth" in text
    assert "Goalmarker: deepen work with the police" in text
    assert "Objectives agreed at that review, and progress since" in text
    assert (0, "Development goals") in outline_titles(out)
    assert (1, "The last review: 1 Apr 2026") in outline_titles(out)


def test_a_review_after_the_period_is_not_the_previous_review(
    sample: Sample, tmp_path: Path
) -> None:
    add_review(sample.services)
    out = tmp_path / "portfolio.pdf"
    early = replace(OPTIONS, period=type(PERIOD)(date(2025, 1, 1), date(2025, 12, 31)))
    export_pdf(sample.services, early, out)
    text = pdf_text(out)
    assert "Reviewcomments" not in text
    assert "Goalmarker" in text  # still a goal, listed among the others


def test_the_same_input_gives_the_same_bytes(sample: Sample, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export(sample.services, first)
    export(sample.services, second)
    assert first.read_bytes() == second.read_bytes()


def test_the_export_date_is_printed(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    export(sample.services, out)
    assert "Exported 5 Jan 2027" in pdf_text(out)


def test_cancel_leaves_no_file_and_keeps_an_old_one(sample: Sample, tmp_path: Path) -> None:
    for extra in range(3):
        sample.services.activities.create(
            Activity(
                ActivityType.TRAINING,
                f"Extra training {extra}",
                date(2026, 6, 1 + extra),
                visibility=Visibility.SHARED,
            )
        )
    out = tmp_path / "portfolio.pdf"
    out.write_bytes(b"the previous export")
    reports: list[tuple[int, int]] = []

    def on_report(done: int, total: int) -> None:
        reports.append((done, total))
        if done >= 4:  # in the middle of laying out the activities
            progress.cancel()

    progress = Progress(on_report=on_report)
    with pytest.raises(Cancelled):
        export_pdf(sample.services, OPTIONS, out, progress)
    assert out.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["portfolio.pdf"]
    assert reports[-1][0] == 4


def test_progress_reaches_the_total(sample: Sample, tmp_path: Path) -> None:
    reports: list[tuple[int, int]] = []
    export_pdf(
        sample.services,
        OPTIONS,
        tmp_path / "portfolio.pdf",
        Progress(on_report=lambda done, total: reports.append((done, total))),
    )
    done, total = reports[-1]
    assert total > 0 and done == total
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


def test_a_failed_write_leaves_no_partial_file(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "a-folder.pdf"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        export(sample.services, target)
    assert target.is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_an_empty_period_still_makes_a_readable_portfolio(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    empty = replace(OPTIONS, period=type(PERIOD)(date(2020, 1, 1), date(2020, 12, 31)))
    result = export_pdf(sample.services, empty, out)
    text = pdf_text(out)
    assert result.activities == 0 and result.lessons == 0
    assert "No activities are shared for this period." in text
    assert "No lessons are shared for this period." in text
    assert "0.0 / 100" in text


def test_very_long_names_and_titles_fit(sample: Sample, tmp_path: Path) -> None:
    services = sample.services
    long_name = "Maximiliana " * 30 + "Ødegård"
    services.profile.set_up(
        name=long_name.strip(),
        role="Role " * 80,
        organisation="Northshire Council",
        sector="adult-social-care",
        force=True,
    )
    services.activities.update(replace(sample.shared, title="Alphashared " + "W" * 288))
    out = tmp_path / "long.pdf"
    result = export(services, out)
    assert result.pages > 3
    assert "Ødegård" in pdf_text(out)
