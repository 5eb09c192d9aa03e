"""Questions per event: every kind on the sign-up form and the API, required answers and
valid choices with clear per-field errors (nothing stored on an error), the answers in the
visitor's data export, erased with the visitor, on the employer's card only with consent;
the back-office page to add, change, reorder and remove them."""

from __future__ import annotations

import json

import pytest

from event_ops.core.db import current_engine
from event_ops.employers.service import add_employer
from event_ops.mail.render import visitor_page_url
from event_ops.privacy.erasure import erase_visitor
from event_ops.privacy.export import visitor_export
from event_ops.questions import service
from event_ops.questions.service import QuestionInput, answers_for, questions_for
from tests.helpers import badge, bearer, csrf_token, open_event, signed_in

ACTOR = "account:0"


async def make_questions(event) -> dict[str, int]:
    ids = {
        "text": await service.create_question(event.id, QuestionInput(
            kind="short_text", label_nl="Wat heb je nodig?", label_en="What do you need?",
            help_nl="Bijvoorbeeld een rolstoel.", share="never"), actor=ACTOR),
        "one": await service.create_question(event.id, QuestionInput(
            kind="one_choice", label_nl="Welke tolk?", label_en="Which interpreter?",
            options="Arabisch | Arabic\nTurks | Turkish", required=True, share="never"),
            actor=ACTOR),
        "several": await service.create_question(event.id, QuestionInput(
            kind="several_choices", label_nl="Welk rijbewijs?", label_en="Which licence?",
            options="Auto (B) | Car (B)\nHeftruck | Forklift\nVrachtwagen | Lorry",
            share="with_consent"), actor=ACTOR),
        "yes_no": await service.create_question(event.id, QuestionInput(
            kind="yes_no", label_nl="Mag je hier werken?", label_en="May you work here?",
            required=True, share="with_consent"), actor=ACTOR),
    }
    return ids


def body(n: int, answers: dict, **extra) -> dict:
    return {"name": "Sara Bakker", "email": f"sara{n}@example.nl", "consent_terms": True,
            "answers": answers, **extra}


async def count(table: str) -> int:
    return (await current_engine().fetch(f"SELECT COUNT(*) AS n FROM {table}", []))[0]["n"]


async def test_api_stores_each_kind_and_answers_for_shows_them(client, db):
    event = await open_event()
    q = await make_questions(event)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["text"]): "  Een rustige plek  ", str(q["one"]): "o2",
        str(q["several"]): ["o1", "o2"], str(q["yes_no"]): True}))
    assert r.status_code == 201, r.text
    reg = r.json()["id"]
    shown = await answers_for(event.id, [reg])
    assert shown == {reg: {q["text"]: "Een rustige plek", q["one"]: "Turks",
                           q["several"]: "Auto (B), Heftruck", q["yes_no"]: "Ja"}}
    english = await answers_for(event.id, [reg], lang="en")
    assert english[reg][q["one"]] == "Turkish" and english[reg][q["yes_no"]] == "Yes"
    # Optional questions may stay empty; "no" is an answer too.
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(2, {
        str(q["one"]): "o1", str(q["yes_no"]): False}))
    assert r.status_code == 201, r.text
    assert (await answers_for(event.id, [r.json()["id"]]))[r.json()["id"]] == {
        q["one"]: "Arabisch", q["yes_no"]: "Nee"}
    assert [x.label_nl for x in await questions_for(event.id)] == [
        "Wat heb je nodig?", "Welke tolk?", "Welk rijbewijs?", "Mag je hier werken?"]


@pytest.mark.parametrize(("answers", "field", "message"), [
    ({}, "one", "Please fill this in."),
    ({"one": "o9", "yes_no": True}, "one", "Choose something from the list."),
    ({"one": "o1", "yes_no": "perhaps"}, "yes_no", "Choose yes or no."),
    ({"one": "o1", "yes_no": True, "several": ["o1", "nope"]}, "several",
     "Choose something from the list."),
    ({"one": "o1", "yes_no": True, "text": "x" * 501}, "text", "too long"),
])
async def test_api_refuses_bad_answers_with_the_field_and_stores_nothing(
        client, db, answers, field, message):
    event = await open_event()
    q = await make_questions(event)
    sent = {str(q[k]): v for k, v in answers.items()}
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, sent))
    assert r.status_code == 422, r.text
    assert message in r.json()["fields"][f"q_{q[field]}"]
    for table in ("visitor", "registration", "answer", "outbox_mail"):
        assert await count(table) == 0, table


