"""The ``eventops`` command line."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click

import app  # noqa: F401  (sets PICCOLO_CONF before any table is imported)
from event_ops.access.tables import ACCOUNT_ROLES, TOKEN_ROLES
from event_ops.core import db as database
from event_ops.core.errors import DomainError
from event_ops.core.settings import get_settings


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    """Run one async command with the database started and stopped around it."""

    async def main() -> Any:
        from app.control import publish_from_cli
        from event_ops import notices

        settings = get_settings()
        engine = database.current_engine()
        # Changes the servers must hear of at once (a rotated key, a disabled account) go
        # out over Redis when it is configured; otherwise the servers' timers pick them up.
        said: list[bytes] = []
        notices.add_outbox(said.append)
        try:
            async with database.engine_running(engine, settings):
                return await coro_fn()
        finally:
            notices.remove_outbox(said.append)
            await publish_from_cli(settings.redis_url, said)

    try:
        return asyncio.run(main())
    except DomainError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    except Exception as exc:
        if not is_missing_table(exc):
            raise
        click.echo("error: the database has no tables yet (or misses new ones): "
                   "run `eventops migrate` first.", err=True)
        sys.exit(3)


def is_missing_table(exc: BaseException) -> bool:
    """Did a statement fail because the schema is not there (``eventops migrate`` not run)?
    SQLite says "no such table"; PostgreSQL raises UndefinedTableError."""
    while exc is not None:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
            return True
        if type(exc).__name__ == "UndefinedTableError":
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def parse_time(value: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO time like 2026-06-12T10:00+02:00",
                                 param_hint=name) from None
    if parsed.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-06-12T10:00+02:00", param_hint=name)
    return parsed


@click.group()
def main() -> None:
    """event-ops: registration, badges, check-in and matching for job events."""


@main.command()
def migrate() -> None:
    """Apply all migrations to the configured database."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from event_ops.taxonomy.service import load_taxonomy
    from event_ops.taxonomy.tables import Competency

    async def go() -> None:
        result = await run_forwards(app_name="event_ops", migration_id="all")
        if not result.success:
            raise click.ClickException(f"migration failed: {result.message}")
        if not await Competency.count():
            n = await load_taxonomy()
            click.echo(f"loaded {n} competencies")

    run(go)
    click.echo("migrations applied")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app over HTTP."""
    import os
    import shutil
    import tempfile

    import uvicorn

    from app.logs import log_config
    from app.server import UVICORN_OPTIONS

    own_metrics_dir = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # /metrics of any worker then reports all of them (prometheus-client's multiprocess
        # mode; app/metrics.py). The workers inherit the variable; the folder is ours.
        own_metrics_dir = tempfile.mkdtemp(prefix="eventops-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = own_metrics_dir
    try:
        uvicorn.run("app.asgi:app", host=host, port=port, workers=workers, log_level="info",
                    log_config=log_config(get_settings().log_format), **UVICORN_OPTIONS)
    finally:
        if own_metrics_dir:
            shutil.rmtree(own_metrics_dir, ignore_errors=True)


@main.command()
def demo() -> None:
    """Load a demo festival and a demo matching event (idempotent), and a demo organiser
    admin account to log in with at /login."""
    from event_ops.access.accounts import ensure_demo_admin
    from event_ops.demo import load_demo

    async def go():
        return [*await load_demo(), await ensure_demo_admin()]

    for line in run(go):
        click.echo(line)


@main.group()
def event() -> None:
    """Manage events."""


@event.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice(["festival", "matching"]))
@click.option("--starts", required=True)
@click.option("--ends", required=True)
@click.option("--capacity", type=int, default=None)
@click.option("--sector", default=None)
@click.option("--location", default="")
def event_create(slug: str, name: str, kind: str, starts: str, ends: str,
                 capacity: int | None, sector: str | None, location: str) -> None:
    """Create an event."""
    from event_ops.events.service import create_event

    starts_at, ends_at = parse_time(starts, "--starts"), parse_time(ends, "--ends")

    async def go():
        return await create_event(slug=slug, name=name, kind=kind, starts_at=starts_at,
                                  ends_at=ends_at, capacity=capacity, sector=sector,
                                  location=location)

    created = run(go)
    click.echo(f"created event {created.slug} (id {created.id})")


@main.group()
def employer() -> None:
    """Manage employers."""


@employer.command("add")
@click.option("--event", "slug", required=True)
@click.option("--name", required=True)
@click.option("--stand", default=None)
@click.option("--sector", default="")
@click.option("--email", default=None,
              help="contact address; gets the employer's list of visitors after the event")
def employer_add(slug: str, name: str, stand: str | None, sector: str,
                 email: str | None) -> None:
    """Add an employer to an event; prints the employer id as the last line."""
    from event_ops.employers.service import add_employer
    from event_ops.events.service import get_event

    async def go():
        return await add_employer(await get_event(slug), name=name, stand_label=stand,
                                  sector=sector, contact_email=email)

    created = run(go)
    click.echo(f"added employer {created.name}")
    click.echo(created.id)


def parse_skill(value: str, required: bool) -> tuple[str, int | None, bool]:
    code, _, level = value.partition(":")
    if level and not level.isdigit():
        raise click.BadParameter(f"{value!r}: write CODE or CODE:LEVEL, e.g. gen-vca:2")
    return code.strip(), int(level) if level else None, required


@employer.command("vacancy")
@click.option("--employer", "employer_id", required=True, type=int)
@click.option("--title", required=True)
@click.option("--postcode", default=None, help="where the work is, e.g. 9711 (PC4)")
@click.option("--sector", default=None, help="default: the employer's sector")
@click.option("--positions", default=1, show_default=True, type=int)
@click.option("--hours", "hours", default=None, type=int, help="hours per week")
@click.option("--skill", "skills", multiple=True, help="required competency: CODE[:LEVEL]")
@click.option("--nice", "nice", multiple=True, help="nice-to-have competency: CODE[:LEVEL]")
def employer_vacancy(employer_id: int, title: str, postcode: str | None, sector: str | None,
                     positions: int, hours: int | None, skills: tuple[str, ...],
                     nice: tuple[str, ...]) -> None:
    """Add a vacancy to an employer; prints the vacancy id as the last line."""
    from event_ops.employers.service import add_vacancy

    wanted = [parse_skill(s, True) for s in skills] + [parse_skill(s, False) for s in nice]

    async def go():
        return await add_vacancy(employer_id, title=title, postcode=postcode, sector=sector,
                                 positions=positions, hours_per_week=hours,
                                 competencies=wanted)

    vacancy_id = run(go)
    click.echo(f"added vacancy {title}")
    click.echo(vacancy_id)


@main.group()
def token() -> None:
    """Manage staff and device tokens."""


@token.command("create")
@click.option("--event", "slug", default=None,
              help="the event of the token; left out for --role admin (every event)")
@click.option("--role", required=True, type=click.Choice(TOKEN_ROLES))
@click.option("--employer", "employer_id", type=int, default=None)
@click.option("--label", required=True)
def token_create(slug: str | None, role: str, employer_id: int | None, label: str) -> None:
    """Create a bearer token; prints it as the last line (it is shown only once). An admin
    token (``--role admin``, no ``--event``) is programme-wide: it may create events."""
    from event_ops.access.tokens import create_token
    from event_ops.events.service import get_event

    if (role == "admin") != (slug is None):
        raise click.UsageError("--role admin takes no --event; every other role needs --event.")

    async def go():
        event = await get_event(slug) if slug is not None else None
        return await create_token(event, role=role, label=label, employer_id=employer_id)

    secret = run(go)
    scope = slug if slug is not None else "every event"
    click.echo(f"{role} token for {scope} ({label}); store it now, it is not shown again:")
    click.echo(secret)


@main.group()
def account() -> None:
    """Accounts of organisers and job coaches (they log in at /login)."""


@account.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ACCOUNT_ROLES))
@click.option("--event", "slugs", multiple=True,
              help="an event this person works on (repeat); admins see every event")
@click.option("--password-stdin", is_flag=True,
              help="read the password from standard input instead of asking")
def account_create(email: str, name: str, role: str, slugs: tuple[str, ...],
                   password_stdin: bool) -> None:
    """Create an account; asks for the password twice (never on the command line, where
    other users of the machine could see it). Prints the account id as the last line."""
    from event_ops.access.accounts import create_account
    from event_ops.events.service import get_event

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)

    async def go():
        events = [(await get_event(slug)).id for slug in slugs]
        return await create_account(email, name, role, password, events)

    account_id = run(go)
    click.echo(f"created {role} account for {email}")
    click.echo(account_id)


@account.command("events")
@click.option("--email", required=True)
@click.option("--event", "slugs", multiple=True, help="the full list of events (repeat)")
def account_events(email: str, slugs: tuple[str, ...]) -> None:
    """Set the events an organiser staff member or job coach works on."""
    from event_ops.access.accounts import account_id_for, set_account_events
    from event_ops.events.service import get_event

    async def go():
        events = [(await get_event(slug)).id for slug in slugs]
        await set_account_events(await account_id_for(email), events, actor="cli")

    run(go)
    click.echo(f"{email}: {len(slugs)} event(s)")


@account.command("disable")
@click.option("--email", required=True)
def account_disable(email: str) -> None:
    """Stop an account from logging in and end its sessions at once."""
    from event_ops.access.accounts import account_id_for, disable_account

    async def go():
        await disable_account(await account_id_for(email), actor="cli")

    run(go)
    click.echo(f"disabled {email}")


@account.command("reset-totp")
@click.option("--email", required=True)
def account_reset_totp(email: str) -> None:
    """Turn two-step login off for someone who lost their phone; they set it up again."""
    from event_ops.access.accounts import account_id_for, reset_totp

    async def go():
        await reset_totp(await account_id_for(email), actor="cli")

    run(go)
    click.echo(f"two-step login is off for {email}")


@account.command("list")
def account_list() -> None:
    """Every account: e-mail, role, two-step login on or off, number of events."""
    from event_ops.access.accounts import list_accounts

    for row in run(list_accounts):
        state = "disabled" if row["disabled_at"] else "active"
        click.echo(f"{row['email']}\t{row['role']}\ttotp={'on' if row['totp'] else 'off'}"
                   f"\tevents={row['events']}\t{state}")


@main.group()
def taxonomy() -> None:
    """The competency taxonomy."""


@taxonomy.command("load")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV with code,sector,level,name_nl,name_en,esco_uri")
def taxonomy_load(path: Path | None) -> None:
    """Load or replace competencies from a CSV file (default: the built-in taxonomy)."""
    from event_ops.taxonomy.service import DEFAULT_CSV, load_taxonomy

    n = run(lambda: load_taxonomy(path or DEFAULT_CSV))
    click.echo(f"loaded {n} competencies")


@main.group()
def badges() -> None:
    """Badges and their keys."""


@badges.command("render")
@click.option("--event", "slug", required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def badges_render(slug: str, out: Path) -> None:
    """Render every badge of an event as print sheets (several per A4, with cut marks)."""
    from badges.content import event_badges
    from badges.sheets import render_sheets
    from event_ops.events.service import get_event

    async def go():
        event = await get_event(slug)
        return event, await event_badges(event.id, get_settings())

    event, items = run(go)
    with click.progressbar(length=len(items), label="Rendering badges", file=sys.stderr) as bar:
        count = render_sheets(items, out, size=event.badge_size, progress=bar.update)
    click.echo(f"wrote {count} badges to {out}")


@badges.command("check")
@click.option("--event", "slug", required=True)
def badges_check(slug: str) -> None:
    """Badges whose name the badge cannot show as typed (another script, emoji), with what
    they print instead: registration id, name, first name and full name on the badge."""
    from badges.content import badges_to_check
    from event_ops.events.service import get_event

    async def go():
        return await badges_to_check((await get_event(slug)).id)

    found = run(go)
    for c in found:
        click.echo(f"{c['registration_id']}\t{c['name']}\t{c['first_name']}\t{c['full_name']}")
    click.echo(f"{len(found)} badge(s) to check")


@badges.command("rotate-key")
@click.option("--event", "slug", required=True)
def badges_rotate_key(slug: str) -> None:
    """Start signing new badges with a new key; older keys keep verifying until retired."""
    from badges.service import add_key
    from event_ops.events.service import get_event

    async def go():
        return await add_key((await get_event(slug)).id, get_settings())

    click.echo(f"new signing key {run(go)}")


@badges.command("retire-key")
@click.option("--event", "slug", required=True)
@click.option("--key-id", type=int, required=True)
def badges_retire_key(slug: str, key_id: int) -> None:
    """Stop accepting badges signed with this key."""
    from badges.service import retire_key
    from event_ops.events.service import get_event

    async def go():
        await retire_key((await get_event(slug)).id, key_id)

    run(go)
    click.echo(f"key {key_id} retired")


@main.group()
def retention() -> None:
    """Erasing personal data after each event's retention period."""


