"""Importing activities from a spreadsheet's CSV: every column, every refusal, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.records import Contact, Organisation
from portfolio_app.domain.validation import InvalidInput
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, csv_import
from portfolio_app.services.csv_export import CsvExportService
from portfolio_app.services.csv_import import CsvImportError, ImportResult, RowProblem
from portfolio_app.services.progress import Cancelled, Progress

HEADER = "type,title,start,end,hours,organisation,sector,extra_sectors,contacts,description,"
HEADER += "visibility,status"


def run(services: AppServices, text: str, *, encoding: str = "utf-8") -> ImportResult:
    return services.csv_import.import_bytes(text.encode(encoding), "test.csv")


def refused(services: AppServices, text: str | bytes) -> list[RowProblem]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_bytes(raw, "test.csv")
    assert "nothing was imported" in str(caught.value)
    return caught.value.problems


def where(problems: list[RowProblem]) -> set[tuple[int, str]]:
    return {(p.line, p.column) for p in problems}


def snapshot(services: AppServices) -> tuple[str, list[Organisation], list[Contact]]:
    """Everything an import could change: the full export, organisations and contacts."""
    text, _ = services.csv_export.activities_csv()
    return text, services.organisations.list_all(), services.contacts.list_all()


def org_sectors(services: AppServices) -> dict[str, str]:
    return {o.name: o.sector_id for o in services.organisations.list_all()}


@pytest.fixture
def known(with_profile: AppServices) -> AppServices:
    """A profile (home: Northshire Council), an organisation with aliases and a contact."""
    with_profile.organisations.create(
        Organisation("Northshire Constabulary", "police", aliases=("Northshire Police", "NP"))
    )
    with_profile.contacts.create(Contact("Łukasz Nowak"))
    return with_profile


# --- a good file ------------------------------------------------------------------------------


def test_good_file_imports_every_column(known: AppServices) -> None:
    text = "\n".join(
        [
            HEADER,
            "secondment,Six months at the ICB,2024-01-08,2024-07-05,37.5,Northshire ICB,ICB,"
            '"public-health;Police","Łukasz Nowak;Zoë Adams","Worked on discharge, mostly.",'
            "shared,done",
            "Mentoring given,Mentoring a probation officer,12/03/2024,,,northshire council,,,"
            "zoë adams,,,planned",
        ]
    )
    result = run(known, text)
    assert result == ImportResult(
        activities=2, organisations_created=1, contacts_created=1, created=2
    )

    rows = {r.activity.title: r for r in known.activities.rows()}
    secondment = rows["Six months at the ICB"]
    assert secondment.activity.type is ActivityType.SECONDMENT
    assert (secondment.activity.start, secondment.activity.end) == (
        date(2024, 1, 8),
        date(2024, 7, 5),
    )
    assert secondment.activity.hours == 37.5
    assert secondment.organisation_names == ("Northshire ICB",)
    assert secondment.activity.extra_sector_ids == ("public-health", "police")
    assert secondment.contact_names == ("Łukasz Nowak", "Zoë Adams")
    assert secondment.activity.description == "Worked on discharge, mostly."
    assert secondment.activity.visibility is Visibility.SHARED
    assert secondment.activity.status is Status.DONE

    mentoring = rows["Mentoring a probation officer"]
    assert mentoring.activity.type is ActivityType.MENTORING_GIVEN
    assert mentoring.activity.start == date(2024, 3, 12)
    assert mentoring.activity.end is None and mentoring.activity.hours is None
    assert mentoring.organisation_names == ("Northshire Council",)
    assert mentoring.contact_names == ("Zoë Adams",)  # the contact row 1 created, not a second
    assert mentoring.activity.visibility is Visibility.PRIVATE  # the default
    assert mentoring.activity.status is Status.PLANNED

    assert org_sectors(known)["Northshire ICB"] == "integrated-care-boards"
    assert sorted(c.name for c in known.contacts.list_all()) == ["Zoë Adams", "Łukasz Nowak"]


def test_only_type_title_and_start_are_needed(services: AppServices) -> None:
    assert run(services, "type,title,start\nother,Read a report,2024-02-02\n").activities == 1
    (row,) = services.activities.rows()
    assert row.activity.title == "Read a report"
    assert row.activity.visibility is Visibility.PRIVATE
    assert row.activity.status is Status.DONE


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("peer-event", ActivityType.PEER_EVENT),
        ("Peer event", ActivityType.PEER_EVENT),
        ("PEER_EVENT", ActivityType.PEER_EVENT),
        ("Action-learning set", ActivityType.ACTION_LEARNING),
        ("mentoring received", ActivityType.MENTORING_RECEIVED),
        ("  Joint project ", ActivityType.JOINT_PROJECT),
    ],
)
def test_types_accept_ids_and_the_apps_labels(
    services: AppServices, cell: str, expected: ActivityType
) -> None:
    run(services, f"type,title,start\n{cell},An activity,2024-02-02\n")
    assert services.activities.list_all()[0].type is expected


# --- bad rows ---------------------------------------------------------------------------------


def test_every_bad_row_is_reported_by_its_physical_line_and_nothing_changes(
    known: AppServices,
) -> None:
    run(known, "type,title,start,organisation,sector\ntraining,Existing,2023-05-05,Old Org,police")
    before = snapshot(known)

    lines = [
        "type,title,start,end,hours,organisation,sector,contacts,description",  # 1
        'shadowing,Fine row,2024-01-01,,,Brand New Org,charity,New Person,"first line',  # 2
        "second line",  # 3
        'third line"',  # 4
        "bogus,Bad type,2024-01-02,,,,,,",  # 5
        "training,,2024-13-01,,,,,,",  # 6
        "",  # 7
        "training,End before start,2024-05-02,2024-05-01,-3,,,,",  # 8
        'training,"Title, with a comma",31/02/2024,,abc,,,,"x',  # 9
        'y"',  # 10
        "other,Fine again,2024-01-01,,,Another New Org,Police,Someone Else,",  # 11
        "other,No sector,2024-01-01,,,Unheard Of Ltd,,,",  # 12
    ]
    problems = refused(known, "\r\n".join(lines) + "\r\n")

    assert where(problems) == {
        (5, "type"),
        (6, "title"),
        (6, "start"),
        (8, "end"),
        (8, "hours"),
        (9, "start"),
        (9, "hours"),
        (12, "sector"),
    }
    reasons = {(p.line, p.column): p.message for p in problems}
    assert "unknown activity type 'bogus'" in reasons[5, "type"]
    assert reasons[6, "title"] == "is required"
    assert "'2024-13-01': there is no month 13" in reasons[6, "start"]
    assert "before the start date" in reasons[8, "end"]
    assert "0 or more" in reasons[8, "hours"]
    assert "'31/02/2024': February 2024 has no day 31" in reasons[9, "start"]
    assert "'abc' is not a number" in reasons[9, "hours"]
    assert "'Unheard Of Ltd' is new" in reasons[12, "sector"]
    # Nothing at all was written: not the good rows, nor their new organisations and contacts.
    assert snapshot(known) == before


def test_the_report_names_line_column_and_reason(services: AppServices) -> None:
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_bytes(b"type,title,start\nnope,A,2024-01-01\n", "my.csv")
    assert str(caught.value).startswith("my.csv: nothing was imported; 1 problem to fix:")
    assert "line 2, column 'type': unknown activity type 'nope'" in str(caught.value)


def test_hundreds_of_bad_rows_are_all_named(services: AppServices) -> None:
    text = "type,title,start\n" + "".join(f"training,Row {i},someday\n" for i in range(300))
    with pytest.raises(CsvImportError) as caught:
        run(services, text)
    assert [p.line for p in caught.value.problems] == list(range(2, 302))
    assert "line 301, column 'start'" in str(caught.value)
    assert services.activities.count() == 0


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        # The domain's one date parser says why (behaviour changed deliberately: its words).
        ("31/02/2024", "'31/02/2024': February 2024 has no day 31"),
        ("29/02/2023", "February 2023 has no day 29"),
        ("2024-02-30", "February 2024 has no day 30"),
        ("00/01/2024", "January 2024 has no day 0"),
        ("2024/02/01", "is not a date (write e.g. 15 Mar 2026, 15/03/2026 or 2026-03-15)"),
        ("1 Mar", "is not a date"),
        ("today", "write the date itself"),  # a file's meaning must not depend on the day
        ("٢٠٢٤-٠١-٠١", "is not a date"),  # digits of another script
    ],
)
def test_invalid_dates_are_refused(services: AppServices, cell: str, reason: str) -> None:
    (problem,) = refused(services, f"type,title,start\ntraining,T,{cell}\n")
    assert (problem.line, problem.column) == (2, "start")
    assert reason in problem.message


def test_uk_and_iso_dates(services: AppServices) -> None:
    run(
        services,
        "type,title,start,end\n"
        "training,A,1/2/2024,29/02/2024\n"
        "training,B,2024-12-31,31/12/2024\n"
        "training,C, 05/06/2024 ,\n",
    )
    dates = {a.title: (a.start, a.end) for a in services.activities.list_all()}
    assert dates == {
        "A": (date(2024, 2, 1), date(2024, 2, 29)),
        "B": (date(2024, 12, 31), date(2024, 12, 31)),
        "C": (date(2024, 6, 5), None),
    }


@pytest.mark.parametrize(
    ("cell", "hours"), [("7", 7.0), ("7.5", 7.5), ('"1,5"', 1.5), ("0", 0.0), (" 2 ", 2.0)]
)
def test_hours(services: AppServices, cell: str, hours: float) -> None:
    run(services, f"type,title,start,hours\ntraining,T,2024-01-01,{cell}\n")
    assert services.activities.list_all()[0].hours == hours


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("-2", "hours must be 0 or more"),
        ("lots", "'lots' is not a number of hours"),
        ('"1,000"', "'1,000' is ambiguous"),
        ("1e3", "is not a number"),
        ("nan", "is not a number"),
        ("12345678", "is not a number"),
    ],
)
def test_bad_hours(services: AppServices, cell: str, reason: str) -> None:
    (problem,) = refused(services, f"type,title,start,hours\ntraining,T,2024-01-01,{cell}\n")
    assert (problem.line, problem.column) == (2, "hours")
    assert reason in problem.message


def test_visibility_and_status_values(services: AppServices) -> None:
    run(
        services,
        "type,title,start,visibility,status\n"
        "training,A,2024-01-01,Shared,PLANNED\n"
        "training,B,2024-01-01,,\n",
    )
    got = {a.title: (a.visibility, a.status) for a in services.activities.list_all()}
    assert got == {
        "A": (Visibility.SHARED, Status.PLANNED),
        "B": (Visibility.PRIVATE, Status.DONE),
    }
    problems = refused(
        services, "type,title,start,visibility,status\ntraining,C,2024-01-01,public,finished\n"
    )
    reasons = {p.column: p.message for p in problems}
    assert reasons["visibility"] == "'public' is not valid (use private or shared)"
    assert reasons["status"] == "'finished' is not valid (use done or planned)"


def test_too_long_title_and_too_many_cells(services: AppServices) -> None:
    problems = refused(
        services,
        "type,title,start\n"
        f"training,{'x' * 301},2024-01-01\n"
        "training,Extra cell,2024-01-01,surprise\n"
        "training,Empty extra cells are fine,2024-01-01,,\n",
    )
    assert where(problems) == {(2, "title"), (3, "")}
    messages = [p.message for p in problems]
    assert "is too long (301 characters; limit 300)" in messages
    assert "the row has 4 cells but the header has 3" in messages


# --- text ------------------------------------------------------------------------------------


def test_odd_unicode_in_titles_organisations_and_contacts(known: AppServices) -> None:
    text = (
        "type,title,start,organisation,sector,contacts,description\n"
        "peer-event,Siân's visit to Łódź,2024-04-01,Cymdeithas Tai Siân;Łukasz & Zoë CIC,"
        "housing-associations;charity,Siân Jones;Zoë Ødegård;ŁUKASZ NOWAK,Straße → 東京 👩‍⚕️\n"
    )
    run(known, text)
    (row,) = known.activities.rows()
    assert row.activity.title == "Siân's visit to Łódź"
    assert row.organisation_names == ("Cymdeithas Tai Siân", "Łukasz & Zoë CIC")
    assert row.contact_names == ("Siân Jones", "Zoë Ødegård", "Łukasz Nowak")  # last one known
    assert row.activity.description == "Straße → 東京 👩‍⚕️"
    assert org_sectors(known)["Łukasz & Zoë CIC"] == "voluntary-community"
    assert len(known.contacts.list_all()) == 3


def test_a_50000_character_description(services: AppServices) -> None:
    paragraph = 'Siân said "no", then; later, yes.\r\nNext line\n'
    description = (paragraph * (50_000 // len(paragraph) + 1))[:50_000]
    cell = '"' + description.replace('"', '""') + '"'
    run(
        services,
        f"type,title,start,description\ntraining,Long,2024-01-01,{cell}\nother,After,2024-01-02,\n",
    )
    by_title = {a.title: a for a in services.activities.list_all()}
    assert by_title["Long"].description == description
    assert len(by_title["Long"].description) == 50_000
    assert by_title["After"].description == ""


def test_a_cell_too_large_for_the_reader_is_reported_not_raised(services: AppServices) -> None:
    huge = "x" * 1_000_001
    problems = refused(
        services, f'type,title,start\ntraining,Fine,2024-01-01\ntraining,T,2024-01-01\n"{huge}"\n'
    )
    assert [(p.line, p.column) for p in problems] == [(4, "")]
    assert problems[0].message == "a cell is too long (more than 1,000,000 characters)"


def test_a_quote_that_never_closes_does_not_swallow_the_rest(services: AppServices) -> None:
    text = (
        "type,title,start,description\n"
        "training,A,2024-01-01,fine\n"
        'training,B,2024-01-02,"Forgot to close\n'
        "training,C,2024-01-03,lost?\n"
        "training,D,2024-01-04,lost?\n"
    )
    (problem,) = refused(services, text)
    assert problem.line == 3
    assert problem.message == (
        'a quoted cell that starts in this row is never closed (a closing " is missing)'
    )
    assert services.activities.count() == 0


def test_text_after_a_closing_quote_is_refused(services: AppServices) -> None:
    text = 'type,title,start\ntraining,"Siân" said hello,2024-01-01\n'
    (problem,) = refused(services, text)
    assert problem.line == 2
    assert "text after its closing quote" in problem.message
    # A quote inside an unquoted cell is ordinary text.
    run(services, 'type,title,start\ntraining,The "big" day,2024-01-01\n')
    assert services.activities.list_all()[0].title == 'The "big" day'


def test_old_mac_line_endings_count_as_lines(services: AppServices) -> None:
    problems = refused(services, "type,title,start\rtraining,A,2024-01-01\rtraining,B,never\r")
    assert [(p.line, p.column) for p in problems] == [(3, "start")]
    raw = b"type,title,start\rtraining,A,2024-01-01\rtraining,\xff,2024-01-01\r"
    (problem,) = refused(services, raw)
    assert problem.line == 3


def test_bom_semicolons_and_crlf(known: AppServices, tmp_path: Path) -> None:
    text = (
        "Type;Title;Start;Hours;Organisation;Sector;Contacts\r\n"
        "Peer event;Review, then plan;12/05/2024;1,5;NP;;Łukasz Nowak\r\n"
        'training;"Quoted; with semicolon";2024-05-13;2;New Trust;NHS;\r\n'
    )
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    assert known.csv_import.import_file(path).activities == 2
    rows = {r.activity.title: r for r in known.activities.rows()}
    assert rows["Review, then plan"].activity.hours == 1.5
    assert rows["Review, then plan"].organisation_names == ("Northshire Constabulary",)
    assert rows["Quoted; with semicolon"].organisation_names == ("New Trust",)
    assert org_sectors(known)["New Trust"] == "nhs"


def test_file_that_is_not_utf8_names_the_line(services: AppServices) -> None:
    raw = b"type,title,start\ntraining,Fine,2024-01-01\ntraining,Si\xe2n,2024"
    (problem,) = refused(services, raw)
    assert problem.line == 3
    assert "not UTF-8" in problem.message


@pytest.mark.parametrize(
    ("raw", "line", "reason"),
    [
        (b"", 1, "the file is empty"),
        (b"\r\n\r\n", 1, "the file is empty"),
        (b"type,title,start\r\n", 2, "a header row but no activities"),
        (b"type,title,start\n,,\n\n", 4, "a header row but no activities"),
        (b"type,title,start\ntraining,A\x00,2024-01-01\n", 2, "NUL byte"),
    ],
)
def test_empty_and_broken_files(services: AppServices, raw: bytes, line: int, reason: str) -> None:
    (problem,) = refused(services, raw)
    assert problem.line == line
    assert reason in problem.message


def test_blank_lines_before_the_header_and_between_rows_are_skipped(services: AppServices) -> None:
    run(services, "\n\ntype,title,start\n\ntraining,A,2024-01-01\n ,  , \ntraining,B,2024-01-02\n")
    assert services.activities.count() == 2
    (problem,) = refused(services, "\n\ntype,title\n")
    assert (problem.line, problem.column) == (3, "start")


def test_leading_apostrophe_of_a_neutralised_cell_is_removed(services: AppServices) -> None:
    run(
        services,
        "type,title,start,description\n"
        "training,'=SUM(A1),2024-01-01,'-5 points\n"
        "training,'plain,2024-01-02,''@twice\n",
    )
    got = {a.title: a.description for a in services.activities.list_all()}
    assert got == {"=SUM(A1)": "-5 points", "'plain": "'@twice"}


# --- the header ------------------------------------------------------------------------------


def test_header_in_any_order_and_case(services: AppServices) -> None:
    run(
        services,
        "  STATUS ,Extra-Sectors,Start,TITLE,tYpE\n"
        "planned,Police;ICB,2024-06-01,Planning day,Joint-Project\n",
    )
    (activity,) = services.activities.list_all()
    assert activity.title == "Planning day"
    assert activity.type is ActivityType.JOINT_PROJECT
    assert activity.status is Status.PLANNED
    assert activity.extra_sector_ids == ("police", "integrated-care-boards")


def test_unknown_columns_are_refused_with_the_list_of_columns(services: AppServices) -> None:
    problems = refused(services, "type,title,start,Notes,Organization\ntraining,A,2024-01-01,x,y\n")
    assert where(problems) == {(1, "Notes"), (1, "Organization")}
    assert all(
        p.message.startswith("unknown column (the columns are: type, title,") for p in problems
    )
    assert services.activities.count() == 0


def test_missing_and_repeated_columns(services: AppServices) -> None:
    problems = refused(services, "Title,TITLE,start,hours\ntraining,A,2024-01-01,\n")
    reasons = {(p.line, p.column): p.message for p in problems}
    assert reasons == {
        (1, "TITLE"): "this column appears twice",
        (1, "type"): "this required column is missing",
    }


def test_empty_header_cells_from_a_spreadsheet_are_ignored(services: AppServices) -> None:
    run(services, "type,title,start,,\ntraining,A,2024-01-01,,\n")
    assert services.activities.count() == 1
    (problem,) = refused(services, "type,title,start,,\ntraining,A,2024-01-01,,lost\n")
    assert problem.line == 2
    assert problem.message == "cell 5 has a value but its column has no header"


def test_a_stray_second_bom_does_not_hide_the_first_column(services: AppServices) -> None:
    raw = "\ufeff\ufefftype,title,start\ntraining,A,2024-01-01\n".encode()
    services.csv_import.import_bytes(raw)
    assert services.activities.count() == 1


# --- organisations and sectors ----------------------------------------------------------------


def test_known_organisations_by_name_or_alias_in_any_case_need_no_sector(
    known: AppServices,
) -> None:
    result = run(
        known,
        "type,title,start,organisation\n"
        "training,A,2024-01-01,NORTHSHIRE COUNCIL\n"
        "training,B,2024-01-01,np\n"
        'training,C,2024-01-01,"  northshire   police ;Northshire Constabulary"\n',
    )
    assert result.organisations_created == 0
    names = {r.activity.title: r.organisation_names for r in known.activities.rows()}
    assert names == {
        "A": ("Northshire Council",),
        "B": ("Northshire Constabulary",),
        "C": ("Northshire Constabulary",),  # the same organisation twice is linked once
    }


def test_new_organisations_need_a_sector_in_the_same_position(known: AppServices) -> None:
    result = run(
        known,
        "type,title,start,organisation,sector\n"
        'training,A,2024-01-01,"NP;Riverside Housing;Jobcentre Leeds",";RSL;Jobcentre Plus"\n',
    )
    assert result.organisations_created == 2
    sectors = org_sectors(known)
    assert sectors["Riverside Housing"] == "housing-associations"
    assert sectors["Jobcentre Leeds"] == "employment-services"
    assert sectors["Northshire Constabulary"] == "police"  # a known one is left as it is


def test_organisation_and_sector_problems(known: AppServices) -> None:
    problems = refused(
        known,
        "type,title,start,organisation,sector\n"
        "training,A,2024-01-01,Riverside Housing,\n"  # 2: new, no sector
        "training,B,2024-01-01,Mars Office,space\n"  # 3: unknown sector
        'training,C,2024-01-01,NP,"police;nhs"\n'  # 4: more sectors than organisations
        "training,D,2024-01-01,,police\n"  # 5: a sector with no organisation
        "training,E,2024-01-01,Somewhere,health\n"  # 6: no such sector name
        "training,F,2024-01-01,NP,police;\n",  # 7: fine: a trailing ';' is no second sector
    )
    reasons = {(p.line, p.column): p.message for p in problems}
    assert reasons == {
        (2, "sector"): "organisation 'Riverside Housing' is new: give its sector "
        "(in the same position)",
        (3, "sector"): "unknown sector 'space'",
        (4, "sector"): "2 sectors given for 1 organisation (one sector per organisation, "
        "in the same order)",
        (5, "sector"): "1 sector given for 0 organisations (one sector per organisation, "
        "in the same order)",
        (6, "sector"): "unknown sector 'health'",
    }


def test_same_new_organisation_on_two_rows_with_conflicting_sectors(known: AppServices) -> None:
    before = snapshot(known)
    problems = refused(
        known,
        "type,title,start,organisation,sector\n"
        "training,A,2024-01-01,Riverside Housing,housing-associations\n"
        "training,B,2024-01-02,riverside housing,Police\n",
    )
    (problem,) = problems
    assert (problem.line, problem.column) == (3, "sector")
    assert "'riverside housing' was given sector 'Housing associations' on an earlier row" in (
        problem.message
    )
    assert snapshot(known) == before


def test_same_new_organisation_on_two_rows_is_created_once(known: AppServices) -> None:
    result = run(
        known,
        "type,title,start,organisation,sector\n"
        "training,A,2024-01-01,Riverside Housing,housing-associations\n"
        "training,B,2024-01-02,RIVERSIDE HOUSING,RSL\n"  # the same sector, by an alias
        "training,C,2024-01-03,riverside housing,\n",
    )
    assert result.organisations_created == 1
    assert {r.organisation_names for r in known.activities.rows()} == {("Riverside Housing",)}


def test_extra_sectors_by_id_label_or_alias(services: AppServices) -> None:
    run(
        services,
        "type,title,start,extra_sectors\n"
        'training,A,2024-01-01,"GP; Mental health trusts ;fire-rescue;;GP"\n',
    )
    assert services.activities.list_all()[0].extra_sector_ids == (
        "primary-care",
        "mental-health-trusts",
        "fire-rescue",
    )
    problems = refused(
        services, 'type,title,start,extra_sectors\ntraining,B,2024-01-01,"nhs;Narnia"\n'
    )
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, "extra_sectors", "unknown sector 'Narnia'")
    ]


# --- contacts --------------------------------------------------------------------------------


def test_contacts_are_matched_by_name_or_created_once(known: AppServices) -> None:
    result = run(
        known,
        "type,title,start,contacts\n"
        'training,A,2024-01-01,"łukasz  NOWAK;Priya Shah"\n'
        "training,B,2024-01-02,priya shah\n",
    )
    assert result.contacts_created == 1
    contacts = {c.name: c.id for c in known.contacts.list_all()}
    assert set(contacts) == {"Łukasz Nowak", "Priya Shah"}
    links = {a.title: a.contact_ids for a in known.activities.list_all()}
    assert links == {
        "A": (contacts["Łukasz Nowak"], contacts["Priya Shah"]),
        "B": (contacts["Priya Shah"],),
    }


def test_contact_names_are_unique_so_a_name_in_the_file_means_one_contact(
    known: AppServices,
) -> None:
    sam = known.contacts.create(Contact("Sam Lee"))
    with pytest.raises(InvalidInput, match="you already have a contact called “Sam Lee”"):
        known.contacts.create(Contact("sam  LEE"))
    result = run(known, "type,title,start,contacts\ntraining,A,2024-01-01,SAM lee\n")
    assert result.contacts_created == 0
    assert [a.contact_ids for a in known.activities.list_all()] == [(sam.id,)]


# --- the template ----------------------------------------------------------------------------


def test_the_template_imports_cleanly_into_a_database_with_a_profile(
    with_profile: AppServices, tmp_path: Path
) -> None:
    path = tmp_path / "template.csv"
    with_profile.csv_export.write_template(path)
    assert path.read_bytes() == CsvExportService.template().encode("utf-8-sig")
    result = with_profile.csv_import.import_file(path)
    assert result == ImportResult(
        activities=2, organisations_created=2, contacts_created=1, created=2
    )
    rows = {r.activity.type: r for r in with_profile.activities.rows()}
    assert rows[ActivityType.PEER_EVENT].organisation_names == (
        "Northshire Police",
        "Northshire Council",  # the profile's home organisation, matched, not duplicated
    )
    assert rows[ActivityType.PEER_EVENT].activity.start == date(2026, 5, 12)
    assert rows[ActivityType.SHADOWING].contact_names == ("Siân Jones",)
    assert org_sectors(with_profile) == {
        "Northshire Community Health": "community-trusts",
        "Northshire Council": "adult-social-care",
        "Northshire Police": "police",
    }


# --- the command line ------------------------------------------------------------------------


def test_cli_import_reports_every_problem_on_stderr_and_returns_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], set_up_paths: Callable[[Path], AppPaths]
) -> None:
    data = set_up_paths(tmp_path / "cli-data").data_dir
    good = tmp_path / "good.csv"
    good.write_text("type,title,start\ntraining,Kept,2024-01-01\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "import-csv", str(good)]) == 0
    assert capsys.readouterr().out == (
        "Imported 1 activity: 1 new, 0 updated, 0 unchanged "
        "(0 new organisations, 0 new contacts).\n"
    )

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "type,title,start,hours,description\n"
        'training,Fine,2024-01-01,,"two\nlines"\n'
        "training,,2024-01-01,,\n"
        "nonsense,Bad,2024-01-01,,\n"
        "training,Worse,31/02/2024,many,\n",
        encoding="utf-8",
    )
    assert main(["--data-dir", str(data), "import-csv", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith(f"portfolio-app: {bad}: nothing was imported; 4 problems to fix:")
    for expected in (
        "line 4, column 'title': is required",
        "line 5, column 'type': unknown activity type 'nonsense'",
        "line 6, column 'start': '31/02/2024': February 2024 has no day 31",
        "line 6, column 'hours': 'many' is not a number of hours",
    ):
        assert expected in err

    assert main(["--data-dir", str(data), "list", "activities", "--json"]) == 0
    assert '"title": "Kept"' in capsys.readouterr().out
    assert main(["--data-dir", str(data), "export-csv", "--out", str(tmp_path / "o.csv")]) == 0
    assert (tmp_path / "o.csv").read_bytes().count(b"\r\n") == 2


@pytest.mark.parametrize("target", ["missing.csv", "."])
def test_cli_import_of_an_unreadable_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, paths: AppPaths
) -> None:
    path = tmp_path / target
    assert main(["--data-dir", str(paths.data_dir), "import-csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"portfolio-app: {path}: cannot read the file")


def test_cli_import_of_a_binary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["--data-dir", str(paths.data_dir), "import-csv", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "line 1: the file is text in a Windows code page or another encoding, not UTF-8" in err


# --- progress and cancel (the desktop app imports in the background) --------------------------


def test_progress_is_reported_and_a_cancel_leaves_everything_as_it_was(
    services: AppServices,
) -> None:
    text = "type,title,start\n" + "".join(f"training,Row {i},2024-01-01\n" for i in range(250))
    reports: list[tuple[int, int]] = []
    result = services.csv_import.import_bytes(
        text.encode(),
        progress=Progress(on_report=lambda done, total: reports.append((done, total))),
    )
    assert result.activities == 250
    assert reports == [(100, 252), (200, 252)]

    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        services.csv_import.import_bytes(text.replace("Row", "Again").encode(), progress=cancelled)
    assert services.activities.count() == 250


def test_a_file_over_the_size_limit_is_refused_before_reading(
    services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_import, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "big.csv"
    path.write_bytes(b"type,title,start\n" + b"training,A,2024-01-01\n" * 100_000)
    with pytest.raises(CsvImportError) as caught:
        services.csv_import.import_file(path)
    (problem,) = caught.value.problems
    assert problem.line == 0
    assert str(problem) == "the file is too large (2,200,017 bytes; the limit is 2 MB)"
    assert services.activities.count() == 0
