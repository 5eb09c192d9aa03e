"""Badge token codec, offline verification, revocation and key handling (badges/)."""

from __future__ import annotations

import base64
import dataclasses
import string
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badges.keys import (
    BLOB_LENGTH,
    KeyDecryptionError,
    KeyRing,
    decrypt_private_key,
    encrypt_private_key,
    generate_keypair,
    load_public_key,
    load_public_key_b64,
    public_key_b64,
)
from badges.token import (
    MAX_EVENT_ID,
    MAX_KEY_ID,
    MAX_REGISTRATION_ID,
    MAX_SERIAL,
    PREFIX,
    TOKEN_LENGTH,
    BadgeClaim,
    RevocationList,
    TokenError,
    parse_token,
    sign_token,
    verify_token,
)
from event_ops.core.errors import DomainError

B64URL = string.ascii_letters + string.digits + "-_"
SECRET = "test-secret-0123456789abcdef-not-for-production"

# Crypto per example is ~0.1 ms but the first call warms OpenSSL up; deadlines would flake.
crypto_settings = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _raw_public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def _private(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


# One private key per (event_id, key_id) name, deterministic so failures reproduce.
KEYS: dict[tuple[int, int], Ed25519PrivateKey] = {
    (1, 0): _private(10),
    (1, 1): _private(11),
    (2, 0): _private(20),
    (MAX_EVENT_ID, MAX_KEY_ID): _private(99),
}


def _ring() -> KeyRing:
    ring = KeyRing()
    for (event_id, key_id), private in KEYS.items():
        ring.add(event_id, key_id, _raw_public(private))
    return ring


RING = _ring()


def _token(event_id: int = 1, registration_id: int = 42, serial: int = 1, key_id: int = 0) -> str:
    claim = BadgeClaim(event_id, registration_id, serial, key_id)
    return sign_token(claim, KEYS[(event_id, key_id)])


claims = st.builds(
    BadgeClaim,
    event_id=st.integers(0, MAX_EVENT_ID),
    registration_id=st.integers(0, MAX_REGISTRATION_ID),
    serial=st.integers(0, MAX_SERIAL),
    key_id=st.integers(0, MAX_KEY_ID),
)
# Claims whose key is in RING, so the whole verify path runs.
signable = st.builds(
    lambda name, registration_id, serial: BadgeClaim(name[0], registration_id, serial, name[1]),
    st.sampled_from(sorted(KEYS)),
    st.integers(0, MAX_REGISTRATION_ID),
    st.integers(0, MAX_SERIAL),
)


def _code(token: object, **kwargs: object) -> str:
    with pytest.raises(TokenError) as caught:
        verify_token(token, RING, **kwargs)  # type: ignore[arg-type]
    return caught.value.code


# --- format ------------------------------------------------------------------------------


def test_round_trip() -> None:
    claim = BadgeClaim(event_id=1, registration_id=42, serial=3, key_id=1)
    token = sign_token(claim, KEYS[(1, 1)])
    assert verify_token(token, RING, event_id=1) == claim
    parsed, signed, signature = parse_token(token)
    assert parsed == claim
    assert len(signed) == 4 + 11 and len(signature) == 64
    KEYS[(1, 1)].public_key().verify(signature, signed)


def test_golden_vector_pins_the_byte_layout() -> None:
    # Ed25519 is deterministic, so this exact string is the format. A JS verifier can use it.
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    assert public_key_b64(_raw_public(private)) == "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
    token = sign_token(BadgeClaim(7, 123456, 2, 1), private)
    assert token == (
        "EO1.AAAABwAB4kAAAgHnK05kJEsUuIE4JTJFbQrRqkZk2Xx7WqdTDWJDrHpwQ4NS5gpF_NcUhoSxXfkF2RVZQT2H"
        "KzxjuW9EY6cJt1kB"
    )
    raw = base64.urlsafe_b64decode(token[4:])
    assert len(raw) == 75
    assert raw[:11] == bytes.fromhex("000000070001e240000201")
    private.public_key().verify(raw[11:], b"EO1." + raw[:11])


def test_max_values_fit_and_length_is_fixed() -> None:
    token = _token(MAX_EVENT_ID, MAX_REGISTRATION_ID, MAX_SERIAL, MAX_KEY_ID)
    assert len(token) == TOKEN_LENGTH == 104 <= 120
    assert len(_token(1, 0, 0, 0)) == TOKEN_LENGTH
    assert verify_token(token, RING).serial == MAX_SERIAL


def test_claim_holds_only_numbers() -> None:
    # No personal data can get into a token: the claim has four integer fields and no more.
    assert [(f.name, f.type) for f in dataclasses.fields(BadgeClaim)] == [
        ("event_id", "int"),
        ("registration_id", "int"),
        ("serial", "int"),
        ("key_id", "int"),
    ]


@pytest.mark.parametrize(
    "fields",
    [
        (-1, 1, 1, 0),
        (MAX_EVENT_ID + 1, 1, 1, 0),
        (1, MAX_REGISTRATION_ID + 1, 1, 0),
        (1, 1, MAX_SERIAL + 1, 0),
        (1, 1, 1, MAX_KEY_ID + 1),
        (1, 1, True, 0),
        (1.0, 1, 1, 0),
    ],
)
def test_out_of_range_claim_is_refused_before_signing(fields: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        BadgeClaim(*fields)


@crypto_settings
@given(claims)
def test_any_claim_in_range_round_trips(claim: BadgeClaim) -> None:
    private = _private(1)
    token = sign_token(claim, private)
    assert len(token) == TOKEN_LENGTH and token.startswith(PREFIX)
    assert set(token[4:]) <= set(B64URL)
    parsed, signed, signature = parse_token(token)
    assert parsed == claim
    keys = {(claim.event_id, claim.key_id): private.public_key()}
    assert verify_token(token, keys, event_id=claim.event_id) == claim


# --- tampering and garbage -----------------------------------------------------------------


@crypto_settings
@given(signable, st.data())
def test_changing_any_one_character_is_invalid(claim: BadgeClaim, data: st.DataObject) -> None:
    token = sign_token(claim, KEYS[(claim.event_id, claim.key_id)])
    position = data.draw(st.integers(0, len(token) - 1), label="position")
    replacement = data.draw(
        st.one_of(st.sampled_from(B64URL + ".=+/ \n"), st.characters()).filter(
            lambda c: c != token[position]
        ),
        label="replacement",
    )
    changed = token[:position] + replacement + token[position + 1 :]
    # Never another valid claim, and never wrong_event/revoked: those need a good signature.
    assert _code(changed) == "invalid"
    assert _code(changed, event_id=claim.event_id) == "invalid"


def test_payload_swapped_onto_another_events_key_is_invalid() -> None:
    # Re-label a genuine event-1 token as event 2 (whose key the ring holds): signature fails.
    raw = bytearray(base64.urlsafe_b64decode(_token(1, 42, 1, 0)[4:]))
    raw[0:4] = (2).to_bytes(4, "big")
    forged = PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode()
    assert _code(forged) == "invalid"
    assert _code(forged, event_id=2) == "invalid"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: "",
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t + "\n",
        lambda t: " " + t,
        lambda t: t[:50] + " " + t[51:],
        lambda t: "eo1." + t[4:],
        lambda t: "EO2." + t[4:],
        lambda t: "EO1:" + t[4:],
        lambda t: t[4:],
        lambda t: t + "==",
        lambda t: t.replace("-", "+").replace("_", "/"),
        lambda t: t[:-1] + "\uff21",  # fullwidth A: a Unicode "letter", not base64url
        lambda t: t[:-1] + "\u0661",  # Arabic-Indic digit one: a Unicode "digit"
        lambda t: t[:-1] + "\x00",
        lambda t: t.encode(),
        lambda t: None,
        lambda t: 12345,
    ],
)
def test_malformed_tokens_are_invalid(mangle: Callable[[str], object]) -> None:
    # The standard-alphabet variant only differs if the token has '-' or '_': pick one that does.
    token = next(t for t in (_token(1, 42, s) for s in range(1, 50)) if "-" in t or "_" in t)
    with pytest.raises(TokenError) as caught:
        parse_token(mangle(token))
    assert caught.value.code == "invalid"
    assert _code(mangle(token)) == "invalid"


