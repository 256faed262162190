"""Dates as people type them: real key events in the real dialogs, read back from the database.

QDateEdit kept the old month when a two-digit day was typed ("15 Mar 2026" saved 15 Dec 2026,
"1/9/2026" 19 Dec 2026, "30 Nov 2026" in the end date 30 Sep 3020): every form is typed here
key by key, into the start and the end date, and the saved record is read back.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from portfolio_app.domain.dates import describe_date
from portfolio_app.domain.enums import Status
from portfolio_app.domain.records import Contact, ContactRole, Organisation
from portfolio_app.services import AppServices
from portfolio_app.ui.dashboard.goal_dialog import GoalDialog
from portfolio_app.ui.dialogs.activity_dialog import ActivityDialog
from portfolio_app.ui.dialogs.contact_dialog import FROM, ContactDialog
from portfolio_app.ui.dialogs.lesson_dialog import LessonDialog
from portfolio_app.ui.dialogs.review_dialog import ReviewDialog
from portfolio_app.ui.export_dialog import ExportDialog
from portfolio_app.ui.widgets.date_field import DateField

from .conftest import FakePrompts
from .helpers import find_by_name

TODAY = date(2026, 11, 1)  # a Sunday; "30 Nov 2026" is then in the future
# Opening the calendar popup on the offscreen platform logs these harmless warnings (pytest-qt
# reads only the closest qt_log_ignore mark, so both go in one).
POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

FORMS = [
    ("15 Mar 2026", date(2026, 3, 15)),
    ("15 March 2026", date(2026, 3, 15)),
    ("15/03/2026", date(2026, 3, 15)),
    ("1/9/2026", date(2026, 9, 1)),  # 1 September: the day comes first
    ("15/3/26", date(2026, 3, 15)),
    ("2026-03-15", date(2026, 3, 15)),
    ("today", TODAY),
    ("yesterday", date(2026, 10, 31)),
]


def shown(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isActiveWindow())
    return dialog


def field(root: QWidget, name: str) -> DateField:
    """The date field whose text box is announced as `name`."""
    parent = find_by_name(root, name, QLineEdit).parentWidget()
    assert isinstance(parent, DateField)
    return parent


def tab_into(qtbot: QtBot, start: QWidget, target: QWidget, *, back: bool = False) -> None:
    """Focus `start`, then press Tab (or Shift+Tab) and check the focus lands on `target`."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    modifier = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(start, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, modifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)


def save_button(dialog: QWidget) -> QPushButton:
    return find_by_name(dialog, "Save", QPushButton)


def new_activity(qtbot: QtBot, services: AppServices, prompts: FakePrompts) -> ActivityDialog:
    dialog = ActivityDialog(services, prompts=prompts, today=TODAY)
    shown(qtbot, dialog)
    qtbot.keyClicks(find_by_name(dialog, "Title", QLineEdit), "Visited the police hub")
    return dialog


def save_and_read_back(services: AppServices, dialog: ActivityDialog) -> tuple[date, date | None]:
    assert save_button(dialog).isEnabled(), save_button(dialog).toolTip()
    dialog.accept()
    assert dialog.result() == ActivityDialog.DialogCode.Accepted
    saved = services.activities.create(dialog.value())
    assert saved.id is not None
    stored = services.activities.get(saved.id)
    return stored.start, stored.end


