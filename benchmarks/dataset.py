"""Realistic benchmark data sets, written through the app's own services, cached on disk.

A data set is a set-up data dir (the CLI's `init`, run in-process with the published passphrase
BENCH_PASSPHRASE and no password store) filled with a whole career: N activities (1k, 10k, 100k),
2,000 organisations across every sector of the default taxonomy (a third with aliases), 20,000
contacts with one to three dated roles at those organisations, lessons on a third of the
activities, goals and a review with the objectives agreed at it. Text has realistic lengths
(titles 30-90 characters, descriptions 0-1,500, lesson sections 100-800; some shared, some
private) and names with letters beyond ASCII ("Siân", "Łukasz", "Zoë"). Everything comes from a
seeded RNG and a fixed anchor date, so the same spec always gives the same data.

The path written through: each record goes through its service's `add_in` (the same checks a
dialog's save runs: name clashes, known sectors, linked rows exist), BATCH records to a unit of
work: the app's own per-entity path, not a bulk shortcut such as the CSV import, whose speed is
itself one of the figures under test. Measured on the 2-core machine (3 Dec 2026, 2,000
organisations and 20,000 contacts each time):

    1k activities    33 s,  13 MB    (contacts 27 s)
    10k activities   70 s,  30 MB    (contacts 36 s, activities 16 s, lessons 15 s)
    100k activities  294 s, 204 MB   (contacts 30 s, activities 177 s, lessons 82 s)

Where it goes (cProfile): one `session.flush()` per record (about 45%), the checks' queries (a
lesson's `session.get(ActivityRow)` loads the activity with its links, a contact's one get per
role), then the INSERTs. Slow, but a set is built once and cached, so that is acceptable.

Cache: benchmarks/.cache/<key>/ (git-ignored), the key naming DATASET_VERSION and the spec; a
set is built in a temporary folder beside it and renamed into place when complete, so an
interrupted build is never reused. Bump DATASET_VERSION when the generator changes.

Use from a benchmark:  `data_dir = dataset.cached(dataset.Spec(activities=10_000))`, then
`with dataset.unlocked(): services = dataset.open_dataset(data_dir)` (or `dataset.env(data_dir)`
for a subprocess). From the shell:  `python benchmarks/dataset.py --activities 10000 --out DIR`
(or no --out: every size into the cache, printing the time and file size of each).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from portfolio_app.domain.enums import ActivityType, LessonSection, Status, Visibility
from portfolio_app.domain.records import (
    Activity,
    Contact,
    ContactRole,
    Goal,
    Lesson,
    LessonField,
    Organisation,
    Review,
)
from portfolio_app.paths import AppPaths
from portfolio_app.services.base import RecordService
from portfolio_app.services.context import AppServices, open_services
from portfolio_app.taxonomy.model import name_key

DATASET_VERSION = 1
SEED = 20_261_203
ANCHOR = date(2026, 11, 30)  # "today" for the data: every done activity ends by then
CAREER_DAYS = 40 * 365
SIZES = (1_000, 10_000, 100_000)
BENCH_PASSPHRASE = "portfolio benchmark data"  # published: benchmark data is not secret
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
BATCH = 2_000  # records per unit of work
HOME = "Northshire County Council"  # the profile's organisation, one of the set's
HOME_SECTOR = "adult-social-care"
T = TypeVar("T")
R = TypeVar("R", Organisation, Contact, Activity, Lesson)
ORGS_PER_ACTIVITY = (0, 1, 1, 1, 2, 2, 3, 4)  # how many organisations an activity is at
ENVIRONMENT = {
    "PORTFOLIO_APP_PASSPHRASE": BENCH_PASSPHRASE,
    # Never the user's password store: a benchmark data dir is throw-away.
    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
}


@dataclass(frozen=True)
class Spec:
    activities: int
    organisations: int = 2_000
    contacts: int = 20_000
    seed: int = SEED

    @property
    def key(self) -> str:
        return (
            f"v{DATASET_VERSION}-a{self.activities}-o{self.organisations}"
            f"-c{self.contacts}-s{self.seed}"
        )

    @property
    def lessons(self) -> int:
        return self.activities // 3


@dataclass
class BuildReport:
    spec: Spec
    seconds: float = 0.0
    file_bytes: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # phase -> seconds
    goals: int = 0
    reviews: int = 0

    def describe(self) -> str:
        phases = ", ".join(f"{name} {secs:.1f} s" for name, secs in self.phases.items())
        return (
            f"{self.spec.activities:,} activities, {self.spec.lessons:,} lessons, "
            f"{self.spec.organisations:,} organisations, {self.spec.contacts:,} contacts: "
            f"{self.seconds:.1f} s, {self.file_bytes / 1e6:.1f} MB ({phases})"
        )


# --- words -------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Siân", "Łukasz", "Zoë", "Tomás", "Ciarán", "Llŷr", "José", "Søren", "Chloë", "Anaïs",
    "Björn", "Małgorzata", "Aoife", "Dafydd", "Priya", "Hamid", "Grace", "Chidi", "Bethan",
    "Aisha", "Fiona", "Daniel", "Kerry-Ann", "Helen", "Oluwaseun", "Niamh", "Eilidh", "Rhys",
    "Mohammed", "Fatima", "Wei", "Mei", "Arjun", "Ananya", "Kwame", "Ama", "Jürgen", "Renée",
    "François", "Inés", "Paweł", "Agnieszka", "Ioana", "Mihai", "Sinéad", "Gráinne", "Eoin",
    "Peter", "Sarah", "James", "Emma", "Olivia", "Jack", "Harry", "Amelia", "Noah", "Isla",
    "George", "Ava", "Leo", "Freya", "Oscar", "Ruby", "Yusuf", "Zainab", "Nguyễn", "Thảo",
    "Dmitri", "Olga", "Kofi", "Efua", "Hana", "Kenji", "Yuki", "Lars", "Åsa", "Gwenllian",
)  # fmt: skip
SURNAMES = (
    "Evans", "Nowak", "Clarke", "Byrne", "Doyle", "Davies", "Martins", "Østergaard", "Müller",
    "Ó Briain", "Wiśniewski", "Kowalczyk", "Jones", "Williams", "Hughes", "Raman", "Qureshi",
    "Adeyemi", "Okafor", "Rahman", "MacLeod", "Osei", "Brooks", "Marsh", "Smith", "Taylor",
    "Brown", "Wilson", "Thomas", "Roberts", "Patel", "Khan", "Ali", "Singh", "Begum", "Chen",
    "Wang", "Li", "Mensah", "Boateng", "Lefèvre", "García", "Núñez", "Popescu", "Ionescu",
    "Ní Bhriain", "Mac Giolla", "O'Neill", "Fitzgerald", "Dvořák", "Horváth", "Şahin",
    "Yılmaz", "Andersson", "Nyström", "Lloyd", "Pryce", "ap Rhys", "Gruffudd", "Campbell",
    "Stewart", "Murray", "Kaur", "Ahmed", "Hussain", "Tanaka", "Sato", "Ivanova", "Petrov",
)  # fmt: skip
PLACES = (
    "Northshire", "Eastbrook", "Millbridge", "Westvale", "Riverside", "Llanfair", "Ynys Môn",
    "Pen-y-bryn", "Bryn Siôn", "Aberdâr", "Kirkby Lonsdale", "Ashworth", "Hollins Green",
    "Castleford", "Dunmore", "Glenbrae", "Thornbury", "Ferncliffe", "Saltmarsh", "Oakhampton",
    "Greyfriars", "Kingsmead", "Redhill", "Stonebridge", "Whitmore", "Bracken Hill",
    "Côte Lane", "Ballymena Road", "Achnacarry", "Skelmorlie",
)  # fmt: skip
ORGANISATION_KINDS = (
    "Council", "Borough Council", "NHS Trust", "Care Home", "Home Care", "Housing Association",
    "Primary Care Network", "Surgery", "Police", "Fire and Rescue Service", "College",
    "Carers' Centre", "Community Trust", "Foundation", "Partnership", "Hub", "Service",
    "Network", "Centre", "Project",
)  # fmt: skip
JOB_TITLES = (
    "Discharge coordinator", "Work coach", "District nursing team leader", "Station manager",
    "Senior probation officer", "GP partner", "Clinical director", "Registered manager",
    "Volunteer coordinator", "Policy adviser", "Housing options officer", "Team manager",
    "Occupational therapist", "Social worker", "Commissioning manager", "Head of service",
    "Detective sergeant", "Tenancy sustainment officer", "Carers support manager",
    "Assistant director", "Community development worker", "Practice manager", "Paramedic",
)  # fmt: skip
TITLE_WORDS = (
    "multi-agency", "learning", "day", "on", "safeguarding", "adults", "discharge", "pathway",
    "shadowing", "the", "a", "with", "joint", "project", "mental", "capacity", "network",
    "frailty", "falls", "hoarding", "self-neglect", "secondment", "to", "carers", "housing",
    "employment", "support", "review", "workshop", "conference", "regional", "practice",
    "strengths-based", "trauma-informed", "transitions", "reablement", "integration",
    "commissioning", "and", "of", "for", "community", "hospital", "team", "visit", "course",
)  # fmt: skip
TEXT_WORDS = (
    *TITLE_WORDS,
    "we", "agreed", "that", "people", "their", "families", "often", "waited", "too", "long",
    "between", "services", "I", "learned", "how", "colleagues", "in", "other", "sectors",
    "make", "decisions", "under", "pressure", "it", "was", "useful", "to", "see", "risk",
    "from", "side", "next", "time", "would", "ask", "earlier", "about", "referral", "forms",
    "budgets", "data", "sharing", "consent", "records", "were", "different", "everyone",
    "wanted", "same", "outcome", "but", "used", "words", "café", "naïve", "rôle", "Siân's",
)  # fmt: skip


class Words:
    """Seeded text of a given length: whole words, trimmed to fit, first letter a capital."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def text(self, low: int, high: int, vocabulary: Sequence[str] = TEXT_WORDS) -> str:
        target = self.rng.randint(low, high)
        if target == 0:
            return ""
        parts: list[str] = []
        length = 0
        sentence_left = 0
        while length < target:
            word = self.rng.choice(vocabulary)
            if sentence_left == 0:
                word = word[:1].upper() + word[1:]
                sentence_left = self.rng.randint(6, 18)
            sentence_left -= 1
            if sentence_left == 0:
                word += "."
            parts.append(word)
            length += len(word) + 1
        text = " ".join(parts)
        while len(text) > high and " " in text:
            text = text.rsplit(" ", 1)[0]
        text = text[:high]
        while len(text) < low:  # trimming took it below the floor: pad with a short word
            text += " and"
        return text[:high]

    def title(self) -> str:
        return self.text(30, 90, TITLE_WORDS)


