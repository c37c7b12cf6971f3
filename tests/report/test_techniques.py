"""The report's "Techniques observed": ATT&CK tags grouped by tactic, in the slot for later sections."""

from __future__ import annotations

import pypdfium2 as pdfium

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.demo import build_demo
from irdesk.domain.enums import IndicatorKind, Phase
from irdesk.domain.records import Note
from irdesk.report.content import gather
from irdesk.report.service import build_report
from irdesk.report.techniques import observed
from tests.conftest import PASSPHRASE
from tests.report.test_document import pdftotext


def test_the_demo_report_has_techniques_observed_after_the_timeline(tmp_path):
    with CaseFile.create(str(tmp_path / "d.ircase"), PASSPHRASE, title="Demo", actor="T") as case:
        build_demo(case)
        path = tmp_path / "demo.pdf"
        path.write_bytes(build_report(case, responder="R").pdf)
        found = observed(gather(case, responder="R"))
    assert set(found) == {"T1486", "T1078.002", "T1021.002", "T1133"}
    assert (found["T1486"].notes, found["T1486"].indicators) == (2, 2)
    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        top = [item.get_title() for item in doc.get_toc() if item.level == 0]
    finally:
        doc.close()
    assert top[4:8] == ["5. Timeline", "6. Techniques observed (ATT&CK)", "7. Notification timeline",
                        "8. The response, phase by phase"]
    text = " ".join(pdftotext(path).split())
    assert "Data Encrypted for Impact" in text and "SMB/Windows Admin Shares" in text
    assert "grouped by ATT&CK tactic" in text and "ATT&CK Enterprise v18.1" in text
    # Tactics in the matrix's order: Initial Access before Lateral Movement before Impact.
    assert text.index("Initial Access") < text.index("Lateral Movement") < text.index("Impact")


def test_an_imported_unknown_id_is_printed_marked_and_an_empty_case_says_so(case, tmp_path):
    assert observed(gather(case, responder="R")) == {}
    path = tmp_path / "empty.pdf"
    path.write_bytes(build_report(case, responder="R").pdf)
    assert "No ATT&CK techniques were tagged" in " ".join(pdftotext(path).split())
    note = ops.add_note(case, Phase.DETECTION, "x").value
    with case.transaction():
        case.records.revise(Note, note.id, attack=("T9999",))
    ops.add_indicator(case, IndicatorKind.DOMAIN, "example.org", attack=["T1486"])
    path.write_bytes(build_report(case, responder="R").pdf)
    text = " ".join(pdftotext(path).split())
    assert "T9999" in text and "not in ATT&CK Enterprise v18.1" in text and "Not in the shipped catalogue" in text
