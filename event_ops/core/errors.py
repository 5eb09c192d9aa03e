"""The one domain error. Business rules raise it; the HTTP layer maps codes to statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken. ``code`` is stable and machine-readable; ``message`` is for people.

    ``field`` names the input field at fault, so forms can show the message next to it.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """Several fields are wrong at once; ``errors`` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors.values()), "invalid input")
        super().__init__("validation_failed", first)
        self.errors = errors
