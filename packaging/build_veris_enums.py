"""Build resources/veris/veris-1.4-enums.json from VERIS 1.4's verisc-merged.json.

irdesk asks the responder for what a VERIS record needs (discovery method, actor, action and
affected asset varieties) and checks each against VERIS's own enumerations, so the product
ships those lists (CC BY-SA 4.0, NOTICE.txt beside them). The schema itself stays in
tests/interop/data/veris/, where the export is validated against it; tests/domain/test_veris.py
checks that the shipped lists are what this script builds from it.

Usage: .venv/bin/python packaging/build_veris_enums.py
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "interop" / "data" / "veris" / "verisc-merged.json"
OUT = ROOT / "resources" / "veris" / "veris-1.4-enums.json"


def _varieties(node: dict[str, Any]) -> list[str]:
    return list(node["properties"]["variety"]["items"]["enum"])


def build(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = schema or json.loads(SCHEMA.read_text(encoding="utf-8"))
    props = schema["properties"]
    discovery = props["discovery_method"]["properties"]
    actor = props["actor"]["properties"]
    action = props["action"]["properties"]
    return {
        "schema_version": props["schema_version"]["default"],
        "discovery_method": {k: _varieties(v) for k, v in discovery.items() if v.get("type") == "object"},
        "discovery_flags": [k for k, v in discovery.items() if v.get("type") == "boolean"],
        "actor": {k: _varieties(v) if "variety" in v["properties"] else [] for k, v in actor.items()},
        "action": {k: _varieties(v) if "variety" in v["properties"] else [] for k, v in action.items()},
        "asset": list(props["asset"]["properties"]["assets"]["items"]["properties"]["variety"]["enum"]),
    }


def render(enums: dict[str, Any]) -> str:
    return json.dumps(enums, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    OUT.write_text(render(build()), encoding="utf-8")


if __name__ == "__main__":
    main()
