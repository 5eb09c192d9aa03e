"""Public pages: event list, event page, registration form, confirmation."""

from __future__ import annotations

from html import escape as html_escape

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup

from app.errors import message_key_for, status_for
from app.pages.common import language_menu, page_language, remember_language, render
from event_ops import clock
from event_ops.core.caches import Cache
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.core.settings import Settings
from event_ops.events.service import (
    cached_event,
    check_public_signup,
    get_event,
    list_upcoming_events,
)
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
from event_ops.questions.service import QuestionView, active_questions
from event_ops.taxonomy.service import (
    SECTORS,
    CompetencyItem,
    competencies_by_code,
    sector_name,
)
from event_ops.texts.audience import LANGUAGE_NAMES, VISITOR_LANGUAGES
from event_ops.texts.direction import text_direction

_ = RequestEncodingType  # form bodies are read with request.form() (multi-valued fields)


@get("/", name="events")
async def event_list(request: Request) -> Template:
    lang = page_language(request)
    events = await list_upcoming_events(clock.now())
    for event in events:
        event["when"] = format_when(event["starts_at"], event["ends_at"], lang)
    return render(request, "events.html", lang=lang, events=events)


@get("/events/{slug:str}", name="event")
async def event_page(request: Request, slug: str) -> Template:
    event = await get_event(slug)  # no such event: the error page (app/errors.py), 404
    lang = page_language(request)
    places_left = None
    if event.capacity is not None:
        places_left = max(event.capacity - await registered_count(event.id), 0)
    # No sign-up button where sign-up would be refused: say why instead.
    signup_closed = None
    try:
        check_public_signup(event, clock.now())
    except DomainError as exc:
        signup_closed = message_key_for(exc.code)
    return render(
        request, "event.html", lang=lang, event=event, places_left=places_left,
        when=format_when(event.starts_at, event.ends_at, lang), signup_closed=signup_closed,
    )


async def form_context(lang: str) -> dict:
    competencies = await competencies_by_code()
    by_sector: dict[str, list] = {}
    for item in competencies.values():
        by_sector.setdefault(item.sector, []).append(item)
    groups = [
        (code, sector_name(code, lang), sorted(
            by_sector.get(code, []), key=lambda i: i.name(lang)))
        for code in (*SECTORS, "general") if by_sector.get(code)
    ]
    return {
        "sectors": [(s, sector_name(s, lang)) for s in SECTORS],
        "competency_groups": groups,
        "education_levels": EDUCATION_LEVELS,
        "availability_options": AVAILABILITY,
        # The language of mail: every visitor language, each named in its own script.
        "language_options": [(code, LANGUAGE_NAMES[code], text_direction(code))
                             for code in VISITOR_LANGUAGES],
    }


# The fields of the empty sign-up form by language: (the taxonomy they show, the HTML).
_empty_fields: Cache[str, tuple[dict[str, CompetencyItem], tuple[CompetencyItem, ...], Markup]] = (
    Cache("pages.sign_up_fields"))


async def empty_form_fields(request: Request, lang: str) -> Markup:
    """``_profile_fields.html`` for an empty form (no values, no errors) in ``lang``.

    Rendered once per language and taxonomy, then reused: with 227 competencies (each with
    its level choice) that template took ~16 ms of event-loop time on every request, most
    of this public page, and nothing in it differs between requests or events. A changed
    taxonomy (``load_taxonomy``) shows up when ``competencies_by_code`` reads it again.
    """
    competencies = await competencies_by_code()
    hit = _empty_fields.get(lang)
    if hit is not None and hit[0] is competencies:
        return hit[2]
    items = tuple(competencies.values())
    if hit is not None and hit[1] == items:  # the same taxonomy, read again after its cache time
        _empty_fields[lang] = (competencies, items, hit[2])
        return hit[2]
    engine = request.app.template_engine
    assert engine is not None
    html = Markup(engine.engine.get_template("_profile_fields.html").render(
        lang=lang, values={"language": lang}, errors={}, **await form_context(lang)))
    _empty_fields[lang] = (competencies, items, html)
    return html


