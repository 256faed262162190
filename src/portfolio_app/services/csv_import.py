"""Import activities from CSV, or from a workbook's first sheet (.xlsx, .ods): all or nothing,
every bad row reported."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.names import name_key
from portfolio_app.domain.records import Activity, Contact, Organisation
from portfolio_app.domain.validation import MAX_TITLE, activity_errors, activity_warnings
from portfolio_app.file_checks import (
    InputRefused,
    InputTooLarge,
    check_input_file,
    read_input_bytes,
)
from portfolio_app.services import csv_file_kind as kind
from portfolio_app.services import csv_format as fmt
from portfolio_app.services import spreadsheet_reader
from portfolio_app.services.activities import ActivityService
from portfolio_app.services.base import ServiceBase
from portfolio_app.services.contacts import ContactService
from portfolio_app.services.csv_checks import DateOrder, lost_letter
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.organisations import OrganisationService
from portfolio_app.services.progress import Progress
from portfolio_app.services.spreadsheet_cells import cell_text
from portfolio_app.services.spreadsheet_reader import Sheet, SpreadsheetError, read_first_sheet
from portfolio_app.storage import tables as t
from portfolio_app.storage.mapping import fill_activity
from portfolio_app.storage.search_index import documents_once
from portfolio_app.taxonomy import SectorLookupError

# A CSV is streamed, so its limit only guards against absurd files: the app's own export of a
# whole career (100k activities, about 90 MB) imports; the rows checked are held until the write,
# about 1.5 KB each, so 256 MB (some 300k activities) still fits in memory (docs/csv-format.md).
MAX_FILE_BYTES = 256 * 1024 * 1024
# A workbook is unzipped and parsed whole, in memory: it keeps the old, smaller limit.
MAX_SHEET_BYTES = 50 * 1024 * 1024
MAX_CELL_CHARS = 1_000_000
WRITE_BATCH = 2_000  # new activities per bulk insert


@dataclass(frozen=True)
class RowProblem:
    # The file's physical line where the row starts (a spreadsheet's row number when `sheet` is
    # set); 0 for the file as a whole.
    line: int
    column: str
    message: str
    sheet: str = ""  # the sheet's name, for a spreadsheet

    def __str__(self) -> str:
        where = [f"sheet {self.sheet!r}"] if self.sheet else []
        where += [f"{'row' if self.sheet else 'line'} {self.line}"] if self.line else []
        where += [f"column '{self.column}'"] if self.column else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CsvImportError(ServiceError):
    """The file was refused; nothing was imported. `problems` lists every reason."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.source = source
        self.problems = problems
        # Every problem, however many: the user fixes them all in one pass.
        shown = "\n".join(f"  {p}" for p in problems)
        super().__init__(
            f"{source}: nothing was imported; {len(problems)} problem"
            f"{'' if len(problems) == 1 else 's'} to fix:\n{shown}"
        )