async def test_api_refuses_a_question_of_another_event(client, db):
    event = await open_event()
    other = await open_event("other-event")
    q = await make_questions(event)
    foreign = await service.create_question(other.id, QuestionInput(
        kind="short_text", label_nl="Ander", label_en="Other"), actor=ACTOR)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["one"]): "o1", str(q["yes_no"]): True, str(foreign): "hoi"}))
    assert r.status_code == 422
    assert f"answers.{foreign}" in r.json()["fields"]
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(2, {
        "nonsense": "x", str(q["one"]): "o1", str(q["yes_no"]): True}))
    assert r.status_code == 422 and "answers.nonsense" in r.json()["fields"]
    assert await count("registration") == 0
    # An event without questions takes no answers but registers as before.
    r = await client.post(f"/api/v1/events/{other.slug}/registrations",
                          json=body(3, {str(foreign): "Hallo"}))
    assert r.status_code == 201


async def sign_up_form(client, event, fields: dict, lang: str = "nl"):
    csrf = csrf_token("")
    client.cookies.set("csrftoken", csrf)
    data = {"name": "Noor Visser", "email": "noor@example.nl", "consent_terms": "yes",
            "_csrf_token": csrf, **fields}
    return await client.post(f"/events/{event.slug}/register?lang={lang}", data=data)


async def test_the_form_shows_the_questions_in_the_page_language_and_stores_answers(
        client, db):
    event = await open_event()
    q = await make_questions(event)
    nl = await client.get(f"/events/{event.slug}/register")
    assert "Welke tolk?" in nl.text and "Arabisch" in nl.text and "Bijvoorbeeld een" in nl.text
    en = await client.get(f"/events/{event.slug}/register?lang=en")
    assert "Which interpreter?" in en.text and "Arabic" in en.text
    # A required question left open: a clear error next to it and in the summary.
    r = await sign_up_form(client, event, {f"q_{q['text']}": "Rolstoel"}, lang="en")
    assert r.status_code == 422
    assert "Which interpreter?: Please fill this in." in r.text
    assert f'id="q_{q["one"]}-error"' in r.text
    assert 'value="Rolstoel"' in r.text  # what was typed stays
    for table in ("visitor", "registration", "answer"):
        assert await count(table) == 0, table
    r = await sign_up_form(client, event, {
        f"q_{q['text']}": "Rolstoel", f"q_{q['one']}": "o1", f"q_{q['several']}": ["o2", "o3"],
        f"q_{q['yes_no']}": "yes"})
    assert r.status_code == 303, r.text
    reg = (await current_engine().fetch("SELECT id FROM registration", []))[0]["id"]
    assert (await answers_for(event.id, [reg]))[reg] == {
        q["text"]: "Rolstoel", q["one"]: "Arabisch", q["several"]: "Heftruck, Vrachtwagen",
        q["yes_no"]: "Ja"}


async def test_a_new_question_shows_on_the_kept_sign_up_page_at_once(client, db):
    event = await open_event()
    first = await client.get(f"/events/{event.slug}/register")
    assert "Nog een paar vragen" not in first.text
    await service.create_question(event.id, QuestionInput(
        kind="yes_no", label_nl="Heb je een auto?", label_en="Do you have a car?"),
        actor=ACTOR)
    again = await client.get(f"/events/{event.slug}/register")
    assert "Heb je een auto?" in again.text


