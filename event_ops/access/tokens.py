"""Staff and device bearer tokens: scoped to one event and one role, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from event_ops.access.tables import EMPLOYER_ROLES, TOKEN_ROLES, AccessToken
from event_ops.core.errors import DomainError
from event_ops.employers.tables import Employer
from event_ops.events.tables import Event

TOKEN_PREFIX = "eot_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a device or API token (one event), or a signed-in account.

    ``events`` is the set of event ids the caller may act on; ``None`` means every event
    (organiser admins). ``actor`` is what the audit log records: ``token:<id>`` or
    ``account:<id>``, never a name.
    """

    actor: str
    role: str
    events: frozenset[int] | None
    employer_id: int | None = None
    label: str = ""
    # The device token's row id (undo works on the same device only); None for accounts.
    token_id: int | None = None
    # The account's row id for a logged-in person; None for tokens.
    account_id: int | None = None
    # A contact person's session (role ``employer_contact``): their organisation; every
    # portal page is scoped to it (event_ops/access/contacts.py).
    organisation_id: int | None = None

    def may_enter(self, event_id: int) -> bool:
        return self.events is None or event_id in self.events


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    event: Event | None, *, role: str, label: str, employer_id: int | None = None
) -> str:
    """A new bearer token. ``admin`` tokens are programme-wide (``event`` None); every other
    role belongs to exactly one event."""
    if role not in TOKEN_ROLES:
        raise DomainError("bad_role", f"Role must be one of {', '.join(TOKEN_ROLES)}.")
    if (role == "admin") != (event is None):
        raise DomainError("bad_role", "An admin token has no event; every other token needs "
                          "--event.")
    if role in EMPLOYER_ROLES:
        if employer_id is None:
            raise DomainError("employer_required", "An employer token needs --employer ID.")
        employer = await Employer.objects().where(Employer.id == employer_id).first()
        if employer is None or event is None or employer.event != event.id:
            raise DomainError("employer_not_found", "That employer is not part of this event.")
    elif employer_id is not None:
        raise DomainError("employer_not_allowed", "Only employer tokens belong to an employer.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await AccessToken(
        event=event.id if event is not None else None, role=role, employer=employer_id,
        label=label, token_hash=hash_token(token)
    ).save()
    return token


async def resolve_token(token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        await AccessToken.select(
            AccessToken.id, AccessToken.event, AccessToken.role, AccessToken.employer,
            AccessToken.label, AccessToken.revoked_at,
        )
        .where(AccessToken.token_hash == hash_token(token))
        .first()
    )
    if row is None or row["revoked_at"] is not None:
        return None
    return Principal(
        actor=f"token:{row['id']}", role=row["role"],
        # An admin token (no event) may act on every event.
        events=frozenset((row["event"],)) if row["event"] is not None else None,
        employer_id=row["employer"], label=row["label"], token_id=row["id"],
    )


async def unrevoked_token_ids(token_ids: Collection[int]) -> set[int]:
    """Which of these tokens are still valid (not revoked), in one query."""
    if not token_ids:
        return set()
    rows = await AccessToken.select(AccessToken.id).where(
        AccessToken.id.is_in(sorted(token_ids)), AccessToken.revoked_at.is_null())
    return {r["id"] for r in rows}
