"""Render follow-up mails when the outbox sends them (never when they are queued), so a mail
shows the state at sending time: a match closed in the meantime drops out of a reminder, and
a visitor who withdrew consent no longer appears with contact details in an employer list.

Kinds (see ``tasks``):

* ``followup.reminder`` / ``followup.checkpoint`` – to an owner: the owner's matches in that
  event stamped (``reminded_at`` / ``checkpoint_*_at``) at the mail's ``created_at``;
* ``followup.visitor`` – to a visitor (``registration_id``): the employers they met;
* ``followup.employer_list`` – to an employer's contact address: the people that employer
  (or every employer of the event with that address) logged;
* ``followup.employers`` – to an owner: the same list for each employer *without* a contact
  address whose matches they own, for the account manager to forward.

In both lists a visitor who did not agree to share is shown by first name only, without
contact details, exactly as on the employer's tablet; consent is read at sending time.

Returns None (the outbox marks the mail ``skipped``) when nothing is left to say.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from urllib.parse import quote

from event_ops.core.db import current_engine
from event_ops.core.settings import Settings
from event_ops.followup.pipeline import FINAL_STATUSES, MATCH_LEVELS
from event_ops.i18n import t
from event_ops.mail.render import AMSTERDAM, legal_lines, new_mail, visitor_page_url

#: Owners are the partnership's own staff; they have no language setting yet.
OWNER_LANGUAGE = "nl"
#: Employers have no language setting either; the partnership writes to them in Dutch.
EMPLOYER_LANGUAGE = "nl"


def short_name(name: str) -> str:
    """"Eva de Vries" → "Eva V.": enough for a coach to recognise, less in an inbox."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0].upper()}."


def _day(value: dt.datetime, lang: str) -> str:
    local = value.astimezone(AMSTERDAM)
    return f"{local:%d-%m-%Y}" if lang == "nl" else f"{local:%Y-%m-%d}"


def _message(settings: Settings, to: str, subject: str, lines: list[str]) -> EmailMessage:
    msg = new_mail(settings, to, subject)
    msg.set_content("\n".join(lines))
    return msg


async def followup_message(settings: Settings, mail: dict) -> EmailMessage | None:
    """The outbox's entry point for every ``followup.*`` kind."""
    builders = {
        "followup.reminder": _owner_digest,
        "followup.checkpoint": _owner_digest,
        "followup.visitor": _visitor_summary,
        "followup.employers": _employer_lists,
        "followup.employer_list": _employer_own_list,
    }
    builder = builders.get(mail["kind"])
    if builder is None:
        raise ValueError(f"unknown mail kind {mail['kind']!r}")
    outbox = (await current_engine().fetch(
        "SELECT event_id, registration_id, created_at FROM outbox_mail WHERE id = ?",
        [mail["id"]]))[0]
    event = (await current_engine().fetch(
        "SELECT id, slug, name, starts_at, ends_at FROM event WHERE id = ?",
        [outbox["event_id"]]))
    if not event:
        return None
    return await builder(settings, mail, outbox, event[0])


def board_url(settings: Settings, slug: str, owner: str) -> str:
    return f"{settings.base_url}/events/{quote(slug)}/board?owner={quote(owner)}"


