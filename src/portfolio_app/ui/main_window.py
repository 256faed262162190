"""The main window: side bar of pages, menus, toolbar, status bar, undo stack and settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from portfolio_app import APP_NAME, __version__
from portfolio_app.domain.records import Activity
from portfolio_app.services import AppServices
from portfolio_app.services.base import DamagedEntry
from portfolio_app.services.changes import COUNTS, SCORE, Changes
from portfolio_app.services.drafts import Draft
from portfolio_app.services.goals import RecordedReview
from portfolio_app.services.record_kinds import KINDS, REVIEW_RECORDING
from portfolio_app.storage.database import create_owner_only
from portfolio_app.ui.actions import Shortcut, command_name, make_action
from portfolio_app.ui.auto_backup import AutoBackup
from portfolio_app.ui.colours import DEMO_BANNER, READ_ONLY_BANNER
from portfolio_app.ui.contact_privacy import ContactPrivacyFlow
from portfolio_app.ui.csv_import_flow import CsvImportFlow
from portfolio_app.ui.dashboard.breadth_page import BreadthPage
from portfolio_app.ui.dashboard.goal_dialog import GoalDialog
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.dialogs.review_dialog import ReviewDialog
from portfolio_app.ui.draft_flow import DraftFlow
from portfolio_app.ui.draft_keeper import DraftKeeper
from portfolio_app.ui.first_paint import on_first_paint
from portfolio_app.ui.guide_window import GuideWindow
from portfolio_app.ui.linkedin_import_flow import LinkedInImportFlow
from portfolio_app.ui.open_formats_flow import OpenFormatsFlow
from portfolio_app.ui.outside_changes_watch import OutsideChangesWatch
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.restore_dialog import RestoreDialog
from portfolio_app.ui.settings_dialog import SettingsDialog
from portfolio_app.ui.startup_check import EntryScan
from portfolio_app.ui.taxonomy_editor import TaxonomyEditorWindow
from portfolio_app.ui.undo_commands import AddCommand, DeleteCommand, EditCommand, RecordCommand
from portfolio_app.ui.views.activities_page import ActivitiesPage
from portfolio_app.ui.views.entity_page import EntityPage
from portfolio_app.ui.views.pages import ContactsPage, LessonsPage, OrganisationsPage
from portfolio_app.ui.widgets.evidence_panel import EvidencePanel
from portfolio_app.ui.widgets.screen_fit import fitted_size

if TYPE_CHECKING:  # the PDF export (reportlab, fonts) loads when its dialog opens
    from portfolio_app.ui.export_dialog import ExportDialog

SETTINGS_FILE = "ui-settings.ini"
# "now": the lists, counts and damage note are read before the window shows; "after_paint":
# the first frame shows the pages waiting, and they fill once the damaged-row checks (seconds
# at 100k the first time) have run off the UI thread (ui/startup_check.py EntryScan).
ListsLoad = Literal["now", "after_paint"]
WAITING_TEXT = "Reading your entries…"
DEMO_TITLE = "DEMO profile with sample data"


# The dialogs that edit one record each; every one has value(): the record as entered.
RecordDialog = ActivityDialog | LessonDialog | OrganisationDialog | ContactDialog | GoalDialog


class MainWindow(QMainWindow):
    reopen_requested = Signal()  # the data or taxonomy changed under the window: rebuild it
    restore_requested = Signal(object)  # a BackupInfo the user chose: close, restore, reopen
    lists_shown = Signal()  # lists="after_paint": the lists hold their entries (scan is in)

    def __init__(
        self,
        services: AppServices,
        *,
        prompts: Prompts | None = None,
        demo: bool = False,
        parent: QWidget | None = None,
        lists: ListsLoad = "now",
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.entry_scan: EntryScan | None = None
        self._refreshes = 0  # refreshes so far: a scan's counts are stale after one
        self.lists_pending = lists == "after_paint"  # until the start-up scan has filled them
        self.prompts = prompts or Prompts()
        self.demo = demo
        self.undo_stack = QUndoStack(self)
        settings_file = services.paths.data_dir / SETTINGS_FILE
        create_owner_only(settings_file)  # Qt keeps the mode of the file it rewrites
        self.settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.setWindowTitle(f"{APP_NAME} — {DEMO_TITLE}" if demo else APP_NAME)
        self.setAccessibleName("Portfolio main window")

        taxonomy = services.taxonomy
        self.breadth_page = BreadthPage(services)
        tables = services.tables
        self.activities_page = ActivitiesPage(tables, taxonomy)
        self.lessons_page = LessonsPage(tables)
        self.organisations_page = OrganisationsPage(tables, taxonomy)
        self.contacts_page = ContactsPage(tables)
        self.people_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.people_splitter.setAccessibleName("Organisations and contacts")
        self.people_splitter.addWidget(self.organisations_page)
        self.people_splitter.addWidget(self.contacts_page)
        self.people_splitter.setChildrenCollapsible(False)
        self.people_splitter.setSizes([620, 480])

        self.pages = QStackedWidget()
        self.pages.setAccessibleName("Pages")
        for page in (
            self.breadth_page,
            self.activities_page,
            self.lessons_page,
            self.people_splitter,
        ):
            self.pages.addWidget(page)

        self.nav_model = QStandardItemModel(self)
        for title in ("Breadth", "Activities", "Lessons learned", "Organisations & contacts"):
            item = QStandardItem(title)
            item.setEditable(False)
            self.nav_model.appendRow(item)
        self.nav = QListView()
        self.nav.setAccessibleName("Sections")
        self.nav.setModel(self.nav_model)
        self.nav.setMinimumWidth(150)
        self.nav.setSpacing(2)
        self.nav.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_page(current.row())
        )

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setAccessibleName("Main layout")
        self.main_splitter.addWidget(self.nav)
        self.main_splitter.addWidget(self.pages)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([190, 1000])
        self.main_splitter.setChildrenCollapsible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo:
            banner = QLabel(
                "You are exploring a demo profile with made-up sample data. "
                "Nothing here is saved in your own portfolio."
            )
            banner.setAccessibleName("Demo banner")
            banner.setWordWrap(True)
            banner.setStyleSheet(DEMO_BANNER.style("padding: 6px 10px;"))
            layout.addWidget(banner)
        if services.read_only:
            read_only = QLabel(
                f"Read-only: your data folder {services.paths.data_dir} cannot be written, so "
                "nothing can be saved. You can look at your data and export it elsewhere."
            )
            read_only.setAccessibleName("Read-only banner")
            read_only.setWordWrap(True)
            read_only.setStyleSheet(READ_ONLY_BANNER.style("padding: 6px 10px;"))
            layout.addWidget(read_only)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Entry counts")
        self.count_label.setToolTip(f"Data folder: {services.paths.data_dir}")
        self.statusBar().addPermanentWidget(self.count_label)
        self.damaged_label = QLabel()
        self.damaged_label.setAccessibleName("Damaged entries")
        self.damaged_label.setVisible(False)
        self.statusBar().addPermanentWidget(self.damaged_label)

        # Backups after changes (at most every 30 minutes) and on close, off the UI thread.
        self.auto_backup = AutoBackup(services, self)
        self.auto_backup.made.connect(self._backup_made)
        self.auto_backup.failed.connect(lambda message: self.statusBar().showMessage(message))
        self.auto_backup.start()

        # Unsaved dialog text kept as drafts, offered back after a crash (ui/draft_flow.py).
        self.draft_flow = DraftFlow(self, self, services, self.prompts)

        # What the CLI commits while the window is open shows on the next activation.
        self.outside_changes = OutsideChangesWatch(
            self, services.db, services.data_key, self.reload
        )

        self._build_actions()
        self._wire_pages()
        if lists == "after_paint":
            self._wait_for_lists()
        else:
            self.reload()
        self.nav.setCurrentIndex(self.nav_model.index(0, 0))
        self._restore_settings()

    # ----- actions and menus -------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: Shortcut = None, tip: str = ""
    ) -> QAction:
        return make_action(self, text, slot, shortcut, tip)

    def _build_actions(self) -> None:
        self.new_activity_action = self._action(
            "New &activity…", self.new_activity, "Ctrl+N", "Log a new activity (Ctrl+N)"
        )
        self.new_lesson_action = self._action(
            "New &lesson learned…", self.new_lesson, "Ctrl+L", "Record a lesson learned (Ctrl+L)"
        )
        self.new_organisation_action = self._action(
            "New &organisation…", self.new_organisation, None, "Add an organisation"
        )
        self.new_contact_action = self._action(
            "New &contact…", self.new_contact, None, "Add a contact"
        )
        self.import_action = self._action(
            "&Activities from CSV or a spreadsheet…",
            self.import_csv,
            None,
            "Import activities from a CSV file or a spreadsheet",
        )
        self.template_action = self._action(
            "Save CSV &template…", self.save_csv_template, None, "A spreadsheet to fill in"
        )
        self.export_csv_action = self._action(
            "&Activities to CSV…", self.export_csv, None, "All activities as a spreadsheet"
        )
        # The open formats (ui/open_formats_flow.py): the CLI's export-json, export-leap2a and
        # import-json from the menus.
        self.open_formats = OpenFormatsFlow(self)
        self.export_json_action = self._action(
            "Everything, as an open &JSON file…",
            self.open_formats.export_json,
            None,
            "Everything, private entries and evidence included, in one file readable by you "
            "only: to keep, or to move to another computer",
        )
        self.export_leap2a_action = self._action(
            "For an &e-portfolio (Leap2A)…",
            self.open_formats.export_leap2a,
            None,
            "A Leap2A zip of your shared entries for e-portfolio systems such as Mahara",
        )
        self.import_json_action = self._action(
            "From a Portfolio &JSON file…",
            self.open_formats.import_json,
            None,
            "Recreate your portfolio from an exported JSON file, or merge its new entries in",
        )
        self.import_linkedin_action = self._action(
            "&LinkedIn connections…",
            self.import_linkedin,
            None,
            "Your LinkedIn connections (Connections.csv) as contacts",
        )
        self.export_pdf_action = self._action(
            "Export &portfolio (PDF)…", self.export_portfolio, "Ctrl+E", "For your appraisal"
        )
        self.review_action = self._action(
            "Record appraisal &review…",
            self.record_review,
            None,
            "After your appraisal: the reviewer's comments and agreed objectives",
        )
        self.restore_action = self._action(
            "&Restore from backup…",
            self.restore_from_backup,
            None,
            "Put a backup in place of your data (the current data is backed up first)",
        )
        self.backup_action = self._action(
            "&Back up now", self.back_up_now, None, "A backup in the backups folder, now"
        )
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.open_action = self._action("&Open selected", self.open_selected, None, "Open (Enter)")
        self.delete_action = self._action(
            "&Delete selected…", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.find_action = self._action("&Find", self.focus_search, "Ctrl+F")

        self.page_actions = [
            self._action(
                title,
                partial(self.go_to_page, row),
                f"Ctrl+{row + 1}",
            )
            for row, title in enumerate(
                ("&Breadth", "&Activities", "&Lessons learned", "&Organisations && contacts")
            )
        ]
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        self.guide_action = self._action(
            "&Guide and keyboard shortcuts", self.show_guide, QKeySequence.StandardKey.HelpContents
        )
        self.guide: GuideWindow | None = None
        self.taxonomy_editor_action = self._action(
            "&Taxonomy editor…", self.open_taxonomy_editor, None, "Write or change a sector list"
        )
        self.settings_action = self._action(
            "&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (
            self.new_activity_action,
            self.new_lesson_action,
            self.new_organisation_action,
            self.new_contact_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.export_pdf_action, self.review_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        # File → Export and File → Import: spreadsheets, the open formats, other tools' files.
        self.export_menu = file_menu.addMenu("E&xport")
        self.export_menu.setAccessibleName("Export")
        self.export_menu.menuAction().setStatusTip("Your data as CSV, JSON or Leap2A")
        for action in (
            self.export_csv_action,
            self.export_json_action,
            self.export_leap2a_action,
        ):
            self.export_menu.addAction(action)
        self.import_menu = file_menu.addMenu("I&mport")
        self.import_menu.setAccessibleName("Import")
        self.import_menu.menuAction().setStatusTip(
            "Activities from a spreadsheet, LinkedIn connections, a Portfolio JSON file"
        )
        for action in (self.import_action, self.template_action):
            self.import_menu.addAction(action)
        self.import_menu.addSeparator()
        for action in (self.import_linkedin_action, self.import_json_action):
            self.import_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.backup_action, self.restore_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        for action in (self.open_action, self.delete_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        view_menu = menus.addMenu("&View")
        for action in self.page_actions:
            view_menu.addAction(action)
        tools_menu = menus.addMenu("&Tools")
        tools_menu.addAction(self.taxonomy_editor_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.settings_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)

        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_activity_action, self.new_lesson_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.export_pdf_action)
        toolbar.addSeparator()
        for action in (self.open_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.undo_action, self.redo_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)
        self._name_toolbar_buttons(toolbar)

    def _name_toolbar_buttons(self, toolbar: QToolBar) -> None:
        for action in toolbar.actions():
            button = toolbar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(command_name(action))

    def _wire_pages(self) -> None:
        self.activities_page.open_requested.connect(self.edit_activity)
        self.activities_page.delete_requested.connect(self.delete_activity)
        self.lessons_page.open_requested.connect(self.edit_lesson)
        self.lessons_page.delete_requested.connect(self.delete_lesson)
        self.organisations_page.open_requested.connect(self.edit_organisation)
        self.organisations_page.delete_requested.connect(self.delete_organisation)
        self.contacts_page.open_requested.connect(self.edit_contact)
        self.contacts_page.delete_requested.connect(self.delete_contact)
        # Erase everywhere / export everything: the Contacts view's buttons and context menu.
        self.contact_privacy = ContactPrivacyFlow(
            self, self.services, self.prompts, self._contact_erased
        )
        self.contacts_page.erase_requested.connect(self.contact_privacy.erase)
        self.contacts_page.export_requested.connect(self.contact_privacy.export)
        for page in self.all_pages():
            page.selection_changed.connect(self._update_actions)
        self.breadth_page.open_activity.connect(self.edit_activity)
        self.breadth_page.plan_activity.connect(self.plan_activity)
        self.breadth_page.add_goal_requested.connect(self.new_goal)
        self.breadth_page.edit_goal_requested.connect(self.edit_goal)
        self.breadth_page.delete_goal_requested.connect(self.delete_goal)

    # ----- pages, data and state ----------------------------------------------------------

    def all_pages(self) -> list[EntityPage]:
        return [
            self.activities_page,
            self.lessons_page,
            self.organisations_page,
            self.contacts_page,
        ]

    def go_to_page(self, row: int) -> None:
        self.nav.setCurrentIndex(self.nav_model.index(row, 0))

    def show_page(self, row: int) -> None:
        if 0 <= row < self.pages.count():
            self.pages.setCurrentIndex(row)
            self._update_actions()

    def current_page(self) -> EntityPage | None:
        """The page whose selection Open/Delete act on (on the people page, the focused side;
        None on the Breadth page, which has buttons of its own)."""
        widget = self.pages.currentWidget()
        if widget is self.breadth_page:
            return None
        if widget is self.people_splitter:
            focused = self.focusWidget()
            if focused is not None and self.contacts_page.isAncestorOf(focused):
                return self.contacts_page
            if (
                self.contacts_page.current_id() is not None
                and self.organisations_page.current_id() is None
            ):
                return self.contacts_page
            return self.organisations_page
        assert isinstance(widget, EntityPage)
        return widget

    def reload(self, select: tuple[EntityPage, int | None] | None = None) -> None:
        """Read every list again (an import, another program's changes), keeping each page's
        selection."""
        self.refresh(Changes.all(), select)

    def refresh(
        self, changes: Changes, select: tuple[EntityPage, int | None] | None = None
    ) -> None:
        """Refresh only the views `changes` affects (services/changes.py): their ids are read
        again and their rows as they show; each keeps its selection (`select`: an entry to
        select instead, such as the one just added)."""
        self.outside_changes.seen()  # what is committed now is what is shown
        self._refreshes += 1
        views = changes.views()
        for page in self.all_pages():
            if page.view in views:
                page.refresh()
        if select is not None and select[1] is not None:
            select[0].select_id(select[1])
        if COUNTS in views:
            self._show_counts()
            self._show_damaged_note()
        if SCORE in views:
            self.breadth_page.reload()
        self._update_actions()

    def _wait_for_lists(self) -> None:
        """The first frame without the lists: the pages say they are being read, the score
        is worked out (on its own thread), and the damaged-row checks run once painted."""
        self.outside_changes.seen()
        for page in self.all_pages():
            page.empty.setText(WAITING_TEXT)
            page.stack.setCurrentWidget(page.empty)
        self.count_label.setText(WAITING_TEXT)
        self.breadth_page.reload()
        self._update_actions()
        on_first_paint(self, self._scan_entries)

    def _scan_entries(self) -> None:
        kinds = [page.model.kind for page in self.all_pages()]
        self.entry_scan = EntryScan(self.services, kinds, self._lists_checked, self)
        self.entry_scan.start()

    def _lists_checked(self, counts: dict[str, int]) -> None:
        """The scan's findings are remembered: the lists read their ids, and the status bar
        shows the counts it took (unless something was refreshed meanwhile: read afresh)."""
        if self._refreshes or set(counts) != {page.model.kind for page in self.all_pages()}:
            self.reload()
        else:
            self._refreshes += 1
            for page in self.all_pages():
                page.refresh()
            self._show_counts(counts)
            self._show_damaged_note()
            self._update_actions()
        self.lists_pending = False
        self.lists_shown.emit()

    def wait_for_checks(self) -> None:
        """Until the start-up entry check has ended (before the services close)."""
        if self.entry_scan is not None:
            self.entry_scan.wait()

    def _show_counts(self, stored: dict[str, int] | None = None) -> None:
        """The status bar's counts: the good entries of each kind (COUNT queries, or the
        `stored` counts just taken)."""
        tables = self.services.tables
        counts = {
            page.model.kind: (stored[page.model.kind] if stored else tables.count(page.model.kind))
            - len(page.model.damaged())
            for page in self.all_pages()
        }
        self.count_label.setText(
            f"{_count(counts['activity'], 'activity', 'activities')} · "
            f"{_count(counts['lesson'], 'lesson')} · "
            f"{_count(counts['organisation'], 'organisation')} · "
            f"{_count(counts['contact'], 'contact')}"
        )

    def _show_damaged_note(self) -> None:
        """A status-bar note while any entry (goals and reviews too) is damaged."""
        damaged = self.services.check.damaged_entries()
        self.damaged_label.setVisible(bool(damaged))
        if damaged:
            self.damaged_label.setText(
                f"⚠ {_count(len(damaged), 'damaged entry', 'damaged entries')}"
            )
            self.damaged_label.setToolTip(
                "\n".join(d.describe() for d in damaged)
                + "\n\nThey are left out of the score and the exports. "
                "Run `portfolio-app check` for every problem, or restore a backup."
            )

    def _explain_damaged(self, exc: DamagedEntry) -> None:
        damage = exc.damage
        self.prompts.error(
            self,
            "Damaged entry",
            f"The {damage.kind} with id {damage.id} cannot be opened: its {damage.reason}.\n\n"
            "It was probably changed outside Portfolio or damaged on disk. It is left out of the "
            "score and the exports. Restore a backup from before it was damaged, or run "
            "`portfolio-app check` to list every problem.",
        )

    def _update_actions(self) -> None:
        page = self.current_page()
        has_selection = page is not None and page.current_id() is not None
        self.open_action.setEnabled(has_selection)
        self.delete_action.setEnabled(has_selection)

    def focus_search(self) -> None:
        page = self.current_page()
        if page is None:
            return
        search = page.search
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    # ----- commands: one path for every kind of record (services.record_kinds) --------------

    def _dialog(self, key: str, old: Any) -> RecordDialog:
        """The dialog that edits one record of a kind (`old`, or None for a new one)."""
        services = self.services
        if key == "activity":
            return ActivityDialog(services, old, self, self.prompts)
        if key == "lesson":
            activity = None if old is not None else self._selected_activity()
            return LessonDialog(services, old, activity, self, self.prompts)
        if key == "organisation":
            return OrganisationDialog(services, old, self)
        if key == "contact":
            return ContactDialog(services, old, self, self.prompts)
        if key == "goal":
            return GoalDialog(services, old, self, prompts=self.prompts)
        raise LookupError(f"no dialog edits a {key} here")  # reviews: recorded, then read-only

    def _page(self, key: str) -> EntityPage | None:
        """The page that lists a kind, to select what changed (goals and reviews: Breadth)."""
        pages: dict[str, EntityPage] = {
            "activity": self.activities_page,
            "lesson": self.lessons_page,
            "organisation": self.organisations_page,
            "contact": self.contacts_page,
        }
        return pages.get(key)

    def _selected_activity(self) -> int | None:
        """A new lesson starts linked to the activity selected on the Activities page."""
        if self.pages.currentWidget() is self.activities_page:
            return self.activities_page.current_id()
        return None

    def _push(self, command: RecordCommand) -> bool:
        """Run the command on the undo stack; False if it was refused (and said why)."""
        text = command.text()  # a refused command is deleted by the stack as it is pushed
        self.undo_stack.push(command)
        self.statusBar().showMessage(text, 4000)
        return shiboken6.isValid(command)

    def _callbacks(self, key: str) -> dict[str, Any]:
        """What a command on an entry of kind `key` calls: `changed` with the entry's id (to
        select it) refreshes the views that kind affects, `on_error` explains a refusal."""
        page, changes = self._page(key), Changes.of(key)
        return {
            "changed": lambda record_id: self.refresh(changes, (page, record_id) if page else None),
            "on_error": lambda exc: self.prompts.error(self, "Could not save", str(exc)),
        }

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        """Window-modal and non-blocking, so the rest of the app (and tests) keep running."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_accept)
        dialog.open()

    def new_record(self, key: str, draft: Draft | None = None) -> RecordDialog | None:
        """Open the dialog for a new record (filled from `draft`, a draft the user restored)."""
        if draft is None:
            go_on, draft = self.draft_flow.before_opening(key, None)
            if not go_on:
                return None
        dialog = self._dialog(key, None)
        keeper = self._keep_draft(dialog, key, None, draft)

        def save() -> None:
            command = self.add_record(key, dialog.value())
            if keeper is not None:
                keeper.finish(saved=shiboken6.isValid(command))
            panel = getattr(dialog, "evidence_panel", None)
            saved_id = getattr(command.saved, "id", None)
            if isinstance(panel, EvidencePanel) and isinstance(saved_id, int):
                # Files added before the first save are stored now (undoing the add takes
                # them too, and redo brings them back with the activity or lesson).
                problems = panel.store_pending(saved_id)
                if problems:
                    self.prompts.error(self, "Could not add evidence", "\n\n".join(problems))

        self._open_dialog(dialog, save)
        return dialog

    def _keep_draft(
        self, dialog: QDialog, key: str, record_id: int | None, draft: Draft | None
    ) -> DraftKeeper | None:
        """Activities, lessons and reviews keep what is typed as a draft (ui/draft_keeper.py)."""
        if isinstance(dialog, ActivityDialog | LessonDialog | ReviewDialog):
            return self.draft_flow.keep(dialog, dialog, key, record_id, draft)
        return None

    def add_record(self, key: str, record: Any, *, verb: str = "Add") -> AddCommand:
        kind = KINDS[key]
        text = f"{verb} {key} “{kind.title(record)}”"
        store = kind.store(self.services)
        command = AddCommand(text, store, record, **self._callbacks(key))
        self._push(command)
        return command

    def edit_record(
        self, key: str, record_id: int, draft: Draft | None = None
    ) -> RecordDialog | None:
        kind = KINDS[key]
        try:
            old = kind.get(self.services, record_id)
        except DamagedEntry as exc:
            self._explain_damaged(exc)
            return None
        if draft is None:
            go_on, draft = self.draft_flow.before_opening(key, record_id)
            if not go_on:
                return None
        dialog = self._dialog(key, old)
        keeper = self._keep_draft(dialog, key, record_id, draft)

        def save() -> None:
            new = dialog.value()
            if new == old:  # saved as it was: nothing is written, so nothing is reloaded
                if keeper is not None:
                    keeper.finish(saved=True)
                return
            text = f"Edit {key} “{kind.title(new)}”"
            store = kind.store(self.services)
            command = EditCommand(text, store, old, new, **self._callbacks(key))
            saved = self._push(command)
            if keeper is not None:
                keeper.finish(saved=saved)

        self._open_dialog(dialog, save)
        return dialog

    def delete_record(self, key: str, record_id: int) -> None:
        kind = KINDS[key]
        refusal = kind.refusal(self.services, record_id)
        if refusal:
            self.prompts.error(self, "Cannot delete", refusal)
            return
        try:
            title = kind.title(kind.get(self.services, record_id))
        except DamagedEntry as exc:
            self._explain_damaged(exc)
            return
        question = kind.delete_question(self.services, record_id)
        if self.prompts.confirm(self, f"Delete {key}", question, "Delete"):
            text = f"Delete {key} “{title}”"
            store = kind.store(self.services)
            callbacks = self._callbacks(key)
            self._push(DeleteCommand(text, store, record_id, **callbacks))

    # The actions and pages connect to these.
    def new_activity(self) -> None:
        self.new_record("activity")

    def edit_activity(self, activity_id: int) -> None:
        self.edit_record("activity", activity_id)

    def plan_activity(self, activity: Activity) -> None:
        """Save a planned activity suggested on the Breadth page (undoable)."""
        self.add_record("activity", activity, verb="Plan")

    def delete_activity(self, activity_id: int) -> None:
        self.delete_record("activity", activity_id)

    def new_lesson(self) -> None:
        self.new_record("lesson")

    def edit_lesson(self, lesson_id: int) -> None:
        self.edit_record("lesson", lesson_id)

    def delete_lesson(self, lesson_id: int) -> None:
        self.delete_record("lesson", lesson_id)

    def new_organisation(self) -> None:
        self.new_record("organisation")

    def edit_organisation(self, organisation_id: int) -> None:
        self.edit_record("organisation", organisation_id)

    def delete_organisation(self, organisation_id: int) -> None:
        self.delete_record("organisation", organisation_id)

    def new_contact(self) -> None:
        self.new_record("contact")

    def edit_contact(self, contact_id: int) -> None:
        self.edit_record("contact", contact_id)

    def delete_contact(self, contact_id: int) -> None:
        self.delete_record("contact", contact_id)

    def _contact_erased(self) -> None:
        """An erasure cannot be undone, and the undo history may hold the person (an edit's
        old values, a delete's snapshot): it is cleared with them."""
        self.undo_stack.clear()
        self.reload()

    def new_goal(self) -> None:
        self.new_record("goal")

    def edit_goal(self, goal_id: int) -> None:
        self.edit_record("goal", goal_id)

    def delete_goal(self, goal_id: int) -> None:
        self.delete_record("goal", goal_id)

    def open_selected(self) -> None:
        page = self.current_page()
        record_id = page.current_id() if page else None
        if page is not None and record_id is not None:
            page.open_requested.emit(record_id)

    def delete_selected(self) -> None:
        page = self.current_page()
        record_id = page.current_id() if page else None
        if page is not None and record_id is not None:
            page.delete_requested.emit(record_id)

    # ----- files --------------------------------------------------------------------------

    def import_csv(self) -> None:
        CsvImportFlow(self).start()

    def import_linkedin(self) -> LinkedInImportFlow:
        self.linkedin_flow = LinkedInImportFlow(self)  # kept: its dialog and import outlive this
        self.linkedin_flow.start()
        return self.linkedin_flow

    def save_csv_template(self) -> None:
        path = self.prompts.save_file(
            self,
            "Save CSV template",
            "portfolio-activities-template.csv",
            "CSV files (*.csv);;Excel workbook, column formats set (*.xlsx)",
        )
        if path is None:
            return
        try:
            self.services.csv_export.write_template(path)
        except Exception as exc:
            self.prompts.error(self, "Could not save the template", str(exc))
            return
        self.statusBar().showMessage(f"Template saved to {path}", 6000)

    def export_csv(self) -> None:
        path = self.prompts.save_file(
            self, "Export activities to CSV", "portfolio-activities.csv", "CSV files (*.csv)"
        )
        if path is None:
            return
        try:
            count = self.services.csv_export.export_activities(path)
        except Exception as exc:
            self.prompts.error(self, "Could not export", str(exc))
            return
        self.statusBar().showMessage(
            f"Exported {_count(count, 'activity', 'activities')} to {path}", 6000
        )

    def export_portfolio(self) -> ExportDialog:
        from portfolio_app.ui.export_dialog import ExportDialog  # reportlab: not at start

        dialog = ExportDialog(self.services, self, self.prompts)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def record_review(self, draft: Draft | None = None) -> ReviewDialog | None:
        if draft is None:
            go_on, draft = self.draft_flow.before_opening("review", None)
            if not go_on:
                return None
        dialog = ReviewDialog(self.services, self, prompts=self.prompts)
        keeper = self.draft_flow.keep(dialog, dialog, "review", None, draft)

        def save() -> None:
            review, objectives = dialog.value()
            recording = RecordedReview(review, tuple(objectives))
            command = AddCommand(
                f"Record review with {review.reviewer_name}",
                REVIEW_RECORDING.store(self.services),
                recording,
                **self._callbacks("review"),
            )
            keeper.finish(saved=self._push(command))
            self.statusBar().showMessage(f"Review with {review.reviewer_name} recorded", 6000)

        self._open_dialog(dialog, save)
        return dialog

    def open_taxonomy_editor(self) -> TaxonomyEditorWindow:
        """The editor on a copy of the taxonomy in force, to save as a new file (HR's tool)."""
        editor = TaxonomyEditorWindow(self.prompts, parent=self)
        editor.setWindowFlag(Qt.WindowType.Window)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.open_taxonomy_copy(self.services.taxonomy)
        editor.show()
        return editor

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.services, self.prompts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A new sector list changes every view: the app reopens the window on fresh services.
        dialog.taxonomy_changed.connect(self.reopen_requested)
        dialog.open()
        return dialog

    def restore_from_backup(self) -> RestoreDialog:
        """The backups to choose from; a confirmed choice is restored by the window host."""
        dialog = RestoreDialog(
            self.services.paths,
            self.services.data_key,
            self.prompts,
            self,
            auto_backup=self.auto_backup,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.restore_requested.emit(dialog.chosen))
        dialog.open()
        return dialog

    def back_up_now(self) -> None:
        if self.auto_backup.backup_now():
            self.statusBar().showMessage("Backing up…")

    def _backup_made(self, path: object) -> None:
        if isinstance(path, Path):
            self.statusBar().showMessage(f"Backed up to {path.name}", 6000)

    def startup_notice(self) -> str:
        """What start-up did to the user's data because of a new sector list, or why it did not."""
        status = self.services.taxonomy_status
        if status is None:
            return ""
        parts = []
        if status.summary:
            taxonomy = status.taxonomy
            parts.append(
                f"A new sector list is in force ({taxonomy.title} {taxonomy.version}).\n\n"
                + "\n".join(status.summary.lines())
            )
        parts.extend(status.warnings)
        return "\n\n".join(parts)

    def show_startup_notice(self) -> None:
        notice = self.startup_notice()
        if notice:
            self.prompts.info(self, "Sector list", notice)

    def menu_actions(self) -> list[QAction]:
        """Every command in the menus, in menu order (submenus in place)."""
        found: list[QAction] = []

        def walk(actions: list[QAction]) -> None:
            for action in actions:
                menu = action.menu()
                if isinstance(menu, QMenu):
                    walk(menu.actions())
                elif not action.isSeparator():
                    found.append(action)

        walk(self.menuBar().actions())
        return found

    def show_guide(self) -> None:
        """Help → Guide: the user guide with the shortcuts, beside the window (one at a time)."""
        if self.guide is None:
            self.guide = GuideWindow(self.menu_actions(), self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def show_about(self) -> None:
        self.prompts.info(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nA private learning log that gives you credit for working "
            f"across organisational boundaries.\n\nYour data: {self.services.paths.data_dir}",
        )

    # ----- settings -----------------------------------------------------------------------

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        # Qt brings restored geometry back inside the screen's free area; a first start opens
        # at 1200x760, or the free area if that is smaller (a 1024x600 netbook, 150 % scaling).
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(fitted_size(self, 1200, 760))
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for key, splitter in self._splitters().items():
            value = self.settings.value(f"splitters/{key}")
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        for page in self.all_pages():
            value = self.settings.value(f"columns/{page.name}")
            if isinstance(value, QByteArray):
                page.table.horizontalHeader().restoreState(value)
        page_row = self.settings.value("window/page", 0, type=int)
        if isinstance(page_row, int) and 0 <= page_row < self.nav_model.rowCount():
            self.nav.setCurrentIndex(self.nav_model.index(page_row, 0))

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.main_splitter, "people": self.people_splitter}

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/page", self.pages.currentIndex())
        for key, splitter in self._splitters().items():
            self.settings.setValue(f"splitters/{key}", splitter.saveState())
        for page in self.all_pages():
            self.settings.setValue(
                f"columns/{page.name}", page.table.horizontalHeader().saveState()
            )
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wait_for_checks()
        self.save_settings()
        self.auto_backup.on_close()  # before the services close: the last changes, kept
        super().closeEvent(event)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE
