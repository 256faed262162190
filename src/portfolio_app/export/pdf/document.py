"""Assemble the portfolio with platypus and write it safely.

- Page furniture: a running header (name, period) and "Page N of M" on every page but the cover;
  the total is known only at the end, so pages are kept until then (one layout pass, not two).
- A PDF outline (bookmarks) for every section and every activity, and document metadata.
- The file is written under a temporary name beside the target and renamed at the end, so a
  cancelled or failed export never leaves a partial PDF; Cancel is checked as pages are laid out.
  A new PDF is owner-only (it holds the user's entries); one it replaces keeps its mode.
- `reproducible` uses reportlab's invariant mode (fixed creation date and document id), so the
  same data, options and export date give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from portfolio_app import __version__
from portfolio_app.atomic_files import write_atomically
from portfolio_app.charts.fonts import BOLD, Fonts
from portfolio_app.charts.score_charts import fit_text
from portfolio_app.export.pdf.activities_section import activities_flowables
from portfolio_app.export.pdf.appendix import appendix_flowables
from portfolio_app.export.pdf.content import ExportOptions, PortfolioContent, build_content
from portfolio_app.export.pdf.cover import cover_drawing
from portfolio_app.export.pdf.flowables import Heading
from portfolio_app.export.pdf.goals_section import goals_flowables
from portfolio_app.export.pdf.lessons import lessons_flowables
from portfolio_app.export.pdf.review_page import review_flowables
from portfolio_app.export.pdf.styles import (
    HEADING,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    RULE,
    make_styles,
    page_size,
)
from portfolio_app.export.pdf.summary_page import summary_flowables
from portfolio_app.export.periods import format_day
from portfolio_app.file_checks import output_target
from portfolio_app.services.progress import Progress

if TYPE_CHECKING:
    from portfolio_app.services import AppServices

TITLE = "Cross-sector learning portfolio"
KEYWORDS = ["portfolio", "cross-sector", "appraisal", "learning log", "public services"]
SECTION_UNITS = 6  # progress units besides one per activity: content, and one per section


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pages: int
    activities: int
    lessons: int
    warnings: tuple[str, ...]  # e.g. characters no font could print


class _Furniture:
    """The running header and footer. What is the same on every page is drawn once, as a form
    the pages refer to; only the page number is drawn on each."""

    FORM = "PortfolioFurniture"

    def __init__(self, content: PortfolioContent, fonts: Fonts, page: tuple[float, float]) -> None:
        self.content, self.fonts, self.page = content, fonts, page
        shared = (
            "shared entries only" if not content.includes_private else "includes private entries"
        )
        self.footer_left = f"Exported {format_day(content.export_date)} · {shared}"

    def draw_static(self, canvas: Canvas) -> None:
        width, height = self.page
        fonts = self.fonts
        top = height - MARGIN_TOP + 10
        period = self.content.period.label()
        room = width - 2 * MARGIN_X - fonts.width(period, 8) - 12  # what the period leaves
        title = f"  ·  {TITLE}"
        name = fit_text(self.content.person.name, fonts, room, 8, BOLD)
        name_width = fonts.width(name, 8, BOLD)
        canvas.setFillColor(HEADING)
        fonts.draw(canvas, MARGIN_X, top + 4, name, 8, BOLD)
        canvas.setFillColor(MUTED)
        if name_width + fonts.width(title, 8) <= room:
            fonts.draw(canvas, MARGIN_X + name_width, top + 4, title, 8)
        fonts.draw(canvas, width - MARGIN_X, top + 4, period, 8, anchor="end")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top, width - MARGIN_X, top)
        bottom = MARGIN_BOTTOM - 10
        canvas.line(MARGIN_X, bottom, width - MARGIN_X, bottom)
        fonts.draw(canvas, MARGIN_X, bottom - 11, self.footer_left, 7.5)

    def draw_continued(self, canvas: Canvas, section: str) -> None:
        """ "Activities (continued)" under the header rule of a page that goes on with a
        section begun on an earlier one (in the gap above the body frame)."""
        width, height = self.page
        canvas.setFillColor(HEADING)
        text = fit_text(f"{section} (continued)", self.fonts, width - 2 * MARGIN_X, 7.5, BOLD)
        self.fonts.draw(canvas, MARGIN_X, height - MARGIN_TOP + 2, text, 7.5, BOLD)

    def draw_number(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.setFillColor(INK)
        self.fonts.draw(
            canvas, self.page[0] - MARGIN_X, MARGIN_BOTTOM - 21, f"Page {number} of {total}",
            7.5, anchor="end",
        )  # fmt: skip


class _DeferredCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Keeps each finished page until the end, then adds the page furniture to all of them
    knowing the total ("page N of M") and writes them out. Page 1, the cover, has none.

    The document's page counter still advances page by page, so bookmarks made while laying
    out point at the right page."""

    def __init__(
        self, *args: Any, furniture: _Furniture, continued: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._continued = continued  # page number -> the section it goes on with
        self._pages: list[dict[str, Any]] = []
        self._first_page_counter = self._doc.pageCounter
        self.page_total = 0

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._doc.pageCounter += 1
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        self._doc.pageCounter = self._first_page_counter
        for index, state in enumerate(self._pages):
            self.__dict__.update(state)
            if index == 1:
                self.beginForm(_Furniture.FORM)
                self._furniture.draw_static(self)
                self.endForm()
            if index >= 1:
                self.saveState()
                self.doForm(_Furniture.FORM)
                self._furniture.draw_number(self, self._pageNumber, total)
                section = self._continued.get(self._pageNumber)
                if section is not None:
                    self._furniture.draw_continued(self, section)
                self.restoreState()
            super().showPage()
        self.page_total = total
        super().save()


class _PortfolioDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    def __init__(
        self,
        file: BinaryIO,
        page: tuple[float, float],
        progress: Progress,
        total: int,
        continued: dict[int, str],
        **kw: Any,
    ) -> None:
        super().__init__(file, pagesize=page, **kw)
        # The section being laid out, and each page that goes on with one begun earlier.
        self._section: str | None = None
        self._continued = continued
        width, height = page
        cover = Frame(0, 0, width, height, 0, 0, 0, 0, id="cover")
        body = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            width - 2 * MARGIN_X,
            height - MARGIN_TOP - MARGIN_BOTTOM,
            0,
            0,
            0,
            0,
            id="body",
        )
        self.addPageTemplates([PageTemplate("cover", [cover]), PageTemplate("body", [body])])
        self._progress = progress
        self._total = total
        self._done = 0

    def beforePage(self) -> None:
        if self._section is not None:
            self._continued[self.page] = self._section  # unless a section opens the page

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading) and flowable.outline.level == 0:
            if self._curPageFlowableCount == 1:  # the page opens with this section
                self._continued.pop(self.page, None)
            self._section = flowable.outline.title
        if isinstance(flowable, Heading) and (
            flowable.outline.level == 0 or flowable.outline.counts_as_progress
        ):
            self._done += 1
            self._progress.report(min(self._done, self._total), self._total)


