"""Drafts: what the user typed in a dialog and has not saved yet, kept so a crash loses at most
the last few seconds of typing (issue 11).

A draft is one row of the `drafts` table, in the encrypted database like everything else the
user writes: `kind` (which dialog: see DRAFT_KINDS), `entry_id` (the entry being edited, None for
a new one), `saved_at` (UTC) and `payload`. There is at most one draft per (kind, entry_id): a
newer one replaces it. The dialogs keep it while the user types and delete it on Save or on a
deliberate Cancel/Discard; a crash, or a window closed by other means, leaves it to be offered
back at the next start. Drafts are never logged, exported or counted.

The payload is a JSON object: field name -> a plain value (text, number, true/false, null, or a
list of those, lists may nest). No objects inside: the dialogs flatten their forms. It holds the
form as typed (dates as the text in the date box, so a half-typed date comes back as it was).
At most MAX_PAYLOAD_BYTES (2 MB) as UTF-8 JSON. The shapes the dialogs write:

- "activity": title, type (ActivityType value), status (Status value), start, end (date text),
  ends_later (bool), hours (text), visibility ("private" | "shared"), description,
  organisation_ids and contact_ids (lists of ids, in the order ticked), extra_sector_ids
  (list of sector ids).
- "lesson": title, activity_id (id or null for standalone), recorded (date text), and for each
  section (LessonSection value, e.g. "what_happened") its text under the section's name and
  whether it is shared under "<section>_shared" (bool).
- "review": date (text), reviewer_name, reviewer_role, comments, objectives (a list of
  [title, [sector ids], target date ISO "2027-03-01" or ""]), and the objective being typed:
  objective_title, objective_sector_ids, objective_has_target (bool), objective_target (text).

A reader takes what it knows and ignores the rest, so an older draft still fills a newer form.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Union

from sqlalchemy import ColumnElement, Integer, Select, String, delete, select, type_coerce

from portfolio_app.services.errors import ServiceError
from portfolio_app.storage import tables as t
from portfolio_app.storage.database import Database

log = logging.getLogger(__name__)

# Which dialogs keep drafts, and how a draft of each is named to the user.
DRAFT_KINDS: dict[str, str] = {
    "activity": "activity",
    "lesson": "lesson learned",
    "review": "appraisal review",
}
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 4  # lists inside lists: the review's objectives need two levels
TITLE_LENGTH = 60
# The payload fields that name a draft in a list, first one with text wins.
_TITLE_FIELDS = ("title", "reviewer_name")

JsonValue = Union[str, int, float, bool, None, list["JsonValue"]]  # noqa: UP007 (recursive alias)
Payload = dict[str, JsonValue]


class InvalidDraft(ServiceError):
    """A draft that cannot be kept (too big, an unknown kind, a value that is not plain JSON);
    the message names the problem and where, never the text itself."""


@dataclass(frozen=True)
class Draft:
    kind: str
    entry_id: int | None
    saved_at: datetime  # aware, UTC
    payload: Payload = field(repr=False)  # the user's text: never in a repr, a log or a message

    @property
    def noun(self) -> str:
        return DRAFT_KINDS.get(self.kind, self.kind)

    @property
    def title(self) -> str:
        """A short title for lists: the draft's title (or reviewer), cut to TITLE_LENGTH."""
        for name in _TITLE_FIELDS:
            value = self.payload.get(name)
            if isinstance(value, str) and value.strip():
                text = " ".join(value.split())
                if len(text) > TITLE_LENGTH:
                    text = text[: TITLE_LENGTH - 1].rstrip() + "…"
                return text
        return "untitled"

    def question(self, tz: tzinfo | None = None, now: datetime | None = None) -> str:
        """Asked when its dialog is opened: 'There is an unsaved draft of this activity from
        3 Dec 10:15.' (or 'of a new activity')."""
        which = "a new" if self.entry_id is None else "this"
        when = format_saved_at(self.saved_at, tz, now)
        return (
            f"There is an unsaved draft of {which} {self.noun} from {when} (“{self.title}”). "
            "Go on with it, or discard it and start from what is saved?"
        )

    def describe(self, tz: tzinfo | None = None, now: datetime | None = None) -> str:
        """'New activity “Shadowing at the hub”, 3 Dec 10:15' (or 'Changes to the lesson …')."""
        what = f"New {self.noun}" if self.entry_id is None else f"Changes to the {self.noun}"
        return f"{what} “{self.title}”, {format_saved_at(self.saved_at, tz, now)}"


