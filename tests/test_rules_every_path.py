"""A rule holds whichever way a change arrives: the CLI, the GUI, a JSON import, a merge.

Three rules of the case file's boundary, each through all four paths:
- evidence added from a file is held by whoever added it, with a "collected" custody event;
- reaching a status stamps its key time from the case's clock (here a fake one);
- a waived action item needs a reason.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile import rules
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.hashing import hash_file
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import ActionStatus, CaseStatus, CustodyAction, EvidenceStatus
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Evidence
from irdesk.interop.exporting import export_case
from irdesk.interop.jsonimport import load_export, merge_export
from tests.conftest import PASSPHRASE

COLLEAGUE = "violet-anchor-93-meadow-x"
FAKE_NOW = Moment(datetime(2026, 11, 28, 9, 30, tzinfo=UTC), 60)


def fake_clock() -> Moment:
    return FAKE_NOW


@pytest.fixture
def evidence_file(tmp_path):
    path = tmp_path / "mail-export.pst"
    path.write_bytes(os.urandom(5000))
    return str(path)


@pytest.fixture
def session(case, qtbot):
    from irdesk.ui.session import CaseSession

    opened = CaseSession(case)
    yield opened
    opened.close()


@pytest.fixture
def message_boxes(monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *_a: shown.append(text)))
    return shown


@pytest.fixture
def colleague(case, tmp_path):
    """A hand-off copy of ``case``: the colleague's side of a merge."""
    path = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, path, COLLEAGUE)
    return path


def assert_collected_and_held(case: CaseFile, evidence_file: str, who: str) -> None:
    [item] = [e for e in case.records.all(Evidence) if e.path == os.path.abspath(evidence_file)]
    with open(evidence_file, "rb") as handle:
        assert item.sha256 == hashlib.sha256(handle.read()).hexdigest()
    assert item.status is EvidenceStatus.COLLECTED and item.collected_at is not None
    assert item.holder == who
    [event] = case.custody_for(item.id)
    assert (event.action, event.by_whom, event.location) == (
        CustodyAction.COLLECTED, who, os.path.dirname(os.path.abspath(evidence_file)))


def export_of(path: str, passphrase: str, tmp_path, name: str = "copy.json"):
    target = str(tmp_path / name)
    with CaseFile.open(path, passphrase, writable=False) as other:
        export_case(other, "json", target)
    with open(target, "rb") as handle:
        return load_export(handle)


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


# ---------------------------------------------------------------- evidence from a file


def test_evidence_from_a_file_by_the_cli(case, evidence_file, monkeypatch):
    path = case.path
    case.close()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    assert run(["evidence", "add", path, "--file", evidence_file]) == 0
    with CaseFile.open(path, PASSPHRASE) as reopened:
        assert_collected_and_held(reopened, evidence_file, "Test Responder")


def test_evidence_from_a_file_in_the_gui(session, qtbot, evidence_file):
    from irdesk.ui.evidence.panel import EvidencePanel

    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    dialog = panel.add_file(evidence_file)
    qtbot.waitUntil(lambda: dialog.digest is not None, timeout=10000)
    qtbot.waitUntil(lambda: session.pending == 0 and bool(session.reader.records.all(Evidence)), timeout=5000)
    assert_collected_and_held(session.reader, evidence_file, "Test Responder")


def test_evidence_from_a_file_by_json_import(case, colleague, evidence_file, tmp_path):
    with CaseFile.open(colleague, COLLEAGUE, actor="Ben") as copy:
        ops.add_evidence_file(copy, evidence_file, hash_file(evidence_file))
    merge_export(case, export_of(colleague, COLLEAGUE, tmp_path), source="json copy")
    assert_collected_and_held(case, evidence_file, "Ben")


def test_evidence_from_a_file_by_merge(case, colleague, evidence_file):
    with CaseFile.open(colleague, COLLEAGUE, actor="Ben") as copy:
        ops.add_evidence_file(copy, evidence_file, hash_file(evidence_file))
    ops.merge_copy(case, colleague, COLLEAGUE)
    assert_collected_and_held(case, evidence_file, "Ben")


# ---------------------------------------------------------------- a status stamps its key time


def test_a_status_set_by_the_cli_stamps_its_time_from_the_clock(case, monkeypatch):
    import irdesk.commands.opening as opening

    path = case.path
    case.close()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(opening, "clock", fake_clock)
    assert run(["case", "set", path, "--status", "contained"]) == 0
    with CaseFile.open(path, PASSPHRASE) as reopened:
        assert reopened.case().status is CaseStatus.CONTAINED
        assert reopened.case().contained_at == FAKE_NOW


