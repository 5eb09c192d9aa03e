"""Sending over real SMTP, configured by ``EVENTOPS_SMTP_URL``.

``smtp://[user:pass@]host[:port]`` (plain), ``smtp+starttls://…`` (upgrade with STARTTLS),
``smtps://…`` (TLS from the start).
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class SmtpConfigError(ValueError):
    pass


def _send_sync(url: str, message: EmailMessage, timeout: float) -> None:
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise SmtpConfigError("EVENTOPS_SMTP_URL must start with smtp://, smtps:// or smtp+starttls://")
    host = parts.hostname or "localhost"
    port = parts.port or (465 if scheme == "smtps" else 25)
    client: smtplib.SMTP
    if scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if scheme == "smtp+starttls":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


async def send_message(url: str, message: EmailMessage, *, timeout: float = 15.0) -> None:
    # smtplib blocks; run it in a thread so the event loop keeps serving requests.
    await asyncio.to_thread(_send_sync, url, message, timeout)
