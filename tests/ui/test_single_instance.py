"""One irdesk per case: a second launch on a case that is open, or locked, in a running irdesk
brings that window to the front and exits 0, over a per-user local socket (never the network)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile

import pytest

from tests.conftest import IRDESK, PASSPHRASE


@pytest.fixture
def runtime(monkeypatch):
    folder = tempfile.mkdtemp(prefix="irdesk-run-")  # short: a socket's path has 107 bytes at most
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def second_launch(qtbot, irdesk_env, runtime, case_path: str) -> subprocess.CompletedProcess:
    """``irdesk gui CASE`` in a process of its own, while this test's event loop answers."""
    env = dict(irdesk_env, XDG_RUNTIME_DIR=str(runtime))
    proc = subprocess.Popen([*IRDESK, "gui", case_path], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30000)
    finally:
        if proc.poll() is None:
            proc.kill()
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_a_second_launch_raises_the_open_case_and_exits_0(desk, closed_case, qtbot, monkeypatch,
                                                          irdesk_env, runtime):
    from irdesk.ui.single_instance import socket_path

    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    sock = socket_path(closed_case)
    assert os.path.dirname(sock) == str(runtime) and stat.S_ISSOCK(os.stat(sock).st_mode)
    assert stat.S_IMODE(os.stat(sock).st_mode) & 0o077 == 0  # this user's only
    raised: list[str] = []
    desk.instances.raise_requested.connect(raised.append)
    link = os.path.join(os.path.dirname(closed_case), "same-case.ircase")
    os.symlink(closed_case, link)  # the same file by another name: the same socket
    done = second_launch(qtbot, irdesk_env, runtime, link)
    assert done.returncode == 0, done.stderr
    assert "brought to the front" in done.stdout and done.stderr == ""
    assert raised == [os.path.realpath(closed_case)]


def test_a_second_launch_on_a_locked_case_raises_its_unlock(desk, closed_case, qtbot, monkeypatch,
                                                            irdesk_env, runtime):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    desk.lock()
    assert desk.window is None and desk.unlock_dialog is not None
    raised: list[str] = []
    desk.instances.raise_requested.connect(raised.append)
    done = second_launch(qtbot, irdesk_env, runtime, closed_case)
    assert done.returncode == 0, done.stderr
    assert raised and desk.unlock_dialog.isVisible()


def test_a_socket_left_by_a_killed_irdesk_is_taken_over(desk, closed_case, monkeypatch, runtime):
    import socket

    from irdesk.ui.single_instance import ask_running, socket_path

    stale = socket.socket(socket.AF_UNIX)  # bound, then closed: what a kill -9 leaves
    stale.bind(socket_path(closed_case))
    stale.close()
    assert not ask_running(closed_case, wait_ms=200)
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    desk.start(closed_case)
    assert desk.instances.served == {os.path.realpath(closed_case)}
    desk.quit(force=True)
    assert not os.path.exists(socket_path(closed_case))


def test_without_xdg_runtime_dir_the_socket_is_in_a_folder_of_this_users_own(monkeypatch, tmp_path):
    from irdesk.ui.single_instance import runtime_dir, socket_path

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    base = tempfile.mkdtemp(prefix="irt-")
    monkeypatch.setattr(tempfile, "tempdir", base)
    try:
        folder = runtime_dir()
        assert folder == os.path.join(base, f"irdesk-{os.getuid()}")
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert os.path.dirname(socket_path(str(tmp_path / "x.ircase"))) == folder
        os.chmod(folder, 0o777)  # opened to others: not used
        assert runtime_dir() != folder
    finally:
        shutil.rmtree(base, ignore_errors=True)