def test_a_status_set_in_the_gui_stamps_its_time_from_the_clock(case_path, qtbot):
    from irdesk.ui.header import Header
    from irdesk.ui.session import CaseSession

    CaseFile.create(case_path, PASSPHRASE, title="Stamped", actor="T").close()
    session = CaseSession(CaseFile.open(case_path, PASSPHRASE, actor="T", clock=fake_clock))
    try:
        header = Header(session)
        qtbot.addWidget(header)
        header.set_status(CaseStatus.RECOVERED)
        qtbot.waitUntil(lambda: session.pending == 0, timeout=5000)
        assert session.reader.case().recovered_at == FAKE_NOW
        from irdesk.ui.moments import shown

        assert f"Recovered: <b>{shown(FAKE_NOW)}</b>" in header.times.text()  # shown at once
    finally:
        session.close()


def test_a_status_stamp_arrives_by_json_import(case, colleague, tmp_path):
    with CaseFile.open(colleague, COLLEAGUE, actor="Ben", clock=fake_clock) as copy:
        ops.set_status(copy, CaseStatus.CONTAINED)
    merge_export(case, export_of(colleague, COLLEAGUE, tmp_path), source="json copy")
    assert (case.case().status, case.case().contained_at) == (CaseStatus.CONTAINED, FAKE_NOW)


def test_a_status_stamp_arrives_by_merge(case, colleague):
    with CaseFile.open(colleague, COLLEAGUE, actor="Ben", clock=fake_clock) as copy:
        ops.set_status(copy, CaseStatus.CONTAINED)
    ops.merge_copy(case, colleague, COLLEAGUE)
    assert (case.case().status, case.case().contained_at) == (CaseStatus.CONTAINED, FAKE_NOW)


# ---------------------------------------------------------------- a waived item needs a reason


def test_a_waiver_without_a_reason_is_refused_by_the_cli(case, monkeypatch, capsys):
    path = case.path
    item = ops.add_action(case, "Deploy EDR").value
    case.close()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    before = file_bytes(path)
    assert run(["action", "set", path, item.id, "--status", "waived"]) == 2
    assert "waived without a reason" in capsys.readouterr().err
    assert file_bytes(path) == before


def test_a_waiver_without_a_reason_is_refused_in_the_gui(session, qtbot, message_boxes):
    from irdesk.ui.post_incident.action_items import ActionItemsPanel

    item = ops.add_action(session.case, "Deploy EDR").value
    session.reader.refresh_head()
    panel = ActionItemsPanel(session)
    qtbot.addWidget(panel)
    panel.select(item.id)
    panel.status.setCurrentText("waived")
    panel.save_selected()
    qtbot.waitUntil(lambda: bool(panel.form.problem), timeout=5000)
    assert "waived without a reason" in panel.form.problem  # said in the form, beside the field…
    assert any("waived without a reason" in r.text() for r in panel.form.rows.refusals.values())
    assert message_boxes == []  # …not in a modal box
    assert session.reader.records.get(ActionItem, item.id).status is ActionStatus.PROPOSED


def _waive_without_reason_beneath_the_rules(path: str, passphrase: str, item_id: str, monkeypatch) -> None:
    """What a colleague's hostile or older irdesk could write: chained, but breaking the rule."""
    with monkeypatch.context() as m, CaseFile.open(path, passphrase, actor="Ben") as copy:
        m.setattr(rules, "RULES", ())
        ops.edit_action(copy, item_id, status=ActionStatus.WAIVED, waived_reason="")


def test_a_waiver_without_a_reason_is_refused_by_json_import(case, tmp_path, monkeypatch):
    item = ops.add_action(case, "Deploy EDR").value
    copy_path = str(tmp_path / "later-copy.ircase")
    write_handoff_copy(case, copy_path, COLLEAGUE)
    _waive_without_reason_beneath_the_rules(copy_path, COLLEAGUE, item.id, monkeypatch)
    export = export_of(copy_path, COLLEAGUE, tmp_path)
    path = case.path
    case.close()
    before = file_bytes(path)
    with CaseFile.open(path, PASSPHRASE) as reopened, pytest.raises(BadInput, match="without a reason"):
        merge_export(reopened, export, source="json copy")
    assert file_bytes(path) == before


def test_a_waiver_without_a_reason_is_refused_by_merge(case, tmp_path, monkeypatch):
    item = ops.add_action(case, "Deploy EDR").value
    copy_path = str(tmp_path / "later-copy.ircase")
    write_handoff_copy(case, copy_path, COLLEAGUE)
    path = case.path
    case.close()
    _waive_without_reason_beneath_the_rules(copy_path, COLLEAGUE, item.id, monkeypatch)
    before = file_bytes(path)
    with CaseFile.open(path, PASSPHRASE) as reopened, pytest.raises(BadInput, match="without a reason"):
        ops.merge_copy(reopened, copy_path, COLLEAGUE)
    assert file_bytes(path) == before
