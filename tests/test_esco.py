"""ESCO links (issue 18): the vendored file is well-formed and only names our codes; the
check against an ESCO skills list catches an invented URI or a wrong label; vacancies in the
API and the visitor's data export carry ``esco_uri``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from event_ops.core.errors import DomainError
from event_ops.mail.render import visitor_page_url
from event_ops.taxonomy import esco
from event_ops.taxonomy.service import DEFAULT_CSV, competencies_by_code, read_csv

LINKED = "con-bricklaying"
BRICKS = "http://data.europa.eu/esco/skill/13e1c0a2-b90d-46f4-be51-11730360b38d"


def test_the_vendored_links_are_well_formed_and_name_our_codes():
    links = esco.read_links()
    ours = {item.code for item in read_csv(DEFAULT_CSV)}
    assert len(links) >= 40 and set(links) <= ours
    assert links[LINKED].uri == BRICKS and links[LINKED].label == "lay bricks"
    assert {link.match for link in links.values()} == {"exact", "broad"}
    # Not linked stays empty, never a guess.
    assert esco.esco_uri("car-companionship") == ""
    assert esco.esco_uri(LINKED) == BRICKS
    assert esco.esco_uri(LINKED, "http://example.org/own") == "http://example.org/own"


@pytest.mark.parametrize("row, problem", [
    ("x,http://data.europa.eu/esco/skill/not-a-uuid,lay bricks,exact", "not an ESCO skill URI"),
    ("x,http://data.europa.eu/esco/skill/13e1c0a2-b90d-46f4-be51-11730360b38d,,exact",
     "a label and a match"),
    ("x,http://data.europa.eu/esco/skill/13e1c0a2-b90d-46f4-be51-11730360b38d,a,maybe",
     "a label and a match"),
])
def test_bad_link_files_are_refused(tmp_path: Path, row: str, problem: str):
    path = tmp_path / "links.csv"
    path.write_text("code,esco_uri,esco_label,match\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        esco.read_links(path)
    assert problem in exc.value.message and "Line 2" in exc.value.message


@pytest.mark.parametrize("columns", [("conceptUri", "preferredLabel"), ("id", "description")])
def test_verify_catches_an_invented_uri_and_a_wrong_label(tmp_path: Path, columns):
    invented = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000000"
    links = tmp_path / "links.csv"
    links.write_text("code,esco_uri,esco_label,match\n"
                     f"con-bricklaying,{BRICKS},lay bricks,exact\n"
                     f"con-carpentry,{invented},carpentry,exact\n"
                     f"con-tiling,{BRICKS},lay tiles,exact\n", encoding="utf-8")
    skills = tmp_path / "skills.csv"
    with skills.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        label = "lay bricks" if columns[0] == "conceptUri" else "lay bricks brickworking ..."
        writer.writerow([BRICKS, label])
    problems = esco.verify_links(skills, links)
    assert problems == [f"con-carpentry: {invented} is not in the ESCO list",
                        f"con-tiling: {BRICKS} is not 'lay tiles'"]


def test_the_attribution_names_the_source_and_the_licence():
    assert "© European Union" in esco.ATTRIBUTION and "2011/833/EU" in esco.ATTRIBUTION


async def test_vacancy_api_and_visitor_export_carry_esco_uri(client, db, settings):
    from event_ops.core.db import current_engine
    from event_ops.employers.service import add_employer, add_vacancy
    from tests.helpers import open_event, signed_in, visitor

    event = await open_event()
    assert (await competencies_by_code())[LINKED].esco_uri == BRICKS
    employer = await add_employer(event, name="Bouw BV", sector="construction")
    await add_vacancy(employer.id, title="Metselaar",
                      competencies=[(LINKED, 2, True), ("con-demolition", 1, False)])
    organiser = await signed_in("organiser_admin")
    r = await client.get(f"/api/v1/events/{event.slug}/employers/{employer.id}/vacancies",
                         headers=organiser)
    assert r.status_code == 200, r.text
    skills = {s["code"]: s["esco_uri"] for s in r.json()[0]["competencies"]}
    assert skills[LINKED] == BRICKS and skills["con-demolition"].startswith(
        "http://data.europa.eu/esco/skill/")

    person = await visitor(event, 1)
    vid = person.visitor_id
    await current_engine().fetch(
        "INSERT INTO profile_competency (visitor, code, level) VALUES (?, ?, ?), (?, ?, ?)",
        [vid, LINKED, 2, vid, "car-companionship", 1])
    page = visitor_page_url(settings, vid, 1).removeprefix("http://127.0.0.1:8000")
    r = await client.get(page + "/export.json")
    assert r.status_code == 200, r.text
    got = {c["code"]: c["esco_uri"] for c in r.json()["competencies"]}
    assert got == {LINKED: BRICKS, "car-companionship": ""}
