"""Guess an organisation's sector from its name, using the taxonomy's labels and aliases.

"Northshire County Council" holds the alias "county council", "Leeds Teaching Hospitals NHS
Trust" holds "hospital" (a plural counts) and the label "NHS". The guess is only offered: the
user confirms or changes it before an organisation is created with it.
"""

from __future__ import annotations

import re

from portfolio_app.taxonomy.model import Taxonomy

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_acronym(term: str) -> bool:
    """'NHS', 'ICB', 'LA': matched only as capitals, so 'La Belle Époque' is not an authority."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and " " not in term.strip()


def _same_word(name_word: str, term_word: str, *, exact_case: bool) -> bool:
    if exact_case:
        return name_word in (term_word, term_word + "s")
    name_word, term_word = name_word.casefold(), term_word.casefold()
    return name_word in (term_word, term_word + "s")


def _occurs(name_words: list[str], term: str) -> bool:
    term_words = _words(term)
    if not term_words or len(term_words) > len(name_words):
        return False
    exact = _is_acronym(term)
    last_start = len(name_words) - len(term_words)
    return any(
        all(
            _same_word(name_words[start + i], word, exact_case=exact)
            for i, word in enumerate(term_words)
        )
        for start in range(last_start + 1)
    )


def guess_sector(taxonomy: Taxonomy, organisation_name: str) -> str | None:
    """The id of the sector whose label or alias appears, as whole words, in the name.

    The longest match wins (more words, then more letters), then the more specific sector
    (a sub-sector over its parent), then the taxonomy's order. None when nothing matches."""
    name_words = _words(organisation_name)
    if not name_words:
        return None
    best: tuple[int, int, int] | None = None
    best_id: str | None = None
    for sector in taxonomy.ordered():  # display order: the first of equals wins
        for term in (sector.label, *sector.aliases):
            if not _occurs(name_words, term):
                continue
            rank = (len(_words(term)), len(term), len(taxonomy.ancestry(sector.id)))
            if best is None or rank > best:
                best, best_id = rank, sector.id
    return best_id
