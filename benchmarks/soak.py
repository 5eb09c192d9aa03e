"""Festival-day soak: registrations, door check-ins, employer interests and live dashboards, all
at once, for ``--minutes`` against ONE uvicorn process (``app.asgi:app``, 1 worker).

Setup (like ``checkin.py``): a fresh database (temp SQLite file, or with ``--postgres`` schema
``public`` of ``--postgres-url`` dropped and recreated), ``eventops migrate``, then in this
process an event whose check-in is open (started an hour ago), ``--visitors`` bulk-inserted
registrations with signed badges, ``--doors`` door tokens, an organiser token and
``--employers`` employers, each with an employer (tablet) token. Then, at the same time:

* registrations: ``--reg-rate``/s ``POST /api/v1/events/{slug}/registrations``, unique
  e-mails; acknowledged = 201 with ``status: registered``;
* check-ins: ``--checkin-rate``/s ``POST .../checkins`` by the door tokens, unique badges,
  ``--repeat`` of them re-scans of an acknowledged badge; acknowledged = 200 with ``ok``
  (fresh badge) or ``already_checked_in`` (re-scan);
* interests: one coroutine per employer tablet, ``--interest-rate``/s in total (random,
  Poisson-like gaps) ``POST .../interests`` with a random level for visitors whose check-in
  was acknowledged, ``--rescan`` of them re-scans of a visitor the tablet logged before;
  acknowledged = 201 (``created`` true for a new pair, false for a re-scan);
* ``--dashboards`` websocket clients on ``/ws/events/{slug}/live`` (half door, half
  organiser token; ``checkin.py``'s dashboard process) reading the feed the whole time;
* the server's RSS (``VmRSS`` of ``/proc/<pid>/status``) and open fds every
  ``--sample-every`` s.

Requests are paced (scheduled at the rate; a few keep-alive connections per stream, tablets
reconnect when idle longer than uvicorn's keep-alive), every request has a timeout, every
loop is bounded in count and time, and the run stops by itself. At the end the acknowledged
counts are compared with the database: ``lost`` = acknowledged but not stored (must be 0),
``extra`` = stored without an acknowledgement (only possible after errors). Errors (5xx,
connection errors, timeouts) and unexpected answers (other statuses) are reported apart.

    python -m benchmarks.soak                      # SQLite, 10 minutes
    python -m benchmarks.soak --minutes 2 --postgres
    python -m benchmarks.soak --minutes 0.3 --visitors 1000 --employers 20 --dashboards 10

Memory is "flat" when the RSS at the end is at most 1.2 x the RSS after the warm-up
(``--warmup`` s, default 60 s or a quarter of the run).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import sys
import tempfile
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make "benchmarks" importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.checkin import (
    DRAIN_LIMIT,
    DashboardProcess,
    _bulk_register,
    app_env,
    eventops,
    query_rows,
    reset_postgres,
)
from benchmarks.loadgen import run
from benchmarks.registration import read_competency_codes
from benchmarks.servers import Server, serve

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/soak_dev"
EVENT_SLUG = "soak"
HOST = "127.0.0.1"
LEVELS = ("direct", "follow_up", "training", "info")
REQUEST_TIMEOUT = 30.0  # s per request
GRACE = 40.0  # s after the deadline for requests still in flight
IDLE_RECONNECT = 4.0  # s; uvicorn closes idle keep-alive connections after 5 s
MB = 1024 * 1024


# --------------------------------------------------------------------------- setup


@dataclass
class Fixture:
    door_tokens: list[str]
    organiser_token: str
    employers: list[tuple[int, str]]  # (employer id, tablet token)
    badges: list[str]  # badge token of registration reg_ids[i]
    reg_ids: list[int]


async def _prepare(n_visitors: int, n_doors: int, n_employers: int) -> Fixture:
    import app  # noqa: F401  (sets PICCOLO_CONF; the EVENTOPS_* env is set already)
    from badges.service import token_for
    from event_ops.access.tokens import create_token
    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.employers.service import add_employer
    from event_ops.events.service import create_event

    settings = get_settings()
    engine = database.current_engine()
    async with database.engine_running(engine, settings):
        starts = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
        event = await create_event(
            slug=EVENT_SLUG, name="Festival soak", kind="festival", starts_at=starts,
            ends_at=starts + dt.timedelta(hours=12), location="Groningen",
        )
        reg_ids = await _bulk_register(event.id, n_visitors)
        doors = [await create_token(event, role="door", label=f"Door {k + 1}")
                 for k in range(n_doors)]
        organiser = await create_token(event, role="organiser", label="Soak dashboards")
        employers = []
        for k in range(n_employers):
            employer = await add_employer(event, name=f"Soak Employer {k + 1}",
                                          stand_label=f"S{k + 1}", sector="care")
            token = await create_token(event, role="employer", label=f"Tablet {k + 1}",
                                       employer_id=employer.id)
            employers.append((employer.id, token))
        badges = [await token_for(event.id, rid, 1, settings) for rid in reg_ids]
    return Fixture(doors, organiser, employers, badges, reg_ids)


def prepare(database_url: str, args: argparse.Namespace) -> tuple[dict[str, str], Fixture]:
    env = app_env(database_url)
    t0 = time.perf_counter()
    eventops(env, "migrate")
    os.environ.update(env)  # before the first import of ``app``: settings are cached
    os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")
    fx = run(_prepare(args.visitors, args.doors, args.employers))
    print(f"setup: {len(fx.badges):,} registrations with signed badges, {args.doors} door "
          f"tokens, {args.employers} employers + tablet tokens, 1 organiser token in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    return env, fx


# --------------------------------------------------------------------------- HTTP client


class HttpError(Exception):
    """Connection failure, bad response or timeout (the request may or may not have run)."""


class Conn:
    """One keep-alive HTTP/1.1 connection; reads the whole body (we need the answers)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def _read(self) -> tuple[int, bytes, bool]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        if head[:7] != b"HTTP/1." or len(head) < 12:
            raise HttpError(f"bad response head {head[:60]!r}")
        status = int(head[9:12])
        length, chunked, close = -1, False, False
        for line in head[:-4].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    while await self.reader.readuntil(b"\r\n") != b"\r\n":
                        pass
                    break
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            body = b"".join(parts)
        elif length >= 0:
            body = await self.reader.readexactly(length)
        else:
            body, close = await self.reader.read(), True
        return status, body, close

    async def request(self, path: str, body: bytes, headers: bytes,
                      timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes, float, int]:
        """POST ``body``; returns (status, response body, latency s, retries)."""
        if self.writer is not None and time.monotonic() - self.last_used > IDLE_RECONNECT:
            self.close()  # the server may be closing it right now: don't race it
        data = (b"POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n%s\r\n" % (path.encode(), self.host.encode(), self.port,
                                                   len(body), headers)) + body
        retries = 0
        for attempt in (0, 1):
            reused = self.writer is not None
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.wait_for(
                        asyncio.open_connection(self.host, self.port), timeout)
                t0 = time.perf_counter()
                self.writer.write(data)
                status, answer, close = await asyncio.wait_for(self._read(), timeout)
                latency = time.perf_counter() - t0
            except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ValueError, TimeoutError, HttpError) as exc:
                self.close()
                # A reused connection closed by the server before it sent a single byte:
                # the request was not handled; reconnect and send it again (once).
                if (attempt == 0 and reused and not getattr(exc, "partial", b"")
                        and isinstance(exc, (asyncio.IncompleteReadError, ConnectionError))):
                    retries += 1
                    continue
                raise HttpError(f"{type(exc).__name__}: {exc}") from exc
            self.last_used = time.monotonic()
            if close:
                self.close()
            return status, answer, latency, retries
        raise AssertionError("unreachable")


