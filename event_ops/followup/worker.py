"""The app's hourly follow-up job (run by ``app.tasks.Periodic`` in every app process).

Several processes may run it at once: the tasks claim their work atomically (see ``tasks``).
"""

from __future__ import annotations

from event_ops import clock
from event_ops.followup.tasks import FollowupRun, run_followup_tasks
from event_ops.mail.outbox import OutboxWorker

INTERVAL_SECONDS = 3600


async def run_and_wake(outbox: OutboxWorker | None = None) -> FollowupRun:
    """Run the follow-up tasks now; wake the outbox when they queued mail."""
    result = await run_followup_tasks(clock.now())
    if result.mails_queued and outbox is not None:
        outbox.wake()
    return result
