"""Report failures a responder can act on: one sentence and an exit code."""

from __future__ import annotations

from irdesk.domain.errors import ExitCode, KnownError


class ReportError(KnownError):
    """The report cannot be built, written or signed (exit 1 unless said otherwise)."""


class NotGenuine(ReportError):
    """``verify`` refuses the report: tampered, unsigned, another signer, another case (exit 4)."""

    exit_code = ExitCode.NOT_A_CASE


class Cancelled(ReportError):
    """The responder cancelled the build; nothing was written or recorded."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; nothing was written.")
