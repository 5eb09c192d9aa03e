"""The HTTP side of errors: one table from domain codes to statuses, one JSON shape.

Every API error is ``{"error": "<code>", "detail": "<human text>"}`` (plus ``fields`` for
validation errors), as the public contract says.
"""

from __future__ import annotations

import logging
import time

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from event_ops.core.db import is_database_unavailable
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.i18n import t

log = logging.getLogger("eventops.http")

STATUS_BY_CODE: dict[str, int] = {
    "validation_failed": 422,
    "bad_request": 400,
    "event_not_found": 404,
    "not_found": 404,
    "already_registered": 409,
    "undo_not_allowed": 409,
    "not_checked_in": 409,
    "invalid": 422,
    "unknown": 404,
    "revoked": 410,
    "bad_level": 422,
    "bad_rating": 422,
    "bad_note": 422,
    "bad_vacancy": 422,
    "query_too_short": 400,
    "event_over": 409,
    "slug_taken": 409,
    "unauthorized": 401,
    "forbidden": 403,
    "wrong_event": 403,
    "rate_limited": 429,
    "link_invalid": 404,
    "pairing_invalid": 404,
    # matching (event_ops/matching/)
    "wrong_event_kind": 409,
    "bad_choice": 422,
    "bad_schedule": 422,
    "nothing_to_schedule": 409,
    "pin_out_of_range": 409,
    "pin_conflict": 409,
    "pair_blocked": 409,
    "schedule_changed": 409,
    "nothing_to_publish": 409,
    "schedule_outdated": 409,
    # follow-up
    "match_not_found": 404,
    "bad_status": 422,
    "bad_transition": 409,
    "reason_required": 422,
    "reason_too_long": 422,
    "bad_reason": 422,
    "match_changed": 409,
    "bad_owner": 422,
    # accounts and sessions (event_ops/access/accounts.py, app/api/auth.py)
    "login_failed": 401,
    "totp_required": 401,
    "totp_failed": 401,
    "account_locked": 429,
    "csrf_failed": 403,
    "totp_already_on": 409,
    "weak_password": 422,
    "bad_email": 422,
    "bad_name": 422,
    "account_exists": 409,
    "bad_host": 400,
    "device_not_found": 404,
    "bad_postcode": 422,
    "employer_required": 422,
    "employer_not_allowed": 422,
    "employer_not_found": 404,
    "bad_role": 422,
    "bad_label": 422,
    # the database cannot be reached right now (unexpected_error_answer, GET /health)
    "unavailable": 503,
}

HTTP_STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 413: "too_large", 429: "rate_limited",
}


def status_for(code: str) -> int:
    return STATUS_BY_CODE.get(code, 400)


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


def domain_error_handler(_: Request, exc: DomainError) -> Response:
    status, body = domain_error_answer(exc)
    return Response(body, status_code=status, media_type=MediaType.JSON)


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
