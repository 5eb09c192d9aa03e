"""The mails about a contact change at the desk, built when the outbox sends them.

* ``registration.contact_changed`` goes to the address in use now: the details as they are
  stored at sending time, and the link to the visitor's own page (made with the current
  link version, so it works).
* ``registration.contact_old`` goes to the old address (the outbox row's recipient): only
  that the address for this event was replaced. It names no new details: whoever reads
  that mailbox may not be the visitor.

Returns None (the outbox marks the mail ``skipped``) when the visitor is gone (erased).
"""

from __future__ import annotations

from email.message import EmailMessage

from event_ops.core.db import current_engine
from event_ops.core.settings import Settings
from event_ops.i18n import t
from event_ops.mail.render import legal_lines, new_mail, visitor_page_url

KINDS = ("registration.contact_changed", "registration.contact_old")


async def contact_message(settings: Settings, mail: dict) -> EmailMessage | None:
    rows = await current_engine().fetch(
        "SELECT v.id, v.name, v.email, v.phone, v.language, v.link_version, e.name AS event"
        " FROM registration r JOIN visitor v ON v.id = r.visitor JOIN event e ON e.id = r.event"
        " WHERE r.id = ?", [mail["registration_id"]])
    if not rows or (rows[0]["email"] or "").endswith("@invalid"):
        return None
    v = rows[0]
    lang = v["language"] or "nl"
    first = v["name"].split(" ")[0]
    if mail["kind"] == "registration.contact_old":
        body = [t("mail.hello", lang, name=first), "",
                t("mail.contact.old", lang, event=v["event"]), "",
                t("mail.contact.not_you", lang)]
    else:
        body = [t("mail.hello", lang, name=first), "",
                t("mail.contact.changed", lang, event=v["event"]), "",
                f"{t('mail.contact.name', lang)}: {v['name']}",
                f"{t('mail.contact.email', lang)}: {v['email']}",
                f"{t('mail.contact.phone', lang)}: {v['phone'] or '-'}", "",
                t("mail.contact.check", lang,
                  url=visitor_page_url(settings, v["id"], v["link_version"]))]
    body += ["", legal_lines(settings, lang), "", t("mail.bye", lang)]
    msg = new_mail(settings, mail["recipient"], t("mail.contact.subject", lang, event=v["event"]))
    msg.set_content("\n".join(body))
    return msg
