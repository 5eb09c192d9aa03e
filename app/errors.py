"""The HTTP side of errors: one table from error codes to statuses and page texts, one
handler for the API and one for pages, both reading it.

Every API error is ``{"error": "<code>", "detail": "<human text>"}`` (plus ``fields`` for
validation errors), as the public contract says; a page shows the code's text from
``event_ops/i18n.py`` in Dutch or English on ``error.html``.
"""

from __future__ import annotations

import logging
import time
from typing import NamedTuple

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.pages.common import render
from event_ops.core.db import is_database_unavailable
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.i18n import t

log = logging.getLogger("eventops.http")


class ErrorKind(NamedTuple):
    """How one error code shows to people: the HTTP status, and the text a page shows
    (a key of ``event_ops/i18n.py``, Dutch and English)."""

    status: int
    message_key: str = "error.generic"


# Every code the project raises or answers, and nothing else picks a status: the API and
# the pages both read it (tests/test_error_table.py fails when a raised code is missing).
ERRORS: dict[str, ErrorKind] = {
    "validation_failed": ErrorKind(422),
    "bad_request": ErrorKind(400, "error.bad_request"),
    "event_not_found": ErrorKind(404, "error.event_not_found"),
    "not_found": ErrorKind(404),
    "already_registered": ErrorKind(409, "error.already_registered"),
    "undo_not_allowed": ErrorKind(409),
    "not_checked_in": ErrorKind(409),
    "invalid": ErrorKind(422),
    "unknown": ErrorKind(404),
    "revoked": ErrorKind(410),
    "bad_level": ErrorKind(422),
    "bad_rating": ErrorKind(422),
    "bad_note": ErrorKind(422),
    "bad_vacancy": ErrorKind(422),
    "query_too_short": ErrorKind(400),
    "event_over": ErrorKind(409, "error.event_over"),
    "slug_taken": ErrorKind(409),
    "no_recipients": ErrorKind(422, "messages.error.no_recipients"),
    "unauthorized": ErrorKind(401),
    "forbidden": ErrorKind(403, "error.forbidden"),
    "wrong_event": ErrorKind(403),
    "rate_limited": ErrorKind(429, "error.rate_limited"),
    "link_invalid": ErrorKind(404, "error.link_invalid"),
    "pairing_invalid": ErrorKind(404),
    # matching (event_ops/matching/)
    "wrong_event_kind": ErrorKind(409, "bo.matching.err.wrong_event_kind"),
    "bad_choice": ErrorKind(422, "bo.matching.err.bad_choice"),
    "candidate_not_found": ErrorKind(404, "pmatch.err.candidate_not_found"),
    "bad_schedule": ErrorKind(422, "bo.matching.err.bad_schedule"),
    "nothing_to_schedule": ErrorKind(409, "bo.matching.err.nothing_to_schedule"),
    "pin_out_of_range": ErrorKind(409, "bo.matching.err.pin_out_of_range"),
    "pin_conflict": ErrorKind(409, "bo.matching.err.pin_conflict"),
    "pair_blocked": ErrorKind(409, "bo.matching.err.pair_blocked"),
    "schedule_changed": ErrorKind(409, "bo.matching.err.schedule_changed"),
    "nothing_to_publish": ErrorKind(409, "bo.matching.err.nothing_to_publish"),
    "schedule_outdated": ErrorKind(409, "bo.matching.err.schedule_outdated"),
    # bulk badge printing (event_ops/printing/badge_runs.py)
    "bad_scope": ErrorKind(422, "bo.badges.err.bad_scope"),
    "print_running": ErrorKind(409, "bo.badges.err.print_running"),
    "nothing_to_print": ErrorKind(409, "bo.badges.err.nothing_to_print"),
    "print_not_found": ErrorKind(404, "bo.badges.err.print_not_found"),
    "print_not_ready": ErrorKind(409, "bo.badges.err.print_not_ready"),
    "print_gone": ErrorKind(410, "bo.badges.err.print_gone"),
    # the registrations desk (event_ops/people/registration_desk.py)
    "email_taken": ErrorKind(409, "desk.error.email_taken"),
    "registration_cancelled": ErrorKind(409, "desk.error.registration_cancelled"),
    "not_waiting": ErrorKind(409, "desk.error.not_waiting"),
    "not_registered": ErrorKind(409, "desk.error.not_registered"),
    "is_checked_in": ErrorKind(409, "desk.error.is_checked_in"),
    "no_email": ErrorKind(409, "desk.error.no_email"),
    # follow-up
    "match_not_found": ErrorKind(404),
    "bad_status": ErrorKind(422),
    "bad_transition": ErrorKind(409),
    "reason_required": ErrorKind(422),
    "reason_too_long": ErrorKind(422),
    "bad_reason": ErrorKind(422),
    "match_changed": ErrorKind(409),
    "bad_owner": ErrorKind(422),
    # accounts and sessions (event_ops/access/accounts.py, app/api/auth.py)
    "login_failed": ErrorKind(401, "error.login_failed"),
    "totp_required": ErrorKind(401, "error.totp_required"),
    "totp_failed": ErrorKind(401, "error.totp_failed"),
    "account_locked": ErrorKind(429, "error.account_locked"),
    "csrf_failed": ErrorKind(403),
    "totp_already_on": ErrorKind(409, "error.totp_already_on"),
    "weak_password": ErrorKind(422),
    "bad_email": ErrorKind(422),
    "bad_name": ErrorKind(422),
    "account_exists": ErrorKind(409, "error.account_exists"),
    # the back office: accounts and invitations (event_ops/access/accounts.py, invitations.py)
    "bad_organisation": ErrorKind(422, "error.bad_organisation"),
    "already_active": ErrorKind(409, "error.already_active"),
    "account_disabled": ErrorKind(409, "error.account_disabled"),
    "cannot_change_self": ErrorKind(409, "error.cannot_change_self"),
    "passwords_differ": ErrorKind(422, "error.passwords_differ"),
    # the candidate pool (event_ops/pool)
    "pool_not_found": ErrorKind(404, "pool.err.not_found"),
    "pool_request_open": ErrorKind(409, "pool.err.request_open"),
    "pool_request_closed": ErrorKind(409, "pool.err.request_closed"),
    "pool_bad_request": ErrorKind(422, "pool.err.bad_request"),
    "pool_bad_choice": ErrorKind(422, "pool.err.bad_choice"),
    # questions per event (event_ops/questions)
    "question_not_found": ErrorKind(404, "error.question_not_found"),
    "question_has_answers": ErrorKind(409, "q.err.has_answers"),
    "too_many_questions": ErrorKind(409, "q.err.too_many"),
    "bad_host": ErrorKind(400),
    "device_not_found": ErrorKind(404, "error.device_not_found"),
    "bad_postcode": ErrorKind(422),
    "employer_required": ErrorKind(422, "error.employer_required"),
    "employer_not_allowed": ErrorKind(422, "error.employer_not_allowed"),
    "employer_not_found": ErrorKind(404, "error.employer_not_found"),
    "bad_role": ErrorKind(422, "error.bad_role"),
    "bad_label": ErrorKind(422, "error.bad_label"),
    # the back office: events and programmes (event_ops/events/editing.py, programmes/)
    "edit_conflict": ErrorKind(409, "error.edit_conflict"),
    "schedule_published": ErrorKind(409, "error.schedule_published"),
    "programme_not_found": ErrorKind(404, "error.programme_not_found"),
    "invitation_only": ErrorKind(403, "error.invitation_only"),
    "registration_not_open": ErrorKind(409, "error.registration_not_open"),
    "registration_closed": ErrorKind(409, "error.registration_closed"),
    # events, employers and the taxonomy (event_ops/events, employers, taxonomy)
    "bad_slug": ErrorKind(422),
    "bad_kind": ErrorKind(422),
    "bad_time": ErrorKind(422),
    "bad_capacity": ErrorKind(422),
    "bad_badge_size": ErrorKind(422),
    "sector_unknown": ErrorKind(422),
    "bad_taxonomy": ErrorKind(422),
    # organisations, employers, vacancies and the spreadsheet import (event_ops/employers)
    "bad_kvk": ErrorKind(422, "error.bad_kvk"),
    "bad_contact": ErrorKind(422, "error.bad_contact"),
    # The employer portal (event_ops/employers/applications.py, event_ops/access/contacts.py).
    "application_invalid": ErrorKind(422, "portal.err.invalid"),
    "application_missing": ErrorKind(422, "portal.err.invalid"),
    "bad_staff_count": ErrorKind(422, "portal.err.staff_count"),
    "text_too_long": ErrorKind(422, "portal.err.too_long"),
    "application_decided": ErrorKind(409, "portal.err.decided"),
    "login_link_invalid": ErrorKind(410, "portal.err.link"),
    "cannot_remove_self": ErrorKind(409, "pa.err.self"),
    "last_contact": ErrorKind(409, "pa.err.last"),
    "bad_stand": ErrorKind(422, "error.bad_stand"),
    "organisation_exists": ErrorKind(409, "error.organisation_exists"),
    "organisation_not_found": ErrorKind(404, "error.organisation_not_found"),
    "employer_in_use": ErrorKind(409, "error.employer_in_use"),
    "employer_exists": ErrorKind(409, "error.employer_exists"),
    "vacancy_not_found": ErrorKind(404, "error.vacancy_not_found"),
    "vacancy_in_use": ErrorKind(409, "error.vacancy_in_use"),
    "job_profile_not_found": ErrorKind(404, "jobs.err.job_profile_not_found"),
    "job_profile_used": ErrorKind(409, "jobs.err.job_profile_used"),
    "job_profile_archived": ErrorKind(409, "jobs.err.job_profile_archived"),
    "not_taking_part": ErrorKind(409, "jobs.err.not_taking_part"),
    "import_empty": ErrorKind(422, "error.import_empty"),
    "import_no_file": ErrorKind(422, "error.import_no_file"),
    "import_too_large": ErrorKind(413, "error.import_too_large"),
    "import_not_spreadsheet": ErrorKind(422, "error.import_not_spreadsheet"),
    "import_too_many_rows": ErrorKind(422, "error.import_too_many_rows"),
    "import_expired": ErrorKind(410, "error.import_expired"),
    # job coaches: a note on someone who is not a client of the coach's organisation
    "client_not_found": ErrorKind(404, "error.client_not_found"),
    # on-site printing (event_ops/printing)
    "station_not_found": ErrorKind(404, "err.print.station_not_found"),
    "bad_format": ErrorKind(422, "err.print.bad_format"),
    # invitations of visitors (event_ops/people/invitations.py)
    "invitation_unsendable": ErrorKind(409, "error.invitation_unsendable"),
    "invitation_not_found": ErrorKind(404, "error.invitation_not_found"),
    # answers of the HTTP layer itself (http_error_handler, app/api/badges.py)
    "method_not_allowed": ErrorKind(405),
    "too_large": ErrorKind(413),
    "internal_error": ErrorKind(500),
    "busy": ErrorKind(503),
    # the database cannot be reached right now (unexpected_error_answer, GET /health)
    "unavailable": ErrorKind(503),
    # backup and restore (event_ops/operations/backup.py; command line only)
    "backup_exists": ErrorKind(409),
    "backup_failed": ErrorKind(500),
    "backup_invalid": ErrorKind(422),
    "backup_wrong_key": ErrorKind(409),
    "backup_wrong_database": ErrorKind(409),
    "backup_too_new": ErrorKind(409),
    "restore_not_empty": ErrorKind(409),
}

