"""Notices between processes: "access was taken away", "an event's badge keys changed".

Caches and open websockets in every app process must hear of such changes, whichever
process (or the command line) made them. A notice only says *look again*: every receiver
re-reads the database, which stays the one source of truth. So a lost, late or forged notice
can delay a change until the receiver's own timer looks anyway (a few seconds, see the
modules that listen), but it can never grant anything.

Contract:

* ``announce(kind, **data)`` runs this process's handlers for ``kind`` at once, then hands
  the notice to every outbox (the app's control channel; on the command line, Redis).
  Call it *after* the change is committed, so a receiver that looks again sees it.
* ``deliver(raw)`` runs the handlers for a notice from elsewhere; a process's own notices
  coming back over the channel are skipped (their handlers ran already).
* Handlers are plain functions: quick, never blocking, never raising (errors are logged).

Some news is for this process only, because what hears it passes it on itself or has no
business elsewhere: a stored scan (the live feed carries it to every process's dashboards
over its channels), an event's numbers changing without a scan (the same), mail queued for
the outbox worker. A domain action ``tell``s it after its commit; the one ``listen``er of that
kind in this process (set when the app builds its live feed / starts its outbox worker; the
newest wins) gets it. No listener (the command line, a script): nothing happens. The domain
so triggers its own side effects without importing the app, the feed or the worker.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import msgspec

log = logging.getLogger("eventops.notices")

# A device token was revoked, a session ended, or an account was disabled.
ACCESS = "access"
# An event got a new badge key or retired one; ``event_id`` says which event.
KEYS = "keys"

Handler = Callable[[dict[str, Any]], None]
Outbox = Callable[[bytes], None]

# Tells this process's own notices apart when the channel brings them back.
ORIGIN = secrets.token_hex(8)
_handlers: dict[str, list[Handler]] = {}
_outboxes: list[Outbox] = []


def on(kind: str, handler: Handler) -> None:
    """Run ``handler(notice)`` for every notice of ``kind``, from any process."""
    listeners = _handlers.setdefault(kind, [])
    if handler not in listeners:
        listeners.append(handler)


def add_outbox(outbox: Outbox) -> None:
    _outboxes.append(outbox)


def remove_outbox(outbox: Outbox) -> None:
    if outbox in _outboxes:
        _outboxes.remove(outbox)


def announce(kind: str, **data: Any) -> None:
    """Tell this process and every other one that ``kind`` changed (after the commit)."""
    notice = {**data, "kind": kind, "origin": ORIGIN}
    _run(notice)
    raw = msgspec.json.encode(notice)
    for outbox in list(_outboxes):
        try:
            outbox(raw)
        except Exception:  # another process then learns of it by its own timer
            log.exception("could not pass on a %s notice", kind)


def deliver(raw: bytes) -> None:
    """A notice from another process (or anyone who can publish on the channel)."""
    try:
        notice = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return
    if not isinstance(notice, dict) or notice.get("origin") == ORIGIN:
        return
    _run(notice)


def _run(notice: dict[str, Any]) -> None:
    for handler in _handlers.get(notice.get("kind"), ()):  # type: ignore[arg-type]
        try:
            handler(notice)
        except Exception:
            log.exception("handler for a %s notice failed", notice.get("kind"))


# In this process only (see the module docstring). The arguments per kind:
# A scan was stored: ``(record: checkin.scan.ScanRecord)``; not told for a replayed nonce.
SCANNED = "scanned"
# An event's numbers changed without a scan: ``(event_id: int, reason: str)``, the reason
# e.g. "undone", "cancelled"; dashboards then read the stats again.
STATS = "stats"
# Mail was queued and committed: ``()``; the outbox worker sends it now, not at its next turn.
MAIL = "mail"

Listener = Callable[..., None]
_listeners: dict[str, Listener] = {}


def listen(kind: str, listener: Listener | None) -> None:
    """Set this process's one listener for ``kind`` (the newest wins; ``None`` removes it)."""
    if listener is None:
        _listeners.pop(kind, None)
    else:
        _listeners[kind] = listener


def unlisten(kind: str, listener: Listener) -> None:
    """Remove ``listener`` if it is still the one for ``kind`` (a newer one stays)."""
    if _listeners.get(kind) == listener:
        del _listeners[kind]


def tell(kind: str, *args: Any) -> None:
    """Tell this process's listener of ``kind``, after the commit, on the event loop. Never
    raises: the domain action succeeded; what listens is best effort (a dashboard is set
    right by the next scan's stats, the outbox worker looks every few seconds anyway)."""
    listener = _listeners.get(kind)
    if listener is None:
        return
    try:
        listener(*args)
    except Exception:
        log.exception("listener for %s failed", kind)
