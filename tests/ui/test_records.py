"""Evidence (templates, hashing with progress and cancel, custody), contacts and engagements,
action items and the closing gate."""

from __future__ import annotations

import hashlib
import os

import pytest

from irdesk.domain.enums import ActionStatus, CaseStatus, EvidenceStatus
from irdesk.domain.records import ActionItem, Contact, CustodyEvent, Engagement, Evidence
from tests.ui.conftest import wait_saved


@pytest.fixture
def evidence_panel(session, qtbot):
    from irdesk.ui.evidence.panel import EvidencePanel

    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    return panel


def test_add_evidence_and_move_it_along(evidence_panel, session, qtbot):
    assert evidence_panel.empty.isVisibleTo(evidence_panel)
    evidence_panel.add_item("Firewall logs, last 30 days")
    wait_saved(qtbot, session)
    assert evidence_panel.model.rowCount() == 1
    assert evidence_panel.selected().label == "Firewall logs, last 30 days"
    evidence_panel.status.setCurrentText("requested")
    evidence_panel.save_selected()
    wait_saved(qtbot, session)
    item = session.reader.records.all(Evidence)[0]
    assert item.status == EvidenceStatus.REQUESTED and item.requested_at is not None
    assert "(waiting)" in evidence_panel.model.index(0, 5).data()


def test_templates(evidence_panel, session, qtbot):
    from irdesk.templates import evidence_templates

    keys = {t.key for t in evidence_templates()}
    assert keys == {"ransomware", "bec", "web", "insider", "lost-device"}
    evidence_panel.add_template("bec")
    wait_saved(qtbot, session)
    assert evidence_panel.model.rowCount() == len(
        next(t for t in evidence_templates() if t.key == "bec").items
    )


def test_hash_a_file_with_progress_then_embed_it(evidence_panel, session, qtbot, tmp_path):
    from irdesk.casefile import hashing

    path = tmp_path / "memory.raw"
    data = os.urandom(3 * hashing.BUFFER + 12345)
    path.write_bytes(data)
    dialog = evidence_panel.add_file(str(path))
    seen: list[int] = []
    dialog.bar.valueChanged.connect(seen.append)
    qtbot.waitUntil(lambda: dialog.digest is not None, timeout=10000)
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: session.reader.records.all(Evidence) != [], timeout=5000)
    item = session.reader.records.all(Evidence)[0]
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
    assert item.status == EvidenceStatus.COLLECTED and item.attachment_id
    assert session.reader.attachment_bytes(item.attachment_id) == data
    assert [e.action.value for e in session.reader.custody_for(item.id)] == ["collected"]
    assert dialog.bar.value() == 1000
    assert seen == sorted(seen)
    out = tmp_path / "saved"
    out.mkdir()
    evidence_panel.select(item.id)
    assert evidence_panel.export_button.isVisibleTo(evidence_panel)
    evidence_panel.export_attachment(str(out))
    qtbot.waitUntil(lambda: (out / "memory.raw").exists(), timeout=5000)
    assert (out / "memory.raw").read_bytes() == data


def test_hashing_can_be_cancelled(evidence_panel, session, qtbot, tmp_path, monkeypatch):
    import threading

    from irdesk.ui.evidence import hashing as ui_hashing

    path = tmp_path / "disk.img"
    path.write_bytes(b"\0" * (8 * 1024 * 1024))
    gate = threading.Event()
    real = ui_hashing.hash_file

    def slow(p, progress, cancelled):  # the first buffer waits until the test pressed Cancel
        def step(done, total):
            progress(done, total)
            gate.wait(5)

        return real(p, step, cancelled)

    monkeypatch.setattr(ui_hashing, "hash_file", slow)
    dialog = evidence_panel.add_file(str(path))
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        dialog.cancel()
        gate.set()
    assert dialog.digest is None and dialog.cancelled
    assert "Cancelling" in dialog.state.text()  # said the moment Cancel was pressed
    assert session.reader.records.all(Evidence) == []
    assert evidence_panel.hash_note.isVisibleTo(evidence_panel)  # it says so, in the tab
    assert "cancelled; nothing was added" in evidence_panel.hash_note.text()


def test_custody_event(evidence_panel, session, qtbot):
    evidence_panel.add_item("Laptop of the CFO")
    wait_saved(qtbot, session)
    dialog = evidence_panel.add_custody()
    dialog.add_button.click()  # who handled it is required: said beside the field
    assert "who handled it" in dialog.rows.refusals["by_whom"].text()
    dialog.by_whom.setText("A. Responder")
    dialog.to_whom.setText("Evidence locker")
    dialog.action.setCurrentText("transferred")
    dialog.add_button.click()
    wait_saved(qtbot, session)
    events = session.reader.records.all(CustodyEvent)
    assert [(e.action.value, e.by_whom, e.to_whom) for e in events] == [
        ("transferred", "A. Responder", "Evidence locker")
    ]
    assert "transferred by A. Responder" in evidence_panel.custody.item(0).text()


