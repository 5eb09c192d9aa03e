"""Limits on what a request may contain, checked once for every route.

JSON nested a thousand levels deep made the decoder give up with a ``RecursionError``,
answered as a 500 (found by an attack on a running instance). No request of ours nests
more than a few levels, so a body nested deeper than ``MAX_JSON_DEPTH`` is refused as a
bad request before it is decoded.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from event_ops.core.errors import DomainError

MAX_JSON_DEPTH = 32


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Does ``body`` open more than ``limit`` JSON arrays/objects inside each other?

    Counting brackets is done in C and costs nothing for a normal body: nesting can only be
    deeper than ``limit`` when there are more than ``limit`` opening brackets, and only then
    is the body walked (skipping brackets inside strings)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def refuse_deep_json(body: bytes) -> None:
    if json_too_deep(body):
        raise DomainError("bad_request",
                          f"The JSON in this request is nested more than {MAX_JSON_DEPTH} "
                          "levels deep.")


class BoundedRequest(Request):
    """The app's request class: ``json()`` refuses bodies nested too deeply (every JSON
    route's ``data`` is decoded through it)."""

    async def json(self) -> Any:
        refuse_deep_json(await self.body())
        return await super().json()
