"""Badge signing keys: generation, encryption at rest, public-key loading and the key ring.

Private keys live in the database only encrypted. The key that encrypts them is derived from
the app secret (``EVENTOPS_SECRET_KEY``) so a database dump alone cannot mint badges.

Stored private key blob (61 bytes)::

    offset  size  field
    0       1     format version, 0x01
    1       12    AES-GCM nonce, random per encryption
    13      48    AES-256-GCM ciphertext of the 32 raw Ed25519 private bytes + 16-byte tag

    AES key  = HKDF-SHA256(secret UTF-8, salt=_KDF_SALT, info=b"event-ops badge key v1", 32)
    AAD      = the version byte, so a blob cannot be relabelled as another version.

HKDF does not stretch a weak password: ``EVENTOPS_SECRET_KEY`` must be a high-entropy random
string (as it already must be for the HMAC links in ``event_ops/links.py``). Changing the secret
makes existing blobs undecryptable: re-encrypt them (decrypt with old, encrypt with new) first.

Public keys are 32 raw bytes; devices and the browser verifier get them as unpadded base64url
(43 characters) via :func:`public_key_b64`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from collections.abc import Iterator, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "BLOB_LENGTH",
    "BLOB_VERSION",
    "KeyDecryptionError",
    "KeyRing",
    "decrypt_private_key",
    "encrypt_private_key",
    "generate_keypair",
    "load_public_key",
    "load_public_key_b64",
    "public_key_b64",
]

BLOB_VERSION = 1
_VERSION_BYTE = bytes([BLOB_VERSION])
_NONCE_LEN = 12
_RAW_KEY_LEN = 32
_TAG_LEN = 16
BLOB_LENGTH = 1 + _NONCE_LEN + _RAW_KEY_LEN + _TAG_LEN  # 61
# Fixed per purpose: any other use of the app secret must pick its own salt/info, so that the
# derived keys are independent.
_KDF_SALT = b"event-ops/badges/private-key-encryption"
_KDF_INFO = b"event-ops badge key v1"


class KeyDecryptionError(Exception):
    """A stored private key could not be decrypted: wrong secret, or a corrupt blob.

    This is an operator problem (configuration or data), not a visitor-facing one, so it is
    deliberately not a ``DomainError``.
    """


def generate_keypair() -> tuple[bytes, bytes]:
    """A fresh Ed25519 key pair as ``(private_raw, public_raw)``, 32 bytes each."""
    private = Ed25519PrivateKey.generate()
    private_raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private_raw, public_raw


def _derive_aes_key(secret: str) -> bytes:
    if not secret:
        raise ValueError("the secret used to encrypt badge keys must not be empty")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_KDF_SALT, info=_KDF_INFO).derive(
        secret.encode("utf-8")
    )


def encrypt_private_key(raw: bytes, secret: str) -> bytes:
    """Encrypt 32 raw private bytes with a key derived from ``secret`` (layout: module doc)."""
    if len(raw) != _RAW_KEY_LEN:
        raise ValueError(f"an Ed25519 private key is {_RAW_KEY_LEN} raw bytes, got {len(raw)}")
    nonce = os.urandom(_NONCE_LEN)
    sealed = AESGCM(_derive_aes_key(secret)).encrypt(nonce, bytes(raw), _VERSION_BYTE)
    return _VERSION_BYTE + nonce + sealed


def decrypt_private_key(blob: bytes, secret: str) -> Ed25519PrivateKey:
    """The private key sealed in ``blob``; :class:`KeyDecryptionError` if that is impossible."""
    if len(blob) != BLOB_LENGTH:
        raise KeyDecryptionError(
            f"stored badge key has {len(blob)} bytes, expected {BLOB_LENGTH}: it is corrupt"
        )
    if blob[0] != BLOB_VERSION:
        raise KeyDecryptionError(f"stored badge key has unknown format version {blob[0]}")
    nonce = blob[1 : 1 + _NONCE_LEN]
    try:
        raw = AESGCM(_derive_aes_key(secret)).decrypt(nonce, blob[1 + _NONCE_LEN :], blob[:1])
    except InvalidTag:
        raise KeyDecryptionError(
            "cannot decrypt the badge signing key: EVENTOPS_SECRET_KEY is not the one it was "
            "encrypted with, or the stored key is corrupt"
        ) from None
    return Ed25519PrivateKey.from_private_bytes(raw)


# Loading is cheap but not free, and the same handful of keys is loaded over and over by
# request handlers; bytes are hashable, so cache by raw value.
@functools.lru_cache(maxsize=1024)
def load_public_key(raw: bytes) -> Ed25519PublicKey:
    """The public key object for 32 raw bytes (cached). ``ValueError`` if the length is wrong."""
    if len(raw) != _RAW_KEY_LEN:
        raise ValueError(f"an Ed25519 public key is {_RAW_KEY_LEN} raw bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(bytes(raw))


def public_key_b64(raw: bytes) -> str:
    """Unpadded base64url of 32 raw public bytes (43 characters), for devices and browsers."""
    if len(raw) != _RAW_KEY_LEN:
        raise ValueError(f"an Ed25519 public key is {_RAW_KEY_LEN} raw bytes, got {len(raw)}")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def load_public_key_b64(text: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_b64`. ``ValueError`` if ``text`` is not such a key."""
    if len(text) != 43 or not text.isascii():
        raise ValueError("a public key is 43 base64url characters")
    try:
        raw = base64.b64decode(text + "=", altchars=b"-_", validate=True)
    except binascii.Error:
        raise ValueError("a public key is 43 base64url characters") from None
    # b64decode with altchars also accepts '+' and '/', and the last character may carry
    # stray bits; re-encoding rejects both so each key has exactly one text form.
    if public_key_b64(raw) != text:
        raise ValueError("public key is not in canonical unpadded base64url")
    return load_public_key(raw)


