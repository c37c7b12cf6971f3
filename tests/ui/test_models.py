"""Every item model passes Qt's model tester, and the note list loads lazily."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt

from irdesk.casefile import operations as ops
from irdesk.casefile.store import NoteFilter
from irdesk.domain.enums import ActionStatus, Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, ChecklistItem, Contact
from irdesk.ui.notes.model import PAGE, NoteListModel


def _notes(case, n: int) -> None:
    start = Moment.now()
    with case.transaction():
        for i in range(n):
            ops.add_note(case,
                Phase.DETECTION,
                f"sweep {i}",
                occurred=start + timedelta(minutes=i),
                gap=Gap.ACCESS if i % 10 == 0 else None,
            )


def test_note_list_model_is_lazy_and_valid(case, qtmodeltester):
    _notes(case, PAGE + 50)
    model = NoteListModel(case, NoteFilter(phase=Phase.DETECTION))
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE  # one page, not the whole table
    assert model.note_at(0).body == f"sweep {PAGE + 49}"  # newest first
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE + 50


def test_a_new_note_is_placed_where_a_reload_would_put_it(case, qtmodeltester):
    _notes(case, PAGE + 50)
    f = NoteFilter(phase=Phase.DETECTION)
    model = NoteListModel(case, f)
    model.fetchMore(QModelIndex())
    first, last = model.note_at(0).occurred, model.note_at(PAGE - 1).occurred
    newest = ops.add_note(case, Phase.DETECTION, "newest", occurred=first + timedelta(minutes=1)).value
    tie = ops.add_note(case, Phase.DETECTION, "same instant, entered later", occurred=first).value
    assert model.insert_new(newest) == 0
    assert model.insert_new(tie) == 1  # entered last: before the older note at that instant
    other = ops.add_note(case, Phase.CONTAINMENT, "another phase").value
    deep = ops.add_note(case, Phase.DETECTION, "long ago", occurred=last + timedelta(days=-1)).value
    assert model.insert_new(other) == -1 and model.insert_new(deep) == -1  # reload for these
    assert model.total == case.notes.count(f) - 1  # "long ago" waits for its page or a reload
    shown = [model.note_at(r).id for r in range(model.rowCount())]
    assert shown == [n.id for n in case.notes.page(f, limit=PAGE + 2, newest_first=True)]
    qtmodeltester.check(model)


def test_gap_list_model(case, qtmodeltester):
    _notes(case, 30)
    model = NoteListModel(case, NoteFilter(gaps_only=True))
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_record_models(session, qtbot, qtmodeltester):
    from irdesk.ui.contacts.model import contact_model, engagement_model
    from irdesk.ui.evidence.model import evidence_model
    from irdesk.ui.post_incident.action_items import action_model

    case = session.case
    contact = ops.add_contact(case, name="Marta", last_verified=date(2020, 1, 1)).value
    ops.add_contact(case, name="Ravi", last_verified=date.today())
    e = ops.add_evidence(case, label="Firewall logs", requested_from=contact.id, requested_at=Moment.now()
    ).value
    eng = ops.add_engagement(case, contact_id=contact.id, purpose="vCenter", needed_at=Moment.now()).value
    ops.add_action(case, title="EDR on file servers", status=ActionStatus.ACCEPTED)

    evidence = evidence_model(lambda cid: "Marta" if cid == contact.id else "")
    evidence.set_records([e])
    contacts = contact_model()
    contacts.set_records(case.records.all(Contact))
    engagements = engagement_model()
    engagements.set_records([eng])
    actions = action_model()
    actions.set_records(case.records.all(ActionItem))
    for model in (evidence, contacts, engagements, actions):
        qtmodeltester.check(model)
    assert evidence.index(0, 2).data() == "Marta"
    assert "(waiting)" in evidence.index(0, 5).data()
    assert contacts.index(0, 1).data().startswith("⚠")  # stale
    assert "Stale" in contacts.index(0, 1).data(3)  # tooltip says why
    assert not contacts.index(1, 1).data().startswith("⚠")


def test_checklist_model(session, qtbot, qtmodeltester):
    from PySide6.QtCore import Qt

    from irdesk.ui.readiness import ChecklistModel

    ops.add_checklist_items(session.case, ["Contacts verified", "Forensic tools ready"])
    model = ChecklistModel(session)
    model.reload()
    qtmodeltester.check(model)
    assert model.setData(
        model.index(1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    qtbot.waitUntil(lambda: session.pending == 0)
    assert [i.done for i in session.reader.records.all(ChecklistItem)] == [False, True]


def test_note_list_previews_drop_markdown_marks():
    from irdesk.ui.notes.model import first_line

    assert first_line("# **Ransom note** found\nmore") == "Ransom note found"
    assert first_line("\n- isolated `FS01`") == "isolated FS01"
    assert first_line("**") == "**"  # a note of marks alone still shows what was typed
    assert first_line(" \n\n") == "(empty note)"
    assert first_line("x" * 300).endswith("…") and len(first_line("x" * 300)) == 120


def test_tables_sort_naturally_a_to_z_ignoring_case_and_keep_new_rows_in_order(session, qtbot):
    """Defect 14: tables sorted Z→A and case-sensitively by default, new rows were not
    re-sorted, and columns were cut short even with room to spare."""
    from irdesk.casefile import operations as ops
    from irdesk.ui.evidence.panel import EvidencePanel
    from irdesk.ui.records_model import RECORD_ROLE
    from tests.ui.conftest import wait_saved

    for label in ("disk image 10", "Proxy logs", "disk image 2", "apache access log"):
        ops.add_evidence(session.case, label)
    panel = EvidencePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1900, 700)
    panel.show()
    table = panel.table

    def labels() -> list[str]:
        model = table.model()
        return [model.index(row, 0).data(RECORD_ROLE).label for row in range(model.rowCount())]

    header = table.horizontalHeader()
    assert header.sortIndicatorSection() == 0
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert labels() == ["apache access log", "disk image 2", "disk image 10", "Proxy logs"]
    panel.add_item("Badge reader export")  # a new row goes to its place, not to the end
    wait_saved(qtbot, session)
    qtbot.waitUntil(lambda: len(labels()) == 5, timeout=5000)
    assert labels() == ["apache access log", "Badge reader export", "disk image 2", "disk image 10",
                        "Proxy logs"]
    qtbot.wait(50)  # the columns are fitted once the rows have landed
    for column in range(header.count() - 1):  # the last one stretches
        wanted = max(table.sizeHintForColumn(column), header.sectionSizeFromContents(column).width())
        assert header.sectionSize(column) >= wanted, (column, header.sectionSize(column), wanted)
