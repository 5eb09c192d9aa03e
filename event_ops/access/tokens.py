"""Staff and device bearer tokens: scoped to one event and one role, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from event_ops.access.tables import TOKEN_ROLES, AccessToken
from event_ops.employers.tables import Employer
from event_ops.errors import DomainError
from event_ops.events.tables import Event

TOKEN_PREFIX = "eot_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: resolved from a bearer token."""

    token_id: int
    event_id: int
    role: str
    employer_id: int | None
    label: str

    @property
    def actor(self) -> str:
        return f"token:{self.token_id}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    event: Event, *, role: str, label: str, employer_id: int | None = None
) -> str:
    if role not in TOKEN_ROLES:
        raise DomainError("bad_role", f"Role must be one of {', '.join(TOKEN_ROLES)}.")
    if role == "employer":
        if employer_id is None:
            raise DomainError("employer_required", "An employer token needs --employer ID.")
        employer = await Employer.objects().where(Employer.id == employer_id).first()
        if employer is None or employer.event != event.id:
            raise DomainError("employer_not_found", "That employer is not part of this event.")
    elif employer_id is not None:
        raise DomainError("employer_not_allowed", "Only employer tokens belong to an employer.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await AccessToken(
        event=event.id, role=role, employer=employer_id, label=label, token_hash=hash_token(token)
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
        token_id=row["id"], event_id=row["event"], role=row["role"],
        employer_id=row["employer"], label=row["label"],
    )
