"""What the event's questions cost a sign-up: ``register()`` for an event without questions
(the baseline) against one with four questions (one of each kind, all answered), in the
same process and database, rounds alternating. Prints the median time per sign-up of each
round and the ratio to the baseline; and ``answers_for`` over 10,000 registrations (what
the registration list calls).

    python -m benchmarks.questions [--signups 1000] [--rounds 3]

Fresh temporary SQLite database; nothing else is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_TMP = Path(tempfile.mkdtemp(prefix="eventops-bench-questions-"))
os.environ["EVENTOPS_DATABASE_URL"] = f"sqlite:///{_TMP / 'bench.sqlite3'}"
os.environ.setdefault("EVENTOPS_SECRET_KEY", "bench-secret-key-0123456789")
os.environ.setdefault("PICCOLO_CONF", "event_ops.core.piccolo_conf")


async def main(signups: int, rounds: int) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from event_ops.core import db as database
    from event_ops.core.settings import get_settings
    from event_ops.events.service import create_event
    from event_ops.people.registration import RegistrationInput, register
    from event_ops.questions import service
    from event_ops.questions.service import QuestionInput, answers_for
    from event_ops.taxonomy.service import load_taxonomy

    engine = database.current_engine()
    await database.start_engine(engine, get_settings())
    assert (await run_forwards(app_name="event_ops", migration_id="all")).success
    await load_taxonomy()
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    plain = await create_event(slug="plain", name="Plain", kind="festival", starts_at=starts,
                               ends_at=starts + dt.timedelta(hours=6), location="Assen")
    asked = await create_event(slug="asked", name="Asked", kind="festival", starts_at=starts,
                               ends_at=starts + dt.timedelta(hours=6), location="Assen")
    ids = [await service.create_question(asked.id, q, actor="bench") for q in (
        QuestionInput(kind="short_text", label_nl="Hulp?", share="never"),
        QuestionInput(kind="one_choice", label_nl="Tolk?", options="A\nB\nC", required=True),
        QuestionInput(kind="several_choices", label_nl="Rijbewijs?", options="B\nC\nD"),
        QuestionInput(kind="yes_no", label_nl="Mag werken?", required=True))]
    answers = {str(ids[0]): "Een rustige plek", str(ids[1]): "o2",
               str(ids[2]): ["o1", "o3"], str(ids[3]): True}

    counter = 0

    async def batch(event, with_answers: bool) -> float:
        nonlocal counter
        times = []
        for _ in range(signups):
            counter += 1
            data = RegistrationInput(name="Sara Bakker", email=f"v{counter}@example.nl",
                                     consent_terms=True, sectors=["care"],
                                     answers=answers if with_answers else {})
            started = time.perf_counter()
            await register(event, data)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    print(f"register(): {signups} sign-ups per round, {rounds} rounds (SQLite)")
    ratios = []
    for n in range(rounds):
        base = await batch(plain, False)
        with_q = await batch(asked, True)
        ratios.append(with_q / base)
        print(f"round {n + 1}: no questions {base * 1e3:.2f} ms, 4 answered questions "
              f"{with_q * 1e3:.2f} ms → {with_q / base:.2f}×")
    print(f"median ratio {statistics.median(ratios):.2f}×")

    regs = [r["id"] for r in await engine.fetch(
        "SELECT id FROM registration WHERE event = ?", [asked.id])]
    while len(regs) < 10_000:  # top up to 10,000 answered registrations
        await batch(asked, True)
        regs = [r["id"] for r in await engine.fetch(
            "SELECT id FROM registration WHERE event = ?", [asked.id])]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        shown = await answers_for(asked.id, regs)
        times.append(time.perf_counter() - started)
    assert len(shown) == len(regs)
    print(f"answers_for: {len(regs)} registrations × 4 answers: median "
          f"{statistics.median(times) * 1e3:.0f} ms (5 runs; an export of the whole list)")
    page = regs[5000:5050]
    times = []
    for _ in range(50):
        started = time.perf_counter()
        await answers_for(asked.id, page)
        times.append(time.perf_counter() - started)
    print(f"answers_for: one list page of 50 registrations: median "
          f"{statistics.median(times) * 1e3:.2f} ms (50 runs)")
    await database.stop_engine(engine)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.signups, args.rounds))
