"""Time bounds and time order hold whichever way a change arrives: the CLI, the GUI, a JSON
import, a colleague's copy in a merge. Old data that breaks them stays readable and is
pointed out; a change never adds a new violation; a refusal names the values and leaves the
case byte for byte as it was.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import rules
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import list_conflicts
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import CustodyAction, Phase
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.records import Engagement
from irdesk.interop.exporting import export_case
from irdesk.interop.jsonimport import load_export, merge_export
from tests.conftest import PASSPHRASE

COLLEAGUE = "violet-anchor-93-meadow-x"
FIRST = "2026-11-28T08:00+00:00"
DETECTED = "2026-11-28T09:00+00:00"


@pytest.fixture
def cli(case, monkeypatch):
    path = case.path
    case.close()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    return path


def refused(argv: list[str], path: str, capsys) -> str:
    before = Path(path).read_bytes()
    assert run(argv) == 2, capsys.readouterr().err
    assert Path(path).read_bytes() == before
    return capsys.readouterr().err


# ---------------------------------------------------------------- the command line


def test_key_times_out_of_order_are_refused_naming_both(cli, capsys):
    assert run(["case", "set", cli, "--first-activity-at", DETECTED, "--detected-at", FIRST]) == 2
    err = capsys.readouterr().err
    assert "2026-11-28 08:00 +00:00" in err and "2026-11-28 09:00 +00:00" in err and "before" in err
    assert run(["case", "set", cli, "--first-activity-at", FIRST, "--detected-at", DETECTED]) == 0
    err = refused(["case", "set", cli, "--reported-at", "2026-11-28T08:30+00:00"], cli, capsys)
    assert "reported" in err and "detected" in err


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59.999999+00:00", "9999-12-31T23:30-05:00",
                                  "0001-01-01T00:10+01:00", "1969-12-31T23:59:59+00:00",
                                  "2101-01-01T00:00+00:00", "2100-12-31T23:30-01:00"])
def test_times_out_of_bounds_are_refused_in_one_sentence(cli, capsys, when):
    err = refused(["note", cli, "--phase", "detection", "--body", "x", "--at", when], cli, capsys)
    assert err.count("\n") == 1 and "out of range" in err and when.split("T")[0] in err


def test_the_bounds_themselves(cli, capsys):
    for when in ("1970-01-01T00:00+00:00", "2100-12-31T23:59:59.999999+00:00", "2101-01-01T00:30+02:00"):
        assert run(["note", cli, "--phase", "detection", "--body", "x", "--at", when]) == 0, when
    refused(["action", "add", cli, "--title", "t", "--due", "2101-01-01"], cli, capsys)


def test_an_engagement_keeps_its_order_and_a_transfer_its_recipient(cli, capsys):
    assert run(["contact", "add", cli, "--name", "Marta"]) == 0
    contact = capsys.readouterr().out.strip()
    assert run(["engagement", "add", cli, "--contact", contact, "--purpose", "access", "--needed-at", DETECTED]) == 0
    engagement = capsys.readouterr().out.strip()
    err = refused(["engagement", "set", cli, engagement, "--reached-at", FIRST], cli, capsys)
    assert "reached" in err and "needed" in err
    assert run(["evidence", "add", cli, "--label", "disk"]) == 0
    evidence = capsys.readouterr().out.strip()
    err = refused(["custody", "add", cli, "--evidence", evidence, "--action", "transferred", "--by", "Ana"],
                  cli, capsys)
    assert "transfer" in err


# ---------------------------------------------------------------- the GUI


def test_key_times_out_of_order_are_refused_in_the_gui(case, qtbot):
    """The key-times dialog stays open with the case file's sentence beside the field."""
    from irdesk.ui.header import Header
    from irdesk.ui.moments import to_qdatetime
    from irdesk.ui.session import CaseSession

    session = CaseSession(case)
    try:
        header = Header(session)
        qtbot.addWidget(header)
        dialog = header.edit_times()
        for name, at in (("first_activity_at", DETECTED), ("detected_at", FIRST)):
            field = dialog.fields[name]
            field.known.click()
            field.edit.setDateTime(to_qdatetime(Moment.parse(at)))
        dialog.save_button.click()
        refusal = dialog.refusals["detected_at"]
        qtbot.waitUntil(refusal.isVisible, timeout=5000)
        assert "before" in refusal.text() and "08:00" in refusal.text() and dialog.isVisible()
        assert session.reader.case().detected_at is None
        dialog.done(0)
    finally:
        session.close()


def test_the_note_editor_offers_only_times_in_bounds(case, qtbot):
    from irdesk.ui.notes.editor import NoteEditor
    from irdesk.ui.session import CaseSession

    session = CaseSession(case)
    try:
        editor = NoteEditor(session, Phase.DETECTION)
        qtbot.addWidget(editor)
        assert editor.occurred.minimumDateTime().toSecsSinceEpoch() == 0
        assert editor.occurred.maximumDateTime().toSecsSinceEpoch() < 4133980800  # 2101-01-01T00:00Z
    finally:
        session.close()