async def _owner_digest(settings: Settings, mail: dict, outbox: dict,
                        event: dict) -> EmailMessage | None:
    reminder = mail["kind"] == "followup.reminder"
    stamp = "m.reminded_at = ?" if reminder else \
        "(m.checkpoint_2w_at = ? OR m.checkpoint_8w_at = ?)"
    args = [outbox["created_at"]] * (1 if reminder else 2)
    finals = ", ".join("?" * len(FINAL_STATUSES))
    rows = await current_engine().fetch(
        "SELECT m.level, m.status, m.status_changed_at, m.owner_name, e.name AS employer,"
        ' v.name FROM "match" m JOIN employer e ON e.id = m.employer'
        " JOIN registration r ON r.id = m.registration JOIN visitor v ON v.id = r.visitor"
        f" WHERE m.event = ? AND m.owner_email = ? AND {stamp}"
        f" AND m.status NOT IN ({finals}) AND m.status_changed_at < ?"
        " ORDER BY m.status_changed_at, m.id",
        [event["id"], mail["recipient"], *args, *sorted(FINAL_STATUSES), outbox["created_at"]],
    )
    if not rows:
        return None  # every match moved on since: nothing to ask
    lang = OWNER_LANGUAGE
    days = max((outbox["created_at"] - rows[-1]["status_changed_at"]).days, 1)
    if reminder:
        subject = t("fu.reminder.subject", lang, n=len(rows), event=event["name"])
        intro = t("fu.reminder.intro", lang, event=event["name"], days=days)
    else:
        weeks = max((outbox["created_at"] - event["ends_at"]).days // 7, 1)
        subject = t("fu.checkpoint.subject", lang, weeks=weeks, event=event["name"])
        intro = t("fu.checkpoint.intro", lang, weeks=weeks, event=event["name"])
    lines = [t("fu.hello", lang, name=rows[0]["owner_name"] or mail["recipient"]), "", intro, ""]
    for r in rows:
        lines.append(t("fu.match_line", lang, visitor=short_name(r["name"]),
                       employer=r["employer"], level=t(f"fu.level.{r['level']}", lang),
                       status=t(f"fu.status.{r['status']}", lang),
                       since=_day(r["status_changed_at"], lang)))
    lines += ["", t("fu.board_link", lang, url=board_url(settings, event["slug"],
                                                         mail["recipient"])),
              "", t("fu.bye", lang)]
    return _message(settings, mail["recipient"], subject, lines)


async def _visitor_summary(settings: Settings, mail: dict, outbox: dict,
                           event: dict) -> EmailMessage | None:
    db = current_engine()
    rows = await db.fetch(
        "SELECT r.status, v.id, v.name, v.language, v.link_version, v.share_profile"
        " FROM registration r JOIN visitor v ON v.id = r.visitor WHERE r.id = ?",
        [outbox["registration_id"]],
    )
    if not rows or rows[0]["status"] == "cancelled":
        return None
    visitor = rows[0]
    lang = visitor["language"] or "nl"
    # What the employer said (one row per employer), and stands the visitor marked themself.
    met = await db.fetch(
        "SELECT e.id, e.name, i.level FROM interest i JOIN employer e ON e.id = i.employer"
        " WHERE i.registration = ? ORDER BY e.name", [outbox["registration_id"]])
    said = {r["id"] for r in met}
    mine = [r for r in await db.fetch(
        "SELECT e.id, e.name FROM visitor_interest vi JOIN employer e ON e.id = vi.employer"
        " WHERE vi.registration = ? AND vi.withdrawn = ? ORDER BY e.name",
        [outbox["registration_id"], False]) if r["id"] not in said]
    lines = [t("mail.hello", lang, name=visitor["name"].split(" ")[0]), ""]
    if met or mine:
        lines += [t("fu.visitor.intro", lang, event=event["name"]), ""]
        for r in met:
            key = "fu.visitor.next." + r["level"]
            lines.append("- " + t(key, lang, employer=r["name"]))
        for r in mine:
            lines.append("- " + t("fu.visitor.next.yours", lang, employer=r["name"]))
        lines.append("")
        if any(r["level"] in MATCH_LEVELS for r in met):
            lines += [t("fu.visitor.coach", lang), ""]
        if not visitor["share_profile"]:
            lines += [t("fu.visitor.private", lang), ""]
    else:
        lines += [t("fu.visitor.none", lang, event=event["name"]), ""]
    page = visitor_page_url(settings, visitor["id"], visitor["link_version"])
    lines += [t("mail.my_page", lang, url=page), "", legal_lines(settings, lang), "",
              t("fu.bye", lang)]
    return _message(settings, mail["recipient"],
                    t("fu.visitor.subject", lang, event=event["name"]), lines)


# Each employer's interests with the visitor's name, contact details and consent; the
# caller adds which employers (one condition on ``e``).
_LIST_SQL = (
    "SELECT e.id AS employer_id, e.name AS employer, i.level, v.name, v.email, v.phone,"
    " v.share_profile FROM employer e JOIN interest i ON i.employer = e.id"
    " JOIN registration r ON r.id = i.registration JOIN visitor v ON v.id = r.visitor"
    " WHERE e.event = ? AND {which} ORDER BY e.name, e.id, v.name, i.id"
)


def _list_lines(rows: list[dict], lang: str, *, headings: bool) -> list[str]:
    """The visitors per employer; contact details only for those who agreed to share."""
    lines: list[str] = []
    current = None
    for r in rows:
        if headings and r["employer_id"] != current:
            current = r["employer_id"]
            lines += ["", f"{r['employer']}", "-" * min(len(r["employer"]), 60)]
        level = t(f"fu.level.{r['level']}", lang)
        if r["share_profile"]:
            contact = ", ".join(filter(None, [r["email"], r["phone"]]))
            lines.append(t("fu.employers.open", lang, name=r["name"], level=level,
                           contact=contact))
        else:
            # No consent: first name only, no contact details (as on the employer's tablet).
            lines.append(t("fu.employers.private", lang, first_name=r["name"].split(" ")[0],
                           level=level))
    return lines


async def _employer_lists(settings: Settings, mail: dict, outbox: dict,
                          event: dict) -> EmailMessage | None:
    db = current_engine()
    rows = await db.fetch(
        _LIST_SQL.format(which="e.contact_email = '' AND e.id IN (SELECT m.employer"
                               ' FROM "match" m WHERE m.event = ? AND m.owner_email = ?)'),
        [event["id"], event["id"], mail["recipient"]],
    )
    if not rows:
        return None
    lang = OWNER_LANGUAGE
    owner = await db.fetch(
        "SELECT owner_name FROM \"match\" WHERE event = ? AND owner_email = ? AND owner_name <> ''"
        " LIMIT 1", [event["id"], mail["recipient"]])
    name = owner[0]["owner_name"] if owner else mail["recipient"]
    lines = [t("fu.hello", lang, name=name), "",
             t("fu.employers.intro", lang, event=event["name"]), ""]
    lines += _list_lines(rows, lang, headings=True)
    lines += ["", t("fu.bye", lang)]
    return _message(settings, mail["recipient"],
                    t("fu.employers.subject", lang, event=event["name"]), lines)


async def _employer_own_list(settings: Settings, mail: dict, outbox: dict,
                             event: dict) -> EmailMessage | None:
    rows = await current_engine().fetch(
        _LIST_SQL.format(which="e.contact_email = ?"), [event["id"], mail["recipient"]])
    if not rows:
        return None  # the address changed, or the interests were undone
    lang = EMPLOYER_LANGUAGE
    employers = list(dict.fromkeys(r["employer"] for r in rows))
    lines = [t("fu.hello", lang, name=" / ".join(employers)), "",
             t("fu.employer_list.intro", lang, event=event["name"]), ""]
    lines += _list_lines(rows, lang, headings=len(employers) > 1)
    if not all(r["share_profile"] for r in rows):
        lines += ["", t("fu.employer_list.private", lang)]
    lines += ["", t("fu.bye", lang)]
    return _message(settings, mail["recipient"],
                    t("fu.employer_list.subject", lang, event=event["name"]), lines)
