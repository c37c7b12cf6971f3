"""The case file's failures: the environment's fault, each one sentence and an exit code.

They are all ``KnownError``s (``irdesk.domain.errors``); anything else escaping the case
file is a bug in irdesk.
"""

from __future__ import annotations

import os

from irdesk.domain.errors import BadInput, ExitCode, KnownError


class CaseFileError(KnownError):
    """A problem with the file, the passphrase or the machine, not with irdesk."""


class WrongPassphrase(CaseFileError):
    exit_code = ExitCode.WRONG_PASSPHRASE

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "The passphrase is wrong, or the file's first page is damaged.")


class NotACaseFile(CaseFileError):
    """Not a case file at all: empty, a partial page, an all-zero header."""

    exit_code = ExitCode.NOT_A_CASE


class CorruptCase(CaseFileError):
    """The key was accepted, but the file is damaged."""

    exit_code = ExitCode.NOT_A_CASE


class TamperedCase(CaseFileError):
    """The file decrypts, but its contents disagree with its audit chain or schema."""

    exit_code = ExitCode.NOT_A_CASE


class NewerFormat(CaseFileError):
    exit_code = ExitCode.NOT_A_CASE


class CaseInUse(CaseFileError):
    exit_code = ExitCode.IN_USE

    def __init__(self, path: str) -> None:
        super().__init__(f"The case {path} is open in another irdesk window or command.")


class CaseExists(CaseFileError):
    """Refused: irdesk never writes over an existing file without being told to (exit 2)."""

    exit_code = ExitCode.USAGE

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} already exists; irdesk will not overwrite it.")


class OverCaseFile(BadInput):
    """An output aimed at a case file or a book: refused whatever the flags."""

    def __init__(self, path: str) -> None:
        # Encrypted, so only its name (or a link's target's) tells a book from a case before it is unlocked.
        what = "a readiness book" if os.path.realpath(path).lower().endswith(".irbook") else "a case file"
        super().__init__(f"{path} is {what}, and irdesk never writes over one: delete it first, "
                         "or merge it.")


class PlaintextCaseName(BadInput):
    """A plaintext output (an export, a report) given the name of a case file or a book."""

    def __init__(self, path: str, suffix: str) -> None:
        super().__init__(f"{path} ends in {suffix}, the name of an encrypted case file, but this output is "
                         "not encrypted: give it another name.")


class OutputExists(BadInput):
    """An output aimed at an existing file the user did not say to replace."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} already exists; irdesk replaces it only when you say so (--force).")


class CaseClosed(CaseFileError):
    """The case was closed (locked) while something still wanted to use it."""

    def __init__(self) -> None:
        super().__init__("The case is closed.")


class NoSuchRecord(CaseFileError):
    """An id given that the case does not hold: bad input (exit 2)."""

    exit_code = ExitCode.USAGE


class NoCaseFile(CaseFileError):
    """The path given names no file, or a folder: bad input (exit 2)."""

    exit_code = ExitCode.USAGE


class NotAllowed(BadInput):
    """A rule of the case refuses the change: a waived item without a reason, closing too early."""


class StorageError(CaseFileError):
    """The disk said no: full, read-only, or an I/O error."""


class DiskFull(StorageError):
    """SQLite reported SQLITE_FULL."""
