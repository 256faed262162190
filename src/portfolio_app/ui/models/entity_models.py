"""The four list models of the main window: activities, lessons, organisations and contacts,
each a windowed model over the database's order (ui/models/list_model.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.services.table_queries import (
    ActivityListRow,
    ContactListRow,
    LessonListRow,
    OrganisationListRow,
    TableQueries,
)
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.models.list_model import ListColumn, ListModel

Sort = tuple[int, Qt.SortOrder]
ASCENDING: Sort = (0, Qt.SortOrder.AscendingOrder)


def format_day(day: date | None) -> str:
    """Dates as people in the UK read them: 4 Mar 2026."""
    return f"{day.day} {day:%b %Y}" if day else ""


def _dates(row: ActivityListRow) -> str:
    if row.end and row.end != row.start:
        return f"{format_day(row.start)} – {format_day(row.end)}"
    return format_day(row.start)


def activity_model(
    tables: TableQueries, taxonomy: Taxonomy, sort: Sort = ASCENDING
) -> ListModel[ActivityListRow]:
    def sectors(row: ActivityListRow) -> str:
        return ", ".join(taxonomy.label(s) for s in row.sector_ids)

    def visibility(row: ActivityListRow) -> str:
        return "Shared" if row.visibility is Visibility.SHARED else "Private"

    columns: list[ListColumn[ActivityListRow]] = [
        ListColumn("Date", _dates, width=160),
        ListColumn("Type", lambda r: r.type.label, width=125),
        ListColumn("Title", lambda r: r.title, width=285),
        ListColumn(
            "Sectors",
            sectors,
            tooltip=lambda r: "\n".join(taxonomy.path_label(s) for s in r.sector_ids),
            width=180,
        ),
        ListColumn("Organisations", lambda r: ", ".join(r.organisation_names), width=180),
        ListColumn("Visibility", visibility, width=70),
        ListColumn("Status", lambda r: r.status.label, width=60),
    ]
    return ListModel(tables, "activity", columns, sort=sort)


def lesson_model(tables: TableQueries, sort: Sort = ASCENDING) -> ListModel[LessonListRow]:
    def shared(lesson: LessonListRow) -> str:
        if not lesson.shared:
            return "All private"
        return f"{len(lesson.shared)} of {len(lesson.written)} sections shared"

    def shared_tip(lesson: LessonListRow) -> str:
        return "\n".join(
            f"{'Shared' if s in lesson.shared else 'Private'}: {s.label}"
            for s in LessonSection
            if s in lesson.written
        )

    columns: list[ListColumn[LessonListRow]] = [
        ListColumn("Recorded", lambda x: format_day(x.recorded_on), width=110),
        ListColumn("Title", lambda x: x.title, width=330),
        ListColumn(
            "Activity",
            lambda x: x.activity_title if x.activity_id else "(standalone)",
            width=380,
        ),
        ListColumn("Visibility", shared, tooltip=shared_tip, width=160),
    ]
    return ListModel(tables, "lesson", columns, sort=sort)


def organisation_model(
    tables: TableQueries, taxonomy: Taxonomy, sort: Sort = ASCENDING
) -> ListModel[OrganisationListRow]:
    columns: list[ListColumn[OrganisationListRow]] = [
        ListColumn("Name", lambda o: o.name, width=250),
        ListColumn("Sector", lambda o: taxonomy.path_label(o.sector_id), width=220),
        ListColumn("Also known as", lambda o: ", ".join(o.aliases), width=120),
        ListColumn("Activities", lambda o: str(o.activity_count), align_right=True, width=70),
    ]
    return ListModel(tables, "organisation", columns, sort=sort)


def current_role_text(contact: ContactListRow, today: date) -> str:
    """The role held today, else the latest one, as 'Job title, Organisation'."""
    found = contact.current_role(today)
    if found is None:
        return ""
    role, current = found
    text = f"{role.job_title}, {role.organisation}" if role.job_title else role.organisation
    return text if current else f"{text} (until {format_day(role.end)})" if role.end else text


def contact_model(
    tables: TableQueries, today: date, sort: Sort = ASCENDING
) -> ListModel[ContactListRow]:
    def history(contact: ContactListRow) -> str:
        return "\n".join(
            f"{r.job_title or 'Role'} at {r.organisation}"
            f" ({format_day(r.start) or '…'} – {format_day(r.end) or 'now'})"
            for r in contact.roles
        )

    columns: list[ListColumn[ContactListRow]] = [
        ListColumn("Name", lambda c: c.name, width=150),
        ListColumn(
            "Current role",
            lambda c: current_role_text(c, today),
            tooltip=history,
            width=300,
        ),
        ListColumn("Roles", lambda c: str(len(c.roles)), align_right=True, width=50),
    ]
    return ListModel(tables, "contact", columns, sort=sort)
