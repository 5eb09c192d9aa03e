"""Tell the live feed that an event's numbers changed for a reason other than a scan.

A domain action that changes what ``checkin.scan.event_stats`` counts without a scan (undo
of a check-in, a cancelled or erased sign-up) calls :func:`stats_changed` after its
transaction committed. The live feed (``checkin/live.py``) registers the one listener of
this process when the app builds its channels; dashboards then get a message with stats
read from the database after that commit, so they show what ``/stats`` says.

No listener (the CLI, a script): nothing happens. This module imports nothing of the app
or the feed, so domain code can call it without depending on either.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int, str], None]
_listener: Listener | None = None


def listen(listener: Listener | None) -> None:
    """Set the process's listener (the newest app wins; ``None`` removes it)."""
    global _listener
    _listener = listener


def stats_changed(event_id: int, reason: str) -> None:
    """Call after the commit, on the event loop. ``reason``: e.g. ``"undone"``, ``"cancelled"``.
    Never raises: a dashboard that misses this is corrected by the next scan's stats."""
    if _listener is None:
        return
    try:
        _listener(event_id, reason)
    except Exception:  # noqa: BLE001 - the domain action succeeded; the feed is best effort
        import logging

        logging.getLogger(__name__).exception("live feed notice for event %s failed", event_id)
