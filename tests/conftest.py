"""Shared fixtures: no network, a cheap key derivation in-process, Qt offscreen, hypothesis profiles."""

from __future__ import annotations

import os
import shutil
import socket
import sys

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("IRDESK_PASSPHRASE", None)
os.environ.pop("IRDESK_NEW_PASSPHRASE", None)
os.environ.pop("IRDESK_BOOK_PASSPHRASE", None)
os.environ["IRDESK_AUTHOR"] = "Test Responder"

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_KDF = None


def pytest_configure(config: pytest.Config) -> None:
    """Lower the key derivation inside this process only; end-to-end tests keep it real."""
    from irdesk.casefile import kdf

    global TEST_KDF
    TEST_KDF = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)
    kdf.PARAMETERS[1] = TEST_KDF


# ---------------------------------------------------------------- no network, ever

_real_socket = socket.socket
_INTERNET = {socket.AF_INET, socket.AF_INET6}


class _GuardedSocket(_real_socket):
    def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
        if family in _INTERNET:
            pytest.fail(f"a test opened an internet socket (family {family}); irdesk never uses the network",
                        pytrace=False)
        super().__init__(family, type, proto, fileno)


def _refuse_connection(*args: object, **kwargs: object) -> None:
    pytest.fail("a test tried socket.create_connection; irdesk never uses the network", pytrace=False)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "socket", _GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", _refuse_connection)


# ---------------------------------------------------------------- helpers

PASSPHRASE = "correct-horse-battery-staple-42"


@pytest.fixture
def case_path(tmp_path):
    return str(tmp_path / "case.ircase")


@pytest.fixture
def case(case_path):
    from irdesk.casefile.store import CaseFile

    c = CaseFile.create(case_path, PASSPHRASE, title="Test incident", actor="Test Responder")
    yield c
    c.close()


def require_tool(name: str) -> str:
    """The path of a system tool, or skip the test naming it."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"needs the system tool '{name}' (installed by `make test` when run as root)")
    return path


@pytest.fixture
def irdesk_env(tmp_path):
    """Environment for running the real command: isolated HOME/XDG dirs, no debug, real KDF."""
    home = tmp_path / "home"
    for sub in ("", ".config", ".local/share", ".cache", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "IRDESK_AUTHOR": "Test Responder",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": ROOT,  # the checkout under test, whatever is installed
    }
    return env


IRDESK = [sys.executable, "-m", "irdesk"]
