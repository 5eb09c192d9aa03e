"""Badge print-sheet benchmark: 10,000 real signed badges into one PDF, time and memory.

Run from the repo root::

    python -m benchmarks.badges                 # A6: 1k once, 10k x 3 (median), bare QR x 1
    python -m benchmarks.badges --size card
    python -m benchmarks.badges --quick         # 10k x 1 and 2k x 3 instead
    python -m benchmarks.badges --langs all     # badges in all six visitor languages

Two name sets, each measured in the same run: ``mixed`` (the main figure: Latin with
diacritics, Arabic and Persian, Cyrillic, Ethiopic, Hebrew and Arabic + Latin names, all
shaped with HarfBuzz) and ``latin`` (Dutch and Turkish names only, the baseline the mixed
run is compared with: 1k once and 10k once). ``--scripts latin`` runs only the baseline.

Every measurement runs in its own fresh process, because ``ru_maxrss`` is a process-lifetime
peak: that is how "1k vs 10k" memory is comparable. Each process gets the same encrypted
signing key (made here with ``generate_keypair``), so all of them sign the same tokens
(Ed25519 is deterministic) and the bare-QR baseline encodes exactly the tokens that were
rendered.

* render: a generator signs each token and builds its ``BadgeData`` on demand (as a database
  cursor would feed it) and ``render_sheets`` writes one PDF to a temp file. Signing is inside
  the timing (it is part of the job; it costs ~0.05 ms of ~2 ms per badge).
* bare QR: the same tokens signed up front, then only ``qrcode.QRCode(error_correction=M)``
  ``.make()`` per token, which is what any badge renderer built on qrcode has to do at least.
  Also timed: ``badges.render.qr_matrix`` (same symbols, faster mask selection).
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
from collections.abc import Iterator

_SECRET = "benchmark-secret-key-" + "x" * 24
EVENT_ID = 12

_FIRST = (
    "Daan", "Sem", "Lucas", "Levi", "Finn", "Noah", "Milan", "Bram", "Luuk", "Thijs", "Jesse",
    "Ruben", "Sven", "Lars", "Mohamed", "Emre", "Yusuf", "Anne-Marie", "Emma", "Julia", "Mila",
    "Tess", "Sophie", "Zoë", "Sara", "Fleur", "Noor", "Lotte", "Fenna", "Eva", "Saar", "Evi",
    "Ayşe", "Fatma", "Elif", "Zeynep", "Nour", "Imane", "Anouk", "Ilse", "Marloes", "Joëlle",
    "Renée", "Gülşen", "Ömer", "Çağlar", "Bünyamin",
)
_PREFIX = ("", "", "", "de ", "van ", "van der ", "van den ", "de la ", "ter ", "in 't ")
_LAST = (
    "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters",
    "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kramer", "Vermeulen", "Heuvel", "Veen",
    "Berg", "Wijnberg", "Yılmaz", "Öztürk", "Kaya", "Demir", "El", "Amrani", "Bouzid", "Çelik",
    "Şahin", "Noorderlicht", "IJzerman", "Kooistra", "Hoekstra", "Postma",
)
# Names as visitors type them, in the scripts the badge fonts cover.
_MIXED_FIRST = (
    "محمد", "فاطمة", "أحمد", "مُحَمَّد", "عبد الله", "زینب", "فاطمه", "مریم", "Олена",
    "Андрій", "Наталія", "Юрій", "Ольга", "አበበ", "ሰላም", "ብርሃን", "ተስፋዬ", "ሄለን", "שרה",
    "Łucja", "Żaneta", "Nguyễn", "Đức", "Şükrü", "Ömer", "Zoë", "Ayşe",
)
_MIXED_LAST = (
    "العلي", "الحسن", "رضایی", "حسینی", "لاله", "Шевченко", "Коваленко", "Їжакевич",
    "ቢቂላ", "ገብረመድህን", "ተክሌ", "כהן", "Żółć", "Wiśniewska", "Trần", "Yılmaz", "Öztürk",
    "Mohammed", "de Vries",
)
_EMPLOYERS = (
    "Zorggroep Noorderlicht", "Gemeente Groningen", "Bouwbedrijf Van der Veen & Zonen B.V.",
    "Albert Heijn Distributiecentrum", "UMCG", "Hotel De Ville", "Gasunie", "Bol.com",
)
_SECTORS = ("construction", "care", "technology", "hospitality", "logistics", "ict", "business")
_SKILLS = ("Klantgericht", "Plannen", "Excel", "Rijbewijs B", "Nederlands B2", "Lassen",
           "Heftruck", "Python", "Teamwerk", "BHV")


def _private_key(blob_hex: str):  # noqa: ANN202 - cryptography type, imported lazily
    from badges.keys import decrypt_private_key

    return decrypt_private_key(bytes.fromhex(blob_hex), _SECRET)


def _tokens(blob_hex: str, n: int) -> Iterator[str]:
    from badges.token import BadgeClaim, sign_token

    key = _private_key(blob_hex)
    for i in range(n):
        yield sign_token(BadgeClaim(EVENT_ID, 100_000 + i, i % 3, 0), key)


def _badges(blob_hex: str, n: int, size: str, scripts: str = "latin",
            langs: str = "nlen") -> Iterator:
    """Realistic, varied badges, made one at a time (nothing is held for the whole run).

    ``scripts="mixed"``: every other badge has a name from the mixed-script lists.
    ``langs="all"``: the badges' languages cycle through every visitor language (nl en ar uk
    tr pl: words, sector names and date line from the catalogs); ``"nlen"``: Dutch and
    English only (3:1), as before issue #19."""
    import datetime as dt

    from badges.render import BadgeData
    from badges.when import badge_when
    from event_ops.texts.audience import VISITOR_LANGUAGES

    starts = dt.datetime(2027, 3, 13, 9, 0, tzinfo=dt.UTC)
    ends = dt.datetime(2027, 3, 13, 15, 0, tzinfo=dt.UTC)
    whens: dict[str, str] = {}  # made on first use: a language's CLDR data costs memory

    rng = random.Random(7)
    for i, token in enumerate(_tokens(blob_hex, n)):
        first = rng.choice(_FIRST)
        if i % 50 == 0:  # now and then a long double name, to exercise shrinking/wrapping
            first = "Anne-Marie van den Heuvel-Wijnberg"
        last = rng.choice(_PREFIX) + rng.choice(_LAST)
        if scripts == "mixed" and i % 2:
            first, last = rng.choice(_MIXED_FIRST), rng.choice(_MIXED_LAST)
            if i % 50 == 1:  # a long Arabic name: shrinking, wrapping, ellipsis
                first = "عبد الرحمن بن محمد آل الهاشمي"
        consent = rng.random() < 0.8
        festival = i % 2 == 0
        # i % 7: not in step with the name scripts (i % 2) or the kind of day.
        lang = VISITOR_LANGUAGES[i % 7 % 6] if langs == "all" else ("nl" if i % 4 else "en")
        yield BadgeData(
            token=token,
            first_name=first,
            full_name=f"{first} {last}" if consent else None,
            event_name="Banenmarkt Groningen 2027",
            event_when=whens.get(lang) or whens.setdefault(
                lang, badge_when(starts, ends, lang)),
            sectors=tuple(rng.sample(_SECTORS, rng.randint(1, 3))),
            competencies=tuple(rng.sample(_SKILLS, 4)) if consent else (),
            recommendations=tuple(f"{chr(65 + j)}{rng.randint(1, 40)} {e}" for j, e in
                                  enumerate(rng.sample(_EMPLOYERS, 3))) if festival else (),
            schedule=() if festival else tuple(
                (f"13:{10 + 20 * j:02d}", f"Tafel {rng.randint(1, 30)} · {e}")
                for j, e in enumerate(rng.sample(_EMPLOYERS, 3))),
            size=size,
            language=lang,
        )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _child_render(blob_hex: str, n: int, size: str, scripts: str, langs: str = "nlen") -> dict:
    from badges.sheets import render_sheets

    rss_at: dict[int, float] = {}
    done = 0

    def progress(step: int) -> None:
        nonlocal done
        done += step
        mark = done // 1000 * 1000
        if mark and mark not in rss_at:
            rss_at[mark] = round(_rss_mb(), 1)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sheets.pdf")
        start, cpu_start = time.perf_counter(), time.process_time()
        count = render_sheets(_badges(blob_hex, n, size, scripts, langs), path, size=size,
                              progress=progress)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        pdf_bytes = os.path.getsize(path)
    assert count == n
    return {"seconds": seconds, "cpu": cpu, "rss_mb": _rss_mb(), "rss_at": rss_at,
            "pdf_bytes": pdf_bytes}


