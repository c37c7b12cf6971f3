"""The evidence form: picking one of the case's systems shows its owner and its known retention."""

from __future__ import annotations

from irdesk.casefile import operations as ops
from irdesk.casefile.operations.book import add_system
from irdesk.domain.records import Evidence
from tests.ui.conftest import wait_saved


def test_an_evidence_request_that_picks_a_system_shows_owner_and_retention(case, qtbot):
    from irdesk.ui.evidence.panel import EvidencePanel
    from irdesk.ui.session import CaseSession

    dana = ops.add_contact(case, "Dana Ng", phone="+1 555 0100").value
    firewall = add_system(case, "Edge firewall", owner_id=dana.id, retention_days=7, access_from="Network lead",
                          last_obtained_minutes=150).value
    item = ops.add_evidence(case, "Firewall logs").value
    session = CaseSession(case)
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.select(item.id)
    assert panel.system_info.isHidden()
    panel.system.setCurrentIndex(panel.system.findData(firewall.id))
    assert panel.system_info.text() == "Owner Dana Ng (+1 555 0100) · logs kept 7 d"
    assert panel.system_info.toolTip() == "Access from Network lead. Last time its logs took 2 h 30 min."
    assert panel.source.text() == "Edge firewall"
    panel.save_selected()
    wait_saved(qtbot, session)
    assert session.reader.records.get(Evidence, item.id).system_id == firewall.id
    session.close()


def test_a_new_system_from_the_evidence_form(case, qtbot):
    from irdesk.domain.records import System
    from irdesk.ui.evidence.panel import EvidencePanel
    from irdesk.ui.session import CaseSession

    dana = ops.add_contact(case, "Dana Ng").value
    item = ops.add_evidence(case, "VPN logs").value
    session = CaseSession(case)
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.select(item.id)
    panel.add_system({"name": "VPN concentrator", "retention_days": 30, "owner_id": dana.id})
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: panel.system.currentText() == "VPN concentrator", timeout=5000)
    assert panel.system_info.text() == "Owner Dana Ng · logs kept 30 d"
    (system,) = session.reader.records.all(System)
    assert system.owner_id == dana.id
    assert session.reader.records.get(Evidence, item.id).system_id == system.id  # linked at once
    session.close()