class CsvNeedsConfirmation(CsvImportError):
    """Nothing is wrong for certain, but `problems` (unusual dates, likely lost letters) are
    probably slips: the user confirms them (`accept_warnings=True`) before anything is written."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.source = source
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems)
        ServiceError.__init__(
            self,
            f"{source}: nothing was imported yet; {len(problems)} thing"
            f"{'' if len(problems) == 1 else 's'} to confirm:\n{shown}",
        )


@dataclass(frozen=True)
class ImportResult:
    activities: int  # rows in the file: new + updated + unchanged
    organisations_created: int
    contacts_created: int
    created: int = 0  # activities added
    updated: int = 0  # activities whose id was known and whose row differed
    unchanged: int = 0  # activities whose id was known and whose row was the same

    def counts(self) -> str:
        """'2 new, 1 updated, 5 unchanged': what the CLI and the window report."""
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged"


Ref = str  # an organisation's or contact's name key: matched to a row (or created) when written


@dataclass
class _Plan:
    """What an import will write, checked against the file, the taxonomy and the data as it was.

    Names stay names until the write: its transaction matches them again (another import may
    have created one meanwhile), so what was checked and what is written cannot drift apart."""

    source: str = "CSV"  # the file, as messages name it
    new_organisations: dict[str, Organisation] = field(default_factory=dict)  # by name key
    new_contacts: dict[str, str] = field(default_factory=dict)  # name key -> name (none yet)
    # name key -> a name as the file gave it, for messages and contacts to create
    organisation_names: dict[str, str] = field(default_factory=dict)
    contact_names: dict[str, str] = field(default_factory=dict)
    # Each row: the activity, its organisations and contacts, and its stable id (or None).
    activities: list[tuple[Activity, list[Ref], list[Ref], str | None]] = field(
        default_factory=list
    )
    warnings: list[RowProblem] = field(default_factory=list)  # to confirm before writing


Shape = tuple[object, ...]  # what an activity row holds, to tell a changed row from the same


def planned_shape(activity: Activity) -> Shape:
    """What `fill_activity` would store for `activity`."""
    return (
        activity.type.value,
        activity.title.strip(),
        activity.start,
        activity.end,
        activity.hours,
        tuple(dict.fromkeys(activity.organisation_ids)),
        tuple(dict.fromkeys(activity.extra_sector_ids)),
        tuple(dict.fromkeys(activity.contact_ids)),
        activity.description,
        activity.visibility.value,
        activity.status.value,
    )


@dataclass
class _Existing:
    """The organisations and contacts in the database, by name key, and the activities by
    stable id, read in one transaction."""

    organisations: dict[str, int]  # names and aliases
    contacts: dict[str, int]  # unique by key in the schema, so a name matches one contact
    activities: dict[str, Shape] = field(default_factory=dict)  # by uid

    @classmethod
    def read(cls, session: Session) -> _Existing:
        organisations: dict[str, int] = {}
        rows = session.scalars(select(t.OrganisationRow).order_by(t.OrganisationRow.id)).all()
        for row in rows:  # a name beats another organisation's alias
            organisations.setdefault(row.name_key, row.id)
        for row in rows:
            for alias in row.aliases:
                organisations.setdefault(name_key(alias), row.id)
        contacts = {
            key: contact_id
            for contact_id, key in session.execute(select(t.ContactRow.id, t.ContactRow.name_key))
        }
        return cls(organisations, contacts, _stored_shapes(session))


def _stored_shapes(session: Session) -> dict[str, Shape]:
    """The stored values of every activity with a uid, by uid, compared as stored (a damaged
    value simply differs), read with plain SELECTs (one per table, no ORM objects: a re-import
    of a 100k export reads them all)."""
    links: list[dict[int, list[object]]] = []
    for link, column in (
        (t.ActivityOrganisationRow, t.ActivityOrganisationRow.organisation_id),
        (t.ActivitySectorRow, t.ActivitySectorRow.sector_id),
        (t.ActivityContactRow, t.ActivityContactRow.contact_id),
    ):
        by_activity: dict[int, list[object]] = {}
        in_order = select(link.activity_id, column).order_by(link.activity_id, link.position)
        for activity_id, value in session.execute(in_order):
            by_activity.setdefault(activity_id, []).append(value)
        links.append(by_activity)
    organisations, sectors, contacts = links
    a = t.ActivityRow
    query = select(
        a.id, a.uid, a.type, a.title, a.start_date, a.end_date, a.hours,
        a.description, a.visibility, a.status,
    ).where(a.uid != "")  # fmt: skip
    # In `planned_shape`'s order.
    return {
        row.uid: (
            row.type,
            row.title,
            row.start_date,
            row.end_date,
            row.hours,
            tuple(organisations.get(row.id, ())),
            tuple(sectors.get(row.id, ())),
            tuple(contacts.get(row.id, ())),
            row.description,
            row.visibility,
            row.status,
        )
        for row in session.execute(query)
    }


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (a workbook's: a CSV is streamed), its size checked first. A folder,
    device or FIFO is refused without reading (file_checks)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        return read_input_bytes(path, limit, "file")
    except InputTooLarge as exc:
        raise CsvImportError(str(path), [_too_large(exc.size, limit)]) from None
    except InputRefused as exc:
        raise _unreadable(path, exc.reason) from None


def _unreadable(path: Path, reason: str) -> ServiceError:
    return ServiceError(f"{path}: cannot read the file ({reason}); nothing was imported")


def _too_large(size: int, limit: int | None = None) -> RowProblem:
    megabytes = (MAX_FILE_BYTES if limit is None else limit) // (1024 * 1024)
    return RowProblem(0, "", f"the file is too large ({size:,} bytes; the limit is {megabytes} MB)")


@dataclass
class _Scan:
    """What the first pass over a CSV file found: its first non-blank line (for the delimiter)
    and its number of lines (for progress); the text is streamed again to be read."""

    first_line: str = ""
    lines: int = 1


def _scan(handle: BinaryIO, source: str, raw_first: bytes) -> _Scan:
    """Read the file once, line by line, as `plan` checks bytes held in memory: not UTF-8
    (naming the line), a NUL byte (naming the line), over the size limit while read."""
    scan = _Scan()
    breaks = 0
    size = 0
    nul_line = 0
    for number, raw_line in enumerate(handle):
        size += len(raw_line)
        if size > MAX_FILE_BYTES:
            raise CsvImportError(source, [_too_large(size)])
        codec = "utf-8-sig" if number == 0 else "utf-8"
        try:
            line = raw_line.decode(codec)
        except UnicodeDecodeError as exc:
            before = breaks + _line_of(raw_line[: exc.start].decode(codec))
            first = raw_first.split(b"\n", 1)[0].decode("latin-1")
            raise CsvImportError(source, [RowProblem(before, "", kind.not_utf8(first))]) from exc
        if not nul_line and "\x00" in line:
            nul_line = breaks + _line_of(line[: line.index("\x00")])
        if not scan.first_line:
            scan.first_line = next((p for p in io.StringIO(line, newline="") if p.strip()), "")
        breaks += len(_LINE_BREAK.findall(line))
    if nul_line:
        raise CsvImportError(source, [RowProblem(nul_line, "", "the file contains a NUL byte")])
    scan.lines = breaks + 1
    return scan


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The ordinary file at `path`, checked before opening (nothing else is touched: a FIFO
    never blocks) and on the open file; CsvImportError if it is over MAX_FILE_BYTES."""
    try:
        check_input_file(path, MAX_FILE_BYTES, "file")
    except InputTooLarge as exc:
        raise CsvImportError(str(path), [_too_large(exc.size)]) from None
    except InputRefused as exc:
        raise _unreadable(path, exc.reason) from None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a FIFO or device meanwhile
            raise _unreadable(path, "not an ordinary file")
        yield handle


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEAD_BYTES = 64 * 1024  # enough to tell a workbook, UTF-16 or another binary file


