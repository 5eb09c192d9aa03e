"""Badge signatures checked in the helper process (``badges.verifier``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from pathlib import Path

from nacl.signing import SigningKey

from badges.token import signature_ok
from badges.verifier import MAX_BATCH, Verifier


def _checks(n: int) -> list[tuple[bytes, bytes, bytes, bool]]:
    """n (public key, signed, signature, expected) with every third one forged."""
    key = SigningKey.generate()
    public = bytes(key.verify_key)
    out = []
    for i in range(n):
        signed = b"EO1" + i.to_bytes(4, "big") * 8
        signature = key.sign(signed).signature
        if i % 3 == 0:
            signature = bytes([signature[0] ^ 1]) + signature[1:]
        out.append((public, signed, signature, i % 3 != 0))
    return out


async def _until_child(verifier: Verifier) -> None:
    await verifier.check(*_checks(1)[0][:3])  # the first batch starts the child
    for _ in range(200):
        if verifier._transport is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the verifier child did not start")


async def test_child_gives_libsodiums_answers_for_batches_larger_than_a_frame():
    verifier = Verifier()
    try:
        await _until_child(verifier)
        checks = _checks(MAX_BATCH * 2 + 5)
        answers = await asyncio.gather(*(verifier.check(*c[:3]) for c in checks))
        assert answers == [c[3] for c in checks]
        assert answers == [signature_ok(*c[:3]) for c in checks]
        # Garbage never crashes the child: a short key is simply not a valid signature.
        assert await verifier.check(b"short", b"x", b"y" * 64) is False
        assert verifier._transport is not None  # still the same child
    finally:
        verifier.close()


async def test_checks_in_flight_when_the_child_dies_are_still_answered():
    verifier = Verifier()
    try:
        await _until_child(verifier)
        pid = verifier._transport.get_pid()
        checks = _checks(3 * MAX_BATCH)
        pending = [asyncio.ensure_future(verifier.check(*c[:3])) for c in checks]
        await asyncio.sleep(0)  # sent to the child
        os.kill(pid, signal.SIGKILL)
        answers = await asyncio.wait_for(asyncio.gather(*pending), 10)
        assert answers == [c[3] for c in checks]
        verifier._last_start -= 10  # skip the restart pause
        await _until_child(verifier)
        assert verifier._transport.get_pid() != pid  # a new child took over
    finally:
        verifier.close()


async def test_a_stuck_child_is_given_up_and_its_checks_answered_here(monkeypatch):
    monkeypatch.setattr("badges.verifier.ANSWER_SECONDS", 0.3)
    verifier = Verifier()
    try:
        await _until_child(verifier)
        pid = verifier._transport.get_pid()
        os.kill(pid, signal.SIGSTOP)
        checks = _checks(20)
        answers = await asyncio.wait_for(
            asyncio.gather(*(verifier.check(*c[:3]) for c in checks)), 5)
        assert answers == [c[3] for c in checks]
        assert verifier._transport is None  # that child was ended
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        verifier.close()


async def test_answers_when_no_child_can_be_started(monkeypatch):
    monkeypatch.setattr("badges.verifier.sys.executable", "/nonexistent/python")
    verifier = Verifier()
    try:
        for _ in range(3):  # the first batch tries to start a child; that fails
            checks = _checks(10)
            assert await asyncio.gather(*(verifier.check(*c[:3]) for c in checks)) == \
                [c[3] for c in checks]
            await asyncio.sleep(0.05)
        assert verifier._transport is None
    finally:
        verifier.close()


def _live_children() -> set[int]:
    alive = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                alive.add(int(entry))
    return alive


def test_the_child_of_a_closed_loop_ends_when_the_next_loop_checks():
    verifier = Verifier()
    before = _live_children()
    pids = []

    async def one() -> None:
        await _until_child(verifier)
        pids.append(verifier._transport.get_pid())

    asyncio.run(one())
    asyncio.run(one())  # a new loop: the first loop's child is ended
    try:
        assert pids[0] != pids[1]
        for _ in range(50):
            if pids[0] not in _live_children():
                break
            time.sleep(0.05)
        assert pids[0] not in _live_children()
    finally:
        verifier.close()  # its loop is closed too: ended by pid
        for pid in _live_children() - before:
            os.kill(pid, signal.SIGKILL)


async def test_a_second_loop_in_another_thread_checks_in_process():
    verifier = Verifier()
    try:
        await _until_child(verifier)
        checks = _checks(5)
        answers = await asyncio.to_thread(
            lambda: asyncio.run(_gather(verifier, checks)))  # another thread, another loop
        assert answers == [c[3] for c in checks]
        assert verifier._transport is not None  # this loop's child is untouched
        assert await verifier.check(*checks[1][:3]) is True
    finally:
        verifier.close()


async def _gather(verifier: Verifier, checks: list) -> list[bool]:
    return list(await asyncio.gather(*(verifier.check(*c[:3]) for c in checks)))