@pytest.mark.parametrize(("typed", "expected"), FORMS)
def test_typing_each_form_into_the_start_date_saves_that_day(
    qtbot: QtBot, with_profile: AppServices, typed: str, expected: date
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    start = field(dialog, "Start date")
    tab_into(qtbot, find_by_name(dialog, "Status", QComboBox), start.edit)
    qtbot.keyClicks(start.edit, typed)  # Tab selected the old text: typing replaces it

    assert start.edit.text() == typed
    assert find_by_name(dialog, "Start date as understood", QLabel).text() == describe_date(
        expected
    )
    assert save_and_read_back(with_profile, dialog) == (expected, None)


@pytest.mark.parametrize(("typed", "expected"), FORMS)
def test_typing_each_form_into_the_end_date_saves_that_day(
    qtbot: QtBot, with_profile: AppServices, typed: str, expected: date
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    start = field(dialog, "Start date")
    tab_into(qtbot, find_by_name(dialog, "Status", QComboBox), start.edit)
    qtbot.keyClicks(start.edit, "1 Jan 2026")
    ends_later = find_by_name(dialog, "Ends on a different day", QCheckBox)
    ends_later.setChecked(True)
    end = field(dialog, "End date")
    tab_into(qtbot, ends_later, end.edit)
    qtbot.keyClicks(end.edit, typed)

    assert end.understood.text() == describe_date(expected)
    assert save_and_read_back(with_profile, dialog) == (date(2026, 1, 1), expected)


def test_shift_tab_into_the_end_date_of_a_done_activity_refuses_the_future(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    status = find_by_name(dialog, "Status", QComboBox)
    assert Status(status.currentData()) is Status.DONE
    find_by_name(dialog, "Ends on a different day", QCheckBox).setChecked(True)
    end = field(dialog, "End date")
    tab_into(qtbot, find_by_name(dialog, "Hours", QLineEdit), end.edit, back=True)
    qtbot.keyClicks(end.edit, "30 Nov 2026")

    assert end.date() == date(2026, 11, 30)  # read as typed, not 30 Sep 3020
    assert end.understood.text() == "Monday 30 November 2026"
    reason = (
        "A done activity cannot end in the future (30 Nov 2026): check the date, or mark it planned"
    )
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == reason
    assert find_by_name(dialog, "End date error", QLabel).text() == reason
    dialog.accept()
    assert dialog.result() != ActivityDialog.DialogCode.Accepted

    status.setCurrentIndex(status.findData(Status.PLANNED.value))
    assert save_and_read_back(with_profile, dialog) == (TODAY, date(2026, 11, 30))


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("15 Mxr 2026", "'15 Mxr 2026': 'mxr' is not a month"),
        ("31/06/2026", "'31/06/2026': June 2026 has no day 31"),
        ("15/13/2026", "'15/13/2026': there is no month 13 (the day comes first)"),
        ("2026-02-30", "'2026-02-30': February 2026 has no day 30"),
        ("asap", "'asap' is not a date (write e.g. 15 Mar 2026, 15/03/2026 or 2026-03-15)"),
    ],
)
def test_unreadable_text_disables_save_and_says_why(
    qtbot: QtBot, with_profile: AppServices, typed: str, reason: str
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    start = field(dialog, "Start date")
    tab_into(qtbot, find_by_name(dialog, "Status", QComboBox), start.edit)
    qtbot.keyClicks(start.edit, typed)

    assert start.date() is None and not start.is_valid()
    assert not save_button(dialog).isEnabled()
    assert save_button(dialog).toolTip() == reason
    assert find_by_name(dialog, "Start date error", QLabel).text() == reason
    assert start.understood.text() == "Not a date"
    with pytest.raises(ValueError, match="start"):
        dialog.value()

    start.edit.clear()
    assert save_button(dialog).toolTip() == "Start date is required"
    qtbot.keyClicks(start.edit, "2 Feb 2026")
    assert save_button(dialog).isEnabled()
    assert dialog.value().start == date(2026, 2, 2)


def test_a_date_far_ahead_is_saved_only_when_confirmed(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    prompts = FakePrompts()
    dialog = new_activity(qtbot, with_profile, prompts)
    status = find_by_name(dialog, "Status", QComboBox)
    status.setCurrentIndex(status.findData(Status.PLANNED.value))
    start = field(dialog, "Start date")
    tab_into(qtbot, status, start.edit)
    qtbot.keyClicks(start.edit, "15/3/2030")
    assert save_button(dialog).isEnabled()  # possible, so not refused

    prompts.confirm_answer = False
    dialog.accept()
    assert dialog.result() != ActivityDialog.DialogCode.Accepted
    assert prompts.confirmations == [
        "• Start date: 15 Mar 2030 is more than a year ahead\n\nSave it as it is?"
    ]
    prompts.confirm_answer = True
    assert save_and_read_back(with_profile, dialog) == (date(2030, 3, 15), None)
    assert len(prompts.confirmations) == 2


def test_a_date_before_1950_asks_too(qtbot: QtBot, with_profile: AppServices) -> None:
    prompts = FakePrompts()
    prompts.confirm_answer = False
    dialog = new_activity(qtbot, with_profile, prompts)
    field(dialog, "Start date").edit.setText("1/2/1949")
    dialog.accept()
    assert dialog.result() != ActivityDialog.DialogCode.Accepted
    assert "Start date: 1 Feb 1949 is before 1950" in prompts.confirmations[0]


@pytest.mark.parametrize(
    "key",
    [(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier), (Qt.Key.Key_F4, None)],
    ids=["Alt+Down", "F4"],
)
@POPUP
def test_alt_down_and_f4_open_the_calendar_and_picking_fills_the_text(
    qtbot: QtBot, with_profile: AppServices, key: tuple[Qt.Key, Qt.KeyboardModifier | None]
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    start = field(dialog, "Start date")
    tab_into(qtbot, find_by_name(dialog, "Status", QComboBox), start.edit)
    assert not start.calendar_is_open()
    code, modifier = key
    qtbot.keyClick(start.edit, code, modifier or Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(start.calendar_is_open)
    calendar = start.calendar()
    assert calendar is not None
    assert calendar.selectedDate() == QDate(2026, 11, 1)  # opens on the date in the field

    calendar.setSelectedDate(QDate(2026, 3, 20))
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not start.calendar_is_open())
    assert start.edit.text() == "20 Mar 2026"
    assert start.date() == date(2026, 3, 20)
    assert save_and_read_back(with_profile, dialog) == (date(2026, 3, 20), None)


@POPUP
def test_the_button_opens_the_calendar_and_escape_changes_nothing(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    dialog = new_activity(qtbot, with_profile, FakePrompts())
    start = field(dialog, "Start date")
    qtbot.mouseClick(
        find_by_name(dialog, "Start date: choose from a calendar", QWidget),
        Qt.MouseButton.LeftButton,
    )
    qtbot.waitUntil(start.calendar_is_open)
    calendar = start.calendar()
    assert calendar is not None
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not start.calendar_is_open())
    assert start.date() == TODAY


def test_signals_say_when_the_date_and_its_validity_change(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    date_field = DateField("Due", parent, value=date(2026, 3, 15), optional=True, today=TODAY)
    dates: list[date | None] = []
    validity: list[bool] = []
    date_field.dateChanged.connect(dates.append)
    date_field.validityChanged.connect(validity.append)

    qtbot.keyClicks(date_field.edit, "x")  # "15 Mar 2026x"
    date_field.edit.clear()  # empty is fine: the field is optional
    qtbot.keyClicks(date_field.edit, "1/9/26")
    date_field.setDate(QDate(2027, 1, 2))
    assert dates == [None, date(2026, 9, 1), date(2027, 1, 2)]
    assert validity == [False, True, False, True]  # "1/9/2" on the way to "1/9/26" is no date
    assert date_field.understood.text() == "Saturday 2 January 2027"
    date_field.setDate(None)
    assert (date_field.date(), date_field.is_valid(), date_field.understood.text()) == (
        None,
        True,
        "Not set",
    )


def test_an_optional_date_may_be_left_empty(qtbot: QtBot, with_profile: AppServices) -> None:
    dialog = LessonDialog(with_profile, prompts=FakePrompts(), today=TODAY)
    qtbot.addWidget(dialog)
    find_by_name(dialog, "Title", QLineEdit).setText("Ask early")
    recorded = field(dialog, "Recorded on")
    assert recorded.date() == TODAY
    recorded.edit.clear()
    assert save_button(dialog).isEnabled()
    assert dialog.value().recorded_on is None
    qtbot.keyClicks(recorded.edit, "3/4/2026")
    assert dialog.value().recorded_on == date(2026, 4, 3)
    qtbot.keyClicks(recorded.edit, "9")  # "3/4/20269"
    assert not save_button(dialog).isEnabled()
    assert "is not a date" in save_button(dialog).toolTip()


def test_goal_target_date_is_typed(qtbot: QtBot, with_profile: AppServices) -> None:
    dialog = GoalDialog(with_profile, today=TODAY, prompts=FakePrompts())
    qtbot.addWidget(dialog)
    target = field(dialog, "Target date")
    assert target.date() == date(2027, 11, 1)
    target.edit.clear()
    qtbot.keyClicks(target.edit, "31/9/2027")
    assert "'31/9/2027': September 2027 has no day 31" in save_button(dialog).toolTip()
    find_by_name(dialog, "Has a target date", QCheckBox).setChecked(False)
    assert "September" not in save_button(dialog).toolTip()  # no target: nothing to read


def test_review_date_is_typed(qtbot: QtBot, with_profile: AppServices) -> None:
    dialog = ReviewDialog(with_profile, today=TODAY, prompts=FakePrompts())
    qtbot.addWidget(dialog)
    find_by_name(dialog, "Reviewer's name", QLineEdit).setText("Dr Sam Okoro")
    held = field(dialog, "Date of the review")
    held.edit.clear()
    qtbot.keyClicks(held.edit, "12/10/2026")
    assert save_button(dialog).isEnabled()
    assert dialog.value()[0].held_on == date(2026, 10, 12)
    held.edit.clear()
    qtbot.keyClicks(held.edit, "12 Oct")
    assert save_button(dialog).toolTip() == (
        "'12 Oct' is not a date (write e.g. 15 Mar 2026, 15/03/2026 or 2026-03-15)"
    )


def test_export_period_is_typed_and_refused_when_unreadable(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    dialog = ExportDialog(with_profile, None, FakePrompts(), today=TODAY)
    qtbot.addWidget(dialog)
    start = field(dialog, "From")
    start.edit.clear()
    qtbot.keyClicks(start.edit, "1/4/2026")
    assert dialog.period() is not None and dialog.period().start == date(2026, 4, 1)
    qtbot.keyClicks(start.edit, "x")
    export = find_by_name(dialog, "Export", QPushButton)
    assert dialog.period() is None
    assert not export.isEnabled()
    assert export.toolTip() == (
        "'1/4/2026x' is not a date (write e.g. 15 Mar 2026, 15/03/2026 or 2026-03-15)"
    )


def test_a_role_date_is_typed_and_an_unreadable_one_is_not_stored(
    qtbot: QtBot, with_profile: AppServices
) -> None:
    hub = with_profile.organisations.create(Organisation("Police hub", "police"))
    assert hub.id is not None
    contact = with_profile.contacts.create(
        Contact("Ann Lee", "", (ContactRole(hub.id, "Sergeant", date(2020, 1, 1)),))
    )
    prompts = FakePrompts()
    dialog = ContactDialog(with_profile, contact, prompts=prompts)
    shown(qtbot, dialog)
    view = find_by_name(dialog, "Roles", QTableView)
    index = view.model().index(0, FROM)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = field(dialog, "From of role 1")
    assert editor.edit.text() == "1 Jan 2020"
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "1/9/2022")  # replaces the selected text
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index.data() == "1 Sep 2022")  # the view commits after the event
    assert dialog.value().roles[0].start == date(2022, 9, 1)

    view.edit(index)
    editor = field(dialog, "From of role 1")
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "31/9/2022")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(prompts.errors))
    assert index.data() == "1 Sep 2022"  # kept, not guessed
    assert prompts.errors == [
        "From of role 1: '31/9/2022': September 2022 has no day 31; the date was not changed"
    ]
