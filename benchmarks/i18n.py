"""What a text lookup costs: ``t()`` per call, and rendering the sign-up page
(``register.html`` with ``_profile_fields.html``, the page with the most texts a visitor
sees) through the app's Jinja settings, without a database (no competencies listed: those
are data, not texts). Run it on two checkouts to compare (before/after a change of ``t()``):

    PYTHONPATH=. python -m benchmarks.i18n [--calls 200000] [--renders 2000]

Prints the median of 5 rounds per figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jinja2  # noqa: E402

import event_ops.i18n as i18n  # noqa: E402

ROOT = Path(i18n.__file__).resolve().parent.parent
LANGS = [lang for lang in ("nl", "en", "ar", "uk") if lang in i18n.LANGUAGES]


def legacy_t(key: str, lang: str = "nl", **values: object) -> str:
    """``t()`` before the catalogs (nl/en tuples only), for an A/B in one process."""
    pair = i18n.TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def per_call_ns(lang: str, calls: int, t=None) -> float:  # noqa: ANN001
    keys = list(i18n.TEXTS)[:500]
    t = t or i18n.t
    rounds = []
    for _ in range(5):
        n = 0
        start = time.perf_counter()
        while n < calls:
            for key in keys:
                t(key, lang)
            n += len(keys)
        rounds.append((time.perf_counter() - start) / n * 1e9)
    return statistics.median(rounds)


def environment() -> jinja2.Environment:
    from event_ops.texts.direction import text_direction

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "templates"),
                             autoescape=True)
    env.globals["t"] = i18n.t
    env.filters["text_dir"] = text_direction
    env.filters["local_time"] = lambda value, *a, **k: str(value)
    return env


def render_ms(lang: str, renders: int) -> float:
    from markupsafe import Markup

    from event_ops.people.registration import AVAILABILITY, EDUCATION_LEVELS
    from event_ops.taxonomy.service import SECTOR_NAMES, SECTORS

    template = environment().get_template("register.html")
    context = dict(
        lang=lang, other_lang="en" if lang == "nl" else "nl", path="/events/bench/register",
        languages=[], event=SimpleNamespace(name="Banenmarkt", slug="bench"),
        values={"language": lang}, errors={}, empty_fields=None, questions=[],
        question_labels={}, csrf_input=Markup(""),
        sectors=[(s, SECTOR_NAMES[s][0]) for s in SECTORS], competency_groups=[],
        education_levels=EDUCATION_LEVELS, availability_options=AVAILABILITY,
    )
    template.render(**context)
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(renders // 5):
            template.render(**context)
        rounds.append((time.perf_counter() - start) / (renders // 5) * 1e3)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--renders", type=int, default=2_000)
    args = parser.parse_args()
    print(f"texts: {len(i18n.TEXTS)}, languages: {', '.join(i18n.LANGUAGES)}")
    for lang in LANGS:
        i18n.t("site.title", lang)  # load the catalog first
        new, old = [], []
        for _ in range(3):  # alternating, as the machine's load changes
            new.append(per_call_ns(lang, args.calls))
            old.append(per_call_ns(lang, args.calls, legacy_t))
        print(f"t() {lang}: {min(new):.0f} ns/call (legacy nl/en-only t(): {min(old):.0f})")
        print(f"t(..., n=3) {lang}: "
              f"{per_call_ns_format(lang, args.calls // 4):.0f} ns/call with a placeholder")
    for lang in LANGS:
        print(f"sign-up page {lang}: {render_ms(lang, args.renders):.3f} ms/render")


def per_call_ns_format(lang: str, calls: int) -> float:
    t = i18n.t
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            t("event.places_left", lang, n=3)
        rounds.append((time.perf_counter() - start) / calls * 1e9)
    return statistics.median(rounds)


if __name__ == "__main__":
    main()
