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
