"""The regulators' clocks obey the boundary whichever way a change arrives: the CLI, the GUI, a
JSON import, a colleague's copy in a merge. A case that holds regulatory data breaking the
rules (written by a hostile or older irdesk, chained) stays readable: ``show``, the report,
the exports and the window list it, point it out, and never fail with a traceback.
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
from irdesk.domain.enums import ContactKind, RegimeKind
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.domain.records import Notification, Regime
from irdesk.interop.exporting import export_case
from irdesk.interop.jsonimport import load_export, merge_export
from tests.conftest import PASSPHRASE

COLLEAGUE = "violet-anchor-93-meadow-x"
AWARE = Moment.parse("2026-10-12T08:00+00:00")


def beneath_the_rules(path: str, passphrase: str, monkeypatch, change) -> None:
    """What a hostile or older irdesk could write: chained, but breaking today's rules."""
    with monkeypatch.context() as m, CaseFile.open(path, passphrase, actor="Ben") as copy:
        m.setattr(rules, "RULES", ())
        m.setattr(rules, "LINK_RULES", ())
        change(copy)


def far_future_regime(copy: CaseFile) -> None:
    ops.add_regime(copy, RegimeKind.GDPR, aware_at=Moment.parse("9999-12-31T23:59:59+00:00"))


# ---------------------------------------------------------------- the GUI


def test_the_regime_and_notification_dialogs_offer_only_times_in_bounds(case, qtbot):
    from irdesk.domain.deadlines import schedule
    from irdesk.ui.post_incident.notification_dialog import NotificationDialog
    from irdesk.ui.post_incident.regime_dialog import RegimeDialog

    regime = ops.add_regime(case, RegimeKind.GDPR, aware_at=AWARE).value
    [deadline] = schedule([regime], [], AWARE)
    dialogs = [RegimeDialog(), NotificationDialog(deadline, [])]
    fields = [field.edit for field in dialogs[0].triggers.values()] + [dialogs[1].sent_at.edit]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
    assert len(fields) == 5
    for edit in fields:
        assert edit.minimumDateTime().toSecsSinceEpoch() == 0
        assert edit.maximumDateTime().toSecsSinceEpoch() < 4133980800  # 2101-01-01T00:00Z


# ---------------------------------------------------------------- JSON import and merge


def test_a_regime_time_out_of_bounds_is_refused_by_json_import(case, tmp_path, monkeypatch):
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    beneath_the_rules(copy, COLLEAGUE, monkeypatch, far_future_regime)
    target = str(tmp_path / "copy.json")
    with CaseFile.open(copy, COLLEAGUE, writable=False) as other:
        export_case(other, "json", target)
    with open(target, "rb") as handle:
        export = load_export(handle)
    head = case.chain_head
    with pytest.raises(NotAllowed, match="awareness time 9999-12-31"):
        merge_export(case, export, source="json")
    assert case.chain_head == head and case.records.all(Regime) == []


def test_a_colleagues_notification_out_of_bounds_is_refused_by_merge(case, tmp_path, monkeypatch):
    regime = ops.add_regime(case, RegimeKind.GDPR, aware_at=AWARE).value
    dpa = ops.add_contact(case, "Dutch DPA", kind=ContactKind.REGULATOR).value
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    path = case.path
    case.close()
    beneath_the_rules(copy, COLLEAGUE, monkeypatch, lambda c: ops.add_notification(
        c, regime.id, "notification", Moment.parse("2101-03-01T00:00+00:00"), dpa.id))
    before = Path(path).read_bytes()
    with CaseFile.open(path, PASSPHRASE) as reopened, pytest.raises(BadInput, match="sent time 2101-03-01"):
        ops.merge_copy(reopened, copy, COLLEAGUE)
    assert Path(path).read_bytes() == before


