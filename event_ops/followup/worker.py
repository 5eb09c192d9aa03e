"""The app's hourly follow-up job (run by ``app.tasks.Periodic`` in every app process).

Several processes may run it at once: the tasks claim their work atomically (see ``tasks``).
"""

from __future__ import annotations

from event_ops import clock
from event_ops.followup.tasks import FollowupRun, run_followup_tasks
from event_ops.mail.queue import mail_queued

INTERVAL_SECONDS = 3600


async def run_and_wake() -> FollowupRun:
    """Run the follow-up tasks now; wake this process's outbox worker when they queued mail."""
    result = await run_followup_tasks(clock.now())
    if result.mails_queued:
        mail_queued()
    return result
