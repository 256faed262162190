"""No private value reaches the PDF: every text field of every record kind, walked with
`dataclasses.fields`, is given a unique sentinel; the default export is read back with pypdf and
no sentinel of a private record, nor of a field outside `EXPORTED_FIELDS`, may appear in it.

A text field added to a record later gets a sentinel here without anyone remembering to add
it (and must be classified below if it cannot take free text, such as a sector id)."""

from __future__ import annotations

import dataclasses
import string
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pdf_sample import pdf_text
from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.evidence import Evidence
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Profile,
    Review,
)
from portfolio_app.export.pdf import ExportOptions, export_pdf
from portfolio_app.export.periods import Period
from portfolio_app.export.selection import EXPORTED_FIELDS
from portfolio_app.services import AppServices

R = TypeVar("R")

PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
OPTIONS = ExportOptions(PERIOD, export_date=date(2027, 1, 5), reproducible=True)
SECRET = "PRIVATE: I am thinking of leaving the council"
# The contents of every evidence file: never in any export.
CONTENTS = "Zqcontentsx"

# Every record kind an export draws on, with the kinds nested inside them.
RECORD_KINDS: tuple[type, ...] = (
    Profile,
    Organisation,
    Contact,
    ContactRole,
    Activity,
    Lesson,
    LessonField,
    Goal,
    Review,
    Evidence,
)
# Text fields that hold references, not free text: the PDF prints what they point at (a sector's
# label, an organisation's name), whose own text is walked through that record.
REFERENCES = {
    (Profile, "home_sector_id"),
    (Profile, "home_organisation"),  # the home organisation's name, set from its record
    (Organisation, "sector_id"),
    (Activity, "extra_sector_ids"),
    (Goal, "sector_ids"),
    (Evidence, "media_type"),  # worked out from the name's extension, never typed
}
# Shown only when the user asks for names (they are third parties).
NAMES = {(Contact, "name"), (ContactRole, "job_title")}


def _is_text(annotation: object) -> bool:
    """str, or a tuple of str (aliases, sector ids), optionally None."""
    if annotation is str:
        return True
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is tuple:
        return all(a is str or a is Ellipsis for a in args)
    if origin in (typing.Union, types.UnionType):
        return any(_is_text(a) for a in args if a is not type(None))
    return False


def text_fields(kind: type) -> list[str]:
    hints = typing.get_type_hints(kind)
    return [f.name for f in fields(kind) if _is_text(hints[f.name])]


@dataclass
class Sentinels:
    """Unique ASCII words (pypdf extracts them intact), each remembering whose field it is."""

    owner: dict[str, tuple[type, str, bool]] = dataclasses.field(default_factory=dict)
    count: int = 0

    def new(self, kind: type, name: str, private: bool) -> str:
        letters = string.ascii_lowercase
        n, code = self.count, ""
        for _ in range(3):
            n, r = divmod(n, 26)
            code = letters[r] + code
        self.count += 1
        word = f"Zq{'p' if private else 's'}{code}x"
        self.owner[word] = (kind, name, private)
        return word

    def fill(self, record: R, private: bool, **fixed: Any) -> R:
        """`record` with a sentinel in every free-text field not given in `fixed`."""
        kind = type(record)
        hints = typing.get_type_hints(kind)
        changes: dict[str, Any] = {}
        for name in text_fields(kind):
            if name in fixed or (kind, name) in REFERENCES:
                continue
            word = self.new(kind, name, private)
            is_tuple = typing.get_origin(hints[name]) is tuple
            changes[name] = (word,) if is_tuple else word
        return replace(record, **changes, **fixed)  # type: ignore[type-var]

    def sections(self, private_sections: bool) -> dict[LessonSection, LessonField]:
        return {
            section: self.fill(LessonField(shared=not private_sections), private_sections)
            for section in LessonSection
        }

    def of(self, private: bool) -> Iterator[tuple[str, type, str]]:
        for word, (kind, name, is_private) in self.owner.items():
            if is_private is private:
                yield word, kind, name


@dataclass
class World:
    services: AppServices
    words: Sentinels
    private_goal: Goal


