"""Exporting activities to CSV: safe to open in a spreadsheet, and lossless back through import."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio_app.cli.main import main
from portfolio_app.domain.enums import ActivityType, Status, Visibility
from portfolio_app.domain.hours import MAX_HOURS, parse_hours
from portfolio_app.domain.records import Activity, Contact, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.services import AppServices, open_services
from portfolio_app.services import csv_format as fmt
from portfolio_app.services.csv_export import CsvExportService

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# The fixtures are not touched inside these property tests, so sharing them is harmless.
PURE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # count: the profile


def read_export(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


Record = tuple[object, ...]


def records(services: AppServices) -> list[Record]:
    """Each activity as the user sees it: names rather than ids, which differ between databases."""
    organisations = {o.id: o for o in services.organisations.list_all()}
    out: list[Record] = []
    for row in services.activities.rows():
        a = row.activity
        out.append(
            (
                a.type,
                a.title,
                a.start,
                a.end,
                a.hours,
                tuple(
                    (organisations[i].name, organisations[i].sector_id) for i in a.organisation_ids
                ),
                a.extra_sector_ids,
                row.contact_names,
                a.description,
                a.visibility,
                a.status,
            )
        )
    return sorted(out, key=repr)


def add(services: AppServices, title: str, kind: str = "training", **fields: Any) -> Activity:
    activity = Activity(type=ActivityType(kind), title=title, start=date(2024, 1, 1))
    return services.activities.create(replace(activity, **fields))


# --- injection -------------------------------------------------------------------------------


def test_cells_a_spreadsheet_could_run_get_a_leading_apostrophe(
    with_profile: AppServices, tmp_path: Path
) -> None:
    s = with_profile
    evil_org = s.organisations.create(Organisation('=HYPERLINK("http://x","click")', "police"))
    plain_org = s.organisations.create(Organisation("Plain Org", "nhs"))
    contact = s.contacts.create(Contact("@mention"))
    assert evil_org.id and plain_org.id and contact.id
    add(s, "=1+1", description="\tindented", start=date(2024, 1, 6))
    add(s, "+44 20 7946 0000", description="\rcarriage return", start=date(2024, 1, 5))
    add(s, "-minus", description="'=already quoted", start=date(2024, 1, 4))
    add(
        s,
        "@SUM(A1)",
        description="-",
        organisation_ids=(evil_org.id, plain_org.id),
        contact_ids=(contact.id,),
        start=date(2024, 1, 3),
    )
    add(s, "Plain title", description="a = b", organisation_ids=(plain_org.id, evil_org.id))

    path = tmp_path / "out.csv"
    assert s.csv_export.export_activities(path) == 5
    header, *rows = read_export(path)
    assert header == list(fmt.COLUMNS)
    for row in rows:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell
    cells = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(c["title"], c["description"]) for c in cells] == [
        ("'=1+1", "'\tindented"),
        ("'+44 20 7946 0000", "'\rcarriage return"),
        ("'-minus", "''=already quoted"),
        ("'@SUM(A1)", "'-"),
        ("Plain title", "a = b"),
    ]
    assert cells[3]["organisation"] == """'=HYPERLINK("http://x","click");Plain Org"""
    assert cells[3]["contacts"] == "'@mention"
    assert cells[4]["organisation"] == """Plain Org;=HYPERLINK("http://x","click")"""


@given(st.text())
@PURE
def test_neutralise_is_safe_and_undone_exactly(cell: str) -> None:
    safe = fmt.neutralise(cell)
    assert not safe.startswith(DANGEROUS)
    assert fmt.unneutralise(safe) == cell
    assert safe == cell or safe == "'" + cell


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=A1", "'=A1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=A1", "''=A1"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        (" =A1", " =A1"),
        ("", ""),
    ],
)
def test_neutralise_examples(cell: str, safe: str) -> None:
    assert fmt.neutralise(cell) == safe
    assert fmt.unneutralise(safe) == cell


