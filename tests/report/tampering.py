"""Ways to alter a signed report (each returns new bytes), and a forged re-sign, for verify's tests."""

from __future__ import annotations

import io
import re

from irdesk.casefile.store import CaseFile
from irdesk.identity.keys import Identity, ephemeral_identity
from irdesk.report import signing
from irdesk.report.service import BuiltReport, build_report


def signature_gap(data: bytes) -> tuple[int, int]:
    """Where the hex of /Contents starts and ends (inside the < >) in a signed report."""
    match = re.search(rb"/ByteRange \[\s*0 (\d+) (\d+) (\d+)\s*\]", data)
    assert match, "no /ByteRange"
    return int(match[1]) + 1, int(match[2]) - 1


def padding_flipped(data: bytes, where: float = 0.5, digit: bytes = b"1") -> bytes:
    """One '0' of the zero padding after the DER signature made ``digit`` (a one-bit flip for '1')."""
    from asn1crypto import parser

    start, end = signature_gap(data)
    contents = bytes.fromhex(data[start:end].decode("ascii"))
    _, _, _, header, body, trailer = parser.parse(contents, strict=False)
    padding_start = start + 2 * (len(header) + len(body) + len(trailer))
    offset = padding_start + int((end - padding_start - 1) * where)
    assert data[offset : offset + 1] == b"0"
    return data[:offset] + digit + data[offset + 1 :]


def hex_case_changed(data: bytes) -> bytes:
    """One upper-case hex digit of the DER signature written in lower case (the same bytes, decoded)."""
    start, end = signature_gap(data)
    offset = start + next(i for i, c in enumerate(data[start:end]) if c in b"ABCDEF")
    return data[:offset] + data[offset : offset + 1].lower() + data[offset + 1 :]


def byte_flipped(data: bytes, where: float = 0.4) -> bytes:
    flipped = bytearray(data)
    flipped[int(len(data) * where)] ^= 0x01
    return bytes(flipped)


def appended(data: bytes) -> bytes:
    return data + b"\n% appended after signing\n"


def lang_changed(data: bytes) -> bytes:
    """An incremental update that changes the catalog's /Lang."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root[generic.NameObject("/Lang")] = generic.TextStringObject("fr-FR")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def annotation_added(data: bytes) -> bytes:
    """An incremental update that adds a text annotation ("sticky note") to the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref, _ = writer.find_page_for_modification(0)
    annotation = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (50, 50, 80, 80)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Approved. — the CISO"),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annotation))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TAMPERINGS = {
    "flipped byte": byte_flipped,
    "appended bytes": appended,
    "incremental update changing /Lang": lang_changed,
    "added annotation": annotation_added,
    "flipped padding": padding_flipped,
}


def forged_re_sign(
    genuine: BuiltReport, genuine_case: CaseFile, other_case: CaseFile, name: str
) -> tuple[bytes, Identity]:
    """An unsigned report of ``other_case`` signed with a self-made key named ``name``, claiming
    to be ``genuine`` (its /Reason carries the genuine report id, case and chain head)."""
    unsigned = build_report(other_case, responder=name).pdf
    impostor = ephemeral_identity(name)
    claims = signing.ReportClaims(
        genuine.report_id,
        genuine_case.case_id,
        genuine.content.fingerprint,
        genuine.content.chain_head,
    )
    return signing.sign_pdf(unsigned, impostor, claims), impostor


def unsigned_attribute_smuggled(data: bytes) -> bytes:
    """The CMS object rewritten in place with an unsigned attribute (not covered by the signature)."""
    from asn1crypto import cms, core

    start, end = signature_gap(data)
    content = cms.ContentInfo.load(bytes.fromhex(data[start:end].decode("ascii")), strict=False)
    signer_info = content["content"]["signer_infos"][0]
    signer_info["unsigned_attrs"] = cms.CMSAttributes(
        [cms.CMSAttribute({"type": "1.2.3.4.5", "values": [core.OctetString(b"hidden message " * 8)]})]
    )
    hex_der = content.dump(force=True).hex().upper().encode("ascii")
    assert len(hex_der) <= end - start
    return data[:start] + hex_der.ljust(end - start, b"0") + data[end:]


def certificate_smuggled(data: bytes) -> bytes:
    """The CMS object rewritten in place with a stranger's certificate added to its set."""
    from asn1crypto import cms, x509
    from cryptography.hazmat.primitives import serialization

    start, end = signature_gap(data)
    content = cms.ContentInfo.load(bytes.fromhex(data[start:end].decode("ascii")), strict=False)
    stranger = ephemeral_identity("A message hidden in a certificate").cert
    der = stranger.public_bytes(serialization.Encoding.DER)
    content["content"]["certificates"].append(cms.CertificateChoices.load(x509.Certificate.load(der).dump()))
    hex_der = content.dump(force=True).hex().upper().encode("ascii")
    assert len(hex_der) <= end - start
    return data[:start] + hex_der.ljust(end - start, b"0") + data[end:]
