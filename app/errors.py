"""Failures an officer can act on. Services raise them; the GUI and CLI show the message."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: `str(error)` is a complete Vietnamese sentence for the user."""


class ValidationError(DomainError):
    """Input that breaks a rule; nothing was changed.

    `item` is the position of the offending item when a whole batch was refused.
    """

    def __init__(self, message: str, field: str | None = None, item: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.item = item


class NotFoundError(DomainError):
    pass


class SetupRequiredError(DomainError):
    """The commune has not been set up yet."""


class FileFormatError(DomainError):
    """A file the officer chose cannot be read as what it claims to be."""


class FileWriteError(DomainError):
    """A file could not be written (open in another program, no permission, disk full)."""


class CancelledError(DomainError):
    """The officer cancelled a long task; nothing was written."""


class DemoRefusedError(DomainError):
    """The register already holds subjects; a demo must never mix with real data."""


class PermissionDeniedError(DomainError):
    """The acting user's role does not allow this; nothing was changed."""


class AuthenticationError(DomainError):
    """Wrong user name or password, or the account is locked for a while."""
