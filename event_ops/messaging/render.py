"""Build what the outbox sends for messages and reminders (mail and SMS), in the visitor's
language, and the unsubscribe link every visitor mail carries."""

from __future__ import annotations

from email.message import EmailMessage

from event_ops.core.db import current_engine
from event_ops.core.settings import Settings
from event_ops.i18n import t
from event_ops.links import make_link_token
from event_ops.mail.render import badge_url, format_when, legal_lines, new_mail, visitor_page_url

# Version 1 for ever: an unsubscribe link keeps working when the visitor's page links are
# renewed (an old mail's link must still stop the mails).
PURPOSE_UNSUBSCRIBE = "unsubscribe"
SMS_MAX = 480


def unsubscribe_url(settings: Settings, visitor_id: int) -> str:
    token = make_link_token(settings.secret_key, PURPOSE_UNSUBSCRIBE, visitor_id, 1)
    return f"{settings.base_url}/unsubscribe/{token}"


def add_unsubscribe(message: EmailMessage, settings: Settings, visitor_id: int,
                    lang: str) -> None:
    """The link in the text and the ``List-Unsubscribe`` headers (RFC 2369, with RFC 8058's
    one-click ``POST``), so mail programs show their own unsubscribe button."""
    url = unsubscribe_url(settings, visitor_id)
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        text = body.get_content().rstrip("\n")
        language = body["Content-Language"]  # set_content drops the Content-* headers
        body.set_content(f"{text}\n\n-- \n{t('mail.unsubscribe', lang, url=url)}\n")
        if language:
            body["Content-Language"] = language


async def _context(registration_id: int) -> tuple[dict, dict, dict] | None:
    db = current_engine()
    rows = await db.fetch(
        "SELECT r.id, r.status, r.badge_serial, r.event, v.id AS visitor_id, v.name, v.email,"
        " v.phone, v.language, v.link_version, v.messages_opt_out"
        " FROM registration r JOIN visitor v ON v.id = r.visitor WHERE r.id = ?",
        [registration_id])
    if not rows:
        return None
    row = rows[0]
    event = (await db.fetch("SELECT * FROM event WHERE id = ?", [row["event"]]))[0]
    visitor = {"id": row["visitor_id"], "name": row["name"], "email": row["email"],
               "phone": row["phone"], "language": row["language"] or "nl",
               "link_version": row["link_version"], "opt_out": row["messages_opt_out"]}
    return row, event, visitor


def _mail(settings: Settings, to: str, subject: str, lines: list[str]) -> EmailMessage:
    msg = new_mail(settings, to, subject)
    msg.set_content("\n".join(lines))
    return msg


def _where(event: dict) -> str:
    parts = [event.get("venue") or "", event.get("address") or "", event.get("location") or ""]
    return ", ".join(p for p in dict.fromkeys(parts) if p) or "-"


async def message_content(settings: Settings, kind: str, registration_id: int
                          ) -> tuple[dict, dict, dict, str, str] | None:
    """(registration, event, visitor, subject, text) of a message or reminder, or None when
    it must not go (the registration is gone or cancelled, or the visitor opted out since)."""
    found = await _context(registration_id)
    if found is None:
        return None
    registration, event, visitor = found
    if visitor["opt_out"]:
        return None
    lang = visitor["language"]
    first_name = visitor["name"].split(" ")[0]
    if kind.startswith("message."):
        rows = await current_engine().fetch(
            "SELECT subject_nl, body_nl, subject_en, body_en FROM message WHERE id = ?",
            [int(kind.removeprefix("message."))])
        if not rows:
            return None
        m = rows[0]
        english = lang != "nl" and m["subject_en"].strip()  # ar, uk, tr, pl: English
        subject = m["subject_en"] if english else m["subject_nl"]
        text = m["body_en"] if english else m["body_nl"]
        return registration, event, visitor, subject, text
    if registration["status"] != "registered":
        return None  # reminders are for those who have a place
    when = format_when(event["starts_at"], event["ends_at"], lang)
    key = "mail.reminder.two_days" if kind == "reminder.two_days" else "mail.reminder.morning"
    lines = [t(key, lang, event=event["name"]), "",
             t("mail.when_where", lang, when=when, where=_where(event))]
    if event.get("route_text"):
        lines += ["", t("mail.reminder.route", lang, route=event["route_text"])]
    subject = t(key + ".subject", lang, event=event["name"], name=first_name)
    return registration, event, visitor, subject, "\n".join(lines)


async def build_visitor_mail(settings: Settings, kind: str, registration_id: int
                             ) -> tuple[EmailMessage, dict, dict] | None:
    """The mail of a message or reminder (without the badge: the outbox attaches it),
    with the registration and the visitor it is for."""
    content = await message_content(settings, kind, registration_id)
    if content is None:
        return None
    registration, event, visitor, subject, text = content
    lang = visitor["language"]
    lines = [t("mail.hello", lang, name=visitor["name"].split(" ")[0]), "", text, ""]
    if kind.startswith("reminder.") and registration["status"] == "registered":
        lines += [t("mail.badge", lang,
                    url=badge_url(settings, registration["id"], registration["badge_serial"])),
                  ""]
    lines += [t("mail.my_page", lang, url=visitor_page_url(
        settings, visitor["id"], visitor["link_version"])), "", legal_lines(settings, lang), ""]
    return _mail(settings, visitor["email"], subject, lines), registration, visitor


async def build_sms(settings: Settings, kind: str, registration_id: int) -> str | None:
    """The text of a message or reminder by SMS: short, with the link to the own page (the
    badge is there); None when it must not go."""
    content = await message_content(settings, kind, registration_id)
    if content is None:
        return None
    _, _, visitor, subject, text = content
    lang = visitor["language"]
    link = visitor_page_url(settings, visitor["id"], visitor["link_version"])
    stop = t("sms.stop", lang, url=unsubscribe_url(settings, visitor["id"]))
    tail = f"\n{link}\n{stop}"
    body = f"{subject}\n{text}"
    room = SMS_MAX - len(tail)
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return body + tail
