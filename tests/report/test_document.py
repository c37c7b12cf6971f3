"""The rendered report: what poppler finds in it, and what it never holds."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Phase, Tlp
from irdesk.report.content import gather
from irdesk.report.document import render
from irdesk.report.service import build_report, issue_report
from tests.conftest import require_tool
from tests.report.fixtures import MARKUP, SAMPLES


def pdftotext(path, *options: str) -> str:
    tool = require_tool("pdftotext")
    out = subprocess.run(
        [tool, *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    # Arabic is drawn with its contextual presentation forms; NFKC maps them back to letters.
    return unicodedata.normalize("NFKC", out.decode("utf-8"))


def pages_of(path) -> list[str]:
    return pdftotext(path).split("\f")[:-1]


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


def test_every_page_carries_tlp_page_number_title_report_id_and_the_short_fingerprint(report_pdf):
    path, built = report_pdf
    pages = pages_of(path)
    assert len(pages) > 5
    short = " ".join(built.content.fingerprint.split()[:2])
    for number, page in enumerate(pages, start=1):
        assert "TLP:RED" in page
        assert f"Page {number} of {len(pages)}" in page
        assert built.report_id in page and f"short case fingerprint {short}" in page
        assert "Ransomware on the Rotterdam file servers" in page


def test_the_cover_prints_the_full_fingerprint_the_chain_head_and_the_contents(report_pdf):
    path, built = report_pdf
    cover = pages_of(path)[0]
    assert f"{built.content.fingerprint} as reported" in cover
    assert built.content.chain_head in cover.replace("\n", "")
    assert "Contents" in cover and "Figures as of" in cover
    contents = " ".join(cover[cover.index("Contents"):].split())
    entries = re.findall(r"(\d+)\. ([A-Z][\w ,:&]+?)\s*(?:\.\s*)+(\d+)", contents)
    titles = [t for _, t, _ in entries]
    assert titles[:5] == ["At a glance", "Executive summary", "What will change: action items",
                          "Where the response slowed down", "Timeline"]
    assert [int(p) for _, _, p in entries] == sorted(int(p) for _, _, p in entries)
    assert entries[0][2] == "2"  # page 2 is the manager's page
    assert re.search(r"Appendix: how to check this report[ .]+\d+", contents)


def test_page_two_is_what_a_manager_reads_in_two_minutes(report_pdf):
    page = pages_of(report_pdf[0])[1]
    for needle in ("1. At a glance", "Time to detect", "Time to contain", "Time to recover",
                   "Time to engage people", "Time to obtain evidence", "median", "longest",
                   "Backup appliance support", "unavailable", "never requested",
                   "action items tested", "overdue", "without an action", "gaps by category",
                   "Communication"):
        assert needle in page, needle


def test_sections_come_in_the_order_senior_staff_read_them(report_pdf):
    text = pdftotext(report_pdf[0])
    order = ["1. At a glance", "2. Executive summary", "3. What will change: action items",
             "Gaps without an action", "4. Where the response slowed down", "5. Timeline",
             "6. Techniques observed (ATT&CK)", "7. Notification timeline", "8. The response, phase by phase",
             "9. Evidence and chain of custody", "10. Contacts engaged", "11. Indicators of compromise",
             "Appendix: how to check this report"]
    body = text.split("\f", 1)[1]  # after the cover and its contents
    positions = [body.index(heading) for heading in order]
    assert positions == sorted(positions)
    for needle in ("Govern (GV), Identify (ID), Protect (PR)", "Identify: Improvement (ID.IM)", "DRILL",
                   "Chain of custody", "Time to engage people (needed → reached)",
                   "Time to obtain evidence (requested → collected)"):
        assert needle in text, needle
    last = pages_of(report_pdf[0])[-1]
    assert "Appendix: how to check this report" in last.split("\n", 3)[-1][:200]  # a page of its own
    assert "10. Indicators of compromise" not in last
    assert re.search(r"Made at\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n", last)


def test_a_gap_note_is_printed_once(report_pdf):
    text = " ".join(pdftotext(report_pdf[0]).split())
    note = ("Needed the hypervisor console to snapshot FS01 memory; nobody on the bridge holds vCenter "
            "credentials. Waiting for the infrastructure on-call.")
    assert text.count(note) == 1


def test_action_items_show_owner_due_status_overdue_and_the_gap_they_fix(filled_case, tmp_path):
    from datetime import date

    from irdesk.domain.enums import ActionStatus

    ops.add_action(filled_case, title="Late work item", owner="Ops", due=date(2001, 1, 1),
                   status=ActionStatus.ACCEPTED)
    plain = ops.add_note(filled_case, Phase.POST_INCIDENT, "Write the runbook for the restore steps")
    ops.add_action(filled_case, title="Runbook", source_note_id=plain.value.id)
    path = tmp_path / "r.pdf"
    path.write_bytes(build_report(filled_case, responder="R").pdf)
    text = pdftotext(path)
    section = text[text.index("What will change: action items", text.index("\f")):]
    assert re.search(r"Action\s+Owner\s+Due\s+Status\s+The gap it fixes", section)
    assert "OVERDUE" in section and "2001-01-01" in section
    assert "Visibility gap, 2026-10-12" in section  # "Deploy EDR" fixes the EDR visibility gap
    flat = " ".join(section.split())
    assert "Authorization gap, 2026-10-12 19:40, containment: Legal" in flat
    assert "Note (not marked as a gap)" in flat and "post incident: Write the runbook" in flat
    unfixed = section[section.index("Gaps without an action"):]
    assert "Vendor" in unfixed and "contract number" in unfixed  # the vendor gap has no action


def test_waits_say_unavailable_and_never_requested_and_sizes_read_as_people_read_them(report_pdf):
    text = " ".join(pdftotext(report_pdf[0]).split())
    assert "unavailable: Retention is 7 days; older logs were overwritten." in text
    assert "needed: never requested" in text  # the backup appliance audit trail
    assert "Firewall logs before 5 October" in text and "49 d" not in text
    assert "16.0 GiB" in text and "17,179,869,184" not in text


def test_indicators_are_defanged(report_pdf):
    text = pdftotext(report_pdf[0])
    section = text[text.index("Indicators of compromise", text.index("\f")):]
    assert "10[.]20[.]4[.]17" in section and "lockbit-leaks[.]example" in section
    assert "lockbit-leaks.example" not in section


def test_the_contact_table_has_each_contacts_notes(report_pdf):
    text = pdftotext(report_pdf[0])
    (page,) = [p for p in text.split("\f")[1:] if "Contacts engaged" in p]  # the cover lists it too
    flat = " ".join(page.split())
    assert "Notes" in flat and "Purpose" in flat
    assert "Can grant span port access, router ACL changes. Escalate via duty phone after 18:00." in flat


def test_tables_that_break_repeat_their_header(report_pdf):
    text = pdftotext(report_pdf[0])
    after_glance = text.split("\f")[2:]  # page 2 lists the open items in a table of its own
    pages_with_actions = [p for p in after_glance if re.search(r"Follow-up task\s+number \d+\s+Owner", p)]
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


def test_every_section_has_a_bookmark(report_pdf):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(report_pdf[0].read_bytes())
    try:
        marks = [(item.level, item.get_title(), item.get_dest().get_index()) for item in doc.get_toc()]
    finally:
        doc.close()
    top = [title for level, title, _ in marks if level == 0]
    assert top[:3] == ["1. At a glance", "2. Executive summary", "3. What will change: action items"]
    # Eleven numbered sections (techniques observed is 6, the notification timeline 7) and the appendix.
    assert "Appendix: how to check this report" in top and len(top) == 12
    nested = [title for level, title, _ in marks if level == 1]
    assert "Detection & Analysis" in nested and "Chain of custody" in nested
    assert marks[0][2] == 1  # "At a glance" is page 2 (index 1)
    assert [page for _, _, page in marks] == sorted(page for _, _, page in marks)


def test_fonts_are_all_embedded_and_the_pdf_has_one_version(report_pdf):
    tool = require_tool("pdffonts")
    rows = subprocess.run([tool, str(report_pdf[0])], capture_output=True, text=True, check=True).stdout
    fonts = rows.splitlines()[2:]
    assert fonts and not any("Helvetica" in row for row in fonts)
    for row in fonts:
        assert re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+$", row), row  # embedded, subset, unicode
    data = report_pdf[0].read_bytes()
    assert data.startswith(b"%PDF-2.0\n")
    assert b"/Version" not in data


def test_the_xmp_packet_names_title_subject_and_tlp(report_pdf):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    path, built = report_pdf
    xmp = PdfFileReader(io.BytesIO(path.read_bytes())).root["/Metadata"].get_object().data.decode()
    assert "After-action report: Ransomware on the Rotterdam file servers" in xmp
    assert f"irdesk report {built.report_id}" in xmp and "TLP:RED" in xmp
    assert "<irdesk:TLP>TLP:RED</irdesk:TLP>" in xmp and "<dc:rights>" in xmp


def test_the_issue_is_recorded_in_the_chain(report_pdf, filled_case):
    from irdesk.domain.records import ReportIssue

    _, built = report_pdf
    (issue,) = filled_case.records.all(ReportIssue)
    assert issue.report_id == built.report_id and not issue.signed
    assert issue.chain_head == built.content.chain_head
    assert filled_case.chain.contains_head(built.content.chain_head)


def test_empty_case_still_makes_a_report_marked_draft_and_interim_on_every_page(case, tmp_path):
    pdf = render(gather(case, responder="R"))
    path = tmp_path / "empty.pdf"
    path.write_bytes(pdf)
    text = pdftotext(path)
    assert "not been written yet" in text and "No notes in this phase" in text
    for page in text.split("\f")[:-1]:
        assert "DRAFT" in page and "INTERIM" in page


def test_a_closed_case_with_its_summary_is_neither_draft_nor_interim(filled_case, tmp_path):
    from irdesk.domain.enums import ActionStatus, CaseStatus
    from irdesk.domain.records import ActionItem

    for action in filled_case.records.all(ActionItem):
        if not action.status.settled:
            ops.edit_action(filled_case, action.id, status=ActionStatus.WAIVED, waived_reason="done elsewhere")
    ops.set_status(filled_case, CaseStatus.CLOSED)
    path = tmp_path / "closed.pdf"
    path.write_bytes(build_report(filled_case, responder="R").pdf)
    text = pdftotext(path)
    assert "DRAFT" not in text and "INTERIM" not in text


def test_a_closed_case_reprints_with_the_same_figures(filled_case, tmp_path):
    import dataclasses
    from datetime import timedelta

    from irdesk.domain.enums import ActionStatus, CaseStatus
    from irdesk.domain.records import ActionItem

    for action in filled_case.records.all(ActionItem):
        if not action.status.settled:
            ops.edit_action(filled_case, action.id, status=ActionStatus.WAIVED, waived_reason="done elsewhere")
    ops.set_status(filled_case, CaseStatus.CLOSED)
    first = gather(filled_case, responder="R")
    later = dataclasses.replace(first, made_at=first.made_at + timedelta(days=400), report_id="IR-0000000000AA")
    texts = []
    for content in (first, later):
        path = tmp_path / f"{content.report_id}.pdf"
        path.write_bytes(render(content))
        text = re.sub(r"Report IR-\w+ ·.*", "", pdftotext(path))
        body = text.split("\f", 1)[1]
        # the figures: page 2, and the delays section with its charts and tables
        delays = body[body.index("4. Where the response slowed down"):body.index("5. Timeline")]
        texts.append((body.split("\f")[0], delays))
    assert texts[0] == texts[1]
    assert "median" in texts[0][0] and "Time to obtain evidence" in texts[0][1]


def test_direction_controls_print_as_codes_and_never_reorder_the_words(case, tmp_path):
    from irdesk.domain.enums import Phase

    ops.add_note(case, Phase.DETECTION, "Attachment invoice\u202efdp.exe from שלום")
    ops.add_note(case, Phase.DETECTION, "Plain invoice\u202efdp.exe here")
    ops.add_note(case, Phase.DETECTION, "Isolates \u2066x\u2069 and marks \u200e\u200f\u061c end")
    path = tmp_path / "bidi.pdf"
    path.write_bytes(render(gather(case, responder="R")))
    text = pdftotext(path)
    assert text.count("invoice⟨U+202E⟩fdp.exe") == 2
    assert "Plain invoice⟨U+202E⟩fdp.exe here" in text
    assert "Isolates ⟨U+2066⟩x⟨U+2069⟩ and marks ⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩ end" in text


def test_chinese_japanese_korean_print_and_extract_and_emoji_print_as_codes(case, tmp_path):
    from irdesk.domain.enums import Phase

    ops.add_note(case, Phase.DETECTION, "中文测试 日本語のテキスト 한국어 텍스트 and \U0001f600 done")
    ops.edit_case(case, title="事件 שלום")
    path = tmp_path / "cjk.pdf"
    path.write_bytes(render(gather(case, responder="R")))
    text = pdftotext(path)
    assert "中文测试 日本語のテキスト 한국어 텍스트 and ⟨U+1F600⟩ done" in text
    tool = require_tool("pdffonts")
    fonts = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    assert "DroidSansFallback" in fonts


def test_a_markdown_table_is_a_table(case, tmp_path):
    from reportlab.platypus import Table

    from irdesk.domain.enums import Phase
    from irdesk.report.flow import markdown

    body = (
        "Hosts:\n\n| Host | Address | State |\n|------|--------:|:-----:|\n"
        "| FS01 | 10.0.0.1 | encrypted |\n| FS02 | 10.0.0.2 | clean |"
    )
    assert any(isinstance(f, Table) for f in markdown(body))
    ops.add_note(case, Phase.DETECTION, body)
    path = tmp_path / "table.pdf"
    path.write_bytes(render(gather(case, responder="R")))
    text = pdftotext(path, "-layout")
    assert "|" not in text.split("Hosts:")[1].split("Page")[0]
    assert re.search(r"Host\s+Address\s+State", text)
    assert re.search(r"FS01\s+10\.0\.0\.1\s+encrypted", text)


def test_lists_code_and_emphasis_are_kept(case, tmp_path):
    from irdesk.domain.enums import Phase

    ops.add_note(case, Phase.DETECTION, "- first\n  - nested\n1. one\n\n```\n  indented  code\n```\n**bold** *it*")
    path = tmp_path / "md.pdf"
    path.write_bytes(render(gather(case, responder="R")))
    text = pdftotext(path, "-layout")
    assert re.search(r"•\s+first", text) and re.search(r"•\s+nested", text) and re.search(r"1\.\s+one", text)
    assert re.search(r"indented\s{2,}code", text)
    fonts = subprocess.run([require_tool("pdffonts"), str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSansMono" in fonts and "DejaVuSans-Bold" in fonts and "DejaVuSans-Oblique" in fonts


def test_the_report_is_never_written_over_the_case(filled_case):
    from irdesk.casefile.errors import OverCaseFile

    built = build_report(filled_case, responder="R")
    for replace in (False, True):
        with pytest.raises(OverCaseFile) as caught:
            issue_report(filled_case, built, filled_case.path, replace=replace)
        assert caught.value.exit_code == 2
    assert filled_case.notes.count() > 0  # the case is untouched and still open


def test_many_gaps_without_an_action_are_counted_not_listed_page_after_page(case, tmp_path):
    from irdesk.domain.enums import Gap
    from irdesk.report.actions import UNFIXED_LISTED

    for i in range(UNFIXED_LISTED + 7):
        ops.add_note(case, Phase.DETECTION, f"Waited for access number {i} today", gap=Gap.ACCESS)
    path = tmp_path / "gaps.pdf"
    path.write_bytes(build_report(case, responder="R").pdf)
    text = " ".join(pdftotext(path).split("\f", 1)[1].split())  # after the cover's contents
    assert f"{UNFIXED_LISTED + 7} notes marked as a gap have no action item yet. The first {UNFIXED_LISTED}" in text
    assert "...and 7 more gap notes without an action." in text  # NFKC: "…" is "..."
    assert text.count("Waited for access number...") == UNFIXED_LISTED  # the excerpts; the notes print in full
    assert text.count("Waited for access number 26 today") == 1


def test_a_section_added_to_the_slot_for_later_sections_is_numbered_listed_and_bookmarked(case, tmp_path,
                                                                                       monkeypatch):
    """Issues 20 and 21 add their sections to ``outline.LATER_SECTIONS``, and nothing else."""
    import pypdfium2 as pdfium

    from irdesk.report import outline
    from irdesk.report.flow import fixed

    added = outline.Section("notifications", "Notification timeline", lambda c, w: [fixed("Regulator told.")])
    monkeypatch.setattr(outline, "LATER_SECTIONS", [added])
    path = tmp_path / "slot.pdf"
    path.write_bytes(build_report(case, responder="R").pdf)
    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        top = [item.get_title() for item in doc.get_toc() if item.level == 0]
    finally:
        doc.close()
    assert top[4:7] == ["5. Timeline", "6. Notification timeline", "7. The response, phase by phase"]
    assert top[-1] == "Appendix: how to check this report"
    cover = " ".join(pages_of(path)[0].split())
    assert "6. Notification timeline" in cover and "Regulator told." in pdftotext(path)
