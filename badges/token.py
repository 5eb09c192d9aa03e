"""The badge QR token: the one token format for the whole system, verifiable offline.

Format, version 1 (``EO1``)::

    token     = "EO1." + base64url_no_padding(payload || signature)      104 ASCII characters

    payload   = 11 bytes, all integers unsigned big-endian:
        offset  size  field             range
        0       4     event_id          0 .. 4_294_967_295
        4       4     registration_id   0 .. 4_294_967_295
        8       2     serial            0 .. 65_535   (bumped on re-issue)
        10      1     key_id            0 .. 255      (which of the event's keys signed)

    signature = 64 bytes, Ed25519(private key of (event_id, key_id), b"EO1." || payload)

Payload and signature are 75 bytes; 75 is a multiple of 3, so the base64url part is exactly
100 characters with no padding and no spare bits: every token has exactly one spelling, and
changing any character changes the decoded bytes. 4 + 100 = 104 characters, under the
contract's 120 and a version 6 QR code at error correction level M (byte mode).

The ASCII prefix is signed along with the payload, so a token cannot be relabelled as another
version. There is no personal data in the token: only the four database numbers above.

Anything that is not exactly that shape is ``invalid``: other prefixes or case, ``=`` padding,
standard-base64 ``+``/``/``, whitespace (callers must not rely on trimming), non-ASCII text.

A JavaScript verifier needs only: strip ``EO1.``, base64url-decode to 75 bytes, read the four
big-endian integers, pick the public key by (event_id, key_id), and check the Ed25519 signature
(WebCrypto ``Ed25519``, raw 32-byte key) over the 4 ASCII prefix bytes plus the 11 payload bytes.
"""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Container, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from nacl.bindings import crypto_sign_open
from nacl.exceptions import BadSignatureError, CryptoError

from badges.keys import KeyRing
from event_ops.core.caches import Cache
from event_ops.core.errors import DomainError

__all__ = [
    "INVALID",
    "MAX_EVENT_ID",
    "MAX_KEY_ID",
    "MAX_REGISTRATION_ID",
    "MAX_SERIAL",
    "NO_REVOCATIONS",
    "PREFIX",
    "REVOKED",
    "TOKEN_LENGTH",
    "WRONG_EVENT",
    "BadgeClaim",
    "RevocationList",
    "TokenError",
    "check_signature",
    "parse_token",
    "sign_token",
    "verify_token",
]

PREFIX = "EO1."
_PREFIX_BYTES = PREFIX.encode("ascii")
_PAYLOAD = struct.Struct(">IIHB")
PAYLOAD_LENGTH = _PAYLOAD.size  # 11
SIGNATURE_LENGTH = 64
TOKEN_LENGTH = len(PREFIX) + (PAYLOAD_LENGTH + SIGNATURE_LENGTH) * 4 // 3  # 104

MAX_EVENT_ID = 2**32 - 1
MAX_REGISTRATION_ID = 2**32 - 1
MAX_SERIAL = 2**16 - 1
MAX_KEY_ID = 2**8 - 1

# Machine-readable verdicts (``TokenError.code``).
INVALID = "invalid"
WRONG_EVENT = "wrong_event"
REVOKED = "revoked"

# Checked before decoding because base64.b64decode is lenient: it maps '+' and '/' as well as
# '-' and '_' and (without validate) skips unknown characters. An explicit ASCII class also
# keeps re from matching Unicode look-alikes. fullmatch, unlike '$', rejects a trailing '\n'.
_TOKEN_SHAPE = re.compile(r"EO1\.[A-Za-z0-9_-]{100}")


