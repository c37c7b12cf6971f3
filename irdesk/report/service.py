"""Making a report (build, sign, write, record) and checking one against the file it names.

A case's after-action report and a readiness book's programme report (``programme``) are
issued and checked the same way: the file records issuing the report (a ``ReportIssue`` in its
audit chain) and ``verify --case`` / ``verify --book`` look for that record. Both the
``irdesk report``/``book report``/``verify`` commands and the GUI's dialogs call these.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.outputs import Notice, plaintext_output
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import ReportIssue
from irdesk.identity.keys import Identity
from irdesk.identity.trust import OWN, TrustedCertificate, normalise_fingerprint, trusted_certificates
from irdesk.report.content import ReportContent, Signer, gather
from irdesk.report.errors import NotGenuine, UntrustedSigner
from irdesk.report.history import History
from irdesk.report.signing import BOOK, CASE, ReportClaims, Verified, sign_pdf, verify_pdf

Progress = Callable[[int], None]
# Why ``verify_report`` trusts a signer (``Verified.trusted_as`` holds one or two of these).
PINNED = "pinned with --cert"
RECORDED = "recorded by the case"
RECORDED_BY_BOOK = "recorded by the book"
OWN_IDENTITY = "your own identity"
TRUST_LIST = "in your trust list"


class Issuable(Protocol):
    """A laid-out report ready to be written and recorded (a case's or a book's)."""

    @property
    def pdf(self) -> bytes: ...

    @property
    def signed(self) -> bool: ...

    @property
    def report_id(self) -> str: ...

    @property
    def chain_head(self) -> str: ...

    @property
    def signer(self) -> Signer | None: ...


class Content(Protocol):
    """What a laid-out report's content names: the case's (``ReportContent``) or the book's."""

    @property
    def report_id(self) -> str: ...

    @property
    def chain_head(self) -> str: ...

    @property
    def signer(self) -> Signer | None: ...


C = TypeVar("C", bound=Content)


@dataclass(frozen=True)
class BuiltReport(Generic[C]):
    """A laid-out report (a case's, or a book's programme report): ``issue_report`` writes it
    and the file that made it records it."""

    pdf: bytes
    content: C
    signed: bool

    @property
    def report_id(self) -> str:
        return self.content.report_id

    @property
    def chain_head(self) -> str:
        return self.content.chain_head

    @property
    def signer(self) -> Signer | None:
        return self.content.signer


def build_report(
    case: CaseFile,
    *,
    responder: str,
    identity: Identity | None = None,
    report_id: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    history: History | None = None,
) -> BuiltReport[ReportContent]:
    """Read the case and lay the report out; sign it when an unlocked identity is given.

    ``history`` (``history.read_history``): the team's earlier cases from the readiness book,
    set beside this one on page 2."""
    from irdesk.report.document import render

    report = progress or (lambda _: None)
    report(2)
    signer = Signer(identity.info.name, identity.info.fingerprint) if identity else None
    content = gather(case, responder=responder, signer=signer, report_id=report_id, history=history)
    report(5)
    pdf = render(content, progress=report, cancelled=cancelled)
    if identity is not None:
        report(96)
        claims = ReportClaims(
            content.report_id, content.case_id, content.fingerprint, content.chain_head
        )
        pdf = sign_pdf(pdf, identity, claims)
    report(100)
    return BuiltReport(pdf, content, identity is not None)


def issue_report(case: EncryptedFile, built: Issuable, target: str, *, replace: bool = False,
                 notice: Notice | None = None) -> Done[ReportIssue]:
    """Record the report's issue in the chain of the file it was made from (a case, or a book
    for a programme report), then let the file appear at ``target``.

    The PDF is written unnamed first and gets its name only after the record is committed,
    so no kill leaves a signed report behind that the file has no record of. It never lands
    on a case file or a book, and replaces another existing file only with ``replace``.
    """
    signer = built.signer
    with plaintext_output(target, protect=(case.path,), replace=replace, notice=notice) as output:
        output.write(built.pdf)
        done = ops.record_report(
            case,
            built.report_id,
            built.chain_head,
            signer_name=signer.name if signer else "",
            signer_fingerprint=signer.fingerprint if signer else "",
            signed=built.signed,
        )
    return done  # the file has its name only now, after the record was committed