# The empty sign-up page by (slug, language), as the bytes before and after its CSRF token:
# (the event and fields it was made from, head, tail). The page is public, 140 kB, and the
# same for everyone but the token; rendering it (Jinja, then escaping and encoding 140 kB)
# was most of its event-loop time. An event edit shows up when ``cached_event`` reads it
# again (a few seconds), a taxonomy change through ``empty_form_fields``.
EMPTY_PAGES = 64  # least recently shown out first
_empty_pages: Cache[tuple[str, str],
                    tuple[Event, Markup, tuple[QuestionView, ...], bytes, bytes]] = Cache(
    "pages.sign_up_pages", maxsize=EMPTY_PAGES)
_CSRF_MARK = "\x00csrf-input\x00"  # cannot come out of the template otherwise (no NUL)


@get("/events/{slug:str}/register", name="register_form")
async def registration_form(request: Request, slug: str) -> Template | Response:
    # A copy up to a few seconds old: a public page anyone can ask for often.
    event = await cached_event(slug)
    # Invitation only, outside the sign-up window, archived: the error page says why.
    check_public_signup(event, clock.now())
    lang = page_language(request)
    fields = await empty_form_fields(request, lang)
    # The event's own questions: the same tuple while they are unchanged (a change shows
    # within seconds everywhere, at once in this process).
    questions = await active_questions(event.id)
    key = (slug, lang)
    hit = _empty_pages.get(key)
    if hit is None or hit[0] is not event or hit[1] is not fields or hit[2] is not questions:
        engine = request.app.template_engine
        assert engine is not None
        html = engine.engine.get_template("register.html").render(
            lang=lang, other_lang="en" if lang == "nl" else "nl", path=request.url.path,
            language_menu_items=language_menu(request, lang),
            event=event, values={"language": lang}, errors={}, empty_fields=fields,
            questions=questions, question_labels={},
            csrf_input=Markup(_CSRF_MARK))
        head, _, tail = html.partition(_CSRF_MARK)
        hit = (event, fields, questions, head.encode(), tail.encode())
        _empty_pages.put(key, hit)
    _empty_pages.move_to_end(key)
    # The same field Litestar's Template response puts in ``csrf_input``.
    token = ScopeState.from_scope(request.scope).csrf_token or ""
    csrf_input = f'<input type="hidden" name="_csrf_token" value="{html_escape(token)}" />'
    return Response(b"".join((hit[3], csrf_input.encode(), hit[4])),
                    media_type=MediaType.HTML, cookies=remember_language(request))


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
        answers=answers_from_form(form),
    )


def answers_from_form(form) -> dict:
    """The event's questions are fields ``q_<id>``: one value, or several (checkboxes)."""
    answers: dict = {}
    for name in set(form.keys()):
        if name.startswith("q_"):
            values = [str(v) for v in form.getall(name, [])]
            answers[name] = values[0] if len(values) == 1 else values
    return answers


async def question_context(event: Event, lang: str) -> dict:
    questions = await active_questions(event.id)
    return {"questions": questions,
            "question_labels": {q.field: q.label(lang) for q in questions}}


@post("/events/{slug:str}/register", name="register_submit")
async def registration_submit(
    request: Request, slug: str, state: State
) -> Template | Redirect:
    event = await get_event(slug)  # no such event: the error page (app/errors.py), 404
    check_public_signup(event, clock.now())
    lang = page_language(request)
    form = await request.form()
    data = input_from_form(form)
    try:
        outcome = await register(event, data)
    except ValidationFailed as exc:
        return render(
            request, "register.html", status_code=status_for(exc.code), lang=lang, event=event,
            values=form_values(data), errors={k: t(v, lang) for k, v in exc.errors.items()},
            **await form_context(lang), **await question_context(event, lang),
        )
    except DomainError as exc:
        if exc.code == "already_registered":
            # The API must answer 409 (contract); a page answers as for any address we know
            # already, so it never tells whoever typed an address that it is signed up.
            return Redirect(f"/events/{event.slug}/registered?lang={lang}", status_code=303)
        errors = {exc.field or "form": t(message_key_for(exc.code), lang)}
        return render(
            request, "register.html", status_code=status_for(exc.code),
            lang=lang, event=event, values=form_values(data), errors=errors,
            **await form_context(lang), **await question_context(event, lang),
        )
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
    event = await get_event(slug)  # no such event: the error page (app/errors.py), 404
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
        "answers": data.answers,
    }
