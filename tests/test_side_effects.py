"""Side effects belong to the domain action: a check-in tells the live feed itself, and
queuing mail wakes the outbox itself, whoever calls it (an API handler, a page, a script).
Through ``event_ops.notices`` (this process only), so the domain imports nothing of the app."""

from __future__ import annotations

import pytest

from checkin.scan import ScanInput, check_in, undo_check_in
from event_ops import notices
from event_ops.access.permissions import authorize
from event_ops.mail.outbox import retry_failed
from event_ops.people.lost_link import request_new_link
from tests.helpers import badge, bearer, open_event, visitor


@pytest.fixture
def heard():
    """What this process's listeners hear, instead of a live feed and an outbox worker."""
    said: list[tuple] = []
    for kind in (notices.SCANNED, notices.STATS, notices.MAIL):
        notices.listen(kind, lambda *args, kind=kind: said.append((kind, *args)))
    yield said
    for kind in (notices.SCANNED, notices.STATS, notices.MAIL):
        notices.listen(kind, None)


async def test_a_check_in_tells_the_live_feed_itself(db, heard):
    event = await open_event()
    v = await visitor(event, 1)
    heard.clear()
    door = await authorize((await bearer(event))["Authorization"], event.id, "checkin.scan")
    token = await badge(event, v.registration_id)

    result, record = await check_in(event, door, ScanInput(token=token, nonce="n-1"))
    assert result.status == "ok"
    assert heard == [(notices.SCANNED, record)]
    assert (record.status, record.registration_id) == ("ok", v.registration_id)
    # A failed scan is shown on the dashboards too; a replayed nonce was shown already.
    await check_in(event, door, ScanInput(token="nonsense"))
    await check_in(event, door, ScanInput(token=token, nonce="n-1"))
    assert [h[1].status for h in heard] == ["ok", "invalid"]
    # An undo changes the numbers without a scan.
    await undo_check_in(event, door, v.registration_id)
    assert heard[-1] == (notices.STATS, event.id, "undone")


async def test_queuing_mail_wakes_the_outbox_itself(db, heard):
    event = await open_event()
    await visitor(event, 1)
    assert heard == [(notices.MAIL,)]
    with pytest.raises(Exception, match="already registered"):
        await visitor(event, 1)  # the confirmation is queued again
    assert heard == [(notices.MAIL,)] * 2
    await request_new_link("v1@example.nl")
    await retry_failed(event.id)
    assert heard == [(notices.MAIL,)] * 4


def test_a_failing_listener_never_fails_the_domain_action(heard, caplog):
    notices.listen(notices.MAIL, lambda: 1 / 0)
    notices.tell(notices.MAIL)  # logged, not raised
    assert "listener for mail failed" in caplog.text


def test_without_a_listener_nothing_happens():
    notices.listen(notices.SCANNED, None)
    notices.tell(notices.SCANNED, object())
