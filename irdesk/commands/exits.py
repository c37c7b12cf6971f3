"""Exit codes (part of the scriptable surface) and turning failures into one sentence."""

from __future__ import annotations

OK = 0
BUG = 1
OTHER = 1
USAGE = 2
WRONG_PASSPHRASE = 3
NOT_A_CASE = 4
IN_USE = 5


class UsageError(Exception):
    """Bad arguments or a refused input (exit 2)."""


class CommandError(Exception):
    """A command cannot go on; ``code`` says why (default 1)."""

    def __init__(self, message: str, code: int = OTHER) -> None:
        super().__init__(message)
        self.code = code


def describe(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one sentence to print for a failure."""
    from irdesk.casefile.errors import CaseFileError

    if isinstance(exc, UsageError):
        return USAGE, str(exc)
    if isinstance(exc, CommandError):
        return exc.code, str(exc)
    if isinstance(exc, CaseFileError):
        return exc.exit_code, exc.message
    service_error = getattr(exc, "exit_code", None)
    if isinstance(service_error, int) and getattr(exc, "message", None):
        return service_error, str(exc.message)  # type: ignore[attr-defined]
    if isinstance(exc, MemoryError):
        return OTHER, "Out of memory."
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return OTHER, f"{exc.strerror}{where}."
    return BUG, f"irdesk hit a bug ({type(exc).__name__}: {exc}); set IRDESK_DEBUG=1 for details."