near_tokens = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["EO1.", "EO1", "eo1.", ""]),
    st.text(alphabet=st.sampled_from(B64URL + "=+/. \n\u00e9\uff21"), min_size=95, max_size=105),
)


@settings(max_examples=500)
@given(st.one_of(st.text(), near_tokens))
def test_arbitrary_text_only_ever_raises_token_error(text: str) -> None:
    for call in (lambda: parse_token(text), lambda: verify_token(text, RING, event_id=1)):
        try:
            call()
        except TokenError as error:
            assert error.code == "invalid"
            assert isinstance(error.message, str) and error.message


def test_unknown_key_is_invalid() -> None:
    token = sign_token(BadgeClaim(3, 42, 1, 0), _private(30))
    assert _code(token) == "invalid"


def test_right_name_wrong_private_key_is_invalid() -> None:
    token = sign_token(BadgeClaim(1, 42, 1, 0), KEYS[(2, 0)])
    assert _code(token) == "invalid"


# --- verdicts ------------------------------------------------------------------------------


def test_other_event_is_wrong_event() -> None:
    token = _token(event_id=2)
    assert verify_token(token, RING, event_id=2).event_id == 2
    assert _code(token, event_id=1) == "wrong_event"


def test_other_event_without_its_key_is_invalid_not_wrong_event() -> None:
    # A door device that only holds its own event's keys cannot vouch for other events' badges.
    only_event_1 = {name: key for name, key in RING.items() if name[0] == 1}
    with pytest.raises(TokenError) as caught:
        verify_token(_token(event_id=2), only_event_1, event_id=1)
    assert caught.value.code == "invalid"


