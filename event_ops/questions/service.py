"""Questions per event on the sign-up form, and the visitors' answers.

An organiser adds questions to an event (short text, one choice, several choices, yes/no;
required or not; shown to employers only with the visitor's consent, or never). The sign-up
form and the JSON API validate the answers with the same rules (``validate_answers``) and
the registration stores them in its own transaction (``store_answers``).

For other contexts (the registration list, its exports):

* ``await questions_for(event_id)`` → the event's questions in form order
  (``QuestionView``; ``include_archived=True`` adds the archived ones, whose answers stay).
* ``await answers_for(event_id, registration_ids, lang="nl")`` → ``{registration id:
  {question id: display text}}``: the answers of those registrations as people read them
  (option labels, "Ja"/"Nee", choices joined with ", "), in ``lang``. Registrations without
  answers are left out; answers to archived questions are included.

Rules that MUST hold:

* A question that has answers is never deleted (``remove_question`` archives it), so every
  stored answer keeps its question and meaning.
* Answers hold a visitor's personal data: they are in the visitor's export, erased with the
  visitor, and never in the audit log.
* An employer sees a ``with_consent`` answer only when the visitor agreed to share their
  profile, a ``never`` answer never (``card_answers``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import msgspec

from event_ops import audit, clock
from event_ops.core.caches import Cache, TTLCache
from event_ops.core.db import current_engine, insert_many
from event_ops.core.errors import DomainError, ValidationFailed
from event_ops.questions.tables import QUESTION_KINDS, QUESTION_SHARES

MAX_TEXT_ANSWER = 500
MAX_LABEL = 300
MAX_HELP = 1000
MAX_OPTIONS = 30
MAX_QUESTIONS = 30
CHOICE_KINDS = ("one_choice", "several_choices")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

AnswerValue = str | bool | list[str] | None


@dataclass(frozen=True, slots=True)
class QuestionView:
    """One question as the form, the lists and the exports read it."""

    id: int
    event_id: int
    kind: str
    label_nl: str
    label_en: str
    help_nl: str
    help_en: str
    options: tuple[tuple[str, str, str], ...]  # (key, Dutch, English)
    required: bool
    share: str
    position: int
    archived: bool

    @property
    def field(self) -> str:
        """The form field's name and id (also the key of its error)."""
        return f"q_{self.id}"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_nl

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" and self.help_en else self.help_nl

    def option_label(self, key: str, lang: str) -> str:
        for option_key, nl, en in self.options:
            if option_key == key:
                return en if lang == "en" and en else nl
        return key  # an option removed since: its key still says what was chosen

    def choices(self, lang: str) -> list[tuple[str, str]]:
        return [(key, en if lang == "en" and en else nl) for key, nl, en in self.options]

    def options_text(self) -> str:
        """The options as the edit form shows them: one per line, ``Dutch | English``."""
        return "\n".join(f"{nl} | {en}" if en and en != nl else nl for _, nl, en in self.options)


def _view(row: Mapping) -> QuestionView:
    options = row["options"]
    if isinstance(options, str):
        options = json.loads(options)
    return QuestionView(
        id=row["id"], event_id=row["event"], kind=row["kind"], label_nl=row["label_nl"],
        label_en=row["label_en"], help_nl=row["help_nl"] or "", help_en=row["help_en"] or "",
        options=tuple((o["key"], o.get("nl", ""), o.get("en", "")) for o in options or []),
        required=bool(row["required"]), share=row["share"], position=row["position"],
        archived=row["archived_at"] is not None,
    )


_COLUMNS = ("id, event, kind, label_nl, label_en, help_nl, help_en, options, required, share,"
            " position, archived_at")


async def questions_for(event_id: int, *, include_archived: bool = False
                        ) -> list[QuestionView]:
    """The event's questions in form order (archived ones last when included)."""
    rows = await current_engine().fetch(
        f"SELECT {_COLUMNS} FROM question WHERE event = ?"
        + ("" if include_archived else " AND archived_at IS NULL")
        + " ORDER BY archived_at IS NOT NULL, position, id", [event_id])
    return [_view(r) for r in rows]


