"""Lessons learned: each shows only the sections its author shared (or chose to include)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from portfolio_app.export.pdf.content import LessonEntry, PortfolioContent
from portfolio_app.export.pdf.flowables import heading, text_paragraphs
from portfolio_app.export.pdf.light_paragraph import LightParagraph
from portfolio_app.export.pdf.light_table import Cell, Column, LightTable
from portfolio_app.export.pdf.styles import Styles
from portfolio_app.export.periods import format_day

INDEX_COLUMNS = (
    Column("Lesson", 0.45, bold=True),
    Column("From", 0.4),
    Column("Recorded", 0.15),
)


def lesson_flowables(lesson: LessonEntry, styles: Styles) -> list[Flowable]:
    """One lesson: its title, the date, then each shown section under its label. The date and
    labels are paragraphs of their own in one style each, and so is the text: reportlab breaks
    a paragraph in one style several times faster than one that mixes styles."""
    fonts = styles.fonts
    # A label never ends a page: room for it and two lines of its text, or a new page (not
    # keepWithNext, which makes platypus lay the text out twice). The title and date come
    # with the first section's room.
    keep = styles.section_label.leading + 2 * styles.indented.leading
    story: list[Flowable] = [
        CondPageBreak(48 + keep),
        LightParagraph(f"Lesson learned: {fonts.markup(lesson.title)}", styles.h3),
    ]
    if lesson.recorded_on is not None and lesson.sections:
        story.append(LightParagraph(f"Recorded {format_day(lesson.recorded_on)}", styles.recorded))
    for number, (section, text) in enumerate(lesson.sections):
        if number:
            story.append(CondPageBreak(keep))
        story.append(LightParagraph(escape(section.label), styles.section_label))
        story += text_paragraphs(text, styles.indented, fonts)
    return story


def lessons_flowables(content: PortfolioContent, styles: Styles, width: float) -> list[Flowable]:
    """The lessons section: an index of every lesson (the full text sits under each activity),
    then the lessons not linked to any activity, in full."""
    fonts = styles.fonts
    story: list[Flowable] = [heading("Lessons learned", styles.h1, fonts, "lessons")]
    lessons = content.lessons
    if not lessons:
        story.append(Paragraph("No lessons are shared for this period.", styles.body))
        return story
    story.append(
        Paragraph(
            "Each lesson shows only the parts its author chose to share. Lessons from an "
            "activity are printed in full under that activity; this list brings them together.",
            styles.body,
        )
    )
    rows: list[list[Cell]] = [
        [
            lesson.title,
            lesson.activity_title or "Not linked to an activity",
            format_day(lesson.recorded_on) if lesson.recorded_on else "–",
        ]
        for lesson in lessons
    ]
    story += [LightTable(INDEX_COLUMNS, rows, fonts), Spacer(1, 6)]
    if content.standalone_lessons:
        story.append(
            heading("Lessons not linked to an activity", styles.h2, fonts, "lessons-standalone", 1)
        )
        for lesson in content.standalone_lessons:
            story += lesson_flowables(lesson, styles)
    return story
