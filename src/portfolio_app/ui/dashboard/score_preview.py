"""The "what if" line of the activity dialog: how much the activity being typed adds to the
breadth score, so people see which work widens their reach before they save it.

The dialog opens at once: the preview reuses the inputs the Breadth page loaded
(`report.current_report_inputs`, read again only when the data has changed) and the report worked
out from them, in a worker thread (`PreviewJob`) started only once the dialog has painted its
first frame (no worker holds the GIL while it opens): until they arrive the line says it is working
the score out, then it answers the latest state of the form. Each change of the form is one
what-if of the activity being typed (added, or replacing the logged one it edits).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from portfolio_app.domain.enums import Status
from portfolio_app.domain.records import Activity
from portfolio_app.report import BreadthReport, ReportInputs, build_report, current_report_inputs
from portfolio_app.scoring import ScoringPolicyError
from portfolio_app.services import AppServices
from portfolio_app.services.errors import ProfileMissing
from portfolio_app.ui.dashboard.score_job import ScoreJob
from portfolio_app.ui.widgets.validation import MUTED_STYLE

log = logging.getLogger(__name__)

WORKING = "Working out what this activity adds to your breadth score…"

# The last report worked out for the preview: the inputs it came from (compared by identity:
# `current_report_inputs` returns the same object until the data changes), its date, the report.
_last: tuple[ReportInputs, date, BreadthReport] | None = None
_last_lock = threading.Lock()


def report_for(source: ReportInputs, today: date) -> BreadthReport:
    """The report of `source` on `today`, reused while neither changes (each dialog opened on
    the same data asks only its what-if). Safe from any thread."""
    global _last
    with _last_lock:
        if _last is not None and _last[0] is source and _last[1] == today:
            return _last[2]
    report = build_report(source, as_of=today, trend=())
    with _last_lock:
        _last = (source, today, report)
    return report


class PreviewJob(ScoreJob):
    """The preview's report, worked out off the UI thread (ScoreJob keeps a running job alive
    until it ends and waits for it when the app quits). `computed(0, report)` or
    `failed(0, error)` arrive on the UI thread; `outcome` holds the same once it is known.

    Dialogs opened while one job runs share it (`for_services`): a second dialog, opened
    before the first one's score is in, does not read the portfolio a second time."""

    _shared: ClassVar[dict[tuple[int, date], PreviewJob]] = {}

    def __init__(self, services: AppServices, today: date) -> None:
        super().__init__(services, today, generation=0)
        self._source_of = services
        self._today = today
        self.outcome: BreadthReport | Exception | None = None
        self._key = (id(services.db), today)

    @classmethod
    def for_services(cls, services: AppServices, today: date) -> PreviewJob:
        """The running job for this database and day, or a new one, started."""
        job = cls._shared.get((id(services.db), today))
        if job is None:
            job = cls(services, today)
            cls._shared[job._key] = job
            job.finished.connect(job._unshare)
            job.start_job()
        return job

    def _unshare(self) -> None:
        if PreviewJob._shared.get(self._key) is self:
            del PreviewJob._shared[self._key]

    def run(self) -> None:
        try:
            report = report_for(current_report_inputs(self._source_of), self._today)
        except Exception as exc:  # the preview hides itself; the dialog stays
            self.outcome = exc
            self.failed.emit(self.generation, exc)
            return
        self.outcome = report
        self.computed.emit(self.generation, report)


class WhatIfJob(ScoreJob):
    """One what-if off the UI thread (a pass over every activity: at 100k, a good part of a
    second): `computed(generation, text)` arrives on the UI thread. `describe` only reads the
    preview's report, which never changes once it is in."""

    def __init__(
        self,
        services: AppServices,
        today: date,
        describe: Callable[[Activity], str],
        draft: Activity,
        generation: int,
    ) -> None:
        super().__init__(services, today, generation=generation)
        self._describe = describe
        self.draft = draft

    def run(self) -> None:
        try:
            text = self._describe(self.draft)
        except Exception as exc:  # the preview hides itself; the dialog stays
            self.failed.emit(self.generation, exc)
            return
        self.computed.emit(self.generation, text)