def format_saved_at(when: datetime, tz: tzinfo | None = None, now: datetime | None = None) -> str:
    """'3 Dec 10:15' in local time (or `tz`); with the year when it is not this year's."""
    local = when.astimezone(tz)
    current = (now or datetime.now(UTC)).astimezone(tz)
    day = f"{local.day} {local:%b}"
    if local.year != current.year:
        day += f" {local.year}"
    return f"{day} {local:%H:%M}"


def pending_summary(
    drafts: Sequence[Draft], tz: tzinfo | None = None, now: datetime | None = None
) -> str:
    """'You have 2 unsaved drafts from 3 Dec 10:15' (the first and last times when they
    differ: 'from 1 Dec 09:00 to 3 Dec 10:15')."""
    if not drafts:
        return "You have no unsaved drafts."
    times = sorted(d.saved_at for d in drafts)
    first, last = (format_saved_at(x, tz, now) for x in (times[0], times[-1]))
    when = first if first == last else f"{first} to {last}"
    count = "1 unsaved draft" if len(drafts) == 1 else f"{len(drafts)} unsaved drafts"
    return f"You have {count} from {when}."


def text_field(payload: Mapping[str, object], name: str) -> str | None:
    """A text field of a payload; None when missing or not text (the form keeps its value)."""
    value = payload.get(name)
    return value if isinstance(value, str) else None


def flag_field(payload: Mapping[str, object], name: str) -> bool | None:
    value = payload.get(name)
    return value if isinstance(value, bool) else None


def id_list_field(payload: Mapping[str, object], name: str) -> list[int] | None:
    """A list of ids (whole numbers; anything else in it is dropped)."""
    value = payload.get(name)
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


def text_list_field(payload: Mapping[str, object], name: str) -> list[str] | None:
    value = payload.get(name)
    if not isinstance(value, list):
        return None
    return [v for v in value if isinstance(v, str)]


def check_payload(kind: str, payload: object) -> str:
    """The payload as the JSON text to store; InvalidDraft naming the problem and where."""
    if kind not in DRAFT_KINDS:
        known = ", ".join(DRAFT_KINDS)
        raise InvalidDraft(f"drafts of {kind!r} are not kept (only of: {known})")
    noun = DRAFT_KINDS[kind]
    if not isinstance(payload, dict):
        raise InvalidDraft(
            f"the draft of the {noun} is {_type_name(payload)}, not an object of fields"
        )
    for key, value in payload.items():
        if not isinstance(key, str) or not key:
            raise InvalidDraft(f"the draft of the {noun} has a field name that is not text")
        _check_value(value, f"draft of the {noun}, field {key!r}", 0)
    try:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate: not text that can be stored
        raise InvalidDraft(f"the draft of the {noun} holds text that is not valid Unicode") from exc
    if size > MAX_PAYLOAD_BYTES:
        raise InvalidDraft(
            f"the draft of the {noun} is {size / 1024 / 1024:.1f} MB, over the "
            f"{MAX_PAYLOAD_BYTES // 1024 // 1024} MB a draft may hold; it was not kept"
        )
    return text


def _check_value(value: object, where: str, depth: int) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidDraft(f"{where}: {value!r} is not a number JSON can hold")
        return
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            raise InvalidDraft(f"{where}: lists nest more than {MAX_DEPTH} deep")
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]", depth + 1)
        return
    raise InvalidDraft(
        f"{where}: {_type_name(value)} is not a plain value (text, number, true/false, "
        "null or a list)"
    )


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, tuple):
        return "a tuple"
    return f"a {type(value).__name__}"


