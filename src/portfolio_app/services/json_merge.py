"""Which entries of a JSON document are already in the data, and which of those differ.

The same uid is the same entry. An organisation or a contact with a new uid but the name of
one already here (ignoring case and spacing) is that one too: names are unique, and two
machines set up with the same home organisation must not make two. An entry already here is
never changed: identical, it is "already there"; different, it is listed ("kept yours").
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.domain.names import name_key
from portfolio_app.services import json_models as m
from portfolio_app.services.json_checks import CheckedDocument
from portfolio_app.services.json_problems import Problem
from portfolio_app.storage import tables as t

KINDS = tuple(m.KINDS)


@dataclass
class MergePlan:
    """File uid -> id here, per kind (entries already here; the writer adds the new ones)."""

    ids: dict[str, dict[str, int]] = field(default_factory=lambda: {k: {} for k in KINDS})
    already_there: int = 0
    differing: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    profile_is_new: bool = False

    def known(self, kind: str, uid: str) -> bool:
        return uid in self.ids[kind]

    def ref(self, kind: str, uid: str | None) -> Hashable:
        """The id here an entry points at, or a marker that never equals one (a new entry)."""
        if uid is None:
            return None
        return self.ids[kind].get(uid, ("new", uid))

    def refs(self, kind: str, uids: Sequence[str]) -> tuple[Hashable, ...]:
        return tuple(self.ref(kind, uid) for uid in uids)

    def compare(self, kind: str, title: str, uid: str, mine: Any, theirs: Any) -> None:
        if mine == theirs:
            self.already_there += 1
        else:
            self.differing.append(f"{m.KINDS[kind][0]} “{title}” ({uid})")


def _rows(session: Session, table: type[Any]) -> list[Any]:
    return list(session.scalars(select(table).order_by(table.id)))


def _by_uid(rows: list[Any]) -> dict[str, Any]:
    return {row.uid: row for row in rows}


def _sections(lesson: Any) -> tuple[tuple[str, bool], ...]:
    """A lesson row's or model's parts as (text, shared) pairs."""
    if isinstance(lesson, m.LessonModel):
        parts = [getattr(lesson.sections, s.value) for s in LessonSection]
        return tuple((p.text, p.shared) for p in parts)
    return tuple(
        (getattr(lesson, s.value), bool(getattr(lesson, f"{s.value}_shared")))
        for s in LessonSection
    )


class _Planner:
    def __init__(self, session: Session, checked: CheckedDocument) -> None:
        self.session = session
        self.checked = checked
        self.doc = checked.document
        self.plan = MergePlan()

    def run(self) -> MergePlan:
        self.organisations()
        self.contacts()
        self.activities()
        self.lessons()
        self.reviews()
        self.goals()
        self.evidence()
        self.profile()
        return self.plan

    def organisations(self) -> None:
        rows = _rows(self.session, t.OrganisationRow)
        by_uid, by_name = _by_uid(rows), {row.name_key: row for row in rows}
        for o in self.doc.organisations:
            row = by_uid.get(o.uid) or by_name.get(name_key(o.name))
            if row is None:
                continue
            self.plan.ids["organisations"][o.uid] = row.id
            mine = (row.name, row.sector_id, tuple(row.aliases))
            self.plan.compare(
                "organisations", row.name, row.uid, mine, (o.name, o.sector_id, tuple(o.aliases))
            )

    def contacts(self) -> None:
        rows = _rows(self.session, t.ContactRow)
        by_uid, by_name = _by_uid(rows), {row.name_key: row for row in rows}
        role_uids = set(self.session.scalars(select(t.ContactRoleRow.uid)))
        for i, c in enumerate(self.doc.contacts):
            row = by_uid.get(c.uid) or by_name.get(name_key(c.name))
            if row is None:
                for j, role in enumerate(c.roles):
                    if role.uid in role_uids:
                        self.plan.problems.append(
                            Problem(
                                f"contacts[{i}].roles[{j}].uid",
                                "a role of another contact here already has this uid",
                            )
                        )
                continue
            self.plan.ids["contacts"][c.uid] = row.id
            mine = (
                row.name,
                row.notes,
                tuple(
                    (r.organisation_id, r.job_title, r.start_date, r.end_date) for r in row.roles
                ),
            )
            theirs = (
                c.name,
                c.notes,
                tuple(
                    (self.plan.ref("organisations", r.organisation), r.job_title, r.start, r.end)
                    for r in c.roles
                ),
            )
            self.plan.compare("contacts", row.name, row.uid, mine, theirs)

    def activities(self) -> None:
        by_uid = _by_uid(_rows(self.session, t.ActivityRow))
        for a in self.doc.activities:
            row = by_uid.get(a.uid)
            if row is None:
                continue
            self.plan.ids["activities"][a.uid] = row.id
            mine = (
                row.type,
                row.title,
                row.start_date,
                row.end_date,
                row.hours,
                row.description,
                row.visibility,
                row.status,
                tuple(link.organisation_id for link in row.organisation_links),
                tuple(link.sector_id for link in row.extra_sectors),
                tuple(link.contact_id for link in row.contact_links),
            )
            theirs = (
                a.type.value,
                a.title,
                a.start,
                a.end,
                a.hours,
                a.description,
                a.visibility.value,
                a.status.value,
                self.plan.refs("organisations", a.organisations),
                tuple(a.sectors),
                self.plan.refs("contacts", a.contacts),
            )
            self.plan.compare("activities", row.title, row.uid, mine, theirs)

    def lessons(self) -> None:
        by_uid = _by_uid(_rows(self.session, t.LessonRow))
        for x in self.doc.lessons:
            row = by_uid.get(x.uid)
            if row is None:
                continue
            self.plan.ids["lessons"][x.uid] = row.id
            mine = (row.title, row.activity_id, row.recorded_on, _sections(row))
            theirs = (x.title, self.plan.ref("activities", x.activity), x.recorded_on, _sections(x))
            self.plan.compare("lessons", row.title, row.uid, mine, theirs)

    def reviews(self) -> None:
        by_uid = _by_uid(_rows(self.session, t.ReviewRow))
        for r in self.doc.reviews:
            row = by_uid.get(r.uid)
            if row is None:
                continue
            self.plan.ids["reviews"][r.uid] = row.id
            mine = (row.held_on, row.reviewer_name, row.reviewer_role, row.comments)
            theirs = (r.held_on, r.reviewer_name, r.reviewer_role, r.comments)
            self.plan.compare("reviews", row.reviewer_name, row.uid, mine, theirs)

    def goals(self) -> None:
        by_uid = _by_uid(_rows(self.session, t.GoalRow))
        for g in self.doc.goals:
            row = by_uid.get(g.uid)
            if row is None:
                continue
            mine = (
                row.title,
                tuple(row.sector_ids),
                row.target_date,
                row.notes,
                bool(row.achieved),
                row.visibility,
                row.review_id,
            )
            theirs = (
                g.title,
                tuple(g.sectors),
                g.target_date,
                g.notes,
                g.achieved,
                g.visibility.value,
                self.plan.ref("reviews", g.review),
            )
            self.plan.ids["goals"][g.uid] = row.id
            self.plan.compare("goals", row.title, row.uid, mine, theirs)

    def evidence(self) -> None:
        by_uid = _by_uid(_rows(self.session, t.EvidenceRow))
        for e, data in zip(self.doc.evidence, self.checked.evidence_data, strict=True):
            row = by_uid.get(e.uid)
            if row is None:
                continue
            self.plan.ids["evidence"][e.uid] = row.id
            stored = self.session.get(t.EvidenceBlobRow, row.id)
            mine = (
                row.activity_id,
                row.lesson_id,
                row.name,
                row.media_type,
                row.visibility,
                bytes(stored.data) if stored is not None else None,
            )
            shared = Visibility.SHARED if e.shared else Visibility.PRIVATE
            theirs = (
                self.plan.ref("activities", e.activity),
                self.plan.ref("lessons", e.lesson),
                e.name,
                e.media_type,
                shared.value,
                data,
            )
            self.plan.compare("evidence", row.name, row.uid, mine, theirs)

    def profile(self) -> None:
        theirs = self.doc.profile
        if theirs is None:
            return
        row = self.session.get(t.ProfileRow, 1)
        if row is None:
            self.plan.profile_is_new = True
            return
        mine = (row.name, row.role, row.home_organisation_id)
        other = (theirs.name, theirs.role, self.plan.ref("organisations", theirs.home_organisation))
        if mine == other:
            self.plan.already_there += 1
        else:
            self.plan.differing.append(f"the profile (“{row.name}”)")


def plan_merge_in(session: Session, checked: CheckedDocument) -> MergePlan:
    """Match the document's entries with those in the data (nothing is written)."""
    return _Planner(session, checked).run()
