"""Keeps credentials and secret links out of the log.

uvicorn logs every websocket's path with its query (``/ws/…/live?token=eot_…``) even with
the access log off, and an error logs the path it happened on (``/me/<secret link>``).
Whoever reads the log (an operator, a log service) must not get a working token or a
visitor's page from it. ``redact`` replaces every secret we know the shape of:

* bearer tokens (``Bearer …``, ``eot_…``) and session secrets (``eos_…``);
* ``token=``, ``code=``, ``key=``, ``secret=``, ``password=`` values in queries and forms;
* secret links: ``/me/<link>``, ``/badges/<link>``, pairing codes (``/pair#<code>``,
  ``/api/v1/pair/<code>``), and a link token (``<id>.<43 characters>``) anywhere;
* the session, visitor and CSRF cookies' values.

``RedactingFilter`` applies it to a record's message, its arguments and its exception
text. ``install_log_filters`` puts it (and ``OutageFilter``) on the root, uvicorn and
Litestar loggers and on their handlers (a logger's filter does not see records that
propagate from a child logger; a handler's filter does), and wraps the record factory,
so a record from any other logger is redacted too.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
from typing import Any

REDACTED = "[redacted]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+"), r"\g<1>" + REDACTED),
    (re.compile(r"\b(eo[ts]_)[A-Za-z0-9_\-]+"), r"\g<1>" + REDACTED),
    (re.compile(r"(?i)([?&](?:token|code|key|secret|password|_csrf_token)=)[^&\s\"'#;]+"),
     r"\g<1>" + REDACTED),
    (re.compile(r"(?i)\b((?:eo_session|eo_me|csrftoken)=)[^;\s\"',]+"), r"\g<1>" + REDACTED),
    # A path that starts here, or right after a host; not a file path such as
    # ".../event_ops/badges/content.py" in a traceback.
    (re.compile(r"((?:(?<![\w.\-/])|://[^/\s]+)/(?:me|badges|api/v1/pair)/)[^/?#\s\"']+"),
     r"\g<1>" + REDACTED),
    (re.compile(r"(/pair#)[^\s\"'&]+"), r"\g<1>" + REDACTED),
    # A secret link's token (event_ops/links.py) wherever it turns up.
    (re.compile(r"\b[0-9]{1,12}\.[A-Za-z0-9_\-]{43}(?![A-Za-z0-9_\-])"), REDACTED),
]


def redact(text: str) -> str:
    """``text`` with every credential and secret link replaced by ``[redacted]``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_arg(value: Any) -> Any:
    if isinstance(value, int | float | bool) or value is None:
        return value  # keeps %d and %f working
    text = value if isinstance(value, str) else _safe_str(value)
    cleaned = redact(text) if text is not None else None
    if cleaned is None or (cleaned == text and not isinstance(value, str)):
        return value
    return cleaned


def _safe_str(value: Any) -> str | None:
    try:
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    except Exception:
        return None


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place (message, arguments, exception and stack text); once."""
    if getattr(record, "_eventops_redacted", False):
        return record
    record._eventops_redacted = True  # type: ignore[attr-defined]
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    elif record.msg is not None and not record.args:
        text = _safe_str(record.msg)
        if text is not None and redact(text) != text:
            record.msg = redact(text)
    if isinstance(record.args, dict):
        record.args = {k: _redact_arg(v) for k, v in record.args.items()}
    elif record.args:
        record.args = tuple(_redact_arg(a) for a in record.args)
    if record.exc_info and not record.exc_text:
        # The formatter uses exc_text when it is set: the traceback, formatted once, redacted.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactingFilter(logging.Filter):
    """A filter that lets every record through, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


class OutageFilter(logging.Filter):
    """Drops the records of failures that come from the database being unavailable (the
    driver's reconnect warnings, a background job's traceback); instead the outage is
    logged once, by ``app.errors.note_database_unavailable``. A 10 s PostgreSQL restart
    under load logged 2,400 tracebacks before."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        from app.errors import note_database_unavailable
        from event_ops.core.db import is_database_unavailable

        if is_database_unavailable(exc):
            note_database_unavailable(exc)
            return False
        return True


_FILTERS = (RedactingFilter(), OutageFilter())
LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "litestar",
           "eventops", "asyncpg", "asyncpg.pool")


def install_log_filters() -> None:
    """Redact every record from now on, and log a database outage once (idempotent; call
    again after logging is reconfigured, e.g. by uvicorn's dictConfig, to cover the new
    handlers)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            for log_filter in _FILTERS:
                if log_filter not in target.filters:
                    target.addFilter(log_filter)
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_eventops_redacting", False):
        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(factory(*args, **kwargs))

        redacting_factory._eventops_redacting = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(redacting_factory)


# -- one line per event ----------------------------------------------------------------------

#: The id of the request being served (app/metrics.py sets it; "-" outside a request).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class LineFormatter(logging.Formatter):
    """Every record as exactly one line, redacted, with the request id.

    ``text`` (the default)::

        2026-12-06T08:44:00.123Z WARNING eventops.mail rid=4f2a1c-17 message | Traceback…

    ``json`` (``EVENTOPS_LOG_FORMAT=json``, for log collectors), one object per line with
    the keys ``time``, ``level``, ``logger``, ``request_id``, ``message`` and, when there is
    one, ``exception``. The keys and their order are stable. A traceback stays on the same
    line (``\\n`` in text, escaped in JSON), so a collector never splits one event in two.
    """

    def __init__(self, json_lines: bool = False) -> None:
        super().__init__()
        self.json_lines = json_lines

    def format(self, record: logging.LogRecord) -> str:
        redact_record(record)
        message = redact(record.getMessage())
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        exception = redact(record.exc_text) if record.exc_text else ""
        if record.stack_info:
            exception = (exception + "\n" if exception else "") + redact(record.stack_info)
        at = dt.datetime.fromtimestamp(record.created, dt.UTC)
        when = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
        rid = request_id.get()
        if self.json_lines:
            body = {"time": when, "level": record.levelname, "logger": record.name,
                    "request_id": rid, "message": message}
            if exception:
                body["exception"] = exception
            return json.dumps(body, ensure_ascii=False)
        line = f"{when} {record.levelname} {record.name} rid={rid} {message}"
        if exception:
            line += " | " + exception
        return line.replace("\r", "\\r").replace("\n", "\\n")


def log_config(log_format: str = "text", level: str = "INFO") -> dict[str, Any]:
    """The logging configuration of ``eventops serve`` (uvicorn applies it in every worker
    before the app is imported): one handler on stderr with ``LineFormatter`` for the root,
    uvicorn's and Litestar's loggers, so every line has the same shape."""
    handler = {"class": "logging.StreamHandler", "formatter": "line",
               "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": "app.logs.LineFormatter",
                                "json_lines": log_format == "json"}},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["default"], "level": level, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": level},
    }
