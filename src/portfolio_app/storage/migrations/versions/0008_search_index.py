"""Full-text search (issue 12): an FTS5 index of activities, lessons, organisations and contacts.

`search_index(title, body)`, tokenizer `unicode61 remove_diacritics 2` (case and accents folded),
kept in step by SQL triggers, so every writer (the services, an import, an undo) updates it in the
same transaction. Each entry's row is `rowid = id * 4 + kind` (0 activity, 1 lesson,
2 organisation, 3 contact), so a trigger finds it without a lookup.

Contentless (`content=''`, `contentless_delete=1`): the index keeps only its tokens, not a second
copy of the user's text (a smaller file, and erased text lives in one place only); snippets are
cut from the entries themselves. `secure-delete` makes a delete remove the tokens at once.

Letters the tokenizer does not fold (Ł, Ø, ß...) are replaced in SQL (nested `replace`), as
storage/search_index.py's FOLDS does for typed words. The list is frozen here (a test compares).

Revision ID: 0008_search_index
Revises: 0007_stable_ids_and_drafts
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_search_index"
down_revision: str | None = "0007_stable_ids_and_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOLDS = {
    "Æ": "AE", "æ": "ae", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o",
    "Þ": "TH", "þ": "th", "ß": "ss", "Ħ": "H", "ħ": "h", "ı": "i", "Ĳ": "IJ", "ĳ": "ij",
    "Ŀ": "L", "ŀ": "l", "Ł": "L", "ł": "l", "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t",
}  # fmt: skip


# Aliases are a JSON list (with non-ASCII letters escaped): their decoded text, one after another;
# text that is not a JSON list (a damaged row) as it is, so a trigger never fails on it.
_ALIASES = (
    "CASE WHEN json_valid(o.aliases) AND json_type(o.aliases) = 'array' THEN"
    " coalesce((SELECT group_concat(j.value, ' ') FROM json_each(o.aliases) j), '')"
    " ELSE coalesce(o.aliases, '') END"
)


def _fold(expression: str) -> str:
    for letter, plain in FOLDS.items():
        expression = f"replace({expression}, '{letter}', '{plain}')"
    return expression


def _activity(where: str) -> str:
    body = (
        "a.type || ' ' || a.description || ' ' || coalesce((SELECT group_concat(o.name || ' ' ||"
        f" {_ALIASES}, ' ') FROM activity_organisations ao JOIN organisations o"
        " ON o.id = ao.organisation_id WHERE ao.activity_id = a.id), '') || ' ' ||"
        " coalesce((SELECT group_concat(c.name, ' ') FROM activity_contacts ac JOIN contacts c"
        " ON c.id = ac.contact_id WHERE ac.activity_id = a.id), '')"
    )
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT a.id * 4, {_fold('a.title')},"
        f" {_fold(body)} FROM activities a WHERE {where};"
    )


def _lesson(where: str) -> str:
    body = (
        "l.what_happened || ' ' || l.what_worked || ' ' || l.what_did_not_work || ' ' ||"
        " l.do_differently || ' ' || l.next_step"
    )
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT l.id * 4 + 1, {_fold('l.title')},"
        f" {_fold(body)} FROM lessons l WHERE {where};"
    )


def _organisation(where: str) -> str:
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT o.id * 4 + 2, {_fold('o.name')},"
        f" {_fold(_ALIASES)} FROM organisations o WHERE {where};"
    )


def _contact(where: str) -> str:
    return (
        f"INSERT INTO search_index (rowid, title, body) SELECT c.id * 4 + 3, {_fold('c.name')},"
        f" {_fold('c.notes')} FROM contacts c WHERE {where};"
    )


def _refresh_activities(ids: str) -> str:
    return f"DELETE FROM search_index WHERE rowid IN (SELECT x * 4 FROM ({ids}));" + _activity(
        f"a.id IN ({ids})"
    )


def _triggers() -> dict[str, str]:
    one = "SELECT {} AS x"
    linked_orgs = (
        "SELECT activity_id AS x FROM activity_organisations WHERE organisation_id = NEW.id"
    )
    linked_contacts = "SELECT activity_id AS x FROM activity_contacts WHERE contact_id = NEW.id"
    return {
        "search_activity_insert": "AFTER INSERT ON activities BEGIN "
        + _activity("a.id = NEW.id")
        + " END",
        "search_activity_update": "AFTER UPDATE OF title, type, description ON activities BEGIN "
        + _refresh_activities(one.format("NEW.id"))
        + " END",
        "search_activity_delete": "AFTER DELETE ON activities BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4; END",
        "search_activity_org_insert": "AFTER INSERT ON activity_organisations BEGIN "
        + _refresh_activities(one.format("NEW.activity_id"))
        + " END",
        "search_activity_org_delete": "AFTER DELETE ON activity_organisations BEGIN "
        + _refresh_activities(one.format("OLD.activity_id"))
        + " END",
        "search_activity_contact_insert": "AFTER INSERT ON activity_contacts BEGIN "
        + _refresh_activities(one.format("NEW.activity_id"))
        + " END",
        "search_activity_contact_delete": "AFTER DELETE ON activity_contacts BEGIN "
        + _refresh_activities(one.format("OLD.activity_id"))
        + " END",
        "search_lesson_insert": "AFTER INSERT ON lessons BEGIN "
        + _lesson("l.id = NEW.id")
        + " END",
        "search_lesson_update": "AFTER UPDATE ON lessons BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1; "
        + _lesson("l.id = NEW.id")
        + " END",
        "search_lesson_delete": "AFTER DELETE ON lessons BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1; END",
        "search_organisation_insert": "AFTER INSERT ON organisations BEGIN "
        + _organisation("o.id = NEW.id")
        + " END",
        "search_organisation_update": "AFTER UPDATE OF name, aliases ON organisations BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2; "
        + _organisation("o.id = NEW.id")
        + _refresh_activities(linked_orgs)
        + " END",
        "search_organisation_delete": "AFTER DELETE ON organisations BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2; END",
        "search_contact_insert": "AFTER INSERT ON contacts BEGIN "
        + _contact("c.id = NEW.id")
        + " END",
        "search_contact_update": "AFTER UPDATE OF name, notes ON contacts BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 3; "
        + _contact("c.id = NEW.id")
        + _refresh_activities(linked_contacts)
        + " END",
        "search_contact_delete": "AFTER DELETE ON contacts BEGIN "
        "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 3; END",
    }


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(title, body, content='',"
        " contentless_delete=1, tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO search_index (search_index, rank) VALUES ('secure-delete', 1)")
    for name, body in _triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(_activity("1"))
    op.execute(_lesson("1"))
    op.execute(_organisation("1"))
    op.execute(_contact("1"))


def downgrade() -> None:
    for name in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_index")
