"""The one job helper: writes in order, reads beside them, no callback on a closed case, bugs shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Phase, RecordKind
from irdesk.domain.records import Note
from irdesk.ui import bug_report
from irdesk.ui.jobs import JobRunner
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_saved


def test_writes_commit_in_the_order_they_were_made(session, qtbot):
    for i in range(20):
        session.write(lambda case, i=i: ops.add_note(case, Phase.DETECTION, f"note {i}"))
    wait_saved(qtbot, session)
    notes = sorted(session.reader.records.all(Note), key=lambda n: n.created.utc)
    assert [n.body for n in notes] == [f"note {i}" for i in range(20)]


def test_a_write_announces_exactly_what_it_changed(session, qtbot):
    seen = []
    session.changed.connect(seen.append)
    done = []
    session.write(lambda case: ops.add_contact(case, "Marta"), on_done=done.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    [changes] = seen
    assert changes.kinds == {RecordKind.CONTACT} and changes.ids(RecordKind.CONTACT) == {done[0].id}


def test_a_read_does_not_wait_for_a_slow_write(session, qtbot):
    gate = threading.Event()

    def slow_write(case):
        gate.wait(10)
        return ops.add_note(case, Phase.DETECTION, "slow")

    session.write(slow_write)
    answer = []
    session.read(lambda reader, _job: reader.case().title, on_done=answer.append)
    qtbot.waitUntil(lambda: bool(answer), timeout=5000)  # while the write is still held
    assert answer == ["Test incident"] and session.pending == 1
    gate.set()
    wait_saved(qtbot, session)


def test_no_callback_once_the_owner_is_gone(qapp, qtbot):
    holder = QWidget()
    runner = JobRunner(holder)
    owner = QWidget()
    gate, called = threading.Event(), []
    runner.start(lambda _job: gate.wait(5), owner=owner, on_done=called.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=2000)
    gate.set()
    runner.deliver()
    assert called == []
    holder.deleteLater()


def test_no_callback_after_the_case_closed(session, qtbot):
    gate, called = threading.Event(), []
    session.read(lambda reader, _job: gate.wait(5), on_done=called.append)
    closer = threading.Timer(0.2, gate.set)
    closer.start()
    session.close()  # waits for the read, then drops its result
    qtbot.wait(50)
    assert called == []
    closer.join()


def test_an_unexpected_worker_exception_shows_the_bug_dialog_with_its_traceback(session, qtbot):
    def broken(_reader, _job):
        raise RuntimeError("the parser fell over")

    errors: list[str] = []
    session.read(broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "irdesk hit a bug" in errors[0] and "the parser fell over" in errors[0]
    [box] = bug_report.open_reports()
    try:
        assert box.windowTitle() == "irdesk hit a bug"
        assert "Traceback (most recent call last)" in box.detailedText()
        assert "RuntimeError: the parser fell over" in box.detailedText()
        assert "in broken" in box.detailedText()
    finally:
        box.close()


def test_a_known_error_is_one_sentence_and_no_bug_dialog(session, qtbot):
    errors: list[str] = []
    session.write(lambda case: ops.add_action(case, "  "), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["The action item's title is empty."]
    assert bug_report.open_reports() == []


def test_the_excepthook_shows_a_bug_raised_in_the_event_loop(qtbot, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    bug_report.install_excepthook()
    try:
        raise ValueError("a slot went wrong")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    [box] = bug_report.open_reports()
    try:
        assert "ValueError: a slot went wrong" in box.detailedText()
    finally:
        box.close()


def test_locking_while_a_dialogs_timer_is_pending_raises_nothing(desk, closed_case, qtbot, monkeypatch):
    """The hand-off dialog's strength meter fires 120 ms after a keystroke; lock before it does."""
    from irdesk.ui.handoff_dialog import HandoffDialog

    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    dialog = HandoffDialog(desk.session)  # no parent: it outlives the window that locking closes
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase.first, "harbour-lantern-copy")  # the meter's timer is now pending
    assert dialog.passphrase._timer.isActive()
    assert desk.lock()
    qtbot.wait(400)  # past the timer: pytest-qt fails the test on any exception in a Qt callback
    assert desk.session is None and not dialog.isVisible()  # closed with the case


@pytest.fixture(autouse=True)
def no_bug_reports_left():
    yield
    for box in bug_report.open_reports():
        box.close()
