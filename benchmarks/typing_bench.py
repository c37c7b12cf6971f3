"""Saving a note while typing: how long the GUI thread stalls while autosaves commit slowly.

The real main window runs offscreen on a copy of a large case. Every write on the session's
writer thread sleeps an extra ``--commit-delay`` ms first (a USB stick's fsync), which must
never reach the GUI thread. Keystrokes arrive in bursts at a typist's pace with pauses long
enough for the autosave to fire, so commits finish while the next burst is typed, and now
and then a new note is started (its first save reloads the note list). Two measures:

- keystroke latency: how late the keystroke's timer fired plus the time to handle the key;
- the longest stall: the largest gap between ticks of a 1 ms timer over the whole run.

    python benchmarks/typing_bench.py CASE [--keystrokes 400] [--commit-delay 100]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.common import PASSPHRASE, Figure, case_path, make_demo, percentile, run_child  # noqa: E402

TEXT = (
    "Isolated WS-0042 from the network at the switch; svc-backup logon from 10.20.4.17 "
    "seen at 02:14, hash of the dropper taken, memory image queued for the analyst. "
)
BURST = 24  # keystrokes typed without a pause
KEY_INTERVAL_MS = 45  # about 22 characters a second: a fast typist
PAUSE_MS = 700  # longer than the autosave debounce, so a save starts in every pause
NEW_NOTE_EVERY = 120  # keystrokes


def child(path: str, keystrokes: int, commit_delay_ms: int) -> dict[str, float]:
    """Type into the real window on ``path`` and measure the GUI thread (runs in its own process)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from irdesk.casefile.store import CaseFile
    from irdesk.domain.enums import Phase
    from irdesk.ui.main_window import MainWindow
    from irdesk.ui.palette import apply_palette
    from irdesk.ui.session import CaseSession

    class SlowSession(CaseSession):
        """Each write first waits like a slow stick's fsync, on the writer thread."""

        commits = 0

        def write_tracked(self, op, *args, **kwargs):  # type: ignore[no-untyped-def]
            def slow(case, job):  # type: ignore[no-untyped-def]
                time.sleep(commit_delay_ms / 1000)
                result = op(case, job)
                SlowSession.commits += 1
                return result

            return super().write_tracked(slow, *args, **kwargs)

    class Desk:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return lambda *a, **k: None

        def idle_minutes(self) -> int:
            return 0

    app = QApplication([sys.argv[0]])
    apply_palette(app)
    case = CaseFile.open(path, PASSPHRASE, actor="Bench")
    session = SlowSession(case)
    window = MainWindow(session, Desk())  # type: ignore[arg-type]
    window.show()
    window.tabs.setCurrentWidget(window.phase_tabs[Phase.CONTAINMENT])
    window.new_note()
    editor = window.phase_tabs[Phase.CONTAINMENT].editor.text
    before = session.reader.notes.count()

    clock = QElapsedTimer()
    clock.start()
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(lambda: ticks.append(clock.nsecsElapsed() / 1e6))

    latencies: list[float] = []
    state = {"typed": 0, "due": 0.0}

    typist = QTimer()
    typist.setSingleShot(True)
    typist.setTimerType(Qt.TimerType.PreciseTimer)

    def schedule(delay_ms: int) -> None:
        state["due"] = clock.nsecsElapsed() / 1e6 + delay_ms
        typist.start(delay_ms)

    def key() -> None:
        late = max(0.0, clock.nsecsElapsed() / 1e6 - state["due"])
        typed = int(state["typed"])
        started = clock.nsecsElapsed()
        if typed and typed % NEW_NOTE_EVERY == 0:
            window.new_note()
        QTest.keyClicks(editor, TEXT[typed % len(TEXT)])
        latencies.append(late + (clock.nsecsElapsed() - started) / 1e6)
        state["typed"] = typed = typed + 1
        if typed >= keystrokes:
            heartbeat.stop()
            QTimer.singleShot(0, lambda: app.exit(0))  # quit() asks the window, which says no
        else:
            schedule(PAUSE_MS if typed % BURST == 0 else KEY_INTERVAL_MS)

    def begin() -> None:
        heartbeat.start()
        schedule(KEY_INTERVAL_MS)

    typist.timeout.connect(key)
    QTimer.singleShot(500, begin)  # after the window's first paint: opening has its own figure
    app.exec()
    window.save_all()
    session.settle()
    written = session.reader.notes.count() - before
    expected = -(-keystrokes // NEW_NOTE_EVERY)
    if written != expected:
        raise RuntimeError(f"typed {expected} notes, but {written} were saved")
    session.close()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return {
        "keystrokes": len(latencies),
        "commits": SlowSession.commits,
        "key_p50_ms": percentile(latencies, 50),
        "key_p99_ms": percentile(latencies, 99),
        "key_max_ms": max(latencies),
        "stall_p99_ms": percentile(gaps, 99),
        "stall_max_ms": max(gaps),
    }


def measure(path: str, keystrokes: int, commit_delay_ms: int) -> dict[str, float]:
    """Run :func:`child` in a fresh process (Qt and the GUI thread to itself)."""
    return run_child([os.path.abspath(__file__), "--child", path, "--keystrokes", str(keystrokes),
                      "--commit-delay", str(commit_delay_ms)])


def figures(workdir: str, quick: bool) -> list[Figure]:
    notes = 10_000 if quick else 100_000
    source = make_demo(case_path(workdir, notes), notes)
    copy = os.path.join(workdir, f"typing-{notes}.ircase")  # the shared case stays unchanged
    shutil.copyfile(source, copy)
    try:
        r = measure(copy, 150 if quick else 400, 100)
    finally:
        os.unlink(copy)
    return [
        Figure(f"saving a note while typing: key p99, {notes // 1000}k", r["key_p99_ms"], "ms", None,
               "<= 16 ms", r["key_p99_ms"] <= 16),
        Figure("  keystroke latency, max", r["key_max_ms"], "ms", None, "report"),
        Figure("  GUI thread stall p99 (1 ms timer)", r["stall_p99_ms"], "ms", None, "<= 16 ms",
               r["stall_p99_ms"] <= 16),
        Figure("  longest GUI thread stall", r["stall_max_ms"], "ms", None, "report"),
        Figure(f"  autosaves in {r['keystrokes']:.0f} keys, +100 ms each", r["commits"], "saves",
               None, "> 0", r["commits"] > 0),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", help="a case file with the benchmark passphrase (it is written to)")
    parser.add_argument("--keystrokes", type=int, default=400)
    parser.add_argument("--commit-delay", type=int, default=100, help="extra ms per commit")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.case, args.keystrokes, args.commit_delay)))
    else:
        for name, value in measure(args.case, args.keystrokes, args.commit_delay).items():
            print(f"{name:<16}{value:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
