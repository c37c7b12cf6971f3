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
    assert formats == ["json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive",
                       "jsonl-timeline", "veris"]
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


def test_import_dialog_previews_then_imports_a_real_misp_event(qtbot, session):
    """One of PyMISP's own test events (tests/interop/data/misp, BSD licence): the preview says
    what comes in and what has no indicator kind; the import adds them and says so."""
    from irdesk.domain.records import Indicator

    dialog = show_import_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "misp")
    dialog.path_edit.setText(os.path.join(DATA, "misp", "57c4445b-c548-4654-af0b-4be3950d210f.json"))
    dialog.read_file()
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10000)
    assert dialog.status.text().startswith("MISP event ")
    assert "4 indicator(s), 5 attribute(s) with no indicator kind." in dialog.status.text()
    before = {(i.kind, i.value) for i in session.reader.records.all(Indicator)}
    with qtbot.waitSignal(session.changed, timeout=10000):
        dialog.action_button.click()
    after = {(i.kind, i.value) for i in session.reader.records.all(Indicator)}
    assert len(after - before) == 4
    assert "5 attribute(s) skipped" in dialog.status.text()
    assert not dialog.action_button.isEnabled()


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


def test_export_dialog_says_every_format_is_unencrypted(qtbot, session):
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    for index in range(dialog.format_box.count()):
        dialog.format_box.setCurrentIndex(index)
        assert dialog.warning.isVisibleTo(dialog)
        assert dialog.warning.text().startswith("<b>Not encrypted.</b>")
        assert "anyone who gets the file can read the case" in dialog.warning.text()


def test_export_dialog_refuses_the_open_case_and_any_case_file(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    other = tmp_path / "copy-for-legal"  # a case file without its extension
    with CaseFile.create(str(tmp_path / "other.ircase"), PASSPHRASE, title="Other", actor="T"):
        pass
    other.write_bytes((tmp_path / "other.ircase").read_bytes())
    link = tmp_path / "shortcut.json"
    link.symlink_to(session.path)
    # Never open a descriptor on the open case here: closing it would drop SQLite's locks.
    head, size, kept = session.case.chain_head, os.path.getsize(session.path), other.read_bytes()
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    for target in (session.path, str(link), str(tmp_path / "other.ircase"), str(other)):
        dialog.path_edit.setText(target)
        dialog.action_button.click()
        assert dialog.status.text() == (f"{target} is a case file, and irdesk never writes over one: "
                                        "delete it first, or merge it.")
        assert dialog.busy.isHidden() and dialog.action_button.isEnabled()
    assert asked == []  # refused outright: no question to say yes to
    assert other.read_bytes() == kept and os.path.getsize(session.path) == size
    assert session.case.chain_head == head
    ops.add_contact(session.case, name="Still writable")  # the open case is unharmed


def test_export_dialog_refuses_a_case_files_name_for_plaintext(qtbot, session, tmp_path):
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    target = str(tmp_path / "for-legal.ircase")
    dialog.path_edit.setText(target)
    dialog.action_button.click()
    assert dialog.status.text() == (f"{target} ends in .ircase, the name of an encrypted case file, but this "
                                    "output is not encrypted: give it another name.")
    assert not os.path.exists(target) and dialog.action_button.isEnabled()


def test_export_dialog_asks_before_replacing_another_file(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    target = tmp_path / "last-week.md"
    target.write_text("last week's export")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = show_export_dialog(None, session)
    qtbot.addWidget(dialog)
    choose(dialog, "markdown")
    dialog.path_edit.setText(str(target))
    dialog.action_button.click()
    assert asked == [f"{target} already exists. Replace it with the export?"]
    assert dialog.status.text() == "Nothing was exported." and target.read_text() == "last week's export"
    dialog.action_button.click()
    qtbot.waitUntil(lambda: "Exported" in dialog.status.text(), timeout=10000)
    assert len(asked) == 2 and target.read_text().startswith("# ")
    assert sorted(os.listdir(tmp_path)) == ["gui.ircase", "last-week.md"]


def test_export_dialog_works_for_a_case_whose_name_is_not_utf8(qtbot, tmp_path):
    folder = os.fsencode(tmp_path) + b"/stick-\xe9"
    os.mkdir(folder)
    path = os.fsdecode(folder + b"/caf\xe9.ircase")
    case = CaseFile.create(path, PASSPHRASE, title="Café", actor="T")
    ops.add_contact(case, name="Ana Lima")
    session = CaseSession(case)
    try:
        dialog = show_export_dialog(None, session)
        qtbot.addWidget(dialog)
        choose(dialog, "vcard")
        assert dialog.path_edit.text().endswith("stick-\\xe9/caf\\xe9.vcf")  # readable, and it maps back
        dialog.action_button.click()
        qtbot.waitUntil(lambda: "Exported" in dialog.status.text(), timeout=10000)
        assert "caf\\xe9.vcf" in dialog.status.text()
        assert sorted(os.listdir(folder)) == [b"caf\xe9.ircase", b"caf\xe9.vcf"]
    finally:
        session.close()
