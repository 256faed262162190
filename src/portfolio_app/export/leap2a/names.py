"""Entry ids, file names in the zip and their hrefs, and text XML 1.0 can carry.

Ids are CURIEs built from the entry's stable id, without spaces or quotes
("portfolio:activity-1b4e28ba-2fa1-11d2-883f-0016d3cca427"), which Mahara needs because it finds
entries by putting the id into an XPath expression. A file keeps its name (Unicode and
all) after a prefix that makes it unique, with the characters Windows cannot store replaced and
the name cut to a length every file system takes; its href is that path percent-encoded.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from portfolio_app.export.leap2a.vocabulary import FILES_FOLDER

# What an id may hold: letters, digits and a little punctuation; never a space or a quote.
ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._~-]+")
# The most bytes (UTF-8) a file name in the zip may take: under the 255 of ext4, NTFS and APFS
# with room for the unique prefix and for an importer that adds its own.
MAX_NAME_BYTES = 180
_NOT_IN_NAMES = set('<>:"/\\|?*')  # Windows refuses these in file names


def entry_id(kind: str, key: str) -> str:
    """'portfolio:activity-1b4e…': the Atom id of the `kind` entry whose stable id is `key`."""
    value = f"portfolio:{kind}-{key}"
    if not ID_PATTERN.fullmatch(value):  # pragma: no cover - keys are UUIDs
        raise ValueError(f"{value!r} cannot be a Leap2A id")
    return value


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold (most control characters, lone
    surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, so any stored text makes a well-formed feed."""
    return "".join(c if _allowed(c) else "\ufffd" for c in text)


def _allowed(char: str) -> bool:
    code = ord(char)
    if code < 0x20:
        return char in "\t\n\r"
    return code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def file_path(number: int, name: str) -> str:
    """The path inside the zip of the package's `number`th file: 'files/3-Siân’s agenda.pdf'
    (the number keeps two files of the same name apart)."""
    return f"{FILES_FOLDER}{number}-{_safe_name(name)}"


def file_href(path: str) -> str:
    """The href that points at `path`: UTF-8 percent-encoded, slashes kept
    ('files/12-Si%C3%A2n%E2%80%99s%20agenda.pdf'); importers decode it before opening."""
    return quote(path, safe="/")


def _safe_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    cleaned = "".join(
        "_" if c in _NOT_IN_NAMES or unicodedata.category(c) in ("Cc", "Cs") else c for c in name
    )
    cleaned = cleaned.strip().rstrip(".") or "file"  # Windows drops trailing dots
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or not stem or len(extension.encode()) > 16:
        stem, dot, extension = cleaned, "", ""
    room = MAX_NAME_BYTES - len(dot + extension)
    cut = stem.encode()[:room].decode("utf-8", "ignore").rstrip()
    return f"{cut or 'file'}{dot}{extension}"
