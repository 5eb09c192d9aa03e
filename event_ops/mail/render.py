"""Build the e-mails the outbox sends, in the visitor's language."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import icalendar

from event_ops.core.settings import Settings
from event_ops.i18n import t
from event_ops.links import PURPOSE_BADGE, PURPOSE_VISITOR_PAGE, make_link_token
from event_ops.localtime import AMSTERDAM


def new_mail(settings: Settings, to: str, subject: str) -> EmailMessage:
    """A mail from us with its headers set (sender, recipient, subject, date, a fresh
    Message-ID); the caller sets the content. Every mail the outbox sends starts here."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain="event-ops.local")
    return msg


def format_when(starts: dt.datetime, ends: dt.datetime, lang: str) -> str:
    s, e = starts.astimezone(AMSTERDAM), ends.astimezone(AMSTERDAM)
    return f"{s:%d-%m-%Y %H:%M} - {e:%H:%M}" if lang == "nl" else f"{s:%Y-%m-%d %H:%M} - {e:%H:%M}"


def visitor_page_url(settings: Settings, visitor_id: int, link_version: int) -> str:
    token = make_link_token(settings.secret_key, PURPOSE_VISITOR_PAGE, visitor_id, link_version)
    return f"{settings.base_url}/me/{token}"


def badge_url(settings: Settings, registration_id: int, serial: int) -> str:
    token = make_link_token(settings.secret_key, PURPOSE_BADGE, registration_id, serial)
    return f"{settings.base_url}/badges/{token}.png"


def calendar_invite(
    *, uid: str, summary: str, location: str, starts: dt.datetime, ends: dt.datetime,
    description: str, url: str,
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//event-ops//registration//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    ev = icalendar.Event()
    ev.add("uid", uid)
    ev.add("dtstamp", dt.datetime.now(dt.UTC))
    ev.add("dtstart", starts.astimezone(dt.UTC))
    ev.add("dtend", ends.astimezone(dt.UTC))
    ev.add("summary", summary)
    ev.add("location", location)
    ev.add("description", description)
    ev.add("url", url)
    cal.add_component(ev)
    return cal.to_ical()


def confirmation_message(
    settings: Settings, *, event: dict, visitor: dict, registration: dict,
    waiting_rank: int | None, kind: str,
) -> EmailMessage:
    lang = visitor["language"] or "nl"
    first_name = visitor["name"].split(" ")[0]
    page_url = visitor_page_url(settings, visitor["id"], visitor["link_version"])
    when = format_when(event["starts_at"], event["ends_at"], lang)
    status = registration["status"]
    lines = [t("mail.hello", lang, name=first_name), ""]
    if status == "waiting_list":
        lines.append(t("mail.waiting_list", lang, event=event["name"], n=waiting_rank or "?"))
    else:
        lines.append(t("mail.registered", lang, event=event["name"]))
    lines += ["", t("mail.when_where", lang, when=when, where=event["location"] or "-"), ""]
    if status == "registered":
        url = badge_url(settings, registration["id"], registration["badge_serial"])
        lines += [t("mail.badge", lang, url=url), ""]
    lines += [t("mail.my_page", lang, url=page_url), ""]
    if status == "registered":
        lines += [t("mail.calendar", lang), ""]
    lines += [legal_lines(settings, lang), ""]
    lines.append(t("mail.bye", lang))

    msg = new_mail(settings, visitor["email"], t("mail.subject", lang, event=event["name"]))
    msg.set_content("\n".join(lines))
    # Mail programs pick fonts and direction (ar: right to left) by it; set after the
    # content (set_content drops Content-* headers); with attachments it stays on the text.
    msg["Content-Language"] = lang
    if status == "registered":
        ics = calendar_invite(
            uid=f"registration-{registration['id']}@event-ops",
            summary=event["name"],
            location=event["location"] or "",
            starts=event["starts_at"],
            ends=event["ends_at"],
            description=t("mail.registered", lang, event=event["name"]),
            url=page_url,
        )
        msg.add_attachment(ics, maintype="text", subtype="calendar", filename="event.ics",
                           params={"method": "PUBLISH"})
    return msg


def legal_lines(settings: Settings, lang: str) -> str:
    """Where the terms and the privacy statement are, for the end of a visitor's mail."""
    return t("mail.legal", lang, terms=f"{settings.base_url}/terms?lang={lang}",
             privacy=f"{settings.base_url}/privacy?lang={lang}")


def link_message(settings: Settings, visitor: dict) -> EmailMessage:
    """The mail a visitor asked for on /me/new-link: the link to their own page."""
    lang = visitor["language"] or "nl"
    url = visitor_page_url(settings, visitor["id"], visitor["link_version"])
    lines = [t("mail.hello", lang, name=visitor["name"].split(" ")[0]), "",
             t("mail.link.body", lang, url=url), "", legal_lines(settings, lang), "",
             t("mail.link.bye", lang)]
    msg = new_mail(settings, visitor["email"], t("mail.link.subject", lang))
    msg.set_content("\n".join(lines))
    return msg
