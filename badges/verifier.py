"""Ed25519 badge signatures checked in a helper process, beside the event loop.

An Ed25519 check takes ~60 us in libsodium, a quarter of a whole check-in. Done on the event
loop it stops every other request meanwhile. Done on a thread it did not help (measured with
32 doors: 3,900 check-ins/s on a thread against 3,920/s on the loop, with 30 % more CPU):
after each check the thread needs the GIL back to hand the answer over, and waits for the
busy loop to let go of it. A child process has an interpreter and a GIL of its own.

How it works: every check asked for in one turn of the event loop goes to the child as one
frame over a pipe, and the answers come back as one frame, so the loop pays for one write
and one wake-up per batch (about 1 us a check), not per check. The loop goes on serving
requests while the child checks.

Contract (``Verifier``):

* ``await check(public_key, signed, signature)`` answers ``True`` exactly when
  ``signature`` is ``public_key``'s Ed25519 signature of ``signed`` (RFC 8032, libsodium's
  rules), the same answer as ``badges.token.signature_ok`` gives for the same bytes;
* the caller gets its answer only after the check ran, whatever happens to the child: if it
  cannot be started, dies, or leaves a frame unanswered for ``ANSWER_SECONDS`` (stopped,
  swapped out), the checks it had are run in this process instead, the child is ended, and
  a later batch starts a new one (at most one start per ``RESTART_SECONDS``);
* one child per process and event loop, started at the first check; it ends when the pipe
  closes (``close()``, or this process ends).

Frames, both ways: a 4-byte big-endian length, then MessagePack. To the child: an array of
``[public_key (32 bytes), signed, signature (64 bytes)]``; back: an array of booleans, one
per check, in the same order. Frames are answered in the order they were sent.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import signal
import struct
import subprocess
import sys
import time
from typing import Any

import msgspec

from badges.token import signature_ok

_LENGTH = struct.Struct(">I")
MAX_BATCH = 256  # checks per frame: a frame is answered in ~15 ms at most
RESTART_SECONDS = 5.0
# A frame of MAX_BATCH checks takes ~15 ms; an answer this late means the child is stuck.
ANSWER_SECONDS = 2.0

_encode = msgspec.msgpack.Encoder().encode
_decode_answers = msgspec.msgpack.Decoder(list[bool]).decode
_decode_checks = msgspec.msgpack.Decoder(list[tuple[bytes, bytes, bytes]]).decode

Check = tuple[bytes, bytes, bytes]


class _Batch:
    __slots__ = ("checks", "answers", "sent_at")

    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.answers: list[asyncio.Future[bool]] = []
        self.sent_at = 0.0


class _ChildProtocol(asyncio.SubprocessProtocol):
    def __init__(self, owner: Verifier) -> None:
        self.owner = owner
        self.buffer = bytearray()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if fd != 1:
            return
        self.buffer += data
        while len(self.buffer) >= 4:
            (size,) = _LENGTH.unpack_from(self.buffer)
            if len(self.buffer) < 4 + size:
                return
            frame = bytes(self.buffer[4:4 + size])
            del self.buffer[:4 + size]
            try:
                answers = _decode_answers(frame)
            except msgspec.DecodeError:
                answers = None  # not our child talking: give up on it
            self.owner._answered(self, answers)

    def process_exited(self) -> None:
        self.owner._child_gone(self)

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:
            self.owner._child_gone(self)


class Verifier:
    """See the module docstring for what MUST hold."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: _Batch | None = None
        self._in_flight: collections.deque[_Batch] = collections.deque()
        self._transport: asyncio.SubprocessTransport | None = None
        self._protocol: _ChildProtocol | None = None
        self._starting = False
        self._last_start = -RESTART_SECONDS
        self._watchdog: asyncio.TimerHandle | None = None
        # Children started in this process; every one after the first is a restart (/metrics).
        self.children_started = 0

    async def check(self, public_key: bytes, signed: bytes, signature: bytes) -> bool:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            if self._loop is not None and not self._loop.is_closed():
                # Another loop (another thread) still owns the child: check here.
                return signature_ok(public_key, signed, signature)
            self._switch_loop(loop)
        waiting = self._waiting
        if waiting is None:
            waiting = self._waiting = _Batch()
            loop.call_soon(self._send_waiting)
        answer: asyncio.Future[bool] = loop.create_future()
        waiting.checks.append((public_key, signed, signature))
        waiting.answers.append(answer)
        return await answer

    def _switch_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        # The old loop is closed (the tests and the CLI run several in a row): its child's
        # pipes cannot be closed through it any more, so end the child by its pid.
        self._drop_child()
        self._loop, self._waiting = loop, None
        self._in_flight.clear()
        self._starting = False
        self._last_start = -RESTART_SECONDS

    def _send_waiting(self) -> None:
        batch, self._waiting = self._waiting, None
        if batch is None:
            return
        transport = self._transport
        if transport is None:
            self._start_child()
            _answer_here(batch)  # this batch must not wait for a child to start
            return
        stdin = transport.get_pipe_transport(0)
        now = time.monotonic()
        for start in range(0, len(batch.checks), MAX_BATCH):
            part = _Batch()
            part.checks = batch.checks[start:start + MAX_BATCH]
            part.answers = batch.answers[start:start + MAX_BATCH]
            part.sent_at = now
            payload = _encode(part.checks)
            self._in_flight.append(part)
            # typeshed: get_pipe_transport() gives BaseTransport | None; pipe 0 is the child's
            # stdin, a WriteTransport (no cast: this is the verification hot path).
            stdin.write(_LENGTH.pack(len(payload)) + payload)  # type: ignore[union-attr]
        if self._watchdog is None:
            self._watch()

    def _watch(self) -> None:
        """Give up on a child that leaves its oldest frame unanswered for ANSWER_SECONDS."""
        self._watchdog = None
        if not self._in_flight or self._protocol is None:
            return
        late = time.monotonic() - self._in_flight[0].sent_at
        if late >= ANSWER_SECONDS:
            self._child_gone(self._protocol)
            return
        assert self._loop is not None
        self._watchdog = self._loop.call_later(ANSWER_SECONDS - late, self._watch)

    def _start_child(self) -> None:
        now = time.monotonic()
        if self._starting or now - self._last_start < RESTART_SECONDS:
            return
        self._starting, self._last_start = True, now
        loop = self._loop
        assert loop is not None

        async def start() -> None:
            try:
                transport, protocol = await loop.subprocess_exec(
                    lambda: _ChildProtocol(self), sys.executable, "-m", __name__,
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
                )
            except (OSError, RuntimeError):
                return  # checks go on in this process; the next batch tries again later
            finally:
                self._starting = False
            if self._loop is not loop:  # the loop changed while starting
                transport.close()
                return
            self._transport, self._protocol = transport, protocol
            self.children_started += 1

        loop.create_task(start())

    def _answered(self, protocol: _ChildProtocol, answers: list[bool] | None) -> None:
        if protocol is not self._protocol:
            return
        if answers is None or not self._in_flight or \
                len(answers) != len(self._in_flight[0].answers):
            # Out of step with what we sent (cannot happen with our child): trust none of
            # its answers; the checks in flight are done here.
            self._child_gone(protocol)
            return
        batch = self._in_flight.popleft()
        for future, ok in zip(batch.answers, answers, strict=True):
            if not future.done():
                future.set_result(ok)

    def _child_gone(self, protocol: _ChildProtocol) -> None:
        if protocol is not self._protocol:
            return
        self._drop_child()
        while self._in_flight:
            _answer_here(self._in_flight.popleft())

    def _drop_child(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        transport, self._transport, self._protocol = self._transport, None, None
        if transport is None:
            return
        try:
            transport.close()
        except RuntimeError:  # its loop is closed
            with contextlib.suppress(OSError, TypeError):
                os.kill(transport.get_pid(), signal.SIGKILL)

    def close(self) -> None:
        """End the child (the app's shutdown); checks asked for later start a new one."""
        if self._protocol is not None:
            self._child_gone(self._protocol)


def _answer_here(batch: _Batch) -> None:
    for check, future in zip(batch.checks, batch.answers, strict=True):
        if not future.done():
            future.set_result(signature_ok(*check))


verifier = Verifier()


def _serve(stdin: Any, stdout: Any) -> None:
    """The child: answer frames until the pipe closes."""
    while True:
        head = stdin.read(4)
        if len(head) < 4:
            return
        (size,) = _LENGTH.unpack(head)
        checks = _decode_checks(stdin.read(size))
        payload = _encode([signature_ok(*check) for check in checks])
        stdout.write(_LENGTH.pack(len(payload)) + payload)
        stdout.flush()


if __name__ == "__main__":
    # The answers go out on a copy of stdout; anything else that prints lands on stderr, so
    # it can never be read as an answer.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        _serve(sys.stdin.buffer, answers)
