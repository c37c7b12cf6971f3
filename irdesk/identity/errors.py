"""Failures of the signing identity that the responder can fix: one sentence and an exit code."""

from __future__ import annotations

from irdesk.domain.errors import ExitCode, KnownError


class IdentityError(KnownError):
    """No identity, a wrong key passphrase, an unreadable PKCS#12 file."""


class NoIdentity(IdentityError):
    def __init__(self) -> None:
        super().__init__("There is no signing identity yet: create one with `irdesk identity new --name NAME`.")


class WrongIdentityPassphrase(IdentityError):
    exit_code = ExitCode.WRONG_PASSPHRASE

    def __init__(self) -> None:
        super().__init__("The signing identity's passphrase is wrong.")
