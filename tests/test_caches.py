"""The per-process caches: one registry (event_ops/core/caches.py), one ``clear_all``."""

from __future__ import annotations

import pytest

from event_ops.core import caches
from event_ops.core.caches import MISSING, Cache, TTLCache

# Every module-level cache of the project, by the name it is registered under. A new cache
# belongs in the registry too (the tests empty it between tests, with the tables).
EXPECTED = {
    "access.tokens", "badges.badge_data", "badges.key_refresh_times", "badges.key_rings",
    "badges.raw_public_keys", "badges.renders", "badges.signing_keys",
    "badges.verified_tokens", "events.by_slug", "interests.employer_vacancies",
    "pages.sign_up_fields", "pages.sign_up_pages", "privacy.legal_versions",
    "ratelimit.refusal_pages", "taxonomy.competencies",
}


@pytest.fixture
def scratch():
    """Names registered by a test are taken out again afterwards."""
    before = dict(caches._registry)
    yield
    caches._registry.clear()
    caches._registry.update(before)


def test_every_cache_of_the_app_is_registered():
    import app.factory  # noqa: F401  (imports every route, so every cache)

    assert set(caches.names()) >= EXPECTED


def test_a_ttl_entry_is_served_until_it_expires(scratch):
    cache: TTLCache[str, int] = TTLCache("test.ttl", seconds=60)
    cache.put("a", 1)
    cache.put("gone", 2, seconds=0.0)
    assert cache.get("a") == 1 and "a" in cache
    assert cache.get("gone") is None and "gone" not in cache
    assert cache.get("never", 7) == 7


def test_a_cached_none_is_told_apart_from_a_miss(scratch):
    cache: TTLCache[str, int | None] = TTLCache("test.none", seconds=60)
    cache.put("unknown token", None)
    assert cache.get("unknown token", MISSING) is None
    assert cache.get("other", MISSING) is MISSING


def test_bounded_caches_drop_the_oldest_first(scratch):
    ttl: TTLCache[int, int] = TTLCache("test.bounded_ttl", seconds=60, maxsize=3)
    plain: Cache[int, int] = Cache("test.bounded", maxsize=3)
    for i in range(5):
        ttl.put(i, i)
        plain.put(i, i)
    assert [k for k in range(5) if k in ttl] == [2, 3, 4] and len(ttl) == 3
    assert list(plain) == [2, 3, 4]
    plain.move_to_end(2)  # read recently: the least recently used goes first now
    plain.put(5, 5)
    assert list(plain) == [4, 2, 5]
    plain.put(4, 40)  # a key already there makes no room and keeps its place
    assert list(plain.items()) == [(4, 40), (2, 2), (5, 5)]


def test_clear_all_empties_every_registered_cache(scratch):
    ttl: TTLCache[str, int] = TTLCache("test.clear_ttl", seconds=60)
    plain: Cache[str, int] = Cache("test.clear_plain")
    forgotten = []
    caches.register("test.clear_own", lambda: forgotten.append(True))
    ttl.put("a", 1)
    plain.put("b", 2)
    caches.clear("test.clear_plain")
    assert not plain and len(ttl) == 1
    caches.clear_all()
    assert not ttl and not plain and forgotten == [True]


def test_a_name_is_taken_once(scratch):
    Cache("test.once")
    with pytest.raises(ValueError, match="test.once"):
        TTLCache("test.once", seconds=1)


async def test_clear_all_makes_the_next_lookup_read_the_database(db, festival):
    """What the tests rely on between two tests: nothing survives ``clear_all``."""
    from event_ops.events.service import cached_event
    from event_ops.events.tables import Event

    assert (await cached_event("werkfestival")).name == "Werkfestival 2.0"
    await Event.update({Event.name: "Werkfestival 3.0"}).where(
        Event.slug == "werkfestival").run()
    assert (await cached_event("werkfestival")).name == "Werkfestival 2.0"  # kept 5 s
    caches.clear_all()
    assert (await cached_event("werkfestival")).name == "Werkfestival 3.0"