async def test_answers_are_in_the_data_export_and_erased_with_the_visitor(
        client, db, settings):
    event = await open_event()
    q = await make_questions(event)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["text"]): "Een rustige plek", str(q["one"]): "o2", str(q["yes_no"]): True}))
    reg = r.json()["id"]
    visitor_id = (await current_engine().fetch(
        "SELECT visitor FROM registration WHERE id = ?", [reg]))[0]["visitor"]
    export = await visitor_export(visitor_id)
    assert {(a["question"], a["answer"]) for a in export["answers"]} == {
        ("Wat heb je nodig?", "Een rustige plek"), ("Welke tolk?", "Turks"),
        ("Mag je hier werken?", "Ja")}
    link = visitor_page_url(settings, visitor_id, 1).split("8000", 1)[-1]
    page = await client.get(link + "/export?lang=en")
    assert page.status_code == 200
    assert "Your answers to questions" in page.text and "Which interpreter?" in page.text
    assert "Turkish" in page.text
    as_json = await client.get(link + "/export.json")
    assert "Een rustige plek" in as_json.text

    await erase_visitor(visitor_id, "visitor:self")
    assert await count("answer") == 0
    assert (await visitor_export(visitor_id))["answers"] == []
    assert await answers_for(event.id, [reg]) == {}


async def test_the_employer_card_shows_shared_answers_only_with_consent(client, db):
    event = await open_event()
    q = await make_questions(event)
    employer = await add_employer(event, name="Zorggroep Noord", stand_label="A1",
                                  sector="care")
    door = await bearer(event)
    tablet = await bearer(event, "employer", label="Tablet", employer_id=employer.id)
    tokens = {}
    for n, share in ((1, True), (2, False)):
        r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(n, {
            str(q["text"]): "Rolstoel", str(q["one"]): "o1", str(q["several"]): ["o1"],
            str(q["yes_no"]): True}, consent_share_profile=share))
        tokens[share] = await badge(event, r.json()["id"])
        checkin = await client.post(f"/api/v1/events/{event.slug}/checkins", headers=door,
                                    json={"token": tokens[share]})
        assert checkin.json()["status"] == "ok"
    shared = await client.post(f"/api/v1/events/{event.slug}/interests/card?lang=nl",
                               headers=tablet, json={"token": tokens[True]})
    assert shared.status_code == 200, shared.text
    answers = shared.json()["visitor"]["answers"]
    # with_consent answers only; "never" (support needs, interpreter) never.
    assert answers == [{"label": "Welk rijbewijs?", "text": "Auto (B)"},
                       {"label": "Mag je hier werken?", "text": "Ja"}]
    private = await client.post(f"/api/v1/events/{event.slug}/interests/card",
                                headers=tablet, json={"token": tokens[False]})
    assert "answers" not in private.json()["visitor"]
    assert "Rolstoel" not in shared.text and "Rolstoel" not in private.text
    # The view is audited with the fields shown.
    rows = await current_engine().fetch(
        "SELECT fields FROM audit_entry WHERE action = 'profile.viewed' ORDER BY id", [])
    fields = [r["fields"] if isinstance(r["fields"], list) else json.loads(r["fields"])
              for r in rows]
    assert "answers" in fields[0] and "answers" not in fields[1]


def page_form(headers: dict[str, str], **data) -> dict:
    return {"headers": headers, "data": {**data, "_csrf_token": headers["X-CSRFToken"]}}