def build_world(services: AppServices) -> World:
    words = Sentinels()
    profile = words.fill(Profile("", "", 0, "", "adult-social-care"), private=False)
    services.profile.set_up(
        name=profile.name,
        role=profile.role,
        organisation=words.new(Organisation, "name", private=False),
        sector="adult-social-care",
        force=True,
    )
    shared_org = services.organisations.create(
        words.fill(Organisation("", "police"), private=False)
    )
    # Named only by a private activity (and its contact): not even its name may appear.
    private_org = services.organisations.create(
        words.fill(Organisation("", "integrated-care-boards"), private=True)
    )
    assert shared_org.id is not None and private_org.id is not None
    shared_contact = services.contacts.create(
        words.fill(
            Contact("", roles=(words.fill(ContactRole(shared_org.id), private=False),)),
            private=False,
        )
    )
    private_contact = services.contacts.create(
        words.fill(
            Contact("", roles=(words.fill(ContactRole(private_org.id), private=True),)),
            private=True,
        )
    )
    assert shared_contact.id is not None and private_contact.id is not None
    shared = services.activities.create(
        words.fill(
            Activity(
                ActivityType.SHADOWING,
                "",
                date(2026, 3, 10),
                organisation_ids=(shared_org.id,),
                contact_ids=(shared_contact.id,),
                extra_sector_ids=("nhs",),
            ),
            private=False,
            visibility=Visibility.SHARED,
        )
    )
    private = services.activities.create(
        words.fill(
            Activity(
                ActivityType.SECONDMENT,
                "",
                date(2026, 5, 1),
                date(2026, 7, 31),
                organisation_ids=(private_org.id,),
                contact_ids=(private_contact.id,),
            ),
            private=True,
            visibility=Visibility.PRIVATE,
        )
    )
    # Private and before the period: it may count nowhere, not even in the appendix.
    services.activities.create(
        words.fill(
            Activity(
                ActivityType.PEER_EVENT, "", date(2025, 6, 1), organisation_ids=(shared_org.id,)
            ),
            private=True,
        )
    )
    assert shared.id is not None and private.id is not None
    lessons = [
        # a shared lesson whose sections are all shared, and one with every section private
        words.fill(Lesson("", shared.id, date(2026, 3, 12)), False, sections=words.sections(False)),
        words.fill(Lesson("", shared.id, date(2026, 3, 13)), True, sections=words.sections(True)),
        # shared sections, but under a private activity: they go with it
        words.fill(Lesson("", private.id, date(2026, 8, 1)), True, sections=words.sections(True)),
        words.fill(Lesson("", None, date(2026, 9, 1)), False, sections=words.sections(False)),
        words.fill(Lesson("", None, date(2026, 9, 2)), True, sections=words.sections(True)),
    ]
    # Sections under a private activity are private whatever their own flag says.
    lessons[2] = replace(
        lessons[2], sections={s: replace(v, shared=True) for s, v in lessons[2].sections.items()}
    )
    saved = [services.lessons.create(lesson) for lesson in lessons]
    # Evidence is named only when both it and its activity are shared; a lesson's never.
    for evidence, hidden, owner in [
        (Evidence("", visibility=Visibility.SHARED), False, {"activity_id": shared.id}),
        (Evidence(""), True, {"activity_id": shared.id}),
        (Evidence("", visibility=Visibility.SHARED), True, {"activity_id": private.id}),
        (Evidence("", visibility=Visibility.SHARED), True, {"lesson_id": saved[0].id}),
    ]:
        filled = words.fill(evidence, hidden)
        services.evidence.add(filled.name, CONTENTS.encode(), visibility=filled.visibility, **owner)
    review = services.reviews.create(
        words.fill(Review(date(2026, 4, 1), ""), private=False),
        objectives=[words.fill(Goal("", ("police",), date(2026, 12, 31)), private=False)],
    )
    # Held after the period: not this portfolio's review.
    services.reviews.create(words.fill(Review(date(2027, 1, 2), ""), private=True))
    services.goals.create(
        words.fill(Goal("", ("nhs",)), private=False, visibility=Visibility.SHARED)
    )
    private_goal = services.goals.create(
        words.fill(Goal("", ("police",), date(2026, 12, 31)), private=True)
    )
    # Private although agreed at the review (the user made it private since).
    services.goals.create(
        words.fill(
            Goal("", ("nhs",), review_id=review.id), private=True, visibility=Visibility.PRIVATE
        )
    )
    return World(services, words, private_goal)


@pytest.fixture
def world(services: AppServices) -> World:
    return build_world(services)


def exported_text(services: AppServices, path: Path, **changes: object) -> str:
    export_pdf(services, replace(OPTIONS, **changes), path)  # type: ignore[arg-type]
    return pdf_text(path)


