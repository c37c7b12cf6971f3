"""irdesk installed as a user installs it: the wheel into a fresh venv, away from the source tree.

`make test` builds the sdist, the wheel from the sdist, and a wheelhouse of the pinned
dependencies before pytest starts (pip may reach the package registry there, never here). This
module installs the wheel with ``--no-index --find-links`` into a venv in a temporary folder,
then runs the installed ``irdesk`` from another folder, with no PYTHONPATH and no pip
configuration: what a responder does first, down to the GUI with its window icon.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from irdesk import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

SECRET = "tangerine-lighthouse-47-orbit"
IDENTITY_SECRET = "wombat-saxophone-91-quilt"
SHIPPED = [
    "fonts/DejaVuSans.ttf",
    "fonts/DejaVuSans-Bold.ttf",
    "fonts/DejaVuSans-Oblique.ttf",
    "fonts/DejaVuSans-BoldOblique.ttf",
    "fonts/DejaVuSansMono.ttf",
    "fonts/LICENSE-DejaVu.txt",
    "icons/irdesk.svg",
    *(f"icons/irdesk-{size}.png" for size in (16, 24, 32, 48, 64, 128, 256)),
    "templates/evidence.json",
    "templates/readiness.json",
    "attack/enterprise-attack.json",
    "attack/TERMS-OF-USE.txt",
    "veris/veris-1.4-enums.json",
    "veris/NOTICE.txt",
]
EXPORTS = ("json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive", "jsonl-timeline", "veris")
GUI_UP_SECONDS = 4
INSTALL_TIMEOUT = 900  # PySide6 alone unpacks to some 600 MB


def built(variable: str) -> Path:
    """A folder `make test` filled (its variable set), or skip when pytest runs without make."""
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"needs the wheel and wheelhouse `make test` builds first ({variable} is not set)")
    path = Path(value)
    if not path.is_absolute():
        path = Path(ROOT) / path
    assert path.is_dir(), f"{variable}={value} is not a folder; run `make test`"
    return path


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {folder}, found {[p.name for p in found]}"
    return found[0]


@pytest.fixture(scope="module")
def dists() -> Path:
    return built("IRDESK_TEST_DISTS")


@pytest.fixture(scope="module")
def wheel(dists: Path) -> Path:
    return only(dists, f"irdesk-{__version__}-py3-none-any.whl")


def bare_env(home: Path, venv: Path) -> dict[str, str]:
    """A login's environment with nothing of the source tree or of this machine's pip set-up."""
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "IRDESK_AUTHOR": "Test Responder",
        "QT_QPA_PLATFORM": "offscreen",
        "PIP_CONFIG_FILE": os.devnull,  # no index or find-links from this machine's pip.conf
    }
    for sub in ("", ".config", ".local/share", ".cache", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return env


class Installed:
    """A venv holding irdesk from its wheel, and a folder outside the source tree to work in."""

    def __init__(self, venv: Path, work: Path, env: dict[str, str]) -> None:
        self.venv, self.work, self.env = venv, work, env
        self.irdesk = str(venv / "bin" / "irdesk")

    def run(self, *args: str, code: int = 0, **extra: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [self.irdesk, *args], cwd=self.work, env={**self.env, **extra}, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def python(self, code: str) -> str:
        done = subprocess.run(
            [str(self.venv / "bin" / "python"), "-c", code],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def held_by_another_process(case: Path) -> bool:
    """Whether a writer holds the case's lock (irdesk/casefile/lock.py), without ever taking it."""
    fd = os.open(case, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the shared lock at once: a writer that wants it waits 3 s
    return False


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Installed:
    wheelhouse = built("IRDESK_TEST_WHEELHOUSE")
    base = tmp_path_factory.mktemp("user")
    venv, work = base / "venv", base / "work"
    work.mkdir()
    env = bare_env(base / "home", venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], cwd=work, env=env, check=True, timeout=120)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-index",
        "--find-links",
        str(wheelhouse),
        str(wheel),
    ]
    done = subprocess.run(pip, cwd=work, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, f"pip install from the wheelhouse failed:\n{done.stdout}\n{done.stderr}"
    return Installed(venv, work, env)


def test_the_sdist_and_the_wheel_carry_the_fonts_templates_and_icons(dists: Path, wheel: Path) -> None:
    with tarfile.open(only(dists, f"irdesk-{__version__}.tar.gz")) as sdist:
        names = set(sdist.getnames())
    assert {f"irdesk-{__version__}/resources/{name}" for name in SHIPPED} <= names
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"irdesk/assets/{name}" for name in SHIPPED} <= names
    assert not [name for name in names if name.startswith(("resources/", "tests/"))]