class TokenError(DomainError):
    """A badge token was refused. ``code`` is ``invalid``, ``wrong_event`` or ``revoked``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


@dataclass(frozen=True, slots=True)
class BadgeClaim:
    """What a badge token says. Only database numbers: no personal data."""

    event_id: int
    registration_id: int
    serial: int
    key_id: int

    def __post_init__(self) -> None:
        # Fail at construction so an unencodable claim never reaches signing.
        for name, value, top in (
            ("event_id", self.event_id, MAX_EVENT_ID),
            ("registration_id", self.registration_id, MAX_REGISTRATION_ID),
            ("serial", self.serial, MAX_SERIAL),
            ("key_id", self.key_id, MAX_KEY_ID),
        ):
            if type(value) is not int or not 0 <= value <= top:
                raise ValueError(f"{name} must be an int from 0 to {top}, got {value!r}")


class RevocationList:
    """Which badge serials no longer admit anyone, per registration id.

    Two kinds of entry, both "everything up to here is revoked":

    * ``current_serial[registration_id] = s``: the badge was re-issued; serials below ``s``
      are revoked (message: replaced by a newer badge).
    * ``cancelled[registration_id] = s``: the registration was cancelled while ``s`` was its
      current serial; serials up to and including ``s`` are revoked. Re-registering later
      issues ``s + 1`` (see ``people/registration.py``), which is then valid again.

    Contract: revocation only grows. Both updates keep the maximum, so a device that applies
    the same updates in any order, or twice, ends up with the same list, and nothing can
    un-revoke a serial. A snapshot from the database is simply
    ``current_serial = {id: badge_serial}`` and ``cancelled = {id: badge_serial}`` for
    cancelled registrations. Registration ids are unique across events (database keys).
    """

    __slots__ = ("_cancelled", "_current")

    def __init__(
        self,
        current_serial: Mapping[int, int] | None = None,
        cancelled: Mapping[int, int] | None = None,
    ) -> None:
        self._current: dict[int, int] = dict(current_serial or {})
        self._cancelled: dict[int, int] = dict(cancelled or {})

    def reissue(self, registration_id: int, serial: int) -> None:
        """``serial`` is the registration's badge now; older serials are revoked."""
        if serial > self._current.get(registration_id, -1):
            self._current[registration_id] = serial

    def cancel(self, registration_id: int, serial: int) -> None:
        """The registration was cancelled while ``serial`` was current."""
        if serial > self._cancelled.get(registration_id, -1):
            self._cancelled[registration_id] = serial

    def reason(self, registration_id: int, serial: int) -> str | None:
        """Why this serial is revoked, in words for people; ``None`` if it is not."""
        if serial < self._current.get(registration_id, -1):
            return "This badge has been replaced by a newer one. Please use the latest badge."
        if serial <= self._cancelled.get(registration_id, -1):
            return "This registration has been cancelled."
        return None

    def __contains__(self, item: object) -> bool:
        # Lets a RevocationList stand wherever a Container[(registration_id, serial)] does.
        if not isinstance(item, tuple) or len(item) != 2:
            return False
        return self.reason(item[0], item[1]) is not None

    def __repr__(self) -> str:
        return f"RevocationList(current_serial={self._current}, cancelled={self._cancelled})"


class _NoRevocations:
    """Default for ``verify_token``: immutable, so sharing one instance is safe."""

    __slots__ = ()

    def __contains__(self, item: object) -> bool:
        return False


NO_REVOCATIONS: Container[tuple[int, int]] = _NoRevocations()


def sign_token(claim: BadgeClaim, private_key: Ed25519PrivateKey) -> str:
    """The token for ``claim``, signed with the event's key number ``claim.key_id``.

    The caller must pass the private key that ``(claim.event_id, claim.key_id)`` names;
    otherwise the token will simply not verify.
    """
    signed = _PREFIX_BYTES + _PAYLOAD.pack(
        claim.event_id, claim.registration_id, claim.serial, claim.key_id
    )
    body = signed[len(_PREFIX_BYTES) :] + private_key.sign(signed)
    return PREFIX + base64.urlsafe_b64encode(body).decode("ascii")


