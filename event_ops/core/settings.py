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
    # SMS gateway (event_ops/messaging/sms.py): unset, SMS is off.
    sms_url: str | None = None
    sms_sender: str = "Werkfestival"
    sms_token: str = ""
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
    # Where bulk badge print sheets (PDF) are written while they wait to be downloaded
    # (deleted after a day). Empty: a directory in the system's temp dir. Several app
    # processes must share it (one machine, or a shared disk).
    print_dir: str = ""
    # Nightly backups by the server (event_ops/operations/backup.py): a folder per night in
    # backup_dir (empty: off), made at backup_time (HH:MM, Europe/Amsterdam), the last
    # backup_keep_days kept (backups hold personal data: retention must reach them too).
    backup_dir: str = ""
    backup_keep_days: int = 7
    backup_time: str = "03:00"
    # Bearer token for /metrics (a Prometheus scraper); empty: organisers only.
    metrics_token: str = ""
    # "text" (one readable line per event) or "json" (one JSON object per line).
    log_format: str = "text"

    def __post_init__(self) -> None:
        # Raised here, msgspec reports it as a bad setting (settings_from_env).
        if self.log_format not in ("text", "json"):
            raise ValueError("EVENTOPS_LOG_FORMAT must be text or json")
        hour, _, minute = self.backup_time.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError("EVENTOPS_BACKUP_TIME must be HH:MM, e.g. 03:00")
        if self.backup_keep_days < 1:
            raise ValueError("EVENTOPS_BACKUP_KEEP_DAYS must be 1 or more")
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
    "EVENTOPS_SMS_URL": "sms_url",
    "EVENTOPS_SMS_SENDER": "sms_sender",
    "EVENTOPS_SMS_TOKEN": "sms_token",
    "EVENTOPS_BASE_URL": "base_url",
    "EVENTOPS_RATE_LIMIT": "rate_limit",
    "EVENTOPS_SQLITE_SYNCHRONOUS": "sqlite_synchronous",
    "EVENTOPS_POSTGRES_POOL_SIZE": "postgres_pool_size",
    "EVENTOPS_ALLOWED_HOSTS": "allowed_hosts",
    "EVENTOPS_DEBUG": "debug",
    "EVENTOPS_TRUSTED_PROXIES": "trusted_proxies",
    "EVENTOPS_UNTHROTTLED_NETWORKS": "unthrottled_networks",
    "EVENTOPS_BADGE_RENDER_POOL": "badge_render_pool",
    "EVENTOPS_PRINT_DIR": "print_dir",
    "EVENTOPS_BACKUP_DIR": "backup_dir",
    "EVENTOPS_BACKUP_KEEP_DAYS": "backup_keep_days",
    "EVENTOPS_BACKUP_TIME": "backup_time",
    "EVENTOPS_METRICS_TOKEN": "metrics_token",
    "EVENTOPS_LOG_FORMAT": "log_format",
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