def test_the_template_is_neutralised_and_has_every_column() -> None:
    header, *rows = list(csv.reader(io.StringIO(CsvExportService.template(), newline="")))
    assert header == list(fmt.COLUMNS)
    assert len(rows) == 2
    assert all(len(row) == len(header) for row in rows)
    assert not any(cell.startswith(DANGEROUS) for row in rows for cell in row)


# --- hours -----------------------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=MAX_HOURS, allow_nan=False, allow_infinity=False))
@PURE
def test_hours_are_written_so_that_they_read_back_exactly(hours: float) -> None:
    text = fmt.format_hours(hours)
    assert "e" not in text.lower()
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (None, ""),
        (0.0, "0"),
        (7.0, "7"),
        (7.5, "7.5"),
        (1234567.5, "1234567.5"),
        (1e-05, "0.00001"),
        (1.125, "1.1250"),  # "1.125" would read as ambiguous (1125 or 1.125)
        (1234.567, "1234.567"),
    ],
)
def test_hours_format(hours: float | None, text: str) -> None:
    assert fmt.format_hours(hours) == text


# --- the file --------------------------------------------------------------------------------


def test_export_format_order_and_count(with_profile: AppServices, tmp_path: Path) -> None:
    s = with_profile
    home = s.organisations.find_by_name("Northshire Council")
    assert home is not None and home.id is not None
    add(s, "Older", start=date(2023, 1, 1), end=date(2023, 1, 2), hours=3.25)
    add(
        s,
        "Newer",
        kind="peer-event",
        start=date(2024, 9, 1),
        organisation_ids=(home.id,),
        extra_sector_ids=("police", "nhs"),
        visibility=Visibility.SHARED,
        status=Status.PLANNED,
    )
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "activities.csv"
    assert s.csv_export.export_activities(path) == 2
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == 3 and raw.count(b"\n") == 3
    header, *rows = read_export(path)
    ids = [row.pop() for row in rows]  # the last column: each activity's stable id
    assert header[-1] == "id"
    assert all(str(uuid.UUID(i)) == i for i in ids) and len(set(ids)) == 2
    assert [header, *rows] == [
        list(fmt.COLUMNS),
        [
            "peer-event",
            "Newer",
            "2024-09-01",
            "",
            "",
            "Northshire Council",
            "adult-social-care",
            "police;nhs",
            "",
            "",
            "shared",
            "planned",
        ],
        [
            "training",
            "Older",
            "2023-01-01",
            "2023-01-02",
            "3.25",
            "",
            "",
            "",
            "",
            "",
            "private",
            "done",
        ],
    ]
    assert [p.name for p in path.parent.iterdir()] == ["activities.csv"]  # no temp file left


def test_export_of_no_activities_is_a_header(services: AppServices, tmp_path: Path) -> None:
    assert services.csv_export.export_activities(tmp_path / "empty.csv") == 0
    assert read_export(tmp_path / "empty.csv") == [list(fmt.COLUMNS)]


# --- round trip ------------------------------------------------------------------------------


