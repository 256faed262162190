"""The benchmark data-set generator (benchmarks/dataset.py), on a tiny set: what it writes is
there when read back through the services, in known sectors, with realistic text, the same
every time, and a cached set is built once."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from portfolio_app.domain.enums import LessonSection, Status
from portfolio_app.domain.records import (
    Activity,
    Contact,
    Goal,
    Lesson,
    Organisation,
    Profile,
    Review,
)
from portfolio_app.taxonomy import Taxonomy

DATASET_FILE = Path(__file__).resolve().parents[1] / "benchmarks" / "dataset.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dataset", DATASET_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


dataset = _load()
TINY = dataset.Spec(activities=50, organisations=20, contacts=30)


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "data"
    dataset.build(folder, TINY)
    return folder


@dataclass
class Found:
    organisations: list[Organisation]
    contacts: list[Contact]
    activities: list[Activity]
    lessons: list[Lesson]
    goals: list[Goal]
    reviews: list[Review]
    profile: Profile
    taxonomy: Taxonomy


def _everything(folder: Path) -> Found:
    with dataset.unlocked():
        services = dataset.open_dataset(folder)
    try:
        return Found(
            services.organisations.list_all(),
            services.contacts.list_all(),
            services.activities.list_all(),
            services.lessons.list_all(),
            services.goals.list_all(),
            services.reviews.list_all(),
            services.profile.require(),
            services.taxonomy,
        )
    finally:
        services.close()


def test_counts_read_back_through_the_services(tiny_set: Path) -> None:
    found = _everything(tiny_set)
    assert len(found.organisations) == 20  # the profile's home organisation among them
    assert len(found.contacts) == 30
    assert len(found.activities) == 50
    assert len(found.lessons) == 50 // 3
    assert len(found.goals) == 12
    assert len(found.reviews) == 1
    assert found.profile.name == "Siân Łukasz-Zoë"


def test_every_sector_used_is_in_the_taxonomy_and_links_hold(tiny_set: Path) -> None:
    found = _everything(tiny_set)
    taxonomy = found.taxonomy
    organisations = {o.id: o for o in found.organisations}
    contacts = {c.id: c for c in found.contacts}
    used = {o.sector_id for o in organisations.values()}
    # 20 organisations, round robin: as many sectors as there are organisations or sectors.
    assert len(used) == min(20, len(taxonomy.sectors))
    for activity in found.activities:
        used.update(activity.extra_sector_ids)
        assert set(activity.organisation_ids) <= organisations.keys()
        for contact_id in activity.contact_ids:
            # each contact holds (or held) a role at one of the activity's organisations
            role_orgs = {r.organisation_id for r in contacts[contact_id].roles}
            assert role_orgs & set(activity.organisation_ids)
    for goal in found.goals:
        used.update(goal.sector_ids)
    assert used and all(sector in taxonomy for sector in used)
    assert any(o.aliases for o in organisations.values())
    assert all(c.roles for c in contacts.values())


def test_text_lengths_names_and_visibility_are_realistic(tiny_set: Path) -> None:
    found = _everything(tiny_set)
    activities = found.activities
    assert all(30 <= len(a.title) <= 90 for a in activities)
    assert all(len(a.description) <= 1_500 for a in activities)
    assert any(len(a.description) > 200 for a in activities)
    assert {a.status for a in activities} <= {Status.DONE, Status.PLANNED}
    shared: set[bool] = set()
    for lesson in found.lessons:
        assert 30 <= len(lesson.title) <= 90
        assert lesson.activity_id is not None
        texts = [f for f in lesson.sections.values() if f.text]
        assert texts and all(100 <= len(f.text) <= 800 for f in texts)
        shared.update(f.shared for f in texts)
        assert set(lesson.sections) == set(LessonSection)
    assert shared == {True, False}
    names = [c.name for c in found.contacts]
    assert any(not name.isascii() for name in names)


def test_the_same_seed_gives_the_same_data(tiny_set: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    dataset.build(again, TINY)

    def titles(folder: Path) -> list[str]:
        found = _everything(folder)
        return sorted(a.title for a in found.activities)

    assert titles(again) == titles(tiny_set)
    other = tmp_path / "other"
    dataset.build(other, dataset.Spec(activities=50, organisations=20, contacts=30, seed=7))
    assert titles(other) != titles(tiny_set)


def test_a_cached_set_is_built_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    small = dataset.Spec(activities=6, organisations=3, contacts=4)
    first = dataset.cached(small, cache, quiet=True)
    stamp = (first / "portfolio.sqlite3").stat().st_mtime_ns
    assert dataset.cached(small, cache, quiet=True) == first
    assert (first / "portfolio.sqlite3").stat().st_mtime_ns == stamp
    assert first.name == small.key and f"v{dataset.DATASET_VERSION}" in first.name
    assert [p.name for p in cache.iterdir()] == [small.key]  # no partial folder left behind