# The sign-up form reads an event's active questions on every request: a copy a few
# seconds old is fine (a change in this process drops it at once). The same tuple object
# comes back while nothing changed, so the kept sign-up page is reused (it compares by
# identity).
_active: TTLCache[int, tuple[QuestionView, ...]] = TTLCache("questions.active", seconds=5.0,
                                                            maxsize=1000)
_last_seen: Cache[int, tuple[QuestionView, ...]] = Cache("questions.last_seen", maxsize=1000)


async def active_questions(event_id: int) -> tuple[QuestionView, ...]:
    hit = _active.get(event_id)
    if hit is not None:
        return hit
    fresh = tuple(await questions_for(event_id))
    previous = _last_seen.get(event_id)
    if previous is not None and previous == fresh:
        fresh = previous
    _last_seen.put(event_id, fresh)
    _active.put(event_id, fresh)
    return fresh


def _forget(event_id: int) -> None:
    _active.pop(event_id)


# ---- answers ------------------------------------------------------------------------------

def _one(raw: object) -> str:
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    return "" if raw is None else str(raw).strip()


def _clean_answer(question: QuestionView, raw: object) -> tuple[object | None, str | None]:
    """(stored value or None for no answer, error text key or None)."""
    keys = {key for key, _, _ in question.options}
    if question.kind == "short_text":
        if isinstance(raw, bool):
            return None, "err.answer_text"
        text = " ".join(_CONTROL.sub(" ", _one(raw)).split())
        if len(text) > MAX_TEXT_ANSWER:
            return None, "err.answer_too_long"
        return (text or None), None
    if question.kind == "one_choice":
        if isinstance(raw, bool):
            return None, "err.choice"
        key = _one(raw)
        if not key:
            return None, None
        return (key, None) if key in keys else (None, "err.choice")
    if question.kind == "several_choices":
        if raw is None or raw == "":
            items: list = []
        elif isinstance(raw, list):
            items = raw
        elif isinstance(raw, str):
            items = [raw]
        else:
            return None, "err.choice"
        chosen = list(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))
        if any(key not in keys for key in chosen):
            return None, "err.choice"
        return (chosen or None), None
    # yes_no
    if isinstance(raw, bool):
        return raw, None
    word = _one(raw).lower()
    if not word:
        return None, None
    if word in ("yes", "ja", "true"):
        return True, None
    if word in ("no", "nee", "false"):
        return False, None
    return None, "err.answer_yes_no"


def validate_answers(questions: Sequence[QuestionView], raw: Mapping[str, object]
                     ) -> tuple[dict[int, object], dict[str, str]]:
    """Check the answers to an event's active ``questions``; pure.

    ``raw`` maps a question id (as text, ``"12"``) or its form field (``"q_12"``) to the
    value sent: text, an option key, a list of keys, or yes/no (a bool, or "yes"/"no").
    Returns ``(answers, errors)``: question id → value to store, and field (``q_<id>``, or
    ``answers.<key>`` for a question this event does not have) → error text key. A
    required question without an answer is ``err.required``.
    """
    by_id = {q.id: q for q in questions}
    given: dict[int, object] = {}
    errors: dict[str, str] = {}
    for key, value in raw.items():
        text = str(key).removeprefix("q_")
        question_id = int(text) if text.isdigit() and len(text) < 10 else None
        if question_id is None or question_id not in by_id:
            errors[f"answers.{str(key)[:20]}"] = "err.question_unknown"
            continue
        given[question_id] = value
    answers: dict[int, object] = {}
    for question in questions:
        value, error = _clean_answer(question, given.get(question.id))
        if error is None and value is None and question.required:
            error = "err.required"
        if error is not None:
            errors[question.field] = error
        elif value is not None:
            answers[question.id] = value
    return answers, errors


async def store_answers(registration_id: int, answers: Mapping[int, object], *,
                        replace: bool = False) -> None:
    """Store the registration's answers (``replace``: delete its earlier ones first, for a
    sign-up again after a cancellation); call inside the registration's transaction. One
    multi-row INSERT: the sign-up path is hot."""
    if replace:
        await current_engine().fetch("DELETE FROM answer WHERE registration = ?",
                                     [registration_id])
    if answers:
        now = clock.now()
        await insert_many("answer", ("registration", "question", "value", "created_at"),
                          [(registration_id, question_id, _encode(value), now)
                           for question_id, value in answers.items()])