def verify_report(
    data: bytes,
    *,
    case: CaseFile | None = None,
    book: EncryptedFile | None = None,
    pinned: str | None = None,
    trusted: Sequence[TrustedCertificate] | None = None,
) -> Verified:
    """Strict signature check, then whether the reader trusts the signer.

    The signer is trusted when pinned (``pinned``: a certificate SHA-256), when the
    ``case`` recorded issuing this report with this signer (for a programme report: the
    ``book``), or, given neither, when the certificate is in ``trusted`` (by default the
    user's trust list: their own identity, earlier ones and colleagues').

    Raises:
        NotGenuine: altered, not a report, another signer than pinned or than the case
            (or book) recorded (exit 4), with the reason in one sentence.
        UntrustedSigner: intact, but signed by someone the reader has not said they trust
            (exit 6); it carries the signer to check.
    """
    verified = verify_pdf(data)
    why: list[str] = []
    if pinned is not None:
        if normalise_fingerprint(pinned) != verified.cert_fingerprint:
            raise NotGenuine(
                f"The report was signed by {verified.signer} with a certificate other than the "
                "one pinned with --cert."
            )
        why.append(PINNED)
    if case is not None:
        check_against_case(verified, case)
        why.append(RECORDED)
    if book is not None:
        check_against_book(verified, book)
        why.append(RECORDED_BY_BOOK)
    if not why:
        known = trusted_certificates() if trusted is None else trusted
        entry = next((e for e in known if e.fingerprint == verified.cert_fingerprint), None)
        if entry is None:
            raise UntrustedSigner(verified)
        why.append(OWN_IDENTITY if entry.kind == OWN else TRUST_LIST)
    return dataclasses.replace(verified, trusted_as=tuple(why))


def check_against_case(verified: Verified, case: CaseFile) -> None:
    """The report names this case, and the case recorded issuing it with this signer and head."""
    if verified.claims.kind != CASE:
        raise NotGenuine("This is a readiness book's programme report, not a case's report: "
                         "check it with --book.")
    _check_recorded(verified, case, "case")


def check_against_book(verified: Verified, book: EncryptedFile) -> None:
    """The programme report names this book, and the book recorded issuing it with this
    signer and chain head (the same trust model as ``check_against_case``)."""
    if verified.claims.kind != BOOK:
        raise NotGenuine("This is a case's after-action report, not a programme report: "
                         "check it with --case.")
    _check_recorded(verified, book, "book")


def _check_recorded(verified: Verified, source: EncryptedFile, noun: str) -> None:
    """The report names ``source``, which recorded issuing it with this signer and head.

    The issue record (report id, chain head, signer fingerprint) is itself in the file's
    audit chain, also when it arrived by merging a colleague's copy; the chain head must
    be in this file's chain or carried by such a record.
    """
    claims = verified.claims
    if claims.case_id != source.file_id:
        raise NotGenuine(f"The report was made from a different {noun}.")
    issued = [r for r in source.records.all(ReportIssue) if r.report_id == claims.report_id]
    if not issued:
        if not source.chain.contains_head(claims.chain_head):
            raise NotGenuine(
                f"The report's audit-chain head does not appear in this {noun}'s chain: "
                f"it was not made from this {noun}'s history."
            )
        raise NotGenuine(f"This {noun} has no record of issuing report {claims.report_id}.")
    if not any(
        r.signed
        and r.signer_fingerprint == verified.cert_fingerprint
        and r.chain_head == claims.chain_head
        for r in issued
    ):
        raise NotGenuine(
            f"The {noun} recorded report {claims.report_id} with another signer or "
            "another chain head than this file carries."
        )


def warm_up() -> None:
    """Load and exercise the report machinery once, on the calling (GUI) thread.

    PySide's import hook is not thread-safe: a module imported for the first time on a
    worker thread while Qt runs can crash the process. Building, signing and rendering a
    tiny report here first means the worker threads import nothing new.
    """
    from irdesk.report.document import render_minimal
    from irdesk.report.preview import render_pages

    pdf = render_minimal()
    from irdesk.identity.keys import ephemeral_identity

    claims = ReportClaims("IR-000000000000", "0" * 36, "0000 0000 0000 0000", "0" * 64)
    signed = sign_pdf(pdf, ephemeral_identity(), claims)
    for _ in render_pages(signed, 10):
        pass
    import bidi  # noqa: F401 - imported lazily by markup for right-to-left text

    from irdesk.identity import keys, sealed  # noqa: F401


def warm_up_verify() -> None:
    """Load the verifying machinery once on the calling (GUI) thread (see ``warm_up``)."""
    from irdesk.identity.keys import ephemeral_identity
    from irdesk.report.document import render_minimal

    identity = ephemeral_identity()
    claims = ReportClaims("IR-000000000000", "0" * 36, "0000 0000 0000 0000", "0" * 64)
    verify_report(sign_pdf(render_minimal(), identity, claims), pinned=identity.info.fingerprint)
