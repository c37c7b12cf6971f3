"""Autosave under pressure: continuous typing is on disk within a second, and a typing session
leaves one version in the note's history, not one per autosave."""

from __future__ import annotations

import time

from irdesk.domain.enums import Phase
from irdesk.domain.records import Note
from irdesk.ui.notes.editor import SaveState
from tests.ui.conftest import wait_saved

TEXT = "Isolated WS-0042 at the switch; svc-backup logon from 10.20.4.17 seen at 02:14. " * 3


def type_continuously(qtbot, widget, text: str, seconds: float) -> list[tuple[float, int]]:
    """One key every 40 ms (25 a second, never a pause); (time, characters typed) after each."""
    typed: list[tuple[float, int]] = []
    start = time.monotonic()
    for n, char in enumerate(text, start=1):
        qtbot.keyClicks(widget, char)
        typed.append((time.monotonic(), n))
        qtbot.wait(40)
        if time.monotonic() - start > seconds:
            break
    return typed


def on_disk(session, phase: Phase) -> str:
    reader = session.case.reader()  # a connection of its own: what is committed, nothing else
    try:
        notes = reader.notes.page()
        return notes[0].body if notes else ""
    finally:
        reader.close()


def test_continuous_typing_is_on_disk_within_a_second(main_window, session, qtbot):
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    typed = type_continuously(qtbot, tab.editor.text, TEXT, seconds=3.0)
    now = time.monotonic()
    saved = on_disk(session, Phase.DETECTION)  # no pause yet: the debounce alone never fired
    due = max(n for at, n in typed if at <= now - 1.0)
    assert TEXT.startswith(saved) and len(saved) >= due, (len(saved), due)
    assert tab.editor.save_state in (SaveState.EDITED, SaveState.SAVING, SaveState.SAVED)


def test_a_typing_session_is_one_version_in_the_history(main_window, session, qtbot):
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    type_continuously(qtbot, tab.editor.text, TEXT, seconds=2.0)
    qtbot.waitUntil(lambda: tab.editor.save_state is SaveState.SAVED, timeout=5000)
    note = session.reader.notes.page()[0]
    saves = [e for e in session.case.chain.entries() if e.entity_id == note.id]
    assert len(saves) >= 3  # several autosaves, each one chained…
    assert session.reader.records.history(Note, note.id) == []  # …and one version

    tab.new_note()  # leave it, come back and add a line: a second version
    tab.show_note(note)
    qtbot.keyClicks(tab.editor.text, " Confirmed by EDR.")
    tab.editor.save()
    wait_saved(qtbot, session)
    history = session.reader.records.history(Note, note.id)
    assert [r.record.body for r in history] == [note.body]
    assert session.reader.records.get(Note, note.id).body == note.body + " Confirmed by EDR."


def test_text_that_left_the_file_stays_in_the_history(main_window, session, qtbot):
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.new_note()
    qtbot.keyClicks(tab.editor.text, "Beacon to 10.20.4.17")
    tab.editor.save()
    wait_saved(qtbot, session)
    copied = session.reader.notes.page()[0]
    done: list[str] = []
    session.read(lambda reader, _job: reader.notes.page()[0].body, on_done=done.append)  # an export
    qtbot.waitUntil(lambda: done == [copied.body], timeout=5000)
    qtbot.keyClicks(tab.editor.text, " every 60 s")
    tab.editor.save()
    wait_saved(qtbot, session)
    assert [r.record.rev for r in session.reader.records.history(Note, copied.id)] == [copied.rev]


def test_an_unchanged_occurred_at_keeps_its_offset_and_seconds(main_window, session, qtbot):
    from irdesk.casefile import operations as ops
    from irdesk.domain.moment import Moment

    at = Moment.parse("2026-11-28T09:10:37.250000+05:30")
    note = ops.add_note(session.case, Phase.DETECTION, "Typed on the analyst's laptop", occurred=at).value
    tab = main_window.phase_tabs[Phase.DETECTION]
    tab.model.reload()
    tab.show_note(note)
    qtbot.keyClicks(tab.editor.text, " (copied here)")
    tab.editor.save()
    wait_saved(qtbot, session)
    saved = session.reader.records.get(Note, note.id)
    assert saved.occurred == at and saved.occurred.offset_minutes == 330
    assert saved.occurred.isoformat() == at.isoformat()
