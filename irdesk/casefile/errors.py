"""The two families of failure: the environment's fault (a clear sentence) versus a bug.

Every ``CaseFileError`` carries the one sentence a responder sees and the exit code the
command line returns. Anything else escaping the case file is a bug in irdesk.
"""

from __future__ import annotations


class CaseFileError(Exception):
    """A problem with the file, the passphrase or the machine, not with irdesk."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassphrase(CaseFileError):
    exit_code = 3

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "The passphrase is wrong, or the file's first page is damaged."
        )


class NotACaseFile(CaseFileError):
    """Not a case file at all: empty, a partial page, an all-zero header."""

    exit_code = 4


class CorruptCase(CaseFileError):
    """The key was accepted, but the file is damaged."""

    exit_code = 4


class TamperedCase(CaseFileError):
    """The file decrypts, but its contents disagree with its audit chain or schema."""

    exit_code = 4


class NewerFormat(CaseFileError):
    exit_code = 4


class CaseInUse(CaseFileError):
    exit_code = 5

    def __init__(self, path: str) -> None:
        super().__init__(f"The case {path} is open in another irdesk window or command.")


class CaseExists(CaseFileError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path} already exists; irdesk will not overwrite it.")


class NoSuchRecord(CaseFileError):
    pass


class NotAllowed(CaseFileError):
    """A rule of the case forbids the change (e.g. closing with open action items)."""


class StorageError(CaseFileError):
    """The disk said no: full, read-only, or an I/O error."""
