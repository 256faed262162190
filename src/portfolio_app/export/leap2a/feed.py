"""The Atom feed of a Leap2A package, built from what the one selection rule lets an export
contain (`portfolio_app.export.selection.ExportContent`) and nothing else.

Activities become `activity` or `meeting` items (life area Work, their sectors as categories,
`leap2:date` start and end), the organisations they name become `organization` items (the
sector as a category), lessons become `entry` items that reflect on their activity, and each
evidence file becomes a `resource` item with an `enclosure` of the file in `files/`, related
to its activity. Every relation is written on both entries, with its inverse.

Elements are written with their literal prefixes (`leap2:date`) and the namespaces declared on
the feed, because the prefixes also appear inside attribute values (`rel="leap2:reflects_on"`,
`scheme="categories:life_area#"`), where an XML writer would not know to declare them.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from portfolio_app import __version__
from portfolio_app.domain.enums import LessonSection, Status
from portfolio_app.domain.evidence import Evidence, guess_media_type
from portfolio_app.domain.hours import format_hours
from portfolio_app.domain.records import Activity, Lesson, Organisation
from portfolio_app.export.leap2a import vocabulary as v
from portfolio_app.export.leap2a.names import entry_id, file_href, file_path, xml_text
from portfolio_app.export.periods import format_span
from portfolio_app.export.selection import ExportContent
from portfolio_app.services.stable_ids import StableIds

SectorLabel = Callable[[str], str]
Record = Activity | Organisation | Lesson | Evidence
# Each kind of entry, and where its stable ids are kept.
_KINDS = {
    "activity": "activities",
    "organisation": "organisations",
    "lesson": "lessons",
    "evidence": "evidence",
}


@dataclass(frozen=True)
class PackagedFile:
    """An evidence file the package carries, and where in the zip it goes."""

    evidence: Evidence
    path: str  # 'files/12-agenda.pdf'

    @property
    def evidence_id(self) -> int:
        assert self.evidence.id is not None  # read back from the database
        return self.evidence.id


def packaged_files(content: ExportContent) -> tuple[PackagedFile, ...]:
    """The evidence files the rule lets this export carry (shared files of shared activities
    that appear), in the order of their activities."""
    shared = [item for a in content.activities for item in content.evidence_of(a.id)]
    return tuple(
        PackagedFile(item, file_path(number, item.name)) for number, item in enumerate(shared, 1)
    )


@dataclass(frozen=True)
class FeedCounts:
    activities: int
    organisations: int
    lessons: int
    files: int


def rfc3339(moment: datetime) -> str:
    """'2027-01-05T09:30:00Z': Atom's date construct, in UTC, to the second."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Links:
    """Every entry's links, added in pairs: a relation on one entry and its inverse on the
    other, so an importer that reads either end finds it."""

    by_entry: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, source: str, rel: str, target: str) -> None:
        for here, relation, there in ((source, rel, target), (target, v.INVERSE[rel], source)):
            links = self.by_entry.setdefault(here, [])
            if (relation, there) not in links:
                links.append((relation, there))

    def of(self, entry: str) -> list[tuple[str, str]]:
        return self.by_entry.get(entry, [])


def build_feed(
    content: ExportContent,
    sector_label: SectorLabel,
    exported_at: datetime,
    sizes: Mapping[int, int],
    ids: StableIds,
) -> tuple[bytes, FeedCounts]:
    """The feed's XML (UTF-8, with its declaration) and what it holds. `sizes` gives each
    packaged file's length in bytes, by evidence id (the package reads the files); `ids` the
    stable ids the entries are named by."""
    return _FeedWriter(content, sector_label, rfc3339(exported_at), sizes, ids).write()


