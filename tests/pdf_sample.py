"""A small portfolio for the PDF tests: every piece of text carries a distinctive marker word, so
a test can search the extracted PDF text for exactly what must (or must not) be there."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject

from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.export.periods import Period
from portfolio_app.services import AppServices

NAME = "Siân Łukasz Zoë Ødegård Ψυχή Юлия"
PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
EXPORT_DAY = date(2027, 1, 5)
CONTACT_NAME = "Zebedee Quillfeather"
CONTACT_JOB = "Jobtitlemarker inspector"

# Text that must appear by default.
SHARED_MARKERS = (
    "Alphashared",  # shared activity title
    "Alphadescription",  # its description
    "Lessonalpha",  # a lesson of it
    "Sectionshared",  # a shared section of that lesson
    "Standaloneshared",  # a shared standalone lesson
    "Standalonesection",
    "Quillhouse Police",  # the contact's organisation (names hidden, organisation shown)
)
# Text that must never appear unless asked for.
PRIVATE_MARKERS = (
    "Bravoprivate",  # private activity title
    "Bravodescription",
    "Lessonofprivate",  # a lesson (with a shared section) of the private activity
    "Orphansection",
    "Sectionprivate",  # a private section of a shared lesson
    "Hiddenlesson",  # a standalone lesson with no shared section
    "Hiddensection",
)
# Shared, but before the period: the activity may be named in the appendix as a contribution to
# the score (it still counts), never as an entry; its lessons never appear.
OUTSIDE_MARKERS = ("Outsidelesson", "Outsidesection")
OLD_PRIVATE = "Deltaprivateold"  # private and before the period: never anywhere by default


@dataclass
class Sample:
    services: AppServices
    shared: Activity
    private: Activity
    outside: Activity
    lessons: dict[str, Lesson] = field(default_factory=dict)


def _lesson(
    title: str, activity: Activity | None, recorded: date, **sections: tuple[str, bool]
) -> Lesson:
    fields = {s: LessonField() for s in LessonSection}
    for key, (text, shared) in sections.items():
        fields[LessonSection(key)] = LessonField(text, shared)
    return Lesson(title, activity.id if activity else None, recorded_on=recorded, sections=fields)


def build_sample(services: AppServices) -> Sample:
    services.profile.set_up(
        name=NAME,
        role="Senior social worker",
        organisation="Northshire Council",
        sector="adult-social-care",
        force=True,
    )
    police = services.organisations.create(Organisation("Quillhouse Police", "police"))
    icb = services.organisations.create(
        Organisation("Northshire Integrated Care Board", "integrated-care-boards")
    )
    assert police.id is not None and icb.id is not None
    contact = services.contacts.create(
        Contact(CONTACT_NAME, "Notesmarker", (ContactRole(police.id, CONTACT_JOB),))
    )
    assert contact.id is not None
    shared = services.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Alphashared shadowing at the police hub",
            date(2026, 3, 10),
            organisation_ids=(police.id,),
            contact_ids=(contact.id,),
            description="Alphadescription: followed two concerns from first call to decision.",
            visibility=Visibility.SHARED,
        )
    )
    private = services.activities.create(
        Activity(
            ActivityType.SECONDMENT,
            "Bravoprivate secondment to the ICB",
            date(2026, 5, 1),
            date(2026, 7, 31),
            organisation_ids=(icb.id,),
            description="Bravodescription: something the author keeps to themselves.",
            visibility=Visibility.PRIVATE,
        )
    )
    outside = services.activities.create(
        Activity(
            ActivityType.PEER_EVENT,
            "Charlieoutside network meeting",
            date(2025, 6, 1),
            organisation_ids=(icb.id,),
            visibility=Visibility.SHARED,
        )
    )
    services.activities.create(
        Activity(
            ActivityType.JOINT_PROJECT,
            f"{OLD_PRIVATE} project",
            date(2025, 9, 1),
            organisation_ids=(police.id,),
            visibility=Visibility.PRIVATE,
        )
    )
    sample = Sample(services, shared, private, outside)
    for key, lesson in {
        "alpha": _lesson(
            "Lessonalpha: ask what partners worry about",
            shared,
            date(2026, 3, 12),
            what_happened=("Sectionshared: the hub screens many notifications.", True),
            what_did_not_work=("Sectionprivate: I assumed the old threshold was used.", False),
        ),
        "of_private": _lesson(
            "Lessonofprivate: commissioning clocks",
            private,
            date(2026, 8, 1),
            what_worked=("Orphansection: case examples made it concrete.", True),
        ),
        "standalone": _lesson(
            "Standaloneshared: keep the contact list current",
            None,
            date(2026, 9, 22),
            what_happened=("Standalonesection: people change jobs.", True),
        ),
        "hidden": _lesson(
            "Hiddenlesson: a private reflection",
            None,
            date(2026, 10, 1),
            what_happened=("Hiddensection: not for anyone else.", False),
        ),
        "outside": _lesson(
            "Outsidelesson: from last year",
            outside,
            date(2025, 6, 2),
            what_happened=("Outsidesection: old news.", True),
        ),
    }.items():
        sample.lessons[key] = services.lessons.create(lesson)
    return sample


def add_review(services: AppServices) -> Review:
    """A review in the period that agreed one objective (reach the police sector further)."""
    return services.reviews.create(
        Review(
            date(2026, 4, 1),
            "Reviewername Okonkwo",
            "Head of adult services",
            "Reviewcomments: good breadth; go further with the police.",
        ),
        objectives=[
            Goal(
                "Goalmarker: deepen work with the police",
                ("police",),
                target_date=date(2026, 12, 31),
            )
        ],
    )


def pdf_text(path: Path) -> str:
    """Every page's text, whitespace collapsed (lines wrap wherever the layout puts them)."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def outline_titles(path: Path) -> list[tuple[int, str]]:
    """(level, title) of every bookmark, depth first."""
    reader = PdfReader(path)
    out: list[tuple[int, str]] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                out.append((level, str(item.title)))

    walk(list(reader.outline), 0)
    return out


def page_fonts(path: Path) -> list[DictionaryObject]:
    """The font dictionaries every page uses."""
    fonts: list[DictionaryObject] = []
    for page in PdfReader(path).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        table = resources.get("/Font")
        if table is None:
            continue
        for ref in table.get_object().values():
            font = ref.get_object()
            assert isinstance(font, DictionaryObject)
            fonts.append(font)
    return fonts


def font_names(path: Path) -> set[str]:
    """The fonts used, without the subset prefix ('AAAAAA+DejaVuSans' -> 'DejaVuSans')."""
    return {
        re.sub(r"^[A-Z]{6}\+", "", str(font["/BaseFont"]).lstrip("/")) for font in page_fonts(path)
    }