def test_wrong_event_is_decided_before_revocation() -> None:
    revoked = RevocationList(cancelled={42: 5})
    assert _code(_token(event_id=2, serial=1), event_id=1, revoked=revoked) == "wrong_event"


def test_reissue_revokes_older_serials() -> None:
    revoked = RevocationList(current_serial={42: 3})
    assert _code(_token(serial=2), revoked=revoked) == "revoked"
    assert verify_token(_token(serial=3), RING, revoked=revoked).serial == 3
    assert verify_token(_token(serial=4), RING, revoked=revoked).serial == 4
    # Other registrations are untouched.
    assert verify_token(_token(registration_id=43, serial=1), RING, revoked=revoked)


def test_cancel_revokes_until_reregistration() -> None:
    revoked = RevocationList()
    revoked.cancel(42, 2)
    assert _code(_token(serial=2), revoked=revoked) == "revoked"
    assert _code(_token(serial=1), revoked=revoked) == "revoked"
    # Re-registering issues serial 3 (people/registration.py bumps badge_serial).
    revoked.reissue(42, 3)
    assert verify_token(_token(serial=3), RING, revoked=revoked).serial == 3
    assert _code(_token(serial=2), revoked=revoked) == "revoked"


def test_revocation_only_grows_whatever_the_order() -> None:
    updates = [("reissue", 42, 2), ("cancel", 42, 2), ("reissue", 42, 3), ("reissue", 42, 1)]
    one, other = RevocationList(), RevocationList()
    for kind, registration_id, serial in updates:
        getattr(one, kind)(registration_id, serial)
    for kind, registration_id, serial in reversed(updates):
        getattr(other, kind)(registration_id, serial)
    for serial in range(6):
        assert ((42, serial) in one) == ((42, serial) in other) == (serial < 3)


def test_plain_container_of_pairs_revokes() -> None:
    assert _code(_token(serial=1), revoked={(42, 1)}) == "revoked"
    assert verify_token(_token(serial=2), RING, revoked={(42, 1)}).serial == 2


def test_token_error_is_a_domain_error_with_code_and_message() -> None:
    with pytest.raises(DomainError) as caught:
        verify_token(_token(event_id=2), RING, event_id=1)
    assert caught.value.code == "wrong_event"
    assert caught.value.message == "This badge is for a different event."


# --- key ring --------------------------------------------------------------------------------