def _check_entry_id(entry_id: object) -> int | None:
    if entry_id is None:
        return None
    if isinstance(entry_id, bool) or not isinstance(entry_id, int) or entry_id < 1:
        raise InvalidDraft(f"a draft's entry id must be a positive whole number, not {entry_id!r}")
    return entry_id


def _now_utc() -> datetime:
    return datetime.now(UTC)


class DraftService:
    """Keep, find and delete drafts; each call is its own short transaction."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = _now_utc) -> None:
        self.db = db
        self._clock = clock

    def save(self, kind: str, entry_id: int | None, payload: Mapping[str, object]) -> Draft:
        """Keep `payload` as the draft of (kind, entry_id), replacing an earlier one."""
        text = check_payload(kind, dict(payload) if isinstance(payload, Mapping) else payload)
        entry_id = _check_entry_id(entry_id)
        saved_at = self._clock().astimezone(UTC)
        with self.db.unit_of_work() as session:
            # Replace, not update: an older row is never read (its stored values may be bad).
            session.execute(delete(t.DraftRow).where(*_key(kind, entry_id)))
            session.add(
                t.DraftRow(
                    kind=kind,
                    entry_id=entry_id,
                    payload=text,
                    saved_at=saved_at.replace(tzinfo=None),
                )
            )
        log.debug("Kept a draft of a %s (entry %s, %d bytes)", kind, entry_id, len(text))
        return Draft(kind, entry_id, saved_at, json.loads(text))

    def get(self, kind: str, entry_id: int | None) -> Draft | None:
        """The draft of (kind, entry_id), or None (also when it cannot be read)."""
        with self.db.transaction() as session:
            rows = session.execute(
                _columns().where(*_key(kind, entry_id)).order_by(t.DraftRow.id.desc())
            ).all()
        drafts = [d for d in (_read(row) for row in rows) if d is not None]
        return drafts[0] if drafts else None

    def discard(self, kind: str, entry_id: int | None) -> bool:
        """Delete the draft of (kind, entry_id); False if there was none."""
        with self.db.unit_of_work() as session:
            result = session.execute(delete(t.DraftRow).where(*_key(kind, entry_id)))
            removed = int(getattr(result, "rowcount", 0) or 0)
        if removed:
            log.debug("Discarded the draft of a %s (entry %s)", kind, entry_id)
        return removed > 0

    def pending(self) -> list[Draft]:
        """Every draft that can be offered back, oldest first. A draft that cannot be read
        (not JSON, a kind this version does not know) is left out and left as it is."""
        with self.db.transaction() as session:
            rows = session.execute(_columns().order_by(t.DraftRow.id)).all()
        drafts = [d for d in (_read(row) for row in rows) if d is not None]
        return sorted(drafts, key=lambda d: d.saved_at)


def _key(kind: str, entry_id: int | None) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    same_entry = (
        t.DraftRow.entry_id.is_(None) if entry_id is None else t.DraftRow.entry_id == entry_id
    )
    return t.DraftRow.kind == kind, same_entry


def _columns() -> Select[int, str, int, str, str]:
    """The stored values as they are (the time as text), so one bad row cannot fail a read."""
    row = t.DraftRow
    return select(
        row.id,
        type_coerce(row.kind, String),
        type_coerce(row.entry_id, Integer),
        type_coerce(row.payload, String),
        type_coerce(row.saved_at, String),
    )


def _read(row: Sequence[object]) -> Draft | None:
    row_id, kind, entry_id, payload_text, saved_at = row
    try:
        if not isinstance(kind, str) or kind not in DRAFT_KINDS:
            raise ValueError("unknown kind")
        if not isinstance(payload_text, str):
            raise ValueError("not text")
        payload = json.loads(payload_text)
        check_payload(kind, payload)
        if not isinstance(saved_at, str):
            raise ValueError("no time")
        when = datetime.fromisoformat(saved_at)
        draft = Draft(kind, _check_entry_id(entry_id), when.replace(tzinfo=UTC), payload)
    except (ValueError, TypeError, InvalidDraft):
        # Neither the payload nor the reason's text is logged: both may quote the user's text.
        log.warning("Draft %s cannot be read; it is left as it is", row_id)
        return None
    return draft