class KeyRing(Mapping[tuple[int, int], Ed25519PublicKey]):
    """Public badge keys by ``(event_id, key_id)``, as a read-only mapping of the usable ones.

    Contract (what MUST hold):

    * A ``(event_id, key_id)`` names one key forever. Adding a *different* key under a name
      already used (active or retired) raises ``ValueError``; re-adding the same key is a no-op,
      so reloading from the database is safe.
    * Retirement is permanent: a retired key is absent from the mapping (so tokens signed with
      it come out ``invalid``) and can never be added back.
    * Rotation is just adding a new key id: older, not-yet-retired keys keep verifying, so
      badges already printed or mailed stay good until their key is retired.
    * Only public keys go in here; a ring can be given to any offline device.
    """

    __slots__ = ("_active", "_retired")

    def __init__(self) -> None:
        self._active: dict[tuple[int, int], Ed25519PublicKey] = {}
        # Raw bytes of retired keys too, so a name can't be re-used for another key.
        self._retired: dict[tuple[int, int], bytes] = {}

    def add(self, event_id: int, key_id: int, public_key: bytes | Ed25519PublicKey) -> None:
        """Make a public key usable for verification (see the class contract)."""
        if isinstance(public_key, Ed25519PublicKey):
            loaded = public_key
            raw = public_key.public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        else:
            raw = bytes(public_key)
            loaded = load_public_key(raw)
        name = (event_id, key_id)
        if name in self._retired:
            raise ValueError(f"key {key_id} of event {event_id} is retired and cannot return")
        current = self._active.get(name)
        if current is not None:
            if (
                current.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
                != raw
            ):
                raise ValueError(f"key {key_id} of event {event_id} already names another key")
            return
        self._active[name] = loaded

    def retire(self, event_id: int, key_id: int) -> None:
        """Stop verifying with this key, for good. Retiring an unknown name still blocks it."""
        name = (event_id, key_id)
        current = self._active.pop(name, None)
        if name in self._retired:
            return
        self._retired[name] = (
            b""
            if current is None
            else current.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )

    def is_retired(self, event_id: int, key_id: int) -> bool:
        return (event_id, key_id) in self._retired

    def public_keys_b64(self, event_id: int) -> dict[int, str]:
        """Active keys of one event as ``{key_id: base64url}``, what a door device downloads."""
        return {
            key_id: public_key_b64(
                key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            )
            for (ev, key_id), key in self._active.items()
            if ev == event_id
        }

    # Mapping protocol over the active keys only. ``get`` is overridden because the inherited
    # one goes through ``__getitem__`` and a KeyError, and it is on the verification hot path.
    # (Narrower than Mapping.get, whose default may be of any type: hence the ignore.)
    def get(  # type: ignore[override]
        self, key: tuple[int, int], default: Ed25519PublicKey | None = None
    ) -> Ed25519PublicKey | None:
        return self._active.get(key, default)

    def __getitem__(self, key: tuple[int, int]) -> Ed25519PublicKey:
        return self._active[key]

    def __contains__(self, key: object) -> bool:
        return key in self._active

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._active)

    def __len__(self) -> int:
        return len(self._active)

    def __repr__(self) -> str:
        return f"KeyRing(active={sorted(self._active)}, retired={sorted(self._retired)})"
