"""The visitor's data page (/me/{token}/export) as a person reads it: labels in their
language, Ja/Nee, names instead of codes, Amsterdam times. The JSON download stays as is,
for machines."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from event_ops.i18n import TEXTS, t
from event_ops.localtime import local_time
from event_ops.taxonomy.service import sector_name
from event_ops.texts.audience import LANGUAGE_NAMES

# Internal numbers that mean nothing to a person.
_HIDDEN = {"id", "badge_serial", "waiting_position"}
_LANGUAGES = LANGUAGE_NAMES  # each language in its own script


@dataclass(slots=True)
class Section:
    key: str
    title: str
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, value) pairs


def _text(key: str, lang: str, fallback: str, **values: object) -> str:
    return t(key, lang, **values) if key in TEXTS else fallback


def _codes(value: object) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


def readable_value(section: str, key: str, value: object, lang: str,
                   competency_names: dict[str, str]) -> str:
    """One value as a person reads it (see the module docstring)."""
    if isinstance(value, bool):
        return t("export.yes" if value else "export.no", lang)
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, dt.datetime) or key == "at" or key.endswith("_at"):
        return local_time(value, lang)
    if key == "share_profile" or key == "granted":
        return t("export.yes" if value else "export.no", lang)
    if key == "education_level":
        return _text(f"edu.{value}", lang, str(value))
    if key == "availability":
        return ", ".join(_text(f"avail.{c}", lang, c) for c in _codes(value)) or "-"
    if key == "sectors":
        names = [sector_name(c, lang)
                 for c in _codes(value)]
        return ", ".join(names) or "-"
    if key == "language":
        return _LANGUAGES.get(str(value), str(value))
    if section == "competencies" and key == "code":
        return competency_names.get(str(value), str(value))
    if section == "competencies" and key == "level":
        return _text(f"level.{value}", lang, str(value))
    if section == "consents" and key == "kind":
        return _text(f"export.consent.{value}", lang, str(value))
    if section in ("consents", "emails", "messages_from_organisers") and key == "channel":
        return _text(f"export.channel.{value}", lang, str(value))
    if section == "registrations" and key == "status":
        return _text(f"export.status.{value}", lang, str(value))
    if section in ("employer_notes", "matches") and key == "level":
        return _text(f"fu.level.{value}", lang, str(value))
    if section == "matches" and key == "status":
        return _text(f"fu.status.{value}", lang, str(value))
    if section == "door_scans" and key == "status":
        return _text(f"door.r.{value}_noname", lang, _text(f"door.r.{value}", lang, str(value)))
    if section == "emails" and key == "kind":
        return _text(f"export.mail.{str(value).split('.')[0]}", lang, str(value))
    if section == "emails" and key == "status":
        return _text(f"export.mail_status.{value}", lang, str(value))
    if section == "pool_history" and key == "actor":
        return t("export.actor.self", lang) if value == "visitor:self" else str(value)
    if section == "pool_history" and key == "action":
        return _text(f"export.action.{value}", lang, str(value))
    if section == "who_saw_your_profile" and key == "actor":
        return t("export.actor.self", lang) if value == "visitor:self" else str(value)
    if section == "who_saw_your_profile" and key == "action":
        return _text(f"export.action.{value}", lang, str(value))
    if key == "fields":
        return ", ".join(_codes(value)) or "-"
    if key in ("share_fields", "released_fields"):  # the candidate pool's contact details
        return ", ".join(_text(f"pool.field.{c}", lang, c) for c in _codes(value)) or "-"
    return str(value)


def readable_export(data: dict, lang: str, competency_names: dict[str, str]) -> list[Section]:
    """``visitor_export`` as sections of labelled rows, in the visitor's language."""
    sections = []
    for key, value in data.items():
        section = Section(key, _text(f"export.section.{key}", lang, key.replace("_", " ")))
        rows = [value] if isinstance(value, dict) else list(value or [])
        if key == "answers":  # each answer is stored in both languages: show the reader's
            suffix = "_en" if lang == "en" else ""
            rows = [{"event": r["event"], "question": r["question" + suffix],
                     "answer": r["answer" + suffix]} for r in rows]
        for row in rows:
            section.rows.append([
                (_text(f"export.key.{name}", lang, name.replace("_", " ")),
                 readable_value(key, name, item, lang, competency_names))
                for name, item in row.items() if name not in _HIDDEN
            ])
        sections.append(section)
    return sections