# --- building ----------------------------------------------------------------------------------


@contextmanager
def unlocked() -> Iterator[None]:
    """The benchmark passphrase and no password store, in this process's environment."""
    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    os.environ.update(ENVIRONMENT)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def env(data_dir: Path) -> dict[str, str]:
    """The environment for a subprocess (the CLI or the window) on a data set."""
    return {**os.environ, **ENVIRONMENT, "PORTFOLIO_APP_DATA_DIR": str(data_dir)}


def open_dataset(data_dir: Path) -> AppServices:
    """The services on a data set; call inside `unlocked()` (the passphrase unlocks it)."""
    return open_services(AppPaths.resolve(data_dir))


def cached(spec: Spec, cache_dir: Path = CACHE_DIR, *, quiet: bool = False) -> Path:
    """The data dir of `spec`, built once under `cache_dir` and reused afterwards."""
    target = cache_dir / spec.key
    if AppPaths.resolve(target).database.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f".{spec.key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        report = build(partial, spec)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    if not quiet:
        print(f"built {spec.key}: {report.describe()}", flush=True)
    return target


def copy_of(spec: Spec, destination: Path) -> Path:
    """A private copy of the cached data set of `spec` at `destination` (a new folder), for a
    benchmark or test that writes to it or migrates it: the cached set is never opened itself,
    so runs side by side never share (or lock) one data dir."""
    shutil.copytree(cached(spec, quiet=True), destination)
    return destination