def build_story(
    content: PortfolioContent, fonts: Fonts, page: tuple[float, float]
) -> list[Flowable]:
    styles = make_styles(fonts)
    width = page[0] - 2 * MARGIN_X
    cover = cover_drawing(content.cover, fonts, (page[0], page[1] - 1))
    story: list[Flowable] = [cover, NextPageTemplate("body"), PageBreak()]
    story += summary_flowables(content, styles, width)
    story.append(PageBreak())
    story += activities_flowables(content, styles, width)
    story.append(PageBreak())
    story += lessons_flowables(content, styles, width)
    story += goals_flowables(content, styles, width)
    story += review_flowables(content, styles, width)
    story += appendix_flowables(content, styles, width)
    return story


def render_pdf(
    content: PortfolioContent,
    out: Path,
    progress: Progress | None = None,
    fonts: Fonts | None = None,
) -> ExportResult:
    """Lay out `content` and write it to `out` (replacing it only once complete)."""
    progress = progress or Progress()
    fonts = fonts or Fonts()
    # Check the place before the layout, so a device, folder or missing folder is refused at
    # once (OutputRefused); write_atomically checks again when it writes.
    output_target(out)
    page = page_size(content.paper)
    total = len(content.activities) + SECTION_UNITS
    progress.report(1, total)
    story = build_story(content, fonts, page)
    name = content.person.name
    canvases: list[_DeferredCanvas] = []
    continued: dict[int, str] = {}

    def canvasmaker(*args: Any, **kwargs: Any) -> _DeferredCanvas:
        furniture = _Furniture(content, fonts, page)
        canvas = _DeferredCanvas(*args, furniture=furniture, continued=continued, **kwargs)
        canvases.append(canvas)
        return canvas

    def write(handle: BinaryIO) -> None:
        doc = _PortfolioDocTemplate(
            handle,
            page,
            progress,
            total,
            continued,
            title=f"{TITLE}: {name}",
            author=name,
            subject=f"{TITLE} of {name} for {content.period.label()}",
            keywords=KEYWORDS,
            creator=f"Portfolio {__version__}",
            invariant=1 if content.reproducible else None,
            initialFontName=fonts.regular,
            initialFontSize=9.5,
            lang="en-GB",
            displayDocTitle=1,
        )
        doc.build(story, canvasmaker=canvasmaker)
        progress.check()

    # Owner-only unless it replaces a file (which keeps its mode): the PDF holds entries.
    write_atomically(out, write)
    return ExportResult(
        path=out,
        pages=canvases[-1].page_total if canvases else 0,
        activities=len(content.activities),
        lessons=len(content.lessons),
        warnings=tuple(fonts.warnings()),
    )


def export_pdf(
    services: AppServices,
    options: ExportOptions,
    out: Path,
    progress: Progress | None = None,
    fonts: Fonts | None = None,
) -> ExportResult:
    """Build the portfolio for `options` and write it to `out`. Raises Cancelled if the user
    cancels through `progress` (leaving no file behind)."""
    progress = progress or Progress()
    progress.report(0, 0)  # not known yet: a busy indicator
    content = build_content(services, options, progress)
    return render_pdf(content, out, progress, fonts)