def test_contacts_and_engagements(session, qtbot):
    from irdesk.ui.contacts.panel import ContactsPanel

    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.add_contact("Marta Kowalczyk")
    wait_saved(qtbot, session)
    assert panel.selected().name == "Marta Kowalczyk"
    assert "Never verified" in panel.stale.text()
    panel.out_of_band.setText("Signal +31 6 1234 5678")
    panel.grants.setText("vCenter, backup appliance")
    panel._verified_today()
    panel.save_selected()
    wait_saved(qtbot, session)
    contact = session.reader.records.all(Contact)[0]
    assert contact.out_of_band.startswith("Signal") and contact.last_verified is not None
    assert panel.stale.text() == ""
    panel.need_now("Snapshot FS01 memory")
    wait_saved(qtbot, session)
    assert panel.engagements.rowCount() == 1
    assert "(waiting)" in panel.engagements.index(0, 5).data()
    panel.engagement_table.selectRow(0)
    panel.stamp("first_attempt_at")
    wait_saved(qtbot, session)
    panel.stamp("reached_at")
    wait_saved(qtbot, session)
    panel.log.outcome.setText("Snapshot taken")
    panel.log.save_button.click()
    wait_saved(qtbot, session)
    engagement = session.reader.records.all(Engagement)[0]
    assert engagement.first_attempt_at and engagement.reached_at
    assert engagement.outcome == "Snapshot taken"
    assert "waiting" not in panel.engagements.index(0, 5).data()


def test_the_contact_form_shows_and_edits_multi_line_notes(session, qtbot):
    from irdesk.casefile import operations as ops
    from irdesk.ui.contacts.panel import ContactsPanel

    written = "Can grant span port access, router ACL changes.\nEscalate via duty phone after 18:00."
    marta = ops.add_contact(session.case, "Marta Kowalczyk", notes=written).value
    ops.add_contact(session.case, "Daniel Okafor")
    panel = ContactsPanel(session)
    qtbot.addWidget(panel)
    panel.select(marta.id)
    assert panel.notes.toPlainText() == written and panel.notes.accessibleName() == "Notes"
    panel.notes.setPlainText(written + "\nOn leave in August: ask Daniel.")
    panel.save_selected()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Contact, marta.id).notes.endswith("\nOn leave in August: ask Daniel.")
    daniel = next(c for c in session.reader.records.all(Contact) if c.name == "Daniel Okafor")
    panel.select(daniel.id)
    assert panel.notes.toPlainText() == ""  # each contact shows its own
    panel.select(marta.id)
    assert panel.notes.toPlainText().count("\n") == 2


def test_action_items_and_the_closing_gate(session, qtbot):
    from irdesk.ui.header import Header
    from irdesk.ui.post_incident.action_items import ActionItemsPanel

    panel, header = ActionItemsPanel(session), Header(session)
    qtbot.addWidget(panel)
    qtbot.addWidget(header)
    panel.new_title.setText("Deploy EDR on file servers")
    panel.add_from_field()
    wait_saved(qtbot, session)
    assert "hold the case open" in panel.blockers.text()

    refused: list[str] = []
    header.set_status(CaseStatus.CLOSED, on_error=refused.append)
    qtbot.waitUntil(lambda: bool(refused), timeout=5000)
    assert "Deploy EDR on file servers" in refused[0]
    assert "open" in header.status.text()
    assert session.reader.case().status == CaseStatus.OPEN

    panel.owner.setText("Infrastructure lead")
    panel.status.setCurrentText("waived")
    panel.reason.setText("")
    panel.save_selected()  # waiving needs a reason: the operation refuses it, in the form
    qtbot.waitUntil(lambda: "without a reason" in panel.form.problem, timeout=5000)
    assert session.reader.records.all(ActionItem)[0].status == ActionStatus.PROPOSED
    panel.status.setCurrentText("tested")
    panel.verification.setText("EDR agent reports from FS01 and FS02")
    panel.save_selected()
    wait_saved(qtbot, session)
    assert "can be closed" in panel.blockers.text()
    header.set_status(CaseStatus.CLOSED)
    wait_saved(qtbot, session)
    case = session.reader.case()
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    assert "closed" in header.status.text()


def test_key_times_feed_the_header_metrics(session, qtbot):
    from datetime import timedelta

    from irdesk.domain.moment import Moment
    from irdesk.ui import key_times
    from irdesk.ui.header import Header
    from irdesk.ui.moments import to_qdatetime

    header = Header(session)
    qtbot.addWidget(header)
    detected = Moment.now()

    dialog = header.edit_times()
    assert isinstance(dialog, key_times.KeyTimesDialog)
    for name, at in (("first_activity_at", detected + timedelta(hours=-5)), ("detected_at", detected),
                     ("contained_at", detected + timedelta(hours=20))):
        dialog.fields[name].known.setChecked(True)
        dialog.fields[name].edit.setDateTime(to_qdatetime(at))
    dialog.save_button.click()
    wait_saved(qtbot, session)
    assert "Time to detect: <b>5 h 00 min</b>" in header.metrics.text()
    assert "Time to contain: <b>20 h 00 min</b>" in header.metrics.text()


def test_buttons_of_the_evidence_tab(evidence_panel, session, qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QInputDialog, QPushButton

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Proxy logs", True))
    add = next(b for b in evidence_panel.findChildren(QPushButton) if b.text() == "Add item")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, session)
    templates = next(
        b for b in evidence_panel.findChildren(QPushButton) if b.text() == "From template"
    )
    next(a for a in templates.menu().actions() if a.text() == "Lost device").trigger()
    wait_saved(qtbot, session)
    labels = [e.label for e in session.reader.records.all(Evidence)]
    assert labels[0] == "Proxy logs" and "Police report number" in labels
