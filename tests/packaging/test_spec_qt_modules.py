"""Every Qt module irdesk imports is bundled by the PyInstaller spec, and none it excludes.

(The Book window's charts need QtCharts, which the spec once listed among the modules left out:
the frozen app would have failed to open a book.)
"""

from __future__ import annotations

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def spec_lists() -> tuple[set[str], set[str]]:
    tree = ast.parse((ROOT / "packaging" / "irdesk.spec").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name == "QT_MODULES":
                found[name] = {ast.literal_eval(e) for e in node.value.elts}  # type: ignore[attr-defined]
            if name == "QT_EXCLUDED":  # a comprehension over a tuple of names
                [generator] = node.value.generators  # type: ignore[attr-defined]
                found[name] = {ast.literal_eval(e) for e in generator.iter.elts}
    return found["QT_MODULES"], found["QT_EXCLUDED"]


def imported_qt_modules() -> set[str]:
    pattern = re.compile(r"^\s*(?:from PySide6\.(Qt\w+) import|import PySide6\.(Qt\w+))", re.MULTILINE)
    found: set[str] = set()
    for path in (ROOT / "irdesk").rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_the_spec_bundles_every_qt_module_irdesk_imports():
    bundled, excluded = spec_lists()
    used = imported_qt_modules()
    assert {"QtCore", "QtWidgets", "QtCharts"} <= used
    assert used <= bundled, f"imported but not bundled: {sorted(used - bundled)}"
    assert not used & excluded, f"imported but excluded: {sorted(used & excluded)}"
