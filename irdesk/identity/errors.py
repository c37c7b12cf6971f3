"""Failures of the signing identity that the responder can fix: one sentence and an exit code."""

from __future__ import annotations


class IdentityError(Exception):
    """No identity, a wrong key passphrase, an unreadable PKCS#12 file."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class NoIdentity(IdentityError):
    def __init__(self) -> None:
        super().__init__(
            "There is no signing identity yet: create one with `irdesk identity new --name NAME`."
        )


class WrongIdentityPassphrase(IdentityError):
    exit_code = 3

    def __init__(self) -> None:
        super().__init__("The signing identity's passphrase is wrong.")
