"""The public registration endpoint (JSON), as the contract describes it."""

from __future__ import annotations

import asyncio

import pytest

from event_ops.core.db import current_engine
from event_ops.taxonomy.service import competencies_by_code


async def some_codes(n: int = 3) -> list[str]:
    return sorted(await competencies_by_code())[:n]


async def count(table: str) -> int:
    return (await current_engine().fetch(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]


def body(**overrides):
    data = {
        "name": "Fatima el Amrani",
        "email": "fatima@example.nl",
        "phone": "06 12345678",
        "postcode": "9712ab",
        "competencies": [],
        "sectors": ["care"],
        "education_level": "mbo3",
        "consent_terms": True,
        "consent_share_profile": False,
        "language": "nl",
    }
    data.update(overrides)
    return data


async def test_register_returns_201_with_badge_url(client, festival):
    codes = await some_codes()
    r = await client.post(
        "/api/v1/events/werkfestival/registrations", json=body(competencies=codes)
    )
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["status"] == "registered"
    assert isinstance(data["id"], int)
    assert data["badge_url"].startswith("http://") and data["badge_url"].endswith(".png")
    rows = await current_engine().fetch("SELECT * FROM visitor")
    assert rows[0]["phone"] == "+31612345678"
    assert rows[0]["postcode"] == "9712 AB"
    assert await count("profile_competency") == 3
    assert await count("outbox_mail") == 1
    consents = await current_engine().fetch("SELECT kind, granted FROM consent_record")
    assert {(c["kind"], bool(c["granted"])) for c in consents} == {
        ("terms", True), ("share_profile", False)}


async def test_duplicate_email_is_409_and_stores_nothing_new(client, festival):
    r1 = await client.post("/api/v1/events/werkfestival/registrations", json=body())
    assert r1.status_code == 201
    r2 = await client.post(
        "/api/v1/events/werkfestival/registrations",
        json=body(email="  FATIMA@example.nl ", name="Someone Else"),
    )
    assert r2.status_code == 409
    assert r2.json()["error"] == "already_registered"
    assert "detail" in r2.json()
    assert await count("visitor") == 1
    assert await count("registration") == 1
    rows = await current_engine().fetch("SELECT name FROM visitor")
    assert rows[0]["name"] == "Fatima el Amrani"  # the stranger's name did not overwrite


async def test_duplicate_resends_confirmation_but_not_in_a_loop(client, festival):
    await client.post("/api/v1/events/werkfestival/registrations", json=body())
    await current_engine().fetch("UPDATE outbox_mail SET created_at = '2000-01-01 00:00:00+00:00'")
    await client.post("/api/v1/events/werkfestival/registrations", json=body())
    await client.post("/api/v1/events/werkfestival/registrations", json=body())
    assert await count("outbox_mail") == 2


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"phone": "12"}, "phone"),
        ({"postcode": "ABCD 12"}, "postcode"),
        ({"competencies": ["no-such-skill"]}, "competencies"),
        ({"sectors": ["astrology"]}, "sectors"),
        ({"education_level": "phd-of-everything"}, "education_level"),
        ({"availability": ["sometimes"]}, "availability"),
        ({"consent_terms": False}, "consent_terms"),
        ({"language": "de"}, "language"),
    ],
)
async def test_each_validation_error_names_its_field(client, festival, override, field):
    r = await client.post("/api/v1/events/werkfestival/registrations", json=body(**override))
    assert r.status_code == 422, r.text
    data = r.json()
    assert data["error"] == "validation_failed"
    assert field in data["fields"]
    assert data["fields"][field]  # a sentence a person can read
    assert await count("registration") == 0