def parse_token(token: str) -> tuple[BadgeClaim, bytes, bytes]:
    """Decode without verifying: ``(claim, signed_bytes, signature)``.

    The claim is unauthenticated until the signature is checked against ``signed_bytes``; use
    :func:`verify_token` unless you are building a verifier. Raises ``TokenError("invalid")``
    for anything that is not a well-formed token, and nothing else, whatever the input.
    """
    if type(token) is not str or _TOKEN_SHAPE.fullmatch(token) is None:
        raise TokenError(INVALID, "This is not an event-ops badge code.")
    # The shape check guarantees 100 alphabet characters, so this cannot fail or skip input.
    raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
    event_id, registration_id, serial, key_id = _PAYLOAD.unpack_from(raw)
    claim = BadgeClaim(event_id, registration_id, serial, key_id)
    return claim, _PREFIX_BYTES + raw[:PAYLOAD_LENGTH], raw[PAYLOAD_LENGTH:]


# Raw public key bytes per loaded key object, for libsodium. Key objects are not hashable, so
# the entry is found by id() and holds the object itself, which keeps that id from being reused.
_raw_keys: Cache[int, tuple[Ed25519PublicKey, bytes]] = Cache("badges.raw_public_keys",
                                                               maxsize=1024)


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    hit = _raw_keys.get(id(key))
    if hit is not None and hit[0] is key:
        return hit[1]
    raw = key.public_bytes_raw()
    _raw_keys.put(id(key), (key, raw))
    return raw


def signature_ok(public_key: bytes, signed: bytes, signature: bytes) -> bool:
    """Is ``signature`` the Ed25519 signature of ``signed`` by the raw ``public_key``?

    libsodium (PyNaCl) checks the signature: 2x faster than OpenSSL's Ed25519 here (about
    60 against 105 us), and this runs for every scan. It follows RFC 8032 and is, if
    anything, stricter (it also refuses small-order keys and points); for every badge we
    sign both give the same answer.
    """
    try:
        crypto_sign_open(signature + signed, public_key)
    except (BadSignatureError, CryptoError, ValueError, TypeError):
        return False
    return True


NO_KEY = "This badge was signed with a key this device does not know or no longer accepts."
BAD_SIGNATURE = "This badge code has been altered or was not issued by event-ops."


def check_signature(key: Ed25519PublicKey | None, signed: bytes, signature: bytes) -> None:
    """Raise ``TokenError("invalid")`` unless ``signature`` is ``key``'s Ed25519 signature of
    ``signed`` (``key`` None: no usable key for the token's name)."""
    if key is None:
        raise TokenError(INVALID, NO_KEY)
    if not signature_ok(raw_public_key(key), signed, signature):
        raise TokenError(INVALID, BAD_SIGNATURE)


def verify_token(
    token: str,
    public_keys: Mapping[tuple[int, int], Ed25519PublicKey] | KeyRing,
    *,
    event_id: int | None = None,
    revoked: Container[tuple[int, int]] | RevocationList = NO_REVOCATIONS,
) -> BadgeClaim:
    """Check a scanned token offline, with public keys only; return its claim if it admits.

    ``public_keys`` maps ``(event_id, key_id)`` to a loaded key (a :class:`KeyRing` leaves out
    retired keys). ``event_id`` is the event at this door: door devices must pass it; ``None``
    skips the check (admin tools). ``revoked`` is a :class:`RevocationList`, or any container
    of ``(registration_id, serial)`` pairs.

    Verdicts, in the order they are decided, as ``TokenError.code``:

    * ``invalid``: malformed, no usable key for (event_id, key_id), or a bad signature. Nothing
      in the claim except the key lookup is trusted before the signature checks out, so a
      device that only holds its own event's keys says ``invalid`` for other events' badges.
    * ``wrong_event``: genuine, but for another event than ``event_id``.
    * ``revoked``: genuine, but re-issued since (older serial) or cancelled.
    """
    claim, signed, signature = parse_token(token)
    check_signature(public_keys.get((claim.event_id, claim.key_id)), signed, signature)
    if event_id is not None and claim.event_id != event_id:
        raise TokenError(WRONG_EVENT, "This badge is for a different event.")
    if isinstance(revoked, RevocationList):
        reason = revoked.reason(claim.registration_id, claim.serial)
        if reason is not None:
            raise TokenError(REVOKED, reason)
    elif (claim.registration_id, claim.serial) in revoked:
        raise TokenError(REVOKED, "This badge has been revoked.")
    return claim
