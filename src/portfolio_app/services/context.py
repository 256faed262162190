"""Build every service once at start-up and hand them to whoever needs them (no globals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from portfolio_app.paths import AppPaths
from portfolio_app.services import vault
from portfolio_app.services.activities import ActivityService
from portfolio_app.services.backups import BackupService, folder_in_use
from portfolio_app.services.check import CheckService
from portfolio_app.services.contacts import ContactService
from portfolio_app.services.drafts import DraftService
from portfolio_app.services.evidence import EvidenceService
from portfolio_app.services.goals import GoalService, ReviewService
from portfolio_app.services.lessons import LessonService
from portfolio_app.services.open_copies import OpenCopies, sweep_open_copies
from portfolio_app.services.organisations import OrganisationService
from portfolio_app.services.profile import ProfileService
from portfolio_app.services.table_queries import TableQueries
from portfolio_app.services.taxonomy_service import TaxonomyService, TaxonomyStatus
from portfolio_app.storage import check_stamp
from portfolio_app.storage.backups import Backups
from portfolio_app.storage.database import Database, is_read_only
from portfolio_app.storage.errors import DatabaseDamaged, StorageError
from portfolio_app.taxonomy import Taxonomy

if TYPE_CHECKING:
    from portfolio_app.services.contact_erasure import ContactErasureService
    from portfolio_app.services.contact_export import ContactExportService
    from portfolio_app.services.csv_export import CsvExportService
    from portfolio_app.services.csv_import import CsvImportService
    from portfolio_app.services.json_export import JsonExportService
    from portfolio_app.services.json_import import JsonImportService
    from portfolio_app.services.linkedin_import import LinkedInImportService
    from portfolio_app.services.search_service import SearchService

log = logging.getLogger(__name__)


@dataclass
class AppServices:
    paths: AppPaths
    db: Database
    taxonomy: Taxonomy
    # The database key, kept while the data is open (re-opening, backups); never shown.
    data_key: bytes = field(repr=False, kw_only=True)
    profile: ProfileService = field(init=False)
    organisations: OrganisationService = field(init=False)
    contacts: ContactService = field(init=False)
    activities: ActivityService = field(init=False)
    lessons: LessonService = field(init=False)
    goals: GoalService = field(init=False)
    reviews: ReviewService = field(init=False)
    evidence: EvidenceService = field(init=False)
    # Unsaved dialog text, kept while typing and offered back after a crash (services/drafts.py).
    drafts: DraftService = field(init=False)
    # `portfolio-app check` and the damaged-entries note: the file, links and stored values.
    check: CheckService = field(init=False)
    # Automatic and on-demand backups (restore itself runs with the database closed).
    backups: BackupService = field(init=False)
    # Plain copies of evidence files opened in this session; deleted by close().
    open_copies: OpenCopies = field(init=False)
    # The main window's lists in SQL: sorted, filtered, searched ids and rows by the batch.
    tables: TableQueries = field(init=False)
    # Changes of taxonomy that touch data (install, revert, usage); `taxonomy` is the one in force.
    taxonomies: TaxonomyService = field(init=False)
    # Where the taxonomy came from and what start-up did with it (None when passed explicitly).
    taxonomy_status: TaxonomyStatus | None = None
    # The data folder cannot be written (a read-only disk or permissions): everything can be
    # read and exported elsewhere; anything that would save raises storage.errors.ReadOnlyData.
    read_only: bool = field(default=False, kw_only=True)
    # Set by the CLI: close() takes an automatic backup when one is due (the data changed and
    # the newest backup is 30 minutes old); the window makes its own, in the background. A
    # failed backup goes to `backup_failed` (and the log), never fails the command.
    backup_on_close: bool = field(default=False, kw_only=True)
    backup_failed: Callable[[Exception], None] | None = field(
        default=None, kw_only=True, repr=False
    )

    def __post_init__(self) -> None:
        args = (self.db, self.taxonomy)
        self.profile = ProfileService(*args)
        self.organisations = OrganisationService(*args)
        self.contacts = ContactService(*args)
        self.activities = ActivityService(*args)
        self.lessons = LessonService(*args)
        self.goals = GoalService(*args)
        self.reviews = ReviewService(*args)
        self.evidence = EvidenceService(*args)
        self.drafts = DraftService(self.db)
        self.check = CheckService(*args)
        self.backups = BackupService(self.db, self.paths, self.data_key)
        self.open_copies = OpenCopies(self.paths.open_files_dir)
        self.taxonomies = TaxonomyService(self.db, self.paths)
        self.tables = TableQueries(*args)

    # Services that no first frame needs are made, and their modules (pydantic models of the
    # file formats, spreadsheet readers) imported, on first use: start-up pays for none of them.

    @cached_property
    def search(self) -> SearchService:
        """Search across every kind of entry (the FTS5 index of revision 0008)."""
        from portfolio_app.services.search_service import SearchService

        return SearchService(self.db, self.taxonomy)

    @cached_property
    def contact_erasure(self) -> ContactErasureService:
        """Right to erasure of one contact (backups, then the data)."""
        from portfolio_app.services.contact_erasure import ContactErasureService

        return ContactErasureService(self.contacts, self.paths.backups_dir, self.data_key)

    @cached_property
    def contact_export(self) -> ContactExportService:
        """Everything about one contact as JSON."""
        from portfolio_app.services.contact_export import ContactExportService

        return ContactExportService(self.db, self.taxonomy)

    @cached_property
    def csv_import(self) -> CsvImportService:
        """Activities in from a CSV file or spreadsheet."""
        from portfolio_app.services.csv_import import CsvImportService

        return CsvImportService(self.db, self.taxonomy)

    @cached_property
    def csv_export(self) -> CsvExportService:
        """Every activity out to a CSV file."""
        from portfolio_app.services.csv_export import CsvExportService

        return CsvExportService(self.db, self.taxonomy)

    @cached_property
    def json_export(self) -> JsonExportService:
        """Everything as one open JSON document (docs/json-format.md)."""
        from portfolio_app.services.json_export import JsonExportService

        return JsonExportService(self.db, self.taxonomy)

    @cached_property
    def json_import(self) -> JsonImportService:
        """One open JSON document back in (docs/json-format.md)."""
        from portfolio_app.services.json_import import JsonImportService

        return JsonImportService(self.db, self.taxonomy)

    @cached_property
    def linkedin_import(self) -> LinkedInImportService:
        """LinkedIn's Connections.csv in: contacts with a dated role (docs/linkedin-import.md)."""
        from portfolio_app.services.linkedin_import import LinkedInImportService

        return LinkedInImportService(self.db, self.taxonomy, self.organisations)

    def close(self) -> None:
        try:
            if self.backup_on_close:
                self._backup_if_due()
        finally:
            self.open_copies.close()
            self.db.close()

    def _backup_if_due(self) -> None:
        self.backup_on_close = False  # once: close() may be called again
        try:
            self.backups.backup_if_due()
        except (StorageError, OSError) as exc:
            log.warning("The automatic backup failed: %s", exc)
            if self.backup_failed is not None:
                self.backup_failed(exc)


