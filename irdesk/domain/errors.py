"""The one family of failures that are not irdesk's fault, and the exit codes they map to.

Every layer raises a ``KnownError`` (or a subclass) for what the environment or the user
did: a wrong passphrase, a full disk, a tampered file, an input a rule refuses. It carries
the one sentence the responder reads and the exit code the command line returns. Front
ends test ``isinstance(exc, KnownError)``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every ``irdesk`` command (part of the scriptable surface)."""

    OK = 0
    OTHER = 1  # a known failure with no code of its own, and bugs
    USAGE = 2  # bad arguments or refused input
    WRONG_PASSPHRASE = 3  # or a damaged first page: SQLCipher cannot tell them apart
    NOT_A_CASE = 4  # not a case file, corrupt or tampered; a report that is not genuine
    IN_USE = 5  # the case is open in another irdesk process
    UNTRUSTED = 6  # verify: intact, but signed by someone not pinned, recorded or trusted


class KnownError(Exception):
    """A failure the user can act on: ``message`` is one sentence, ``exit_code`` its code.

    ``fields``: the record fields a refused change concerns (a rule names them), so a form
    can show the sentence beside the right field; empty when it concerns no field.
    """

    exit_code: ExitCode = ExitCode.OTHER
    fields: tuple[str, ...] = ()  # also for subclasses that set their message themselves

    def __init__(self, message: str, exit_code: ExitCode | int | None = None, *,
                 fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
        if exit_code is not None:
            self.exit_code = ExitCode(exit_code)


class Sentence(str):
    """A failure's one sentence as a front end passes it on, with the fields it concerns."""

    fields: tuple[str, ...]

    def __new__(cls, text: str, fields: tuple[str, ...] = ()) -> Sentence:
        sentence = super().__new__(cls, text)
        sentence.fields = fields
        return sentence

    @classmethod
    def of(cls, error: KnownError) -> Sentence:
        return cls(error.message, error.fields)


class BadInput(KnownError):
    """Input that a rule or a format refuses: an argument, a file, a value from a colleague."""

    exit_code = ExitCode.USAGE
