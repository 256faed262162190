"""The activities: the timeline, then each activity with what was done and what was learned."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from portfolio_app.charts.fonts import Fonts
from portfolio_app.domain.enums import Status
from portfolio_app.export.pdf.content import ActivityEntry, ContactEntry, PortfolioContent
from portfolio_app.export.pdf.flowables import (
    heading,
    join_markup,
    label_value,
    safe_colour,
    sector_markup,
    text_paragraphs,
)
from portfolio_app.export.pdf.lessons import lesson_flowables
from portfolio_app.export.pdf.light_paragraph import LightParagraph
from portfolio_app.export.pdf.styles import HEADING_CSS, MUTED_CSS, Styles
from portfolio_app.export.pdf.timeline import timeline_flowables
from portfolio_app.export.periods import format_span

SWATCH = "■"


def activity_key(activity: ActivityEntry, index: int) -> str:
    return f"activity-{activity.id if activity.id is not None else f'n{index}'}"


def _hours(hours: float) -> str:
    text = f"{hours:g}"
    return f"{text} hour{'' if hours == 1 else 's'}"


def _contact_markup(contact: ContactEntry, fonts: Fonts, listed: frozenset[str]) -> str:
    where = fonts.markup(contact.organisation) if contact.organisation else ""
    if contact.sector is not None and contact.organisation not in listed:
        swatch = f'<font color="{safe_colour(contact.sector.colour)}">{SWATCH}</font>'
        where = f"{where} ({swatch}\u00a0{fonts.markup(contact.sector.label)})".strip()
    if contact.name is None:
        return where or "organisation not recorded"
    who = fonts.markup(contact.name)
    if contact.job_title:
        who += f", {fonts.markup(contact.job_title)}"
    return f"{who}, {where}" if where else who


def contacts_markup(
    contacts: tuple[ContactEntry, ...],
    fonts: Fonts,
    show_names: bool,
    listed: frozenset[str] = frozenset(),
) -> str:
    """People met. Without names, people are counted per organisation ('2 people from ...').
    The sector is left out for organisations already `listed` with theirs."""
    if show_names:
        return "; ".join(_contact_markup(c, fonts, listed) for c in contacts)
    groups = Counter(_contact_markup(c, fonts, listed) for c in contacts)
    parts = []
    for where, count in groups.items():
        people = "1 person" if count == 1 else f"{count} people"
        joiner = " from " if where != "organisation not recorded" else ", "
        parts.append(f"{people}{joiner}{where}")
    return "; ".join(parts)


def activity_flowables(
    activity: ActivityEntry, index: int, styles: Styles, show_names: bool
) -> list[Flowable]:
    fonts = styles.fonts
    facts = [
        f'<font color="{HEADING_CSS}"><b>{activity.type.label}</b></font>',
        format_span(activity.start, activity.end),
    ]
    if activity.days > 1:
        facts.append(f"{activity.days} days")
    if activity.hours is not None:
        facts.append(_hours(activity.hours))
    if activity.status is Status.PLANNED:
        facts.append("planned")
    if activity.private:
        facts.append(f'<font color="{MUTED_CSS}">private entry, included by the author</font>')
    # One paragraph for the facts (a line each): fewer flowables keep a long export fast, and
    # a LightParagraph lays out their many short style runs far faster than platypus.
    lines = [join_markup(facts)]
    if activity.organisations:
        orgs = "; ".join(
            f"{fonts.markup(o.name)} ({sector_markup([o.sector], fonts)})"
            for o in activity.organisations
        )
        lines.append(label_value("Organisations", orgs))
    if activity.extra_sectors:
        lines.append(label_value("Also involved", sector_markup(activity.extra_sectors, fonts)))
    if activity.contacts:
        lines.append(
            label_value(
                "People met",
                contacts_markup(
                    activity.contacts,
                    fonts,
                    show_names,
                    frozenset(o.name for o in activity.organisations),
                ),
            )
        )
    if activity.evidence:
        lines.append(
            label_value("Evidence", "; ".join(fonts.markup(name) for name in activity.evidence))
        )
    story: list[Flowable] = [
        CondPageBreak(90),  # do not start an activity at the very bottom of a page
        heading(
            activity.title,
            styles.h2,
            fonts,
            activity_key(activity, index),
            level=1,
            counts_as_progress=True,
        ),
        LightParagraph("<br/>".join(lines), styles.facts),
    ]
    if activity.description.strip():
        story.append(Spacer(1, 3))
        story += text_paragraphs(activity.description, styles.body, fonts)
    for lesson in activity.lessons:
        story += lesson_flowables(lesson, styles)
    story.append(Spacer(1, 8))
    return story


def activities_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    fonts = styles.fonts
    count = len(content.activities)
    story: list[Flowable] = [
        heading("Activities", styles.h1, fonts, "activities"),
        Paragraph(
            f"{count} activit{'y' if count == 1 else 'ies'} from "
            f"{content.period.label()}, oldest first.",
            styles.body,
        ),
    ]
    story += timeline_flowables(content, styles, width)
    for index, activity in enumerate(content.activities):
        story += activity_flowables(activity, index, styles, content.show_names)
    return story