def _encode(value: object) -> str:
    return msgspec.json.encode(value).decode()


def display(question: QuestionView, value: object, lang: str) -> str:
    """An answer as people read it."""
    if question.kind == "yes_no":
        if lang == "en":
            return "Yes" if value else "No"
        return "Ja" if value else "Nee"
    if question.kind == "one_choice":
        return question.option_label(str(value), lang)
    if question.kind == "several_choices":
        return ", ".join(question.option_label(str(v), lang) for v in value or [])  # type: ignore[attr-defined]
    return str(value)


_decode = msgspec.json.decode


def _value(raw: object) -> object:
    return _decode(raw) if isinstance(raw, str | bytes) else raw


# Above this many registrations, read the event's answers in one statement and keep the
# wanted ones (an export of the whole list) instead of many ``IN (…)`` chunks.
WHOLE_EVENT_FROM = 500


async def _answer_rows(registration_ids: Sequence[int], event_id: int | None = None
                       ) -> list[dict]:
    if not registration_ids:
        return []
    ids = sorted(set(registration_ids))
    db = current_engine()
    if event_id is not None and len(ids) > WHOLE_EVENT_FROM:
        wanted = set(ids)
        rows = await db.fetch_off_loop(
            "SELECT a.registration, a.question, a.value FROM answer a"
            " JOIN registration r ON r.id = a.registration WHERE r.event = ?"
            " ORDER BY a.registration, a.question", [event_id])
        return [r for r in rows if r["registration"] in wanted]
    rows: list[dict] = []
    for start in range(0, len(ids), 500):  # PostgreSQL and SQLite limit bound parameters
        chunk = ids[start:start + 500]
        rows += await db.fetch(
            "SELECT registration, question, value FROM answer WHERE registration IN ("
            + ", ".join("?" * len(chunk)) + ") ORDER BY registration, question", chunk)
    return rows


async def answers_for(event_id: int, registration_ids: list[int], lang: str = "nl"
                      ) -> dict[int, dict[int, str]]:
    """Registration id → question id → the answer as text (see the module docstring)."""
    questions = {q.id: q for q in await questions_for(event_id, include_archived=True)}
    result: dict[int, dict[int, str]] = {}
    for row in await _answer_rows(registration_ids, event_id):
        question = questions.get(row["question"])
        if question is None:  # a question of another event: not this list's
            continue
        result.setdefault(row["registration"], {})[question.id] = display(
            question, _value(row["value"]), lang)
    return result


async def card_answers(event_id: int, registration_id: int, consented: bool,
                       lang: str = "nl") -> list[tuple[str, str]]:
    """(label, answer) pairs an employer may see on the visitor's card: ``with_consent``
    answers when the visitor consented to share their profile; ``never`` answers never."""
    if not consented:
        return []
    questions = await questions_for(event_id, include_archived=True)
    shared = {q.id: q for q in questions if q.share == "with_consent"}
    if not shared:
        return []
    answers = (await answers_for(event_id, [registration_id], lang)).get(registration_id, {})
    return [(q.label(lang), answers[q.id]) for q in shared.values() if q.id in answers]


async def export_answers(registration_ids: Sequence[int]) -> list[dict]:
    """The visitor's answers for their data export: event, question, answer (both
    languages' labels so the export reads without the form)."""
    rows = await _answer_rows(registration_ids)
    if not rows:
        return []
    question_ids = sorted({r["question"] for r in rows})
    db = current_engine()
    questions = {r["id"]: _view(r) for r in await db.fetch(
        f"SELECT {_COLUMNS} FROM question WHERE id IN ({', '.join('?' * len(question_ids))})",
        question_ids)}
    regs = sorted({r["registration"] for r in rows})
    events = {r["id"]: r["name"] for r in await db.fetch(
        "SELECT r.id, e.name FROM registration r JOIN event e ON e.id = r.event"
        f" WHERE r.id IN ({', '.join('?' * len(regs))})", regs)}
    out = []
    for row in rows:
        question = questions[row["question"]]
        value = _value(row["value"])
        out.append({"registration_id": row["registration"],
                    "event": events.get(row["registration"], ""),
                    "question": question.label_nl,
                    "question_en": question.label_en, "answer": display(question, value, "nl"),
                    "answer_en": display(question, value, "en")})
    return out


