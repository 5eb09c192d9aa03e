"""Text messages through an HTTP gateway, configured by ``EVENTOPS_SMS_URL``.

Unset: SMS is off (pages say so, nothing is queued for it). Set: each message is one
``POST`` of JSON to that URL, in the shape the common Dutch gateways take (MessageBird's
``/messages``; CM.com and Spryng accept the same three fields through a small adapter):

    {"originator": "<EVENTOPS_SMS_SENDER>", "recipients": ["+31612345678"], "body": "<text>"}

with ``Authorization: AccessKey <EVENTOPS_SMS_TOKEN>`` when a token is set. Any 2xx answer is
a success; anything else (or no answer within 10 s) raises ``SmsError`` and the outbox tries
again later, with the same back-off and leases as mail.
"""

from __future__ import annotations

import re

import httpx


class SmsError(RuntimeError):
    pass


def normalise_phone(raw: str) -> str | None:
    """A Dutch or international number as +<digits> (06… → +316…), or None if it is not
    a phone number we can text."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+31" + digits[1:]
    return digits if re.fullmatch(r"\+[1-9][0-9]{7,14}", digits) else None


async def send_sms(url: str, *, sender: str, token: str, to: str, body: str,
                   timeout: float = 10.0) -> None:
    number = normalise_phone(to)
    if number is None:
        raise SmsError("not a phone number we can text")
    headers = {"Authorization": f"AccessKey {token}"} if token else {}
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            answer = await client.post(url, json={
                "originator": sender, "recipients": [number], "body": body}, headers=headers)
    except httpx.HTTPError as exc:
        raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
    if not 200 <= answer.status_code < 300:
        raise SmsError(f"gateway answered {answer.status_code}")
