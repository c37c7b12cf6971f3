"""PAdES B-B certification signatures with pyHanko, entirely offline, and the strict check
behind ``verify``.

The signature certifies the document with DocMDP permission 1 (no changes), so PDF viewers
warn about any later change, even one ``verify`` is not asked to look at.

The signature's /Reason carries the report's identity, so it is covered by the signature:
``irdesk report <report id>; case <case id>; fingerprint <case fingerprint>; chain head <hex>``
for a case's after-action report, ``irdesk programme report <report id>; book <book id>; …``
for a readiness book's programme report (see docs/FORMAT.md, section 9). ``verify_pdf``
accepts a signature only when it is intact, cryptographically valid, covers the entire
file, nothing was changed after it, and the file is byte for byte what the signer wrote
(the padding after the signature is all zeros).
Whether the signer is one the reader trusts is decided above it, in ``service``.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from irdesk.identity.keys import Identity
from irdesk.report.errors import NotGenuine, ReportError

if TYPE_CHECKING:
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

FIELD_NAME = "irdesk-report-signature"
_REASON = re.compile(
    r"^irdesk (?P<what>report|programme report) (?P<report_id>IR-[0-9A-F]{12}); "
    r"(?P<kind>case|book) (?P<case_id>[0-9a-f-]{36}); "
    r"fingerprint (?P<fingerprint>(?:[0-9A-F]{4} ){3}[0-9A-F]{4}); "
    r"chain head (?P<head>[0-9a-f]{64})$"
)
CASE, BOOK = "case", "book"  # the kind of file a report was made from
_WHAT = {CASE: "report", BOOK: "programme report"}


def reason_text(report_id: str, case_id: str, fingerprint: str, chain_head: str, kind: str = CASE) -> str:
    return (
        f"irdesk {_WHAT[kind]} {report_id}; {kind} {case_id}; fingerprint {fingerprint}; "
        f"chain head {chain_head}"
    )


@dataclass(frozen=True)
class ReportClaims:
    """What the signature says about the report (covered by the signature).

    ``case_id`` is the id of the file the report was made from: a case, or for a programme
    report (``kind`` "book") a readiness book.
    """

    report_id: str
    case_id: str
    fingerprint: str
    chain_head: str
    kind: str = CASE


@dataclass(frozen=True)
class Verified:
    signer: str
    cert_fingerprint: str  # SHA-256 of the signer certificate's DER, lower-case hex
    signed_at: datetime | None
    claims: ReportClaims
    cert_der: bytes = b""  # the signer certificate, to trust it after checking its fingerprint
    trusted_as: tuple[str, ...] = ()  # why the reader trusts the signer (``service.verify_report``)


def sign_pdf(pdf: bytes, identity: Identity, claims: ReportClaims) -> bytes:
    """Sign ``pdf`` (PAdES B-B, SHA-256) with the unlocked identity; returns the signed bytes."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der_key = identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert = asn1_x509.Certificate.load(identity.cert.public_bytes(serialization.Encoding.DER))
    chain = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in identity.chain
    ]
    signer = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        # A certification signature that allows no change at all: viewers flag any later edit.
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason_text(claims.report_id, claims.case_id, claims.fingerprint, claims.chain_head, claims.kind),
        name=identity.info.name,
        location="irdesk (offline)",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = io.BytesIO()
    try:
        signers.sign_pdf(writer, meta, signer=signer, output=out)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many types; the user needs one sentence
        raise ReportError(f"The report could not be signed: {exc}.") from exc
    return out.getvalue()


