"""Read LinkedIn's `Connections.csv` (see docs/linkedin-import.md): every problem, with its line.

LinkedIn writes a few lines of notes ("Notes:" and a quoted paragraph) before the header row
First Name, Last Name, URL, Email Address, Company, Position, Connected On; dates look like
"12 Mar 2024". Exports from before 2020 have no URL column; members who hide their name come
with empty names and are skipped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from portfolio_app.domain.dates import DateParseError, parse_date
from portfolio_app.domain.validation import MAX_TITLE
from portfolio_app.file_checks import InputRefused, read_input_bytes
from portfolio_app.services import csv_file_kind as kind
from portfolio_app.services import csv_format
from portfolio_app.services.csv_import import MAX_CELL_CHARS as CSV_CELL_LIMIT
from portfolio_app.services.csv_import import CsvImportError, RowProblem
from portfolio_app.services.csv_import import _explain_csv_error as explain_csv_error
from portfolio_app.services.errors import ServiceError

MAX_FILE_BYTES = 20 * 1024 * 1024  # LinkedIn's limit of 30,000 connections is about 5 MB
ARCHIVE_MEMBER = "Connections.csv"
HEADER_SEARCH_ROWS = 20  # the notes LinkedIn writes first are three lines

FIRST_NAME, LAST_NAME, URL, EMAIL = "First Name", "Last Name", "URL", "Email Address"
COMPANY, POSITION, CONNECTED_ON = "Company", "Position", "Connected On"
COLUMNS = (FIRST_NAME, LAST_NAME, URL, EMAIL, COMPANY, POSITION, CONNECTED_ON)
OPTIONAL = frozenset({URL, EMAIL})  # exports before 2020 have no URL; e-mail is often hidden

HOW_TO_EXPORT = (
    "on LinkedIn: Me → Settings & Privacy → Data privacy → Get a copy of your data → "
    "Connections, then use the Connections.csv inside the archive as it is"
)
# Numeric dates are not LinkedIn's: a spreadsheet wrote them, in an order nobody can tell.
_NUMERIC_DATE = re.compile(r"\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{1,2}\s*[/.-]\s*[0-9]{2,4}\s*")
_ZIP = b"PK\x03\x04"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LinkedInFileError(CsvImportError):
    """The file is not a LinkedIn connections export, or has rows that cannot be read;
    `problems` names every line. Nothing was imported."""


@dataclass(frozen=True)
class Connection:
    """One row of the export, as LinkedIn wrote it (cells trimmed)."""

    line: int
    first_name: str
    last_name: str
    url: str = ""
    email: str = ""
    company: str = ""
    position: str = ""
    connected_on: date | None = None

    @property
    def name(self) -> str:
        return " ".join(f"{self.first_name} {self.last_name}".split())

    @property
    def url_key(self) -> str:
        return url_key(self.url)


@dataclass(frozen=True)
class ConnectionsFile:
    source: str  # the file, as messages name it
    connections: tuple[Connection, ...]
    nameless: tuple[int, ...] = ()  # lines skipped: LinkedIn gives no name for the member


def url_key(url: str) -> str:
    """'https://www.linkedin.com/in/Zoe/' and 'http://linkedin.com/in/zoe' are one profile."""
    text = url.strip().casefold()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def read_connections_file(path: Path) -> ConnectionsFile:
    """Parse the export at `path`; only an ordinary file up to MAX_FILE_BYTES is read."""
    return parse_connections(_read_regular_file(path), str(path))


def _read_regular_file(path: Path) -> bytes:
    try:
        return read_input_bytes(path, MAX_FILE_BYTES, what="LinkedIn connections file")
    except InputRefused as exc:  # a folder, a device, a pipe, missing, unreadable, too large
        raise ServiceError(str(exc)) from None


def _too_large(size: int) -> RowProblem:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return RowProblem(
        0,
        "",
        f"the file is too large for a LinkedIn connections export ({size:,} bytes; "
        f"the limit is {limit} MB)",
    )


def parse_connections(raw: bytes, source: str = "Connections.csv") -> ConnectionsFile:
    """Every connection in `raw`, or LinkedInFileError naming every line that is wrong."""
    if len(raw) > MAX_FILE_BYTES:
        raise LinkedInFileError(source, [_too_large(len(raw))])
    if raw.startswith(_ZIP):
        inner = _connections_in_archive(raw, source)
        if inner is None:
            what = "a ZIP archive or a spreadsheet (.xlsx, .ods) with no Connections.csv inside"
            raise LinkedInFileError(source, [RowProblem(0, "", _not_csv(what))])
        raw, source = inner  # LinkedIn's whole archive, as downloaded: the file is inside
    binary = kind.binary_kind(raw)
    if binary is not None:
        raise LinkedInFileError(source, [RowProblem(0, "", _not_csv(binary))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of(raw[: exc.start].decode("utf-8", "replace"))
        message = (
            "the file is not UTF-8 text, as LinkedIn writes it (was it opened and saved again "
            f"in a spreadsheet?): {HOW_TO_EXPORT}"
        )
        raise LinkedInFileError(source, [RowProblem(line, "", message)]) from exc
    if "\x00" in text:
        line = _line_of(text[: text.index("\x00")])
        raise LinkedInFileError(source, [RowProblem(line, "", "the file contains a NUL byte")])
    return _Reader(source).read(text)


def _connections_in_archive(raw: bytes, source: str) -> tuple[bytes, str] | None:
    """Connections.csv inside a ZIP archive (LinkedIn's download), read up to the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            member = next(
                (i for i in archive.infolist() if i.filename.rsplit("/", 1)[-1] == ARCHIVE_MEMBER),
                None,
            )
            if member is None:
                return None
            with archive.open(member) as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # a ZIP bomb stops here
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None  # refused below as the ZIP archive it is
    if len(data) > MAX_FILE_BYTES:
        raise LinkedInFileError(source, [_too_large(len(data))])
    return data, f"{source} → {member.filename}"


