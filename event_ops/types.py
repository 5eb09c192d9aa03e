"""Shared input types. A database id from outside is 1 … 2**31-1 (ids are SERIAL, 32-bit,
on PostgreSQL): anything else cannot exist, and would overflow the database driver (found
by fuzzing: a 500 instead of a 4xx)."""

from typing import Annotated

import msgspec

MAX_DB_ID = 2**31 - 1

DbId = Annotated[int, msgspec.Meta(ge=1, le=MAX_DB_ID)]
