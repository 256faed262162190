"""ORM tables (SQLAlchemy 2 typed). Every change here needs an Alembic revision and a fixture."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from portfolio_app.domain.names import name_key as key_of_name

# Named constraints keep Alembic's batch migrations on SQLite predictable.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Ids are never reused, so undo and old snapshots never collide with newer rows.
AUTOINCREMENT = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_uid() -> str:
    """A new entry's stable id: travels with it in CSV, JSON and Leap2A files (revision 0007)."""
    return str(uuid.uuid4())


def _uid_column() -> Mapped[str]:
    # server_default "": how revision 0007 added the column in place to tables holding rows.
    return mapped_column(
        String(36), index=True, unique=True, default=new_uid, server_default=text("''")
    )


class ProfileRow(Base):
    __tablename__ = "profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_profile"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(300), default="")
    home_organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )


class OrganisationRow(Base):
    __table_args__ = AUTOINCREMENT
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    name: Mapped[str] = mapped_column(String(300), index=True)
    # Set with the name (below): unique, so no two organisations share a name however typed.
    name_key: Mapped[str] = mapped_column(String(300), index=True, unique=True)
    sector_id: Mapped[str] = mapped_column(String(64), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    @validates("name")
    def _keep_key(self, _field: str, value: str) -> str:
        self.name_key = key_of_name(value)
        return value


class ContactRow(Base):
    __table_args__ = AUTOINCREMENT
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_key: Mapped[str] = mapped_column(String(300), index=True, unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    roles: Mapped[list[ContactRoleRow]] = relationship(
        cascade="all, delete-orphan", order_by="ContactRoleRow.position", lazy="selectin"
    )

    @validates("name")
    def _keep_key(self, _field: str, value: str) -> str:
        self.name_key = key_of_name(value)
        return value


class ContactRoleRow(Base):
    __table_args__ = AUTOINCREMENT
    __tablename__ = "contact_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    job_title: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    type: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    status: Mapped[str] = mapped_column(String(16), default="done")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    organisation_links: Mapped[list[ActivityOrganisationRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityOrganisationRow.position", lazy="selectin"
    )
    extra_sectors: Mapped[list[ActivitySectorRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActivitySectorRow.position", lazy="selectin"
    )
    contact_links: Mapped[list[ActivityContactRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityContactRow.position", lazy="selectin"
    )


class ActivityOrganisationRow(Base):
    __tablename__ = "activity_organisations"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActivitySectorRow(Base):
    __tablename__ = "activity_sectors"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    sector_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ActivityContactRow(Base):
    __tablename__ = "activity_contacts"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class LessonRow(Base):
    __table_args__ = AUTOINCREMENT
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    recorded_on: Mapped[date | None] = mapped_column(Date)
    what_happened: Mapped[str] = mapped_column(Text, default="")
    what_happened_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    what_worked: Mapped[str] = mapped_column(Text, default="")
    what_worked_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    what_did_not_work: Mapped[str] = mapped_column(Text, default="")
    what_did_not_work_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    do_differently: Mapped[str] = mapped_column(Text, default="")
    do_differently_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_step_shared: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    held_on: Mapped[date] = mapped_column(Date, index=True)
    reviewer_name: Mapped[str] = mapped_column(String(300))
    reviewer_role: Mapped[str] = mapped_column(String(300), default="")
    comments: Mapped[str] = mapped_column(Text, default="")


class GoalRow(Base):
    __tablename__ = "goals"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    title: Mapped[str] = mapped_column(String(300))
    sector_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    achieved: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), index=True
    )


class EvidenceRow(Base):
    """An evidence file of one activity or one lesson, deleted with it. Its bytes are in
    EvidenceBlobRow, so listing evidence never reads them."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("(activity_id IS NULL) <> (lesson_id IS NULL)", name="one_owner"),
        CheckConstraint("size >= 0", name="size_not_negative"),
        AUTOINCREMENT,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = _uid_column()
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    visibility: Mapped[str] = mapped_column(String(16), default="private")


class EvidenceBlobRow(Base):
    """The bytes of one evidence file."""

    __tablename__ = "evidence_blobs"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DraftRow(Base):
    """The unsaved text of one dialog (`kind`: "activity", "lesson"...; `entry_id`: the entry
    being edited, None for a new one), as JSON; offered back after a crash."""

    __tablename__ = "drafts"
    __table_args__ = AUTOINCREMENT

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    entry_id: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
