"""What a change touches: the kinds of entry a command changed, and which views show them
(after Anki's OpChanges). The window refreshes only the views a change affects."""

from __future__ import annotations

from dataclasses import dataclass

# The views of the main window that show stored entries.
ACTIVITIES = "activities"
LESSONS = "lessons"
ORGANISATIONS = "organisations"
CONTACTS = "contacts"
SCORE = "score"  # the Breadth page (score, charts, goals)
COUNTS = "counts"  # the status bar's entry counts
VIEWS = frozenset({ACTIVITIES, LESSONS, ORGANISATIONS, CONTACTS, SCORE, COUNTS})

# Which views show each kind of entry (or something derived from it).
AFFECTS: dict[str, frozenset[str]] = {
    # the list; lessons' activity column; organisations' activity counts; the score
    "activity": frozenset({ACTIVITIES, LESSONS, ORGANISATIONS, SCORE, COUNTS}),
    # names in activities' organisations column and in contacts' roles; sectors in the score
    "organisation": frozenset({ORGANISATIONS, ACTIVITIES, CONTACTS, SCORE, COUNTS}),
    # activities' contact names (search), the score's engagement
    "contact": frozenset({CONTACTS, ACTIVITIES, SCORE, COUNTS}),
    # activities' lesson counts
    "lesson": frozenset({LESSONS, ACTIVITIES, COUNTS}),
    "goal": frozenset({SCORE}),
    "review": frozenset({SCORE}),
    "profile": frozenset({SCORE}),
    "evidence": frozenset({ACTIVITIES, LESSONS}),
}


@dataclass(frozen=True)
class Changes:
    """The kinds of entry one step changed (`everything`: an import, another program)."""

    kinds: frozenset[str] = frozenset()
    everything: bool = False

    @classmethod
    def of(cls, *kinds: str) -> Changes:
        unknown = set(kinds) - AFFECTS.keys()
        if unknown:
            raise ValueError(f"no such kind of entry: {', '.join(sorted(unknown))}")
        return cls(frozenset(kinds))

    @classmethod
    def all(cls) -> Changes:
        return cls(frozenset(AFFECTS), everything=True)

    def views(self) -> frozenset[str]:
        """The views to refresh."""
        if self.everything:
            return VIEWS
        out: set[str] = set()
        for kind in self.kinds:
            out |= AFFECTS[kind]
        return frozenset(out)

    def affects(self, view: str) -> bool:
        return view in self.views()

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.everything or other.everything)
