"""Public pages: event list, event page, registration form, confirmation."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.response import Redirect, Template

from app.pages.common import page_language, render
from app.settings import Settings
from event_ops import clock
from event_ops.errors import DomainError, ValidationFailed
from event_ops.events.service import get_event, list_upcoming_events
from event_ops.events.tables import Event
from event_ops.i18n import t
from event_ops.links import PURPOSE_REGISTERED, check_expiring_token, make_expiring_token
from event_ops.mail.render import badge_url, format_when
from event_ops.people.profile import registration_summary
from event_ops.people.registration import (
    AVAILABILITY,
    EDUCATION_LEVELS,
    RegistrationInput,
    RegistrationOutcome,
    register,
)
from event_ops.people.stats import registered_count
from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS, competencies_by_code

_ = RequestEncodingType  # form bodies are read with request.form() (multi-valued fields)


async def _event_or_404(request: Request, slug: str) -> Event | Template:
    try:
        return await get_event(slug)
    except DomainError:
        return render(request, "error.html", status_code=404, message_key="error.event_not_found")


@get("/", name="events")
async def event_list(request: Request) -> Template:
    lang = page_language(request)
    events = await list_upcoming_events(clock.now())
    for event in events:
        event["when"] = format_when(event["starts_at"], event["ends_at"], lang)
    return render(request, "events.html", lang=lang, events=events)


@get("/events/{slug:str}", name="event")
async def event_page(request: Request, slug: str) -> Template:
    event = await _event_or_404(request, slug)
    if isinstance(event, Template):
        return event
    lang = page_language(request)
    places_left = None
    if event.capacity is not None:
        places_left = max(event.capacity - await registered_count(event.id), 0)
    return render(
        request, "event.html", lang=lang, event=event, places_left=places_left,
        when=format_when(event.starts_at, event.ends_at, lang),
    )


async def form_context(lang: str) -> dict:
    competencies = await competencies_by_code()
    by_sector: dict[str, list] = {}
    for item in competencies.values():
        by_sector.setdefault(item.sector, []).append(item)
    groups = [
        (code, SECTOR_NAMES[code][1 if lang == "en" else 0], sorted(
            by_sector.get(code, []), key=lambda i: i.name(lang)))
        for code in (*SECTORS, "general") if by_sector.get(code)
    ]
    return {
        "sectors": [(s, SECTOR_NAMES[s][1 if lang == "en" else 0]) for s in SECTORS],
        "competency_groups": groups,
        "education_levels": EDUCATION_LEVELS,
        "availability_options": AVAILABILITY,
    }


@get("/events/{slug:str}/register", name="register_form")
async def registration_form(request: Request, slug: str) -> Template:
    event = await _event_or_404(request, slug)
    if isinstance(event, Template):
        return event
    lang = page_language(request)
    return render(
        request, "register.html", lang=lang, event=event, values={"language": lang},
        errors={}, **await form_context(lang),
    )


def input_from_form(form) -> RegistrationInput:
    competencies = form.getall("competencies", [])
    levels: dict[str, int] = {}
    for code in competencies:
        raw = form.get(f"level_{code}", "2")
        levels[code] = int(raw) if str(raw).isdigit() else 0
    return RegistrationInput(
        name=form.get("name", ""),
        email=form.get("email", ""),
        phone=form.get("phone") or None,
        postcode=form.get("postcode") or None,
        competencies=competencies,
        competency_levels=levels,
        sectors=form.getall("sectors", []),
        education_level=form.get("education_level") or None,
        availability=form.getall("availability", []),
        consent_terms=form.get("consent_terms") == "yes",
        consent_share_profile=form.get("consent_share_profile") == "yes",
        language=form.get("language", "nl"),
    )


@post("/events/{slug:str}/register", name="register_submit")
async def registration_submit(
    request: Request, slug: str, state: State
) -> Template | Redirect:
    event = await _event_or_404(request, slug)
    if isinstance(event, Template):
        return event
    lang = page_language(request)
    form = await request.form()
    data = input_from_form(form)
    try:
        outcome = await register(event, data)
    except ValidationFailed as exc:
        return render(
            request, "register.html", status_code=422, lang=lang, event=event,
            values=form_values(data), errors={k: t(v, lang) for k, v in exc.errors.items()},
            **await form_context(lang),
        )
    except DomainError as exc:
        if exc.code == "already_registered":
            # The API must answer 409 (contract); a page answers as for any address we know
            # already, so it never tells whoever typed an address that it is signed up.
            state.outbox.wake()  # the confirmation was queued again
            return Redirect(f"/events/{event.slug}/registered?lang={lang}", status_code=303)
        errors = {exc.field or "form": t(f"error.{exc.code}", lang)}
        return render(
            request, "register.html", status_code=400,
            lang=lang, event=event, values=form_values(data), errors=errors,
            **await form_context(lang),
        )
    state.outbox.wake()
    # Redirect after POST: a reload shows the confirmation again instead of signing up again.
    return Redirect(confirmation_path(state.settings, event, outcome, lang), status_code=303)


# How long the confirmation page of a brand-new visitor shows the badge and page links.
CONFIRMATION_SECONDS = 60 * 60


def confirmation_path(
    settings: Settings, event: Event, outcome: RegistrationOutcome, lang: str
) -> str:
    """Where the sign-up form sends the browser (303). Only a brand-new visitor gets a
    secret, short-lived link to a page with their status and badge: anyone could type
    someone else's e-mail address, so for a known address the page says only "check your
    mail" and the badge goes by e-mail (the URL never identifies a registration)."""
    if not outcome.answer_may_link:
        return f"/events/{event.slug}/registered?lang={lang}"
    expires = int(clock.now().timestamp()) + CONFIRMATION_SECONDS
    token = make_expiring_token(settings.secret_key, PURPOSE_REGISTERED,
                                outcome.registration_id, expires)
    return f"/events/{event.slug}/registered/{token}?lang={lang}"