async def erase_answers(visitor_id: int) -> None:
    """Delete every answer of the visitor; call inside the erasure's transaction."""
    await current_engine().fetch(
        "DELETE FROM answer WHERE registration IN (SELECT id FROM registration"
        " WHERE visitor = ?)", [visitor_id])


# ---- managing questions (the back office) -------------------------------------------------

class QuestionInput(msgspec.Struct, kw_only=True):
    """A question as the back office sends it. ``options``: one per line, ``Dutch |
    English`` (without ``|`` both languages get the same text)."""

    kind: str
    label_nl: str
    label_en: str = ""
    help_nl: str = ""
    help_en: str = ""
    options: str = ""
    required: bool = False
    share: str = "never"


def _text(value: str, limit: int) -> str:
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit + 1]


def _parse_options(text: str, old: Sequence[tuple[str, str, str]]) -> list[dict]:
    """Lines → options. An option whose Dutch text was there before keeps its key, so
    stored answers keep pointing at it; new options get the next free key."""
    old_keys = {nl.casefold(): key for key, nl, _ in old}
    used = {key for key, _, _ in old}
    next_number = 1 + max((int(k[1:]) for k in used if k[1:].isdigit()), default=0)
    options: list[dict] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        nl, _, en = line.partition("|")
        nl, en = _text(nl, 200), _text(en, 200)
        if not nl or nl.casefold() in seen:
            continue
        seen.add(nl.casefold())
        key = old_keys.get(nl.casefold())
        if key is None:
            key = f"o{next_number}"
            next_number += 1
        options.append({"key": key, "nl": nl, "en": en or nl})
    return options


def check_question(data: QuestionInput, old_options: Sequence[tuple[str, str, str]] = ()
                   ) -> dict:
    """The cleaned row, or ``ValidationFailed`` (field → text key) naming every fault."""
    errors: dict[str, str] = {}
    if data.kind not in QUESTION_KINDS:
        errors["kind"] = "q.err.kind"
    label_nl, label_en = _text(data.label_nl, MAX_LABEL), _text(data.label_en, MAX_LABEL)
    if not label_nl:
        errors["label_nl"] = "q.err.required"
    elif len(label_nl) > MAX_LABEL:
        errors["label_nl"] = "q.err.too_long"
    if len(label_en) > MAX_LABEL:
        errors["label_en"] = "q.err.too_long"
    help_nl, help_en = _text(data.help_nl, MAX_HELP), _text(data.help_en, MAX_HELP)
    if len(help_nl) > MAX_HELP:
        errors["help_nl"] = "q.err.too_long"
    if len(help_en) > MAX_HELP:
        errors["help_en"] = "q.err.too_long"
    options: list[dict] = []
    if data.kind in CHOICE_KINDS:
        options = _parse_options(data.options, old_options)
        if len(options) < 2:
            errors["options"] = "q.err.options"
        elif len(options) > MAX_OPTIONS:
            errors["options"] = "q.err.too_many_options"
    if data.share not in QUESTION_SHARES:
        errors["share"] = "q.err.share"
    if errors:
        raise ValidationFailed(errors)
    return {"kind": data.kind, "label_nl": label_nl, "label_en": label_en or label_nl,
            "help_nl": help_nl, "help_en": help_en or help_nl, "options": options,
            "required": bool(data.required), "share": data.share}


def _audit_view(row: Mapping) -> dict:
    """What the audit log keeps of a question: its settings (never an answer)."""
    options = row.get("options") or []
    if isinstance(options, str):
        options = json.loads(options)
    return {"kind": row.get("kind"), "label_nl": row.get("label_nl"),
            "label_en": row.get("label_en"), "required": bool(row.get("required")),
            "share": row.get("share"),
            "options": " / ".join(o["nl"] for o in options) or None}


