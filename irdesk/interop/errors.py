"""The one failure every importer and exporter raises for input it refuses."""

from __future__ import annotations


class BadInput(Exception):
    """A file the user gave cannot be imported; ``message`` says why in one sentence."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
