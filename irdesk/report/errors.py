"""Report failures a responder can act on: one sentence and an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from irdesk.domain.errors import ExitCode, KnownError

if TYPE_CHECKING:
    from irdesk.report.signing import Verified


class ReportError(KnownError):
    """The report cannot be built, written or signed (exit 1 unless said otherwise)."""


class NotGenuine(ReportError):
    """``verify`` refuses the report: tampered, unsigned, another signer, another case (exit 4)."""

    exit_code = ExitCode.NOT_A_CASE


class UntrustedSigner(ReportError):
    """``verify``: the signature is intact, but its signer is not one the reader trusts (exit 6).

    Neither pinned with ``--cert``, nor recorded by the case given with ``--case``, nor in
    the trust list (``irdesk identity trust``). ``verified`` says who signed, to check.
    """

    exit_code = ExitCode.UNTRUSTED

    def __init__(self, verified: Verified) -> None:
        super().__init__(
            f"The report is intact, but it was signed by {verified.signer} with certificate "
            f"SHA-256 {verified.cert_fingerprint}, which you have not said you trust: check "
            "that fingerprint with the signer, then pin it with --cert or trust their "
            "certificate with `irdesk identity trust CERT.pem`."
        )
        self.verified = verified


class Cancelled(ReportError):
    """The responder cancelled the build; nothing was written or recorded."""

    def __init__(self) -> None:
        super().__init__("The report was cancelled; nothing was written.")
