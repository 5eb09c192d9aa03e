"""The devices and API tokens of an event: who may pair which, list them, revoke one.

Organisers manage every device of their event. An employer admin manages only the
scan-only tablets of its own stand: it can pair new ones and revoke them, nothing else.
"""

from __future__ import annotations

from event_ops import audit, clock, notices
from event_ops.access.tables import EMPLOYER_ROLES
from event_ops.access.tokens import Principal
from event_ops.core.db import current_engine
from event_ops.core.errors import DomainError


def employer_scope(principal: Principal) -> int | None:
    """The employer whose devices this caller manages; None: every device of the event."""
    return principal.employer_id if principal.role == "employer" else None


def pairing_request(principal: Principal, role: str,
                    employer_id: int | None) -> tuple[str, int | None]:
    """What a pairing code may be for: an employer admin only pairs its own tablets."""
    own = employer_scope(principal)
    if own is None:
        if role == "organiser" and principal.role == "organiser_staff":
            # An organiser device token outlives the staff member's session and account.
            raise DomainError("forbidden", "Only an organiser admin can pair an organiser "
                                           "device.")
        if role in EMPLOYER_ROLES and employer_id is None:
            raise DomainError("employer_required", "A stand device needs the employer's id.")
        if role not in EMPLOYER_ROLES and employer_id is not None:
            raise DomainError("employer_not_allowed",
                              "Only a stand device belongs to an employer.", field="employer_id")
        return role, employer_id
    if role != "employer_tablet" or employer_id not in (None, own):
        raise DomainError("forbidden",
                          "An employer admin can only pair scan-only tablets of its own stand.")
    return role, own


async def list_devices(event_id: int, principal: Principal) -> list[dict]:
    own = employer_scope(principal)
    sql = ("SELECT id, role, label, employer, created_at, revoked_at FROM access_token"
           " WHERE event = ?")
    args: list = [event_id]
    if own is not None:
        sql += " AND employer = ? AND role = 'employer_tablet'"
        args.append(own)
    return [dict(r) for r in await current_engine().fetch(sql + " ORDER BY id", args)]


async def revoke_device(event_id: int, token_id: int, principal: Principal) -> None:
    """Revoke at once in this process, and close the device's open websockets. Other
    processes hear of it over the control channel (Redis) and act at once too; without it
    their websockets close within ``watch.RECHECK_SECONDS`` and their token cache lets the
    token work for at most ``TOKEN_CACHE_SECONDS``."""
    own = employer_scope(principal)
    sql = "UPDATE access_token SET revoked_at = ? WHERE id = ? AND event = ?"
    args: list = [clock.now(), token_id, event_id]
    if own is not None:
        sql += " AND employer = ? AND role = 'employer_tablet'"
        args.append(own)
    db = current_engine()
    async with db.transaction():
        rows = await db.fetch(sql + " AND revoked_at IS NULL RETURNING id", args)
        if not rows:
            raise DomainError("device_not_found",
                              "There is no such device, or it was revoked already.")
        await audit.record(principal.actor, "device.revoked", event_id=event_id,
                           subject_type="token", subject_id=token_id)
    notices.announce(notices.ACCESS)  # drops the token caches (permissions.py)
