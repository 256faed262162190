"""The Leap2A package (`export-leap2a`): an Atom feed Mahara's importer reads (literal prefixes,
`leap2:version`, `rdf:type`, `leap2:date`), every relation and file reference resolving inside
the package, and only what the export rule lets out (tests/test_export_privacy.py's sentinels)."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from cli_support import assert_one_clear_line, run
from pdf_sample import OLD_PRIVATE, PRIVATE_MARKERS, SHARED_MARKERS, Sample, build_sample
from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.evidence import Evidence
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Lesson,
    LessonField,
    Organisation,
)
from portfolio_app.export.leap2a import Leap2AOptions, export_leap2a
from portfolio_app.services import AppServices
from portfolio_app.services.stable_ids import read_stable_ids
from test_export_privacy import CONTENTS, NAMES, build_world

ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
LEAP2 = "{http://terms.leapspecs.org/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
AT = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
OPTIONS = Leap2AOptions(exported_at=AT)
EVERYTHING = Leap2AOptions(include_private=True, exported_at=AT)
AGENDA = "Siân's agenda (v2) – “final”.pdf"
NOTES = 'Zoë: notes? <draft>|"v2".txt'  # characters Windows refuses in file names
ODD_TITLE = 'Zoë & Łukasz <Ψυχή> "שלום" 👩🏽‍⚕️ at the NHS\x0bTrust'
# The free-text fields whose values the package carries (an evidence file's name only if shared).
PACKAGED_TEXT = (
    (Organisation, "name"),
    (Activity, "title"),
    (Activity, "description"),
    (Lesson, "title"),
    (LessonField, "text"),
)
ID = re.compile(r"portfolio:(activity|organisation|lesson|evidence)-[A-Za-z0-9-]+")


@dataclass
class Package:
    """A written zip, opened: its member names, the feed as bytes and parsed, and the files."""

    path: Path
    names: list[str]
    raw: bytes
    feed: ET.Element
    files: dict[str, bytes]

    @property
    def entries(self) -> list[ET.Element]:
        return self.feed.findall(f"{ATOM}entry")

    def entry(self, title: str) -> ET.Element:
        [found] = [e for e in self.entries if e.findtext(f"{ATOM}title") == title]
        return found

    def ids(self) -> set[str]:
        return {e.findtext(f"{ATOM}id", "") for e in self.entries}

    def text(self) -> str:
        """Every member decoded (the feed and each file), for searching."""
        return "\n".join(
            [self.raw.decode("utf-8")] + [d.decode("utf-8", "replace") for d in self.files.values()]
        )


def export(services: AppServices, out: Path, options: Leap2AOptions = OPTIONS) -> Package:
    export_leap2a(services, options, out)
    return read_package(out)


def read_package(path: Path) -> Package:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        raw = archive.read("leap2a.xml")
        files = {n: archive.read(n) for n in names if n != "leap2a.xml"}
    return Package(path, names, raw, ET.fromstring(raw), files)


def rdf_type(entry: ET.Element) -> str:
    [kind] = entry.findall(f"{RDF}type")
    return kind.get(f"{RDF}resource", "")


def links(entry: ET.Element, rel: str | None = None) -> list[str]:
    return [
        link.get("href", "")
        for link in entry.findall(f"{ATOM}link")
        if rel is None or link.get("rel") == rel
    ]


def categories(entry: ET.Element) -> set[tuple[str | None, str]]:
    return {(c.get("scheme"), c.get("term", "")) for c in entry.findall(f"{ATOM}category")}


def dates(entry: ET.Element) -> dict[str, str]:
    return {d.get(f"{LEAP2}point", ""): d.text or "" for d in entry.findall(f"{LEAP2}date")}


@pytest.fixture
def sample(services: AppServices) -> Sample:
    sample = build_sample(services)
    add = services.evidence.add
    add(AGENDA, b"%PDF-1.4 agenda", activity_id=sample.shared.id, visibility=Visibility.SHARED)
    add(NOTES, "notes: Siân".encode(), activity_id=sample.shared.id, visibility=Visibility.SHARED)
    add("Privatefilemarker.pdf", b"private", activity_id=sample.shared.id)
    add("Ofprivatemarker.png", b"png", activity_id=sample.private.id, visibility=Visibility.SHARED)
    lesson_id = sample.lessons["alpha"].id
    add("Oflessonmarker.txt", b"lesson", lesson_id=lesson_id, visibility=Visibility.SHARED)
    return sample


# -- the format ------------------------------------------------------------------------------


def test_the_feed_is_atom_with_the_leap2a_prefixes_mahara_reads(
    sample: Sample, tmp_path: Path
) -> None:
    package = export(sample.services, tmp_path / "portfolio.zip")
    assert package.names[-1] == "leap2a.xml" and "leap2a.xml" in package.names
    head = package.raw.split(b">", 2)[1].decode()  # the feed's start tag, as written
    assert head.startswith("\n<feed ")
    for declaration in [
        'xmlns="http://www.w3.org/2005/Atom"',
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
        'xmlns:leap2="http://terms.leapspecs.org/"',
        'xmlns:categories="http://wiki.leapspecs.org/2A/categories/"',
    ]:
        assert declaration in head, declaration
    assert b"<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>" in package.raw
    assert package.feed.tag == f"{ATOM}feed"
    assert package.feed.findtext(f"{LEAP2}version") == "http://www.leapspecs.org/2010-07/2A/"
    assert package.feed.findtext(f"{ATOM}author/{ATOM}name") == "Siân Łukasz Zoë Ødegård Ψυχή Юлия"
    assert package.feed.findtext(f"{ATOM}updated") == "2027-01-05T09:30:00Z"
    assert package.entries
    for entry in package.entries:  # what Atom requires of an entry, and one Leap2A type
        for child in ("id", "title", "updated", "content"):
            assert entry.find(f"{ATOM}{child}") is not None, (child, ET.tostring(entry))
        assert rdf_type(entry) in {
            "leap2:activity",
            "leap2:meeting",
            "leap2:organization",
            "leap2:entry",
            "leap2:resource",
        }
    # CURIEs, written literally: Mahara compares them as text.
    for literal in [
        b'<rdf:type rdf:resource="leap2:activity" />',
        b'<category term="Work" scheme="categories:life_area#" />',
        b'<leap2:date leap2:point="start">2026-03-10</leap2:date>',
        b'rel="leap2:reflects_on"',
        b'rel="leap2:is_supported_by"',
    ]:
        assert literal in package.raw, literal


def test_activities_meetings_organisations_and_lessons(sample: Sample, tmp_path: Path) -> None:
    package = export(sample.services, tmp_path / "portfolio.zip")
    shadowing = package.entry(sample.shared.title)
    assert rdf_type(shadowing) == "leap2:activity"
    assert dates(shadowing) == {"start": "2026-03-10", "end": "2026-03-10"}
    assert ("categories:life_area#", "Work") in categories(shadowing)
    assert ("portfolio:sector#", "police") in categories(shadowing)
    body = "".join(shadowing.find(f"{ATOM}content/{XHTML}div").itertext())  # type: ignore[union-attr]
    assert "Alphadescription" in body and "Shadowing" in body
    network = package.entry(sample.outside.title)  # a peer event: a meeting of people
    assert rdf_type(network) == "leap2:meeting"
    assert ("categories:life_area#", "Work") in categories(network)

    police = package.entry("Quillhouse Police")
    assert rdf_type(police) == "leap2:organization"
    assert ("portfolio:sector#", "police") in categories(police)
    assert links(shadowing, "leap2:is_supported_by") == [police.findtext(f"{ATOM}id")]
    assert links(police, "leap2:supports") == [shadowing.findtext(f"{ATOM}id")]

    lesson = package.entry(sample.lessons["alpha"].title)
    assert rdf_type(lesson) == "leap2:entry"
    assert links(lesson, "leap2:reflects_on") == [shadowing.findtext(f"{ATOM}id")]
    assert lesson.findtext(f"{ATOM}id") in links(shadowing, "leap2:reflected_on_by")
    sections = "".join(lesson.find(f"{ATOM}content/{XHTML}div").itertext())  # type: ignore[union-attr]
    assert "What happened" in sections and "Sectionshared" in sections
    standalone = package.entry(sample.lessons["standalone"].title)
    assert links(standalone) == []


def test_every_relation_points_at_an_entry_and_has_its_inverse(
    sample: Sample, tmp_path: Path
) -> None:
    package = export(sample.services, tmp_path / "portfolio.zip", EVERYTHING)
    ids = [e.findtext(f"{ATOM}id", "") for e in package.entries]
    assert len(ids) == len(set(ids))
    for identifier in ids:  # no space, no quote: Mahara puts ids into XPath expressions
        assert ID.fullmatch(identifier), identifier
    inverse = {
        "leap2:is_supported_by": "leap2:supports",
        "leap2:supports": "leap2:is_supported_by",
        "leap2:reflects_on": "leap2:reflected_on_by",
        "leap2:reflected_on_by": "leap2:reflects_on",
        "related": "related",
    }
    by_id = {e.findtext(f"{ATOM}id"): e for e in package.entries}
    relations = 0
    for entry in package.entries:
        for link in entry.findall(f"{ATOM}link"):
            rel, href = link.get("rel", ""), link.get("href", "")
            if rel == "enclosure":
                assert href not in by_id  # files only, never another entry
                continue
            assert rel in inverse, rel
            assert href in by_id, (rel, href)
            assert (inverse[rel], entry.findtext(f"{ATOM}id")) in [
                (back.get("rel"), back.get("href")) for back in by_id[href].findall(f"{ATOM}link")
            ], (rel, href)
            relations += 1
    assert relations >= 12


def test_an_activity_with_evidence_carries_its_files(sample: Sample, tmp_path: Path) -> None:
    package = export(sample.services, tmp_path / "portfolio.zip")
    shadowing = package.entry(sample.shared.title)
    assert len(package.files) == 2  # the two shared files of the shared activity, no others
    for name, data in [(AGENDA, b"%PDF-1.4 agenda"), (NOTES, "notes: Siân".encode())]:
        resource = package.entry(name)
        assert rdf_type(resource) == "leap2:resource"
        assert ("categories:resource_type#", "Offline") in categories(resource)
        assert links(resource, "related") == [shadowing.findtext(f"{ATOM}id")]
        assert resource.findtext(f"{ATOM}id") in links(shadowing, "related")
        [enclosure] = [
            link for link in resource.findall(f"{ATOM}link") if link.get("rel") == "enclosure"
        ]
        href = enclosure.get("href", "")
        assert re.fullmatch(r"files/[A-Za-z0-9%._~/-]+", href), href  # percent-encoded
        assert package.files[unquote(href)] == data
        assert enclosure.get("length") == str(len(data))
    agenda = links(package.entry(AGENDA), "enclosure")[0]
    assert unquote(agenda).endswith("-Siân's agenda (v2) – “final”.pdf")
    assert package.entry(AGENDA).findall(f"{ATOM}link")[-1].get("type") == "application/pdf"
    notes = unquote(links(package.entry(NOTES), "enclosure")[0])
    assert notes.endswith("-Zoë_ notes_ _draft___v2_.txt"), notes
    assert notes.startswith("files/") and notes.count("/") == 1


def test_every_enclosure_is_in_the_zip_and_every_file_is_enclosed(
    sample: Sample, tmp_path: Path
) -> None:
    package = export(sample.services, tmp_path / "portfolio.zip", EVERYTHING)
    enclosed = [unquote(href) for entry in package.entries for href in links(entry, "enclosure")]
    assert sorted(enclosed) == sorted(package.files)
    assert all(name.startswith("files/") for name in package.files)


def test_odd_unicode_and_control_characters_make_a_well_formed_feed(
    services: AppServices, tmp_path: Path
) -> None:
    build_sample(services)
    organisation = services.organisations.create(Organisation("Ærøskøbing & “Sons” <Ltd>", "nhs"))
    assert organisation.id is not None
    activity = services.activities.create(
        Activity(
            ActivityType.MENTORING_RECEIVED,
            ODD_TITLE,
            date(2026, 2, 1),
            date(2026, 4, 30),
            hours=12.5,
            organisation_ids=(organisation.id,),
            description="First line\nsecond line with <tags> & ampersands\n\nΨ paragraph two\x01",
            visibility=Visibility.SHARED,
            status=Status.PLANNED,
        )
    )
    assert activity.id is not None
    fields = {s: LessonField() for s in LessonSection}
    fields[LessonSection.NEXT_STEP] = LessonField('Ask Siân 👋 about <the> "rota"', shared=True)
    services.lessons.create(Lesson("Łessons of Zoë 🧭", activity.id, sections=fields))
    services.evidence.add(
        "Zoë 👩🏽‍⚕️.txt", "ünïcödé".encode(), activity_id=activity.id, visibility=Visibility.SHARED
    )

    package = export(services, tmp_path / "odd.zip")
    entry = package.entry(ODD_TITLE.replace("\x0b", "\ufffd"))  # XML 1.0 cannot carry \x0b
    assert rdf_type(entry) == "leap2:meeting"  # mentoring is a meeting of people
    assert dates(entry) == {"start": "2026-02-01", "end": "2026-04-30"}
    paragraphs = entry.findall(f"{ATOM}content/{XHTML}div/{XHTML}p")
    first = "".join(paragraphs[0].itertext())
    assert first == "First linesecond line with <tags> & ampersands"
    assert paragraphs[0].find(f"{XHTML}br") is not None
    assert "".join(paragraphs[1].itertext()) == "Ψ paragraph two\ufffd"
    facts = "".join(paragraphs[2].itertext())
    assert "12.5 hours" in facts and "planned" in facts
    assert package.entry("Ærøskøbing & “Sons” <Ltd>") is not None
    lesson = package.entry("Łessons of Zoë 🧭")
    assert 'Ask Siân 👋 about <the> "rota"' in "".join(lesson.itertext())
    resource = package.entry("Zoë 👩🏽‍⚕️.txt")
    assert package.files[unquote(links(resource, "enclosure")[0])] == "ünïcödé".encode()


def test_entries_are_named_by_their_stable_ids(sample: Sample, tmp_path: Path) -> None:
    services = sample.services
    before = export(services, tmp_path / "before.zip")
    uids = read_stable_ids(services.db)
    shared = before.entry(sample.shared.title)
    assert (
        shared.findtext(f"{ATOM}id")
        == f"portfolio:activity-{uids.of('activities', sample.shared.id)}"
    )
    services.activities.update(replace(sample.shared, title="Renamed shadowing"))
    services.activities.create(
        Activity(
            ActivityType.TRAINING, "A new course", date(2026, 11, 1), visibility=Visibility.SHARED
        )
    )
    after = export(services, tmp_path / "after.zip")
    assert after.entry("Renamed shadowing").findtext(f"{ATOM}id") == shared.findtext(f"{ATOM}id")
    assert before.ids() < after.ids()  # the same ids again, and one more


def test_the_same_data_and_time_give_the_same_bytes(sample: Sample, tmp_path: Path) -> None:
    first = export(sample.services, tmp_path / "one.zip")
    second = export(sample.services, tmp_path / "two.zip")
    assert first.path.read_bytes() == second.path.read_bytes()


def test_a_long_unicode_file_name_is_cut_to_fit_a_file_system(
    services: AppServices, tmp_path: Path
) -> None:
    sample = build_sample(services)
    long_name = "Ψ" * 200 + ".pdf"  # 400 bytes: more than any file system takes
    services.evidence.add(
        long_name, b"x", activity_id=sample.shared.id, visibility=Visibility.SHARED
    )
    package = export(services, tmp_path / "long.zip")
    [member] = package.files
    name = member.removeprefix("files/")
    assert len(name.encode()) <= 200 and name.endswith(".pdf")
    assert package.entry(long_name) is not None  # the title keeps the whole name


# -- what goes in ----------------------------------------------------------------------------


def test_only_shared_content_goes_in_unless_private_is_asked_for(
    sample: Sample, tmp_path: Path
) -> None:
    shared = export(sample.services, tmp_path / "shared.zip").text()
    for marker in SHARED_MARKERS:
        assert marker in shared, marker
    for marker in (*PRIVATE_MARKERS, OLD_PRIVATE, "Privatefilemarker", "Zebedee", "Jobtitlemarker"):
        assert marker not in shared, marker
    assert "Notesmarker" not in shared  # contact notes never

    everything = export(sample.services, tmp_path / "all.zip", EVERYTHING).text()
    for marker in (*SHARED_MARKERS, *PRIVATE_MARKERS, OLD_PRIVATE):
        assert marker in everything, marker
    # The rule keeps these out even so: private files, a private activity's, a lesson's; and
    # people's names, job titles and notes.
    for marker in (
        "Privatefilemarker",
        "Ofprivatemarker",
        "Oflessonmarker",
        "Zebedee",
        "Jobtitlemarker",
        "Notesmarker",
    ):
        assert marker not in everything, marker


def test_no_private_sentinel_reaches_the_package(services: AppServices, tmp_path: Path) -> None:
    """The PDF's privacy walk, on the Leap2A package: every free-text field of every record
    kind carries a sentinel, and no private one, nor one of a withheld field, may go out."""
    world = build_world(services)
    text = export(services, tmp_path / "default.zip").text()
    leaked = [(w, k.__name__, n) for w, k, n in world.words.of(private=True) if w in text]
    assert leaked == []
    never = {(Contact, "notes"), (Organisation, "aliases"), *NAMES}
    withheld = [
        (w, k.__name__, n)
        for w, k, n in world.words.of(private=False)
        if (k, n) in never and w in text
    ]
    assert withheld == []
    shown = {(k, n) for w, k, n in world.words.of(private=False) if w in text}
    for expected in (*PACKAGED_TEXT, (Evidence, "name")):
        assert expected in shown, expected
    package = read_package(tmp_path / "default.zip")
    assert list(package.files.values()) == [CONTENTS.encode()]  # the one shared file


def test_private_sentinels_go_in_when_asked_for(services: AppServices, tmp_path: Path) -> None:
    world = build_world(services)
    text = export(services, tmp_path / "all.zip", EVERYTHING).text()
    shown = {(k, n) for w, k, n in world.words.of(private=True) if w in text}
    for expected in PACKAGED_TEXT:
        assert expected in shown, expected
    assert (Evidence, "name") not in shown  # private files stay out even so
    assert (Contact, "notes") not in shown and (ContactRole, "job_title") not in shown


# -- the command -----------------------------------------------------------------------------


def test_the_command_writes_an_owner_only_zip(
    capsys: pytest.CaptureFixture[str], sample: Sample, tmp_path: Path
) -> None:
    data = str(sample.services.paths.data_dir)
    sample.services.close()
    out = tmp_path / "Siân portfolio.zip"
    code, printed, err = run(capsys, "--data-dir", data, "export-leap2a", "--out", str(out))
    assert (code, err) == (0, "")
    assert printed == (f"Wrote {out} (2 activities, 2 organisations, 3 lessons, 2 files)\n")
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sample.private.title not in read_package(out).text()

    code, printed, err = run(
        capsys, "--data-dir", data, "export-leap2a", "--out", str(out), "--include-private"
    )
    assert (code, err) == (0, "")
    assert printed.startswith(f"Wrote {out} (4 activities, ")
    assert sample.private.title in read_package(out).text()


def test_the_command_explains_what_it_cannot_do(
    capsys: pytest.CaptureFixture[str], services: AppServices, tmp_path: Path
) -> None:
    data = str(services.paths.data_dir)
    services.close()
    code, _out, err = run(
        capsys, "--data-dir", data, "export-leap2a", "--out", str(tmp_path / "a.zip")
    )
    assert code == 1
    assert_one_clear_line(err, "")
    assert "profile" in err.lower()
    assert not (tmp_path / "a.zip").exists()

    folder = tmp_path / "a folder.zip"
    folder.mkdir()
    code, _out, err = run(capsys, "--data-dir", data, "export-leap2a", "--out", str(folder))
    assert code == 1
    assert_one_clear_line(err, "")
    assert str(folder) in err
    missing = tmp_path / "no such folder" / "p.zip"
    code, _out, err = run(capsys, "--data-dir", data, "export-leap2a", "--out", str(missing))
    assert code == 1
    assert_one_clear_line(err, "")
    assert "no such folder" in err


def test_nothing_shared_is_said(
    capsys: pytest.CaptureFixture[str], with_profile: AppServices, tmp_path: Path
) -> None:
    with_profile.activities.create(
        Activity(ActivityType.TRAINING, "Private course", date(2026, 1, 5))
    )
    data = str(with_profile.paths.data_dir)
    with_profile.close()
    out = tmp_path / "empty.zip"
    code, printed, err = run(capsys, "--data-dir", data, "export-leap2a", "--out", str(out))
    assert code == 0
    assert err == (
        "portfolio-app: warning: no shared activity to export (share some, or use "
        "--include-private)\n"
    )
    assert printed.startswith(f"Wrote {out} (0 activities, ")
    package = read_package(out)
    assert package.entries == [] and package.files == {}