def fill_with_awkward_data(s: AppServices) -> None:
    orgs = [
        s.organisations.create(Organisation(name, sector))
        for name, sector in [
            ("Cymdeithas Tai Siân", "housing-associations"),
            ("Łukasz & Zoë CIC", "voluntary-community"),
            ("=cmd|' /C calc'!A0", "police"),
            ("Northshire ICB", "integrated-care-boards"),
            ('The "Quoted" Trust, Ltd', "acute-trusts"),
        ]
    ]
    people = [
        s.contacts.create(Contact(name))
        for name in ["Siân Jones", "Zoë Ødegård", "@Łukasz", "O'Brien, Pat"]
    ]
    org_ids = [o.id for o in orgs if o.id is not None]
    person_ids = [p.id for p in people if p.id is not None]
    long_text = ('Line one, with a comma; and "quotes".\r\nLine two\n\rthree\r' * 1200)[:50_000]
    for index, kind in enumerate(ActivityType):
        add(
            s,
            [
                "=SUM(A1:A9)",
                "+44 20",
                "-dash",
                "@at",
                "'=quoted",
                "Siân's day",
                "Plain",
                "x" * 300,
                "Zoë",
            ][index],
            kind=kind.value,
            # All in the past: a done activity cannot end in the future.
            start=date(2010 + index, 1 + index, 1 + index),
            end=date(2010 + index, 12, 31) if index % 2 else None,
            hours=[None, 0.0, 7.5, 12345.25, 0.1, 1 / 3, 40.0, 2.5, 1e-05][index],
            organisation_ids=tuple(org_ids[index % 5 :] + org_ids[: index % 3]),
            extra_sector_ids=("police", "fire-rescue")[: index % 3],
            contact_ids=tuple(person_ids[: index % 5]),
            description=[
                "",
                long_text,
                "\ttab first",
                "\rcr first",
                "  spaces kept  ",
                "-",
                "é\n",
                "'",
                "'-x",
            ][index],
            visibility=Visibility.SHARED if index % 3 == 0 else Visibility.PRIVATE,
            status=Status.PLANNED if index % 4 == 0 else Status.DONE,
        )
    add(s, "Same day as another", start=date(2024, 9, 9))
    add(s, "Same day as another", start=date(2024, 9, 9), description="the second one")


def test_export_then_import_into_a_fresh_data_dir_is_lossless(
    with_profile: AppServices, tmp_path: Path, set_up_paths: Callable[[Path], AppPaths]
) -> None:
    fill_with_awkward_data(with_profile)
    path = tmp_path / "portfolio.csv"
    count = with_profile.csv_export.export_activities(path)
    assert count == len(ActivityType) + 2

    fresh = open_services(set_up_paths(tmp_path / "fresh"))
    try:
        result = fresh.csv_import.import_file(path)
        assert result.activities == count
        assert records(fresh) == records(with_profile)
        assert result.organisations_created == 5  # the home organisation is on no activity
        assert result.contacts_created == 4
        # And once more: the fresh database exports exactly the same file.
        again = tmp_path / "again.csv"
        fresh.csv_export.export_activities(again)
        assert again.read_bytes() == path.read_bytes()
    finally:
        fresh.close()


# --- the command line ------------------------------------------------------------------------


def test_cli_export_and_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], set_up_paths: Callable[[Path], AppPaths]
) -> None:
    data = set_up_paths(tmp_path / "data").data_dir
    template = tmp_path / "template.csv"
    # A template needs no data: it works where nothing is set up, and sets nothing up.
    assert main(["csv-template", "--out", str(template)]) == 0
    assert not AppPaths.resolve().key_file.exists()
    assert main(["--data-dir", str(data), "import-csv", str(template)]) == 0
    out = tmp_path / "out.csv"
    assert main(["--data-dir", str(data), "export-csv", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"Exported 2 activities to {out}."
    titles = [row[1] for row in read_export(out)[1:]]
    assert titles == [
        "Example (delete this row): multi-agency safeguarding learning day",
        "Example (delete this row): shadowed a district nurse",
    ]


def test_cli_export_to_an_impossible_place_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], set_up_paths: Callable[[Path], AppPaths]
) -> None:
    data = set_up_paths(tmp_path / "d").data_dir
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "out.csv"
    assert main(["--data-dir", str(data), "export-csv", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"portfolio-app: cannot write {target}:")
    assert err.count("\n") == 1
    assert not target.exists()


def test_written_files_are_owner_only_and_folders_are_not_invented(
    with_profile: AppServices, tmp_path: Path
) -> None:
    """An export holds the user's entries and other people's names: a new file is owner-only,
    a file it replaces keeps the mode the user gave it; a mistyped folder is an error, not a new
    folder."""
    import stat

    from portfolio_app.services.errors import ServiceError

    target = tmp_path / "out.csv"
    with_profile.csv_export.export_activities(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)
    with_profile.csv_export.export_activities(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    with pytest.raises(ServiceError, match="the folder does not exist"):
        with_profile.csv_export.export_activities(tmp_path / "no-such-folder" / "out.csv")
    assert not (tmp_path / "no-such-folder").exists()
