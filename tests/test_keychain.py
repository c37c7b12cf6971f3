"""The keychain: a real Secret Service works; fail, null, locked and plaintext ones are refused."""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from irdesk.keychain import Keychain, KeychainError, key_id_for
from tests.conftest import ROOT, require_tool


class MemoryBackend:
    """Stands in for a working OS keychain where none can run in-process."""

    __module__ = "keyring.backends.SecretService"

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service, user, password):
        self.store[(service, user)] = password

    def get_password(self, service, user):
        return self.store.get((service, user))

    def delete_password(self, service, user):
        self.store.pop((service, user), None)


class LockedBackend(MemoryBackend):
    def set_password(self, service, user, password):
        raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service, user):
        raise KeyringLocked("Failed to unlock the collection!")


class PlaintextBackend(MemoryBackend):
    __module__ = "keyrings.alt.file"


def test_fail_backend_is_not_a_keychain():
    keychain = Keychain(fail.Keyring())
    status = keychain.status()
    assert not status.usable and status.reason == "No system keychain is running on this computer."
    with pytest.raises(KeychainError):
        keychain.remember("case-1", "secret")
    assert keychain.recall("case-1") is None


def test_null_backend_is_not_a_keychain():
    assert not Keychain(null.Keyring()).status().usable


def test_chainer_of_nothing_real_is_not_a_keychain():
    backend = chainer.ChainerBackend()
    backend.__dict__["backends"] = [fail.Keyring(), null.Keyring()]
    assert not Keychain(backend).status().usable


def test_plaintext_keyrings_alt_is_refused():
    keychain = Keychain(PlaintextBackend())
    status = keychain.status()
    assert not status.usable and "plaintext" in status.reason
    with pytest.raises(KeychainError):
        keychain.remember("case-1", "secret")
    assert PlaintextBackend().store == {}


def test_locked_keychain_never_blocks_unlocking():
    keychain = Keychain(LockedBackend())
    assert keychain.status().usable
    assert keychain.recall("case-1") is None  # the passphrase prompt remains
    with pytest.raises(KeychainError, match="locked"):
        keychain.remember("case-1", "secret")


def test_working_backend_round_trip():
    backend = MemoryBackend()
    keychain = Keychain(backend)
    keychain.remember("case-1", "secret")
    assert keychain.recall("case-1") == "secret"
    assert list(backend.store) == [("irdesk", "case-1")]
    keychain.forget("case-1")
    assert keychain.recall("case-1") is None


def test_key_id_names_the_salt_not_the_case():
    assert key_id_for(bytes(range(16))) == "case-000102030405060708090a0b0c0d0e0f"


def test_real_secret_service(tmp_path):
    """Against gnome-keyring-daemon on a private D-Bus session bus, started by the test."""
    dbus = require_tool("dbus-run-session")
    require_tool("gnome-keyring-daemon")
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    (home / ".local/share").mkdir(parents=True)
    runtime.mkdir(mode=0o700)
    script = textwrap.dedent("""
        from irdesk.keychain import Keychain
        k = Keychain()
        print(k.status().usable)
        k.remember("case-abc", "tangerine lighthouse 47")
        print(Keychain().recall("case-abc"))
        k.forget("case-abc")
        print(Keychain().recall("case-abc"))
    """)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONPATH": ROOT,
        "LANG": "C.UTF-8",
    }
    import sys

    result = subprocess.run(
        [
            dbus,
            "--",
            "sh",
            "-c",
            "printf %s keyring-test "
            "| gnome-keyring-daemon --unlock --components=secrets >/dev/null "
            '&& exec "$0" -c "$1"',
            sys.executable,
            script,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == ["True", "tangerine lighthouse 47", "None"], result.stderr