class _FeedWriter:
    def __init__(
        self,
        content: ExportContent,
        sector_label: SectorLabel,
        updated: str,
        sizes: Mapping[int, int],
        ids: StableIds,
    ) -> None:
        self.content = content
        self.ids = ids
        self.sector_label = sector_label
        self.updated = updated
        self.sizes = sizes
        self.links = _Links()
        self.files = packaged_files(content)
        # The organisations each activity names directly, then those of its contacts that day.
        self.hosts: dict[int, list[Organisation]] = {}
        self.via_contacts: dict[int, list[Organisation]] = {}
        self.organisations: dict[int, Organisation] = {}  # those some activity links to

    def write(self) -> tuple[bytes, FeedCounts]:
        content = self.content
        self._link_everything()
        feed = ET.Element("feed", dict(v.NAMESPACES))
        _text(feed, "leap2:version", v.LEAP2A_VERSION)
        _text(feed, "id", self._feed_id())
        _text(feed, "title", f"Portfolio of {content.profile.name}")
        _text(feed, "updated", self.updated)
        ET.SubElement(feed, "generator", {"version": __version__}).text = "Portfolio"
        author = ET.SubElement(feed, "author")
        _text(author, "name", content.profile.name)
        for activity in content.activities:
            self._activity(feed, activity)
        for lesson in content.lessons:
            self._lesson(feed, lesson)
        for packaged in self.files:
            self._resource(feed, packaged)
        for organisation in self.organisations.values():
            self._organisation(feed, organisation)
        ET.indent(feed)
        xml = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
        counts = FeedCounts(
            activities=len(content.activities),
            organisations=len(self.organisations),
            lessons=len(content.lessons),
            files=len(self.files),
        )
        return xml + b"\n", counts

    def _feed_id(self) -> str:
        """A fresh id for each export (Atom: an export is a document of its own)."""
        seed = f"{v.PORTFOLIO_NS}feed:{self.content.profile.name}:{self.updated}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"

    def _id(self, kind: str, record: Record) -> str:
        return entry_id(kind, self.ids.of(_KINDS[kind], record.id))

    # -- relations -------------------------------------------------------------------------

    def _link_everything(self) -> None:
        content = self.content
        for activity in content.activities:
            assert activity.id is not None
            here = self._id("activity", activity)
            hosts = [
                content.organisations[o]
                for o in activity.organisation_ids
                if o in content.organisations
            ]
            self.hosts[activity.id] = hosts
            for organisation in hosts:
                self._note_organisation(organisation)
                self.links.add(here, v.IS_SUPPORTED_BY, self._id("organisation", organisation))
            met = self._contact_organisations(activity, {o.id for o in hosts})
            self.via_contacts[activity.id] = met
            for organisation in met:
                self._note_organisation(organisation)
                self.links.add(here, v.RELATED, self._id("organisation", organisation))
        activities = {a.id: a for a in content.activities}
        for lesson in content.lessons:
            reflected = activities.get(lesson.activity_id)
            if reflected is not None:  # a lesson appears only under an activity that appears
                self.links.add(
                    self._id("lesson", lesson), v.REFLECTS_ON, self._id("activity", reflected)
                )
        for packaged in self.files:
            owner = activities[packaged.evidence.activity_id]
            self.links.add(
                self._id("activity", owner), v.RELATED, self._id("evidence", packaged.evidence)
            )

    def _contact_organisations(
        self, activity: Activity, known: set[int | None]
    ) -> list[Organisation]:
        """The organisations of the people met, on the day the activity started (by name
        never: contacts are third parties)."""
        found: list[Organisation] = []
        for contact_id in activity.contact_ids:
            contact = self.content.contacts.get(contact_id)
            if contact is None:
                continue
            for role in contact.roles_on(activity.start):
                organisation = self.content.organisations.get(role.organisation_id)
                if organisation is not None and organisation.id not in known:
                    known.add(organisation.id)
                    found.append(organisation)
        return found

    def _note_organisation(self, organisation: Organisation) -> None:
        assert organisation.id is not None
        self.organisations.setdefault(organisation.id, organisation)

    # -- entries ---------------------------------------------------------------------------

    def _entry(
        self, feed: ET.Element, kind: str, record: Record, title: str
    ) -> tuple[ET.Element, str]:
        identifier = self._id(kind, record)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "title", title)
        _text(entry, "id", identifier)
        _text(entry, "updated", self.updated)
        return entry, identifier

    def _finish(self, entry: ET.Element, identifier: str, leap_type: str) -> None:
        ET.SubElement(entry, "rdf:type", {"rdf:resource": leap_type})
        for rel, href in self.links.of(identifier):
            ET.SubElement(entry, "link", {"rel": rel, "href": href})

    def _activity(self, feed: ET.Element, activity: Activity) -> None:
        assert activity.id is not None
        entry, identifier = self._entry(feed, "activity", activity, activity.title)
        div = _xhtml(entry)
        _paragraphs(div, activity.description)
        facts = [activity.type.label, format_span(activity.start, activity.end)]
        if activity.hours is not None:
            hours = format_hours(activity.hours)
            facts.append(f"{hours} hour{'' if activity.hours == 1 else 's'}")
        if activity.status is Status.PLANNED:
            facts.append("planned")
        _paragraphs(div, " · ".join(facts))
        named = self.hosts[activity.id] + self.via_contacts[activity.id]
        if named:
            listed = "; ".join(f"{o.name} ({self.sector_label(o.sector_id)})" for o in named)
            _paragraphs(div, f"Organisations: {listed}")
        self._finish(entry, identifier, v.item_type(activity.type))
        _category(entry, v.WORK, v.LIFE_AREA)
        _category(entry, activity.type.value, None, activity.type.label)  # a tag
        sectors = [o.sector_id for o in named] + list(activity.extra_sector_ids)
        for sector_id in dict.fromkeys(sectors):
            _category(entry, sector_id, v.SECTOR, self.sector_label(sector_id))
        _date(entry, "start", activity.start)
        _date(entry, "end", activity.last_day)

    def _lesson(self, feed: ET.Element, lesson: Lesson) -> None:
        entry, identifier = self._entry(feed, "lesson", lesson, lesson.title)
        if lesson.recorded_on is not None:
            _text(entry, "published", f"{lesson.recorded_on.isoformat()}T00:00:00Z")
        div = _xhtml(entry)
        for section in LessonSection:  # only the sections the rule let through have text
            text = lesson.section(section).text
            if text.strip():
                _text(div, "h3", section.label)
                _paragraphs(div, text)
        self._finish(entry, identifier, v.ENTRY)

    def _resource(self, feed: ET.Element, packaged: PackagedFile) -> None:
        evidence = packaged.evidence
        entry, identifier = self._entry(feed, "evidence", evidence, evidence.name)
        ET.SubElement(entry, "content", {"type": "text"})
        self._finish(entry, identifier, v.RESOURCE)
        enclosure = {
            "rel": v.ENCLOSURE,
            "href": file_href(packaged.path),
            "type": guess_media_type(evidence.name),
            "length": str(self.sizes[packaged.evidence_id]),
        }
        ET.SubElement(entry, "link", enclosure)
        _category(entry, v.OFFLINE, v.RESOURCE_TYPE, "File")

    def _organisation(self, feed: ET.Element, organisation: Organisation) -> None:
        entry, identifier = self._entry(feed, "organisation", organisation, organisation.name)
        label = self.sector_label(organisation.sector_id)
        _text(entry, "content", f"Sector: {label}").set("type", "text")
        self._finish(entry, identifier, v.ORGANIZATION)
        _category(entry, organisation.sector_id, v.SECTOR, label)