async def get_question(event_id: int, question_id: int) -> QuestionView:
    rows = await current_engine().fetch(
        f"SELECT {_COLUMNS} FROM question WHERE id = ? AND event = ?", [question_id, event_id])
    if not rows:
        raise DomainError("question_not_found", "This event has no such question.")
    return _view(rows[0])


async def create_question(event_id: int, data: QuestionInput, *, actor: str) -> int:
    row = check_question(data)
    db = current_engine()
    async with db.transaction():
        counts = await db.fetch(
            "SELECT COUNT(*) AS n, MAX(position) AS p FROM question WHERE event = ?"
            " AND archived_at IS NULL", [event_id])
        if counts[0]["n"] >= MAX_QUESTIONS:
            raise DomainError("too_many_questions",
                              f"An event can have at most {MAX_QUESTIONS} questions.")
        question_id = (await db.fetch(
            "INSERT INTO question (event, kind, label_nl, label_en, help_nl, help_en, options,"
            " required, share, position, archived_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING id",
            [event_id, row["kind"], row["label_nl"], row["label_en"], row["help_nl"],
             row["help_en"], json.dumps(row["options"]), row["required"], row["share"],
             (counts[0]["p"] or 0) + 1, clock.now()]))[0]["id"]
        await audit.record(actor, "question.created", event_id=event_id,
                           subject_type="question", subject_id=question_id,
                           changes=audit.changes({}, _audit_view(row)))
    _forget(event_id)
    return question_id


async def update_question(event_id: int, question_id: int, data: QuestionInput, *,
                          actor: str) -> None:
    """Change a question. Its kind cannot change once it has answers (they would lose
    their meaning): ``question_has_answers``."""
    old = await get_question(event_id, question_id)
    row = check_question(data, old.options)
    db = current_engine()
    async with db.transaction():
        if row["kind"] != old.kind and await _has_answers(question_id):
            raise DomainError("question_has_answers",
                              "This question has answers: its kind cannot change.",
                              field="kind")
        await db.fetch(
            "UPDATE question SET kind = ?, label_nl = ?, label_en = ?, help_nl = ?,"
            " help_en = ?, options = ?, required = ?, share = ? WHERE id = ?",
            [row["kind"], row["label_nl"], row["label_en"], row["help_nl"], row["help_en"],
             json.dumps(row["options"]), row["required"], row["share"], question_id])
        before = _audit_view({"kind": old.kind, "label_nl": old.label_nl,
                              "label_en": old.label_en, "required": old.required,
                              "share": old.share,
                              "options": [{"nl": nl} for _, nl, _ in old.options]})
        await audit.record(actor, "question.updated", event_id=event_id,
                           subject_type="question", subject_id=question_id,
                           changes=audit.changes(before, _audit_view(row)))
    _forget(event_id)


async def _has_answers(question_id: int) -> bool:
    return bool(await current_engine().fetch(
        "SELECT 1 FROM answer WHERE question = ? LIMIT 1", [question_id]))


async def remove_question(event_id: int, question_id: int, *, actor: str) -> str:
    """Delete a question without answers; archive one with answers (it leaves the form,
    its answers stay). Returns ``"deleted"`` or ``"archived"``."""
    await get_question(event_id, question_id)
    db = current_engine()
    async with db.transaction():
        if await _has_answers(question_id):
            await db.fetch("UPDATE question SET archived_at = ? WHERE id = ?",
                           [clock.now(), question_id])
            outcome = "archived"
        else:
            await db.fetch("DELETE FROM question WHERE id = ?", [question_id])
            outcome = "deleted"
        await audit.record(actor, f"question.{outcome}", event_id=event_id,
                           subject_type="question", subject_id=question_id)
    _forget(event_id)
    return outcome


