"""The "what if" line of the activity dialog: how much the activity being typed adds to the
breadth score, so people see which work widens their reach before they save it."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from portfolio_app.domain.enums import Status
from portfolio_app.domain.records import Activity
from portfolio_app.report import build_report, load_report_inputs
from portfolio_app.scoring import ScoringPolicyError
from portfolio_app.services import AppServices
from portfolio_app.services.errors import ProfileMissing
from portfolio_app.ui.widgets.validation import MUTED_STYLE

log = logging.getLogger(__name__)


class ScorePreview(QLabel):
    """Reads the portfolio once when the dialog opens; each change of the form is then one
    pass over the activities already in memory."""

    def __init__(self, services: AppServices, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Score preview")
        self.setWordWrap(True)
        self.setStyleSheet(MUTED_STYLE)
        self.setToolTip(
            "Your breadth score rewards reaching new sectors most, deeper work next, "
            "and fades old work slowly (see the Breadth page)."
        )
        self.today = today
        self._ready = False
        try:
            source = load_report_inputs(services)
        except ProfileMissing:
            self.hide()
            return
        except ScoringPolicyError:
            log.warning("no score preview: the taxonomy's scoring policy is not valid")
            self.hide()
            return
        # The dashboard's report, today: the preview asks it what one more activity adds.
        self.report = build_report(source, as_of=today, trend=())
        taxonomy = source.taxonomy
        self._home_label = taxonomy.label(taxonomy.top_level_of(source.home_sector_id))
        self.current = self.report.score
        self._ready = True

    def update_for(self, draft: Activity) -> None:
        if self._ready:
            self.setText(self.describe(draft))

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
