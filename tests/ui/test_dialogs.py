"""The edit dialogs: they return the record typed in, keep ids when editing, refuse to save
invalid input (saying why), never write to the database, and name every focusable widget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.services import AppServices
from portfolio_app.ui.dialogs import confirm
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog, CheckableFilterList
from portfolio_app.ui.dialogs.contact_dialog import (
    COLUMNS,
    FROM,
    JOB_TITLE,
    ORGANISATION,
    TO,
    ContactDialog,
    ContactRolesModel,
)
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.organisation_dialog import OrganisationDialog
from portfolio_app.ui.main_window import MainWindow
from portfolio_app.ui.widgets.date_field import DateField
from portfolio_app.ui.widgets.record_picker import SearchableCombo
from portfolio_app.ui.widgets.sector_picker import SectorPicker
from portfolio_app.ui.widgets.validation import ValidatedDialog

from .helpers import find_by_name, walk_unnamed

# Showing a window on the offscreen platform logs this harmless warning.
MakeWindow = Callable[[AppServices], MainWindow]
OFFSCREEN_SHOW = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@dataclass
class Sample:
    services: AppServices
    hospital: Organisation
    icb: Organisation
    jobcentre: Organisation
    sian: Contact
    owain: Contact
    activity: Activity
    lesson: Lesson


@pytest.fixture
def sample(with_profile: AppServices) -> Sample:
    s = with_profile
    hospital = s.organisations.create(
        Organisation("Northshire General Hospital", "acute-trusts", ("NGH",))
    )
    icb = s.organisations.create(Organisation("Northshire ICB", "integrated-care-boards"))
    jobcentre = s.organisations.create(
        Organisation("Jobcentre Plus Northtown", "employment-services")
    )
    assert hospital.id and icb.id and jobcentre.id
    sian = s.contacts.create(
        Contact(
            "Siân Evans",
            "Met at the discharge workshop",
            (
                ContactRole(
                    hospital.id, "Discharge coordinator", date(2021, 4, 1), date(2023, 3, 31)
                ),
                ContactRole(icb.id, "Programme lead", date(2023, 4, 1), None),
            ),
        )
    )
    owain = s.contacts.create(
        Contact("Owain Price", "", (ContactRole(jobcentre.id, "Work coach"),))
    )
    assert sian.id and owain.id
    activity = s.activities.create(
        Activity(
            ActivityType.SHADOWING,
            "Shadowed the discharge team",
            date(2024, 3, 12),
            date(2024, 3, 14),
            14.5,
            (icb.id, hospital.id),
            ("police", "primary-care"),
            (sian.id,),
            "Two days with the team.",
            Visibility.SHARED,
            Status.DONE,
        )
    )
    lesson = s.lessons.create(
        Lesson(
            "Agree discharge plans early",
            activity.id,
            date(2024, 3, 20),
            {
                LessonSection.WHAT_HAPPENED: LessonField("We met on Friday", True),
                LessonSection.WHAT_WORKED: LessonField("A joint huddle", False),
                LessonSection.WHAT_DID_NOT_WORK: LessonField(),
                LessonSection.DO_DIFFERENTLY: LessonField("Start on Monday", True),
                LessonSection.NEXT_STEP: LessonField(),
            },
        )
    )
    return Sample(s, hospital, icb, jobcentre, sian, owain, activity, lesson)


D = TypeVar("D", bound=QDialog)


def add(qtbot: QtBot, dialog: D) -> D:
    qtbot.addWidget(dialog)
    return dialog


def save_button(dialog: QWidget) -> QPushButton:
    return find_by_name(dialog, "Save", QPushButton)


def error_text(dialog: QWidget, name: str) -> str:
    """The text of a field's error label, or '' while it is hidden."""
    label = find_by_name(dialog, name, QLabel)
    return label.text() if not label.isHidden() else ""


def date_field(dialog: QWidget, name: str) -> DateField:
    """The date field whose text box a screen reader announces as `name`."""
    field = find_by_name(dialog, name, QLineEdit).parentWidget()
    assert isinstance(field, DateField)
    return field


