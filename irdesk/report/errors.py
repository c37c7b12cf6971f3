"""Report failures a responder can act on: one sentence and an exit code."""

from __future__ import annotations


class ReportError(Exception):
    """The report cannot be built, written or signed (exit 1 unless said otherwise)."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class NotGenuine(ReportError):
    """``verify`` refuses the report: tampered, unsigned, another signer, another case (exit 4)."""

    exit_code = 4


class Cancelled(ReportError):
    """The responder cancelled the build; nothing was written or recorded."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; nothing was written.")