def test_it_runs_from_the_venv_alone(installed: Installed) -> None:
    code = (
        "import json, sys, irdesk, irdesk.resources as r; "
        "print(json.dumps({'package': irdesk.__file__, 'assets': r.resource_dir(), 'path': sys.path}))"
    )
    seen = json.loads(installed.python(code))
    venv = str(installed.venv)
    assert seen["package"].startswith(venv), seen["package"]
    assert seen["assets"].startswith(venv) and seen["assets"].endswith(os.path.join("irdesk", "assets"))
    assert not [entry for entry in seen["path"] if entry.startswith(ROOT)], seen["path"]
    site = Path(seen["package"]).parent.parent
    assert not list(site.glob("__editable__*")) and not list(site.glob("*.egg-link"))
    for name in SHIPPED:
        assert (Path(seen["assets"]) / name).is_file(), name


def test_demo_signed_report_verify_and_every_export(installed: Installed) -> None:
    assert installed.run("--version").stdout == f"irdesk {__version__}\n"
    secrets = {
        "IRDESK_PASSPHRASE": SECRET,
        "IRDESK_NEW_PASSPHRASE": SECRET,
        "IRDESK_IDENTITY_PASSPHRASE": IDENTITY_SECRET,
    }
    installed.run("demo", "demo.ircase", **secrets)
    installed.run("identity", "new", "--name", "Dana Responder", **secrets)
    out = installed.run("report", "demo.ircase", "-o", "report.pdf", "--sign", **secrets).stdout
    assert "signed by Dana Responder" in out
    pdf = (installed.work / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"+DejaVuSans" in pdf and b"/FontFile2" in pdf  # embedded
    verified = installed.run("verify", "report.pdf", "--case", "demo.ircase", **secrets).stdout
    assert "Genuine" in verified and "Dana Responder" in verified
    for fmt in EXPORTS:
        installed.run("export", "demo.ircase", "--format", fmt, "-o", f"export.{fmt}", **secrets)
        assert (installed.work / f"export.{fmt}").stat().st_size > 0, fmt
    assert json.loads((installed.work / "export.json").read_text())


def test_the_gui_opens_the_case_with_its_icon_and_exits_0_on_sigterm(installed: Installed) -> None:
    env = {**installed.env, "IRDESK_PASSPHRASE": SECRET, "IRDESK_NEW_PASSPHRASE": SECRET}
    installed.run("demo", "gui.ircase", **env)
    sizes = installed.python(
        "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from irdesk.ui.launch import window_icon; "
        "print(sorted(s.width() for s in window_icon().availableSizes()))"
    )
    assert sizes.strip() == "[16, 24, 32, 48, 64, 128, 256]"
    errors = installed.work / "gui.err"
    with errors.open("w") as stderr:
        gui = subprocess.Popen(
            [installed.irdesk, "gui", "gui.ircase"],
            cwd=installed.work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 60
        while not held_by_another_process(installed.work / "gui.ircase"):
            assert gui.poll() is None, f"the GUI exited by itself: {errors.read_text()}"
            assert time.monotonic() < deadline, f"the GUI never opened the case: {errors.read_text()}"
            time.sleep(0.2)
        second = installed.run("note", "gui.ircase", "--phase", "detection", "--body", "second writer", code=5, **env)
        assert "another irdesk" in second.stderr
        time.sleep(GUI_UP_SECONDS)
        assert gui.poll() is None, f"the GUI exited by itself: {errors.read_text()}"
        gui.send_signal(signal.SIGTERM)
        assert gui.wait(timeout=30) == 0, errors.read_text()
    finally:
        if gui.poll() is None:
            gui.kill()
            gui.wait()
    assert "Traceback" not in errors.read_text() and "irdesk:" not in errors.read_text()
