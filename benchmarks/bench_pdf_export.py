"""Time the PDF export of 1,000 activities with lessons against reportlab laying out the same
paragraphs plainly (target: the export takes at most 1.5x as long). Both are measured in this run.

The export is the whole of `export_pdf`: reading the database, choosing what to share, the score,
the charts, the timeline, the outline, page furniture and writing the file. The plain layout is
every paragraph the portfolio prints (the same markup, and each timeline row as one paragraph),
in one paragraph style of the same embedded font, built with SimpleDocTemplate: what reportlab
needs to typeset that text at all. For information, the user's own text alone (titles,
descriptions, lesson sections) is timed too.
The data lives in a temporary data dir, encrypted like every Portfolio database, under the
published passphrase BENCH_PASSPHRASE below (made-up data, deleted at the end, never remembered
on the device).
Run with `make bench` or `.venv/bin/python benchmarks/bench_pdf_export.py`.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from portfolio_app.domain.enums import ActivityType, LessonSection, Visibility
from portfolio_app.domain.records import Activity, Lesson, LessonField, Organisation
from portfolio_app.export.pdf import ExportOptions, Fonts, build_content, export_pdf
from portfolio_app.export.pdf.content import SectorTag
from portfolio_app.export.pdf.document import build_story
from portfolio_app.export.pdf.light_table import LightTable
from portfolio_app.export.pdf.styles import page_size
from portfolio_app.export.periods import Period
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services, vault

ACTIVITIES = 1_000
TARGET_RATIO = 1.5
RUNS = 3
PERIOD = Period(date(2025, 7, 1), date(2026, 6, 30))
BENCH_PASSPHRASE = "portfolio benchmark data"
WORDS = [
    "discharge",
    "pathway",
    "partners",
    "referral",
    "housing",
    "nurse",
    "council",
    "police",
    "review",
    "team",
    "shared",
    "assessment",
    "care",
    "plan",
    "carers",
    "community",
    "learning",
    "risk",
    "safeguarding",
    "meeting",
    "visit",
    "agreed",
    "practice",
    "data",
    "protocol",
    "timely",
    "local",
    "system",
    "winter",
    "escalation",
    "network",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def populate(services: AppServices, seed: int = 11) -> None:
    rng = random.Random(seed)
    services.profile.set_up(
        name="Siân Benchmark",
        role="Senior practitioner",
        organisation="Northshire County Council",
        sector="adult-social-care",
    )
    sectors = [s.id for s in services.taxonomy.ordered()]
    organisations = [
        services.organisations.create(Organisation(f"Organisation {i}", rng.choice(sectors)))
        for i in range(60)
    ]
    ids = [o.id for o in organisations if o.id is not None]
    types = list(ActivityType)
    for i in range(ACTIVITIES):
        start = PERIOD.start + timedelta(days=rng.randrange(PERIOD.days))
        activity = services.activities.create(
            Activity(
                type=rng.choice(types),
                title=f"Activity {i}: {sentence(rng, 6)}",
                start=start,
                organisation_ids=tuple(rng.sample(ids, rng.randrange(1, 4))),
                description=" ".join(sentence(rng, 14) for _ in range(4)),
                visibility=Visibility.SHARED,
            )
        )
        sections = {s: LessonField() for s in LessonSection}
        for section in (LessonSection.WHAT_HAPPENED, LessonSection.WHAT_WORKED):
            sections[section] = LessonField(sentence(rng, 20), True)
        sections[LessonSection.WHAT_DID_NOT_WORK] = LessonField(sentence(rng, 20), False)
        services.lessons.create(
            Lesson(f"Lesson {i}: {sentence(rng, 5)}", activity.id, start, sections)
        )


def story_paragraphs(services: AppServices, options: ExportOptions, fonts: Fonts) -> list[str]:
    """The markup of every paragraph in the portfolio's story (tables' cells included), and
    each timeline row as one paragraph."""
    content = build_content(services, options)
    found: list[str] = []

    def visit(item: object) -> None:
        if isinstance(item, Paragraph):
            found.append(item.text)
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    for part in cell if isinstance(cell, list | tuple) else [cell]:
                        visit(part)
        elif isinstance(item, LightTable):
            found.extend(
                escape(" ".join(c if isinstance(c, str) else _labels(c) for c in row))
                for row in item.rows
            )

    for flowable in build_story(content, fonts, page_size(content.paper)):
        visit(flowable)
    return found


def _labels(tags: tuple[SectorTag, ...]) -> str:
    return ", ".join(tag.label for tag in tags)


def user_texts(services: AppServices) -> list[str]:
    """The user text the portfolio prints, escaped, as paragraphs."""
    texts: list[str] = []
    lessons: dict[int | None, list[Lesson]] = {}
    for lesson in services.lessons.list_all():
        lessons.setdefault(lesson.activity_id, []).append(lesson)
    for activity in sorted(services.activities.list_all(), key=lambda a: a.start):
        texts += [activity.title, activity.description]
        for lesson in lessons.get(activity.id, []):
            texts.append(lesson.title)
            texts += list(lesson.shared_sections().values())
    return [escape(text) for text in texts]


def plain_layout(markups: list[str], out: Path, font: str) -> None:
    style = ParagraphStyle("Plain", fontName=font, fontSize=9.5, leading=13.5)
    story = [Paragraph(markup, style) for markup in markups]
    SimpleDocTemplate(str(out), initialFontName=font).build(story)


def median_seconds(*runs: Callable[[], object], repeat: int = RUNS) -> list[float]:
    """The median time of each callable, run in turn `repeat` times: interleaving them keeps a
    busy machine from favouring whichever happened to run while it was quiet."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, spent in zip(runs, times, strict=True):
            gc.collect()
            began = time.perf_counter()
            run()
            spent.append(time.perf_counter() - began)
    return [statistics.median(spent) for spent in times]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = AppPaths(root / "data")
        key = vault.set_up(paths, BENCH_PASSPHRASE, remember=False).data_key
        services = open_services(paths, key=key)
        try:
            began = time.perf_counter()
            populate(services)
            took = time.perf_counter() - began
            print(f"built {ACTIVITIES:,} activities with lessons in {took:.1f} s")
            options = ExportOptions(PERIOD, export_date=PERIOD.end, reproducible=True)
            fonts = Fonts()  # registers the fonts once, as a running app has
            paragraphs = story_paragraphs(services, options, fonts)
            texts = user_texts(services)
            result = export_pdf(services, options, root / "warm-up.pdf")
            plain_layout(paragraphs, root / "warm-up-plain.pdf", fonts.regular)
            export, plain, user_only = median_seconds(
                lambda: export_pdf(services, options, root / "portfolio.pdf"),
                lambda: plain_layout(paragraphs, root / "plain.pdf", fonts.regular),
                lambda: plain_layout(texts, root / "user.pdf", fonts.regular),
            )
        finally:
            services.close()
    ratio = export / plain
    print(
        f"{result.activities:,} activities, {result.lessons:,} lessons, {result.pages:,} pages; "
        f"{len(paragraphs):,} paragraphs, {len(texts):,} of them the user's own text"
    )
    print(f"  portfolio export (export_pdf), median of {RUNS}               {export:7.2f} s")
    print(f"  plain reportlab layout of the same paragraphs, median      {plain:7.2f} s")
    print(f"  (for information) plain layout of the user's text alone    {user_only:7.2f} s")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio {ratio:.2f}x -> {verdict} the target of {TARGET_RATIO}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
