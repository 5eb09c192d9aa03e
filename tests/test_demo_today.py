"""Issue 13: the demo has an event that is open today, whatever day it runs, so the event day
(door, stands, dashboard) can be tried. Idempotent: the same day changes nothing, a later
day moves the same event instead of adding one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.demo import TODAY_SLUG, _today_event, today_window
from tests.helpers import badge, bearer

AMS = ZoneInfo("Europe/Amsterdam")


def test_the_window_covers_the_whole_dutch_day_in_every_season():
    for local in (dt.datetime(2026, 12, 6, 0, 30, tzinfo=AMS),
                  dt.datetime(2027, 7, 1, 23, 30, tzinfo=AMS),
                  dt.datetime(2027, 3, 28, 12, 0, tzinfo=AMS)):  # the day summer time starts
        starts, ends, opens, closes = today_window(local.astimezone(dt.UTC))
        assert opens <= local < closes
        assert starts.astimezone(AMS).date() == local.date()
        assert starts.astimezone(AMS).hour == 8 and ends.astimezone(AMS).hour == 22
        assert today_window(local.astimezone(dt.UTC) + dt.timedelta(minutes=20))[0] == starts


async def test_demo_event_is_open_today_and_idempotent_across_days(client, db, monkeypatch):
    db_ = current_engine()
    first = await _today_event()
    assert "open today" in first
    event = (await db_.fetch("SELECT * FROM event WHERE slug = ?", [TODAY_SLUG]))[0]
    counts = [(await db_.fetch(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]
              for table in ("event", "employer", "vacancy", "visitor", "registration")]
    assert counts[0] == 1 and all(n > 0 for n in counts)

    # Check-in works now, at the door.
    door = await bearer(await _event(), label="Deur Noord")
    reg = (await db_.fetch("SELECT id FROM registration ORDER BY id LIMIT 1"))[0]["id"]
    r = await client.post(f"/api/v1/events/{TODAY_SLUG}/checkins", headers=door,
                          json={"token": await badge(await _event(), reg)})
    assert r.json()["status"] == "ok"

    # Again on the same day: nothing changes.
    assert "already there" in await _today_event()
    again = (await db_.fetch("SELECT * FROM event WHERE slug = ?", [TODAY_SLUG]))[0]
    assert again["starts_at"] == event["starts_at"]

    # Three days later: the same event moves to that day; nothing is added or lost.
    later = clock.now() + dt.timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "moved to today" in await _today_event()
    moved = (await db_.fetch("SELECT * FROM event WHERE slug = ?", [TODAY_SLUG]))[0]
    assert moved["id"] == event["id"]
    assert moved["starts_at"].astimezone(AMS).date() == later.astimezone(AMS).date()
    assert moved["checkin_opens_at"] <= later < moved["checkin_closes_at"]
    assert [(await db_.fetch(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]
            for table in ("event", "employer", "vacancy", "visitor", "registration")] == counts
    assert "already there" in await _today_event()


async def _event():
    from event_ops.events.service import get_event

    return await get_event(TODAY_SLUG)
