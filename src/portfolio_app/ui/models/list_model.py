"""A windowed table model over a list's ids: the order, the filters and the search are the
database's (services/table_queries.py); the display rows are read in blocks as the view asks
for them, and a few blocks are kept. A list of 100k entries holds 100k ints, not 100k records.

Damaged entries (stored values that could not be read) follow the good ones, marked, with what
is wrong as their tooltip; their id opens them like any row (the service then explains).

The search box (issue 12): the ids of the list unsearched, in order, are kept per sort and
filters; a search is one FTS5 query for the matching ids, kept in that order. On a long list
`search_later` runs it on a worker thread (`SearchJob`), one at a time: a search asked for
while one runs waits, and only the newest waiting one starts; a result that something newer
(a search, sort, filter or refresh) has overtaken is dropped, so the keystroke itself only
repaints the box."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
)

from portfolio_app.domain.damaged import DamagedRecord
from portfolio_app.services.table_queries import (
    ActivityFilters,
    ListRow,
    TableQueries,
    TableQuery,
    narrowed,
)
from portfolio_app.ui.models.record_table_model import (
    ID_ROLE,
    RECORD_ROLE,
    damaged_data,
    damaged_label,
    header_title,
)

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

log = logging.getLogger(__name__)

# Rows read at once, around the one the view asks for: about two screens (each row read is a
# few random pages of a large file, so a jump to the end reads no more than it shows).
BLOCK = 64
KEEP = 5_000  # rows kept at most (a few screens either way); then the cache starts again
# A list with at most this many entries searches on the keystroke itself (a few ms); a longer
# one searches on a worker thread (search_later). By size, not by time, so it is predictable.
SEARCH_AT_ONCE_UP_TO = 2_000

OrderKey = tuple[int, bool, ActivityFilters]


def _order_key(query: TableQuery) -> OrderKey:
    return (query.sort_column, query.descending, query.filters)


@dataclass(frozen=True)
class _Listing:
    """What one query lists: the ids unsearched (in order) and searched, the search's matching
    ids, the first rows read ahead (by a worker), whether the log holds any entry."""

    query: TableQuery
    ordered: list[int]
    matching: frozenset[int] | None
    ids: list[int]
    has_entries: bool
    rows: dict[int, ListRow]
    seconds: float


def _listing(
    tables: TableQueries,
    query: TableQuery,
    exclude: list[int],
    ordered: list[int] | None,
    matching: tuple[frozenset[int] | None] | None,
    *,
    read_ahead: bool = False,
) -> _Listing:
    """The listing of `query` (no Qt: runs on any thread); `ordered` and `matching` are the
    kept answers of the same order and search, None to ask the database."""
    started = time.perf_counter()
    if ordered is None:
        ordered = tables.ids(replace(query, search=""), exclude)
    found = tables.matching(query.kind, query.search) if matching is None else matching[0]
    ids = narrowed(ordered, found)
    if ordered or exclude or query.filters == ActivityFilters():
        has_entries = bool(ordered or exclude)
    else:
        has_entries = tables.count(query.kind) > 0
    rows = tables.rows(query.kind, ids[:BLOCK]) if read_ahead else {}
    return _Listing(query, ordered, found, ids, has_entries, rows, time.perf_counter() - started)


class SearchJob(QThread):
    """One listing worked out off the UI thread; `listed(generation, listing or error)`
    arrives on the UI thread. Running jobs are kept until they end (a QThread destroyed
    while it runs aborts the process)."""

    listed = Signal(int, object)
    _running: ClassVar[set[SearchJob]] = set()
    _quit_hooked: ClassVar[bool] = False

    def __init__(self, work: Callable[[], _Listing], generation: int) -> None:
        super().__init__()
        self.generation = generation
        self._work = work
        self.finished.connect(self._ended)

    def start_job(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not SearchJob._quit_hooked:
            app.aboutToQuit.connect(SearchJob.wait_all)
            SearchJob._quit_hooked = True
        SearchJob._running.add(self)
        self.start()

    def run(self) -> None:
        try:
            result: object = self._work()
        except Exception as exc:  # e.g. the data closed meanwhile: the list stays as it was
            log.debug("a search of the list failed", exc_info=True)
            result = exc
        self.listed.emit(self.generation, result)

    def _ended(self) -> None:
        SearchJob._running.discard(self)
        self.deleteLater()

    @classmethod
    def wait_all(cls) -> None:
        """Wait for every running search (before the database closes)."""
        for job in list(cls._running):
            job.wait()


@dataclass(frozen=True)
class ListColumn(Generic[R]):
    title: str
    text: Callable[[R], str]
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    width: int = 120  # initial width in pixels; the user's own widths are restored over it


class ListModel(QAbstractTableModel, Generic[R]):
    """One list of the main window (`kind`: "activity", "lesson"...), sorted with sort().

    `searched` is emitted when a search asked for with `search_later` is shown."""

    searched = Signal()

    def __init__(
        self,
        tables: TableQueries,
        kind: str,
        columns: Sequence[ListColumn[R]],
        *,
        sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    ) -> None:
        super().__init__()
        self.tables = tables
        self.kind = kind
        self._columns = list(columns)
        column, order = sort
        self.query = TableQuery(kind, column, order == Qt.SortOrder.DescendingOrder)
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None  # made when first asked (row_of)
        self._rows: dict[int, R] = {}
        self._all_damaged: list[DamagedRecord] = []
        self._damaged: list[DamagedRecord] = []
        self._has_entries = False
        # Kept answers: the unsearched ids of one order + filters, the matching ids of one search.
        self._ordered: tuple[OrderKey, list[int]] | None = None
        self._matching: tuple[str, frozenset[int] | None] | None = None
        self._generation = 0  # bumped by every query: a worker's older result is dropped
        self._job: SearchJob | None = None
        self.last_query_seconds = 0.0  # how long the last listing took to work out

    # ----- what is listed -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the damaged entries and the ids again (the data changed); drops every row."""
        self._all_damaged = self.tables.damaged(self.kind)
        self._ordered = self._matching = None
        self.requery()

    def requery(self) -> None:
        """The ids for the current query (sort, search, filters), now; drops every row read."""
        self._generation += 1
        self._show(self._work_out(read_ahead=False))

    def _work_out(self, *, read_ahead: bool) -> _Listing:
        query = self.query
        ordered = self._ordered_kept()
        matching = (
            (self._matching[1],) if self._matching and self._matching[0] == query.search else None
        )
        exclude = [d.id for d in self._all_damaged]
        return _listing(self.tables, query, exclude, ordered, matching, read_ahead=read_ahead)

    def _show(self, listing: _Listing) -> None:
        query = listing.query
        self._ordered = (_order_key(query), listing.ordered)
        self._matching = (query.search, listing.matching)
        words = query.search.casefold().split()
        damaged = [
            d
            for d in self._all_damaged
            if all(w in f"{damaged_label(d)} {d.reason}".casefold() for w in words)
        ]
        self.beginResetModel()
        self._ids = listing.ids
        self._positions = None
        self._rows = dict(listing.rows)  # type: ignore[arg-type]
        self._damaged = damaged
        self._has_entries = listing.has_entries
        self.endResetModel()
        self.last_query_seconds = listing.seconds

    def set_search(self, text: str) -> None:
        """Search now (the UI thread waits for the answer)."""
        self.query = replace(self.query, search=text)
        self.requery()

    def search_later(self, text: str) -> None:
        """Search for `text`: at once on a short list, else on a worker thread (the list
        changes when the answer comes, `searched` then; an overtaken answer is dropped)."""
        self.query = replace(self.query, search=text)
        self._generation += 1
        if self._short() or (self._matching_kept() and self._ordered_kept() is not None):
            self.requery()
            self.searched.emit()
            return
        if self._job is None:
            self._start_job()

    def _ordered_kept(self) -> list[int] | None:
        """The kept unsearched ids if they are of the current order and filters."""
        if self._ordered is None or self._ordered[0] != _order_key(self.query):
            return None
        return self._ordered[1]

    def searches_at_once(self) -> bool:
        """Whether a search of this list is quick enough for the keystroke itself."""
        return self._short()

    def _short(self) -> bool:
        ordered = self._ordered_kept()
        return ordered is not None and len(ordered) + len(self._all_damaged) <= SEARCH_AT_ONCE_UP_TO

    def _matching_kept(self) -> bool:
        return self._matching is not None and self._matching[0] == self.query.search

    def _start_job(self) -> None:
        query, generation = self.query, self._generation
        ordered = self._ordered_kept()
        exclude = [d.id for d in self._all_damaged]

        def work() -> _Listing:
            return _listing(self.tables, query, exclude, ordered, None, read_ahead=True)

        job = SearchJob(work, generation)
        job.listed.connect(self._listed)
        self._job = job
        job.start_job()

    def _listed(self, generation: int, result: object) -> None:
        self._job = None
        if generation != self._generation:  # overtaken: dropped
            if self._searching_behind():
                self._start_job()  # the newest search asked for while this one ran
            return
        if isinstance(result, _Listing):
            self._show(result)
        self.searched.emit()  # a failure leaves the list as it was (logged)

    def _searching_behind(self) -> bool:
        return self.query.search != (self._matching[0] if self._matching else None)

    def search_pending(self) -> bool:
        """Whether a search runs on a worker or waits for one."""
        return self._job is not None

    def set_filters(self, filters: ActivityFilters) -> None:
        self.query = replace(self.query, filters=filters)
        self.requery()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self.query.sort_column, self.query.descending):
            return
        self.query = replace(self.query, sort_column=column, descending=descending)
        self.requery()

    def has_entries(self) -> bool:
        """Whether the log holds any entry of this kind (a search may show none of them)."""
        return self._has_entries

    def ids(self) -> list[int]:
        """The good entries' ids, in the order shown."""
        return list(self._ids)

    def damaged(self) -> list[DamagedRecord]:
        """Every damaged entry of this kind (also those a search hides)."""
        return list(self._all_damaged)

    def column_widths(self) -> list[int]:
        return [c.width for c in self._columns]

    def id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._ids):
            return self._ids[row]
        if 0 <= row - len(self._ids) < len(self._damaged):
            return self._damaged[row - len(self._ids)].id
        return None

    def row_of(self, record_id: int) -> int | None:
        if self._positions is None:
            self._positions = {entry: row for row, entry in enumerate(self._ids)}
        row = self._positions.get(record_id)
        if row is not None:
            return row
        for row, entry in enumerate(self._damaged, start=len(self._ids)):
            if entry.id == record_id:
                return row
        return None

    def record(self, row: int) -> R | None:
        """The display row at `row` (read with its block if needed); None for a damaged one."""
        if not 0 <= row < len(self._ids):
            return None
        record_id = self._ids[row]
        found = self._rows.get(record_id)
        if found is None:
            self._read_block(row)
            found = self._rows.get(record_id)
        return found

    def _read_block(self, row: int) -> None:
        if len(self._rows) >= KEEP:
            self._rows = {}
        start = (row // BLOCK) * BLOCK
        wanted = [i for i in self._ids[start : start + BLOCK] if i not in self._rows]
        self._rows.update(self.tables.rows(self.kind, wanted))  # type: ignore[arg-type]

    # ----- Qt's model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ids) + len(self._damaged)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        if index.row() >= len(self._ids):
            entry = self._damaged[index.row() - len(self._ids)]
            return damaged_data(entry, index.column(), role)
        if role == ID_ROLE:
            return self._ids[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            RECORD_ROLE,
        ):
            return None
        record = self.record(index.row())
        if record is None:  # deleted since the ids were read: shown on the next refresh
            return None
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        return column.text(record)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title([c.title for c in self._columns], section, orientation, role)
