"""install.sh and uninstall.sh against a fake bundle in a temporary HOME."""

from __future__ import annotations

import configparser
import hashlib
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool

PACKAGING = Path(ROOT) / "packaging"


def make_bundle(dist: Path, *, glibc: str | None = None) -> Path:
    """A bundle laid out like dist/irdesk/ (staged by the real stage.sh), plus dist/SHA256SUMS."""
    bundle = dist / "irdesk"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "irdesk"
    exe.write_text('#!/bin/sh\necho "irdesk 9.9.9"\n')
    exe.chmod(0o755)
    (bundle / "_internal" / "libfake.so").write_bytes(b"\x7fELF fake")
    if glibc:
        (bundle / "GLIBC_MINIMUM").write_text(glibc + "\n")
    subprocess.run([str(PACKAGING / "stage.sh"), str(bundle)], check=True)
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(dist)}\n")
    (dist / "SHA256SUMS").write_text("".join(lines))
    return bundle


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def run(script: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=60)


def test_install_puts_program_menu_entry_icons_and_mime_type_in_place(
        tmp_path: Path, home: Path) -> None:
    bundle = make_bundle(tmp_path / "stick")
    result = run(bundle / "install.sh", home)
    assert result.returncode == 0, result.stderr
    assert "Checked every file against SHA256SUMS" in result.stdout

    dest = home / ".local/opt/irdesk"
    link = home / ".local/bin/irdesk"
    assert os.readlink(link) == str(dest / "irdesk")
    version = subprocess.run([str(link), "--version"], capture_output=True, text=True)
    assert version.stdout == "irdesk 9.9.9\n"
    assert "bin is not on your PATH" in result.stdout

    data = home / ".local/share"
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(data / "applications/irdesk.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == f'"{dest}/irdesk" gui %f'  # absolute: menus may not see ~/.local/bin
    assert desktop["TryExec"] == f"{dest}/irdesk"
    assert desktop["MimeType"] == "application/x-irdesk-case;"
    assert desktop["Icon"] == "irdesk"
    assert "*.ircase" in (data / "mime/packages/irdesk.xml").read_text()
    for size in (16, 32, 48, 256):
        assert (data / f"icons/hicolor/{size}x{size}/apps/irdesk.png").is_file()
        icons = data / f"icons/hicolor/{size}x{size}"
        assert (icons / "mimetypes/application-x-irdesk-case.png").is_file()
    assert (data / "icons/hicolor/scalable/apps/irdesk.svg").is_file()
    assert stat.S_IMODE((dest / "irdesk").stat().st_mode) & 0o111


def test_uninstall_removes_everything_but_case_files(tmp_path: Path, home: Path) -> None:
    bundle = make_bundle(tmp_path / "stick")
    assert run(bundle / "install.sh", home).returncode == 0
    case = home / "cases" / "incident.ircase"
    case.parent.mkdir()
    case.write_bytes(b"encrypted case")

    result = run(home / ".local/opt/irdesk/uninstall.sh", home)
    assert result.returncode == 0, result.stderr
    assert not (home / ".local/opt/irdesk").exists()
    assert not (home / ".local/bin/irdesk").is_symlink()
    left = [p for p in (home / ".local").rglob("*") if p.is_file() and "irdesk" in p.name]
    assert left == []
    assert not list((home / ".local/share/icons").rglob("application-x-irdesk-case.*"))
    assert case.read_bytes() == b"encrypted case"


def test_install_refuses_a_bundle_that_does_not_match_its_checksums(
        tmp_path: Path, home: Path) -> None:
    bundle = make_bundle(tmp_path / "stick")
    (bundle / "_internal" / "libfake.so").write_bytes(b"\x7fELF tampered")
    result = run(bundle / "install.sh", home)
    assert result.returncode != 0
    assert "does not match SHA256SUMS" in result.stderr
    assert not (home / ".local").exists()


def test_install_refuses_a_laptop_with_an_older_glibc(tmp_path: Path, home: Path) -> None:
    bundle = make_bundle(tmp_path / "stick", glibc="2.999")
    result = run(bundle / "install.sh", home)
    assert result.returncode != 0
    assert "irdesk needs glibc 2.999 or newer" in result.stderr
    assert not (home / ".local/opt").exists()


def test_install_and_uninstall_with_a_prefix(tmp_path: Path, home: Path) -> None:
    bundle = make_bundle(tmp_path / "stick", glibc="2.17")
    prefix = tmp_path / "tools"
    assert run(bundle / "install.sh", home, "--prefix", str(prefix)).returncode == 0
    assert (prefix / "bin/irdesk").is_symlink()
    assert (prefix / "opt/irdesk/GLIBC_MINIMUM").is_file()
    assert run(prefix / "opt/irdesk/uninstall.sh", home, f"--prefix={prefix}").returncode == 0
    assert not (prefix / "opt/irdesk").exists()


def test_uninstall_leaves_a_folder_that_is_not_a_bundle_alone(home: Path) -> None:
    foreign = home / ".local/opt/irdesk"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine")
    result = run(PACKAGING / "uninstall.sh", home)
    assert result.returncode != 0
    assert "does not look like an irdesk bundle" in result.stderr
    assert (foreign / "notes.txt").read_text() == "mine"


def test_the_mime_database_maps_ircase_files_to_the_case_type(tmp_path: Path, home: Path) -> None:
    require_tool("update-mime-database")
    bundle = make_bundle(tmp_path / "stick")
    assert run(bundle / "install.sh", home).returncode == 0
    globs = (home / ".local/share/mime/globs2").read_text()
    assert "application/x-irdesk-case:*.ircase" in globs


def test_the_desktop_entry_is_valid() -> None:
    tool = require_tool("desktop-file-validate")
    result = subprocess.run([tool, str(PACKAGING / "irdesk.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
