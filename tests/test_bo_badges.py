"""Bulk badge printing (/admin/events/{slug}/badges and /api/v1/events/{slug}/badge-prints):
a background job renders the print sheet while its progress advances; the PDF has every
badge, each QR decoding to that badge's token; "new since the last print" picks only new
and re-issued badges; a job whose process ended is failed; only organisers may."""

from __future__ import annotations

import asyncio
import json
import math
import time

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from badges.service import reissue, verify_badge
from badges.sheets import GRIDS
from event_ops.core.db import current_engine
from event_ops.printing import badge_runs
from tests.helpers import bearer, open_event, signed_in, visitor

DPI = 150


def pages_of(pdf: bytes) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72).to_pil() for page in doc]
    finally:
        doc.close()


def tokens_on(page: Image.Image) -> list[str]:
    """Every QR code on an A4 sheet, one badge slot at a time (2 × 2 A6)."""
    cols, rows = GRIDS["a6"]
    w, h = page.width // cols, page.height // rows
    found = []
    for r in range(rows):
        for c in range(cols):
            slot = page.crop((c * w, r * h, (c + 1) * w, (r + 1) * h))
            found += [b.text for b in zxingcpp.read_barcodes(
                slot, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


async def wait_for(client, slug: str, run_id: int, headers: dict,
                   seen: list[int] | None = None, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = await client.get(f"/api/v1/events/{slug}/badge-prints/{run_id}",
                                  headers=headers)
        assert answer.status_code == 200, answer.text
        run = answer.json()
        if seen is not None:
            seen.append(run["done"])
        if run["status"] not in ("queued", "running"):
            return run
        await asyncio.sleep(0.01)
    raise AssertionError("the print run did not finish")


async def registered(event, first: int, n: int) -> list[int]:
    return [(await visitor(event, i, name=f"Persoon{i:04d} Test")).registration_id
            for i in range(first, first + n)]


async def test_all_then_new_since_the_last_print(client, db, monkeypatch):
    monkeypatch.setattr(badge_runs, "HEARTBEAT_SECONDS", 0.02)
    event = await open_event("drukke-dag")
    ids = await registered(event, 1, 150)
    admin = await signed_in("organiser_admin")
    page = await client.get(f"/admin/events/{event.slug}/badges", headers=admin)
    assert page.status_code == 200
    assert "Er is nog niets geprint." in page.text and "Alle badges (150)" in page.text

    started = await client.post(f"/admin/events/{event.slug}/badges", headers=admin,
                                data={"scope": "all"})
    assert started.status_code == 303
    run_id = int(started.headers["location"].split("run=")[1].split("&")[0])
    # The page while it runs: a progress bar, and a reload for browsers without script.
    busy = await client.get(started.headers["location"], headers=admin)
    assert '<progress id="print-progress" max="150"' in busy.text
    assert '<meta http-equiv="refresh"' in busy.text
    seen: list[int] = []
    run = await wait_for(client, event.slug, run_id, admin, seen)
    assert run["status"] == "done", run
    assert run["total"] == run["done"] == 150 and run["pages"] == math.ceil(150 / 4)
    # Progress advanced in steps, never backwards, and was seen between start and end.
    assert seen == sorted(seen) and seen[-1] == 150
    assert any(0 < n < 150 for n in seen), seen

    pdf = await client.get(run["download_url"], headers=admin)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    pages = pages_of(pdf.content)
    assert len(pages) == 38
    first_page = tokens_on(pages[0])
    assert len(first_page) == 4
    claims = [await verify_badge(token, event.id) for token in first_page]
    assert {c.registration_id for c in claims} <= set(ids)
    assert all(c.serial == 1 for c in claims)
    done_page = await client.get(f"/admin/events/{event.slug}/badges", headers=admin)
    assert "Klaar: 38 pagina&#39;s." in done_page.text or "Klaar: 38 pagina's." in done_page.text
    assert "Nieuw sinds de laatste keer printen (0)" in done_page.text

    # Two sign-ups and a lost badge later: "new" prints exactly those three.
    new_ids = await registered(event, 500, 2)
    serial = await reissue(event.id, ids[7], "test")
    answer = await client.get(f"/api/v1/events/{event.slug}/badge-prints", headers=admin)
    assert answer.json()["new"] == 3 and answer.json()["all"] == 152
    started = await client.post(f"/api/v1/events/{event.slug}/badge-prints", headers=admin,
                                json={"scope": "new"})
    assert started.status_code == 202 and started.json()["total"] == 3
    run = await wait_for(client, event.slug, started.json()["id"], admin)
    assert run["status"] == "done" and run["pages"] == 1
    pdf = await client.get(run["download_url"], headers=admin)
    (page,) = pages_of(pdf.content)
    claims = [await verify_badge(token, event.id) for token in tokens_on(page)]
    assert sorted((c.registration_id, c.serial) for c in claims) == sorted(
        [(new_ids[0], 1), (new_ids[1], 1), (ids[7], serial)])

    # Nothing new now: refused in plain words, nothing started.
    refused = await client.post(f"/admin/events/{event.slug}/badges", headers=admin,
                                data={"scope": "new"})
    assert refused.status_code == 409
    assert "Er zijn geen badges om te printen." in refused.text
    runs = await current_engine().fetch("SELECT id FROM badge_print_run")
    assert len(runs) == 2

    # Who printed what, and every download, are in the audit log (no names).
    audit = await current_engine().fetch(
        "SELECT action, fields FROM audit_entry WHERE action LIKE 'badges.print%' ORDER BY id")
    assert [a["action"] for a in audit] == [
        "badges.print_started", "badges.print_downloaded",
        "badges.print_started", "badges.print_downloaded"]
    assert json.loads(audit[0]["fields"]) == ["scope=all", "badges=150"]


async def test_a_job_whose_process_ended_is_failed_and_can_be_started_again(client, db):
    event = await open_event("herstart")
    await registered(event, 1, 3)
    admin = await signed_in("organiser_admin")
    db_ = current_engine()
    # A run left "running" by a process that died 40 s ago (its heartbeat stopped).
    from event_ops import clock

    long_ago = clock.now().replace(microsecond=0) - __import__("datetime").timedelta(seconds=40)
    rows = await db_.fetch(
        "INSERT INTO badge_print_run (event, scope, status, total, done, pages, badge_size,"
        " actor, created_at, heartbeat_at, file_name, file_bytes, error) VALUES"
        " (?, 'all', 'running', 3, 1, 0, 'a6', 'x', ?, ?, '', 0, '') RETURNING id",
        [event.id, long_ago, long_ago])
    stale = rows[0]["id"]
    run = (await client.get(f"/api/v1/events/{event.slug}/badge-prints/{stale}",
                            headers=admin)).json()
    assert run["status"] == "failed" and run["error"] == "stale"
    page = await client.get(f"/admin/events/{event.slug}/badges?run={stale}", headers=admin)
    assert "Dit is mislukt. Start het opnieuw. De server is opnieuw gestart." in page.text
    # A live one (fresh heartbeat) blocks a second run of the same event.
    await db_.fetch(
        "INSERT INTO badge_print_run (event, scope, status, total, done, pages, badge_size,"
        " actor, created_at, heartbeat_at, file_name, file_bytes, error) VALUES"
        " (?, 'all', 'running', 3, 1, 0, 'a6', 'x', ?, ?, '', 0, '')",
        [event.id, clock.now(), clock.now()])
    busy = await client.post(f"/api/v1/events/{event.slug}/badge-prints", headers=admin,
                             json={"scope": "all"})
    assert busy.status_code == 409 and busy.json()["error"] == "print_running"
    await db_.fetch("UPDATE badge_print_run SET status = 'failed' WHERE status = 'running'")
    # Failed runs print nothing: "new" still has every badge.
    started = await client.post(f"/api/v1/events/{event.slug}/badge-prints", headers=admin,
                                json={"scope": "new"})
    assert started.status_code == 202 and started.json()["total"] == 3
    run = await wait_for(client, event.slug, started.json()["id"], admin)
    assert run["status"] == "done"
    # Old files are cleaned up; the run then says so.
    from event_ops.core.settings import get_settings

    assert await badge_runs.clean_up(get_settings(), keep_hours=0) >= 1
    gone = await client.get(run["download_url"], headers=admin)
    assert gone.status_code == 410 and gone.json()["error"] == "print_gone"
    page = await client.get(f"/admin/events/{event.slug}/badges", headers=admin)
    assert "Dit bestand is opgeruimd." in page.text


async def test_only_organisers_may_print_and_download(client, db):
    event = await open_event("alleen-organisatie")
    await registered(event, 1, 2)
    other = await open_event("ander-feest")
    admin = await signed_in("organiser_admin")
    started = await client.post(f"/api/v1/events/{event.slug}/badge-prints", headers=admin,
                                json={"scope": "all"})
    run = await wait_for(client, event.slug, started.json()["id"], admin)
    base = f"/api/v1/events/{event.slug}/badge-prints"
    employer_id = (await current_engine().fetch(
        "INSERT INTO employer (event, name, sector, is_training_provider, contact_email,"
        " created_at) VALUES (?, 'Zorg BV', 'care', ?, '', ?) RETURNING id",
        [event.id, False, event.starts_at]))[0]["id"]
    refused = {
        "door": await bearer(event, "door"),
        "employer": await bearer(event, "employer", "Zorg", employer_id),
        "job coach": await signed_in("job_coach", [event]),
        "staff of another event": await signed_in("organiser_staff", [other]),
    }
    for who, headers in refused.items():
        for method, path in (("GET", base), ("GET", f"{base}/{run['id']}"),
                             ("GET", f"{base}/{run['id']}/file"), ("POST", base)):
            answer = await client.request(method, path, headers=headers,
                                          json={"scope": "all"} if method == "POST" else None)
            assert answer.status_code == 403, (who, method, path, answer.status_code)
    for who in ("job coach", "staff of another event"):
        page = await client.get(f"/admin/events/{event.slug}/badges", headers=refused[who])
        assert page.status_code == 403, who
        posted = await client.post(f"/admin/events/{event.slug}/badges",
                                   headers=refused[who], data={"scope": "all"})
        assert posted.status_code == 403, who
    assert (await client.get(f"{base}/{run['id']}/file")).status_code == 401
    staff = await signed_in("organiser_staff", [event])
    assert (await client.get(f"{base}/{run['id']}/file", headers=staff)).status_code == 200
    organiser = await bearer(event, "organiser", "Script")
    assert (await client.get(f"{base}/{run['id']}/file", headers=organiser)).status_code == 200
    assert len(await current_engine().fetch("SELECT id FROM badge_print_run")) == 1


def start_server(port: int, env: dict[str, str]):
    """An app process of our own (so the test can stop exactly it)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    return subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def test_stopping_the_server_mid_job_marks_the_run_failed(db, tmp_path):
    """The job runs in the server process: when that process stops (here: SIGTERM, as a
    deploy does), its run is marked failed at once, its half-written file is removed, and
    a new run can start. (A killed process leaves a run whose heartbeat stops: see the
    stale-run test above.)"""
    import os
    import signal

    import httpx

    from tests.conftest import free_port, wait_for_port

    event = await open_event("stop-mid-job")
    await registered(event, 1, 400)
    admin = await signed_in("organiser_admin")
    port = free_port()
    env = {**os.environ, "EVENTOPS_BASE_URL": f"http://127.0.0.1:{port}",
           "EVENTOPS_PRINT_DIR": str(tmp_path)}
    server = start_server(port, env)
    try:
        await asyncio.to_thread(wait_for_port, port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}",
                                     headers=admin) as http:
            started = await http.post(f"/api/v1/events/{event.slug}/badge-prints",
                                      json={"scope": "all"})
            assert started.status_code == 202, started.text
            run_id = started.json()["id"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                run = (await http.get(f"/api/v1/events/{event.slug}/badge-prints/{run_id}")
                       ).json()
                if run["done"] > 0 or run["status"] not in ("queued", "running"):
                    break
                await asyncio.sleep(0.05)
            assert run["status"] == "running" and 0 < run["done"] < 400, run
        server.send_signal(signal.SIGTERM)
        await asyncio.to_thread(server.wait, 60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    rows = await current_engine().fetch(
        "SELECT status, error, file_name FROM badge_print_run WHERE id = ?", [run_id])
    assert rows[0]["status"] == "failed" and rows[0]["error"] == "stopped"
    assert rows[0]["file_name"] == ""
    assert [p.name for p in tmp_path.iterdir()] == []  # no half-written PDF left behind
    answer = await badge_runs.counts(event.id)
    assert answer["new"] == 400  # a failed run printed nothing


async def test_two_organisers_starting_at_once_get_one_run(client, db):
    event = await open_event("tegelijk")
    await registered(event, 1, 3)
    admins = [await signed_in("organiser_admin") for _ in range(5)]
    answers = await asyncio.gather(*(
        client.post(f"/api/v1/events/{event.slug}/badge-prints", headers=h,
                    json={"scope": "all"}) for h in admins))
    codes = sorted(a.status_code for a in answers)
    assert codes == [202, 409, 409, 409, 409], codes
    assert {a.json()["error"] for a in answers if a.status_code == 409} == {"print_running"}
    run = await wait_for(client, event.slug, next(
        a.json()["id"] for a in answers if a.status_code == 202), admins[0])
    assert run["status"] == "done"
    assert len(await current_engine().fetch("SELECT id FROM badge_print_run")) == 1