# --------------------------------------------------------------------------- bookkeeping


@dataclass
class Kind:
    """What was sent and acknowledged for one kind of request."""

    name: str
    sent: int = 0
    acked: int = 0
    latencies: array = field(default_factory=lambda: array("d"))
    http: Counter = field(default_factory=Counter)  # HTTP status -> n
    outcomes: Counter = field(default_factory=Counter)  # e.g. ok / already_checked_in
    server_errors: int = 0  # 5xx
    conn_errors: int = 0  # connection failures, bad responses, timeouts
    unfinished: int = 0  # still in flight when the run was cut off
    unexpected: int = 0  # 2xx/4xx answer other than the expected one
    retries: int = 0
    behind: int = 0  # sent more than 1 s after its scheduled time
    samples: list[str] = field(default_factory=list)  # a few unexpected answers / errors

    @property
    def errors(self) -> int:
        return self.server_errors + self.conn_errors + self.unfinished

    def note(self, text: str) -> None:
        if len(self.samples) < 5:
            self.samples.append(text[:300])

    def answered(self, status: int, latency: float, retries: int) -> None:
        self.http[status] += 1
        self.latencies.append(latency)
        self.retries += retries
        if status >= 500:
            self.server_errors += 1

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        return {
            "sent": self.sent, "acked": self.acked, "errors": self.errors,
            "server_errors": self.server_errors, "conn_errors": self.conn_errors,
            "unfinished": self.unfinished, "unexpected": self.unexpected,
            "retries": self.retries, "behind": self.behind,
            "http": {str(k): v for k, v in sorted(self.http.items())},
            "outcomes": dict(self.outcomes),
            "p50_ms": _percentile(lat, 0.50) * 1000, "p99_ms": _percentile(lat, 0.99) * 1000,
            "max_ms": (lat[-1] * 1000) if lat else 0.0, "samples": self.samples,
        }


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def read_proc(pid: int) -> tuple[int, int]:
    """(RSS bytes, open fds) of process ``pid``."""
    rss = 0
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
                break
    try:
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        fds = -1
    return rss, fds


