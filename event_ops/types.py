"""Shared input types. A database id from outside is 1 … 2**63-1: anything else cannot
exist, and would overflow the database driver (found by fuzzing: a 500 instead of a 4xx)."""

from typing import Annotated

import msgspec

DbId = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