# ---------------------------------------------------------------- JSON import and merge


def beneath_the_rules(path: str, passphrase: str, monkeypatch, change) -> None:
    """What a hostile or older irdesk could write: chained, but breaking today's rules."""
    with monkeypatch.context() as m, CaseFile.open(path, passphrase, actor="Ben") as copy:
        m.setattr(rules, "RULES", ())
        change(copy)


def far_future(copy: CaseFile) -> None:
    ops.add_note(copy, Phase.DETECTION, "from the year 9999", occurred=Moment.parse("9999-12-31T23:59:59+00:00"))


def test_a_time_out_of_bounds_is_refused_by_json_import(case, tmp_path, monkeypatch):
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    beneath_the_rules(copy, COLLEAGUE, monkeypatch, far_future)
    target = str(tmp_path / "copy.json")
    with CaseFile.open(copy, COLLEAGUE, writable=False) as other:
        export_case(other, "json", target)
    with open(target, "rb") as handle:
        export = load_export(handle)
    head = case.chain_head
    with pytest.raises(NotAllowed, match="9999-12-31"):
        merge_export(case, export, source="json")
    assert case.chain_head == head


def test_a_colleagues_record_breaking_a_rule_is_refused_by_merge_and_case_is_unchanged(case, tmp_path,
                                                                                       monkeypatch):
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    path = case.path
    case.close()
    beneath_the_rules(copy, COLLEAGUE, monkeypatch, far_future)
    before = Path(path).read_bytes()
    with CaseFile.open(path, PASSPHRASE) as reopened, pytest.raises(BadInput, match="out of range"):
        ops.merge_copy(reopened, copy, COLLEAGUE)
    assert Path(path).read_bytes() == before


def test_an_order_clash_only_the_combination_creates_becomes_a_conflict(case, tmp_path):
    contact = ops.add_contact(case, "Marta").value
    needed = Moment.parse(DETECTED)
    engagement = ops.add_engagement(case, contact.id, "hypervisor", needed_at=needed).value
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    ops.edit_engagement(case, engagement.id, reached_at=needed + timedelta(minutes=10))  # fine alone
    with CaseFile.open(copy, COLLEAGUE, actor="Ben") as other:
        ops.edit_engagement(other, engagement.id, first_attempt_at=needed + timedelta(hours=1))  # fine alone
    result = ops.merge_copy(case, copy, COLLEAGUE)
    assert len(result.plan.conflicts) == 1  # joined, the first attempt would follow the answer
    current = case.records.get(Engagement, engagement.id)
    assert not rules.problems(current)
    assert len(list_conflicts(case)) == 1 and check_case(case).ok


# ---------------------------------------------------------------- old data


def test_old_data_breaking_a_rule_stays_readable_and_is_pointed_out(cli, monkeypatch, capsys):
    def wrong_order(copy: CaseFile) -> None:
        ops.edit_case(copy, first_activity_at=Moment.parse(DETECTED), detected_at=Moment.parse(FIRST))
        far_future(copy)

    beneath_the_rules(cli, PASSPHRASE, monkeypatch, wrong_order)
    assert run(["show", cli]) == 0
    out = capsys.readouterr().out
    assert "To fix" in out and "before its first activity" in out and "9999-12-31" in out
    assert run(["case", "set", cli, "--title", "Renamed"]) == 0  # other fields stay editable
    assert run(["report", cli, "-o", str(Path(cli).with_suffix(".pdf"))]) == 0  # and reportable
    err = refused(["case", "set", cli, "--detected-at", "2026-11-28T07:00+00:00"], cli, capsys)  # no new one
    assert "before" in err
    assert run(["case", "set", cli, "--detected-at", "2026-11-28T10:00+00:00"]) == 0  # fixed


def test_the_window_header_points_old_data_out(case, qtbot, monkeypatch):
    from irdesk.ui.header import Header
    from irdesk.ui.session import CaseSession

    with monkeypatch.context() as m:
        m.setattr(rules, "RULES", ())
        ops.edit_case(case, first_activity_at=Moment.parse(DETECTED), detected_at=Moment.parse(FIRST))
    session = CaseSession(case)
    try:
        header = Header(session)
        qtbot.addWidget(header)
        assert not header.to_fix.isHidden() and "before its first activity" in header.to_fix.text()
        session.write(lambda c: ops.edit_case(c, first_activity_at=Moment.parse(FIRST),
                                              detected_at=Moment.parse(DETECTED)))
        qtbot.waitUntil(header.to_fix.isHidden, timeout=5000)  # fixed, and the notice goes
    finally:
        session.close()


def test_a_custody_transfer_needs_its_recipient_in_the_operations_too(case):
    evidence = ops.add_evidence(case, "disk").value
    with pytest.raises(NotAllowed, match="transfer"):
        ops.add_custody(case, evidence.id, CustodyAction.TRANSFERRED, by_whom="Ana")