# When the start-up check of the whole file runs: "now" (before anything is used), "later"
# (the key only; the caller runs `db.file_problems()` itself: the window, once painted) or
# "if_changed" (the CLI: skipped while the files are as the last good check left them, see
# storage.check_stamp).
StartupCheck = Literal["now", "later", "if_changed"]


def open_services(
    paths: AppPaths,
    taxonomy: Taxonomy | None = None,
    *,
    key: bytes | None = None,
    checks: StartupCheck = "now",
) -> AppServices:
    """Open (creating and migrating as needed) the database in `paths` and wire the services.

    `key` is the data key (from `vault.unlock`); without it the key remembered on this device
    or the passphrase in PORTFOLIO_APP_PASSPHRASE is used (vault.PassphraseRequired if neither).

    Without `taxonomy`, the taxonomy in force is found (environment, HR, installed, default) and,
    if it changed since it was last applied, data in retired sectors moves to the replacements.
    An explicit `taxonomy` (tests, tools) is used as it is and leaves data untouched.
    """
    if key is None:
        key = vault.unlock(paths).data_key
    # A read-only data folder (disk or permissions) is opened for reading: nothing is created,
    # swept, upgraded or applied there (services.read_only says so to the CLI and the window).
    read_only = is_read_only(paths.database)
    if not read_only:
        paths.ensure()
        # Plain copies of evidence that a crashed session left behind (a running one's stay).
        sweep_open_copies(paths.open_files_dir)
    check_now = checks == "now" or (
        checks == "if_changed" and not check_stamp.is_unchanged(paths.database)
    )
    try:
        db = Database(
            paths.database,
            key=key,
            backups_dir=paths.backups_dir,
            must_exist=folder_in_use(paths, key),
            read_only=read_only,
            check_pages=check_now,
        )
    except DatabaseDamaged as exc:
        check_stamp.forget(paths.database)
        # The way on: the newest backup that is itself sound (the CLI and the window offer it).
        exc.newest_backup = Backups(paths.backups_dir, key).newest_good()
        raise
    if checks == "if_changed" and db.checked and not read_only:
        check_stamp.remember_good_check(paths.database)
    if taxonomy is not None:
        return AppServices(paths, db, taxonomy, data_key=key, read_only=read_only)
    try:
        status = _taxonomy_status(TaxonomyService(db, paths), read_only=read_only)
    except BaseException:
        db.close()
        raise
    return AppServices(paths, db, status.taxonomy, status, data_key=key, read_only=read_only)


def _taxonomy_status(taxonomies: TaxonomyService, *, read_only: bool) -> TaxonomyStatus:
    """The taxonomy in force, applied to the data if it changed; read-only data keeps the one
    it was last placed with (nothing can move), so every sector it names is still known."""
    if not read_only:
        return taxonomies.bring_into_force()
    found = taxonomies.in_force()
    record = taxonomies.last_applied()
    return TaxonomyStatus(found, record.taxonomy if record is not None else found.taxonomy)
