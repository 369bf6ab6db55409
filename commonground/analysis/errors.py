"""The one error the analysis package raises for bad input."""

from __future__ import annotations


class LayerError(ValueError):
    """A layer or parameter the user supplied cannot be used; the message says why and what to do.

    Messages are complete sentences meant to be shown to the user as they are (web form, API
    response or the CLI's one-line error), so they name the file, field or value at fault.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
