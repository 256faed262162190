"""Right to erasure: delete a contact everywhere, after a preview of everything that changes.

The preview names the roles removed, the activities that no longer list the person, the user's
own text that names them (reported, never edited: the user decides), and the backups made
before the erasure that still hold them. Erasing is one transaction; the database overwrites
what it frees (`secure_delete`), so nothing of the person stays readable in free pages. The
backups that hold them are deleted only when the user chooses it, after the transaction has
committed (a failed erasure deletes nothing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from portfolio_app.domain.records import Contact
from portfolio_app.services.contact_dossier import ContactDossier, dossier_in
from portfolio_app.services.contacts import ContactService
from portfolio_app.services.name_mentions import Mention
from portfolio_app.storage.backup_contents import holds_contact
from portfolio_app.storage.errors import WrongKeyOrNotADatabase

__all__ = ["BackupsCheck", "ContactErasureService", "ErasurePreview", "ErasureResult"]

_log = logging.getLogger(__name__)


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _s(n: int) -> str:
    """The verb's ending after `n` things: '1 backup holds', '2 backups hold'."""
    return "s" if n == 1 else ""


@dataclass(frozen=True)
class BackupsCheck:
    """The backups that hold the person, and those that could not be read to tell."""

    holding: tuple[Path, ...]
    unreadable: tuple[Path, ...]


@dataclass(frozen=True)
class Section:
    """A heading and its items: the preview as the CLI prints it and the dialog shows it."""

    key: str  # "roles", "activities", "mentions", "backups", "unreadable"
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ErasurePreview:
    dossier: ContactDossier
    backups: BackupsCheck

    @property
    def contact(self) -> Contact:
        return self.dossier.contact

    def headline(self) -> str:
        contact = self.contact
        return (
            f"Erase the contact “{contact.name}” (id {contact.id}) everywhere: their name, "
            "notes and roles are deleted. This cannot be undone."
        )

    def sections(self) -> list[Section]:
        """What else changes, one section a kind of change (empty kinds left out)."""
        dossier, backups = self.dossier, self.backups
        sections = [
            Section(
                "roles",
                f"{count(len(dossier.roles), 'role')} removed:",
                tuple(role.describe() for role in dossier.roles),
            ),
            Section(
                "activities",
                f"{count(len(dossier.activities), 'activity', 'activities')} will no longer "
                f"list them ({'it stays' if len(dossier.activities) == 1 else 'they stay'} "
                "in your log):",
                tuple(activity.describe() for activity in dossier.activities),
            ),
            Section(
                "mentions",
                f"Your own text names them in {count(len(dossier.mentions), 'place')}. It is "
                "not changed: edit it yourself if it should not name them.",
                tuple(mention.describe() for mention in dossier.mentions),
            ),
            Section(
                "backups",
                f"{count(len(backups.holding), 'backup')} made before now still "
                f"hold{_s(len(backups.holding))} them, until deleted:",
                tuple(str(path) for path in backups.holding),
            ),
            Section(
                "unreadable",
                f"{count(len(backups.unreadable), 'file')} in the backups folder could not be "
                "read with your key, so cannot be checked (left as they are):",
                tuple(str(path) for path in backups.unreadable),
            ),
        ]
        return [section for section in sections if section.items]

    def lines(self) -> list[str]:
        lines = [self.headline()]
        for section in self.sections():
            lines.append(f"- {section.heading}")
            lines.extend(f"    {item}" for item in section.items)
        return lines


@dataclass(frozen=True)
class ErasureResult:
    contact_id: int
    roles_removed: int
    activities_unlinked: int
    mentions: tuple[Mention, ...]  # left as they were, for the user to edit
    backups_deleted: tuple[Path, ...]
    backups_kept: tuple[Path, ...]  # hold the person: not chosen for deletion, or failed
    failures: tuple[str, ...]  # backups that could not be deleted, and why

    def lines(self) -> list[str]:
        lines = [
            f"Erased contact {self.contact_id}: {count(self.roles_removed, 'role')} removed, "
            f"{count(self.activities_unlinked, 'activity', 'activities')} no longer "
            f"list{_s(self.activities_unlinked)} them."
        ]
        if self.backups_deleted:
            lines.append(f"Deleted {count(len(self.backups_deleted), 'backup')} that held them.")
        lines.extend(f"Could not delete {failure}" for failure in self.failures)
        if self.backups_kept:
            lines.append(
                f"{count(len(self.backups_kept), 'older backup')} still "
                f"hold{_s(len(self.backups_kept))} them:"
            )
            lines.extend(f"    {path}" for path in self.backups_kept)
        if self.mentions:
            lines.append(f"Your own text still names them in {count(len(self.mentions), 'place')}:")
            lines.extend(f"    {mention.describe()}" for mention in self.mentions)
        return lines


class ContactErasureService:
    """Preview and perform the erasure of a contact from the database and, if chosen, from
    the backups (encrypted with the same key) that predate it."""

    def __init__(self, contacts: ContactService, backups_dir: Path, key: bytes) -> None:
        self.contacts = contacts
        self.backups_dir = backups_dir
        self._key = key

    def preview(self, contact_id: int) -> ErasurePreview:
        """Everything erasing the contact would change (NotFound if there is none)."""
        with self.contacts.db.transaction() as session:
            dossier = dossier_in(session, contact_id)
        return ErasurePreview(dossier, self.check_backups(contact_id, dossier.contact.name))

    def check_backups(self, contact_id: int, name: str) -> BackupsCheck:
        """Which files in the backups folder hold the contact (their row or their name)."""
        holding: list[Path] = []
        unreadable: list[Path] = []
        if not self.backups_dir.is_dir():
            return BackupsCheck((), ())
        for path in sorted(p for p in self.backups_dir.rglob("*") if p.is_file()):
            try:
                if holds_contact(path, self._key, contact_id=contact_id, name=name):
                    holding.append(path)
            except WrongKeyOrNotADatabase:
                unreadable.append(path)
        return BackupsCheck(tuple(holding), tuple(unreadable))

    def erase(self, contact_id: int, *, prune_backups: bool = False) -> ErasureResult:
        """Delete the contact, their roles and their links to activities in one transaction;
        then, if `prune_backups`, delete the backups that still hold them."""
        name = self.contacts.get(contact_id).name
        backups = self.check_backups(contact_id, name)  # before: they predate the erasure
        with self.contacts.db.unit_of_work() as session:
            dossier = dossier_in(session, contact_id)
            self.contacts.delete_in(session, contact_id)
        deleted: list[Path] = []
        kept: list[Path] = []
        failures: list[str] = []
        for path in backups.holding:
            if not prune_backups:
                kept.append(path)
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                deleted.append(path)  # gone already: nothing of theirs is left in it
            except OSError as exc:
                kept.append(path)
                failures.append(f"{path}: {exc.strerror or exc}")
            else:
                deleted.append(path)
        # The log names the id only: never the person.
        _log.info(
            "contact %d erased; %d backup(s) deleted, %d kept",
            contact_id,
            len(deleted),
            len(kept),
        )
        return ErasureResult(
            contact_id,
            len(dossier.roles),
            len(dossier.activities),
            dossier.mentions,
            tuple(deleted),
            tuple(kept),
            tuple(failures),
        )
