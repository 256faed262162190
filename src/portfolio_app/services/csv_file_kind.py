"""What a file that is not CSV UTF-8 really is, so the refusal says how to save it properly.

Users pick "the spreadsheet" rather than its CSV export, or Excel's "Unicode Text" (UTF-16,
tab-separated), or "CSV (Comma delimited)" in a Windows code page; each needs a different fix.
"""

from __future__ import annotations

import io
import zipfile

SAVE_AS_CSV = (
    "save it as CSV UTF-8 (Excel: File → Save As → 'CSV UTF-8 (Comma delimited)'; "
    "LibreOffice: File → Save As → Text CSV, character set 'Unicode (UTF-8)')"
)

# For a message repeated on many rows: the same advice, briefly.
SAVE_AS_CSV_BRIEFLY = "save it as CSV UTF-8 (Excel: 'CSV UTF-8'; LibreOffice: 'Unicode (UTF-8)')"


# Spreadsheets the importer reads itself (spreadsheet_reader.py): these names, not refusals.
XLSX = "xlsx"
ODS = "ods"


def _zip_kind(raw: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            mimetype = (
                archive.read("mimetype").decode("ascii", "replace") if ("mimetype" in names) else ""
            )
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError):
        return "a ZIP archive"
    if "opendocument.spreadsheet" in mimetype:
        return ODS if "template" not in mimetype else "an OpenDocument spreadsheet template (.ots)"
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        return f"an OpenDocument file ({mimetype.rsplit('.', 1)[-1]}), not a spreadsheet"
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb)"
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("Index/") and name.endswith(".iwa") for name in names):
        return "an Apple Numbers spreadsheet (.numbers)"
    return "a ZIP archive"


def spreadsheet_kind(raw: bytes) -> str | None:
    """XLSX or ODS for a workbook the importer reads, or None."""
    if raw.startswith(b"PK\x03\x04"):
        found = _zip_kind(raw)
        return found if found in (XLSX, ODS) else None
    return None


def looks_utf16(raw: bytes) -> bool:
    """A UTF-16 BOM, or NULs in every other byte (UTF-16 text that is mostly ASCII)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:4096]
    return len(sample) >= 4 and (
        sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4
    )


def binary_kind(raw: bytes) -> str | None:
    """What a file that cannot be CSV text is ('an Excel workbook (.xlsx)'), or None."""
    if raw.startswith(b"PK\x03\x04"):
        found = _zip_kind(raw)
        return None if found in (XLSX, ODS) else found
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # also how a password-protected
        return "an Excel 97-2003 workbook (.xls), or a password-protected workbook"  # xlsx looks
    if raw.lstrip()[:5] == b"<?xml" and b"opendocument.spreadsheet" in raw[:4096]:
        return "a flat OpenDocument spreadsheet (.fods)"
    if looks_utf16(raw):
        return "UTF-16 text (Excel's 'Unicode Text', which is also tab-separated)"
    return None


SAVE_AS_READABLE = (
    "save it as an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or CSV UTF-8"
)


def refusal(kind: str) -> str:
    if kind.startswith(("UTF-16", "a ZIP")):
        return f"this file is {kind}, not CSV: {SAVE_AS_CSV}"
    return f"this file is {kind}, which Portfolio cannot read: {SAVE_AS_READABLE}"


def not_utf8(first_line: str) -> str:
    """A file with bytes that are not UTF-8: most often a Windows code page ('CSV (Comma
    delimited)'), where accented letters are single bytes."""
    separated = " semicolon-separated" if first_line.count(";") > first_line.count(",") else ""
    return (
        f"the file is{separated} text in a Windows code page or another encoding, "
        f"not UTF-8, so letters such as é or ł would be misread: {SAVE_AS_CSV}"
    )


def tab_separated() -> str:
    return f"the file is tab-separated (saved as 'Text' or 'Unicode Text'), not CSV: {SAVE_AS_CSV}"
