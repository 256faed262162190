"""Full-text search with SQLite FTS5: the folding of text and the MATCH expression builder.

The SQLCipher build the app uses (sqlcipher3, SQLite 3.53.4 as of December 2026) has FTS5, the
`unicode61 remove_diacritics 2` tokenizer and `contentless_delete`. That tokenizer folds case and
most accents ("Siân" -> "sian", "Zoë" -> "zoe") but not letters that are not an accent on a base
letter: Ł, Ø, Æ, Œ, ß, Đ, Ð, Þ, Ħ, ı... FOLDS maps those to plain letters; the indexed text and the
typed words are both folded with it (in SQL by `fold_sql`, in Python by `fold`), so "lukasz" finds
"Łukasz" and "odegard" finds "Ødegård".

`match_expression` turns anything typed into a safe MATCH expression: every word becomes a quoted
prefix term `"word"*`, words are joined by FTS5's implicit AND, and every character that is not a
letter or a digit (quotes, `*`, `-`, brackets, `:`, `^`, emoji) only separates words, so keywords
such as NEAR, AND, OR and NOT are plain words inside quotes. It never raises.

`documents_once(session)`: inside it, the index's triggers (revision 0009) only note which
activities changed, and each noted activity's document is written once when it ends, however many
of its link rows were written (a bulk import, an edit replacing every link).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

__all__ = [
    "FOLDS",
    "MAX_WORDS",
    "documents_once",
    "fold",
    "fold_sql",
    "match_expression",
    "words",
]

# Letters unicode61 remove_diacritics 2 leaves as they are (checked against the bundled SQLite).
FOLDS: dict[str, str] = {
    "Æ": "AE",
    "æ": "ae",
    "Ð": "D",
    "ð": "d",
    "Đ": "D",
    "đ": "d",
    "Ø": "O",
    "ø": "o",
    "Þ": "TH",
    "þ": "th",
    "ß": "ss",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ĳ": "IJ",
    "ĳ": "ij",
    "Ŀ": "L",
    "ŀ": "l",
    "Ł": "L",
    "ł": "l",
    "Œ": "OE",
    "œ": "oe",
    "Ŧ": "T",
    "ŧ": "t",
}

# Only the first MAX_WORDS distinct words of what is typed count (a pasted page stays quick).
MAX_WORDS = 32
_MAX_WORD_LENGTH = 100
_WORD = re.compile(r"[^\W_]+")  # letters and digits: unicode61's token characters


def fold(text: str) -> str:
    """`text` with the letters of FOLDS replaced, as the index's text is."""
    return "".join(FOLDS.get(ch, ch) for ch in text)


def fold_sql(expression: str) -> str:
    """An SQL expression folding `expression` (SQL text) the same way as `fold`."""
    for letter, plain in FOLDS.items():
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


def words(text: str) -> list[str]:
    """The distinct words of `text` (folded, lower case), in order, at most MAX_WORDS."""
    found: list[str] = []
    for match in _WORD.finditer(fold(unicodedata.normalize("NFC", text))):
        word = match.group(0).casefold()[:_MAX_WORD_LENGTH]
        if word not in found:
            found.append(word)
            if len(found) == MAX_WORDS:
                break
    return found


def match_expression(text: str) -> str | None:
    """A MATCH expression requiring every word of `text` as a prefix; None when it has none."""
    terms = words(text)
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


_DEFER = text("INSERT OR IGNORE INTO search_index_pending (activity_id) VALUES (0)")
_FLUSH = text("DELETE FROM search_index_pending WHERE activity_id = 0")


@contextmanager
def documents_once(session: Session) -> Iterator[None]:
    """Write the search documents of the activities changed inside this block once, at its end.

    Row 0 of `search_index_pending` tells the triggers to note activity ids instead of rebuilding
    each document per row; deleting it (trigger `search_index_flush`) rebuilds the noted ones in
    one statement. Both happen inside the caller's write transaction, so no other connection
    ever sees row 0 (their writes keep updating the index at once). Nested blocks: the outer one
    writes. If the block raises, the documents are still written when the session can (the caller
    may commit what it wrote so far); if it cannot, the transaction is being rolled back anyway."""
    started = session.execute(_DEFER).rowcount == 1  # type: ignore[attr-defined]
    if not started:
        yield
        return
    try:
        yield
    except BaseException:
        try:
            session.flush()
            session.execute(_FLUSH)
        except SQLAlchemyError:
            pass  # the transaction failed; rolling it back removes row 0 too
        raise
    session.flush()
    session.execute(_FLUSH)
