"""Signed reports: accepted by poppler's pdfsig, and every kind of tampering refused by verify."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from irdesk.casefile import operations as ops
from irdesk.report.errors import NotGenuine
from irdesk.report.service import build_report, issue_report, verify_report
from tests.conftest import PASSPHRASE, require_tool


@pytest.fixture
def signed(filled_case, identity, tmp_path):
    built = build_report(filled_case, responder="Ana Responder", identity=identity)
    path = tmp_path / "signed.pdf"
    issue_report(filled_case, built, str(path))
    return path


def test_pdfsig_says_the_signature_is_valid(signed):
    tool = require_tool("pdfsig")
    out = subprocess.run([tool, str(signed)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    assert "Total document signed" in out


def test_qpdf_finds_no_error_and_the_fonts_stay_embedded_after_signing(signed):
    check = subprocess.run([require_tool("qpdf"), "--check", str(signed)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
    fonts = subprocess.run([require_tool("pdffonts"), str(signed)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+$", row) for row in rows), fonts


def test_the_signature_certifies_the_document_allowing_no_change(signed, identity):
    """pyHanko's own validator, trusting the signer's certificate (what ``pyhanko sign validate --trust`` does)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (embedded,) = reader.embedded_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[embedded.signer_cert]))
    assert status.bottom_line and status.trusted and status.intact and status.valid
    assert embedded.docmdp_level is MDPPerm.NO_CHANGES
    assert "/DocMDP" in reader.root["/Perms"]
    assert reader.input_version == (2, 0) and "/Version" not in reader.root  # one PDF version
    xmp = reader.root["/Metadata"].get_object().data.decode()
    assert "TLP:AMBER" in xmp and "After-action report" in xmp  # kept when pyHanko signed


def test_verify_accepts_the_genuine_report_and_names_the_signer(signed, filled_case, identity):
    verified = verify_report(
        signed.read_bytes(), case=filled_case, pinned=identity.info.fingerprint
    )
    assert verified.signer == "Ana Responder"
    assert verified.cert_fingerprint == identity.info.fingerprint
    assert verified.signed_at is not None
    assert verified.claims.case_id == filled_case.case_id


def test_case_may_grow_after_the_report(signed, filled_case):
    from irdesk.domain.enums import Phase

    ops.add_note(filled_case, Phase.POST_INCIDENT, "Written after the report.")
    verify_report(signed.read_bytes(), case=filled_case)


def _refused(data: bytes, **kwargs) -> str:
    with pytest.raises(NotGenuine) as caught:
        verify_report(data, **kwargs)
    return caught.value.message


def test_a_flipped_byte_is_refused(signed):
    data = bytearray(signed.read_bytes())
    for offset in (len(data) // 3, len(data) // 2, 200):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        _refused(bytes(flipped))


def test_appended_bytes_are_refused(signed):
    assert "entire file" in _refused(signed.read_bytes() + b"\n% appended\n")


def test_an_incremental_update_after_signing_is_refused(signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("Rewritten")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    _refused(out.getvalue())


def test_a_report_signed_by_another_key_is_refused_with_cert_or_case(
    filled_case, identity, tmp_path, monkeypatch
):
    from irdesk.identity.keys import create_identity, load_identity

    genuine = identity.info.fingerprint
    other_home = tmp_path / "other"
    other_home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(other_home))
    create_identity("Ana Responder", "another-passphrase-2")  # same name, another key
    impostor = load_identity("another-passphrase-2")
    built = build_report(filled_case, responder="Ana Responder", identity=impostor)
    data = built.pdf  # not issued: the case never recorded this signer
    verify_report(data)  # the signature itself is fine…
    assert "pinned" in _refused(data, pinned=genuine)
    assert "no record" in _refused(data, case=filled_case)


def test_a_recorded_report_id_with_another_signer_is_refused(
    filled_case, identity, tmp_path, monkeypatch
):
    """An impostor re-signs content claiming a report id the case did record."""
    from irdesk.identity.keys import create_identity, load_identity
    from irdesk.report import signing

    built = build_report(filled_case, responder="Ana Responder", identity=identity)
    issue_report(filled_case, built, str(tmp_path / "real.pdf"))
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(other))
    create_identity("Mallory", "another-passphrase-2")
    claims = signing.ReportClaims(
        built.report_id, filled_case.case_id, built.content.fingerprint, built.content.chain_head
    )
    from irdesk.report.document import render

    forged = signing.sign_pdf(render(built.content), load_identity("another-passphrase-2"), claims)
    assert "another signer" in _refused(forged, case=filled_case)


def test_a_report_checked_against_a_different_case_is_refused(signed, tmp_path):
    from irdesk.casefile.store import CaseFile

    with CaseFile.create(
        str(tmp_path / "other.ircase"), PASSPHRASE, title="Other", actor="B"
    ) as other:
        assert "different case" in _refused(signed.read_bytes(), case=other)


def test_an_unsigned_report_is_refused(filled_case):
    built = build_report(filled_case, responder="R")
    assert "not signed" in _refused(built.pdf)


def test_garbage_is_refused_in_one_sentence():
    assert _refused(b"not a pdf at all")


def test_a_report_from_a_colleagues_copy_merged_in_is_accepted(filled_case, identity, tmp_path):
    """The colleague signs from their copy; the merge brings the issue record into ours."""
    from irdesk.casefile.store import CaseFile
    from irdesk.domain.enums import Phase
    from irdesk.domain.records import ReportIssue

    copy_path = str(tmp_path / "copy.ircase")
    filled_case.backup_to(copy_path)
    with CaseFile.open(copy_path, key=filled_case.key, actor="Colleague") as copy:
        ops.add_note(copy, Phase.CONTAINMENT, "Colleague's note before the report.")
        built = build_report(copy, responder="Colleague", identity=identity)
        issue_report(copy, built, str(tmp_path / "colleague.pdf"))
        (record,) = copy.records.all(ReportIssue)
        merged_head = copy.chain_head
    data = (tmp_path / "colleague.pdf").read_bytes()
    assert "no record" in _refused(data, case=filled_case) or "history" in _refused(
        data, case=filled_case
    )
    with filled_case.transaction():  # as a merge of the colleague's copy writes it
        filled_case.records.put(record, action="merge", source=f"merge of a copy at chain head {merged_head}")
    verify_report(data, case=filled_case)
