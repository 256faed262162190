"""Write the entries of a checked JSON document that are not in the data yet, inside the
caller's unit of work: each keeps its uid and its times; into an empty data folder each also
keeps its id (when no entry written before it took that id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.services import json_models as m
from portfolio_app.services.json_checks import CheckedDocument, utc_naive
from portfolio_app.services.json_merge import KINDS, MergePlan
from portfolio_app.storage import tables as t


class RowWriter:
    def __init__(
        self, session: Session, checked: CheckedDocument, plan: MergePlan, *, keep_ids: bool
    ) -> None:
        self.session = session
        self.checked = checked
        self.doc = checked.document
        self.plan = plan
        self.keep_ids = keep_ids
        self.added = dict.fromkeys(KINDS, 0)

    def _id(self, table: type[Any], wanted: int | None) -> int | None:
        if not self.keep_ids or wanted is None:
            return None
        return wanted if self.session.get(table, wanted) is None else None

    def _add(self, kind: str, uid: str, row: Any) -> int:
        self.session.add(row)
        self.session.flush()
        self.plan.ids[kind][uid] = row.id
        self.added[kind] += 1
        return int(row.id)

    def _ref(self, kind: str, uid: str | None) -> int | None:
        return None if uid is None else self.plan.ids[kind][uid]

    def write(self) -> dict[str, int]:
        for o in self.doc.organisations:
            if not self.plan.known("organisations", o.uid):
                self.organisation(o)
        for c in self.doc.contacts:
            if not self.plan.known("contacts", c.uid):
                self.contact(c)
        for a in self.doc.activities:
            if not self.plan.known("activities", a.uid):
                self.activity(a)
        for x in self.doc.lessons:
            if not self.plan.known("lessons", x.uid):
                self.lesson(x)
        for r in self.doc.reviews:
            if not self.plan.known("reviews", r.uid):
                self.review(r)
        for g in self.doc.goals:
            if not self.plan.known("goals", g.uid):
                self.goal(g)
        for e, data in zip(self.doc.evidence, self.checked.evidence_data, strict=True):
            if not self.plan.known("evidence", e.uid):
                self.evidence(e, data)
        profile = self.doc.profile
        if profile is not None and self.plan.profile_is_new:
            home = self._ref("organisations", profile.home_organisation)
            self.session.add(
                t.ProfileRow(id=1, name=profile.name, role=profile.role, home_organisation_id=home)
            )
            self.session.flush()
        return self.added

    def organisation(self, o: m.OrganisationModel) -> None:
        row = t.OrganisationRow(
            id=self._id(t.OrganisationRow, o.id),
            uid=o.uid,
            name=o.name,
            sector_id=o.sector_id,
            aliases=list(o.aliases),
        )
        self._add("organisations", o.uid, row)

    def contact(self, c: m.ContactModel) -> None:
        row = t.ContactRow(id=self._id(t.ContactRow, c.id), uid=c.uid, name=c.name, notes=c.notes)
        row.roles = [
            t.ContactRoleRow(
                uid=r.uid,
                organisation_id=self._ref("organisations", r.organisation),
                job_title=r.job_title,
                start_date=r.start,
                end_date=r.end,
                position=i,
            )
            for i, r in enumerate(c.roles)
        ]
        self._add("contacts", c.uid, row)

    def activity(self, a: m.ActivityModel) -> None:
        times: dict[str, Any] = {}
        if a.created_at is not None:
            times["created_at"] = utc_naive(a.created_at)
        if a.updated_at is not None:
            times["updated_at"] = utc_naive(a.updated_at)
        row = t.ActivityRow(
            id=self._id(t.ActivityRow, a.id),
            uid=a.uid,
            type=a.type.value,
            title=a.title,
            start_date=a.start,
            end_date=a.end,
            hours=a.hours,
            description=a.description,
            visibility=a.visibility.value,
            status=a.status.value,
            **times,
        )
        # Two entries of the file may be one here (the same name): link it once.
        organisation_ids = dict.fromkeys(self._ref("organisations", uid) for uid in a.organisations)
        row.organisation_links = [
            t.ActivityOrganisationRow(organisation_id=oid, position=i)
            for i, oid in enumerate(organisation_ids)
        ]
        row.extra_sectors = [
            t.ActivitySectorRow(sector_id=sector_id, position=i)
            for i, sector_id in enumerate(a.sectors)
        ]
        contact_ids = dict.fromkeys(self._ref("contacts", uid) for uid in a.contacts)
        row.contact_links = [
            t.ActivityContactRow(contact_id=cid, position=i) for i, cid in enumerate(contact_ids)
        ]
        self._add("activities", a.uid, row)

    def lesson(self, x: m.LessonModel) -> None:
        sections: dict[str, Any] = {}
        for s in LessonSection:
            part = getattr(x.sections, s.value)
            sections[s.value] = part.text
            sections[f"{s.value}_shared"] = part.shared
        row = t.LessonRow(
            id=self._id(t.LessonRow, x.id),
            uid=x.uid,
            activity_id=self._ref("activities", x.activity),
            title=x.title,
            recorded_on=x.recorded_on,
            **sections,
        )
        self._add("lessons", x.uid, row)

    def review(self, r: m.ReviewModel) -> None:
        row = t.ReviewRow(
            id=self._id(t.ReviewRow, r.id),
            uid=r.uid,
            held_on=r.held_on,
            reviewer_name=r.reviewer_name,
            reviewer_role=r.reviewer_role,
            comments=r.comments,
        )
        self._add("reviews", r.uid, row)

    def goal(self, g: m.GoalModel) -> None:
        row = t.GoalRow(
            id=self._id(t.GoalRow, g.id),
            uid=g.uid,
            title=g.title,
            sector_ids=list(g.sectors),
            target_date=g.target_date,
            notes=g.notes,
            achieved=g.achieved,
            visibility=g.visibility.value,
            review_id=self._ref("reviews", g.review),
        )
        self._add("goals", g.uid, row)

    def evidence(self, e: m.EvidenceModel, data: bytes) -> None:
        added_at = utc_naive(e.added_at) if e.added_at is not None else None
        row = t.EvidenceRow(
            id=self._id(t.EvidenceRow, e.id),
            uid=e.uid,
            activity_id=self._ref("activities", e.activity),
            lesson_id=self._ref("lessons", e.lesson),
            name=e.name,
            media_type=e.media_type,
            size=len(data),
            added_at=added_at or _now(),
            visibility=(Visibility.SHARED if e.shared else Visibility.PRIVATE).value,
        )
        row_id = self._add("evidence", e.uid, row)
        self.session.add(t.EvidenceBlobRow(evidence_id=row_id, data=data))
        self.session.flush()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def write_in(
    session: Session, checked: CheckedDocument, plan: MergePlan, *, keep_ids: bool
) -> dict[str, int]:
    """Add what `plan` did not find here; returns how many of each kind were added."""
    return RowWriter(session, checked, plan, keep_ids=keep_ids).write()