@retention.command("purge")
@click.option("--apply", is_flag=True, help="Really erase. Without it: only list (dry run).")
def retention_purge(apply: bool) -> None:
    """Erase visitors whose every event ended longer ago than its retention period."""
    from event_ops.privacy.erasure import purge_expired

    due = run(lambda: purge_expired(apply=apply, actor="cli:retention"))
    verb = "erased" if apply else "would erase (dry run; add --apply)"
    click.echo(f"{verb}: {len(due)} visitors")
    for visitor_id in due:
        click.echo(f"  visitor {visitor_id}")


def run_plain(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    """Run one async command that opens its own database connections (backup, restore)."""
    try:
        return asyncio.run(coro_fn())
    except DomainError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)


@main.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent backup of the database to the new folder PATH, while the server
    runs. The badge signing keys in it are encrypted with EVENTOPS_SECRET_KEY: keep that key
    safe, apart from the backups; a restore needs the same key. Backups hold personal data."""
    from event_ops.operations.backup import make_backup

    manifest = run_plain(lambda: make_backup(get_settings(), path))
    click.echo(f"backup written to {path} ({manifest.database}, migration "
               f"{manifest.migration or 'none'}, {manifest.created_at})")


@main.command()
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
def restore(path: Path) -> None:
    """Restore the backup in folder PATH into the configured database, which must be empty;
    then run `eventops migrate`. Needs the EVENTOPS_SECRET_KEY the backup was made with."""
    from event_ops.operations.backup import restore_backup

    manifest = run_plain(lambda: restore_backup(get_settings(), path))
    click.echo(f"restored the backup of {manifest.created_at} (migration "
               f"{manifest.migration or 'none'}); now run `eventops migrate`.")


@main.group()
def mail() -> None:
    """The outgoing mail queue."""


@mail.command("send")
def mail_send() -> None:
    """Send every mail that is due now (the server does this by itself as well)."""
    from event_ops.mail.outbox import send_due

    sent, failed = run(lambda: send_due(get_settings()))
    click.echo(f"sent {sent}, failed {failed}")


@mail.command("retry")
def mail_retry() -> None:
    """Queue failed mails again."""
    from event_ops.mail.outbox import retry_failed

    click.echo(f"queued {run(retry_failed)} failed mails again")


@main.group()
def followup() -> None:
    """Follow-up of matches after events."""


@followup.command("run")
@click.option("--idle-days", default=5, show_default=True, type=click.IntRange(1, 365),
              help="remind an owner when a match has not moved for this many days")
def followup_run(idle_days: int) -> None:
    """Reminders, 2/8-week checkpoints and after-event mails (the server runs this hourly)."""
    from event_ops import clock
    from event_ops.followup.tasks import run_followup_tasks

    result = run(lambda: run_followup_tasks(clock.now(), idle_days=idle_days))
    for name, value in result.as_dict().items():
        click.echo(f"{name}: {value}")


@main.command("report")
@click.option("--event", "slug", default=None, help="one event (default: the whole programme)")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx",
              show_default=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_export(slug: str | None, fmt: str, lang: str, out: Path) -> None:
    """Write the report of one event or of the whole programme as CSV or XLSX."""
    from event_ops.reports.build import event_report, programme_report
    from event_ops.reports.export import to_csv, to_xlsx

    async def go() -> dict:
        if slug:
            return await event_report(slug, lang=lang)
        return await programme_report(lang=lang)

    report = run(go)
    out.write_bytes((to_csv if fmt == "csv" else to_xlsx)(report, lang))
    click.echo(f"wrote {out}")

@main.group()
def matching() -> None:
    """Festival recommendations and matching-day schedules."""


@matching.command("recommend")
@click.option("--event", "slug", required=True)
def matching_recommend(slug: str) -> None:
    """Store three balanced recommended stands for every visitor of a festival."""
    from event_ops.events.service import get_event
    from event_ops.matching.recommend import build_recommendations

    async def go():
        return await build_recommendations(await get_event(slug), actor="cli")

    for name, value in run(go).as_dict().items():
        click.echo(f"{name}: {value}")


@matching.command("schedule")
@click.option("--event", "slug", required=True)
@click.option("--rounds", default=None, type=int, help="default: as saved, first time 8")
@click.option("--minutes", default=None, type=int, help="default: as saved, first time 10")
@click.option("--pause", default=None, type=int, help="default: as saved, first time 5")
@click.option("--publish", is_flag=True, help="publish the draft right away")
def matching_schedule(slug: str, rounds: int | None, minutes: int | None, pause: int | None,
                      publish: bool) -> None:
    """Build (and optionally publish) the speed-meeting schedule of a matching day. Settings
    left out keep the event's saved meeting plan."""
    from event_ops.events.service import get_event
    from event_ops.matching.schedule import build_schedule, publish_schedule

    async def go():
        event = await get_event(slug)
        summary = await build_schedule(event, rounds=rounds, minutes=minutes, pause=pause)
        if publish:
            await publish_schedule(event)
        return summary

    for name, value in run(go).as_dict().items():
        click.echo(f"{name}: {value}")
    if publish:
        click.echo("published")


@main.group()
def pool() -> None:
    """The candidate pool (visitors findable for employers between events)."""


@pool.command("remind")
def pool_remind() -> None:
    """Renewal reminders (14 days before the end, once), expire requests of ended
    memberships, delete pool rows 30 days after the end (the server runs this hourly)."""
    from event_ops.pool.membership import run_maintenance

    result = run(run_maintenance)
    click.echo(f"reminded: {result.reminded}")
    click.echo(f"expired_requests: {result.expired_requests}")
    click.echo(f"deleted: {result.deleted}")


if __name__ == "__main__":
    main()