class ScorePreview(QLabel):
    """What the activity being typed adds to the breadth score; `ready` once it can say.

    `in_background` False works the report out at once, on the UI thread (tests that read the
    line right after building the dialog; tests/ui/conftest.py, as for the Breadth page)."""

    ready = Signal()
    in_background: ClassVar[bool] = True

    def __init__(self, services: AppServices, today: date, parent: QWidget | None = None) -> None:
        super().__init__(WORKING, parent)
        self.setAccessibleName("Score preview")
        self.setWordWrap(True)
        self.setStyleSheet(MUTED_STYLE)
        self.setToolTip(
            "Your breadth score rewards reaching new sectors most, deeper work next, "
            "and fades old work slowly (see the Breadth page)."
        )
        self.today = today
        self.current = 0.0
        self._ready = False
        self._draft: Activity | None = None
        self._services = services
        self._asking: WhatIfJob | None = None  # the what-if a worker works out (background)
        if not self.in_background:
            try:
                report = report_for(current_report_inputs(services), today)
            except Exception as exc:  # as the worker's: the preview hides itself
                self._on_failed(0, exc)
            else:
                self._on_computed(0, report)
            return
        # No worker competes with the dialog's first frame (a what-if is a Python pass over
        # every activity, holding the GIL most of the time): the work begins once the window
        # has painted, or, for a window that is not shown, when the event loop next runs.
        self._begun = False
        self._shown = False
        self._window = parent.window() if parent is not None else self
        self._window.installEventFilter(self)
        QTimer.singleShot(0, self, self._begin_unless_shown)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and not self._begun:
            kind = event.type()
            if kind == QEvent.Type.Show:
                self._shown = True
            elif kind == QEvent.Type.Paint and self._shown:
                # Posted: it runs after this frame is painted and flushed to the screen.
                QTimer.singleShot(0, self, self._begin)
        elif watched is self._window and event.type() == QEvent.Type.Show and self._ready:
            QTimer.singleShot(0, self, self._answer_if_open)
        return False

    def _begin_unless_shown(self) -> None:
        if not self._shown:
            self._begin()

    def _begin(self) -> None:
        if self._begun:
            return
        self._begun = True
        job = PreviewJob.for_services(self._services, self.today)
        job.computed.connect(self._on_computed)
        job.failed.connect(self._on_failed)
        # Done before the connections were made (its signals went to earlier dialogs only)?
        if isinstance(job.outcome, BreadthReport):
            self._on_computed(0, job.outcome)
        elif job.outcome is not None:
            self._on_failed(0, job.outcome)

    def has_begun(self) -> bool:
        """True once the preview's work has started (after the window's first frame)."""
        return not self.in_background or self._begun

    def _open(self) -> bool:
        """False once the window shown is closed or hidden: no more what-ifs for it."""
        return not self._shown or self._window.isVisible()

    def _answer_if_open(self) -> None:
        if self._draft is not None and self._ready and self._asking is None:
            self._answer(self._draft)

    def is_ready(self) -> bool:
        """True once the report is in and the line answers the form as it is."""
        return self._ready and self._asking is None

    def _on_computed(self, _generation: int, report: object) -> None:
        assert isinstance(report, BreadthReport)
        if self._ready:
            return
        self.report = report
        taxonomy = report.source.taxonomy
        self._home_label = taxonomy.label(taxonomy.top_level_of(report.source.home_sector_id))
        self.current = report.score
        self._ready = True
        if self._draft is not None:
            self._answer(self._draft)
        if self._asking is None:
            self.ready.emit()

    def _on_failed(self, _generation: int, error: object) -> None:
        if isinstance(error, ScoringPolicyError):
            log.warning("no score preview: the taxonomy's scoring policy is not valid")
        elif not isinstance(error, ProfileMissing):
            log.warning("no score preview: %s", error)
        self.hide()

    def update_for(self, draft: Activity) -> None:
        self._draft = draft
        if self._ready:
            self._answer(draft)

    def _answer(self, draft: Activity) -> None:
        """Say what `draft` adds: at once, or (in the background) from a worker, one at a
        time, the form's latest state asked next when the running one ends."""
        if not self.in_background:
            self.setText(self.describe(draft))
            return
        if self._asking is not None:
            return  # `_on_answered` asks again for the newest draft
        if not self._open():
            return  # closed: showing it again asks (eventFilter)
        job = WhatIfJob(self._services, self.today, self.describe, draft, 0)
        job.computed.connect(self._on_answered)
        job.failed.connect(self._on_failed)
        self._asking = job
        job.start_job()

    def _on_answered(self, _generation: int, text: object) -> None:
        job, self._asking = self._asking, None
        self.setText(str(text))
        if self._draft is not None and (job is None or job.draft is not self._draft):
            self._answer(self._draft)  # the form changed meanwhile
        else:
            self.ready.emit()

    def describe(self, draft: Activity) -> str:
        now = f"(now {self.current:.1f})"
        if draft.status is Status.PLANNED:
            done = replace(draft, status=Status.DONE)
            gain = self._gain(done, max(self.today, done.last_day))
            if gain is None:
                return f"Planned work counts once it is done. {self._no_sector()}"
            return (
                f"Planned work counts once it is done: then this activity adds about "
                f"+{gain:.1f} to your breadth score {now}."
            )
        if draft.start > self.today:
            gain = self._gain(draft, draft.last_day)
            if gain is None:
                return f"It starts after today, and counts from then. {self._no_sector()}"
            return (
                f"It starts after today: from then it adds about +{gain:.1f} "
                f"to your breadth score {now}."
            )
        gain = self._gain(draft, self.today)
        if gain is None:
            return f"This activity adds nothing to your breadth score {now}. {self._no_sector()}"
        return f"This activity adds +{gain:.1f} to your breadth score {now}."

    def _gain(self, candidate: Activity, at: date) -> float | None:
        """What `candidate` adds on `at`, or None if it reaches no sector that is scored."""
        effect = self.report.what_if(candidate, at)
        return effect.gain if effect.shares else None

    def _no_sector(self) -> str:
        return (
            f"Tick an organisation, contact or sector outside {self._home_label} for it to count."
        )
