"""Path parameter types. Litestar checks ``Parameter`` bounds on path parameters (it does
not apply ``msgspec.Meta`` there), so ids in URLs get their own alias."""

from typing import Annotated

from litestar.params import Parameter

from event_ops.types import MAX_DB_ID

PathId = Annotated[int, Parameter(ge=1, le=MAX_DB_ID)]
