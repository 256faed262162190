"""The four list models of the main window: activities, lessons, organisations and contacts."""

from __future__ import annotations

from datetime import date

from portfolio_app.domain.enums import LessonSection, Visibility
from portfolio_app.domain.records import ActivityRow, Contact, Lesson, Organisation
from portfolio_app.taxonomy import Taxonomy
from portfolio_app.ui.models.record_table_model import Column, RecordTableModel


def format_day(day: date | None) -> str:
    """Dates as people in the UK read them: 4 Mar 2026."""
    return f"{day.day} {day:%b %Y}" if day else ""


def _dates(row: ActivityRow) -> str:
    activity = row.activity
    if activity.end and activity.end != activity.start:
        return f"{format_day(activity.start)} – {format_day(activity.end)}"
    return format_day(activity.start)


def activity_model(taxonomy: Taxonomy) -> RecordTableModel[ActivityRow]:
    def sectors(row: ActivityRow) -> str:
        return ", ".join(taxonomy.label(s) for s in row.sector_ids)

    def visibility(row: ActivityRow) -> str:
        shared = row.activity.visibility is Visibility.SHARED
        return "Shared" if shared else "Private"

    columns: list[Column[ActivityRow]] = [
        Column("Date", _dates, lambda r: r.activity.start.isoformat(), width=160),
        Column("Type", lambda r: r.activity.type.label, width=125),
        Column("Title", lambda r: r.activity.title, width=285),
        Column(
            "Sectors",
            sectors,
            tooltip=lambda r: "\n".join(taxonomy.path_label(s) for s in r.sector_ids),
            width=180,
        ),
        Column("Organisations", lambda r: ", ".join(r.organisation_names), width=180),
        Column("Visibility", visibility, lambda r: r.activity.visibility.value, width=70),
        Column("Status", lambda r: r.activity.status.label, width=60),
    ]
    return RecordTableModel(
        columns,
        lambda r: r.activity.id,
        lambda r: " ".join((r.activity.description, *r.contact_names)),
    )


def lesson_model(activity_titles: dict[int, str]) -> RecordTableModel[Lesson]:
    def shared(lesson: Lesson) -> str:
        count = len(lesson.shared_sections())
        filled = sum(1 for s in LessonSection if lesson.section(s).text.strip())
        if count == 0:
            return "All private"
        return f"{count} of {filled} sections shared"

    def shared_tip(lesson: Lesson) -> str:
        return "\n".join(
            f"{'Shared' if lesson.section(s).shared else 'Private'}: {s.label}"
            for s in LessonSection
            if lesson.section(s).text.strip()
        )

    columns: list[Column[Lesson]] = [
        Column(
            "Recorded",
            lambda x: format_day(x.recorded_on),
            lambda x: str(x.recorded_on or ""),
            width=110,
        ),
        Column("Title", lambda x: x.title, width=330),
        Column(
            "Activity",
            lambda x: activity_titles.get(x.activity_id, "") if x.activity_id else "(standalone)",
            width=380,
        ),
        Column(
            "Visibility", shared, lambda x: len(x.shared_sections()), tooltip=shared_tip, width=160
        ),
    ]
    return RecordTableModel(
        columns, lambda x: x.id, lambda x: " ".join(f.text for f in x.sections.values())
    )


def organisation_model(
    taxonomy: Taxonomy, activity_counts: dict[int, int]
) -> RecordTableModel[Organisation]:
    columns: list[Column[Organisation]] = [
        Column("Name", lambda o: o.name, width=250),
        Column("Sector", lambda o: taxonomy.path_label(o.sector_id), width=220),
        Column("Also known as", lambda o: ", ".join(o.aliases), width=120),
        Column(
            "Activities",
            lambda o: str(activity_counts.get(o.id or 0, 0)),
            lambda o: activity_counts.get(o.id or 0, 0),
            align_right=True,
            width=70,
        ),
    ]
    return RecordTableModel(columns, lambda o: o.id)


def current_role_text(contact: Contact, organisations: dict[int, str], today: date) -> str:
    """The role held today, else the latest one, as 'Job title, Organisation'."""
    if not contact.roles:
        return ""
    current = contact.roles_on(today)
    role = current[0] if current else max(contact.roles, key=lambda r: r.end or r.start or date.min)
    organisation = organisations.get(role.organisation_id, "?")
    text = f"{role.job_title}, {organisation}" if role.job_title else organisation
    return text if current else f"{text} (until {format_day(role.end)})" if role.end else text


def contact_model(organisations: dict[int, str], today: date) -> RecordTableModel[Contact]:
    def history(contact: Contact) -> str:
        return "\n".join(
            f"{r.job_title or 'Role'} at {organisations.get(r.organisation_id, '?')}"
            f" ({format_day(r.start) or '…'} – {format_day(r.end) or 'now'})"
            for r in contact.roles
        )

    columns: list[Column[Contact]] = [
        Column("Name", lambda c: c.name, width=150),
        Column(
            "Current role",
            lambda c: current_role_text(c, organisations, today),
            tooltip=history,
            width=300,
        ),
        Column(
            "Roles", lambda c: str(len(c.roles)), lambda c: len(c.roles), align_right=True, width=50
        ),
    ]
    return RecordTableModel(columns, lambda c: c.id, lambda c: f"{c.notes} {history(c)}")
