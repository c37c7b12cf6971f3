"""The commands that change what a case holds, run in-process (lowered key derivation) through ``irdesk.cli.run``."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import ActionStatus, CaseStatus
from irdesk.domain.records import ActionItem, CustodyEvent, Engagement
from tests.conftest import PASSPHRASE


@pytest.fixture
def cli_case(case, monkeypatch, capsys):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    path = case.path
    note = ops.add_note(case, "detection", "No EDR on the file servers", gap="visibility").value
    contact = ops.add_contact(case, name="Marta").value
    evidence = ops.add_evidence(case, label="FS01 memory").value
    case.close()
    capsys.readouterr()
    return path, note.id, contact.id, evidence.id


def out(capsys) -> str:
    return capsys.readouterr().out.strip()


def test_case_set_key_times_and_closing_gate(cli_case, capsys):
    path, note_id, _, _ = cli_case
    assert run(["case", "set", path, "--detected-at", "2026-11-28T09:00+01:00", "--status", "contained",
                "--cause", "Phished credentials"]) == 0
    assert run(["action", "add", path, "--title", "Deploy EDR", "--from-note", note_id, "--due", "2027-01-31"]) == 0
    item_id = out(capsys).splitlines()[-1]
    assert run(["case", "set", path, "--status", "closed"]) == 2  # refused: an action item is open
    assert "Deploy EDR" in capsys.readouterr().err
    assert run(["action", "set", path, item_id, "--status", "waived"]) == 2  # a reason is required
    assert run(["action", "set", path, item_id, "--status", "tested", "--verification", "Detection fired"]) == 0
    assert run(["case", "set", path, "--status", "closed"]) == 0
    with CaseFile.open(path, PASSPHRASE) as case:
        c = case.case()
        assert c.status is CaseStatus.CLOSED and c.closed_at and c.detected_at.offset_minutes == 60
        assert c.cause == "Phished credentials"
        item = case.records.get(ActionItem, item_id)
        assert item.status is ActionStatus.TESTED and item.source_note_id == note_id


def test_engagement_and_custody(cli_case, capsys):
    path, _, contact_id, evidence_id = cli_case
    assert run(["engagement", "add", path, "--contact", contact_id, "--purpose", "vCenter access"]) == 0
    engagement_id = out(capsys)
    assert run(["engagement", "set", path, engagement_id, "--first-attempt-at", "now",
                "--reached-at", "now", "--outcome", "Snapshot taken"]) == 0
    assert run(["custody", "add", path, "--evidence", evidence_id, "--action", "transferred",
                "--by", "Marta", "--to", "Responder", "--location", "Safe 2"]) == 0
    with CaseFile.open(path, PASSPHRASE) as case:
        engagement = case.records.get(Engagement, engagement_id)
        assert engagement.reached_at is not None and engagement.outcome == "Snapshot taken"
        assert [e.to_whom for e in case.custody_for(evidence_id)] == ["Responder"]
        assert isinstance(case.custody_for(evidence_id)[0], CustodyEvent)


def test_unknown_ids_and_empty_changes(cli_case, capsys):
    path, _, _, _ = cli_case
    assert run(["engagement", "add", path, "--contact", "nope", "--purpose", "x"]) == 2
    assert "no contact with id nope" in capsys.readouterr().err
    assert run(["case", "set", path]) == 2
    assert run(["action", "add", path, "--title", "x", "--due", "soon"]) == 2