async def _confirmation(request: Request, state: State, slug: str,
                        token: str | None) -> Template:
    event = await _event_or_404(request, slug)
    if isinstance(event, Template):
        return event
    lang = page_language(request)
    context: dict = {"status": None, "email": None, "badge_url": None,
                     "waiting_position": None}
    registration_id = check_expiring_token(
        state.settings.secret_key, PURPOSE_REGISTERED, token,
        int(clock.now().timestamp())) if token else None
    row = await registration_summary(registration_id) if registration_id else None
    if row is not None and row["event_id"] == event.id and row["status"] != "cancelled":
        settings = state.settings
        context.update(
            status=row["status"], email=row["email"], waiting_position=row.get("rank"),
            badge_url=badge_url(settings, registration_id, row["badge_serial"])
            if row["status"] == "registered" else None,
            # Never the link to the visitor's own page: it stays valid for all the owner of
            # the address stores later, so only the mailbox gets it.
        )
    return render(request, "registered.html", lang=lang, event=event,
                  when=format_when(event.starts_at, event.ends_at, lang), **context)


@get("/events/{slug:str}/registered", name="registered_generic")
async def registration_done(request: Request, slug: str, state: State) -> Template:
    """The neutral confirmation: the event, and "look in your mail"."""
    return await _confirmation(request, state, slug, None)


@get("/events/{slug:str}/registered/{token:str}", name="registered")
async def registration_done_secret(request: Request, slug: str, token: str,
                                   state: State) -> Template:
    """A brand-new visitor's confirmation with the badge (secret link, one hour); an expired
    or wrong link shows the neutral confirmation."""
    return await _confirmation(request, state, slug, token)


def form_values(data: RegistrationInput) -> dict:
    return {
        "name": data.name, "email": data.email, "phone": data.phone or "",
        "postcode": data.postcode or "", "competencies": data.competencies,
        "competency_levels": data.competency_levels, "sectors": data.sectors,
        "education_level": data.education_level or "", "availability": data.availability,
        "consent_terms": data.consent_terms,
        "consent_share_profile": data.consent_share_profile, "language": data.language,
    }
