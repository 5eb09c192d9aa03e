"""Shared input types. A database id from outside is 1 … 2**31-1 (ids are SERIAL, 32-bit,
on PostgreSQL): anything else cannot exist, and would overflow the database driver (found
by fuzzing: a 500 instead of a 4xx)."""

from typing import Annotated

import msgspec

MAX_DB_ID = 2**31 - 1

DbId = Annotated[int, msgspec.Meta(ge=1, le=MAX_DB_ID)]


def parse_db_id(text: str) -> int | None:
    """A database id written in text (a secret link's head, a form field's name or value):
    the number if it is one of 1 … MAX_DB_ID in plain ASCII digits, else None. The one
    place ids from outside are read, so none reaches the driver out of range (asyncpg
    refuses numbers past 32 bits with an error, which answered 500)."""
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_DB_ID else None