async def test_back_office_adds_edits_reorders_and_removes_questions(client, db):
    event = await open_event()
    staff = await signed_in("organiser_staff", [event])
    base = f"/admin/events/{event.slug}/questions"
    page = await client.get(base + "?lang=en", headers=staff)
    assert page.status_code == 200 and "There are no questions yet." in page.text

    r = await client.post(base + "?lang=en", **page_form(staff, kind="one_choice",
                                                          label_nl="Welke maat?", options="S"))
    assert r.status_code == 422 and "at least 2 choices" in r.text
    assert await count("question") == 0
    r = await client.post(base + "?lang=en", **page_form(
        staff, kind="one_choice", label_nl="Welke maat?", label_en="Which size?",
        options="Klein | Small\nGroot | Large", required="yes", share="never"))
    assert r.status_code == 303
    for preset in ("work_permit", "driving_licence"):
        r = await client.post(base + "/preset?lang=en", **page_form(staff, preset=preset))
        assert r.status_code == 303
    labels = [x.label_nl for x in await questions_for(event.id)]
    assert labels == ["Welke maat?", "Mag je in Nederland werken?", "Welk rijbewijs heb je?"]

    size, permit, licence = (x.id for x in await questions_for(event.id))
    r = await client.post(f"{base}/{licence}/up", **page_form(staff))
    assert r.status_code == 303
    assert [x.id for x in await questions_for(event.id)] == [size, licence, permit]

    r = await client.post(f"{base}/{size}?lang=en", **page_form(
        staff, kind="one_choice", label_nl="Welke maat shirt?", label_en="Which shirt size?",
        options="Klein | Small\nMiddel | Medium\nGroot | Large", share="with_consent"))
    assert r.status_code == 303
    edited = await service.get_question(event.id, size)
    assert edited.label_nl == "Welke maat shirt?" and not edited.required
    # Options kept their keys: "Groot" is still o2.
    assert ("o2", "Groot", "Large") in edited.options and edited.options[1][0] == "o3"
    change = (await current_engine().fetch(
        "SELECT changes FROM audit_entry WHERE action = 'question.updated'", []))[0]["changes"]
    change = change if isinstance(change, dict) else json.loads(change)
    assert change["label_nl"] == ["Welke maat?", "Welke maat shirt?"]
    assert change["required"] == [True, False]

    # Answered: archived (answers kept); unanswered: deleted.
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(size): "o2", str(permit): True}))
    assert r.status_code == 201, r.text
    r = await client.post(f"{base}/{size}?lang=en", **page_form(
        staff, kind="short_text", label_nl="Maat", share="never"))
    assert r.status_code == 409 and "cannot change any more" in r.text
    r = await client.post(f"{base}/{size}/remove?lang=en", **page_form(staff))
    assert "done=archived" in r.headers["location"]
    r = await client.post(f"{base}/{licence}/remove?lang=en", **page_form(staff))
    assert "done=deleted" in r.headers["location"]
    assert [x.id for x in await questions_for(event.id)] == [permit]
    assert await count("answer") == 2
    listing = await client.get(base + "?lang=en", headers=staff)
    assert "Archive" in listing.text and "Which shirt size?" in listing.text
    reg = r = (await current_engine().fetch("SELECT id FROM registration", []))[0]["id"]
    assert (await answers_for(event.id, [reg]))[reg][size] == "Groot"
    form = await client.get(f"/events/{event.slug}/register")
    assert "Welke maat shirt?" not in form.text and "Mag je in Nederland werken?" in form.text


async def test_only_organisers_of_the_event_manage_its_questions(client, db):
    event = await open_event()
    other = await open_event("other-event")
    base = f"/admin/events/{event.slug}/questions"
    for who in (await signed_in("organiser_staff", [other]),
                await signed_in("job_coach", [event])):
        assert (await client.get(base, headers=who)).status_code == 403
        r = await client.post(base, **page_form(who, kind="yes_no", label_nl="Hoi"))
        assert r.status_code == 403
        r = await client.get(f"/api/v1/events/{event.slug}/questions", headers=who)
        assert r.status_code == 403
    assert await count("question") == 0
    admin = await signed_in("organiser_admin")
    assert (await client.get(base, headers=admin)).status_code == 200
    assert (await client.get(f"{base}/999", headers=admin)).status_code == 404
    assert (await client.get(f"{base}/abc", headers=admin)).status_code == 404
    await service.create_question(event.id, QuestionInput(
        kind="yes_no", label_nl="Hoi", label_en="Hi", required=True), actor=ACTOR)
    listed = (await client.get(f"/api/v1/events/{event.slug}/questions",
                               headers=admin)).json()
    assert listed[0]["label"] == {"nl": "Hoi", "en": "Hi"} and listed[0]["required"] is True


async def test_signing_up_again_after_cancelling_replaces_the_answers(client, db):
    from event_ops.people.profile import cancel_registration

    event = await open_event()
    q = await make_questions(event)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["text"]): "Rolstoel", str(q["one"]): "o1", str(q["yes_no"]): True}))
    reg = r.json()["id"]
    visitor = dict((await current_engine().fetch(
        "SELECT v.* FROM visitor v JOIN registration r ON r.visitor = v.id WHERE r.id = ?",
        [reg]))[0])
    await cancel_registration(visitor, reg)
    r = await client.post(f"/api/v1/events/{event.slug}/registrations", json=body(1, {
        str(q["one"]): "o2", str(q["yes_no"]): False}))
    assert r.status_code == 201 and r.json()["id"] == reg
    assert (await answers_for(event.id, [reg]))[reg] == {q["one"]: "Turks",
                                                         q["yes_no"]: "Nee"}