# -- small writers ---------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def _category(entry: ET.Element, term: str, scheme: str | None, label: str | None = None) -> None:
    attributes = {"term": xml_text(term)}
    if scheme is not None:
        attributes["scheme"] = scheme
    if label is not None and label != term:
        attributes["label"] = xml_text(label)
    ET.SubElement(entry, "category", attributes)


def _date(entry: ET.Element, point: str, day: date) -> None:
    _text(entry, "leap2:date", day.isoformat()).set("leap2:point", point)


def _xhtml(entry: ET.Element) -> ET.Element:
    """The entry's content as XHTML (Leap2A's preferred form): the div to write into."""
    content = ET.SubElement(entry, "content", {"type": "xhtml"})
    return ET.SubElement(content, "div", {"xmlns": v.XHTML_NS})


def _paragraphs(div: ET.Element, text: str) -> None:
    """`text` as paragraphs (at blank lines), its other line breaks kept as <br/>."""
    for block in _blocks(text):
        paragraph = ET.SubElement(div, "p")
        lines = block.split("\n")
        paragraph.text = xml_text(lines[0])
        for line in lines[1:]:
            ET.SubElement(paragraph, "br").tail = xml_text(line)


def _blocks(text: str) -> Iterable[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            yield "\n".join(block)
            block = []
