"""The rendered report: what poppler finds in it, and what it never holds."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Tlp
from irdesk.report.content import gather
from irdesk.report.document import render
from irdesk.report.service import build_report, issue_report
from tests.conftest import require_tool
from tests.report.fixtures import MARKUP, SAMPLES


def pdftotext(path) -> str:
    tool = require_tool("pdftotext")
    out = subprocess.run(
        [tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    # Arabic is drawn with its contextual presentation forms; NFKC maps them back to letters.
    return unicodedata.normalize("NFKC", out.decode("utf-8"))


@pytest.fixture
def report_pdf(filled_case, tmp_path):
    ops.edit_case(filled_case, tlp=Tlp.RED, drill=True)
    built = build_report(filled_case, responder="Ana Responder")
    path = tmp_path / "report.pdf"
    issue_report(filled_case, built, str(path))
    return path, built


def test_markup_prints_literally(report_pdf):
    text = pdftotext(report_pdf[0])
    for fragment in MARKUP:
        assert fragment in text.replace("\n", " "), fragment


def test_unicode_samples_are_printed(report_pdf):
    text = pdftotext(report_pdf[0])
    for script, sample in SAMPLES.items():
        assert sample in text, script


def test_every_page_carries_tlp_page_number_title_and_report_id(report_pdf):
    path, built = report_pdf
    text = pdftotext(path)
    pages = text.split("\f")[:-1]
    assert len(pages) > 5
    short = " ".join(built.content.fingerprint.split()[:2])
    for number, page in enumerate(pages, start=1):
        assert "TLP:RED" in page
        assert f"Page {number} of {len(pages)}" in page
        assert built.report_id in page and short in page
        assert "Ransomware on the Rotterdam file servers" in page


def test_sections_for_senior_staff_are_all_there(report_pdf):
    text = pdftotext(report_pdf[0])
    for heading in (
        "After-action report",
        "Executive summary",
        "Key metrics",
        "Timeline",
        "Where the response slowed down",
        "phase by phase",
        "action items",
        "Evidence register",
        "Chain of custody",
        "Contacts engaged",
        "Appendix",
        "Time to detect",
        "Longest waits for a person",
        "Longest waits for evidence",
        "Govern (GV), Identify (ID), Protect (PR)",
        "Identify: Improvement (ID.IM)",
        "DRILL",
    ):
        assert heading in text, heading


def test_the_contact_table_has_each_contacts_notes(report_pdf):
    text = pdftotext(report_pdf[0])
    (page,) = [p for p in text.split("\f") if "Contacts engaged" in p]
    flat = " ".join(page.split())
    assert "Notes" in flat and "Purpose" in flat
    assert "Can grant span port access, router ACL changes. Escalate via duty phone after 18:00." in flat


def test_tables_that_break_repeat_their_header(report_pdf):
    text = pdftotext(report_pdf[0])
    pages_with_actions = [p for p in text.split("\f") if "Follow-up task number" in p]
    assert len(pages_with_actions) >= 2
    for page in pages_with_actions:
        assert re.search(r"Action\s+Owner\s+Due\s+Status", page), page[:300]


def test_pdf_holds_no_links_actions_scripts_or_files(report_pdf):
    data = report_pdf[0].read_bytes()
    for name in (
        b"Annots",
        b"Annot",
        b"Link",
        b"URI",
        b"Launch",
        b"JavaScript",
        b"JS",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"OpenAction",
        b"AA",
        b"Image",
    ):
        assert not re.search(rb"/" + name + rb"(?![A-Za-z0-9+])", data), name


def test_the_issue_is_recorded_in_the_chain(report_pdf, filled_case):
    from irdesk.domain.records import ReportIssue

    _, built = report_pdf
    (issue,) = filled_case.records.all(ReportIssue)
    assert issue.report_id == built.report_id and not issue.signed
    assert issue.chain_head == built.content.chain_head
    assert filled_case.chain.contains_head(built.content.chain_head)


def test_empty_case_still_makes_a_report(case, tmp_path):
    pdf = render(gather(case, responder="R"))
    path = tmp_path / "empty.pdf"
    path.write_bytes(pdf)
    text = pdftotext(path)
    assert "not been written yet" in text and "No notes in this phase" in text


def test_the_report_is_never_written_over_the_case(filled_case):
    from irdesk.casefile.errors import OverCaseFile

    built = build_report(filled_case, responder="R")
    for replace in (False, True):
        with pytest.raises(OverCaseFile) as caught:
            issue_report(filled_case, built, filled_case.path, replace=replace)
        assert caught.value.exit_code == 2
    assert filled_case.notes.count() > 0  # the case is untouched and still open
