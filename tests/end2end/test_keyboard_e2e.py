"""The desktop app driven from the keyboard only, in a real X window (Xvfb + xdotool), as a
responder under pressure would: unlock and type at once; Ctrl+L over the hand-off dialog;
kill -9 in the middle of continuous typing; a 1024×600 laptop screen."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from tests.conftest import IRDESK, ROOT, require_tool

pytestmark = pytest.mark.e2e

PASSPHRASE = "tangerine-lighthouse-47-orbit"
TITLE = "Phishing at finance"
# Typed continuously at 25 characters a second; long enough for the kill to land mid-way.
TEXT = ("Isolated WS-0042 at the switch; svc-backup logon from 10.20.4.17 seen at 02:14; "
        "the dropper hash is taken and the memory image is queued for the analyst. ") * 2


class Display:
    """An Xvfb server of its own (no TCP), and xdotool against it."""

    def __init__(self, size: str, env: dict[str, str]) -> None:
        read, write = os.pipe()
        self.server = subprocess.Popen(
            [require_tool("Xvfb"), "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        self.env = dict(env, DISPLAY=f":{number}")
        self.env.pop("QT_QPA_PLATFORM", None)  # a real xcb window

    def xdotool(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([require_tool("xdotool"), *args], env=self.env, capture_output=True,
                              text=True, timeout=60)
        if check and done.returncode != 0:
            raise AssertionError(f"xdotool {' '.join(args)} failed: {done.stderr}")
        return done.stdout.strip()

    def visible(self, name: str) -> bool:
        return self.xdotool("search", "--onlyvisible", "--name", name, check=False) != ""

    def wait_for(self, name: str, seconds: float = 30, gone: bool = False) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.visible(name) != gone:
                return
            time.sleep(0.1)
        raise AssertionError(f"the window {name!r} did not {'go' if gone else 'appear'}")

    def close(self) -> None:
        self.server.terminate()
        self.server.wait(10)


@pytest.fixture
def tools():
    require_tool("Xvfb")
    require_tool("xdotool")


@pytest.fixture
def new_case(tmp_path, irdesk_env, tools):
    path = str(tmp_path / "finance.ircase")
    env = dict(irdesk_env, IRDESK_NEW_PASSPHRASE=PASSPHRASE)
    subprocess.run([*IRDESK, "new", path, "--title", TITLE], env=env, check=True, capture_output=True,
                   timeout=60)
    return path


def on_disk(path: str, env: dict[str, str], tmp_path) -> dict:
    """The case as the chain vouches for it: its JSON export (a read-only command)."""
    out = str(tmp_path / f"export-{time.monotonic_ns()}.json")
    done = subprocess.run([*IRDESK, "export", path, "--format", "json", "-o", out],
                          env=dict(env, IRDESK_PASSPHRASE=PASSPHRASE), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8") as handle:
        return json.load(handle)


def records(export: dict, kind: str) -> list[dict]:
    return [r for r in export["records"] if r.get("type") == kind and not r.get("deleted")]


def start_gui(display: Display, path: str) -> subprocess.Popen:
    log = os.path.join(os.path.dirname(path), "gui.log")
    with open(log, "w") as out:
        return subprocess.Popen([*IRDESK, "gui", path], env=display.env, stdout=out, stderr=out)


def gui_log(path: str) -> str:
    with open(os.path.join(os.path.dirname(path), "gui.log")) as log:
        return log.read()


def unlock(display: Display) -> None:
    display.wait_for("Unlock case")
    time.sleep(0.5)
    display.xdotool("type", "--delay", "20", PASSPHRASE)
    display.xdotool("key", "Return")
    display.wait_for(TITLE)


def test_unlock_type_at_once_then_lock_over_the_hand_off_dialog(new_case, irdesk_env, tmp_path):
    display = Display("1366x768", irdesk_env)
    gui = start_gui(display, new_case)
    try:
        unlock(display)
        display.xdotool("type", "--delay", "40", "Called Ana c C")  # at once: no click, no Tab
        time.sleep(2.5)  # saved by then
        export = on_disk(new_case, irdesk_env, tmp_path)
        case = records(export, "case")[0]
        assert [n["body"] for n in records(export, "note")] == ["Called Ana c C"]
        assert case["status"] == "open" and case.get("contained_at") is None

        display.xdotool("key", "alt+f")  # File ▸ Hand off to a colleague… from the keyboard
        display.xdotool("key", "h")
        display.wait_for("Hand off a copy")
        time.sleep(0.5)
        display.xdotool("type", "--delay", "20", "violet-anchor-93-meadow-x")
        display.xdotool("key", "ctrl+l")
        display.wait_for("Hand off a copy", gone=True, seconds=10)
        display.wait_for("Unlock case", seconds=10)
        assert not display.visible(TITLE)  # the case window is gone with the note text in it
        assert gui.poll() is None
    finally:
        gui.send_signal(signal.SIGTERM)
        try:
            gui.wait(30)
        finally:
            display.close()
    assert gui.returncode == 0, gui_log(new_case)


def test_a_kill_during_continuous_typing_keeps_all_but_the_last_second(new_case, irdesk_env, tmp_path):
    display = Display("1366x768", irdesk_env)
    gui = start_gui(display, new_case)
    typed: list[tuple[float, int]] = []  # (when xdotool had sent them, how many characters)
    try:
        unlock(display)
        time.sleep(0.3)
        start, chunk, sent = time.monotonic(), 6, 0
        while sent < len(TEXT) and time.monotonic() - start < 6.0:
            piece = TEXT[sent:sent + chunk]
            display.xdotool("type", "--delay", "40", piece)  # continuous: no pause between pieces
            sent += len(piece)
            typed.append((time.monotonic(), sent))
        killed_at = time.monotonic()
        gui.send_signal(signal.SIGKILL)
        gui.wait(10)
    finally:
        if gui.poll() is None:
            gui.kill()
        display.close()
    assert sent >= 100, "xdotool typed too little to judge"
    due = max((n for at, n in typed if at <= killed_at - 1.0), default=0)
    notes = records(on_disk(new_case, irdesk_env, tmp_path), "note")
    assert len(notes) == 1, notes
    body = notes[0]["body"]
    assert TEXT.startswith(body), body
    assert len(body) >= due, f"{len(body)} characters on disk, {due} were typed a second before the kill"


@pytest.mark.parametrize("screen", ["1024x600", "1366x768"])
def test_a_small_screen_shows_every_button(screen, new_case, irdesk_env, tools):
    """A new case's window and its report dialog fit a 1024×600 laptop, and a 1366×768 one
    (where both used to run off the bottom)."""
    display = Display(screen, irdesk_env)
    env = dict(display.env, IRDESK_PASSPHRASE=PASSPHRASE, PYTHONPATH=ROOT)
    try:
        done = subprocess.run([*IRDESK[:1], "-m", "tests.end2end.fit_session", new_case], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    finally:
        display.close()
    assert done.stdout.strip() == "fits", done.stdout + done.stderr