# A code missing from the table (the test above should have caught it): a plain 400.
UNKNOWN_ERROR = ErrorKind(400)
STATUS_BY_CODE: dict[str, int] = {code: kind.status for code, kind in ERRORS.items()}

HTTP_STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "too_large", 429: "rate_limited",
}


def error_kind(code: str) -> ErrorKind:
    """The table's entry for ``code``."""
    kind = ERRORS.get(code)
    if kind is None:
        log.warning("error code %r is not in app/errors.py ERRORS; answering 400", code)
        return UNKNOWN_ERROR
    return kind


def status_for(code: str) -> int:
    """The HTTP status of an error ``code`` (the table's)."""
    return error_kind(code).status


def message_key_for(code: str) -> str:
    """The ``event_ops/i18n.py`` key of the text a page shows for ``code``."""
    return error_kind(code).message_key


def error_body(code: str, detail: str, fields: dict[str, str] | None = None) -> dict:
    body: dict = {"error": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


def domain_error_answer(exc: DomainError) -> tuple[int, dict]:
    """(status, body) for a broken rule."""
    fields = None
    if isinstance(exc, ValidationFailed):
        fields = {name: t(key, "en") for name, key in exc.errors.items()}
        detail = "Some fields are not valid: " + ", ".join(exc.errors)
    else:
        detail = exc.message
    return status_for(exc.code), error_body(exc.code, detail, fields)


def api_error_handler(_: Request, exc: DomainError) -> Response:
    """A broken rule on the API: the table's status, the contract's JSON shape."""
    status, body = domain_error_answer(exc)
    return Response(body, status_code=status, media_type=MediaType.JSON)


def page_error_handler(request: Request, exc: DomainError) -> Response:
    """A broken rule on a page: the error page with the table's status and text, in the
    page's language (Dutch unless the browser or ``?lang=en`` asks for English). Forms that
    show the error next to a field catch it themselves and re-render."""
    kind = error_kind(exc.code)
    return render(request, "error.html", status_code=kind.status, message_key=kind.message_key)


# Paths whose errors are JSON (the contract's API, badge files, the health check); every
# other path is a page people read.
API_PREFIXES = ("/api/", "/badges/", "/health")


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    """The app's handler for ``DomainError``: JSON for the API, the error page elsewhere."""
    if request.scope["path"].startswith(API_PREFIXES):
        return api_error_handler(request, exc)
    return page_error_handler(request, exc)


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ValidationException):
        return Response(
            error_body("bad_request", f"The request is not valid: {exc.detail}"),
            status_code=400, media_type=MediaType.JSON,
        )
    code = HTTP_STATUS_CODES.get(status, "error")
    headers = getattr(exc, "headers", None) or None
    detail = t("error.rate_limited", "en") if status == 429 else str(exc.detail)
    return Response(error_body(code, detail), status_code=status, media_type=MediaType.JSON,
                    headers=headers)


