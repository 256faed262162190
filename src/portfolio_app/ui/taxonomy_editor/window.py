"""The taxonomy editor window, for HR teams: the sector tree, the forms beside it, the retired
list, and the problems found so far, checked again after every change.

Everything a user is asked goes through `prompts` (files, Save/Discard, errors), the colour and
the retirement through replaceable functions, so tests drive the real window without modals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from portfolio_app.atomic_files import FileMode
from portfolio_app.taxonomy.csv_io import export_sectors_csv, load_sectors_csv
from portfolio_app.taxonomy.errors import Problem, TaxonomyError, plural
from portfolio_app.taxonomy.file_format import ID_PATTERN
from portfolio_app.taxonomy.loader import read_bytes, read_document
from portfolio_app.taxonomy.model import Taxonomy
from portfolio_app.taxonomy.validation import CheckResult, check_document
from portfolio_app.taxonomy.versions import next_version, version_kept_warning
from portfolio_app.taxonomy.writer import write_taxonomy
from portfolio_app.ui.actions import Shortcut, make_action
from portfolio_app.ui.colours import ERROR, SUCCESS, text_style
from portfolio_app.ui.prompts import Prompts
from portfolio_app.ui.taxonomy_editor.draft import (
    HEADER_FIELDS,
    SectorNode,
    blank_draft,
    draft_from_document,
    draft_from_taxonomy,
)
from portfolio_app.ui.taxonomy_editor.panels import ColourPrompt, HeaderForm, SectorDetails
from portfolio_app.ui.taxonomy_editor.problems_model import ProblemEntry, ProblemsModel, locate
from portfolio_app.ui.taxonomy_editor.retire_dialog import RetirePrompt, ask_retirement
from portfolio_app.ui.taxonomy_editor.tree_model import RetiredTableModel, SectorTreeModel

EDITOR_TITLE = "Taxonomy editor"
JSON_FILTER = "Taxonomy files (*.json);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;All files (*)"
SHOWN_IN_A_MESSAGE = 8


def _heading(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    label.setStyleSheet("font-weight: 600;")
    return label


class TaxonomyEditorWindow(QMainWindow):
    """Edit one taxonomy file. `path` is None until the document is saved somewhere."""

    def __init__(
        self,
        prompts: Prompts | None = None,
        *,
        choose_colour: ColourPrompt | None = None,
        retire_prompt: RetirePrompt | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.prompts = prompts or Prompts()
        # The list as opened or last saved: a changed list should not keep its version.
        self.baseline: Taxonomy | None = None
        self.retire_prompt: RetirePrompt = retire_prompt or ask_retirement
        self.path: Path | None = None
        self.suggested_name = "taxonomy.json"
        self.result = CheckResult(None)
        self.setAccessibleName(EDITOR_TITLE)
        self.resize(1120, 780)

        self.model = SectorTreeModel(parent=self)
        self.undo_stack = self.model.undo_stack
        self.problems_model = ProblemsModel(self)
        self._build_views(choose_colour)
        self._build_actions()
        self._build_layout()

        self.model.changed.connect(self.revalidate)
        self.model.touched.connect(self.select_uid)
        self.model.retired_touched.connect(self._select_retired)
        self.model.modelReset.connect(self.tree.expandAll)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._current_changed())
        self.revalidate()
        self._current_changed()

    # ----- building ----------------------------------------------------------------------------

    def _build_views(self, choose_colour: ColourPrompt | None) -> None:
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Sectors")
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tree.setToolTip("Drag a sector onto another to put it under that one, or between two")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        self.retired_model: RetiredTableModel = self.model.retired_model
        self.retired_view = QTableView(self)
        self.retired_view.setAccessibleName("Retired sectors")
        self.retired_view.setModel(self.retired_model)
        self.retired_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.retired_view.verticalHeader().hide()
        self.retired_view.setWordWrap(False)
        self.retired_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((230, 210, 70)):
            self.retired_view.setColumnWidth(column, width)
        self.retired_view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )

        self.header_form = HeaderForm(self.model, self)
        self.details = SectorDetails(self.model, choose_colour, self)

        self.problems_view = QListView(self)
        self.problems_view.setAccessibleName("Problems")
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setWordWrap(True)
        self.problems_view.setUniformItemSizes(False)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.clicked.connect(self.show_problem)
        self.problems_view.activated.connect(self.show_problem)
        self.problems_label = QLabel(self)
        self.problems_label.setAccessibleName("Problems summary")
        self.problems_label.setWordWrap(True)

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: Shortcut = None, tip: str = ""
    ) -> QAction:
        return make_action(self, text, slot, shortcut, tip)

    def _build_actions(self) -> None:
        self.new_action = self._action("&New", self.new_document, "Ctrl+N", "Start a new taxonomy")
        self.open_action = self._action("&Open…", self.open_file, "Ctrl+O", "Open a taxonomy file")
        self.save_action = self._action("&Save", self.save, "Ctrl+S", "Save the taxonomy (Ctrl+S)")
        self.save_as_action = self._action(
            "Save &as…", self.save_as, "Ctrl+Shift+S", "Save the taxonomy in another file"
        )
        self.import_action = self._action(
            "&Import sectors from CSV…",
            self.import_csv,
            None,
            "Replace the sectors with a spreadsheet's (id, label, parent, aliases, …)",
        )
        self.export_action = self._action(
            "&Export sectors to CSV…", self.export_csv, None, "The sectors as a spreadsheet"
        )
        self.close_action = self._action("&Close", self.close, "Ctrl+W")

        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

        self.add_action = self._action(
            "Add &sector",
            self.add_sector,
            "Ctrl+Shift+N",
            "Add a sector at the same level as the selected one",
        )
        self.add_child_action = self._action(
            "Add su&b-sector", self.add_sub_sector, "Ctrl+Shift+B", "Add a sector under this one"
        )
        self.rename_action = self._action(
            "Re&name", self.rename_selected, "F2", "Edit the label in the tree (F2)"
        )
        self.up_action = self._action(
            "Move &up", self.move_up, "Alt+Up", "Show it before the sector above (Alt+Up)"
        )
        self.down_action = self._action(
            "Move do&wn", self.move_down, "Alt+Down", "Show it after the sector below (Alt+Down)"
        )
        self.retire_action = self._action("&Retire…", self.retire_selected)
        self.delete_action = self._action(
            "&Delete", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        # Keys that mean something else in a text field only act on the tree.
        for action in (self.rename_action, self.up_action, self.down_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action, self.save_action])
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [self.add_action, self.add_child_action, self.rename_action, self.up_action]
        )
        edit_menu.addActions([self.down_action, self.retire_action, self.delete_action])

    def _button(self, action: QAction, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _build_layout(self) -> None:
        self.add_button = self._button(self.add_action, "Add sector")
        self.add_child_button = self._button(self.add_child_action, "Add sub-sector")
        self.up_button = self._button(self.up_action, "Move up")
        self.down_button = self._button(self.down_action, "Move down")
        self.retire_button = self._button(self.retire_action, "Retire")
        self.delete_button = self._button(self.delete_action, "Delete")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.add_button,
            self.add_child_button,
            self.up_button,
            self.down_button,
            self.retire_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        sectors = QWidget(self)
        left = QVBoxLayout(sectors)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(_heading("S&ectors (drag to move; double-click to rename)", self.tree, self))
        left.addWidget(self.tree, 3)
        left.addLayout(buttons)
        left.addWidget(_heading("Re&tired sectors", self.retired_view, self))
        left.addWidget(self.retired_view, 1)

        forms = QWidget(self)
        right = QVBoxLayout(forms)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.header_form)
        right.addWidget(self.details)
        right.addStretch(1)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.setAccessibleName("Sectors and details")
        top.addWidget(sectors)
        top.addWidget(forms)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setChildrenCollapsible(False)

        problems = QWidget(self)
        bottom = QVBoxLayout(problems)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(_heading("&Problems (click one to go to it)", self.problems_view, self))
        bottom.addWidget(self.problems_label)
        bottom.addWidget(self.problems_view)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setAccessibleName("Editor layout")
        self.splitter.addWidget(top)
        self.splitter.addWidget(problems)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([600, 130])

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.splitter)
        self.setCentralWidget(central)

    # ----- documents ---------------------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def new_document(self, path: Path | None = None) -> bool:
        """Start an empty taxonomy (`path`: where Save will write it, e.g. from the CLI)."""
        if not self._may_discard():
            return False
        self.path = path
        self.suggested_name = path.name if path else "taxonomy.json"
        self.model.load(blank_draft())
        self.baseline = None
        self.statusBar().showMessage("A new taxonomy: fill in its details and add sectors.")
        return True

    def open_file(self) -> bool:
        if not self._may_discard():
            return False
        path = self.prompts.open_file(self, "Open taxonomy", JSON_FILTER)
        return path is not None and self.open_path(path, ask=False)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        """Open a file; one with problems the editor can fix opens with them listed."""
        if ask and not self._may_discard():
            return False
        try:
            draft = draft_from_document(read_document(read_bytes(path), str(path)), str(path))
        except TaxonomyError as exc:
            self.prompts.error(
                self,
                "Cannot open the taxonomy",
                f"{path.name} cannot be opened in the editor:\n\n"
                + _bullets(exc.problems)
                + "\n\nFix these in a text editor, and check the file with "
                "'portfolio-app taxonomy validate'.",
            )
            return False
        self.path = path
        self.suggested_name = path.name
        self.model.load(draft)
        self.baseline = check_document(draft.document()[0]).taxonomy
        self._select_first()
        self.statusBar().showMessage(f"Opened {path}")
        return True

    def open_taxonomy_copy(self, taxonomy: Taxonomy) -> None:
        """Edit a copy of a taxonomy in force (its ids are in use, so they stay read-only)."""
        self.path = None
        self.suggested_name = f"{taxonomy.id}.json"
        self.model.load(draft_from_taxonomy(taxonomy, saved=True))
        self.baseline = taxonomy
        self._select_first()
        self.statusBar().showMessage(
            f"A copy of {taxonomy.title} {taxonomy.version}: save it as a new file."
        )

    def save(self) -> bool:
        if not self._can_save() or not self._version_settled():
            return False
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        if not self._can_save() or not self._version_settled():
            return False
        path = self.prompts.save_file(self, "Save taxonomy as", self.suggested_name, JSON_FILTER)
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".json")
        return self._write(path)

    def _can_save(self) -> bool:
        errors = [e.text for e in self.problems_model.entries if not e.warning]
        if not errors and self.result.taxonomy is not None:
            return True
        self.prompts.error(
            self,
            "Cannot save yet",
            f"The taxonomy has {plural(len(errors), 'problem')}, so it cannot be saved: "
            "Portfolio would refuse the file. Click a problem in the list to go to it.\n\n"
            + _bullets(errors),
        )
        return False

    def _version_settled(self) -> bool:
        """A changed list keeping the version it was opened with: propose the next version.

        The proposal is put in the Version field (one undo step), so HR can still edit it;
        keeping the old version is allowed but has to be chosen.
        """
        taxonomy = self.result.taxonomy
        if self.baseline is None or taxonomy is None:
            return True
        if version_kept_warning(self.baseline, taxonomy) is None:
            return True
        proposed = next_version(taxonomy.version)
        choice = self.prompts.choose(
            self,
            "New version?",
            f"The sectors changed but the version is still {taxonomy.version}. Give this list "
            f"a new version, so that people and their data can tell the two lists apart.",
            [f"Save as version {proposed}", f"Keep {taxonomy.version}"],
        )
        if choice == 0:
            self.model.set_header_field("version", proposed)
            self.revalidate()
        return choice is not None

    def _write(self, path: Path) -> bool:
        taxonomy = self.result.taxonomy
        assert taxonomy is not None
        try:
            # Shared: the saved list is deployed to users, who must be able to read it.
            write_taxonomy(path, taxonomy, mode=FileMode.SHARED)
        except TaxonomyError as exc:
            self.prompts.error(self, "Cannot save", "\n".join(exc.problems))
            return False
        self.path = path
        self.suggested_name = path.name
        self.baseline = taxonomy
        self.model.mark_saved()
        self._update_title()
        self.statusBar().showMessage(
            f"Saved {path} ({plural(len(taxonomy.sectors), 'sector')}). "
            f"Check it with 'portfolio-app taxonomy validate {path.name}' before deploying."
        )
        return True

    def _may_discard(self) -> bool:
        """True when there are no unsaved changes, or the user saved or discarded them."""
        if not self.modified:
            return True
        name = self.path.name if self.path else "The new taxonomy"
        choice = self.prompts.choose(
            self,
            "Unsaved changes",
            f"{name} has changes that are not saved. Save them first?",
            ["Save", "Discard changes"],
        )
        if choice == 0:
            return self.save()
        return choice == 1

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_discard():
            event.accept()
        else:
            event.ignore()

    # ----- CSV ---------------------------------------------------------------------------------

    def import_csv(self) -> bool:
        path = self.prompts.open_file(self, "Import sectors from CSV", CSV_FILTER)
        if path is None:
            return False
        try:
            imported = load_sectors_csv(path, self._csv_base())
        except TaxonomyError as exc:
            self.prompts.error(
                self,
                "Cannot import the sectors",
                f"{path.name} has problems, so nothing was changed:\n\n" + _bullets(exc.problems),
            )
            return False
        current = len(self.model.draft.nodes())
        if current and not self.prompts.confirm(
            self,
            "Import sectors",
            f"Replace the {plural(current, 'sector')} in the editor with the "
            f"{plural(len(imported.sectors), 'sector')} in {path.name}? The taxonomy's details "
            "and retired list stay as they are. You can undo this.",
            "Replace sectors",
        ):
            return False
        self.model.replace_sectors(imported.sectors, f"Import sectors from {path.name}")
        self._select_first()
        self.statusBar().showMessage(
            f"Imported {plural(len(imported.sectors), 'sector')} from {path.name}."
        )
        return True

    def _csv_base(self) -> Taxonomy:
        """A valid taxonomy to import into: this one's details (or a new one's, while they
        have problems); the CSV brings the sectors, and the retired list is checked live."""
        document, _ = self.model.draft.document()
        placeholder = [{"id": "placeholder", "label": "placeholder"}]
        for header in (self.model.draft.header, blank_draft().header):
            base = {**document, **{k: header[k] for k in HEADER_FIELDS}}
            result = check_document({**base, "sectors": placeholder, "retired": []})
            if result.taxonomy is not None:
                return result.taxonomy
        result = check_document({**blank_draft().document()[0], "sectors": placeholder})
        assert result.taxonomy is not None, result.problems
        return result.taxonomy

    def export_csv(self) -> bool:
        taxonomy = self.result.taxonomy
        if taxonomy is None:
            self.prompts.error(
                self,
                "Cannot export yet",
                "Fix the problems listed first: the sectors would not import again as they "
                "are.\n\n" + _bullets([e.text for e in self.problems_model.entries]),
            )
            return False
        path = self.prompts.save_file(
            self, "Export sectors to CSV", f"{taxonomy.id}-sectors.csv", CSV_FILTER
        )
        if path is None:
            return False
        try:
            count = export_sectors_csv(taxonomy, path)
        except TaxonomyError as exc:
            self.prompts.error(self, "Cannot export", "\n".join(exc.problems))
            return False
        self.statusBar().showMessage(f"Exported {plural(count, 'sector')} to {path}.")
        return True

    # ----- sector actions ----------------------------------------------------------------------

    def current_node(self) -> SectorNode | None:
        return self.model.node_at(self.tree.currentIndex())

    def add_sector(self) -> SectorNode:
        current = self.current_node()
        return self._added(self.model.add_sector(current.parent if current else None))

    def add_sub_sector(self) -> SectorNode | None:
        current = self.current_node()
        if current is None:
            return None
        self.tree.expand(self.model.index_of(current))
        return self._added(self.model.add_sector(current))

    def _added(self, node: SectorNode) -> SectorNode:
        self.select_node(node)
        self.details.focus_field("label")
        return node

    def rename_selected(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.tree.edit(index.siblingAtColumn(0))

    def move_up(self) -> None:
        node = self.current_node()
        if node is not None:
            self.model.move_up(node)

    def move_down(self) -> None:
        node = self.current_node()
        if node is not None:
            self.model.move_down(node)

    def retire_selected(self) -> bool:
        node = self.current_node()
        if node is None:
            return False
        if node.children:
            self.statusBar().showMessage(self.retire_action.toolTip())
            return False
        answer = self.retire_prompt(self, self.model, node)
        if answer is None:
            return False
        since = self.model.draft.header.get("version", "")
        return self.model.retire_sector(node, answer.replaced_by, since, answer.note)

    def delete_selected(self) -> bool:
        node = self.current_node()
        if node is None:
            return False
        if not self.model.delete_sector(node):
            self.statusBar().showMessage(self.delete_action.toolTip())
            return False
        return True

    # ----- selection ---------------------------------------------------------------------------

    def select_node(self, node: SectorNode) -> None:
        index = self.model.index_of(node)
        if not index.isValid():
            return
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)

    def select_uid(self, uid: int) -> None:
        node = self.model.node(uid)
        if node is not None and node is not self.current_node():
            self.select_node(node)

    def _select_first(self) -> None:
        self.tree.expandAll()
        first = self.model.index(0, 0)
        if first.isValid():
            self.tree.setCurrentIndex(first)

    def _select_retired(self, row: int) -> None:
        self.retired_view.setCurrentIndex(self.retired_model.index(row, 0))

    def _current_changed(self) -> None:
        self.details.set_node(self.current_node())
        self._update_actions()

    # ----- validation --------------------------------------------------------------------------

    def revalidate(self) -> None:
        """Check the whole document again and show what is wrong, where."""
        document, nodes = self.model.draft.document()
        self.result = check_document(document)
        entries = [
            locate(p, nodes, self.model.draft)
            for p in self.result.problems
            if not _about_parents_id(p, nodes)
        ]
        remarks = list(self.result.warnings)
        if self.baseline is not None and self.result.taxonomy is not None:
            kept = version_kept_warning(self.baseline, self.result.taxonomy)
            remarks += [kept] if kept else []
        entries += [ProblemEntry(f"Warning: {w}", warning=True) for w in remarks]
        self.problems_model.set_entries(entries)
        by_node: dict[int, list[str]] = {}
        for entry in entries:
            if entry.uid is not None and not entry.warning:
                by_node.setdefault(entry.uid, []).append(entry.text)
        self.model.set_problems(by_node)
        errors = self.problems_model.error_count
        warnings = len(entries) - errors
        if errors:
            text = f"{plural(errors, 'problem')} to fix before the taxonomy can be saved."
        else:
            text = "No problems: ready to save."
        if warnings:
            text += f" {plural(warnings, 'warning')} (saving is allowed)."
        self.problems_label.setText(text)
        self.problems_label.setStyleSheet(text_style(ERROR if errors else SUCCESS))
        self._update_title()
        self._update_actions()

    def show_problem(self, index: QModelIndex) -> None:
        """Go to what a problem is about: select the sector and put the cursor in the field."""
        entry = self.problems_model.entry(index)
        if entry is None:
            return
        if entry.uid is not None:
            node = self.model.node(entry.uid)
            if node is None:
                return
            self.select_node(node)
            if entry.field == "parent":
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.details.focus_field(entry.field)
        elif entry.retired_row is not None:
            names = [name for name, _ in RetiredTableModel.COLUMNS]
            column = names.index(entry.field) if entry.field in names else 0
            self.retired_view.setCurrentIndex(self.retired_model.index(entry.retired_row, column))
            self.retired_view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif entry.header is not None:
            self.header_form.focus_field(entry.header)
        elif entry.text.startswith("Sectors"):
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----- state of the window -----------------------------------------------------------------

    def _clean_changed(self, _clean: bool) -> None:
        # A stack with changes emits this while it is destroyed with the window, too late.
        if shiboken6.isValid(self.undo_stack) and shiboken6.isValid(self):
            self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path else "Untitled"
        star = "*" if self.modified else ""
        self.setWindowTitle(f"{name}{star} — {EDITOR_TITLE}")

    def _update_actions(self) -> None:
        node = self.current_node()
        siblings = node.parent.children if node is not None and node.parent else []
        row = node.row() if node is not None else -1
        self.add_child_action.setEnabled(node is not None)
        self.rename_action.setEnabled(node is not None)
        self.up_action.setEnabled(node is not None and row > 0)
        self.down_action.setEnabled(node is not None and row < len(siblings) - 1)
        can_retire = node is not None and not node.children
        self.retire_action.setEnabled(can_retire)
        self.retire_action.setToolTip(
            "Retire the sector: its data moves to the replacement you choose"
            if can_retire or node is None
            else "Move or retire its sub-sectors first: a retired sector cannot have any"
        )
        can_delete = node is not None and not node.saved and not node.children
        self.delete_action.setEnabled(can_delete)
        self.delete_action.setToolTip(
            "Delete a sector added since the last save"
            if can_delete or node is None
            else (
                "Move or delete its sub-sectors first"
                if node.children and not node.saved
                else "A saved sector may be in use: retire it instead of deleting it"
            )
        )


def _about_parents_id(problem: Problem, nodes: list[SectorNode]) -> bool:
    """A sub-sector's `parent` is its parent's id: when that id is bad, the parent's own problem
    says so, and the same typo is not listed again at every sub-sector."""
    path = problem.path
    if len(path) < 3 or path[0] != "sectors" or path[2] != "parent":
        return False
    index = path[1]
    parent = nodes[index].parent if isinstance(index, int) and index < len(nodes) else None
    return parent is not None and not re.fullmatch(ID_PATTERN, parent.id)


def _bullets(lines: list[str]) -> str:
    shown = [f"• {line}" for line in lines[:SHOWN_IN_A_MESSAGE]]
    if len(lines) > SHOWN_IN_A_MESSAGE:
        shown.append(f"… and {len(lines) - SHOWN_IN_A_MESSAGE} more")
    return "\n".join(shown)