def test_a_trigger_order_clash_only_the_combination_creates_becomes_a_conflict(case, tmp_path):
    """One copy records DORA's classification at 09:00; the other moves awareness to 10:00. Each
    is fine alone; joined, classification would precede awareness: a conflict, not a refusal."""
    dora = ops.add_regime(case, RegimeKind.DORA, aware_at=AWARE).value
    copy = str(tmp_path / "copy.ircase")
    write_handoff_copy(case, copy, COLLEAGUE)
    ops.edit_regime(case, dora.id, aware_at=AWARE + timedelta(hours=2))
    with CaseFile.open(copy, COLLEAGUE, actor="Ben") as other:
        ops.edit_regime(other, dora.id, classified_at=AWARE + timedelta(hours=1))
    result = ops.merge_copy(case, copy, COLLEAGUE)
    assert len(result.plan.conflicts) == 1
    current = case.records.get(Regime, dora.id)
    assert not rules.problems(current)
    assert len(list_conflicts(case)) == 1 and check_case(case).ok


def test_a_format_1_json_export_still_imports(case, tmp_path):
    """Format 3 added regimes and notifications; an export written before them reads as it did."""
    import json

    ops.add_contact(case, "Marta Ruiz")
    target = tmp_path / "case.json"
    export_case(case, "json", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format_version"] == 5  # 3 regimes (issue 21), 4 systems (issue 18), 5 ATT&CK (issue 20)
    data["format_version"] = 1
    target.write_text(json.dumps(data), encoding="utf-8")
    with open(target, "rb") as handle:
        export = load_export(handle)
    assert [r.KIND for r in export.records].count("contact") == 1


# ---------------------------------------------------------------- hostile data that is chained


@pytest.fixture
def hostile(case, monkeypatch):
    """A case whose regimes break every rule: a trigger in the year 9999, an unknown time zone
    and jurisdiction, custom stages that do not parse, a notification under a missing stage."""
    dpa = ops.add_contact(case, "Dutch DPA", kind=ContactKind.REGULATOR).value
    sane = ops.add_regime(case, RegimeKind.NIS2, aware_at=AWARE).value
    path = case.path
    case.close()

    def change(c: CaseFile) -> None:
        far_future_regime(c)
        ops.add_regime(c, RegimeKind.SEC_8K, determined_at=AWARE, jurisdiction="XX", time_zone="Mars/Olympus")
        ops.add_regime(c, RegimeKind.CUSTOM, name="Broken", stages=["this is not a stage"], aware_at=AWARE)
        ops.add_regime(c, RegimeKind.DORA, classified_at=Moment.parse("2100-12-31T23:00+00:00"),
                       aware_at=Moment.parse("2100-12-31T22:00+00:00"))
        ops.add_notification(c, sane.id, "final-report", Moment.parse("9999-01-01T00:00+00:00"), dpa.id)
        with c.transaction():
            c.records.create(Notification, regime_id=sane.id, stage="no-such-stage", sent_at=AWARE,
                             contact_id=dpa.id)

    beneath_the_rules(path, PASSPHRASE, monkeypatch, change)
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    return path


def test_hostile_regulatory_data_is_shown_and_pointed_out_not_a_traceback(hostile, capsys, tmp_path):
    assert run(["show", hostile]) == 0
    out = capsys.readouterr().out
    assert "Regulatory deadlines" in out and "NIS2 early warning" in out
    assert "To fix" in out and "9999-12-31" in out
    assert "Mars/Olympus" in out or "XX" in out
    for fmt in ("markdown", "csv-timeline", "json"):
        assert run(["export", hostile, "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")]) == 0, fmt
    assert run(["report", hostile, "-o", str(tmp_path / "report.pdf")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "bug" not in err


def test_hostile_regulatory_data_in_the_window(hostile, qtbot):
    from irdesk.ui.header import Header
    from irdesk.ui.post_incident.notifications import NotificationsPanel
    from irdesk.ui.session import CaseSession

    session = CaseSession(CaseFile.open(hostile, PASSPHRASE, actor="T"))
    try:
        header = Header(session)
        countdown = header.deadline
        panel = NotificationsPanel(session)
        qtbot.addWidget(header)
        qtbot.addWidget(panel)
        assert not header.to_fix.isHidden() and "9999-12-31" in header.to_fix.text()
        countdown.refresh()
        panel.reload()
        assert "OVERDUE" in countdown.full_text  # the sane NIS2 clock still counts
        shown = []
        for row in range(panel.model.rowCount()):
            panel.table.selectRow(row)
            shown.append(panel.details.text())
        assert panel.model.rowCount() >= 3 and any("out of range" in text for text in shown)
    finally:
        session.close()