def _not_csv(what: str) -> str:
    return f"this file is {what}, not LinkedIn's Connections.csv: {HOW_TO_EXPORT}"


def _line_of(text_before: str) -> int:
    return len(_LINE_BREAK.findall(text_before)) + 1


def _header_name(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


_KNOWN = {_header_name(c): c for c in COLUMNS}


def read_connected_on(cell: str) -> date | None:
    """'12 Mar 2024' (LinkedIn's form) or '2024-03-12'; empty is None. ValueError otherwise."""
    if not cell.strip():
        return None
    if _NUMERIC_DATE.fullmatch(cell):
        raise ValueError(
            f"{cell.strip()!r} is not a date as LinkedIn writes it (like 12 Mar 2024); "
            "a spreadsheet may have changed it: use the file as LinkedIn gave it"
        )
    try:
        return parse_date(cell, relative=False)
    except DateParseError as exc:
        raise ValueError(str(exc)) from None


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[RowProblem] = []
        self.connections: list[Connection] = []
        self.nameless: list[int] = []

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(line, column, message))

    def read(self, text: str) -> ConnectionsFile:
        csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_LIMIT))
        # strict: a quote that is never closed must not swallow every later row in silence
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: dict[str, int] | None = None
        width = 0
        seen_rows = 0
        first_line: tuple[int, list[str]] | None = None
        previous_end = 0
        try:
            for cells in reader:
                line = previous_end + 1
                previous_end = reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                if header is None:
                    if first_line is None:
                        first_line = (line, cells)
                    header = self.read_header(line, cells)
                    width = len(cells)
                    seen_rows += 1
                    if self.problems or (header is None and seen_rows >= HEADER_SEARCH_ROWS):
                        break  # a header that lacks columns: its rows cannot be read
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    self.problem(
                        line,
                        "",
                        f"the row has {len(cells)} cells but the header has {width} "
                        "(a comma inside a name or company must be within quotes)",
                    )
                    continue
                self.read_row(line, header, cells)
        except csv.Error as exc:
            self.problem(previous_end + 1, "", explain_csv_error(exc))
        if header is None:
            self.problems.insert(0, self.not_linkedin(first_line))
        elif not self.connections and not self.nameless and not self.problems:
            self.problem(previous_end + 1, "", "the file has a header row but no connections")
        if self.problems:
            raise LinkedInFileError(self.source, self.problems)
        return ConnectionsFile(self.source, tuple(self.connections), tuple(self.nameless))

    def read_header(self, line: int, cells: list[str]) -> dict[str, int] | None:
        """The column positions if `cells` is LinkedIn's header row; None for a notes line."""
        names = [_header_name(c) for c in cells]
        if _header_name(FIRST_NAME) not in names or _header_name(LAST_NAME) not in names:
            return None
        positions: dict[str, int] = {}
        for index, name in enumerate(names):
            column = _KNOWN.get(name)
            if column is not None and column not in positions:
                positions[column] = index
        missing = [c for c in COLUMNS if c not in positions and c not in OPTIONAL]
        if missing:
            shown = ", ".join(repr(c) for c in missing)
            self.problem(
                line,
                "",
                f"the header row lacks {shown}: LinkedIn's Connections.csv has the columns "
                f"{', '.join(COLUMNS)}",
            )
        return positions

    def not_linkedin(self, first: tuple[int, list[str]] | None) -> RowProblem:
        if first is None:
            return RowProblem(1, "", f"the file is empty: {HOW_TO_EXPORT}")
        line, cells = first
        names = {csv_format.normalise_header(c) for c in cells}
        if set(csv_format.REQUIRED) <= names:
            return RowProblem(
                line,
                "",
                "this is a CSV of activities, not LinkedIn connections: import it with "
                "import-csv (File → Import activities from CSV)",
            )
        return RowProblem(
            line,
            "",
            "this is not a LinkedIn connections export: no header row with "
            f"{', '.join(COLUMNS)} was found ({HOW_TO_EXPORT})",
        )

    def read_row(self, line: int, header: dict[str, int], cells: list[str]) -> None:
        def cell(column: str) -> str:
            index = header.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        values = {column: cell(column) for column in COLUMNS}
        ok = True
        for column in (FIRST_NAME, LAST_NAME, COMPANY, POSITION, EMAIL):
            if len(values[column]) > MAX_TITLE:
                self.problem(line, column, f"is too long ({len(values[column])} characters)")
                ok = False
        try:
            connected_on = read_connected_on(values[CONNECTED_ON])
        except ValueError as exc:
            self.problem(line, CONNECTED_ON, str(exc))
            ok = False
            connected_on = None
        if not ok:
            return
        if not values[FIRST_NAME] and not values[LAST_NAME]:
            self.nameless.append(line)
            return
        connection = Connection(
            line=line,
            first_name=values[FIRST_NAME],
            last_name=values[LAST_NAME],
            url=values[URL],
            email=values[EMAIL],
            company=values[COMPANY],
            position=values[POSITION],
            connected_on=connected_on,
        )
        if len(connection.name) > MAX_TITLE:
            self.problem(line, LAST_NAME, f"the name is too long (limit {MAX_TITLE})")
            return
        self.connections.append(connection)
