"""Staff accounts for integrations (organiser admins only): list them, invite someone.
The back-office pages (app/pages/backoffice/accounts.py) do the same for people."""

from __future__ import annotations

import msgspec
from litestar import get, post

from app.api.auth import api_router, requires
from event_ops.access import accounts
from event_ops.access.tokens import Principal
from event_ops.localtime import AMSTERDAM
from event_ops.types import DbId


class AccountOut(msgspec.Struct):
    id: int
    email: str
    name: str
    role: str
    organisation: str | None
    status: str  # active | invited | invitation_ended | disabled
    events: list[str]
    last_login: str | None


class InvitationIn(msgspec.Struct, kw_only=True):
    email: str
    name: str
    role: str
    events: list[DbId] = []
    organisation: str | None = None


@get("/accounts", opt=requires("accounts.manage"))
async def list_accounts() -> list[AccountOut]:
    """Every account with its role, events (names), status and last login."""
    return [AccountOut(id=a["id"], email=a["email"], name=a["name"], role=a["role"],
                       organisation=a["organisation"], status=a["status"],
                       events=a["event_names"],
                       last_login=a["last_login"].astimezone(AMSTERDAM).isoformat()
                       if a["last_login"] else None)
            for a in await accounts.list_accounts()]


@post("/accounts/invitations", status_code=201, opt=requires("accounts.manage"))
async def invite(data: InvitationIn, principal: Principal) -> dict:
    """Invite a person by e-mail: they get a one-time link to choose their password.
    409 ``account_exists`` for an address that has an account."""
    account_id = await accounts.invite_account(data.email, data.name, data.role,
                                               list(data.events), data.organisation,
                                               actor=principal.actor)
    return {"id": account_id, "status": "invited"}


ROUTER = api_router("/api/v1", [list_accounts, invite], tags=["accounts"])
