"""The Litestar app factory: ``create_app(settings)``."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, MediaType, Response, Router, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from app.api import accounts as accounts_api
from app.api import badge_prints as badge_prints_api
from app.api import badges as badges_api
from app.api import checkins as checkins_api
from app.api import devices as devices_api
from app.api import door as door_api
from app.api import employers as employers_api
from app.api import events as events_api
from app.api import followup as followup_api
from app.api import interests as interests_api
from app.api import job_profiles as job_profiles_api
from app.api import kiosk as kiosk_api
from app.api import mail as mail_api
from app.api import matching as matching_api
from app.api import pool as pool_api
from app.api import printing as printing_api
from app.api import programmes as programmes_api
from app.api import questions as questions_api
from app.api import registration_desk as registration_desk_api
from app.api import registrations as registrations_api
from app.api import reports as reports_api
from app.api.auth import permission_guard, requires
from app.api.badges import badge_file, badge_print
from app.control import ControlChannel
from app.csrf import session_csrf_middleware
from app.errors import (
    UNAVAILABLE_HEADERS,
    domain_error_handler,
    http_error_handler,
    internal_error_handler,
    note_database_reachable,
)
from app.input_limits import BoundedRequest
from app.logs import install_log_filters
from app.metrics import MULTIPROCESS_DIR, metrics, observe_middleware, refresh_process_gauges
from app.pages.account import ROUTES as ACCOUNT_PAGES
from app.pages.backoffice.accounts import ROUTES as BO_ACCOUNT_PAGES
from app.pages.backoffice.badges import ROUTES as BO_BADGE_PAGES
from app.pages.backoffice.coach import ROUTES as COACH_PAGES
from app.pages.backoffice.employer_applications import ROUTES as APPLICATION_PAGES
from app.pages.backoffice.employers import ROUTES as EMPLOYER_PAGES
from app.pages.backoffice.events import ROUTES as BO_EVENT_PAGES
from app.pages.backoffice.invitations import ROUTES as INVITATION_PAGES
from app.pages.backoffice.matching import ROUTES as BO_MATCHING_PAGES
from app.pages.backoffice.messages import ROUTES as MESSAGE_PAGES
from app.pages.backoffice.programmes import ROUTES as BO_PROGRAMME_PAGES
from app.pages.backoffice.questions import ROUTES as BO_QUESTION_PAGES
from app.pages.backoffice.registrations import ROUTES as DESK_PAGES
from app.pages.board import board_page
from app.pages.devices import ROUTES as DEVICE_PAGES
from app.pages.door import dashboard_page, door_page, pair_page
from app.pages.employer_jobs import ROUTES as JOB_PAGES
from app.pages.employer_matching import ROUTES as PORTAL_MATCHING_PAGES
from app.pages.employer_portal import ROUTES as PORTAL_PAGES
from app.pages.employer_security import ROUTES as PORTAL_ACCOUNT_PAGES
from app.pages.invitation import ROUTES as INVITED_PAGES
from app.pages.legal import ROUTES as LEGAL_PAGES
from app.pages.offline import service_worker
from app.pages.pool_search import ROUTES as POOL_SEARCH_PAGES
from app.pages.pool_visitor import ROUTES as POOL_VISITOR_PAGES
from app.pages.printing import ROUTES as PRINTING_PAGES
from app.pages.registration import (
    event_list,
    event_page,
    registration_done,
    registration_done_secret,
    registration_form,
    registration_submit,
)
from app.pages.reports import event_reports_page, programme_reports_page
from app.pages.schedule import ROUTES as MATCHING_PAGES
from app.pages.stand import stand_interest, stand_page
from app.pages.tablet import stand_tablet_page
from app.pages.unsubscribe import ROUTES as UNSUBSCRIBE_PAGES
from app.pages.visitor import (
    my_data_erase,
    my_data_json,
    my_data_page,
    my_messages_choice,
    my_page,
    my_page_save,
    my_registration_cancel,
    my_registration_cancel_confirm,
)
from app.ratelimit import RateLimiter
from app.security import security_headers_hook, security_headers_middleware
from app.tasks import Periodic
from app.ws import live_feed, print_feed, stand_feed
from badges.render_pool import renderer as badge_renderer
from badges.verifier import verifier
from checkin.live import FeedHub, StatsCache, build_channels
from event_ops.core import db as database
from event_ops.core.errors import DomainError
from event_ops.core.settings import Settings, get_settings
from event_ops.followup.worker import INTERVAL_SECONDS as FOLLOWUP_INTERVAL
from event_ops.followup.worker import run_and_wake as run_followup
from event_ops.i18n import t
from event_ops.localtime import local_time
from event_ops.mail.outbox import OutboxWorker
from event_ops.messaging.service import queue_due_reminders
from event_ops.operations.backup import nightly as nightly_backup
from event_ops.pool.membership import run_pool_maintenance
from event_ops.printing import badge_runs
from event_ops.privacy.erasure import purge_expired
from event_ops.texts.direction import text_direction

ROOT = Path(__file__).resolve().parent.parent


_startup_frozen = False


def _freeze_startup_objects() -> None:
    """Modules, classes and the app, loaded at startup, live as long as the process. Frozen,
    the cyclic garbage collector no longer walks them in every full collection: those took
    75-90 ms each under load and stalled every request meanwhile (interests p99 110 ms).
    Once per process (the tests start many apps in one), after a collection, so no garbage
    is frozen with them."""
    global _startup_frozen
    if not _startup_frozen:
        _startup_frozen = True
        gc.collect()
        gc.freeze()


@get("/health", media_type=MediaType.JSON, tags=["meta"])
async def health() -> Response:
    """200 ``{"status": "ok"}`` (the contract) when the database answers; 503
    ``{"status": "degraded", "database": "down"}`` with Retry-After when it does not."""
    if await database.database_reachable():
        note_database_reachable()
        return Response({"status": "ok"})
    return Response({"status": "degraded", "database": "down"}, status_code=503,
                    headers=UNAVAILABLE_HEADERS)


REMINDER_INTERVAL = 300.0  # seconds between looks for due reminders


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = database.current_engine()
    outbox = OutboxWorker(settings)
    channels = build_channels(settings)
    stats_cache = StatsCache()
    periodic = [
        Periodic("retention", 24 * 3600, lambda: purge_expired(apply=True, actor="retention")),
        Periodic("followup", FOLLOWUP_INTERVAL, run_followup),
        # Reminders two days and the morning before (each queued once, in any process).
        Periodic("reminders", REMINDER_INTERVAL,
                 lambda: queue_due_reminders(sms_on=bool(settings.sms_url))),
        Periodic("badge-prints", 600, lambda: badge_runs.clean_up(settings), delay=5.0),
        # Pool renewal reminders (once each, in any process), ending and deleting memberships.
        Periodic("pool", 3600, run_pool_maintenance),
    ]
    if settings.backup_dir:
        # Checks every 5 minutes whether tonight's backup is due (EVENTOPS_BACKUP_TIME,
        # Amsterdam); one process makes it, every process prunes old ones.
        periodic.append(Periodic("backup", 300, lambda: nightly_backup(settings), delay=30))

    if MULTIPROCESS_DIR:
        # Several workers: each flushes its counts and gauges for whichever one is scraped.
        async def refresh_gauges() -> None:
            refresh_process_gauges(application.state)

        periodic.append(Periodic("metrics", 1, refresh_gauges, delay=1))

    badge_renderer.configure(pool="thread" if settings.badge_render_pool == "thread"
                             else "process")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await database.start_engine(engine, settings)
        outbox.start()
        for job in periodic:
            job.start()
        _freeze_startup_objects()
        try:
            yield
        finally:
            for job in periodic:
                await job.stop()
            await badge_runs.shutdown()  # running print jobs are marked failed
            await outbox.stop()
            verifier.close()
            await limiter.counter.close()
            badge_renderer.close()
            await database.stop_engine(engine)

    def engine_callback(jinja: JinjaTemplateEngine) -> None:
        jinja.engine.globals["t"] = t
        jinja.engine.filters["local_time"] = local_time  # times people read: Amsterdam
        jinja.engine.filters["text_dir"] = text_direction  # <html dir>: rtl for ar, fa, he ...

    # Separate buckets per purpose and client, never a 500 when Redis is away (ratelimit.py).
    limiter = RateLimiter(settings)
    middleware: list = [observe_middleware,  # outermost: times everything below it
                        DefineMiddleware(security_headers_middleware(settings)),
                        DefineMiddleware(limiter.middleware)]

    application = Litestar(
        route_handlers=[
            health,
            metrics,
            # The HTTP API: one router per context, each behind the permission guard.
            registrations_api.ROUTER,
            registration_desk_api.ROUTER,
            checkins_api.ROUTER,
            door_api.ROUTER,
            devices_api.ROUTER,
            badges_api.ROUTER,
            badge_prints_api.ROUTER,
            interests_api.ROUTER,
            matching_api.ROUTER,
            followup_api.ROUTER,
            reports_api.ROUTER,
            mail_api.ROUTER,
            employers_api.ROUTER,
            job_profiles_api.ROUTER,
            events_api.ROUTER,
            programmes_api.ROUTER,
            accounts_api.ROUTER,
            questions_api.ROUTER,
            printing_api.ROUTER,
            pool_api.ROUTER,
            kiosk_api.ROUTER,
            live_feed,
            stand_feed,
            print_feed,
            badge_file,
            badge_print,
            event_list,
            event_page,
            registration_form,
            registration_submit,
            registration_done,
            registration_done_secret,
            my_page,
            my_page_save,
            my_messages_choice,
            my_registration_cancel,
            my_registration_cancel_confirm,
            my_data_json,
            my_data_page,
            my_data_erase,
            stand_page,
            stand_interest,
            stand_tablet_page,
            pair_page,
            door_page,
            service_worker,
            dashboard_page,
            board_page,
            event_reports_page,
            programme_reports_page,
            *MATCHING_PAGES,
            *BO_MATCHING_PAGES,
            *BO_BADGE_PAGES,
            *ACCOUNT_PAGES,
            *DEVICE_PAGES,
            *DESK_PAGES,
            *COACH_PAGES,
            *POOL_VISITOR_PAGES,
            *LEGAL_PAGES,
            *EMPLOYER_PAGES,
            *APPLICATION_PAGES,
            *PORTAL_PAGES,
            *POOL_SEARCH_PAGES,
            *PORTAL_ACCOUNT_PAGES,
            *PORTAL_MATCHING_PAGES,
            *JOB_PAGES,
            *MESSAGE_PAGES,
            *INVITATION_PAGES, *INVITED_PAGES,
            *UNSUBSCRIBE_PAGES,
            *BO_EVENT_PAGES,
            *BO_PROGRAMME_PAGES,
            *BO_ACCOUNT_PAGES,
            *BO_QUESTION_PAGES,
            *PRINTING_PAGES,
            create_static_files_router(path="/static", directories=[ROOT / "static"]),
        ],
        lifespan=[lifespan],
        # Last: CSRF (session-bound tokens) runs after the host check and the rate limit.
        middleware=[*middleware, session_csrf_middleware(settings)],
        template_config=TemplateConfig(
            directory=ROOT / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=engine_callback,
        ),
        exception_handlers={
            DomainError: domain_error_handler,
            HTTPException: http_error_handler,
            Exception: internal_error_handler,
        },
        state=State({"settings": settings, "outbox": outbox, "stats": stats_cache,
                     "channels": channels, "feed": FeedHub(channels, stats_cache)}),
        plugins=[channels, ControlChannel(channels)],
        request_max_body_size=256 * 1024,
        request_class=BoundedRequest,
        before_send=[security_headers_hook(settings)],
        # The schema is for organisers only (it maps every endpoint); JSON at /api/v1/schema.
        openapi_config=OpenAPIConfig(
            title="event-ops", version="1", path="/api/v1/schema",
            render_plugins=[JsonRenderPlugin(path="/openapi.json")],
            openapi_router=Router(
                path="/api/v1/schema", route_handlers=[], guards=[permission_guard],
                opt=requires("api.schema"),
            ),
        ),
        debug=settings.debug,
        # Litestar's records go to the root logger: the one-line format of app/logs.py.
        logging_config=None,
    )
    install_log_filters()  # after Litestar configured its loggers
    return application