def test_every_text_field_of_every_record_kind_gets_a_sentinel(world: World) -> None:
    walked = {(kind, name) for kind, name, _p in world.words.owner.values()}
    for kind in RECORD_KINDS:
        for name in text_fields(kind):
            assert (kind, name) in walked or (kind, name) in REFERENCES, (kind, name)
    # Both sides of the rule have something to prove for each kind that can be private.
    for kind in set(RECORD_KINDS) - {Profile}:  # the owner's profile is never private
        assert any(k is kind and p for k, _n, p in world.words.owner.values()), kind


def test_every_withheld_field_has_a_default_and_every_kind_a_rule() -> None:
    for kind, allowed in EXPORTED_FIELDS.items():
        names = {f.name for f in fields(kind)}
        assert allowed <= names, (kind, allowed - names)  # no typo hides a field
        for f in fields(kind):
            if f.name not in allowed:
                assert (
                    f.default is not dataclasses.MISSING
                    or f.default_factory is not dataclasses.MISSING
                ), (kind, f.name)
    assert set(RECORD_KINDS) - {LessonField} == set(EXPORTED_FIELDS)


def test_no_private_value_and_no_withheld_field_reaches_the_default_pdf(
    world: World, tmp_path: Path
) -> None:
    text = exported_text(world.services, tmp_path / "default.pdf")
    leaked = [(w, k.__name__, n) for w, k, n in world.words.of(private=True) if w in text]
    assert leaked == []
    withheld = [
        (w, k.__name__, n)
        for w, k, n in world.words.of(private=False)
        if w in text and ((k, n) in NAMES or (k in EXPORTED_FIELDS and n not in EXPORTED_FIELDS[k]))
    ]
    assert withheld == []  # contact notes, organisation aliases, names and job titles
    # The sentinels survive the PDF: the shared values that may appear do.
    shown = {(k, n) for w, k, n in world.words.of(private=False) if w in text}
    for expected in [
        (Profile, "name"),
        (Profile, "role"),
        (Organisation, "name"),
        (Activity, "title"),
        (Activity, "description"),
        (Lesson, "title"),
        (LessonField, "text"),
        (Goal, "title"),
        (Goal, "notes"),
        (Review, "reviewer_name"),
        (Review, "reviewer_role"),
        (Review, "comments"),
        (Evidence, "name"),
    ]:
        assert expected in shown, expected
    assert CONTENTS not in text


def test_names_appear_only_when_asked_for_and_notes_and_aliases_never(
    world: World, tmp_path: Path
) -> None:
    text = exported_text(world.services, tmp_path / "names.pdf", show_names=True)
    shown = {(k, n) for w, k, n in world.words.of(private=False) if w in text}
    assert (Contact, "name") in shown and (ContactRole, "job_title") in shown
    assert (Contact, "notes") not in shown and (Organisation, "aliases") not in shown
    assert not [w for w, _k, _n in world.words.of(private=True) if w in text]


def test_private_values_are_printed_when_private_content_is_asked_for(
    world: World, tmp_path: Path
) -> None:
    """The other side: the sentinels of private records are readable in a PDF (so their
    absence above means something)."""
    text = exported_text(world.services, tmp_path / "all.pdf", include_private=True)
    shown = {(k, n) for w, k, n in world.words.of(private=True) if w in text}
    for expected in [
        (Organisation, "name"),
        (Activity, "title"),
        (Activity, "description"),
        (Lesson, "title"),
        (LessonField, "text"),
        (Goal, "title"),
        (Goal, "notes"),
    ]:
        assert expected in shown, expected
    assert (Contact, "notes") not in shown and (Organisation, "aliases") not in shown
    # Private evidence, and that of a private activity or of a lesson, stays out even so.
    assert (Evidence, "name") not in shown and CONTENTS not in text


def test_a_private_goal_note_stays_out_until_the_goal_is_shared(
    world: World, tmp_path: Path
) -> None:
    services = world.services
    goal = services.goals.update(replace(world.private_goal, notes=SECRET))
    assert goal.visibility is Visibility.PRIVATE
    assert "leaving the council" not in exported_text(services, tmp_path / "private.pdf")
    services.goals.update(replace(goal, visibility=Visibility.SHARED))
    assert SECRET in exported_text(services, tmp_path / "shared.pdf")