def _line_of(text_before: str) -> int:
    """The physical line at the end of `text_before`, counting breaks as the csv reader does."""
    return len(_LINE_BREAK.findall(text_before)) + 1


# Pages a large import may hold dirty (KiB, negative = size): SQLite's default makes a big
# transaction spill pages to the WAL and read them back (a 10k import ~4x slower). 40 MB does
# as well as 150 MB did (100k rows: 22 s either way, 33 s with the default) and keeps the
# import's peak memory down (100k: 529 MB, against 718 MB with 150 MB).
_IMPORT_CACHE_KIB = 40_000
_DEFAULT_CACHE = text("PRAGMA cache_size = -2000")


@contextmanager
def _large_page_cache(session: Session) -> Iterator[None]:
    """A page cache big enough for one import's writes, back to SQLite's default after (the
    pooled connection keeps the setting; shrinking it frees the pages)."""
    session.execute(text(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # a failed transaction: the connection is reset with it
            session.execute(_DEFAULT_CACHE)


def _first_line(text: str) -> str:
    return next((line for line in io.StringIO(text, newline="") if line.strip()), "")


def _choose_delimiter(first: str) -> str:
    """Excel writes ';' in many locales: pick the delimiter under which more headers make sense
    (`first`: the file's first non-blank line). '\t' is returned for a tab-separated file,
    which is refused."""
    first = first.rstrip("\r\n")  # each line holds no other break, so the reader cannot object

    def known(delimiter: str) -> int:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:  # e.g. a cell over the size limit: the full read will report it
            return 0
        return sum(fmt.normalise_header(c.strip('"')) in fmt.COLUMNS for c in cells)

    counts = {",": known(","), ";": known(";"), "\t": known("\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


class CsvImportService(ServiceBase):
    def import_file(
        self, path: Path, *, progress: Progress | None = None, accept_warnings: bool = False
    ) -> ImportResult:
        """Import every row of `path`, or nothing. `progress` reports rows and can cancel;
        rows with warnings (CsvNeedsConfirmation) are imported only with `accept_warnings`."""
        plan = self.plan_file(path, progress=progress, accept_warnings=accept_warnings)
        return self._write(plan, progress)

    def plan_file(
        self, path: Path, *, progress: Progress | None = None, accept_warnings: bool = False
    ) -> _Plan:
        """`plan` for the file at `path`: a CSV is streamed (read twice, never held whole: once
        to check its bytes, once to read its rows); a workbook is read whole, within its
        smaller limit."""
        source = str(path)
        with _opened(path) as handle:
            head = handle.read(_HEAD_BYTES)
            if head.startswith(b"PK\x03\x04"):  # a workbook (or another ZIP): read whole
                raw = read_input(path, MAX_SHEET_BYTES)
                return self.plan(raw, source, progress=progress, accept_warnings=accept_warnings)
            not_csv = kind.binary_kind(head)
            if not_csv is not None:
                raise CsvImportError(source, [RowProblem(0, "", kind.refusal(not_csv))])
            handle.seek(0)
            scan = _scan(handle, source, head)
            handle.seek(0)
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            try:
                plan = _Planner(self, source, progress).run(text, scan.first_line, scan.lines)
            finally:
                text.detach()
        return self._confirmed(plan, accept_warnings)

    def import_bytes(
        self,
        raw: bytes,
        source: str = "CSV",
        *,
        progress: Progress | None = None,
        accept_warnings: bool = False,
    ) -> ImportResult:
        plan = self.plan(raw, source, progress=progress, accept_warnings=accept_warnings)
        return self._write(plan, progress)

    def plan(
        self,
        raw: bytes,
        source: str = "CSV",
        *,
        progress: Progress | None = None,
        accept_warnings: bool = False,
    ) -> _Plan:
        """Parse and check the whole file. Raises CsvImportError naming every bad row, or
        CsvNeedsConfirmation for rows that are only unusual unless `accept_warnings`."""
        spreadsheet = kind.spreadsheet_kind(raw)
        limit = MAX_SHEET_BYTES if raw.startswith(b"PK\x03\x04") else MAX_FILE_BYTES
        if len(raw) > limit:
            raise CsvImportError(source, [_too_large(len(raw), limit)])
        if spreadsheet is not None:
            try:
                sheet = read_first_sheet(raw, spreadsheet)
                plan = _Planner(self, source, progress).run_sheet(sheet)
            except SpreadsheetError as exc:
                raise CsvImportError(source, [RowProblem(0, "", str(exc))]) from exc
            return self._confirmed(plan, accept_warnings)
        not_csv = kind.binary_kind(raw)
        if not_csv is not None:
            raise CsvImportError(source, [RowProblem(0, "", kind.refusal(not_csv))])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start].decode("utf-8-sig")
            first_line = raw.split(b"\n", 1)[0].decode("latin-1")
            raise CsvImportError(
                source, [RowProblem(_line_of(before), "", kind.not_utf8(first_line))]
            ) from exc
        if "\x00" in text:
            line = _line_of(text[: text.index("\x00")])
            raise CsvImportError(source, [RowProblem(line, "", "the file contains a NUL byte")])
        lines = io.StringIO(text, newline="")
        plan = _Planner(self, source, progress).run(lines, _first_line(text), _line_of(text))
        return self._confirmed(plan, accept_warnings)

    @staticmethod
    def _confirmed(plan: _Plan, accept_warnings: bool) -> _Plan:
        if plan.warnings and not accept_warnings:
            raise CsvNeedsConfirmation(plan.source, plan.warnings)
        return plan

    def _write(self, plan: _Plan, progress: Progress | None = None) -> ImportResult:
        if progress is not None:
            progress.check()  # the last moment a cancel can stop the import
        # One unit of work: the names are matched inside the write transaction, which holds the
        # write lock from its start, so a concurrent import cannot create the same name between.
        # Each activity's search document is written once: a batch of new ones as the batch
        # goes in (add_many_in), the changed ones together at the end. Not all at the end in
        # one statement: at 100k that statement alone held over 100 MB.
        with (
            self.db.unit_of_work() as session,
            _large_page_cache(session),
        ):
            existing = _Existing.read(session)
            gone = [
                RowProblem(0, "organisation", _gone(plan.organisation_names[key]))
                for _, org_refs, _, _ in plan.activities
                for key in org_refs
                if key not in existing.organisations and key not in plan.new_organisations
            ]
            if gone:  # it existed when the file was checked, so the file gave no sector
                raise CsvImportError(plan.source, list(dict.fromkeys(gone)))
            # New organisations and contacts in the order the file first names them, each
            # kind in one bulk insert (the services' checks, no flush per row).
            org_ids = dict(existing.organisations)
            new_orgs = [
                (key, Organisation(o.name, o.sector_id))
                for key, o in plan.new_organisations.items()
                if key not in org_ids
            ]
            added = OrganisationService(self.db, self.taxonomy).add_many_in(
                session, [o for _, o in new_orgs]
            )
            org_ids.update((key, _saved(o.id)) for (key, _), o in zip(new_orgs, added, strict=True))
            contact_ids = dict(existing.contacts)
            new_contacts = [
                (key, Contact(name))
                for key, name in plan.contact_names.items()
                if key not in contact_ids
            ]
            people = ContactService(self.db, self.taxonomy).add_many_in(
                session, [c for _, c in new_contacts]
            )
            contact_ids.update(
                (key, _saved(c.id)) for (key, _), c in zip(new_contacts, people, strict=True)
            )

            created = updated = unchanged = 0
            changed: list[tuple[str, Activity]] = []
            new: list[Activity] = []
            new_uids: list[str] = []
            activities = ActivityService(self.db, self.taxonomy)
            for activity, org_refs, contact_refs, uid in plan.activities:
                final = replace(
                    activity,
                    organisation_ids=tuple(org_ids[r] for r in org_refs),
                    contact_ids=tuple(contact_ids[r] for r in contact_refs),
                )
                stored = existing.activities.get(uid) if uid else None
                if stored is None:
                    new.append(final)
                    new_uids.append(uid or "")
                    created += 1
                    if len(new) == WRITE_BATCH:
                        activities.add_many_in(session, new, new_uids)
                        new, new_uids = [], []
                elif stored == planned_shape(final):
                    unchanged += 1
                else:
                    changed.append((uid or "", final))
                    updated += 1
            activities.add_many_in(session, new, new_uids)
            with documents_once(session):  # each changed activity's document once
                known = _rows_by_uid(session, [uid for uid, _ in changed])  # ORM rows: these
                for uid, final in changed:
                    fill_activity(known[uid], final)
                    known[uid].updated_at = func.current_timestamp()
                session.flush()
            created_organisations, created_contacts = len(added), len(people)
        return ImportResult(
            len(plan.activities),
            created_organisations,
            created_contacts,
            created=created,
            updated=updated,
            unchanged=unchanged,
        )


def _saved(record_id: int | None) -> int:
    assert record_id is not None  # add_many_in returns saved records
    return record_id


def _rows_by_uid(session: Session, uids: list[str]) -> dict[str, t.ActivityRow]:
    found: dict[str, t.ActivityRow] = {}
    for start in range(0, len(uids), 500):  # SQLite limits the parameters of one statement
        chunk = uids[start : start + 500]
        for row in session.scalars(select(t.ActivityRow).where(t.ActivityRow.uid.in_(chunk))):
            found[row.uid] = row
    return found


def _gone(name: str) -> str:
    return (
        f"organisation {name!r} was deleted while the file was being checked; "
        "import the file again (and give its sector, if it is new)"
    )


class _Planner:
    """Checks every row against the database and the taxonomy, collecting all problems."""

    def __init__(
        self, service: CsvImportService, source: str, progress: Progress | None = None
    ) -> None:
        self.service = service
        self.source = source
        self.progress = progress
        self.problems: list[RowProblem] = []
        self.sheet = ""  # the sheet's name when reading a spreadsheet
        self.uid_rows: dict[str, int] = {}  # each stable id in the file, and its line or row
        self.date_order = DateOrder()
        self.plan = _Plan(source)
        # A preview of the data, to report problems now; the write matches names again.
        with service.db.transaction() as session:
            self.existing = _Existing.read(session)

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(line, column, message, self.sheet))

    def warning(self, line: int, column: str, message: str) -> None:
        self.plan.warnings.append(RowProblem(line, column, message, self.sheet))

    def run(self, text: TextIO, first_line: str, total_lines: int) -> _Plan:
        """Read the CSV rows of `text` (a stream; `first_line` its first non-blank line,
        `total_lines` its number of lines, both from a first pass)."""
        # Long descriptions are welcome; the csv module's default cell limit is 128 KiB.
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))
        # strict: without it a quote that is never closed silently swallows every later row.
        delimiter = _choose_delimiter(first_line)
        if delimiter == "\t":
            self.problem(0, "", kind.tab_separated())
            raise CsvImportError(self.source, self.problems)
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        previous_end = 0
        header: list[str] | None = None
        try:
            for count, cells in enumerate(reader, start=1):
                line = previous_end + 1
                previous_end = reader.line_num
                if self.progress is not None and count % 100 == 0:
                    self.progress.report(line, total_lines)  # raises Cancelled if asked to
                if not any(c.strip() for c in cells):
                    continue
                if header is None:
                    header = self.read_header(line, cells)
                    if header is None:
                        break
                    continue
                self.read_row(line, header, cells, _csv_text)
        except csv.Error as exc:
            self.problem(previous_end + 1, "", _explain_csv_error(exc))
        except UnicodeDecodeError:  # it was UTF-8 when first read: the file changed meanwhile
            self.problem(previous_end + 1, "", "the file changed while it was being read")
        return self.finish(header is not None, previous_end + 1)

    def run_sheet(self, sheet: Sheet) -> _Plan:
        """The same rules as `run`, on a sheet's typed cells; problems name the sheet and row."""
        self.sheet = sheet.name
        self.date_order = DateOrder(unit="row")
        header: list[str] | None = None
        last = 0
        for row in sheet.rows:  # raises SpreadsheetError for a file the parser cannot read
            last = row.number
            if not row.beyond and not any(_filled(c) for c in row.cells):
                continue
            if self.progress is not None and row.number % 100 == 0:
                self.progress.report(row.number, 0)  # the total is unknown; raises Cancelled
            if row.beyond:
                self.problem(
                    row.number,
                    "",
                    f"a cell past column {MAX_SHEET_COLUMNS} has a value; the columns are: "
                    f"{', '.join(fmt.COLUMNS)}",
                )
                continue
            if header is None:
                header = self.read_header(row.number, [_header_text(c) for c in row.cells])
                if header is None:
                    break
                continue
            self.read_row(row.number, header, row.cells, _sheet_text)
        return self.finish(header is not None, last + 1)

    def finish(self, had_header: bool, after_last: int) -> _Plan:
        order_problem = self.date_order.problem()
        if order_problem is not None:  # about the whole file, so it comes first
            self.problems.insert(0, RowProblem(0, "", order_problem, self.sheet))
        what = "the sheet" if self.sheet else "the file"  # the problem names the sheet
        if not had_header and not self.problems:
            self.problem(1, "", f"{what} is empty: it needs a header row and at least one row")
        elif had_header and not self.plan.activities and not self.problems:
            self.problem(after_last, "", f"{what} has a header row but no activities")
        if self.problems:
            raise CsvImportError(self.source, self.problems)
        return self.plan

    def read_header(self, line: int, cells: list[str]) -> list[str] | None:
        names = [fmt.normalise_header(c) for c in cells]
        seen: set[str] = set()
        for raw, name in zip(cells, names, strict=True):
            if not name:
                continue  # spreadsheets often save empty columns; their cells must stay empty
            if name not in fmt.COLUMNS:
                self.problem(
                    line, raw.strip(), f"unknown column (the columns are: {', '.join(fmt.COLUMNS)})"
                )
            if name in seen:
                self.problem(line, raw.strip(), "this column appears twice")
            seen.add(name)
        for required in fmt.REQUIRED:
            if required not in seen:
                self.problem(line, required, "this required column is missing")
        return None if self.problems else names

    def read_row(self, line: int, header: list[str], cells: list[Any], text_of: _CellText) -> None:
        """Check one row; `text_of(column, cell)` gives a cell's text (ValueError: unreadable)."""
        warnings_before = len(self.plan.warnings)
        if len(cells) > len(header) and any(_filled(c) for c in cells[len(header) :]):
            self.problem(
                line, "", f"the row has {len(cells)} cells but the header has {len(header)}"
            )
            return
        before = len(self.problems)
        for index, (name, cell) in enumerate(zip(header, cells, strict=False), start=1):
            if not name and _filled(cell):
                self.problem(line, "", f"cell {index} has a value but its column has no header")
        values: dict[str, str] = {}
        unreadable: set[str] = set()
        for i, name in enumerate(header):
            if not name:
                continue
            try:
                values[name] = text_of(name, cells[i]) if i < len(cells) else ""
            except ValueError as exc:
                self.problem(line, name, str(exc))
                values[name] = ""
                unreadable.add(name)

        def column(name: str) -> str:
            return values.get(name, "")

        def check(col: fmt.CsvColumn[T]) -> T | None:
            if col.name in unreadable:
                return None
            try:
                return col.read(column(col.name))
            except ValueError as exc:
                self.problem(line, col.name, str(exc))
                return None

        def check_date(col: fmt.CsvColumn[T]) -> T | None:
            if self.date_order.note(line, column(col.name)):
                return None  # month-first: reported once for the whole file
            return check(col)

        for col in (fmt.TITLE, fmt.ORGANISATION, fmt.CONTACTS, fmt.DESCRIPTION):
            if (lost := lost_letter(column(col.name), spreadsheet=bool(self.sheet))) is not None:
                self.warning(line, col.name, lost)
        kind = check(fmt.TYPE)
        title = check(fmt.TITLE)
        start = check_date(fmt.START)
        end = check_date(fmt.END)
        hours = check(fmt.HOURS)
        visibility = check(fmt.VISIBILITY)
        status = check(fmt.STATUS)
        uid = check(fmt.ID)
        if uid is not None:
            if uid in self.uid_rows:
                where = "row" if self.sheet else "line"
                self.problem(line, "id", f"the same id is on {where} {self.uid_rows[uid]} too")
            self.uid_rows.setdefault(uid, line)
        org_refs = self.organisations(
            line, fmt.ORGANISATION.read(column("organisation")), fmt.SECTOR.read(column("sector"))
        )
        extra = self.sectors(line, "extra_sectors", fmt.EXTRA_SECTORS.read(column("extra_sectors")))
        contact_refs = self.contacts(line, fmt.CONTACTS.read(column("contacts")))
        activity = Activity(
            # Stand-ins for unreadable cells (already reported) let the rules below still check
            # the rest of the row; an unknown start means no end-before-start check.
            type=kind or ActivityType.OTHER,
            title=title or "",
            start=start or date.min,
            end=end if start is not None else None,
            hours=hours,
            extra_sector_ids=tuple(extra),
            description=fmt.DESCRIPTION.read(column("description")),
            visibility=visibility or Visibility.PRIVATE,
            status=status or Status.DONE,
        )
        reported = {p.column for p in self.problems[before:]}
        for error in activity_errors(activity):
            if error.field not in reported:  # 'title: is required' once, not twice
                self.problem(line, error.field, error.message)
        if len(self.problems) == before:
            if uid is not None and self.unchanged(uid, activity, org_refs, contact_refs):
                # The user's own export, imported again: nothing to ask about what stays.
                del self.plan.warnings[warnings_before:]
            else:
                for warning in activity_warnings(activity):
                    self.warning(line, warning.field, warning.message)
            self.plan.activities.append((activity, org_refs, contact_refs, uid))

    def unchanged(
        self, uid: str, activity: Activity, org_refs: list[Ref], contact_refs: list[Ref]
    ) -> bool:
        stored = self.existing.activities.get(uid)
        if stored is None or any(r not in self.existing.organisations for r in org_refs):
            return False
        if any(r not in self.existing.contacts for r in contact_refs):
            return False
        resolved = replace(
            activity,
            organisation_ids=tuple(self.existing.organisations[r] for r in org_refs),
            contact_ids=tuple(self.existing.contacts[r] for r in contact_refs),
        )
        return stored == planned_shape(resolved)

    def sectors(self, line: int, column: str, names: list[str]) -> list[str]:
        ids: list[str] = []
        for name in names:
            try:
                ids.append(self.service.taxonomy.resolve(name).id)
            except SectorLookupError as exc:
                self.problem(line, column, str(exc))
        return ids

    def organisations(self, line: int, names: list[str], sector_names: list[str]) -> list[Ref]:
        if len(sector_names) > len(names):
            self.problem(
                line,
                "sector",
                f"{_count(len(sector_names), 'sector')} given for "
                f"{_count(len(names), 'organisation')} (one sector per organisation, "
                "in the same order)",
            )
            return []
        refs: list[Ref] = []
        for index, name in enumerate(names):
            if len(name) > MAX_TITLE:
                self.problem(line, "organisation", f"a name is too long (limit {MAX_TITLE})")
                continue
            sector_name = sector_names[index] if index < len(sector_names) else ""
            sector_ids = self.sectors(line, "sector", [sector_name]) if sector_name else []
            key = name_key(name)
            self.plan.organisation_names.setdefault(key, name)
            if key in self.existing.organisations:
                refs.append(key)
                continue
            planned = self.plan.new_organisations.get(key)
            if planned is not None:
                if sector_ids and sector_ids[0] != planned.sector_id:
                    self.problem(
                        line,
                        "sector",
                        f"organisation {name!r} was given sector "
                        f"{self.service.taxonomy.label(planned.sector_id)!r} on an earlier row",
                    )
                refs.append(key)
            elif sector_ids:
                self.plan.new_organisations[key] = Organisation(name, sector_ids[0])
                refs.append(key)
            elif not sector_name:
                self.problem(
                    line,
                    "sector",
                    f"organisation {name!r} is new: give its sector (in the same position)",
                )
        return refs

    def contacts(self, line: int, names: list[str]) -> list[Ref]:
        refs: list[Ref] = []
        for name in names:
            if len(name) > MAX_TITLE:
                self.problem(line, "contacts", f"a name is too long (limit {MAX_TITLE})")
                continue
            key = name_key(name)
            self.plan.contact_names.setdefault(key, name)
            if key not in self.existing.contacts:
                self.plan.new_contacts.setdefault(key, name)
            refs.append(key)
        return refs


T = TypeVar("T")
_CellText = Callable[[str, Any], str]
MAX_SHEET_COLUMNS = spreadsheet_reader.MAX_COLUMNS


def _filled(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _csv_text(column: str, cell: str) -> str:
    return fmt.unneutralise(cell)


def _sheet_text(column: str, cell: Any) -> str:
    """A text cell follows the CSV rules (the apostrophe rule too); others are typed."""
    return fmt.unneutralise(cell) if isinstance(cell, str) else cell_text(column, cell)


def _header_text(cell: Any) -> str:
    return "" if cell is None else str(cell)


def _explain_csv_error(exc: csv.Error) -> str:
    """The csv module's terse errors, in words a spreadsheet user can act on."""
    text = str(exc)
    if "unexpected end of data" in text:
        return 'a quoted cell that starts in this row is never closed (a closing " is missing)'
    if "expected after" in text:
        return 'a cell has text after its closing quote: inside a quoted cell write a quote as ""'
    if "field larger than field limit" in text:
        return f"a cell is too long (more than {MAX_CELL_CHARS:,} characters)"
    return f"the CSV cannot be read here: {text}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