def _child_bare(blob_hex: str, n: int) -> dict:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    from badges.render import qr_matrix

    tokens = list(_tokens(blob_hex, n))
    start = time.perf_counter()
    for token in tokens:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(token)
        qr.make()
    bare = time.perf_counter() - start
    start = time.perf_counter()
    for token in tokens:
        qr_matrix(token)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    for _ in _tokens(blob_hex, n):
        pass
    sign = time.perf_counter() - start
    return {"seconds": bare, "fast_seconds": fast, "sign_seconds": sign}


def _run_child(kind: str, blob_hex: str, n: int, size: str, scripts: str = "mixed",
               langs: str = "nlen") -> dict:
    cmd = [sys.executable, "-m", "benchmarks.badges", "--child", kind, "--n", str(n),
           "--size", size, "--scripts", scripts, "--langs", langs]
    env = dict(os.environ, BENCH_BADGE_KEY=blob_hex)  # not on the command line
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=("a6", "card"), default="a6")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1 run of n plus 3 runs of 2k")
    parser.add_argument("--scripts", choices=("mixed", "latin"), default="mixed",
                        help="names: mixed scripts (plus a Latin baseline), or Latin only")
    parser.add_argument("--langs", choices=("nlen", "all"), default="nlen",
                        help="badge languages of the measured runs: Dutch/English (3:1), or "
                        "all six visitor languages in turn (the Latin baseline stays nlen)")
    parser.add_argument("--no-bare", action="store_true",
                        help="skip the bare-qrcode reference (its 10k run takes ~80 s)")
    parser.add_argument("--child", choices=("render", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        blob_hex = os.environ["BENCH_BADGE_KEY"]
        if args.child == "render":
            result = _child_render(blob_hex, args.n, args.size, args.scripts, args.langs)
        else:
            result = _child_bare(blob_hex, args.n)
        print(json.dumps(result))
        return

    from badges.keys import encrypt_private_key, generate_keypair

    private_raw, _public = generate_keypair()
    blob_hex = encrypt_private_key(private_raw, _SECRET).hex()
    n, size, scripts, langs = args.n, args.size, args.scripts, args.langs
    # This machine is shared: the load average says how much to trust the seconds.
    print(f"badge sheets: size {size}, {n:,} badges, names {scripts}, {os.cpu_count()} CPUs, "
          f"languages {langs}, python {sys.version.split()[0]}, "
          f"load avg {os.getloadavg()[0]:.1f}", flush=True)

    baseline: dict | None = None
    baseline_small: dict | None = None
    if scripts == "mixed":  # the Latin-only baseline, in this same run
        baseline_small = _run_child("render", blob_hex, 1000, size, "latin")
        print(f"  latin 1k run: {baseline_small['seconds']:.1f} s", flush=True)
        baseline = _run_child("render", blob_hex, n, size, "latin")
        print(f"  latin {n // 1000}k run: {baseline['seconds']:.1f} s", flush=True)
    small = _run_child("render", blob_hex, 1000, size, scripts, langs)
    print(f"  {scripts} 1k run: {small['seconds']:.1f} s", flush=True)
    runs = [_run_child("render", blob_hex, n, size, scripts, langs)]
    print(f"  {scripts} {n // 1000}k run 1: {runs[0]['seconds']:.1f} s", flush=True)
    # Three full runs only while the whole benchmark stays around three minutes; otherwise one
    # full run plus three runs of 2k for the spread.
    small_runs: list[dict] = []
    if not args.quick and runs[0]["seconds"] < 40:
        for i in (2, 3):
            runs.append(_run_child("render", blob_hex, n, size, scripts, langs))
            print(f"  {n // 1000}k run {i}: {runs[-1]['seconds']:.1f} s", flush=True)
    else:
        for _ in range(3):
            small_runs.append(_run_child("render", blob_hex, 2000, size, scripts, langs))
            print(f"  2k run: {small_runs[-1]['seconds']:.1f} s", flush=True)
    bare = None if args.no_bare else _run_child("bare", blob_hex, n, size)

    def row(label: str, count: int, seconds: float, rss: float | None,
            cpu: float | None = None) -> str:
        rss_text = f"{rss:,.0f}" if rss is not None else "-"
        cpu_text = f"{cpu:.2f}" if cpu is not None else "-"
        return f"| {label:<34} | {count:>7,} | {seconds:>8.2f} | {cpu_text:>8} | " \
               f"{count / seconds:>9,.0f} | {rss_text:>11} |"

    med = statistics.median(r["seconds"] for r in runs)
    print()
    # CPU seconds (the process's own) next to wall seconds: on a shared machine the wall
    # time grows with everyone else's load, the CPU time much less.
    print(f"| {'what':<34} | {'badges':>7} | {'seconds':>8} | {'CPU s':>8} | {'badges/s':>9} | "
          f"{'peak RSS MB':>11} |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 10}|{'-' * 10}|{'-' * 11}|{'-' * 13}|")
    label = f"{scripts}: sheets, median of {len(runs)}" if len(runs) > 1 else \
        f"{scripts}: sheets"
    print(row(label, n, med, max(r["rss_mb"] for r in runs),
              statistics.median(r["cpu"] for r in runs)))
    if small_runs:
        med2 = statistics.median(r["seconds"] for r in small_runs)
        print(row(f"{scripts}: sheets 2k, median of 3", 2000, med2,
                  max(r["rss_mb"] for r in small_runs),
                  statistics.median(r["cpu"] for r in small_runs)))
    print(row(f"{scripts}: sheets 1k (own process)", 1000, small["seconds"], small["rss_mb"],
              small["cpu"]))
    if baseline is not None and baseline_small is not None:
        print(row("latin: sheets (baseline)", n, baseline["seconds"], baseline["rss_mb"],
                  baseline["cpu"]))
        print(row("latin: sheets 1k (baseline)", 1000, baseline_small["seconds"],
                  baseline_small["rss_mb"], baseline_small["cpu"]))
    if bare is not None:
        print(row("bare qrcode .make() only", n, bare["seconds"], None))
        print(row("qr_matrix() only (same symbols)", n, bare["fast_seconds"], None))
        print(row("sign tokens only", n, bare["sign_seconds"], None))
    print()
    if bare is not None:
        print(f"ratio render / bare qrcode: {med / bare['seconds']:.2f}x "
              f"(the whole badge pipeline vs. only building the QR symbols with qrcode)")
    print(f"peak RSS 1k vs {n // 1000}k: {small['rss_mb']:.0f} MB vs "
          f"{runs[0]['rss_mb']:.0f} MB")
    if baseline is not None:
        cpu_med = statistics.median(r["cpu"] for r in runs)
        print(f"{scripts} vs latin, {n // 1000}k: {med / baseline['seconds']:.2f}x the time "
              f"({cpu_med / baseline['cpu']:.2f}x the CPU), "
              f"peak RSS {runs[0]['rss_mb']:.0f} MB vs {baseline['rss_mb']:.0f} MB; "
              f"under 60 s: {'yes' if med < 60 else 'NO'} (CPU {cpu_med:.1f} s)")
    marks = sorted((int(k), v) for k, v in runs[0]["rss_at"].items())  # JSON keys are str
    curve = ", ".join(f"{k // 1000}k {v:.0f}" for k, v in marks)
    print(f"RSS (MB) during the first {n // 1000}k run: {curve}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"PDF: {runs[0]['pdf_bytes'] / 1e6:.1f} MB ({runs[0]['pdf_bytes'] / n / 1000:.1f} KB "
          "per badge)")
    if baseline is not None:
        marks = sorted((int(k), v) for k, v in baseline["rss_at"].items())
        curve = ", ".join(f"{k // 1000}k {v:.0f}" for k, v in marks)
        print(f"RSS (MB) during the latin {n // 1000}k run: {curve}")


if __name__ == "__main__":
    main()
