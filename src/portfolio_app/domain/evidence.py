"""Evidence files (certificates, agendas, photos, notes) attached to an activity or a lesson:
the record a listing shows (never the bytes), the size limit, and how names, types and sizes
are read and written for people."""

from __future__ import annotations

import mimetypes
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from portfolio_app.domain.enums import Visibility

# The most one evidence file may hold, in bytes: 25 MB as Windows counts them (25 × 1024 × 1024).
# Files live inside the encrypted database, so a limit keeps backups and the app quick; a longer
# recording belongs in the organisation's own storage, with a note in the activity saying where.
MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
# What an unknown kind of file is called: any bytes.
UNKNOWN_MEDIA_TYPE = "application/octet-stream"
# Longest stored name, in characters (most file systems allow 255).
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class Evidence:
    """One stored file, as listed: its name as given, type, size and when it was added.

    It belongs to exactly one activity or one lesson. Private unless shared: shared means its
    name may be listed in exports of the activity it belongs to."""

    name: str
    media_type: str = UNKNOWN_MEDIA_TYPE
    size: int = 0  # bytes
    added_at: datetime | None = None  # UTC, set when it is stored
    visibility: Visibility = Visibility.PRIVATE
    activity_id: int | None = None
    lesson_id: int | None = None
    id: int | None = None

    @property
    def shared(self) -> bool:
        return self.visibility is Visibility.SHARED


def clean_file_name(raw: str) -> str:
    """The file's own name from a path or a dropped name ('C:\\Users\\me\\Siân's agenda.pdf' ->
    'Siân's agenda.pdf'): folders stripped (either slash), Unicode kept (in composed form, so a
    name from a Mac reads and sorts like the same name typed here), control characters made
    spaces. '' when nothing is left."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(c) == "Cc" else c for c in name).strip()
    if name in (".", ".."):
        return ""
    if len(name) > MAX_NAME_LENGTH:  # keep the extension: it says what opens the file
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH].rstrip()
    return name


def guess_media_type(name: str) -> str:
    """The media type from the name's extension ('agenda.pdf' -> 'application/pdf'), or
    UNKNOWN_MEDIA_TYPE."""
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or UNKNOWN_MEDIA_TYPE


def human_size(size: int) -> str:
    """A size for people, in the units file managers use: '1 byte', '880 bytes', '12 KB',
    '1.5 MB' (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{text.removesuffix('.0')} {unit}"


MEDIA_LABELS = {
    "application/pdf": "PDF",
    "text/plain": "Text",
    "text/csv": "CSV",
    "text/markdown": "Text",
    "text/html": "Web page",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.oasis.opendocument.text": "Document",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.spreadsheet": "Spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.ms-outlook": "Email",
    "message/rfc822": "Email",
    "application/zip": "Zip archive",
    UNKNOWN_MEDIA_TYPE: "File",
}
_FAMILY_LABELS = {"image": "Image", "audio": "Audio", "video": "Video", "text": "Text"}


def media_label(media_type: str) -> str:
    """A short word for a media type, for lists: 'PDF', 'Image', 'Word', 'File'."""
    label = MEDIA_LABELS.get(media_type)
    if label:
        return label
    family = media_type.partition("/")[0]
    return _FAMILY_LABELS.get(family, "File")
