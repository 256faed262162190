"""LinkedIn connections in: Connections.csv as LinkedIn writes it (notes first, quoted commas,
empty companies, names in any script), all or nothing, and never twice."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from cli_support import run
from portfolio_app.domain.records import Contact, ContactRole, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, linkedin_file, linkedin_import, open_services
from portfolio_app.services.errors import ServiceError
from portfolio_app.services.linkedin_file import (
    LinkedInFileError,
    parse_connections,
    read_connected_on,
    url_key,
)
from portfolio_app.services.linkedin_import import LinkedInNeedsSectors
from portfolio_app.storage.tables import ContactRow
from portfolio_app.taxonomy import load_default_taxonomy
from portfolio_app.taxonomy.sector_guess import guess_sector

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = (
    "Łukasz,Wiśniewski,https://www.linkedin.com/in/lukasz-w,,Northshire Police,"
    "Inspector,12 Mar 2024\n"
    'Zoë,Smith,https://www.linkedin.com/in/zoe-smith,zoe@example.org,"Care Homes, North & '
    'South Ltd","Manager, nights",01 Jan 2025\n'
    "Siân,Evans,https://www.linkedin.com/in/sian,,,Freelance trainer,05 Feb 2023\n"
    "小明,王,https://www.linkedin.com/in/wang-xiaoming,,Northshire Police,Analyst,"
    "30 Sep 2022\n"
    "محمد,العلي,https://www.linkedin.com/in/m-alali,,Acme Widgets,Engineer,14 Aug 2021\n"
    ",,https://www.linkedin.com/in/hidden-member,,,,04 Jan 2024\n"
)
EXPORT = "\ufeff" + PREAMBLE + HEADER + ROWS  # LinkedIn's file starts with a BOM
PEOPLE = 5
SECTORS = {"Northshire Police": "police", "Care Homes, North & South Ltd": "care homes"}


def write(tmp_path: Path, text: str, name: str = "Connections.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def counts(services: AppServices) -> tuple[int, int]:
    return len(services.contacts.list_all()), len(services.organisations.list_all())


def contact_named(services: AppServices, name: str) -> Contact:
    return next(c for c in services.contacts.list_all() if c.name == name)


# -- the file -------------------------------------------------------------------------------


def test_the_export_is_read_with_its_notes_bom_quotes_and_scripts() -> None:
    parsed = parse_connections(EXPORT.encode("utf-8"))
    names = [c.name for c in parsed.connections]
    assert names == ["Łukasz Wiśniewski", "Zoë Smith", "Siân Evans", "小明 王", "محمد العلي"]
    zoe = parsed.connections[1]
    assert zoe.company == "Care Homes, North & South Ltd"
    assert zoe.position == "Manager, nights"
    assert zoe.email == "zoe@example.org"
    assert zoe.connected_on == date(2025, 1, 1)
    assert zoe.line == 6  # physical lines: the notes paragraph is one line, then a blank one
    assert parsed.connections[2].company == ""
    assert parsed.nameless == (10,)


def test_a_file_without_the_notes_or_the_url_column_is_read_too() -> None:
    old_export = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Zoë,Smith,,Acme,Manager,01 Jan 2019\n"
    )
    [zoe] = parse_connections(old_export.encode("utf-8")).connections
    assert (zoe.name, zoe.url, zoe.company) == ("Zoë Smith", "", "Acme")


def test_dates_are_read_as_linkedin_writes_them() -> None:
    assert read_connected_on("05 Feb 2023") == date(2023, 2, 5)
    assert read_connected_on("5 September 2023") == date(2023, 9, 5)
    assert read_connected_on("2023-02-05") == date(2023, 2, 5)
    assert read_connected_on("  ") is None
    with pytest.raises(ValueError, match="31 Feb 2023"):
        read_connected_on("31 Feb 2023")
    with pytest.raises(ValueError, match="as LinkedIn writes it"):
        read_connected_on("03/04/2023")  # a spreadsheet's re-save: which order?


def test_profile_addresses_are_compared_loosely() -> None:
    assert url_key("https://www.linkedin.com/in/Zoe/") == url_key("http://linkedin.com/in/zoe")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("type,title,start\nshadowing,Ward,2026-01-02\n", 1, "import-csv"),
        ("name,phone\nZoë,0123\n", 1, "not a LinkedIn connections export"),
        (PREAMBLE + "Vorname,Nachname\n", 1, "not a LinkedIn connections export"),
        ("", 1, "empty"),
        (PREAMBLE + HEADER, 5, "no connections"),
        (PREAMBLE + "First Name,Last Name,URL\nZoë,Smith,x\n", 4, "'Company'"),
        (PREAMBLE + HEADER + "Zoë,Smith,,,Acme,Manager,31/12/2024\n", 5, "Connected On"),
        (PREAMBLE + HEADER + "Zoë,Smith,,,Acme, Inc,Manager,01 Jan 2024\n", 5, "8 cells"),
        (PREAMBLE + HEADER + 'Zoë,Smith,,,"Acme,Manager,01 Jan 2024\n', 5, "never closed"),
    ],
)
def test_a_file_that_is_not_a_good_export_is_refused_naming_the_line(
    text: str, line: int, words: str
) -> None:
    with pytest.raises(LinkedInFileError) as caught:
        parse_connections(text.encode("utf-8"), "Connections.csv")
    [problem] = caught.value.problems
    assert problem.line == line, problem
    assert words in str(problem)
    assert "nothing was imported" in str(caught.value)


def test_every_bad_row_is_named_at_once() -> None:
    text = PREAMBLE + HEADER + "A,B,,,X,Y,99 Foo 2024\nC,D,,,X,Y,1 Jan 2024\nE,F,,,X,Y,bad\n"
    with pytest.raises(LinkedInFileError) as caught:
        parse_connections(text.encode("utf-8"))
    assert [p.line for p in caught.value.problems] == [5, 7]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_linkedins_whole_archive_is_read_for_the_connections_inside() -> None:
    archive = _zip({"Profile.csv": b"x", "Connections.csv": EXPORT.encode("utf-8")})
    parsed = parse_connections(archive, "Basic_LinkedInDataExport.zip")
    assert len(parsed.connections) == PEOPLE
    assert parsed.source == "Basic_LinkedInDataExport.zip → Connections.csv"


def test_spreadsheets_and_other_encodings_are_refused_clearly() -> None:
    workbook = _zip({"xl/workbook.xml": b"<workbook/>"})
    for archive in (workbook, _zip({"Messages.csv": b"x"}), b"PK\x03\x04broken"):
        with pytest.raises(LinkedInFileError, match="a ZIP archive or a spreadsheet"):
            parse_connections(archive)
    with pytest.raises(LinkedInFileError, match="UTF-16"):
        parse_connections(EXPORT.encode("utf-16"))
    latin1 = (HEADER + "Zoë,Smith,,,Acme,Manager,01 Jan 2024\n").encode("cp1252")
    with pytest.raises(LinkedInFileError, match="line 2: the file is not UTF-8"):
        parse_connections(latin1)


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_a_pipe_or_a_folder_is_refused_without_reading(
    services: AppServices, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ServiceError, match="named pipe"):
        services.linkedin_import.read_file(fifo)  # would block forever if it were read
    with pytest.raises(ServiceError, match="it is a folder"):
        services.linkedin_import.read_file(tmp_path)
    with pytest.raises(ServiceError, match="no such file"):
        services.linkedin_import.read_file(tmp_path / "missing.csv")


def test_a_file_over_the_limit_is_refused_without_reading(
    services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linkedin_file, "MAX_FILE_BYTES", 100)
    with pytest.raises(ServiceError, match="too large"):
        services.linkedin_import.read_file(write(tmp_path, EXPORT))
    with pytest.raises(LinkedInFileError, match="too large"):
        parse_connections(_zip({"Connections.csv": EXPORT.encode("utf-8")}))


def test_sector_guesses_come_from_the_taxonomys_labels_and_aliases() -> None:
    taxonomy = load_default_taxonomy()
    assert guess_sector(taxonomy, "Northshire County Council") == "local-government"
    assert guess_sector(taxonomy, "Leeds Teaching Hospitals NHS Trust") == "acute-trusts"
    assert guess_sector(taxonomy, "Northshire Fire and Rescue Service") == "fire-rescue"
    assert guess_sector(taxonomy, "Care Homes, North & South Ltd") == "care-homes"
    assert guess_sector(taxonomy, "St Mary's GP Surgery") == "primary-care"
    assert guess_sector(taxonomy, "La Belle Époque") is None  # 'LA' only in capitals
    assert guess_sector(taxonomy, "Acme Widgets") is None
    assert guess_sector(taxonomy, "北京大学") is None


# -- the import -----------------------------------------------------------------------------


def test_connections_become_contacts_with_a_dated_role(
    services: AppServices, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    result = services.linkedin_import.import_file(
        path, {**SECTORS, "acme  WIDGETS": "voluntary-community"}
    )
    assert (result.new, result.already_there, result.organisations_created) == (PEOPLE, 0, 3)
    assert result.nameless == 1
    assert result.summary().startswith("5 new, 0 already there")
    organisations = {o.name: o for o in services.organisations.list_all()}
    assert organisations["Northshire Police"].sector_id == "police"
    assert organisations["Care Homes, North & South Ltd"].sector_id == "care-homes"
    assert organisations["Acme Widgets"].sector_id == "voluntary-community"
    lukasz = contact_named(services, "Łukasz Wiśniewski")
    police = organisations["Northshire Police"].id
    assert lukasz.roles == (ContactRole(police or 0, "Inspector", date(2024, 3, 12)),)
    assert "LinkedIn: https://www.linkedin.com/in/lukasz-w" in lukasz.notes
    zoe = contact_named(services, "Zoë Smith")
    assert zoe.roles[0].job_title == "Manager, nights"
    assert "Email: zoe@example.org" in zoe.notes
    sian = contact_named(services, "Siân Evans")  # no company: no role, the position noted
    assert sian.roles == ()
    assert "Freelance trainer" in sian.notes
    assert contact_named(services, "小明 王").roles[0].organisation_id == police
    assert contact_named(services, "محمد العلي").roles[0].job_title == "Engineer"


def test_importing_the_same_file_again_adds_nothing(services: AppServices, tmp_path: Path) -> None:
    path = write(tmp_path, EXPORT)
    importer = services.linkedin_import
    importer.import_file(path, SECTORS, use_guesses=True, skip_unplaced=True)
    before = counts(services)
    again = importer.import_file(path, SECTORS, use_guesses=True, skip_unplaced=True)
    assert (again.new, again.organisations_created) == (0, 0)
    assert again.already_there == PEOPLE - 1  # Acme Widgets had no sector: still left out
    assert again.skipped_unplaced == 1
    assert counts(services) == before
    preview = importer.preview(importer.read_file(path))
    assert [n.connection.name for n in preview.new_contacts] == ["محمد العلي"]
    last = importer.import_file(path, {"Acme Widgets": "voluntary-community"})
    assert (
        last.summary() == "1 new, 4 already there; 1 new organisation; 1 row without a name skipped"
    )
    assert importer.import_file(path).summary().startswith("0 new, 5 already there")


def test_a_renamed_contact_is_still_recognised_by_its_linkedin_address(
    services: AppServices, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    services.linkedin_import.import_file(path, SECTORS, use_guesses=True, skip_unplaced=True)
    lukasz = contact_named(services, "Łukasz Wiśniewski")
    services.contacts.update(Contact("Łukasz W. (police)", lukasz.notes, lukasz.roles, lukasz.id))
    again = services.linkedin_import.import_file(path, SECTORS, skip_unplaced=True)
    assert again.new == 0
    assert not any(c.name == "Łukasz Wiśniewski" for c in services.contacts.list_all())


def test_a_namesake_elsewhere_is_a_new_contact_and_existing_ones_are_left_alone(
    services: AppServices, tmp_path: Path
) -> None:
    council = services.organisations.create(Organisation("Northshire Council", "local-government"))
    assert council.id is not None
    mine = services.contacts.create(
        Contact("Zoë Smith", "met at the hub", (ContactRole(council.id, "Commissioner"),))
    )
    same = services.contacts.create(Contact("Siân Evans", "typed by hand"))
    path = write(tmp_path, EXPORT)
    result = services.linkedin_import.import_file(
        path, SECTORS, use_guesses=True, skip_unplaced=True
    )
    assert result.already_there == 1  # Siân Evans: no company, and the contact has no role
    assert services.contacts.get(mine.id or 0) == mine
    assert services.contacts.get(same.id or 0) == same
    other = contact_named(services, "Zoë Smith (Care Homes, North & South Ltd)")
    assert other.roles[0].job_title == "Manager, nights"
    again = services.linkedin_import.import_file(path, SECTORS, skip_unplaced=True)
    assert again.new == 0


def test_a_company_matches_an_organisation_by_its_alias(
    services: AppServices, tmp_path: Path
) -> None:
    services.organisations.create(
        Organisation("Northshire Constabulary", "police", ("Northshire Police",))
    )
    path = write(tmp_path, EXPORT)
    preview = services.linkedin_import.preview(services.linkedin_import.read_file(path))
    assert "Northshire Police" not in {o.name for o in preview.new_organisations}
    services.linkedin_import.import_file(path, use_guesses=True, skip_unplaced=True)
    assert [o.name for o in services.organisations.list_all()].count("Northshire Police") == 0


def test_new_organisations_without_a_sector_stop_the_import(
    services: AppServices, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    with pytest.raises(LinkedInNeedsSectors) as caught:
        services.linkedin_import.import_file(path, {"Northshire Police": "police"})
    assert counts(services) == (0, 0)
    guesses = {o.name: o.guess for o in caught.value.organisations}
    assert guesses == {"Care Homes, North & South Ltd": "care-homes", "Acme Widgets": None}
    message = str(caught.value)
    assert "nothing was imported yet" in message
    assert (
        "'Care Homes, North & South Ltd' (1 connection): probably 'Care providers → Care homes'"
        in message
    )
    assert "'Acme Widgets' (1 connection): no guess" in message


def test_guesses_place_what_they_can_and_the_rest_can_wait(
    services: AppServices, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    with pytest.raises(LinkedInNeedsSectors):
        services.linkedin_import.import_file(path, use_guesses=True)  # Acme has no guess
    assert counts(services) == (0, 0)
    result = services.linkedin_import.import_file(path, use_guesses=True, skip_unplaced=True)
    assert (result.new, result.skipped_unplaced) == (PEOPLE - 1, 1)
    assert {o.name for o in services.organisations.list_all()} == {
        "Northshire Police",
        "Care Homes, North & South Ltd",
    }


def test_sectors_given_for_unknown_companies_or_sectors_are_refused(
    services: AppServices, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    with pytest.raises(ServiceError) as caught:
        services.linkedin_import.import_file(
            path, {"Northshire Polize": "police", "Acme Widgets": "widgetry"}
        )
    message = str(caught.value)
    assert "no connection in the file works at 'Northshire Polize'" in message
    assert "unknown sector 'widgetry'" in message
    assert counts(services) == (0, 0)


def test_a_failure_halfway_leaves_nothing_stored(
    services: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fill = linkedin_import.fill_contact
    calls: list[str] = []

    def failing_fill(row: ContactRow, contact: Contact) -> None:
        calls.append(contact.name)
        if len(calls) == 3:
            raise ServiceError("the disk is full")
        real_fill(row, contact)

    monkeypatch.setattr(linkedin_import, "fill_contact", failing_fill)
    path = write(tmp_path, EXPORT)
    with pytest.raises(ServiceError, match="disk is full"):
        services.linkedin_import.import_file(path, SECTORS, use_guesses=True, skip_unplaced=True)
    assert len(calls) == 3
    monkeypatch.undo()
    assert counts(services) == (0, 0)  # the two contacts and the organisations went back too


def test_connections_alone_never_change_the_score(services: AppServices, tmp_path: Path) -> None:
    from portfolio_app.report import build_report, load_report_inputs
    from portfolio_app.services.sample_data import populate_demo

    today = date(2026, 11, 1)
    populate_demo(services, today)

    def score() -> tuple[float, dict[str, object]]:
        report = build_report(load_report_inputs(services), as_of=today, trend=())
        return report.result.score, report.to_dict()  # to the last bit, and every sector

    before = score()
    assert before[0] > 0
    people = {c.name: c for c in services.contacts.list_all()}
    demo = next(c for c in people.values() if c.roles)  # a demo contact met at activities
    rows = "".join(
        f"{first},{last},https://www.linkedin.com/in/p{n},,{company},Lead,01 Jan 2015\n"
        for n, (first, last, company) in enumerate(
            [
                (*demo.name.split(" ", 1), "Northshire Fire and Rescue Service"),
                ("Łukasz", "Nowak", "Northshire County Council"),
                ("Zoë", "Brown", "Northshire Police"),
            ]
        )
    )
    path = write(tmp_path, PREAMBLE + HEADER + rows)
    result = services.linkedin_import.import_file(path, use_guesses=True)
    assert result.new == 3
    assert len(services.contacts.list_all()) == len(people) + 3
    assert services.contacts.get(demo.id or 0) == demo
    assert score() == before


# -- the command ----------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(paths.data_dir), *argv)


def _stored(paths: AppPaths, data_key: bytes) -> tuple[int, int]:
    services = open_services(paths, key=data_key)
    try:
        return counts(services)
    finally:
        services.close()


def test_the_command_lists_what_needs_a_sector_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    code, out, err = _cli(capsys, paths, "import-linkedin", str(path))
    assert code == 1
    assert out == ""
    assert "3 new organisations (4 connections) need a sector" in err
    assert "'Northshire Police' (2 connections): probably 'Police'" in err
    assert "'Acme Widgets' (1 connection): no guess" in err
    assert '--sector "NAME=SECTOR"' in err and "--use-guesses" in err
    assert "Traceback" not in err
    assert _stored(paths, data_key) == (0, 0)


def test_the_command_imports_once_and_then_finds_everyone_there(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    argv = ["import-linkedin", str(path), "--use-guesses", "--sector", "Acme Widgets=charity"]
    code, out, err = _cli(capsys, paths, *argv)
    assert (code, err) == (0, "")
    assert out == (
        "LinkedIn connections: 5 new, 0 already there; 3 new organisations; "
        "1 row without a name skipped.\n"
    )
    assert _stored(paths, data_key) == (5, 3)
    code, out, err = _cli(capsys, paths, *argv)
    assert (code, err) == (0, "")
    assert out.startswith("LinkedIn connections: 0 new, 5 already there;")
    assert _stored(paths, data_key) == (5, 3)


def test_the_command_can_leave_unplaced_connections_for_later_and_preview(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, data_key: bytes, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    code, out, _err = _cli(capsys, paths, "import-linkedin", str(path), "--dry-run")
    assert code == 0
    assert out.startswith("5 new, 0 already there (nothing was imported: --dry-run)\n")
    assert "new organisation 'Acme Widgets' (1 connection): no guess" in out
    assert _stored(paths, data_key) == (0, 0)
    code, out, _err = _cli(
        capsys,
        paths,
        "import-linkedin",
        str(path),
        "--sector",
        "northshire police=police",
        "--skip-unplaced",
    )
    assert code == 0
    assert "3 new, 0 already there; 1 new organisation; 2 connections left out" in out
    assert _stored(paths, data_key) == (3, 1)  # the police's two, and Siân (no company)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("type,title,start\nshadowing,Ward,2026-01-02\n", "line 1: this is a CSV of activities"),
        (
            PREAMBLE + HEADER + "Zoë,Smith,,,Acme,Manager,31/12/2024\n",
            "line 5, column 'Connected On'",
        ),
    ],
)
def test_the_command_refuses_a_bad_file_naming_the_line(
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    data_key: bytes,
    tmp_path: Path,
    text: str,
    starts: str,
) -> None:
    code, out, err = _cli(capsys, paths, "import-linkedin", str(write(tmp_path, text)))
    assert (code, out) == (1, "")
    assert err.startswith("portfolio-app: ")
    assert f"  {starts}" in err
    assert "Traceback" not in err and "internal error" not in err
    assert _stored(paths, data_key) == (0, 0)


def test_a_malformed_sector_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, tmp_path: Path
) -> None:
    path = write(tmp_path, EXPORT)
    with pytest.raises(SystemExit) as caught:
        _cli(capsys, paths, "import-linkedin", str(path), "--sector", "police")
    assert caught.value.code == 2
    assert "write NAME=SECTOR" in capsys.readouterr().err
