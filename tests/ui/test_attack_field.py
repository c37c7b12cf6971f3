"""The ATT&CK field: completion by id or by name from the shipped catalogue, the chosen id put
where the last one was typed, names and tactics shown, and what ``--attack`` would refuse said
before anything is saved."""

from __future__ import annotations

from irdesk.domain import attack
from irdesk.ui.attack_field import AttackField, completions, split_ids


def field(qtbot) -> AttackField:
    widget = AttackField()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_completion_lists_every_technique_but_the_revoked_by_id_and_name():
    listed = completions()
    cat = attack.catalogue()
    assert len(listed) == sum(1 for t in cat.techniques.values() if t.status != "revoked")
    assert "T1486 — Data Encrypted for Impact" in listed
    assert not any(line.startswith("T1002 ") for line in listed)  # revoked


def test_a_name_completes_to_its_id_after_those_already_typed(qtbot):
    widget = field(qtbot)
    widget.line.setText("T1078.002, encrypted for")
    completer = widget.line.completer()
    completer.setCompletionPrefix(completer.splitPath(widget.line.text())[0])
    assert completer.completionCount() == 1 and completer.setCurrentRow(0)
    assert completer.currentIndex().data() == "T1486 — Data Encrypted for Impact"
    assert completer.pathFromIndex(completer.currentIndex()) == "T1078.002, T1486, "
    widget.line.setText(completer.pathFromIndex(completer.currentIndex()))
    assert widget.ids() == ("T1078.002", "T1486")


def test_ids_are_named_with_their_tactics_and_refusals_said_as_the_cli_says_them(qtbot):
    widget = field(qtbot)
    qtbot.keyClicks(widget.line, "t1486 T1486")
    assert widget.ids() == ("T1486",)
    assert "T1486 Data Encrypted for Impact · Impact" in widget.meaning.text()
    assert widget.problem() == ""
    widget.line.clear()
    qtbot.keyClicks(widget.line, "T9999")
    assert widget.problem() == "T9999 is not a technique in ATT&CK Enterprise v18.1, the catalogue irdesk ships."
    assert widget.problem() in widget.meaning.text()
    widget.line.clear()
    qtbot.keyClicks(widget.line, "T1002")
    assert "revoked" in widget.problem() and "use T1560" in widget.problem()


def test_a_deprecated_id_is_accepted_with_the_warning(qtbot):
    deprecated = next(t.id for t in attack.catalogue().techniques.values() if t.status == "deprecated")
    widget = field(qtbot)
    qtbot.keyClicks(widget.line, deprecated)
    assert widget.problem() == ""
    assert "deprecated" in widget.meaning.text()


def test_an_imported_id_the_catalogue_lacks_is_shown_flagged(qtbot):
    widget = field(qtbot)
    widget.set_ids(("T1486", "T9876"))
    assert "T9876 (not in ATT&CK Enterprise v18.1)" in widget.meaning.text()
    assert split_ids(widget.line.text()) == ["T1486", "T9876"]
