"""Times a person reads are Europe/Amsterdam, never UTC (issue 13: "Geldig tot 03:47 (UTC)",
the audit log with microseconds)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from event_ops.localtime import local_time
from tests.helpers import open_event, signed_in

AMS = ZoneInfo("Europe/Amsterdam")


def test_local_time_is_amsterdam_in_both_languages_and_seasons():
    winter = dt.datetime(2026, 12, 6, 3, 47, 12, 123456, tzinfo=dt.UTC)
    summer = dt.datetime(2027, 4, 15, 8, 0, tzinfo=dt.UTC)
    assert local_time(winter, "nl") == "06-12-2026 04:47"
    assert local_time(winter, "en") == "2026-12-06 04:47"
    assert local_time(summer, "nl", "time") == "10:00"
    assert local_time("2026-12-06 03:47:12.123456+00:00", "nl", "time") == "04:47"
    assert local_time(None) == ""


async def test_device_pairing_expiry_shows_amsterdam_time(client, db):
    event = await open_event()
    staff = await signed_in("organiser_staff", [event])
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    before = dt.datetime.now(dt.UTC)
    r = await client.post("/events/festival-today/devices", headers={**staff, **form},
                          content=f"role=door&label=Deur+Noord&_csrf_token={staff['X-CSRFToken']}")
    assert r.status_code == 201
    assert "UTC" not in r.text
    shown = re.search(r"Geldig tot (\d\d:\d\d)", r.text).group(1)
    # The code lives minutes, not hours: its expiry lies shortly after now, in Amsterdam time.
    local_now = before.astimezone(AMS)
    candidates = {(local_now + dt.timedelta(minutes=m)).strftime("%H:%M") for m in range(0, 61)}
    assert shown in candidates


async def test_audit_log_shows_amsterdam_time_without_microseconds(client, db):
    admin = await signed_in("organiser_admin")
    page = await client.get("/admin/audit?lang=en", headers=admin)
    assert page.status_code == 200
    cells = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', page.text)
    assert cells, "the audit log shows its times in <time> elements"
    for cell in cells:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cell), cell
    now_local = dt.datetime.now(AMS)
    assert any(cell.startswith(now_local.strftime("%Y-%m-%d")) for cell in cells)
    visible = re.sub(r"<[^>]+>", " ", page.text.split("<tbody>")[1])
    assert "+00:00" not in visible and "UTC" not in visible


def test_device_pages_format_clock_times_in_the_events_zone():
    """Door, dashboard, stand and board show times with the browser's Intl API: without a
    timeZone a tablet set to UTC (or abroad) would show UTC. Every clock time they format
    names Europe/Amsterdam (reports.js does so through its ``zone`` constant)."""
    from pathlib import Path

    js = Path(__file__).resolve().parent.parent / "static" / "js"
    missing = []
    for path in sorted(js.glob("*.js")):
        text = path.read_text("utf-8")
        for match in re.finditer(r"\.(toLocaleTimeString|toLocaleString)\(", text):
            call = text[match.start():match.start() + 300]
            call = call[:call.find(");") + 1] if ");" in call else call
            if "value.toLocaleString" in text[match.start() - 6:match.end()]:
                continue  # numbers, not times
            if "timeZone" not in call:
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{path.name}:{line}")
    assert missing == []
