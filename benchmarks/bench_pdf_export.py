"""Time the PDF export against plain reportlab platypus laying out the user's own text alone
(issue 12's target: at most 2x, and growing linearly with the log).

The export is the whole of `export_pdf` on a private copy of a cached benchmark data set
(benchmarks/dataset.py: 1k and 10k activities, lessons on a third): reading the database,
choosing what to share (export/selection.py), the score, the charts, the timeline, the outline,
page furniture and writing the file. The period covers the whole career, so every shared
activity is in it. The 5k figure is the 10k set's later half (a period starting at the median
start date), for linearity.

The baseline, in the same run on the same data: the titles, descriptions, lesson titles and
lesson sections the export prints (taken from the export's own content, so the same selection),
escaped, as plain paragraphs in one style of the same embedded font, built with
SimpleDocTemplate: what reportlab needs to typeset that text at all.
Run with `make bench` or `.venv/bin/python benchmarks/bench_pdf_export.py [--sizes 1000 5000]`.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import dataset  # benchmarks/dataset.py, beside this script
import harness
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from portfolio_app.export.pdf import (
    ExportOptions,
    Fonts,
    PortfolioContent,
    build_content,
    export_pdf,
)
from portfolio_app.export.periods import Period
from portfolio_app.services import AppServices

TARGET_RATIO = 2.0
SIZES = (1_000, 5_000, 10_000)
CAREER = Period(date(1980, 1, 1), dataset.ANCHOR)


def user_texts(content: PortfolioContent) -> list[str]:
    """The user's own text the export prints, escaped, one paragraph per piece."""
    texts: list[str] = []
    for activity in content.activities:
        texts += [activity.title, activity.description]
        for lesson in activity.lessons:
            texts.append(lesson.title)
            texts += [text for _, text in lesson.sections]
    for lesson in content.standalone_lessons:
        texts.append(lesson.title)
        texts += [text for _, text in lesson.sections]
    return [escape(text).replace("\n", "<br/>") for text in texts if text.strip()]


def plain_layout(markups: list[str], out: Path, font: str) -> int:
    style = ParagraphStyle("Plain", fontName=font, fontSize=9.5, leading=13.5)
    story = [Paragraph(markup, style) for markup in markups]
    doc = SimpleDocTemplate(str(out), initialFontName=font)
    doc.build(story)
    return int(doc.page)


def median_seconds(*runs: Callable[[], object], repeat: int) -> list[float]:
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


def later_half(services: AppServices) -> Period:
    starts = sorted(a.start for a in services.activities.list_all())
    return Period(starts[len(starts) // 2], CAREER.end)


def measure(
    services: AppServices, period: Period, folder: Path, label: str, repeat: int
) -> dict[str, float]:
    options = ExportOptions(period, export_date=CAREER.end, reproducible=True)
    fonts = Fonts()  # registers the fonts once, as a running app has
    texts = user_texts(build_content(services, options))
    pages: dict[str, int] = {}

    def app() -> None:
        pages["app"] = export_pdf(services, options, folder / f"{label}.pdf").pages

    def plain() -> None:
        pages["plain"] = plain_layout(texts, folder / f"{label}-plain.pdf", fonts.regular)

    export, baseline = median_seconds(app, plain, repeat=repeat)
    result = export_pdf(services, replace(options), folder / f"{label}-check.pdf")
    ratio = export / baseline
    print(
        f"{label}: {result.activities:,} activities, {result.lessons:,} lessons; "
        f"{len(texts):,} paragraphs of the user's text",
        flush=True,
    )
    print(
        f"  app PDF (export_pdf), median of {repeat}     {export:7.2f} s  {pages['app']:6,} pages"
    )
    print(f"  plain platypus, the user's text    {baseline:7.2f} s  {pages['plain']:6,} pages")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(
        f"  ratio {ratio:.2f}x time, {pages['app'] / pages['plain']:.2f}x pages "
        f"-> {verdict} the target of {TARGET_RATIO}x",
        flush=True,
    )
    harness.record(f"PDF {label}", export, baseline=baseline, runs=repeat)
    return {"activities": result.activities, "seconds": export, "ratio": ratio, "label": label}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), choices=SIZES)
    parser.add_argument(
        "--runs", type=int, default=harness.runs(3), help="runs at 1k (larger sizes: 1)"
    )
    args = parser.parse_args(argv)
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for source in sorted({1_000 if size == 1_000 else 10_000 for size in args.sizes}):
            data_dir = dataset.copy_of(dataset.Spec(activities=source), root / f"data-{source}")
            with dataset.unlocked():
                services = dataset.open_dataset(data_dir)
            try:
                for size in (s for s in args.sizes if (s == 1_000) == (source == 1_000)):
                    period = later_half(services) if size == 5_000 else CAREER
                    runs = args.runs if size == 1_000 else 1
                    figures.append(measure(services, period, root, f"{size // 1000}k", runs))
            finally:
                services.close()
    if len(figures) > 1:
        first = figures[0]
        for figure in figures[1:]:
            per = (figure["seconds"] / figure["activities"]) / (
                first["seconds"] / first["activities"]
            )
            print(
                f"linearity: {figure['activities']:,.0f} activities cost {per:.2f}x "
                f"per activity what {first['activities']:,.0f} did"
            )
            each = [f["seconds"] / f["activities"] for f in (figure, first)]
            harness.record(f"PDF per activity {figure['label']}", each[0], baseline=each[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
