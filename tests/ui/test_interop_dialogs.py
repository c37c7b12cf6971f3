"""The Export… and Import… dialogs: formats, work off the GUI thread, clear refusals."""

from __future__ import annotations

import json
import os

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.demo import build_demo
from irdesk.domain.enums import RecordKind
from irdesk.domain.records import Contact
from irdesk.ui.interop_dialogs import show_export_dialog, show_import_dialog
from irdesk.ui.session import CaseSession
from tests.conftest import PASSPHRASE

DATA = os.path.join(os.path.dirname(__file__), "..", "interop", "data")


@pytest.fixture
def session(qtbot, tmp_path):
    case = CaseFile.create(str(tmp_path / "gui.ircase"), PASSPHRASE, title="GUI", actor="T")
    build_demo(case)
    s = CaseSession(case)
    yield s
    s.close()


def choose(dialog, fmt: str) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))


def test_export_dialog_offers_every_format_and_writes_the_file(qtbot, session, tmp_path):
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    formats = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert formats == ["json", "markdown", "csv-timeline", "stix", "vcard"]
    choose(dialog, "stix")
    assert dialog.path_edit.text().endswith("gui.stix.json")
    target = str(tmp_path / "out" / "case.json")
    os.mkdir(tmp_path / "out")
    choose(dialog, "json")
    dialog.path_edit.setText(target)
    dialog.action_button.click()
    qtbot.waitUntil(lambda: "Exported" in dialog.status.text(), timeout=10000)
    with open(target, encoding="utf-8") as handle:
        assert json.load(handle)["case_id"] == session.case.case_id
    assert dialog.busy.isHidden() and dialog.action_button.isEnabled()


def test_export_to_a_missing_folder_is_refused(qtbot, session, tmp_path):
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "nowhere" / "x.md"))
    dialog.action_button.click()
    assert dialog.status.text() == "That folder does not exist."


def test_import_dialog_previews_then_imports_a_vcard(qtbot, session):
    dialog = show_import_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "vcard")
    dialog.path_edit.setText(os.path.join(DATA, "google-contacts.vcf"))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10000)
    assert "2 card(s): Priya Raman, Cybercrime desk." == dialog.status.text()
    before = len(session.reader.records.all(Contact))
    with qtbot.waitSignal(session.changed, timeout=10000):
        dialog.action_button.click()
    # Priya's card has other addresses than the demo's Priya: a new contact. The police
    # desk has the same name and no e-mail in both: the same contact, updated from the card.
    assert len(session.reader.records.all(Contact)) == before + 1
    assert dialog.status.text() == "1 contact(s) added, 1 updated, 0 already up to date."
    assert not dialog.action_button.isEnabled()


def test_import_dialog_refuses_a_bad_file_and_changes_nothing(qtbot, session, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    dialog = show_import_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "json")
    head = session.case.chain_head
    dialog.path_edit.setText(str(bad))
    dialog.read_file()
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.status.text(), timeout=10000)
    assert dialog.status.text().startswith("The file is not valid JSON")
    assert not dialog.action_button.isEnabled() and session.case.chain_head == head


def test_import_dialog_merges_another_cases_json(qtbot, session, tmp_path):
    from irdesk.interop.exporting import export_case

    other_path = str(tmp_path / "other.ircase")
    with CaseFile.create(other_path, PASSPHRASE, title="Phishing at finance", actor="B") as other:
        ops.add_contact(other, name="Ana Lima", email="ana@example.pt")
        export_case(other, "json", str(tmp_path / "other.json"))
    dialog = show_import_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "json")
    dialog.path_edit.setText(str(tmp_path / "other.json"))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10000)
    assert "another case ('Phishing at finance')" in dialog.status.text()
    changed = []
    session.changed.connect(changed.append)
    with qtbot.waitSignal(session.changed, timeout=10000):
        dialog.action_button.click()
    qtbot.waitUntil(lambda: any(c.touches(RecordKind.CONTACT) for c in changed), timeout=5000)
    assert "1 record(s) added" in dialog.status.text()
    assert session.reader.case().title != "Phishing at finance"
    assert any(c.name == "Ana Lima" for c in session.reader.records.all(Contact))


def test_import_is_enabled_as_soon_as_the_path_names_a_file(qtbot, session):
    dialog = show_import_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "vcard")
    dialog.path_edit.setFocus()
    path = os.path.join(DATA, "google-contacts.vcf")
    qtbot.keyClicks(dialog.path_edit, path[:-4])  # not a file yet: nothing to import
    qtbot.wait(400)
    assert not dialog.action_button.isEnabled()
    qtbot.keyClicks(dialog.path_edit, path[-4:])  # now it is, and the field still has the focus
    qtbot.waitUntil(dialog.action_button.isEnabled, timeout=10000)
    assert dialog.path_edit.hasFocus() and "2 card(s)" in dialog.status.text()