def build(data_dir: Path, spec: Spec) -> BuildReport:
    """Set up `data_dir` (which must not hold data yet) and fill it with `spec`'s data set."""
    from portfolio_app.cli.main import main as cli_main

    report = BuildReport(spec)
    started = time.perf_counter()
    with unlocked():
        with redirect_stdout(io.StringIO()):  # the recovery code: a benchmark set needs none
            code = cli_main(
                [
                    *("--data-dir", str(data_dir), "init", "--no-remember"),
                    *("--name", "Siân Łukasz-Zoë", "--role", "Senior practitioner"),
                    *("--organisation", HOME, "--sector", HOME_SECTOR),
                ]
            )
        if code != 0:
            raise RuntimeError(f"portfolio-app init failed in {data_dir} (exit {code})")
        report.phases["init"] = time.perf_counter() - started
        services = open_dataset(data_dir)
        try:
            _Builder(services, spec, report).run()
            database = services.paths.database
        finally:
            services.close()
    report.seconds = time.perf_counter() - started
    report.file_bytes = sum(
        p.stat().st_size for p in database.parent.glob(database.name + "*") if p.is_file()
    )
    return report


class _Builder:
    """Writes one data set through `services`, phase by phase, timing each into `report`."""

    def __init__(self, services: AppServices, spec: Spec, report: BuildReport) -> None:
        self.services, self.spec, self.report = services, spec, report
        self.rng = random.Random(spec.seed)
        self.words = Words(self.rng)
        self.sectors = [s.id for s in services.taxonomy.sectors]

    def run(self) -> None:
        organisations = self._timed("organisations", self.organisations)
        contacts = self._timed("contacts", lambda: self.contacts(organisations))
        activities = self._timed("activities", lambda: self.activities(organisations, contacts))
        self._timed("lessons", lambda: self.lessons(activities))
        self._timed("goals and review", self.goals_and_review)

    def _timed(self, phase: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        self.report.phases[phase] = time.perf_counter() - started
        return result

    def _in_batches(
        self, count: int, service: RecordService[R, Any, Any], make: Callable[[int], R]
    ) -> list[R]:
        """`make(index)` for each index, BATCH records to a unit of work, each batch added by
        the service's `add_many_in` (add_in's checks, written in bulk)."""
        saved: list[R] = []
        for first in range(0, count, BATCH):
            batch = [make(index) for index in range(first, min(count, first + BATCH))]
            with self.services.db.unit_of_work() as session:
                saved.extend(service.add_many_in(session, batch))
        return saved

    def organisations(self) -> list[Organisation]:
        """`spec.organisations` in all (the profile's home first), round-robin over every sector
        (the home's sector last, so even a few organisations are in as many sectors as they can)."""
        rng = self.rng
        sectors = [s for s in self.sectors if s != HOME_SECTOR] + [HOME_SECTOR]
        found = self.services.organisations.find_by_name(HOME)
        assert found is not None and found.id is not None
        saved = [found]
        taken = {name_key(HOME)}
        names: list[str] = []
        while len(names) < self.spec.organisations - 1:
            name = f"{rng.choice(PLACES)} {rng.choice(ORGANISATION_KINDS)}"
            if name_key(name) in taken:
                name = f"{name} {len(names) + 2}"
            if name_key(name) not in taken:
                taken.add(name_key(name))
                names.append(name)

        def make(index: int) -> Organisation:
            name = names[index]
            initials = "".join(w[0] for w in name.split() if w[0].isalpha()).upper()
            aliases = (f"{initials} {index}",) if index % 3 == 0 else ()
            return Organisation(name, sectors[index % len(sectors)], aliases)

        return saved + self._in_batches(len(names), self.services.organisations, make)

    def contacts(self, organisations: list[Organisation]) -> list[Contact]:
        """Each with one to three dated roles in turn; the last may be current."""
        rng = self.rng
        taken: set[str] = set()

        def make(index: int) -> Contact:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if name_key(name) in taken:
                name = f"{name} ({index})"
            taken.add(name_key(name))
            roles = []
            start = ANCHOR - timedelta(days=rng.randint(60, CAREER_DAYS))
            for number in range(rng.choice((1, 1, 1, 2, 2, 3))):
                organisation_id = _saved(rng.choice(organisations).id)
                end = start + timedelta(days=rng.randint(200, 3000))
                last = number == 2 or end >= ANCHOR
                roles.append(
                    ContactRole(
                        organisation_id,
                        rng.choice(JOB_TITLES),
                        start if rng.random() < 0.9 else None,
                        None if last else end,
                    )
                )
                if last:
                    break
                start = end + timedelta(days=1)
            notes = self.words.text(0, 300) if rng.random() < 0.3 else ""
            return Contact(name, notes, tuple(roles))

        return self._in_batches(self.spec.contacts, self.services.contacts, make)

    def activities(
        self, organisations: list[Organisation], contacts: list[Contact]
    ) -> list[Activity]:
        """Mostly done, some planned; each at 0-4 organisations with 0-3 contacts who hold (or
        held) a role at one of them."""
        rng, words = self.rng, self.words
        at: dict[int, list[int]] = {}
        for contact in contacts:
            for role in contact.roles:
                at.setdefault(role.organisation_id, []).append(_saved(contact.id))
        types = list(ActivityType)

        def make(index: int) -> Activity:
            planned = rng.random() < 0.05
            span = rng.choice((0, 0, 0, 0, 1, 2, 5, 30, 180))
            if planned:
                start = ANCHOR + timedelta(days=rng.randint(1, 300))
            else:  # a done activity has ended by the anchor
                start = ANCHOR - timedelta(days=rng.randint(span + 1, CAREER_DAYS))
            orgs = rng.sample(organisations, min(len(organisations), rng.choice(ORGS_PER_ACTIVITY)))
            org_ids = tuple(_saved(o.id) for o in orgs)
            people = [c for o in org_ids for c in at.get(o, ())]
            chosen = rng.sample(people, min(len(people), rng.choice((0, 1, 1, 2, 3))))
            return Activity(
                type=rng.choice(types),
                title=words.title(),
                start=start,
                end=start + timedelta(days=span) if span else None,
                hours=round(rng.uniform(0.5, 40), 1) if rng.random() < 0.8 else None,
                organisation_ids=org_ids,
                extra_sector_ids=(rng.choice(self.sectors),) if rng.random() < 0.1 else (),
                contact_ids=tuple(dict.fromkeys(chosen)),
                description=words.text(0, 1_500) if rng.random() < 0.85 else "",
                visibility=Visibility.SHARED if rng.random() < 0.6 else Visibility.PRIVATE,
                status=Status.PLANNED if planned else Status.DONE,
            )

        return self._in_batches(self.spec.activities, self.services.activities, make)

    def lessons(self, activities: list[Activity]) -> None:
        """One lesson on each of a third of the activities, written up a few days after."""
        rng, words = self.rng, self.words
        chosen = rng.sample(activities, self.spec.lessons)

        def make(index: int) -> Lesson:
            activity = chosen[index]
            sections = {s: LessonField() for s in LessonSection}
            for section in rng.sample(list(LessonSection), rng.randint(1, 5)):
                sections[section] = LessonField(words.text(100, 800), rng.random() < 0.5)
            recorded = min(ANCHOR, activity.last_day + timedelta(days=rng.randint(1, 14)))
            return Lesson(
                words.title(), activity_id=activity.id, recorded_on=recorded, sections=sections
            )

        self._in_batches(len(chosen), self.services.lessons, make)

    def goals_and_review(self) -> None:
        """A review with two agreed objectives, and ten goals of the user's own."""
        rng, words, sectors = self.rng, self.words, self.sectors
        with self.services.db.unit_of_work() as session:
            self.services.reviews.record_in(
                session,
                Review(
                    held_on=ANCHOR - timedelta(days=200),
                    reviewer_name="Zoë Ó Briain",
                    reviewer_role="Head of adult social care",
                    comments=words.text(100, 800),
                ),
                [
                    Goal(words.title(), (rng.choice(sectors),), ANCHOR + timedelta(days=150)),
                    Goal(
                        words.title(), tuple(rng.sample(sectors, 2)), ANCHOR + timedelta(days=330)
                    ),
                ],
            )
            for number in range(10):
                goal = Goal(
                    words.title(),
                    tuple(rng.sample(sectors, rng.randint(1, 3))),
                    ANCHOR + timedelta(days=rng.randint(30, 700)) if number % 2 else None,
                    words.text(0, 400),
                    achieved=number < 3,
                    visibility=Visibility.SHARED if number % 3 == 0 else Visibility.PRIVATE,
                )
                self.services.goals.add_in(session, goal)
        self.report.goals, self.report.reviews = 12, 1


def _saved(record_id: int | None) -> int:
    if record_id is None:
        raise RuntimeError("a benchmark record was not saved")
    return record_id


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--activities", type=int, action="append", help="repeatable; default: all")
    parser.add_argument("--organisations", type=int, default=Spec.organisations)
    parser.add_argument("--contacts", type=int, default=Spec.contacts)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--out", type=Path, help="build into this (new or empty) folder; default: the cache"
    )
    args = parser.parse_args(argv)
    sizes = args.activities or list(SIZES)
    if args.out is not None and len(sizes) > 1:
        parser.error("--out takes one --activities size")
    for size in sizes:
        spec = Spec(size, args.organisations, args.contacts, args.seed)
        if args.out is not None:
            if args.out.exists() and any(args.out.iterdir()):
                parser.error(f"{args.out} is not empty")
            report = build(args.out, spec)
            print(f"{args.out}: {report.describe()}", flush=True)
        else:
            print(f"{cached(spec, quiet=False)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