def test_rotated_key_still_verifies_until_retired() -> None:
    ring = KeyRing()
    old_private, old_public = generate_keypair()
    new_private, new_public = generate_keypair()
    ring.add(5, 0, old_public)
    old_token = sign_token(
        BadgeClaim(5, 42, 1, 0), Ed25519PrivateKey.from_private_bytes(old_private)
    )
    ring.add(5, 1, new_public)  # rotation: new badges get key 1
    new_token = sign_token(
        BadgeClaim(5, 43, 1, 1), Ed25519PrivateKey.from_private_bytes(new_private)
    )
    assert verify_token(old_token, ring, event_id=5).key_id == 0
    assert verify_token(new_token, ring, event_id=5).key_id == 1

    ring.retire(5, 0)
    with pytest.raises(TokenError) as caught:
        verify_token(old_token, ring, event_id=5)
    assert caught.value.code == "invalid"
    assert verify_token(new_token, ring, event_id=5).key_id == 1
    assert ring.public_keys_b64(5) == {1: public_key_b64(new_public)}


def test_key_ring_contract() -> None:
    ring = KeyRing()
    _, public = generate_keypair()
    _, other = generate_keypair()
    ring.add(1, 0, public)
    ring.add(1, 0, public)  # reloading the same key is fine
    ring.add(1, 0, load_public_key(public))
    with pytest.raises(ValueError):
        ring.add(1, 0, other)  # a name means one key forever
    ring.retire(1, 0)
    assert (1, 0) not in ring and len(ring) == 0 and ring.is_retired(1, 0)
    with pytest.raises(ValueError):
        ring.add(1, 0, public)  # retirement is permanent
    with pytest.raises(ValueError):
        ring.add(1, 0, other)
    ring.retire(1, 7)  # retiring a name never used still blocks it
    with pytest.raises(ValueError):
        ring.add(1, 7, other)


# --- keys at rest ------------------------------------------------------------------------------


def test_private_key_encryption_round_trip() -> None:
    private_raw, public_raw = generate_keypair()
    assert len(private_raw) == len(public_raw) == 32
    blob = encrypt_private_key(private_raw, SECRET)
    assert len(blob) == BLOB_LENGTH == 61 and blob[0] == 1
    assert private_raw not in blob
    assert encrypt_private_key(private_raw, SECRET) != blob  # fresh nonce every time
    private = decrypt_private_key(blob, SECRET)
    token = sign_token(BadgeClaim(9, 1, 1, 0), private)
    assert verify_token(token, {(9, 0): load_public_key(public_raw)}).event_id == 9


def test_wrong_secret_is_a_clear_error() -> None:
    blob = encrypt_private_key(generate_keypair()[0], SECRET)
    with pytest.raises(KeyDecryptionError, match="EVENTOPS_SECRET_KEY"):
        decrypt_private_key(blob, SECRET + "x")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b[:-1],
        lambda b: b + b"\x00",
        lambda b: bytes([2]) + b[1:],
        lambda b: b[:5] + bytes([b[5] ^ 1]) + b[6:],
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),
    ],
)
def test_corrupt_blob_is_refused(mangle: Callable[[bytes], bytes]) -> None:
    blob = encrypt_private_key(generate_keypair()[0], SECRET)
    with pytest.raises(KeyDecryptionError):
        decrypt_private_key(mangle(blob), SECRET)


def test_empty_secret_and_bad_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        encrypt_private_key(generate_keypair()[0], "")
    with pytest.raises(ValueError):
        encrypt_private_key(b"short", SECRET)
    with pytest.raises(ValueError):
        load_public_key(b"short")


def test_public_key_b64_round_trip_and_strictness() -> None:
    _, public_raw = generate_keypair()
    text = public_key_b64(public_raw)
    assert len(text) == 43 and "=" not in text and set(text) <= set(B64URL)
    assert load_public_key_b64(text) is load_public_key(public_raw)  # cached object
    for bad in (text + "=", text[:-1], " " + text[1:], text.replace("-", "+").replace("_", "/")):
        if bad != text:
            with pytest.raises(ValueError):
                load_public_key_b64(bad)
