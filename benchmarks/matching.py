"""Matching benchmark: festival recommendations and a matching-day schedule; time and memory.

Run from the repo root::

    python -m benchmarks.matching              # 10,000 visitors × 1,000 vacancies; 30 × 30 × 8
    python -m benchmarks.matching --runs 5 --visitors 20000
    python -m benchmarks.matching --e2e        # also: `eventops matching recommend` on SQLite

Every measurement runs in its own fresh process, because ``ru_maxrss`` is a process-lifetime
peak; the figure is that child's peak RSS (interpreter, numpy, scipy and the synthetic
input included). tracemalloc is not used: it slows numpy-heavy Python several-fold and
would distort the timing. Medians over ``--runs`` runs.

Data are synthetic but drawn from the real taxonomy (``event_ops/data/competencies.csv``)
the way the demo does: each visitor has one or two sectors, four competencies per sector and
two general ones at random levels, an education level, availability and a PC4 postcode from
``places.csv``; each vacancy has three or four required and one or two nice-to-have
competencies of its sector (at the taxonomy's level) plus a general one, 1-3 positions,
hours per week and a work postcode. 250 employers share the 1,000 vacancies, and sector
popularity is skewed so that some stands would be flooded without caps.

* ``recommend``: build the arrays, score every visitor × vacancy, take each employer's best
  vacancy, caps from positions, balanced assignment of 3 stands per visitor (caps verified).
* ``schedule``: 30 × 30 × 8, random must/happy/no marks and six pins, ``optimise`` plus the
  hard-rule check.
* ``--e2e``: a fresh SQLite database, migrated, the same data inserted, then the CLI
  ``eventops matching recommend`` (load from DB, compute, write 30,000 rows), timed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# ---- synthetic data ------------------------------------------------------------------------


def synthetic(visitors: int, vacancies: int, employers: int, seed: int = 2027):
    """(VisitorProfile list, VacancyProfile list) from the real taxonomy."""
    from event_ops.matching.engine import VacancyProfile, VisitorProfile, places
    from event_ops.people.registration import AVAILABILITY, EDUCATION_LEVELS
    from event_ops.taxonomy.service import DEFAULT_CSV, SECTORS, read_csv

    rng = random.Random(seed)
    items = read_csv(DEFAULT_CSV)
    by_sector: dict[str, list] = {}
    for item in items:
        by_sector.setdefault(item.sector, []).append(item)
    pc4 = [k for k in places() if len(k) == 4]
    # Skewed sectors: care and logistics draw more visitors and more vacancies.
    weights = [1.0, 2.5, 1.5, 1.0, 2.0, 0.8, 1.0]
    people = []
    for i in range(visitors):
        sectors = list(dict.fromkeys(rng.choices(SECTORS, weights, k=rng.choice([1, 1, 2]))))
        levels: dict[str, int] = {}
        for s in sectors:
            for item in rng.sample(by_sector[s], 4):
                levels[item.code] = rng.choice([1, 2, 2, 3, 3, 4])
        for item in rng.sample(by_sector["general"], 2):
            levels[item.code] = rng.choice([1, 2, 3])
        people.append(VisitorProfile(
            id=i + 1, competencies=levels, sectors=sectors,
            education_level=rng.choice(EDUCATION_LEVELS),
            availability=rng.sample(AVAILABILITY, rng.choice([0, 1, 2])),
            postcode=rng.choice(pc4 + [""]),
        ))
    employer_sector = {e: rng.choices(SECTORS, weights)[0] for e in range(1, employers + 1)}
    jobs = []
    for j in range(vacancies):
        employer = rng.randint(1, employers) if j >= employers else j + 1
        sector = employer_sector[employer]
        pool = by_sector[sector]
        wanted = [(it.code, it.level, True) for it in rng.sample(pool, rng.choice([3, 4]))]
        taken = {c for c, _, _ in wanted}
        wanted += [(it.code, it.level, False) for it in rng.sample(pool, 4)
                   if it.code not in taken][: rng.choice([1, 2])]
        wanted.append((rng.choice(by_sector["general"]).code, 1, rng.random() < 0.5))
        jobs.append(VacancyProfile(
            id=j + 1, employer_id=employer, title=f"Vacature {j + 1}", wanted=wanted,
            sector=sector, hours_per_week=rng.choice([None, 24, 32, 36, 40]),
            postcode=rng.choice(pc4), positions=rng.choice([1, 1, 2, 3]),
        ))
    return people, jobs


# ---- the measured steps (each runs in a child process) --------------------------------------


def _recommend(visitors: int, vacancies: int, employers: int) -> dict:
    import numpy as np

    from event_ops.matching.engine import (
        CodeIndex,
        build_vacancies,
        build_visitors,
        employer_scores,
    )
    from event_ops.matching.recommend import RECOMMENDED, assign, check_caps, stand_caps

    people, jobs = synthetic(visitors, vacancies, employers)
    started = time.perf_counter()
    index = CodeIndex()
    vis, vac = build_visitors(people, index), build_vacancies(jobs, index)
    built = time.perf_counter()
    ids, scores = employer_scores(vis, vac)
    scored = time.perf_counter()
    positions = np.zeros(len(ids), dtype=np.int64)
    np.add.at(positions, np.searchsorted(ids, vac.employer_ids), vac.positions)
    caps = stand_caps(positions, len(vis))
    picks = assign(scores, caps)
    done = time.perf_counter()
    check_caps(picks, caps)
    load = np.bincount(picks[picks >= 0], minlength=len(ids))
    top = np.argsort(-scores, axis=1)[:, :RECOMMENDED]
    flooded = np.bincount(top.ravel(), minlength=len(ids))
    chosen = np.take_along_axis(scores, np.maximum(picks, 0), axis=1)[picks >= 0]
    unconstrained = np.take_along_axis(scores, top, axis=1)
    return {
        "seconds": done - started, "build_s": built - started, "score_s": scored - built,
        "assign_s": done - scored,
        "with_three": float(((picks >= 0).sum(axis=1) == RECOMMENDED).mean()),
        "max_load_over_cap": float((load / np.maximum(caps, 1)).max()),
        "uncapped_max_load_over_cap": float((flooded / np.maximum(caps, 1)).max()),
        "mean_score": float(chosen.mean()), "uncapped_mean_score": float(unconstrained.mean()),
    }


def _schedule(n: int, rounds: int) -> dict:
    import numpy as np

    from event_ops.matching.schedule import objective, optimise, utility_matrix, violations

    rng = np.random.default_rng(30)
    scores = rng.random((n, n)).astype(np.float32) ** 2
    visitor_side = rng.choice([0, 1, 2, -1], (n, n), p=[.6, .2, .1, .1])
    employer_side = rng.choice([0, 1, 2, -1], (n, n), p=[.6, .2, .1, .1])
    utility = utility_matrix(scores, visitor_side, employer_side)
    allowed = (visitor_side != -1) & (employer_side != -1)
    pins, taken = [], set()
    for v, e in zip(*np.nonzero(allowed), strict=True):
        r = int(rng.integers(rounds))
        if len(pins) < 6 and (0, v, r) not in taken and (1, e, r) not in taken:
            pins.append((r, int(v), int(e)))
            taken |= {(0, v, r), (1, e, r)}
    started = time.perf_counter()
    meetings = optimise(utility, allowed, rounds, pins)
    problems = violations(meetings, allowed, rounds, pins)
    seconds = time.perf_counter() - started
    assert not problems, problems
    return {"seconds": seconds, "meetings": len(meetings),
            "objective": objective(meetings, utility)}


def _child(args: argparse.Namespace) -> None:
    if args.child == "recommend":
        out = _recommend(args.visitors, args.vacancies, args.employers)
    else:
        out = _schedule(args.people, args.rounds)
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def _run_child(kind: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.matching", "--child", kind,
           "--visitors", str(args.visitors), "--vacancies", str(args.vacancies),
           "--employers", str(args.employers), "--people", str(args.people),
           "--rounds", str(args.rounds)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- end to end through the CLI on SQLite ------------------------------------------------------


def _e2e(args: argparse.Namespace) -> list[dict]:
    import sqlite3

    tmp = Path(tempfile.mkdtemp(prefix="eventops-matching-bench-"))
    env = {**os.environ, "EVENTOPS_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
           "EVENTOPS_SECRET_KEY": "benchmark-secret-key-0123456789"}
    eventops = [sys.executable, "-m", "app.cli"]
    subprocess.run([*eventops, "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*eventops, "event", "create", "--slug", "bench", "--name", "Bench",
                    "--kind", "festival", "--starts", "2027-04-15T10:00+02:00",
                    "--ends", "2027-04-15T17:00+02:00"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    people, jobs = synthetic(args.visitors, args.vacancies, args.employers)
    con = sqlite3.connect(tmp / "bench.sqlite3")
    event_id = con.execute("SELECT id FROM event WHERE slug = 'bench'").fetchone()[0]
    now = "2027-01-01T00:00:00+00:00"
    with con:
        for e in range(1, args.employers + 1):
            con.execute("INSERT INTO stand (id, event, label, hall) VALUES (?, ?, ?, '')",
                        [e, event_id, f"S{e:03d}"])
            con.execute("INSERT INTO employer (id, event, name, sector, is_training_provider,"
                        " stand, created_at) VALUES (?, ?, ?, '', 0, ?, ?)",
                        [e, event_id, f"Werkgever {e}", e, now])
        for j in jobs:
            con.execute("INSERT INTO vacancy (id, employer, title, description, sector,"
                        " positions, hours_per_week) VALUES (?, ?, ?, '', ?, ?, ?)",
                        [j.id, j.employer_id, j.title, j.sector, j.positions, j.hours_per_week])
            con.executemany("INSERT INTO vacancy_competency (vacancy, code, level, required)"
                            " VALUES (?, ?, ?, ?)", [(j.id, c, lv, rq) for c, lv, rq in j.wanted])
        for p in people:
            con.execute(
                "INSERT INTO visitor (id, email, name, phone, postcode, education_level,"
                " availability, sectors, language, share_profile, link_version, created_at,"
                " updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?, 'nl', 1, 1, ?, ?)",
                [p.id, f"v{p.id}@example.nl", f"Bezoeker {p.id}", p.postcode, p.education_level,
                 json.dumps(list(p.availability)), json.dumps(list(p.sectors)), now, now])
            con.executemany("INSERT INTO profile_competency (visitor, code, level)"
                            " VALUES (?, ?, ?)",
                            [(p.id, c, lv) for c, lv in p.competencies.items()])
            con.execute("INSERT INTO registration (id, event, visitor, status, badge_serial,"
                        " created_at, note) VALUES (?, ?, ?, 'registered', 1, ?, '')",
                        [p.id, event_id, p.id, now])
    con.close()
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        child = subprocess.Popen([*eventops, "matching", "recommend", "--event", "bench"],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        output = child.stdout.read() if child.stdout else ""
        if status != 0:
            raise SystemExit(f"eventops matching recommend failed: {output}")
        summary = dict(line.split(": ", 1) for line in output.strip().splitlines())
        runs.append({"seconds": seconds, "max_rss_mb": usage.ru_maxrss / 1024,
                     "stored": int(summary["stored"]), "inside_s": float(summary["seconds"])})
    return runs


# ---- main --------------------------------------------------------------------------------------


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--employers", type=int, default=250)
    parser.add_argument("--people", type=int, default=30, help="per side on the matching day")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--e2e", action="store_true", help="also run the CLI on SQLite")
    parser.add_argument("--child", choices=["recommend", "schedule"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return

    rec = [_run_child("recommend", args) for _ in range(args.runs)]
    print(f"recommend: {args.visitors:,} visitors × {args.vacancies:,} vacancies"
          f" ({args.employers} employers), medians of {args.runs} runs")
    print(f"  seconds      {_median(rec, 'seconds'):.2f}  (build {_median(rec, 'build_s'):.2f},"
          f" score {_median(rec, 'score_s'):.2f}, assign {_median(rec, 'assign_s'):.2f})"
          f"   target < 10 s")
    print(f"  peak memory  {_median(rec, 'max_rss_mb'):.0f} MiB RSS (whole process)"
          f"   target < 1 GiB")
    r0 = rec[0]
    print(f"  quality      {r0['with_three']:.1%} got 3 stands; max load/cap"
          f" {r0['max_load_over_cap']:.2f} (uncapped top-3 would be"
          f" {r0['uncapped_max_load_over_cap']:.1f}); mean score {r0['mean_score']:.3f}"
          f" (uncapped {r0['uncapped_mean_score']:.3f})")

    sched = [_run_child("schedule", args) for _ in range(args.runs)]
    print(f"schedule: {args.people} × {args.people} × {args.rounds} rounds,"
          f" medians of {args.runs} runs")
    print(f"  seconds      {_median(sched, 'seconds'):.3f}   target < 10 s")
    print(f"  peak memory  {_median(sched, 'max_rss_mb'):.0f} MiB RSS (whole process)")
    print(f"  meetings     {sched[0]['meetings']}  objective {sched[0]['objective']:.1f}")

    if args.e2e:
        e2e = _e2e(args)
        print(f"e2e `eventops matching recommend` on SQLite, medians of {args.runs} runs")
        print(f"  seconds      {_median(e2e, 'seconds'):.2f} wall (process start to exit;"
              f" {_median(e2e, 'inside_s'):.2f} load + compute + write)")
        print(f"  peak memory  {_median(e2e, 'max_rss_mb'):.0f} MiB RSS;"
              f" rows stored {e2e[0]['stored']:,}")


if __name__ == "__main__":
    main()
