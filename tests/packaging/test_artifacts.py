"""The committed packaging inputs: icons rendered at their sizes, build inputs pinned, every package built."""

from __future__ import annotations

import re
import struct
import tomllib
from pathlib import Path

from tests.conftest import ROOT

ICONS = Path(ROOT) / "resources" / "icons"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_every_icon_size_is_rendered_at_its_size() -> None:
    sizes = sorted(int(p.stem.split("-")[1]) for p in ICONS.glob("irdesk-*.png"))
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    for size in sizes:
        assert png_size(ICONS / f"irdesk-{size}.png") == (size, size)
    assert "<svg" in (ICONS / "irdesk.svg").read_text()


def test_packaging_tools_are_pinned_exactly() -> None:
    text = (Path(ROOT) / "packaging/requirements-package.lock").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    names = {line.split("==")[0] for line in lines}
    assert names >= {"pyinstaller", "pyinstaller-hooks-contrib"}
    pinned = re.compile(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.+-]*")
    assert all(pinned.fullmatch(line) for line in lines), lines


def test_build_outputs_and_the_packaging_venv_are_ignored_by_git() -> None:
    ignored = (Path(ROOT) / ".gitignore").read_text().split()
    assert {"build/", "dist/", ".venv-package/"} <= set(ignored)


def test_the_build_lists_every_package_and_maps_resources_to_the_package_data() -> None:
    config = tomllib.loads((Path(ROOT) / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in Path(ROOT, "irdesk").rglob("__init__.py")
    }
    listed = set(config["packages"]) - {"irdesk.assets"}
    assert listed == packages, f"pyproject.toml must list {sorted(packages - listed)}, not {sorted(listed - packages)}"
    assert "irdesk.assets" in config["packages"]
    assert config["package-dir"] == {"irdesk.assets": "resources"}
    shipped = {p.parent.name for p in ICONS.parent.rglob("*") if p.is_file()}
    assert {pattern.split("/")[0] for pattern in config["package-data"]["irdesk.assets"]} == shipped
