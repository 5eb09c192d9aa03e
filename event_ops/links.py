"""Secret links: ``<id>.<mac>`` where mac = HMAC-SHA256(secret key, purpose, id, version).

Nothing is stored, so nothing can leak from the database; bumping ``version`` (or the
secret key) invalidates every link sent so far. The mac is 32 bytes (43 base64url
characters): unguessable. The id in front is a database number, not personal data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from event_ops.types import parse_db_id

PURPOSE_VISITOR_PAGE = "visitor-page"
PURPOSE_BADGE = "badge"
PURPOSE_STAND = "stand"


def _mac(secret: str, purpose: str, object_id: int, version: int) -> str:
    digest = hmac.new(
        secret.encode(), f"{purpose}:{object_id}:{version}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_link_token(secret: str, purpose: str, object_id: int, version: int = 1) -> str:
    return f"{object_id}.{_mac(secret, purpose, object_id, version)}"


def link_token_id(token: str) -> int | None:
    """The id a token claims, before checking it (None if it is not even shaped right)."""
    head, sep, mac = token.partition(".")
    if not sep or len(mac) != 43:
        return None
    return parse_db_id(head)


def check_link_token(secret: str, purpose: str, token: str, version: int = 1) -> bool:
    object_id = link_token_id(token)
    if object_id is None:
        return False
    expected = make_link_token(secret, purpose, object_id, version)
    return hmac.compare_digest(expected.encode(), token.encode())


PURPOSE_REGISTERED = "registered"


def make_expiring_token(secret: str, purpose: str, object_id: int, expires_at: int) -> str:
    """``<id>.<expires>.<mac>``: a secret link that stops working at ``expires_at`` (Unix
    seconds). The expiry is part of the mac, so it cannot be stretched."""
    mac = _mac(secret, purpose, object_id, expires_at)
    return f"{object_id}.{expires_at}.{mac}"


def check_expiring_token(secret: str, purpose: str, token: str, now: int) -> int | None:
    """The id of a valid, unexpired token made by :func:`make_expiring_token`, else None."""
    head, sep, rest = token.partition(".")
    expires, sep2, mac = rest.partition(".")
    if not (sep and sep2 and head.isdigit() and expires.isdigit()) or len(head) > 12 \
            or len(expires) > 12 or len(mac) != 43:
        return None
    object_id, expires_at = int(head), int(expires)
    if expires_at < now:
        return None
    expected = _mac(secret, purpose, object_id, expires_at)
    return object_id if hmac.compare_digest(expected.encode(), mac.encode()) else None