def check(view: QListView, label_starts: str) -> None:
    """Tick the row of a checkable list whose text starts with `label_starts`, as a click would."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if str(index.data()).startswith(label_starts):
            model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
            return
    raise LookupError(label_starts)


def table_counts(services: AppServices) -> tuple[int, int, int, int]:
    return (
        len(services.organisations.list_all()),
        len(services.contacts.list_all()),
        len(services.activities.list_all()),
        len(services.lessons.list_all()),
    )


# -- organisation --------------------------------------------------------------------------------


def test_new_organisation_returns_what_was_typed(qtbot: QtBot, sample: Sample) -> None:
    before = table_counts(sample.services)
    dialog = add(qtbot, OrganisationDialog(sample.services))
    assert not save_button(dialog).isEnabled()

    qtbot.keyClicks(find_by_name(dialog, "Name", QLineEdit), "Northshire Police")
    qtbot.keyClicks(find_by_name(dialog, "Sector search"), "constabulary")
    qtbot.keyClick(find_by_name(dialog, "Sector search"), Qt.Key.Key_Return)
    find_by_name(dialog, "Other names", QLineEdit).setText(" NP ;; Northshire Constabulary; NP")

    assert save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip().startswith("Save")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == Organisation(
        "Northshire Police", "police", ("NP", "Northshire Constabulary")
    )
    assert table_counts(sample.services) == before  # dialogs never save


def test_editing_an_organisation_keeps_its_id_and_prefills(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, OrganisationDialog(sample.services, sample.hospital))
    assert find_by_name(dialog, "Name", QLineEdit).text() == "Northshire General Hospital"
    assert find_by_name(dialog, "Other names", QLineEdit).text() == "NGH"
    picker = dialog.findChild(SectorPicker)
    assert picker is not None and picker.selected_ids() == ["acute-trusts"]
    assert dialog.value() == sample.hospital

    picker.set_selected(["community-trusts"])
    assert dialog.value().id == sample.hospital.id
    assert dialog.value().sector_id == "community-trusts"


def test_organisation_needs_a_name_and_a_sector(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, OrganisationDialog(sample.services))
    name = find_by_name(dialog, "Name", QLineEdit)
    qtbot.keyClicks(name, "x")
    name.clear()
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == "Name is required; Sector is required"
    assert error_text(dialog, "Name error") == "Name is required"
    # Sector not touched yet: said quietly next to Save rather than in red.
    assert error_text(dialog, "Sector error") == ""
    assert "Sector is required" in find_by_name(dialog, "Save status", QLabel).text()

    name.setText("Ysgol Gyfun Gŵyr")
    dialog.accept()  # refused: shows every error and stays open
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert error_text(dialog, "Sector error") == "Sector is required"
    with pytest.raises(InvalidInput):
        dialog.value()

    dialog.findChild(SectorPicker).set_selected(["education"])  # type: ignore[union-attr]
    assert save_button(dialog).isEnabled()
    assert error_text(dialog, "Sector error") == ""
    assert dialog.value().name == "Ysgol Gyfun Gŵyr"


def test_organisation_warns_about_a_likely_duplicate_without_blocking(
    qtbot: QtBot, sample: Sample
) -> None:
    dialog = add(qtbot, OrganisationDialog(sample.services))
    find_by_name(dialog, "Name", QLineEdit).setText("ngh")
    dialog.findChild(SectorPicker).set_selected(["acute-trusts"])  # type: ignore[union-attr]
    assert "Northshire General Hospital" in error_text(dialog, "Duplicate warning")
    assert save_button(dialog).isEnabled()

    # Its own name is not a duplicate when editing.
    editing = add(qtbot, OrganisationDialog(sample.services, sample.hospital))
    assert error_text(editing, "Duplicate warning") == ""


# -- contact -------------------------------------------------------------------------------------


def test_new_contact_with_roles(qtbot: QtBot, sample: Sample) -> None:
    before = table_counts(sample.services)
    dialog = add(qtbot, ContactDialog(sample.services))
    find_by_name(dialog, "Name", QLineEdit).setText("Ffion Ní Bhriain")
    find_by_name(dialog, "Notes", QPlainTextEdit).setPlainText("Café chats — every Tuesday")

    qtbot.mouseClick(find_by_name(dialog, "Add role", QPushButton), Qt.MouseButton.LeftButton)
    # The organisation editor opens at once; choosing in it commits the choice.
    combo = find_by_name(dialog, "Organisation of role 1", QComboBox)
    assert combo.currentIndex() == -1  # nothing pre-chosen by accident
    assert not save_button(dialog).isEnabled()
    assert "Role 1: choose an organisation" in save_button(dialog).toolTip()
    combo.setCurrentIndex(combo.findData(sample.icb.id))
    combo.activated.emit(combo.currentIndex())
    assert save_button(dialog).isEnabled()

    model = find_by_name(dialog, "Roles", QTableView).model()
    model.setData(model.index(0, JOB_TITLE), "Commissioning manager")
    model.setData(model.index(0, FROM), QDate(2022, 9, 1))
    assert model.index(0, FROM).data() == "1 Sep 2022"

    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == Contact(
        "Ffion Ní Bhriain",
        "Café chats — every Tuesday",
        (ContactRole(sample.icb.id or 0, "Commissioning manager", date(2022, 9, 1), None),),
    )
    assert table_counts(sample.services) == before


def test_editing_a_contact_keeps_id_and_roles(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ContactDialog(sample.services, sample.sian))
    assert dialog.value() == sample.sian
    view = find_by_name(dialog, "Roles", QTableView)
    assert view.model().index(0, ORGANISATION).data() == "Northshire General Hospital"
    assert view.model().index(0, TO).data() == "31 Mar 2023"
    assert view.model().index(1, TO).data() == ""

    view.selectRow(0)
    qtbot.mouseClick(find_by_name(dialog, "Remove role", QPushButton), Qt.MouseButton.LeftButton)
    assert dialog.value().id == sample.sian.id
    assert dialog.value().roles == sample.sian.roles[1:]


def test_a_role_ending_before_it_starts_blocks_save(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ContactDialog(sample.services, sample.sian))
    model = find_by_name(dialog, "Roles", QTableView).model()
    model.setData(model.index(1, TO), QDate(2023, 1, 1))  # starts 1 Apr 2023

    assert not save_button(dialog).isEnabled()
    reason = "Role 2: the end date is before the start date"
    assert save_button(dialog).toolTip() == reason
    assert error_text(dialog, "Roles error") == reason
    assert model.index(1, TO).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, TO).data(Qt.ItemDataRole.BackgroundRole) is None

    model.setData(model.index(1, TO), QDate(2024, 1, 1))
    assert save_button(dialog).isEnabled()
    assert error_text(dialog, "Roles error") == ""
    assert model.index(1, TO).data(Qt.ItemDataRole.BackgroundRole) is None


def test_delete_key_clears_an_optional_date(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ContactDialog(sample.services, sample.sian))
    view = find_by_name(dialog, "Roles", QTableView)
    view.setCurrentIndex(view.model().index(0, TO))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert dialog.value().roles[0].end is None
    assert dialog.value().roles[0].start == date(2021, 4, 1)


def test_contact_name_is_required(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ContactDialog(sample.services, sample.owain))
    find_by_name(dialog, "Name", QLineEdit).setText("   ")
    assert not save_button(dialog).isEnabled()
    assert error_text(dialog, "Name error") == "Name is required"
    find_by_name(dialog, "Name", QLineEdit).setText("Owain ap Rhys")
    assert save_button(dialog).isEnabled()
    assert dialog.value().name == "Owain ap Rhys"


def test_contact_roles_model_passes_the_model_tester(qtmodeltester: object, sample: Sample) -> None:
    organisations = sample.services.organisations.list_all()
    model = ContactRolesModel(organisations, sample.sian.roles)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.add_role()
    model.set_error_rows({2})
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(2, ORGANISATION).data() == "Choose an organisation"
    assert not model.setData(model.index(2, ORGANISATION), 999_999)  # unknown organisation


# -- activity ------------------------------------------------------------------------------------


def test_new_activity_defaults(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services))
    assert date_field(dialog, "Start date").date() == date.today()
    assert find_by_name(dialog, "Private", QRadioButton).isChecked()
    assert not date_field(dialog, "End date").isEnabled()
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == "Title is required"
    find_by_name(dialog, "Title", QLineEdit).setText("Peer event")
    value = dialog.value()
    assert (value.start, value.end, value.hours, value.visibility, value.status) == (
        date.today(),
        None,
        None,
        Visibility.PRIVATE,
        Status.DONE,
    )


def test_new_activity_returns_everything_filled_in(qtbot: QtBot, sample: Sample) -> None:
    before = table_counts(sample.services)
    dialog = add(qtbot, ActivityDialog(sample.services))
    qtbot.keyClicks(find_by_name(dialog, "Title", QLineEdit), "Joint discharge project")
    kind = find_by_name(dialog, "Type", QComboBox)
    kind.setCurrentIndex(kind.findText("Joint project"))
    status = find_by_name(dialog, "Status", QComboBox)
    status.setCurrentIndex(status.findText("Planned"))
    date_field(dialog, "Start date").setDate(date(2025, 1, 6))
    find_by_name(dialog, "Ends on a different day", QCheckBox).setChecked(True)
    date_field(dialog, "End date").setDate(date(2025, 3, 28))
    find_by_name(dialog, "Hours", QLineEdit).setText("7,5")
    find_by_name(dialog, "Shared", QRadioButton).setChecked(True)
    find_by_name(dialog, "Description", QPlainTextEdit).setPlainText("Gwaith ar y cyd — naïve café")
    check(find_by_name(dialog, "Organisations", QListView), "Jobcentre Plus")
    check(find_by_name(dialog, "Organisations", QListView), "Northshire General")
    check(find_by_name(dialog, "Contacts", QListView), "Owain Price")
    picker = find_by_name(dialog, "Other sectors search", QLineEdit)
    qtbot.keyClicks(picker, "ICB")
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    sectors = find_by_name(dialog, "Other sectors", QWidget)
    qtbot.keyClick(sectors, Qt.Key.Key_Space)  # ticks the current row, the ICB

    assert save_button(dialog).isEnabled(), save_button(dialog).toolTip()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == Activity(
        type=ActivityType.JOINT_PROJECT,
        title="Joint discharge project",
        start=date(2025, 1, 6),
        end=date(2025, 3, 28),
        hours=7.5,
        organisation_ids=(sample.jobcentre.id or 0, sample.hospital.id or 0),
        extra_sector_ids=("integrated-care-boards",),
        contact_ids=(sample.owain.id or 0,),
        description="Gwaith ar y cyd — naïve café",
        visibility=Visibility.SHARED,
        status=Status.PLANNED,
    )
    assert table_counts(sample.services) == before


def test_editing_an_activity_keeps_id_and_every_value(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services, sample.activity))
    assert dialog.value() == sample.activity  # ids, order of organisations, sectors: all kept
    assert find_by_name(dialog, "Ends on a different day", QCheckBox).isChecked()
    assert find_by_name(dialog, "Hours", QLineEdit).text() == "14.5"
    assert find_by_name(dialog, "Chosen organisations", QLabel).text() == (
        "2 chosen: Northshire ICB; Northshire General Hospital"
    )

    find_by_name(dialog, "Ends on a different day", QCheckBox).setChecked(False)
    assert dialog.value().end is None
    assert dialog.value().id == sample.activity.id


NO_EXTRA = "without the extra digits"


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ("-2", "Hours must be 0 or more"),
        ("lots", "'lots' is not a number of hours (write e.g. 7.5)"),
        ("nan", "'nan' is not a number of hours (write e.g. 7.5)"),
        ("1,500", "'1,500' is ambiguous: write 1500 for 1,500 hours, or 1.5 " + NO_EXTRA),
        ("1.500", "'1.500' is ambiguous: write 1500 for 1,500 hours, or 1.5 " + NO_EXTRA),
        ("1e3", "'1e3' is not a number of hours (write e.g. 7.5)"),
    ],
)
def test_activity_rejects_bad_hours(qtbot: QtBot, sample: Sample, hours: str, reason: str) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services, sample.activity))
    hours_edit = find_by_name(dialog, "Hours", QLineEdit)
    hours_edit.clear()
    qtbot.keyClicks(hours_edit, hours)  # typed as a person would, key by key
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == reason
    assert error_text(dialog, "Hours error") == reason
    find_by_name(dialog, "Hours", QLineEdit).setText("")
    assert save_button(dialog).isEnabled()
    assert dialog.value().hours is None


@pytest.mark.parametrize("stored", [1.125, 1234.567, 7.25])
def test_activity_opens_stored_hours_as_they_are(
    qtbot: QtBot, sample: Sample, stored: float
) -> None:
    """Hours shown from the database read back as the same number: no rounding ('{:g}' gave
    1234.57) and nothing the hours reader would refuse as ambiguous ('1.125')."""
    activity = replace(sample.activity, hours=stored)
    dialog = add(qtbot, ActivityDialog(sample.services, activity))
    assert save_button(dialog).isEnabled()
    assert dialog.value().hours == stored


def test_activity_reports_every_problem_at_once(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services))
    title = find_by_name(dialog, "Title", QLineEdit)
    qtbot.keyClicks(title, "a")
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    date_field(dialog, "Start date").setDate(date(2025, 5, 10))
    find_by_name(dialog, "Ends on a different day", QCheckBox).setChecked(True)
    date_field(dialog, "End date").setDate(date(2025, 5, 9))
    find_by_name(dialog, "Hours", QLineEdit).setText("-1")

    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == (
        "Title is required; The end date is before the start date; Hours must be 0 or more"
    )
    assert error_text(dialog, "Title error") == "Title is required"
    assert error_text(dialog, "End date error") == "The end date is before the start date"
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted

    title.setText("Ymweliad â’r ysbyty")
    date_field(dialog, "End date").setDate(date(2025, 5, 11))
    find_by_name(dialog, "Hours", QLineEdit).setText("3")
    assert save_button(dialog).isEnabled()
    assert error_text(dialog, "End date error") == ""
    assert dialog.value().title == "Ymweliad â’r ysbyty"


def test_activity_lists_filter_by_alias_and_keep_ticks(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services, sample.activity))
    orgs = next(w for w in dialog.findChildren(CheckableFilterList) if w.noun == "Organisations")
    find_by_name(dialog, "Organisations filter", QLineEdit).setText("ngh")
    view = find_by_name(dialog, "Organisations", QListView)
    assert [view.model().index(r, 0).data() for r in range(view.model().rowCount())] == [
        "Northshire General Hospital — Acute trusts"
    ]
    assert orgs.checked_ids() == sample.activity.organisation_ids  # hidden ticks survive
    contacts = find_by_name(dialog, "Contacts", QListView).model()
    assert contacts.index(1, 0).data() == "Siân Evans — Programme lead, Northshire ICB"


# -- lesson --------------------------------------------------------------------------------------


def test_new_lesson_is_private_section_by_section(qtbot: QtBot, sample: Sample) -> None:
    before = table_counts(sample.services)
    dialog = add(qtbot, LessonDialog(sample.services, None, sample.activity.id))
    linked = find_by_name(dialog, "Linked activity", QComboBox)
    assert linked.itemText(0) == "(standalone)"
    assert linked.currentText() == "12 Mar 2024 — Shadowed the discharge team"
    for section in LessonSection:
        assert not find_by_name(
            dialog, f"{section.label}: share in portfolio", QCheckBox
        ).isChecked()
        assert find_by_name(dialog, f"{section.label} visibility", QLabel).text() == "Private"

    find_by_name(dialog, "Title", QLineEdit).setText("Gofyn yn gynnar")
    find_by_name(dialog, "What worked", QPlainTextEdit).setPlainText("Siarad â’r tîm")
    find_by_name(dialog, "Next step", QPlainTextEdit).setPlainText("Book the huddle")
    find_by_name(dialog, "Next step: share in portfolio", QCheckBox).setChecked(True)
    assert find_by_name(dialog, "Next step visibility", QLabel).text() == "Shared"
    date_field(dialog, "Recorded on").setDate(date(2024, 4, 2))

    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    value = dialog.value()
    assert (value.title, value.activity_id, value.recorded_on, value.id) == (
        "Gofyn yn gynnar",
        sample.activity.id,
        date(2024, 4, 2),
        None,
    )
    assert value.sections[LessonSection.WHAT_WORKED] == LessonField("Siarad â’r tîm", False)
    assert value.sections[LessonSection.NEXT_STEP] == LessonField("Book the huddle", True)
    assert value.shared_sections() == {LessonSection.NEXT_STEP: "Book the huddle"}
    assert table_counts(sample.services) == before


def test_editing_a_lesson_keeps_id_and_values(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, LessonDialog(sample.services, sample.lesson))
    assert dialog.value() == sample.lesson
    assert find_by_name(dialog, "What happened visibility", QLabel).text() == "Shared"
    linked = find_by_name(dialog, "Linked activity", QComboBox)
    linked.setCurrentIndex(0)
    assert dialog.value().activity_id is None
    assert dialog.value().id == sample.lesson.id


def test_lesson_title_is_required(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, LessonDialog(sample.services, sample.lesson))
    find_by_name(dialog, "Title", QLineEdit).setText("")
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == "Title is required"
    assert error_text(dialog, "Title error") == "Title is required"
    find_by_name(dialog, "Title", QLineEdit).setText("Better")
    assert save_button(dialog).isEnabled()


def test_lesson_activities_are_listed_newest_first(qtbot: QtBot, sample: Sample) -> None:
    later = sample.services.activities.create(
        Activity(ActivityType.TRAINING, "Trauma-informed practice", date(2025, 2, 1))
    )
    dialog = add(qtbot, LessonDialog(sample.services))
    linked = find_by_name(dialog, "Linked activity", QComboBox)
    assert [linked.itemData(i) for i in range(linked.count())] == [
        None,
        later.id,
        sample.activity.id,
    ]
    assert linked.currentIndex() == 0


# -- every dialog --------------------------------------------------------------------------------

DIALOGS = {
    "new organisation": lambda s: OrganisationDialog(s.services),
    "edit organisation": lambda s: OrganisationDialog(s.services, s.hospital),
    "new contact": lambda s: ContactDialog(s.services),
    "edit contact": lambda s: ContactDialog(s.services, s.sian),
    "new activity": lambda s: ActivityDialog(s.services),
    "edit activity": lambda s: ActivityDialog(s.services, s.activity),
    "new lesson": lambda s: LessonDialog(s.services),
    "edit lesson": lambda s: LessonDialog(s.services, s.lesson),
}


@pytest.mark.parametrize("which", DIALOGS)
def test_every_focusable_widget_is_named_and_labels_have_buddies(
    qtbot: QtBot, sample: Sample, which: str
) -> None:
    dialog = add(qtbot, DIALOGS[which](sample))
    assert walk_unnamed(dialog) == []
    for label in dialog.findChildren(QLabel):
        if "&" in label.text():
            assert label.buddy() is not None, label.text()
            assert label.buddy().accessibleName(), label.text()


def test_role_editors_are_named(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ContactDialog(sample.services, sample.sian))
    view = find_by_name(dialog, "Roles", QTableView)
    view.edit(view.model().index(1, JOB_TITLE))
    assert find_by_name(dialog, "Job title of role 2", QLineEdit).text() == "Programme lead"

    delegate = view.itemDelegate()
    for column, kind in [(ORGANISATION, SearchableCombo), (FROM, DateField), (TO, DateField)]:
        index = view.model().index(0, column)
        editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
        assert isinstance(editor, kind)
        named = editor.edit if isinstance(editor, DateField) else editor
        if isinstance(editor, SearchableCombo):  # a search box beside the drop-down
            named = editor.combo
            assert editor.search_edit.accessibleName() == "Organisation of role 1 search"
        assert named.accessibleName() == f"{COLUMNS[column]} of role 1"
        assert walk_unnamed(editor) == []
        editor.deleteLater()


@pytest.mark.parametrize("which", DIALOGS)
def test_escape_closes_without_saving(qtbot: QtBot, sample: Sample, which: str) -> None:
    before = table_counts(sample.services)
    dialog = add(qtbot, DIALOGS[which](sample))
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert table_counts(sample.services) == before


@OFFSCREEN_SHOW
def test_activity_tab_order_follows_the_layout(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services, sample.activity))
    dialog.show()
    qtbot.waitExposed(dialog)
    expected = [
        "Title", "Type", "Status", "Start date", "Ends on a different day", "End date", "Hours",
        "Private", "Shared", "Description", "Organisations filter", "Organisations",
        "Contacts filter", "Contacts", "Other sectors search", "Other sectors", "Save", "Cancel",
    ]  # fmt: skip
    chain: list[str] = []
    widget: QWidget = find_by_name(dialog, "Title")
    for _ in range(200):
        name = widget.accessibleName()
        if name in expected and name not in chain:
            chain.append(name)
        widget = widget.nextInFocusChain() or dialog
        if widget is find_by_name(dialog, "Title"):
            break
    assert chain == expected


@OFFSCREEN_SHOW
def test_title_has_focus_when_a_dialog_opens(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, ActivityDialog(sample.services))
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is find_by_name(dialog, "Title"))


def test_ctrl_s_saves_only_when_valid(qtbot: QtBot, sample: Sample) -> None:
    dialog = add(qtbot, LessonDialog(sample.services))
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() != QDialog.DialogCode.Accepted
    find_by_name(dialog, "Title", QLineEdit).setText("Ask early")
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()


def test_validated_dialog_requires_field_errors() -> None:
    with pytest.raises(NotImplementedError):
        ValidatedDialog("Untitled").field_errors()


# -- confirm delete ------------------------------------------------------------------------------


def test_confirm_delete_says_what_changes(qtbot: QtBot) -> None:
    box = confirm.build_delete_box(
        None, "the contact “Siân Evans”", "They are linked to 12 activities."
    )
    qtbot.addWidget(box)
    assert box.text() == "Delete the contact “Siân Evans”?"
    assert box.informativeText().startswith("They are linked to 12 activities. You can undo")
    assert box.defaultButton() is find_by_name(box, "Cancel")


@OFFSCREEN_SHOW
@pytest.mark.parametrize(("button", "expected"), [("Delete", True), ("Cancel", False)])
def test_confirm_delete_with_the_real_box(qtbot: QtBot, button: str, expected: bool) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    clicked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)  # not shown yet
            return
        clicked.append(box.text())
        find_by_name(box, button, QPushButton).click()

    QTimer.singleShot(0, answer)
    result = confirm.confirm_delete(parent, "the organisation “Northshire ICB”", "")
    assert result is expected
    assert clicked == ["Delete the organisation “Northshire ICB”?"]


def test_confirm_delete_can_be_answered_without_a_modal(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def press_delete(box: QMessageBox) -> None:
        seen.append(box.informativeText())
        find_by_name(box, "Delete", QPushButton).click()

    monkeypatch.setattr(confirm, "run_box", press_delete)
    assert confirm.confirm_delete(None, "the lesson “Ask early”", "It is not linked to anything.")
    assert seen and "It is not linked to anything." in seen[0]


@pytest.mark.parametrize("key", ["contact", "organisation", "activity"])
def test_saving_an_edit_as_it_was_writes_and_reloads_nothing(
    qtbot: QtBot, sample: Sample, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    services = sample.services
    record_id = {"contact": sample.sian, "organisation": sample.hospital}.get(
        key, sample.activity
    ).id
    assert record_id is not None
    window = make_window(services)
    refreshed: list[object] = []
    monkeypatch.setattr(window, "refresh", lambda *args: refreshed.append(args))
    writes, steps = services.db.writes, window.undo_stack.count()

    dialog = window.edit_record(key, record_id)
    assert dialog is not None
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert (window.undo_stack.count(), refreshed) == (steps, [])
    if key != "activity":  # (an activity's dialog keeps a draft: dropping it is its one write)
        assert services.db.writes == writes

    dialog = window.edit_record(key, record_id)  # a change is saved (and reloaded) as ever
    assert dialog is not None
    name = find_by_name(dialog, "Title" if key == "activity" else "Name", QLineEdit)
    name.setText(name.text() + " (Zoë)")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert services.db.writes > writes and window.undo_stack.count() == steps + 1
    assert len(refreshed) == 1
