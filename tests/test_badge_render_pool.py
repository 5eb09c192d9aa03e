"""Badge files are rendered beside the event loop, once per badge, and never served stale
(issue 12, finding 2: one anonymous client fetching a badge PNG stalled the door)."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import time

import pytest
import zxingcpp
from PIL import Image

from badges import render_pool, service
from badges.content import badge_data
from badges.render import BadgeData, render_pdf, render_png
from badges.render_pool import BadgeRenderer, RenderBusy, renderer
from badges.token import parse_token
from event_ops.core.settings import get_settings
from event_ops.mail.render import badge_url
from tests.helpers import bearer, open_event, visitor


@pytest.fixture
async def event(db):
    return await open_event()


@pytest.fixture
def thread_pool():
    """The app's renderer on a thread pool, so a test can watch (and slow down) the render
    function in this process; the process pool is the default again afterwards."""
    renderer.close()
    renderer.forget()
    renderer.configure(pool="thread")
    yield renderer
    renderer.close()
    renderer.forget()
    renderer.configure(pool="process", workers=render_pool.WORKERS,
                       max_waiting=render_pool.MAX_WAITING)


def link(registration_id: int, serial: int = 1, ext: str = "png") -> str:
    url = badge_url(get_settings(), registration_id, serial)
    return url.removeprefix(get_settings().base_url).removesuffix(".png") + "." + ext


def qr_text(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0].text


def sample(n: int = 1) -> BadgeData:
    return BadgeData(token=f"EO1.sample-token-{n}", first_name="Lisa", full_name="Lisa Hoekstra",
                     event_name="Werkfestival", event_when="za 12 okt", sectors=("care",),
                     competencies=("Plannen",))


async def test_badge_link_serves_exactly_the_rendered_badge_from_a_worker_process(client,
                                                                                   event):
    renderer.forget()
    v = await visitor(event, 1, name="Lisa Hoekstra")
    expected = await badge_data(v.registration_id, get_settings())
    png = await client.get(link(v.registration_id))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content == render_png(expected)
    pdf = await client.get(link(v.registration_id, ext="pdf"))
    assert pdf.status_code == 200 and pdf.content == render_pdf(expected)
    assert renderer.pool == "process"
    # Served again from the cache: the same bytes, no new render.
    before = renderer.renders
    assert (await client.get(link(v.registration_id))).content == png.content
    assert renderer.renders == before


async def test_rendering_does_not_run_on_the_event_loop_thread(client, event, thread_pool,
                                                               monkeypatch):
    threads: list[int] = []
    real = render_pool.render_png

    def watched(data: BadgeData) -> bytes:
        threads.append(threading.get_ident())
        return real(data)

    monkeypatch.setattr(render_pool, "render_png", watched)
    v = await visitor(event, 1)
    r = await client.get(link(v.registration_id))
    assert r.status_code == 200
    assert threads and threading.get_ident() not in threads


async def test_concurrent_requests_for_one_badge_render_it_once(client, event, thread_pool,
                                                                monkeypatch):
    calls: list[str] = []
    real = render_pool.render_png

    def slow(data: BadgeData) -> bytes:
        calls.append(data.token)
        time.sleep(0.3)  # long enough for all eight requests to arrive meanwhile
        return real(data)

    monkeypatch.setattr(render_pool, "render_png", slow)
    v = await visitor(event, 1)
    answers = await asyncio.gather(*(client.get(link(v.registration_id)) for _ in range(8)))
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.content for a in answers}) == 1
    assert len([c for c in calls if c != "warm-up"]) == 1  # the worker's own warm-up aside


async def test_reissued_badge_is_not_served_from_the_old_render(client, event):
    v = await visitor(event, 1)
    old = await client.get(link(v.registration_id))
    door = await bearer(event)
    r = await client.post(f"/api/v1/events/festival-today/registrations/{v.registration_id}"
                          "/reissue", headers=door)
    assert r.status_code == 200
    assert (await client.get(link(v.registration_id))).status_code == 404
    new = await client.get(link(v.registration_id, serial=2))
    assert new.status_code == 200 and new.content != old.content
    assert parse_token(qr_text(new.content))[0].serial == 2


async def test_new_signing_key_is_not_served_from_the_old_render(client, event):
    v = await visitor(event, 1)
    old = await client.get(link(v.registration_id))
    old_key = parse_token(qr_text(old.content))[0].key_id
    await service.add_key(event.id, get_settings())  # eventops badges rotate-key
    new = await client.get(link(v.registration_id))
    assert new.status_code == 200 and new.content != old.content
    assert parse_token(qr_text(new.content))[0].key_id == old_key + 1


async def test_changed_name_is_not_served_from_the_old_render(client, event, monkeypatch):
    from app.api import badges as badge_api
    from event_ops.core.db import current_engine

    # What a badge shows is kept for BADGE_DATA_SECONDS (2 s); the render cache never
    # serves an old render for new content.
    monkeypatch.setattr(badge_api, "BADGE_DATA_SECONDS", 0.0)
    v = await visitor(event, 1, name="Lisa Hoekstra")
    old = await client.get(link(v.registration_id))
    await current_engine().fetch("UPDATE visitor SET name = ? WHERE id = ?",
                                 ["Lotte Hoekstra", v.visitor_id])
    new = await client.get(link(v.registration_id))
    expected = await badge_data(v.registration_id, get_settings())
    assert expected.first_name == "Lotte"
    assert new.content != old.content and new.content == render_png(expected)


async def test_more_badges_than_render_slots_answer_503_busy(client, event, thread_pool,
                                                            monkeypatch):
    release = threading.Event()
    real = render_pool.render_png

    def blocked(data: BadgeData) -> bytes:
        release.wait(10)
        return real(data)

    monkeypatch.setattr(render_pool, "render_png", blocked)
    renderer.configure(workers=1, max_waiting=1)
    ids = [(await visitor(event, n)).registration_id for n in range(3)]
    first = asyncio.ensure_future(client.get(link(ids[0])))
    second = asyncio.ensure_future(client.get(link(ids[1])))
    await asyncio.sleep(0.2)  # both are in the pool (one running, one waiting)
    third = await client.get(link(ids[2]))
    assert third.status_code == 503
    assert third.json()["error"] == "busy" and third.headers["retry-after"] == "2"
    release.set()
    assert (await first).status_code == 200 and (await second).status_code == 200
    assert (await client.get(link(ids[2]))).status_code == 200


async def test_cache_is_bounded_by_size():
    pool = BadgeRenderer(pool="thread", cache_bytes=1)  # nothing fits
    try:
        await pool.render(sample(), "pdf")
        await pool.render(sample(), "pdf")
        assert pool.renders == 2
        one = len(render_pdf(sample()))
        pool.configure(cache_bytes=int(one * 1.5))  # room for one badge
        pool.forget()
        await pool.render(sample(1), "pdf")
        await pool.render(sample(2), "pdf")  # pushes badge 1 out
        await pool.render(sample(2), "pdf")
        assert pool.renders == 4
        await pool.render(sample(1), "pdf")
        assert pool.renders == 5
    finally:
        pool.close()


async def test_a_caller_going_away_does_not_cancel_the_render_others_wait_for(monkeypatch):
    monkeypatch.setattr(render_pool, "render_pdf",
                        lambda data: (time.sleep(0.2), render_pdf(data))[1])
    pool = BadgeRenderer(pool="thread")
    try:
        first = asyncio.ensure_future(pool.render(sample(), "pdf"))
        second = asyncio.ensure_future(pool.render(sample(), "pdf"))
        await asyncio.sleep(0.05)
        first.cancel()
        assert await second == render_pdf(sample())
        assert pool.renders == 1
    finally:
        pool.close()


async def test_a_killed_worker_process_is_replaced():
    pool = BadgeRenderer(pool="process")
    try:
        assert await pool.render(sample(1), "pdf") == render_pdf(sample(1))
        executor = pool._executor
        assert executor is not None
        for pid in list(executor._processes):  # type: ignore[attr-defined]
            os.kill(pid, 9)
        await asyncio.sleep(0.2)
        assert await pool.render(sample(2), "pdf") == render_pdf(sample(2))
    finally:
        pool.close()


async def test_full_pool_refuses_new_work_but_serves_cached_badges(monkeypatch):
    pool = BadgeRenderer(pool="thread", workers=1, max_waiting=0)
    gate = threading.Event()

    def held(data: BadgeData) -> bytes:
        gate.wait(10)
        return render_pdf(data)

    try:
        await pool.render(sample(1), "pdf")
        monkeypatch.setattr(render_pool, "render_pdf", held)
        running = asyncio.ensure_future(pool.render(sample(2), "pdf"))
        await asyncio.sleep(0.05)
        with pytest.raises(RenderBusy):
            await pool.render(sample(3), "pdf")
        assert await pool.render(sample(1), "pdf") == render_pdf(sample(1))  # cached
        gate.set()
        await running
    finally:
        gate.set()
        pool.close()
