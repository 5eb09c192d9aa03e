"""Employers and vacancies from the command line: contact e-mail and workplace postcode,
checked before anything is stored; and the demo data has both."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from event_ops.core.db import current_engine
from tests.conftest import ROOT
from tests.helpers import open_event


async def eventops(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", *args, cwd=ROOT, env={**os.environ},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, stdout.decode(), stderr.decode()


async def test_cli_adds_employer_with_email_and_vacancy_with_postcode(db):
    event = await open_event("banendag")
    code, out, err = await eventops("employer", "add", "--event", "banendag", "--name",
                                    "Zorggroep Noord", "--sector", "care", "--email",
                                    "Vacatures@Zorggroep-Noord.example.nl")
    assert code == 0, err
    employer_id = int(out.strip().splitlines()[-1])
    [employer] = await current_engine().fetch(
        "SELECT event, name, contact_email FROM employer WHERE id = ?", [employer_id])
    assert employer == {"event": event.id, "name": "Zorggroep Noord",
                        "contact_email": "vacatures@zorggroep-noord.example.nl"}

    code, out, err = await eventops("employer", "vacancy", "--employer", str(employer_id),
                                    "--title", "Verzorgende IG", "--postcode", "9401 AB",
                                    "--hours", "32", "--skill", "car-medication:3",
                                    "--nice", "gen-dutch-b1")
    assert code == 0, err
    vacancy_id = int(out.strip().splitlines()[-1])
    [vacancy] = await current_engine().fetch(
        "SELECT employer, sector, postcode, hours_per_week FROM vacancy WHERE id = ?",
        [vacancy_id])
    assert vacancy == {"employer": employer_id, "sector": "care", "postcode": "9401",
                       "hours_per_week": 32}
    wanted = await current_engine().fetch(
        "SELECT code, level, required FROM vacancy_competency WHERE vacancy = ? ORDER BY code",
        [vacancy_id])
    assert [(w["code"], bool(w["required"])) for w in wanted] == [
        ("car-medication", True), ("gen-dutch-b1", False)]
    assert wanted[0]["level"] == 3


async def test_cli_refuses_bad_email_and_postcode_and_stores_nothing(db):
    await open_event("banendag")
    code, _, err = await eventops("employer", "add", "--event", "banendag", "--name", "X BV",
                                  "--email", "x-at-example.nl")
    assert code == 2 and "not a valid e-mail address" in err
    assert await current_engine().fetch("SELECT id FROM employer") == []
    code, out, _ = await eventops("employer", "add", "--event", "banendag", "--name", "Y BV")
    employer_id = out.strip().splitlines()[-1]
    code, _, err = await eventops("employer", "vacancy", "--employer", employer_id,
                                  "--title", "Monteur", "--postcode", "Groningen")
    assert code == 2 and "not a Dutch postcode" in err
    assert await current_engine().fetch("SELECT id FROM vacancy") == []


async def test_demo_employers_have_an_address_and_vacancies_a_workplace(db):
    from event_ops.demo import MATCHING_SLUG, load_demo
    from event_ops.matching.engine import places

    await load_demo()
    db = current_engine()
    employers = await db.fetch("SELECT event, contact_email FROM employer")
    assert len(employers) == 300  # 250 festival, 30 matching day, 20 at the event of today
    assert all(e["contact_email"].endswith(".example.nl") for e in employers)
    # One address per employer within an event (the same firm at two events keeps its own).
    assert len({(e["event"], e["contact_email"]) for e in employers}) == len(employers)
    vacancies = await db.fetch("SELECT DISTINCT postcode FROM vacancy")
    known = places()
    assert len(vacancies) > 20 and all(v["postcode"] in known for v in vacancies)
    assert all(v["postcode"][0] == "9" for v in vacancies)  # Groningen and Drenthe
    assert await db.fetch("SELECT slug FROM event WHERE slug = ?", [MATCHING_SLUG])
