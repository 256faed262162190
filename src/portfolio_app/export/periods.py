"""Reporting periods: the 12 months up to a day, appraisal years, and the period before one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Public services in the UK mostly run their appraisal year with the financial year.
APPRAISAL_YEAR_START_MONTH = 4


def format_day(day: date) -> str:
    """'3 Mar 2026': unambiguous for UK and US readers alike."""
    return f"{day.day} {day:%b %Y}"


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"the period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def overlaps(self, first: date, last: date) -> bool:
        return first <= self.end and last >= self.start

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        return f"{format_day(self.start)} – {format_day(self.end)}"


def last_twelve_months(today: date) -> Period:
    """The default period: the 12 months up to and including `today`."""
    return Period(_years_back(today, 1) + timedelta(days=1), today)


def appraisal_year(containing: date) -> Period:
    """The appraisal (financial) year, 1 April to 31 March, that contains a day."""
    year = (
        containing.year if containing.month >= APPRAISAL_YEAR_START_MONTH else containing.year - 1
    )
    return Period(
        date(year, APPRAISAL_YEAR_START_MONTH, 1),
        date(year + 1, APPRAISAL_YEAR_START_MONTH, 1) - timedelta(days=1),
    )


@dataclass(frozen=True)
class Preset:
    label: str
    period: Period


def presets(today: date, last_review: date | None = None, years: int = 3) -> list[Preset]:
    """The periods an export dialog offers: the last 12 months, the period since the last
    review, then this and earlier appraisal years (a year still running ends today)."""
    out = [Preset("Last 12 months", last_twelve_months(today))]
    if last_review is not None and last_review < today:
        out.append(
            Preset(
                f"Since the last review ({format_day(last_review)})",
                Period(last_review + timedelta(days=1), today),
            )
        )
    current = appraisal_year(today)
    for back in range(years):
        year = appraisal_year(_years_back(current.start, back))
        end = min(year.end, today)
        running = " (so far)" if year.end > today else ""
        name = f"Appraisal year {year.start.year}/{str(year.end.year)[-2:]}{running}"
        out.append(Preset(name, Period(year.start, end)))
    return out


def format_span(start: date, end: date | None) -> str:
    """'3 Mar 2026', '3 Mar – 1 Jun 2026' or '3 Dec 2025 – 1 Feb 2026'."""
    if end is None or end == start:
        return format_day(start)
    if start.year == end.year:
        return f"{start.day} {start:%b} – {format_day(end)}"
    return f"{format_day(start)} – {format_day(end)}"