async def move_question(event_id: int, question_id: int, direction: str, *,
                        actor: str) -> None:
    """Move a question one place ``up`` or ``down`` on the form."""
    if direction not in ("up", "down"):
        raise DomainError("bad_request", "Move a question up or down.")
    questions = await questions_for(event_id)
    ids = [q.id for q in questions]
    if question_id not in ids:
        raise DomainError("question_not_found", "This event has no such question.")
    at = ids.index(question_id)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(ids):
        return
    ids[at], ids[other] = ids[other], ids[at]
    db = current_engine()
    async with db.transaction():
        for position, qid in enumerate(ids, start=1):
            await db.fetch("UPDATE question SET position = ? WHERE id = ?", [position, qid])
        await audit.record(actor, "question.moved", event_id=event_id,
                           subject_type="question", subject_id=question_id,
                           changes={"position": [at + 1, other + 1]})
    _forget(event_id)


# Questions organisers often ask, to add in one click (Dutch B1 and English).
PRESETS: dict[str, QuestionInput] = {
    "support": QuestionInput(
        kind="short_text", label_nl="Heb je hulp of iets extra nodig op de dag?",
        label_en="Do you need help or anything extra on the day?",
        help_nl="Bijvoorbeeld een rolstoel, een rustige plek of een grote letter.",
        help_en="For example a wheelchair, a quiet place or large print.", share="never"),
    "interpreter": QuestionInput(
        kind="one_choice", label_nl="Wil je een tolk?", label_en="Would you like an interpreter?",
        options="Nee, dat hoeft niet | No, thank you\nArabisch | Arabic\nTigrinya | Tigrinya\n"
                "Oekraïens | Ukrainian\nTurks | Turkish\nEngels | English\n"
                "Gebarentaal | Sign language",
        share="never"),
    "driving_licence": QuestionInput(
        kind="several_choices", label_nl="Welk rijbewijs heb je?",
        label_en="Which driving licence do you have?",
        options="Geen | None\nAuto (B) | Car (B)\nVrachtwagen (C) | Lorry (C)\n"
                "Heftruck | Forklift\nBrommer (AM) | Moped (AM)",
        share="with_consent"),
    "work_permit": QuestionInput(
        kind="yes_no", label_nl="Mag je in Nederland werken?",
        label_en="Are you allowed to work in the Netherlands?",
        help_nl="Bijvoorbeeld met een Nederlands paspoort of een verblijfsvergunning.",
        help_en="For example with a Dutch passport or a residence permit.",
        share="with_consent"),
}


async def add_preset(event_id: int, preset: str, *, actor: str) -> int:
    if preset not in PRESETS:
        raise DomainError("question_not_found", "There is no such suggested question.")
    return await create_question(event_id, PRESETS[preset], actor=actor)


ANSWER_FILTER_PREFIX = "answer."


def answer_conditions(extra: Mapping[str, str]) -> tuple[list[str], list[object]]:
    """The registration list's filter on answers (``event_ops.people.registration_list``'s
    ``EXTRA_CONDITIONS``): ``answer.<question id>=<option key>`` keeps the registrations
    whose answer is that option (one choice) or includes it (several choices);
    ``=yes``/``=no`` for yes/no questions. Other parameters are not ours. Conditions are on
    ``r`` (registration); stored values are JSON (``_encode``)."""
    where: list[str] = []
    args: list[object] = []
    for key, wanted in sorted(extra.items()):
        if not key.startswith(ANSWER_FILTER_PREFIX) or not wanted:
            continue
        question = key.removeprefix(ANSWER_FILTER_PREFIX)
        if not question.isdigit() or len(question) > 12:
            continue
        if wanted in ("yes", "no"):
            where.append("EXISTS (SELECT 1 FROM answer a WHERE a.registration = r.id"
                         " AND a.question = ? AND CAST(a.value AS TEXT) = ?)")
            args += [int(question), _encode(wanted == "yes")]
            continue
        # One choice: the key itself; several choices: a JSON list that holds it.
        pattern = _encode(wanted).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(
            "EXISTS (SELECT 1 FROM answer a WHERE a.registration = r.id AND a.question = ?"
            " AND (CAST(a.value AS TEXT) = ? OR CAST(a.value AS TEXT) LIKE ? ESCAPE '\\'))")
        args += [int(question), _encode(wanted), f"%{pattern}%"]
    return where, args