# --------------------------------------------------------------------------- the soak


class Soak:
    def __init__(self, server: Server, fx: Fixture, args: argparse.Namespace) -> None:
        self.server, self.fx, self.args = server, fx, args
        self.seconds = args.minutes * 60.0
        self.warmup = args.warmup
        self.interest_limit = 0
        self.load_seconds = 0.0
        self.reg = Kind("registrations")
        self.checkin = Kind("check-ins")
        self.interest = Kind("interests")
        self.checked_in: list[int] = []  # badge indexes whose ``ok`` was acknowledged
        self.next_badge = 0
        self.pairs: dict[tuple[int, int], str] = {}  # (employer, registration) -> last level
        self.pairs_unsure: set[tuple[int, int]] = set()  # a request on it failed
        self.rss: list[tuple[float, int, int]] = []  # (t, rss bytes, fds)
        self.cpu: list[tuple[float, float]] = []  # (t, server cpu seconds)
        self.tag = uuid.uuid4().hex[:8]
        self.rng = random.Random(args.seed)
        codes = ",".join(f'"{c}"' for c in read_competency_codes(3)).encode()
        self.reg_template = (
            b'{"name":"Soak Visitor %d","email":"soak-' + self.tag.encode() + b'-%d@example.nl",'
            b'"phone":"0612345678","postcode":"9712 AB","competencies":[' + codes + b"],"
            b'"sectors":["care"],"education_level":"mbo3","consent_terms":true,'
            b'"consent_share_profile":%s,"language":"nl"}'
        )
        base = f"/api/v1/events/{EVENT_SLUG}"
        self.paths = {"reg": base + "/registrations", "checkin": base + "/checkins",
                      "interest": base + "/interests"}
        self.tasks: set[asyncio.Task[None]] = set()
        self._marks: dict[str, int] = {}
        self.windows: list[dict[str, Any]] = []  # progress lines, for the JSON

    # ----------------------------------------------------------------- paced streams

    async def _paced(self, kind: Kind, rate: float, pool: asyncio.Queue[Any],
                     job: Callable[[Any, int], Any]) -> None:
        """Start ``job(conn, i)`` at ``rate``/s until the deadline (at most rate x seconds)."""
        limit = math.ceil(rate * self.seconds) + 1
        t0 = time.monotonic()
        deadline = t0 + self.seconds
        for i in range(limit):
            target = t0 + i / rate
            if target >= deadline:
                break
            now = time.monotonic()
            if target > now:
                await asyncio.sleep(target - now)
            try:  # all connections busy: wait (backpressure), but not past the deadline
                conn = await asyncio.wait_for(pool.get(), max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            if time.monotonic() - target > 1.0:
                kind.behind += 1

            async def go(conn: Any = conn, i: int = i) -> None:
                try:
                    await job(conn, i)
                finally:
                    pool.put_nowait(conn)

            self._spawn(go())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _post(self, kind: Kind, conn: Conn, path: str, body: bytes,
                    headers: bytes) -> tuple[int, bytes] | None:
        kind.sent += 1
        try:
            status, answer, latency, retries = await conn.request(path, body, headers)
        except HttpError as exc:
            kind.conn_errors += 1
            kind.note(f"{kind.name}: {exc}")
            return None
        except asyncio.CancelledError:
            kind.unfinished += 1
            raise
        kind.answered(status, latency, retries)
        if status >= 500:
            kind.note(f"{kind.name}: HTTP {status} {answer[:200]!r}")
            return None
        return status, answer

    def _unexpected(self, kind: Kind, status: int, answer: bytes, wanted: str) -> None:
        kind.unexpected += 1
        kind.note(f"{kind.name}: wanted {wanted}, got HTTP {status} {answer[:200]!r}")

    async def register(self, conn: Conn, i: int) -> None:
        share = b"true" if i % 4 else b"false"
        got = await self._post(self.reg, conn, self.paths["reg"],
                               self.reg_template % (i, i, share), b"")
        if got is None:
            return
        status, answer = got
        try:
            outcome = json.loads(answer).get("status") if status == 201 else None
        except ValueError:
            outcome = None
        self.reg.outcomes[outcome or f"http {status}"] += 1
        if status == 201 and outcome == "registered":
            self.reg.acked += 1
        else:
            self._unexpected(self.reg, status, answer, "201 registered")

    async def scan(self, door: tuple[Conn, int], i: int) -> None:
        conn, d = door
        repeat = bool(self.checked_in) and self.rng.random() < self.args.repeat
        if not repeat and self.next_badge >= len(self.fx.badges):
            self.checkin.outcomes["out of fresh badges"] += 1
            if not self.checked_in:
                return
            repeat = True
        if repeat:
            idx = self.rng.choice(self.checked_in)
            wanted = "already_checked_in"
        else:
            idx = self.next_badge
            self.next_badge += 1
            wanted = "ok"
        body = b'{"token":"%s","door":"Door %d"}' % (self.fx.badges[idx].encode(), d + 1)
        headers = b"Authorization: Bearer %s\r\n" % self.fx.door_tokens[d].encode()
        got = await self._post(self.checkin, conn, self.paths["checkin"], body, headers)
        if got is None:
            return
        status, answer = got
        try:
            outcome = json.loads(answer).get("status") if status == 200 else None
        except ValueError:
            outcome = None
        self.checkin.outcomes[outcome or f"http {status}"] += 1
        if status == 200 and outcome == wanted:
            self.checkin.acked += 1
            if wanted == "ok":
                self.checked_in.append(idx)
        else:
            self._unexpected(self.checkin, status, answer, f"200 {wanted}")

    async def tablet(self, employer_id: int, token: str, limit: int, deadline: float) -> None:
        """One employer's tablet: scans checked-in visitors at random intervals."""
        conn = Conn(self.server.host, self.server.port)
        headers = b"Authorization: Bearer %s\r\n" % token.encode()
        mine: list[int] = []  # badge indexes this tablet logged
        rate = self.args.interest_rate / len(self.fx.employers)
        rng = random.Random(f"{self.args.seed}-{employer_id}")
        try:
            for _ in range(limit):
                gap = rng.expovariate(rate)
                if time.monotonic() + gap >= deadline:
                    break
                await asyncio.sleep(gap)
                if self.interest.sent >= self.interest_limit:
                    break
                if mine and rng.random() < self.args.rescan:
                    idx = rng.choice(mine)
                elif self.checked_in:
                    idx = rng.choice(self.checked_in)
                else:
                    continue  # nobody is in yet
                pair = (employer_id, self.fx.reg_ids[idx])
                level = rng.choice(LEVELS)
                rating = rng.randint(0, 5)
                body = b'{"token":"%s","level":"%s","rating":%d,"note":"soak %d"}' % (
                    self.fx.badges[idx].encode(), level.encode(), rating, rating)
                got = await self._post(self.interest, conn, self.paths["interest"], body,
                                       headers)
                if got is None:
                    self.pairs_unsure.add(pair)
                    continue
                status, answer = got
                created = None
                if status == 201:
                    try:
                        created = json.loads(answer).get("created")
                    except ValueError:
                        created = None
                if status != 201 or created is None:
                    self.interest.outcomes[f"http {status}"] += 1
                    self._unexpected(self.interest, status, answer, "201")
                    self.pairs_unsure.add(pair)
                    continue
                self.interest.acked += 1
                self.interest.outcomes["created" if created else "updated"] += 1
                if bool(created) == (pair in self.pairs):  # created must mean "new pair"
                    self.interest.outcomes["created flag wrong"] += 1
                self.pairs[pair] = level
                if idx not in mine:
                    mine.append(idx)
        finally:
            conn.close()

    def _progress(self, t: float, rss: int, fds: int) -> None:
        """One progress line: totals, and p50/p99 of the requests answered since the last."""
        parts, window = [], {"t": round(t), "rss_mb": round(rss / MB, 1), "fds": fds,
                             "load": os.getloadavg()[0]}
        for kind in (self.reg, self.checkin, self.interest):
            start = self._marks.get(kind.name, 0)
            lat = sorted(kind.latencies[start:])
            self._marks[kind.name] = len(kind.latencies)
            p50, p99 = _percentile(lat, 0.5) * 1000, _percentile(lat, 0.99) * 1000
            window[kind.name] = {"n": len(lat), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1)}
            parts.append(f"{kind.name} {kind.acked:,} (p50 {p50:.0f} p99 {p99:.0f} ms)")
        self.windows.append(window)
        errors = self.reg.errors + self.checkin.errors + self.interest.errors
        unexpected = self.reg.unexpected + self.checkin.unexpected + self.interest.unexpected
        print(f"  t={t:4.0f}s rss {rss / MB:5.1f} MB fds {fds:3d} load {window['load']:4.1f} | "
              + " | ".join(parts) + f" | errors {errors} unexpected {unexpected}", flush=True)

    async def sampler(self, deadline: float) -> None:
        t0 = time.monotonic()
        every = self.args.sample_every
        for n in range(int(self.seconds / every) + 2):
            now = time.monotonic()
            rss, fds = read_proc(self.server.pid)
            self.rss.append((now - t0, rss, fds))
            self.cpu.append((now - t0, self.server.cpu_seconds()))
            if n and (n % max(1, round(self.args.print_every / every)) == 0):
                self._progress(now - t0, rss, fds)
            wait = t0 + (n + 1) * every - time.monotonic()
            if t0 + (n + 1) * every > deadline + 0.5:
                break
            await asyncio.sleep(max(0.0, wait))

    async def run(self) -> None:
        a = self.args
        host, port = self.server.host, self.server.port
        t0 = time.monotonic()
        deadline = t0 + self.seconds
        self.interest_limit = math.ceil(a.interest_rate * self.seconds * 2) + 10
        reg_pool: asyncio.Queue[Conn] = asyncio.Queue()
        for _ in range(a.conns):
            reg_pool.put_nowait(Conn(host, port))
        door_pool: asyncio.Queue[tuple[Conn, int]] = asyncio.Queue()
        for _ in range(a.conns):  # every door has ``conns`` scanners sharing its token
            for d in range(a.doors):
                door_pool.put_nowait((Conn(host, port), d))
        per_tablet = math.ceil(a.interest_rate / len(self.fx.employers) * self.seconds * 3) + 5
        producers = [
            asyncio.create_task(self._paced(self.reg, a.reg_rate, reg_pool, self.register)),
            asyncio.create_task(self._paced(self.checkin, a.checkin_rate, door_pool, self.scan)),
            asyncio.create_task(self.sampler(deadline)),
            *(asyncio.create_task(self.tablet(eid, tok, per_tablet, deadline))
              for eid, tok in self.fx.employers),
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*producers), self.seconds + GRACE)
        except TimeoutError:
            print("warning: producers did not stop in time; cut off", file=sys.stderr)
        # requests still in flight: wait for them, bounded
        if self.tasks:
            _, pending = await asyncio.wait(set(self.tasks), timeout=GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for pool in (reg_pool, door_pool):
            while not pool.empty():
                item = pool.get_nowait()
                (item[0] if isinstance(item, tuple) else item).close()
        rss, fds = read_proc(self.server.pid)
        self.rss.append((time.monotonic() - t0, rss, fds))
        self.cpu.append((time.monotonic() - t0, self.server.cpu_seconds()))
        self.load_seconds = time.monotonic() - t0


# --------------------------------------------------------------------------- report


def db_counts(database_url: str, tag: str) -> dict[str, Any]:
    one = lambda sql: query_rows(database_url, sql)[0][0]  # noqa: E731
    return {
        "registrations": one(
            "SELECT COUNT(*) FROM registration r JOIN visitor v ON v.id = r.visitor"
            f" WHERE v.email LIKE 'soak-{tag}-%'"),
        "checked_in": one("SELECT COUNT(*) FROM registration WHERE checked_in_at IS NOT NULL"),
        "scan_log": dict(query_rows(database_url,
                                    "SELECT status, COUNT(*) FROM scan_log GROUP BY status")),
        "interests": {(e, r): lvl for e, r, lvl in query_rows(
            database_url, "SELECT employer, registration, level FROM interest")},
        "outbox_mail": one("SELECT COUNT(*) FROM outbox_mail"),
    }


def rss_verdict(samples: list[tuple[float, int, int]], warmup: float) -> dict[str, Any]:
    if not samples:
        return {"start_mb": 0.0, "warm_mb": 0.0, "end_mb": 0.0, "max_mb": 0.0, "flat": False}
    warm = next((s for s in samples if s[0] >= warmup), samples[-1])
    start, end = samples[0], samples[-1]
    return {
        "start_mb": start[1] / MB, "warm_mb": warm[1] / MB, "warm_at_s": warm[0],
        "end_mb": end[1] / MB, "max_mb": max(s[1] for s in samples) / MB,
        "flat": end[1] <= warm[1] * 1.2,
        "fds_start": start[2], "fds_warm": warm[2], "fds_end": end[2],
        "fds_max": max(s[2] for s in samples),
        "series_mb": [round(s[1] / MB, 1) for s in samples],
    }


def report(soak: Soak, db: dict[str, Any], dash: dict[str, Any], backend: str,
           args: argparse.Namespace) -> dict[str, Any]:
    reg, ck, it = soak.reg, soak.checkin, soak.interest
    ok_acked = len(soak.checked_in)
    sure = {p: lvl for p, lvl in soak.pairs.items() if p not in soak.pairs_unsure}
    stale = sum(1 for p, lvl in sure.items() if db["interests"].get(p) not in (None, lvl))
    rows = {
        "registrations": (reg, reg.acked, db["registrations"]),
        "check-ins": (ck, ok_acked, db["checked_in"]),
        "interests": (it, len(soak.pairs), len(db["interests"])),
    }
    missing_pairs = sum(1 for p in soak.pairs if p not in db["interests"])
    result: dict[str, Any] = {"backend": backend, "minutes": args.minutes,
                              "load_seconds": soak.load_seconds, "kinds": {}}
    lost_total = 0
    for name, (kind, acked_rows, stored) in rows.items():
        lost = missing_pairs if name == "interests" else max(0, acked_rows - stored)
        lost_total += lost
        result["kinds"][name] = {**kind.summary(), "acked_rows": acked_rows, "db_rows": stored,
                                 "lost": lost, "extra": max(0, stored - acked_rows)}
    result["kinds"]["interests"]["stale_updates"] = stale
    result["lost"] = lost_total + stale
    result["scan_log"] = db["scan_log"]
    result["outbox_mail"] = db["outbox_mail"]
    result["errors"] = reg.errors + ck.errors + it.errors
    result["server_errors"] = reg.server_errors + ck.server_errors + it.server_errors
    result["unexpected"] = reg.unexpected + ck.unexpected + it.unexpected
    result["rss"] = rss_verdict(soak.rss, soak.warmup)
    cpu = soak.cpu
    result["server_cpu"] = ((cpu[-1][1] - cpu[0][1]) / (cpu[-1][0] - cpu[0][0])
                            if len(cpu) > 1 and cpu[-1][0] > cpu[0][0] else 0.0)
    result["dashboards"] = dash
    result["windows"] = soak.windows
    scan_ok = db["scan_log"].get("ok", 0)
    result["scan_log_ok_matches"] = scan_ok == ok_acked

    secs = max(soak.load_seconds, 1e-9)
    targets = {"registrations": args.reg_rate, "check-ins": args.checkin_rate,
               "interests": args.interest_rate}
    print()
    print(f"| {backend}, {args.minutes:g} min, 1 uvicorn worker | target/s | sent | acked "
          "| p50 ms | p99 ms | unexpected | errors | DB rows = acked | lost |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, k in result["kinds"].items():
        detail = {"registrations": "registrations",
                  "check-ins": f"checked in (ok); {k['outcomes'].get('already_checked_in', 0):,}"
                               " already_checked_in",
                  "interests": f"distinct pairs; {k['outcomes'].get('updated', 0):,} updates"}[name]
        same = "yes" if k["db_rows"] == k["acked_rows"] else "NO"
        print(f"| {name} | {targets[name]:g} | {k['sent']:,} ({k['sent'] / secs:.1f}/s) | "
              f"{k['acked']:,} | {k['p50_ms']:.1f} | {k['p99_ms']:.1f} | {k['unexpected']} | "
              f"{k['errors']} | {k['db_rows']:,} = {k['acked_rows']:,} {detail}: {same} | "
              f"**{k['lost']}** |")
    r = result["rss"]
    d = dash
    print(f"| dashboards | {args.dashboards} | connected {d.get('dashboards', 0)} | "
          f"{d.get('messages', 0):,} msgs, {d.get('items', 0):,}/{d.get('expected', 0):,} items"
          f" | {d.get('p50_ms', 0):.0f} | {d.get('p99_ms', 0):.0f} | | "
          f"{d.get('complete', 0)}/{d.get('dashboards', 0)} complete | "
          f"{d.get('msgs_per_s', 0):.1f} msgs/s each | |")
    print()
    print(f"server RSS: start {r['start_mb']:.1f} MB, after warm-up ({r['warm_at_s']:.0f} s) "
          f"{r['warm_mb']:.1f} MB, end {r['end_mb']:.1f} MB, max {r['max_mb']:.1f} MB -> "
          f"{'flat' if r['flat'] else 'NOT flat'} (end <= 1.2 x after warm-up); open fds "
          f"{r['fds_start']} / {r['fds_warm']} / {r['fds_end']} (max {r['fds_max']}); "
          f"server CPU {result['server_cpu']:.0%} of a core; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"lost {result['lost']} (interest updates not stored: {stale}), errors "
          f"{result['errors']} (5xx {result['server_errors']}), unexpected answers "
          f"{result['unexpected']}; scan_log {db['scan_log']}; outbox mails "
          f"{db['outbox_mail']:,}; dashboard delivery p50/p99 = now - server receive time")
    for k in (reg, ck, it):
        if k.behind or k.retries:
            print(f"  {k.name}: {k.behind} sent > 1 s late, {k.retries} reconnect retries")
        for s in k.samples:
            print(f"  sample: {s}")
    return result


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--reg-rate", type=float, default=20.0, help="registrations/s")
    parser.add_argument("--checkin-rate", type=float, default=50.0, help="check-ins/s")
    parser.add_argument("--interest-rate", type=float, default=20.0, help="interests/s, all")
    parser.add_argument("--repeat", type=float, default=0.05, help="share of check-in re-scans")
    parser.add_argument("--rescan", type=float, default=0.10, help="share of interest re-scans")
    parser.add_argument("--visitors", type=int, default=0,
                        help="pre-registered visitors (default: enough fresh badges for the "
                        "run, at least 10,000)")
    parser.add_argument("--doors", type=int, default=4)
    parser.add_argument("--conns", type=int, default=4,
                        help="keep-alive connections for registrations, and per door")
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--dashboards", type=int, default=100)
    parser.add_argument("--ws-compression", choices=("deflate", "none"), default="deflate")
    parser.add_argument("--sample-every", type=float, default=10.0, help="RSS sample period, s")
    parser.add_argument("--print-every", type=float, default=60.0, help="progress line period")
    parser.add_argument("--warmup", type=float, default=None,
                        help="s before the RSS baseline (default min(60, a quarter of the run))")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true",
                        help=f"use --postgres-url (default {POSTGRES_URL}; created if missing; "
                        "schema public dropped and recreated)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    seconds = args.minutes * 60.0
    if not 0 < seconds <= 24 * 3600:
        parser.error("--minutes must be > 0 and at most a day")
    if not args.visitors:
        args.visitors = max(10_000, math.ceil(args.checkin_rate * seconds * 1.05) + 200)
    if args.warmup is None:
        args.warmup = min(60.0, seconds / 4)

    with tempfile.TemporaryDirectory(prefix="eventops-soak-") as tmp:
        if args.postgres:
            database_url = args.postgres_url
            reset_postgres(database_url)
            backend = "PostgreSQL"
        else:
            database_url = f"sqlite:///{Path(tmp) / 'soak.sqlite3'}"
            backend = "SQLite"
        env, fx = prepare(database_url, args)
        dash_proc = DashboardProcess()
        try:
            with serve("app.asgi:app", workers=1, env=env) as server:
                url = f"ws://{server.host}:{server.port}/ws/events/{EVENT_SLUG}/live?token="
                compression = None if args.ws_compression == "none" else "deflate"
                half = args.dashboards // 2
                connected = 0
                for token, n in ((fx.door_tokens[0], half),
                                 (fx.organiser_token, args.dashboards - half)):
                    if n:
                        info = dash_proc.call("connect", url + token, n, compression)
                        if info["failed"]:
                            raise SystemExit(f"{info['failed']} of {n} dashboards could not "
                                             f"connect: {info['error']}")
                        connected += info["connected"]
                print(f"{backend}: soak {args.minutes:g} min on {server.host}:{server.port}: "
                      f"{args.reg_rate:g} registrations/s, {args.checkin_rate:g} check-ins/s "
                      f"({args.doors} doors x {args.conns} conns, {args.repeat:.0%} re-scans), "
                      f"{args.interest_rate:g} interests/s from {args.employers} tablets "
                      f"({args.rescan:.0%} re-scans), {connected} dashboards; load average "
                      f"{os.getloadavg()[0]:.1f}", flush=True)
                soak = Soak(server, fx, args)
                t_start = time.time()
                run(soak.run())
                t_end = time.time()
                expected = sum(n for s, n in soak.checkin.http.items() if s == 200)
                dash = dash_proc.call("drain", expected, t_start, t_end,
                                      timeout=DRAIN_LIMIT + 60) if connected else {}
        finally:
            dash_proc.close()
        db = db_counts(database_url, soak.tag)
    result = report(soak, db, dash, backend, args)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    good = result["lost"] == 0 and result["errors"] == 0 and result["unexpected"] == 0
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
