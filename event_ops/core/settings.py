"""The one settings object, read from the environment (``EVENTOPS_*``)."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urlsplit

import msgspec

DEFAULT_SQLITE_PATH = Path("var/eventops.sqlite3")
INSECURE_DEV_SECRET = "dev-insecure-secret-change-me"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    redis_url: str | None = None
    secret_key: str = INSECURE_DEV_SECRET
    smtp_url: str | None = None
    mail_from: str = "Werkfestival <noreply@event-ops.local>"
    base_url: str = "http://127.0.0.1:8000"
    # Requests per minute per client on public endpoints; 0 turns limits off.
    rate_limit: int = 60
    # Reverse proxies whose X-Forwarded-For names the real client (comma-separated
    # addresses or CIDR networks), and client networks never throttled (a sign-up desk).
    trusted_proxies: str = ""
    unthrottled_networks: str = ""
    # SQLite ``synchronous``: NORMAL survives a crash of the app (what WAL mode needs);
    # FULL also survives power loss at the cost of an fsync per commit.
    sqlite_synchronous: str = "NORMAL"
    postgres_pool_size: int = 10
    # Host names this server answers to, comma-separated; "*.example.nl" allows subdomains
    # and "*" allows any. Empty: the host of base_url plus localhost, 127.0.0.1 and ::1.
    allowed_hosts: str = ""
    debug: bool = False
    # Where badge PNG/PDF files are rendered: "process" (a worker process beside the event
    # loop, the default) or "thread" (for hosts that cannot start processes; the GIL then
    # still slows the event loop while a badge renders).
    badge_render_pool: str = "process"
    # The kiosk clears itself (screen, form, camera) after this many seconds without a touch.
    kiosk_idle_seconds: float = 60.0

    @property
    def host_names(self) -> frozenset[str]:
        if self.allowed_hosts.strip():
            return frozenset(h.strip().lower().strip("[]").rstrip(".")
                             for h in self.allowed_hosts.split(",") if h.strip())
        base = urlsplit(self.base_url).hostname or ""
        return frozenset({base.lower(), "localhost", "127.0.0.1", "::1"} - {""})

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them.
        return Path(self.database_url.removeprefix("sqlite:///"))


_ENV_FIELDS = {
    "EVENTOPS_DATABASE_URL": "database_url",
    "EVENTOPS_REDIS_URL": "redis_url",
    "EVENTOPS_SECRET_KEY": "secret_key",
    "EVENTOPS_SMTP_URL": "smtp_url",
    "EVENTOPS_MAIL_FROM": "mail_from",
    "EVENTOPS_BASE_URL": "base_url",
    "EVENTOPS_RATE_LIMIT": "rate_limit",
    "EVENTOPS_SQLITE_SYNCHRONOUS": "sqlite_synchronous",
    "EVENTOPS_POSTGRES_POOL_SIZE": "postgres_pool_size",
    "EVENTOPS_ALLOWED_HOSTS": "allowed_hosts",
    "EVENTOPS_DEBUG": "debug",
    "EVENTOPS_TRUSTED_PROXIES": "trusted_proxies",
    "EVENTOPS_UNTHROTTLED_NETWORKS": "unthrottled_networks",
    "EVENTOPS_BADGE_RENDER_POOL": "badge_render_pool",
    "EVENTOPS_KIOSK_IDLE_SECONDS": "kiosk_idle_seconds",
}


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    raw: dict[str, object] = {}
    for var, field in _ENV_FIELDS.items():
        value = env.get(var)
        if value is None or value == "":
            continue
        raw[field] = value
    # msgspec's str-to-int/bool conversion gives a clear message naming the bad field.
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SystemExit(f"Bad setting in the environment: {exc}") from exc


@functools.cache
def get_settings() -> Settings:
    return settings_from_env()
