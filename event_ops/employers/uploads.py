"""Spreadsheets kept between the import preview and the organiser's confirmation.

The file stays on the server (in the database, so every app process finds it), under a
random id that only the preview page holds, bound to the session that uploaded it, for
``KEEP`` at most. Only SHA-256 hashes of the id and the session are stored, like sessions
and tokens. Used or expired uploads are deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from event_ops import clock
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError

KEEP = dt.timedelta(minutes=30)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def keep_upload(event_id: int, session: str, filename: str, content: bytes) -> str:
    """Store the file; returns the random id for the preview page's confirm form."""
    upload_id = secrets.token_urlsafe(32)
    db = current_engine()
    await db.fetch("DELETE FROM import_upload WHERE created_at < ?", [clock.now() - KEEP])
    await db.fetch(
        "INSERT INTO import_upload (id_hash, session_hash, event, filename, content, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [_hash(upload_id), _hash(session), event_id, filename[:200], content, clock.now()])
    return upload_id


async def kept_upload(event_id: int, session: str, upload_id: str) -> tuple[str, bytes]:
    """(file name, content) of an upload this session made for this event less than
    ``KEEP`` ago; ``import_expired`` otherwise (also for another session's id)."""
    rows = await current_engine().fetch(
        "SELECT filename, content FROM import_upload WHERE id_hash = ? AND session_hash = ?"
        " AND event = ? AND created_at >= ?",
        [_hash(upload_id), _hash(session), event_id, clock.now() - KEEP])
    if not rows:
        raise DomainError("import_expired", "This preview has expired; upload the file again.")
    return rows[0]["filename"], bytes(rows[0]["content"])


async def forget_upload(upload_id: str) -> None:
    await current_engine().fetch("DELETE FROM import_upload WHERE id_hash = ?",
                                 [_hash(upload_id)])
