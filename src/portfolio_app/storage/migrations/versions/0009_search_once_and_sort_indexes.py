"""An activity's search document written once per write, not once per link row; sort indexes.

Revision 0008's triggers rebuilt an activity's whole search document (delete + insert into the
FTS5 index, with its organisations' and contacts' names) after every row of its links: an activity
with five links was indexed six times, and a bulk import of 100k activities took many minutes.

Here the same triggers keep working for every writer (another program's raw SQL included: the
index is right after each statement), unless the writer says it will write many rows first: a
row with activity_id 0 in `search_index_pending` ("defer") makes the activity and link triggers
only note the activity's id in that table; deleting row 0 ("flush", trigger
`search_index_flush`) rebuilds the document of every noted activity in one statement and empties
the table. The app defers inside its own write transactions (storage/search_index.py
`documents_once`), so row 0 is never committed and other connections never see it; the
document itself is 0008's (the same SQL, imported from that revision).

Indexes on lower(title) / lower(name) of activities, lessons, organisations and contacts: the
tables sort by `lower(title), id` (the id is the rowid every index ends with), so the sort reads an
index instead of sorting every row. SQLAlchemy does not reflect expression indexes: a later
revision that rebuilds one of these tables in batch mode must create its index again.

Revision ID: 0009_search_once_and_sort_indexes
Revises: 0008_search_index
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0009_search_once_and_sort_indexes"
down_revision: str | None = "0008_search_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_0008 = importlib.import_module("portfolio_app.storage.migrations.versions.0008_search_index")

SORT_INDEXES = {
    "ix_activities_title_lower": "activities (lower(title))",
    "ix_lessons_title_lower": "lessons (lower(title))",
    "ix_organisations_name_lower": "organisations (lower(name))",
    "ix_contacts_name_lower": "contacts (lower(name))",
}

_DEFERRING = "EXISTS (SELECT 1 FROM search_index_pending WHERE activity_id = 0)"
_NOW = f"NOT {_DEFERRING}"

# 0008's triggers that refresh activities' documents: replaced by a pair (now / later) each.
_REPLACED = (
    "search_activity_insert",
    "search_activity_update",
    "search_activity_org_insert",
    "search_activity_org_delete",
    "search_activity_contact_insert",
    "search_activity_contact_delete",
    "search_organisation_update",
    "search_contact_update",
)


def _note(ids: str) -> str:
    return f"INSERT OR IGNORE INTO search_index_pending (activity_id) SELECT x FROM ({ids});"


def _pair(event: str, ids: str, own: str = "") -> dict[str, str]:
    """A trigger refreshing the activities `ids` selects at once, and one noting them for later.

    `own` (an organisation's or a contact's own document) is written at once either way."""
    return {
        "now": f"{event} WHEN {_NOW} BEGIN {own}{_0008._refresh_activities(ids)} END",
        "later": f"{event} WHEN {_DEFERRING} BEGIN {own}{_note(ids)} END",
    }


def _triggers() -> dict[str, str]:
    one = "SELECT {} AS x"
    linked_orgs = (
        "SELECT activity_id AS x FROM activity_organisations WHERE organisation_id = NEW.id"
    )
    linked_contacts = "SELECT activity_id AS x FROM activity_contacts WHERE contact_id = NEW.id"
    organisation = "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 2; " + _0008._organisation(
        "o.id = NEW.id"
    )
    contact = "DELETE FROM search_index WHERE rowid = OLD.id * 4 + 3; " + _0008._contact(
        "c.id = NEW.id"
    )
    pairs = {
        # A new activity has no document yet: nothing to delete first.
        "search_activity_insert": {
            "now": f"AFTER INSERT ON activities WHEN {_NOW} BEGIN "
            + _0008._activity("a.id = NEW.id")
            + " END",
            "later": f"AFTER INSERT ON activities WHEN {_DEFERRING} BEGIN "
            + _note(one.format("NEW.id"))
            + " END",
        },
        "search_activity_update": _pair(
            "AFTER UPDATE OF title, type, description ON activities", one.format("NEW.id")
        ),
        "search_activity_org_insert": _pair(
            "AFTER INSERT ON activity_organisations", one.format("NEW.activity_id")
        ),
        "search_activity_org_delete": _pair(
            "AFTER DELETE ON activity_organisations", one.format("OLD.activity_id")
        ),
        "search_activity_contact_insert": _pair(
            "AFTER INSERT ON activity_contacts", one.format("NEW.activity_id")
        ),
        "search_activity_contact_delete": _pair(
            "AFTER DELETE ON activity_contacts", one.format("OLD.activity_id")
        ),
        "search_organisation_update": _pair(
            "AFTER UPDATE OF name, aliases ON organisations", linked_orgs, organisation
        ),
        "search_contact_update": _pair(
            "AFTER UPDATE OF name, notes ON contacts", linked_contacts, contact
        ),
    }
    triggers: dict[str, str] = {}
    for name, pair in pairs.items():
        triggers[name] = pair["now"]
        triggers[f"{name}_later"] = pair["later"]
    # Row 0 deleted: every noted activity's document, rebuilt in one statement.
    pending = "SELECT activity_id AS x FROM search_index_pending"
    triggers["search_index_flush"] = (
        "AFTER DELETE ON search_index_pending WHEN OLD.activity_id = 0 BEGIN "
        + _0008._refresh_activities(pending)
        + " DELETE FROM search_index_pending; END"
    )
    return triggers


def upgrade() -> None:
    op.execute("CREATE TABLE search_index_pending (activity_id INTEGER PRIMARY KEY)")
    for name in _REPLACED:
        op.execute(f"DROP TRIGGER {name}")
    for name, body in _triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    for name, on in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {on}")


def downgrade() -> None:
    for name in SORT_INDEXES:
        op.execute(f"DROP INDEX {name}")
    for name in _triggers():
        op.execute(f"DROP TRIGGER {name}")
    old = _0008._triggers()
    for name in _REPLACED:
        op.execute(f"CREATE TRIGGER {name} {old[name]}")
    op.execute("DROP TABLE search_index_pending")
