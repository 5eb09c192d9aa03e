"""Which registrations a message goes to: a pure description plus the one SQL filter built
from it (used for the preview count and for sending, so both always agree)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import msgspec

from event_ops.core.errors import DomainError

STATUSES = ("registered", "waiting_list", "cancelled")
ATTENDANCE = ("any", "checked_in", "not_checked_in", "no_show")
LANGUAGES = ("any", "nl", "en")
# mail: e-mail only; sms: text message only; mail_or_sms: e-mail where we have an address,
# else a text message to the phone number.
CHANNELS = ("mail", "sms", "mail_or_sms")


class Selection(msgspec.Struct, frozen=True, kw_only=True):
    """MUST hold: ``statuses`` non-empty and each in STATUSES; the other fields one of
    their tuples. Visitors who opted out of messages are never selected."""

    statuses: tuple[str, ...] = ("registered",)
    attendance: str = "any"
    language: str = "any"
    channels: str = "mail"

    @classmethod
    def from_form(cls, form: Mapping[str, object], statuses: list[str]) -> Selection:
        """From a submitted form (``statuses`` are the checked boxes). Unknown values:
        ``DomainError("validation_failed")``."""
        selection = cls(
            statuses=tuple(s for s in STATUSES if s in statuses),
            attendance=str(form.get("attendance") or "any"),
            language=str(form.get("language") or "any"),
            channels=str(form.get("channels") or "mail"),
        )
        selection.check()
        return selection

    def check(self) -> None:
        if not self.statuses or any(s not in STATUSES for s in self.statuses) \
                or self.attendance not in ATTENDANCE or self.language not in LANGUAGES \
                or self.channels not in CHANNELS:
            raise DomainError("validation_failed", "Choose who gets the message.")


def channel_sql(channels: str, sms_on: bool) -> str:
    """The SQL expression (over ``v``: visitor) giving the channel a registration's message
    goes over, or NULL when it cannot reach that visitor."""
    has_mail = "(v.email IS NOT NULL AND v.email <> '')"
    has_phone = "(v.phone IS NOT NULL AND v.phone <> '')"
    if channels == "mail" or not sms_on:
        return f"CASE WHEN {has_mail} THEN 'mail' END"
    if channels == "sms":
        return f"CASE WHEN {has_phone} THEN 'sms' END"
    return f"CASE WHEN {has_mail} THEN 'mail' WHEN {has_phone} THEN 'sms' END"


def where_sql(selection: Selection, event_id: int, event_ended: bool
              ) -> tuple[str, list[object]]:
    """``WHERE`` clause (over ``r``: registration, ``v``: visitor) and its arguments."""
    marks = ", ".join("?" * len(selection.statuses))
    where = [f"r.event = ? AND r.status IN ({marks})", "v.messages_opt_out = ?"]
    args: list[object] = [event_id, *selection.statuses, False]
    if selection.attendance == "checked_in":
        where.append("r.checked_in_at IS NOT NULL")
    elif selection.attendance == "not_checked_in":
        where.append("r.checked_in_at IS NULL")
    elif selection.attendance == "no_show":
        # Registered, never came, and the event is over.
        where.append("r.checked_in_at IS NULL AND r.status = 'registered'")
        if not event_ended:
            where.append("1 = 0")
    if selection.language != "any":
        where.append("v.language = ?")
        args.append(selection.language)
    return " AND ".join(where), args


def event_has_ended(ends_at: dt.datetime, now: dt.datetime) -> bool:
    return ends_at <= now