async def test_competency_level_out_of_range(client, festival):
    codes = await some_codes(1)
    r = await client.post(
        "/api/v1/events/werkfestival/registrations",
        json=body(competencies=codes, competency_levels={codes[0]: 9}),
    )
    assert r.status_code == 422
    assert "competencies" in r.json()["fields"]


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[]", b'{"name": 5, "email": "a@b.nl"}', b'{"email": "a@b.nl"}'],
)
async def test_malformed_body_is_400(client, festival, raw):
    r = await client.post(
        "/api/v1/events/werkfestival/registrations", content=raw,
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["error"] == "bad_request"


async def test_unknown_event_is_404(client, db):
    r = await client.post("/api/v1/events/nope/registrations", json=body())
    assert r.status_code == 404
    assert r.json()["error"] == "event_not_found"


async def test_full_event_puts_people_on_waiting_list_in_order(client, small_event):
    statuses = []
    for i in range(5):
        r = await client.post(
            "/api/v1/events/zorg-matching/registrations",
            json=body(email=f"p{i}@example.nl"),
        )
        assert r.status_code == 201
        statuses.append((r.json()["status"], r.json().get("waiting_position")))
    assert statuses == [
        ("registered", None), ("registered", None), ("registered", None),
        ("waiting_list", 1), ("waiting_list", 2),
    ]
    r = await client.post(
        "/api/v1/events/zorg-matching/registrations", json=body(email="p4@example.nl")
    )
    assert r.status_code == 409


async def test_waiting_list_has_no_badge(client, small_event):
    for i in range(4):
        r = await client.post(
            "/api/v1/events/zorg-matching/registrations", json=body(email=f"w{i}@example.nl")
        )
    assert r.json()["status"] == "waiting_list"
    assert r.json()["badge_url"] is None


async def test_50_concurrent_registrations_for_last_10_places(client, db):
    import datetime as dt

    from event_ops.events.service import create_event

    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    await create_event(slug="rush", name="Rush", kind="matching", starts_at=starts,
                       ends_at=starts + dt.timedelta(hours=2), capacity=10)
    responses = await asyncio.gather(*[
        client.post("/api/v1/events/rush/registrations", json=body(email=f"r{i}@example.nl"))
        for i in range(50)
    ])
    assert all(r.status_code == 201 for r in responses)
    statuses = [r.json()["status"] for r in responses]
    assert statuses.count("registered") == 10
    assert statuses.count("waiting_list") == 40
    assert await count("registration") == 50  # nothing lost
    positions = sorted(r.json()["waiting_position"] for r in responses
                       if r.json()["status"] == "waiting_list")
    assert positions == list(range(1, 41))


async def test_same_email_concurrently_registers_once(client, festival):
    responses = await asyncio.gather(*[
        client.post("/api/v1/events/werkfestival/registrations", json=body()) for _ in range(8)
    ])
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == 7
    assert await count("visitor") == 1


async def test_health(client):
    r = await client.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


async def test_known_address_on_another_event_gets_no_badge_link(
    client, festival, small_event, settings, smtp_server
):
    """Issue 12 #1: typing someone else's address must not hand out their badge (which
    shows their stored name and skills, checks in at the door and opens their card at the
    stands). The answer has no badge link; the badge goes to that address only."""
    import msgspec

    from event_ops.mail.outbox import send_due

    vera = body(name="Vera Victimson", email="vera@example.nl", consent_share_profile=True,
                competencies=await some_codes(2))
    assert (await client.post("/api/v1/events/werkfestival/registrations",
                              json=vera)).status_code == 201
    await current_engine().fetch("UPDATE outbox_mail SET status = 'sent'")  # A's mail is out

    r = await client.post("/api/v1/events/zorg-matching/registrations", json={
        "name": "Attacker", "email": "Vera@example.nl", "consent_terms": True,
        "consent_share_profile": True, "competencies": [], "sectors": []})
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["status"] == "registered"
    assert data["badge_url"] is None
    assert "/badges/" not in r.text and "/me/" not in r.text and "Vera" not in r.text
    # Nothing of the attacker's went into the stored profile.
    row = (await current_engine().fetch(
        "SELECT name, share_profile FROM visitor WHERE email = 'vera@example.nl'"))[0]
    assert row["name"] == "Vera Victimson" and await count("profile_competency") == 2

    # The badge of the new sign-up goes by e-mail to Vera, and only to her.
    url, sink = smtp_server
    assert await send_due(msgspec.structs.replace(settings, smtp_url=url)) == (1, 0)
    [mail] = sink.messages
    assert mail["To"] == "vera@example.nl" and "Matchingsdag Zorg" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/badges/{data['id']}." in text
    assert [p.get_filename() for p in mail.iter_attachments()
            if p.get_content_type() == "application/pdf"] == ["badge.pdf"]
    link = next(w for w in text.split() if f"/badges/{data['id']}." in w)
    badge = await client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert badge.status_code == 200 and badge.headers["content-type"] == "image/png"

    # A fresh address still gets its badge link straight away.
    r = await client.post("/api/v1/events/zorg-matching/registrations",
                          json=body(email="new@example.nl"))
    assert r.status_code == 201 and r.json()["badge_url"].endswith(".png")