INTERNAL_ERROR = error_body("internal_error", "Something went wrong on our side. Please try again.")
UNAVAILABLE = error_body("unavailable", "The database cannot be reached right now. Please try "
                                        "again in a few seconds.")
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_HEADERS = {"Retry-After": str(RETRY_AFTER_SECONDS)}
# Failures closer together than this belong to one outage, which is logged once.
OUTAGE_GAP_SECONDS = 30.0
_last_outage_failure: float | None = None


def note_database_unavailable(exc: BaseException) -> None:
    """Log the start of an outage once, not every request that fails during it (a 10 s
    PostgreSQL restart under load logged 2,400 tracebacks)."""
    global _last_outage_failure
    now = time.monotonic()
    if _last_outage_failure is None or now - _last_outage_failure > OUTAGE_GAP_SECONDS:
        log.error("database unavailable (%s: %s); answering 503 until it is back",
                  type(exc).__name__, exc)
    _last_outage_failure = now


def note_database_reachable() -> None:
    """The database answered (``GET /health``): an outage in progress is over."""
    global _last_outage_failure
    if _last_outage_failure is not None:
        _last_outage_failure = None
        log.warning("database reachable again")


def unexpected_error_answer(exc: BaseException, method: str, path: str
                            ) -> tuple[int, dict, dict[str, str]]:
    """(status, body, headers) for an exception no handler expected: 503 with Retry-After
    when the database is unavailable (logged once per outage), else 500 (logged with its
    traceback; app/logs.py keeps secrets in ``path`` out of the log)."""
    if is_database_unavailable(exc):
        note_database_unavailable(exc)
        return status_for("unavailable"), UNAVAILABLE, UNAVAILABLE_HEADERS
    log.error("unhandled error on %s %s", method, path, exc_info=exc)
    return HTTP_500_INTERNAL_SERVER_ERROR, INTERNAL_ERROR, {}


def internal_error_handler(request: Request, exc: Exception) -> Response:
    # The scope's path, not request.url: building the URL is what fails for some bad input.
    status, body, headers = unexpected_error_answer(exc, request.method, request.scope["path"])
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers or None)