def verify_pdf(data: bytes) -> Verified:
    """Check the report's one signature strictly.

    Raises:
        NotGenuine: with one sentence saying why the file is not accepted.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise NotGenuine("The file is not a readable PDF, or it was damaged.") from None
    if not signatures:
        raise NotGenuine("The report is not signed.")
    if len(signatures) != 1:
        raise NotGenuine(
            f"The report holds {len(signatures)} signatures; an irdesk report holds exactly one."
        )
    embedded = signatures[0]
    try:
        signer_cert = embedded.signer_cert
        context = ValidationContext(trust_roots=[signer_cert], allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        raise NotGenuine(f"The signature cannot be checked ({_first_sentence(exc)}).") from None
    if not status.intact:
        raise NotGenuine(
            "The report was changed after it was signed: the signed bytes do not match."
        )
    if not status.valid:
        raise NotGenuine("The signature does not verify against the signer's certificate.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise NotGenuine(
            "The signature does not cover the entire file: something was added after signing."
        )
    if status.modification_level is not None and status.modification_level.name != "NONE":
        raise NotGenuine("The report was modified after it was signed.")
    _check_exact_signature(data, embedded)
    reason = embedded.sig_object.get("/Reason")
    match = _REASON.match(str(reason)) if reason is not None else None
    if match is None or _WHAT[match["kind"]] != match["what"]:
        raise NotGenuine("The signature does not say which irdesk report and case it covers.")
    claims = ReportClaims(match["report_id"], match["case_id"], match["fingerprint"], match["head"], match["kind"])
    subject = signer_cert.subject.native
    name = str(subject.get("common_name") or signer_cert.subject.human_friendly)
    return Verified(
        signer=name,
        cert_fingerprint=hashlib.sha256(signer_cert.dump()).hexdigest(),
        signed_at=status.signer_reported_dt,
        claims=claims,
        cert_der=signer_cert.dump(),
    )


_CONTENTS = re.compile(rb"<([0-9A-F]*)>")  # pyHanko writes upper-case hex, nothing else


def _check_exact_signature(data: bytes, embedded: EmbeddedPdfSignature) -> None:
    """The one gap in the signed byte ranges holds the signature and zeros, exactly as written.

    The gap (``/Contents``) is not covered by the signature: any byte there that is not part
    of the CMS object must be the zero padding pyHanko reserved, and the CMS object itself
    must carry nothing unsigned beyond the signer's certificate chain (no unsigned
    attributes, no revocation lists, no other certificates), so the file has no room for
    anything the signer did not write.
    """
    from asn1crypto import parser

    _, gap_start, gap_end, _ = embedded.byte_range
    gap = _CONTENTS.fullmatch(data[gap_start:gap_end])
    if gap is None or len(gap[1]) % 2:
        raise NotGenuine("The signature's placeholder was changed after signing.")
    try:
        _, _, _, header, body, trailer = parser.parse(embedded.pkcs7_content, strict=False)
    except ValueError:
        raise NotGenuine("The signature is not a well-formed CMS object.") from None
    der_length = len(header) + len(body) + len(trailer)
    if gap[1][2 * der_length :].strip(b"0"):
        raise NotGenuine(
            "The space after the signature holds bytes the signer did not write: "
            "the file was altered after signing."
        )
    if embedded.signer_info["unsigned_attrs"].native or embedded.signed_data["crls"].native:
        raise NotGenuine("The signature carries unsigned data that the signer did not write.")
    if not _only_the_signers_chain(embedded):
        raise NotGenuine("The signature carries certificates that are not the signer's.")


def _only_the_signers_chain(embedded: EmbeddedPdfSignature) -> bool:
    """Every certificate in the CMS object is the signer's or an issuer above it (by name)."""
    from asn1crypto import x509

    certificates = [choice.chosen for choice in embedded.signed_data["certificates"] or ()]
    if not all(isinstance(c, x509.Certificate) for c in certificates):
        return False  # attribute certificates and other kinds: nothing irdesk writes
    chain, current = {embedded.signer_cert.dump()}, embedded.signer_cert
    while current.issuer != current.subject:
        issuer = next((c for c in certificates if c.subject == current.issuer), None)
        if issuer is None or issuer.dump() in chain:
            break
        chain.add(issuer.dump())
        current = issuer
    return all(c.dump() in chain for c in certificates)


def _first_sentence(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0].rstrip(".")
    return text[:160] or type(exc).__name__
