"""Who may do what: the one table every staff and device endpoint is checked against.

A caller is a device/API token (one role, one event) or a signed-in account (one role, its
events). ``authorize`` identifies the caller, checks that it may act on the event in the URL,
and that its role holds the permission.
"""

from __future__ import annotations

from event_ops import notices
from event_ops.access.accounts import resolve_session
from event_ops.access.tokens import Principal, hash_token, resolve_token
from event_ops.core.caches import MISSING, TTLCache
from event_ops.core.errors import DomainError

# Organisers: an organiser admin account (every event), an organiser staff account (its
# events), a per-event organiser API token (scripts, CLI) and a programme-wide admin token
# (``admin``: every event) may do the same day-to-day work; only admin accounts read the
# audit log and manage accounts.
ORGANISERS = frozenset({"organiser_admin", "organiser_staff", "organiser", "admin"})
# Programme-wide: create events, set up programmes and their targets.
ADMINS = frozenset({"organiser_admin", "admin"})
EMPLOYERS = frozenset({"employer", "employer_tablet"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "checkin.scan": frozenset({"door"}),
    "checkin.undo": frozenset({"door"}),
    "stats.read": ORGANISERS | {"door"},
    "live.watch": ORGANISERS | {"door"},
    "badge.reissue": ORGANISERS | {"door"},
    # Public keys: every device may read them (pairing by hand checks a token this way).
    "keys.read": ORGANISERS | {"door", "print_station", "kiosk"} | EMPLOYERS,
    "visitor.search": ORGANISERS | {"door"},
    # Scan a badge at the stand, see the card, log, undo and list today's entries.
    "interest.write": EMPLOYERS,
    # The employer's own export of its entries: the employer admin code only.
    "interest.export": frozenset({"employer"}),
    # Follow-up board: read matches, move them along the pipeline, set their owner.
    "matches.read": ORGANISERS | {"job_coach"},
    "matches.write": ORGANISERS | {"job_coach"},
    "reports.read": ORGANISERS | {"job_coach"},
    # Aggregate, suppressed numbers across all events.
    "reports.programme": ORGANISERS | {"job_coach"},
    "mail.status": ORGANISERS,
    # Write to a selection of an event's visitors (mail, SMS): organisers only.
    "messages.send": ORGANISERS,
    # Pair new devices, list and revoke them. An employer admin: its own scan-only tablets
    # only (event_ops/access/devices.py).
    "devices.pair": ORGANISERS | {"employer"},
    "devices.manage": ORGANISERS | {"employer"},
    # Matching: organisers build recommendations and schedules; employers mark visitors and
    # read their own schedule and recommended visitors.
    "matching.manage": ORGANISERS,
    "matching.employer": EMPLOYERS,
    # Setting the employer's must-meet / no choices: the admin code, not a scan-only tablet.
    "matching.preferences": frozenset({"employer"}),
    # Bulk badge print runs: start one, follow it, download its PDF (event_ops/printing).
    "badges.print": ORGANISERS,
    # The registrations desk: the list of an event's registrations (a job coach sees only
    # their own clients), one registration in detail with its actions, and the exports.
    "registrations.read": ORGANISERS | {"job_coach"},
    "registrations.manage": ORGANISERS,
    "registrations.export": ORGANISERS,
    # Job coaches: sign a client up for an event they are assigned to (organisers may use
    # the same form), and their caseload across events with the notes of their
    # organisation's coaches (event_ops/people/caseload.py). Organisers do not read the
    # coaches' notes.
    "coach.register": ORGANISERS | {"job_coach"},
    "caseload.read": frozenset({"job_coach"}),
    "caseload.write": frozenset({"job_coach"}),
    # Who saw which profile, who changed what: organiser admins only.
    "audit.read": frozenset({"organiser_admin"}),
    # The back office: organisations, an event's employers and vacancies, the spreadsheet
    # import (event_ops/employers).
    "employers.manage": ORGANISERS,
    # Employers' applications for an event (the public sign-up form): approve or decline.
    "employer_applications.manage": ORGANISERS,
    # The employer portal (/employer): a contact person's own organisation only
    # (event_ops/access/contacts.py); it reuses the leads export and tablet pairing of
    # the organisation's own employer at each event, never another's.
    "employer.portal": frozenset({"employer_contact"}),
    # Job profiles of an organisation, kept across events (event_ops/employers/
    # job_profiles.py): organisers for every organisation, a contact person for their own
    # only (app/api/job_profiles.py answers "not found" for another's).
    "job_profiles.manage": ORGANISERS | {"employer_contact"},
    # The back office: create events (programme-wide callers only, so an event's own token
    # never makes events), read and change an event (its organisers), programmes.
    "events.create": ADMINS,
    "events.read": ORGANISERS,
    "events.manage": ORGANISERS,
    "programmes.read": ORGANISERS,
    "programmes.manage": ADMINS,
    # Invite staff and job coaches, change their role and events, disable them.
    "accounts.manage": frozenset({"organiser_admin"}),
    # The questions on an event's sign-up form (event_ops/questions).
    "questions.manage": ORGANISERS,
    "invitations.manage": ORGANISERS | {"job_coach"},
    # The OpenAPI schema maps every endpoint: organisers only.
    "api.schema": ORGANISERS,
    # /metrics (no personal data; a scraper may also use EVENTOPS_METRICS_TOKEN instead).
    "metrics.read": ORGANISERS,
    # On-site printing: desks (door devices), kiosks and organisers send a badge to a print
    # station and list the stations; a print station receives its jobs and reports them.
    "print.send": ORGANISERS | {"door", "kiosk"},
    "print.station": frozenset({"print_station"}),
    # The self-service kiosk: check in by showing the badge, or sign up as a walk-in.
    "kiosk.use": frozenset({"kiosk"}),
}
ROLES = sorted(set().union(*PERMISSIONS.values()))

# Tokens are looked up on every scan; a short cache keeps that off the database. A token
# revoked in this process (or in another one, when the control channel carries the notice)
# stops working at once; otherwise within this many seconds.
TOKEN_CACHE_SECONDS = 10.0
# By token hash; ``None``: not a valid token (remembered too, so a flood of bad tokens does
# not become a flood of queries). The oldest entries make room beyond 10,000.
_cache: TTLCache[str, Principal | None] = TTLCache(
    "access.tokens", seconds=TOKEN_CACHE_SECONDS, maxsize=10_000)
# What hands out visitors' personal data (visitor cards, an employer's entries and export,
# the door's name search) looks the token up afresh: one indexed query, so a revoked device
# gets none of it, whatever any cache says. Door scans, the hot path, keep the cache.
FRESH_PERMISSIONS = frozenset({"interest.write", "interest.export", "visitor.search",
                               "registrations.read", "registrations.manage",
                               "registrations.export", "caseload.read",
                               "caseload.write"})


async def principal_for(token: str, *, fresh: bool = False) -> Principal | None:
    """The caller behind a bearer token, from the cache unless ``fresh``."""
    key = hash_token(token)
    if not fresh:
        hit = _cache.get(key, MISSING)
        if hit is not MISSING:
            return hit
    principal = await resolve_token(token)
    _cache.put(key, principal)
    return principal


def forget_cached_tokens() -> None:
    _cache.clear()


# A token revoked anywhere: look every token up again (there are only a few hundred).
notices.on(notices.ACCESS, lambda _notice: forget_cached_tokens())


async def identify(authorization: str | None, session: str | None = None, *,
                   fresh: bool = False) -> Principal:
    """The caller from a bearer token, else from a session cookie; ``unauthorized`` when
    neither names a valid, unrevoked credential. ``fresh``: not from the token cache."""
    if authorization:
        if not authorization.startswith("Bearer "):
            raise DomainError("unauthorized", "Send a token: 'Authorization: Bearer <token>'.")
        principal = await principal_for(authorization[7:].strip(), fresh=fresh)
        if principal is None:
            raise DomainError("unauthorized", "This token is not valid or has been revoked.")
        return principal
    if session:
        principal = await resolve_session(session)
        if principal is None:
            raise DomainError("unauthorized", "Your session has ended. Log in again.")
        return principal
    raise DomainError("unauthorized", "Log in, or send a token: 'Authorization: Bearer <token>'.")


def check(principal: Principal, event_id: int | None, permission: str) -> None:
    """Raise ``forbidden`` unless the role holds the permission and, for an event's
    resources, the caller may act on that event. ``event_id=None``: not event-bound."""
    if event_id is not None and not principal.may_enter(event_id):
        raise DomainError("forbidden", "You do not have access to this event.")
    if principal.role not in PERMISSIONS[permission]:
        raise DomainError("forbidden", f"The role {principal.role} may not do this.")


async def authorize(authorization: str | None, event_id: int | None, permission: str,
                    session: str | None = None) -> Principal:
    """Raise ``unauthorized`` (no or unknown credential) or ``forbidden`` (wrong event or
    role); return the caller otherwise. The one check every staff endpoint runs."""
    principal = await identify(authorization, session,
                               fresh=permission in FRESH_PERMISSIONS)
    check(principal, event_id, permission)
    return principal
