"""The score's plain reading (services/score_inputs.py) equals the services' lists, and
`current_report_inputs` reads again after our own writes and after another connection's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from portfolio_app.domain.enums import ActivityType, Status
from portfolio_app.domain.records import Activity, Contact, ContactRole, Goal, Organisation
from portfolio_app.paths import AppPaths
from portfolio_app.report import current_report_inputs, load_report_inputs
from portfolio_app.report.inputs import load_report_inputs_from_lists
from portfolio_app.services import AppServices, open_services
from portfolio_app.storage.database import Database
from test_damaged_rows import _write_raw  # SQL past the CHECKs, as another program


def _fill(services: AppServices) -> dict[str, int]:
    services.profile.set_up(
        name="Siân Jones",
        role="Social worker",
        organisation="Northshire",
        sector="adult-social-care",
    )
    org = services.organisations.create(Organisation("Łukasz Trust", "nhs", ("ŁT",)))
    police = services.organisations.create(Organisation("Zoë Police", "police"))
    bad_org = services.organisations.create(Organisation("Bad org", "education"))
    zoe = services.contacts.create(
        Contact("Zoë Adams", roles=(ContactRole(police.id or 0, "Inspector", date(2024, 1, 1)),))
    )
    bad_contact = services.contacts.create(
        Contact("Bad contact", roles=(ContactRole(org.id or 0, "Nurse", None, date(2030, 1, 1)),))
    )
    ids: dict[str, int] = {"org": org.id or 0, "bad_org": bad_org.id or 0}
    for n, (title, day) in enumerate((("Siân's secondment 🌍", 3), ("Bad activity", 4))):
        made = services.activities.create(
            Activity(
                ActivityType.SECONDMENT if n else ActivityType.SHADOWING,
                title,
                date(2025, 3, day),
                end=date(2025, 4, day),
                organisation_ids=(org.id or 0, bad_org.id or 0),
                extra_sector_ids=("police",),
                contact_ids=(zoe.id or 0, bad_contact.id or 0),
            )
        )
        ids[f"act{n}"] = made.id or 0
    services.activities.create(
        Activity(ActivityType.PEER_EVENT, "Planned: Zoë", date(2027, 1, 1), status=Status.PLANNED)
    )
    services.goals.create(Goal("Reach the police", ("police",), date(2027, 3, 31)))
    ids["bad_contact"] = bad_contact.id or 0
    return ids


def test_the_plain_reading_equals_the_lists_with_damaged_rows_left_out(
    paths: AppPaths, data_key: bytes
) -> None:
    services = open_services(paths)
    try:
        ids = _fill(services)
        # A retired (unknown) sector on an organisation is read as stored, by both paths.
        _write_raw(
            paths,
            data_key,
            f"UPDATE organisations SET sector_id = 'retired-sector' WHERE id = {ids['org']}",
            f"UPDATE activities SET start_date = '2026-13-45' WHERE id = {ids['act1']}",
            f"UPDATE organisations SET sector_id = '' WHERE id = {ids['bad_org']}",
            "UPDATE contact_roles SET start_date = 'never' "
            f"WHERE contact_id = {ids['bad_contact']}",
        )
    finally:
        services.close()
    services = open_services(paths)
    try:
        fast = load_report_inputs(services)
        slow = load_report_inputs_from_lists(services)
        assert fast == slow
        assert fast.inputs.ids and ids["act1"] not in fast.inputs.ids
        assert ids["act0"] in fast.inputs.ids
        assert ids["bad_contact"] not in fast.inputs.contact_roles
        assert fast.inputs.organisation_sectors.get(ids["org"]) == "retired-sector"
        assert "Siân's secondment 🌍" in fast.inputs.titles
        assert [g.title for g in fast.goals] == ["Reach the police"]
    finally:
        services.close()


def test_the_kept_reading_is_read_again_after_our_writes_and_another_connections(
    paths: AppPaths, data_key: bytes, tmp_path: Path
) -> None:
    services = open_services(paths)
    try:
        _fill(services)
        first = current_report_inputs(services)
        assert current_report_inputs(services) is first  # nothing changed: not read again
        services.activities.create(
            Activity(ActivityType.TRAINING, "Łukasz's visit", date(2025, 5, 1))
        )
        second = current_report_inputs(services)
        assert second is not first
        assert "Łukasz's visit" in second.inputs.titles
        assert current_report_inputs(services) is second
        # Another Database on the same file (as the CLI while the window is open).
        other = Database(paths.database, key=data_key)
        try:
            with other.unit_of_work() as session:
                from portfolio_app.storage import tables as t

                row = session.query(t.ActivityRow).filter_by(title="Łukasz's visit").one()
                row.title = "Zoë's visit"
        finally:
            other.close()
        third = current_report_inputs(services)
        assert third is not second
        assert "Zoë's visit" in third.inputs.titles
        assert "Łukasz's visit" not in third.inputs.titles
    finally:
        services.close()


def test_the_collector_is_paused_while_reading_and_back_on_after_the_last() -> None:
    import gc
    import threading

    from portfolio_app.report.inputs import collector_paused

    assert gc.isenabled()
    inner_done = threading.Event()
    with collector_paused():
        assert not gc.isenabled()

        def other_reading() -> None:
            with collector_paused():
                assert not gc.isenabled()
            inner_done.set()

        worker = threading.Thread(target=other_reading)
        worker.start()
        worker.join()
        assert inner_done.is_set() and not gc.isenabled()  # the outer reading still runs
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    try:
        with collector_paused():
            raise KeyError("a reading that fails")
    except KeyError:
        pass
    assert gc.isenabled()
