"""MITRE ATT&CK (Enterprise), offline: the catalogue irdesk ships and the rules for tags.

The catalogue (``resources/attack/enterprise-attack.json``, built by
``packaging/build_attack_catalogue.py`` from MITRE's STIX 2.1 data; MITRE's terms of use
beside it) holds every technique and sub-technique: id, name, tactics, whether it is revoked
(and by what) or deprecated, and the ATT&CK version.

Notes and indicators carry technique ids (``T1486``, ``T1078.002``). An id is checked when a
responder **enters** it (``check_entered``): one the catalogue doesn't know is refused, naming
the catalogue's version; a revoked one is refused naming its replacement; a deprecated one is
accepted with a warning. Ids that arrive by import or merge are kept as they are, and
``flag`` marks the ones this catalogue does not know wherever they are shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from irdesk.domain.errors import BadInput

ID_PATTERN = re.compile(r"T\d{4}(?:\.\d{3})?")

# ATT&CK's Enterprise tactics in the matrix's order (kill-chain phase names as in the STIX data).
TACTICS = (
    ("reconnaissance", "Reconnaissance"),
    ("resource-development", "Resource Development"),
    ("initial-access", "Initial Access"),
    ("execution", "Execution"),
    ("persistence", "Persistence"),
    ("privilege-escalation", "Privilege Escalation"),
    ("defense-evasion", "Defense Evasion"),
    ("credential-access", "Credential Access"),
    ("discovery", "Discovery"),
    ("lateral-movement", "Lateral Movement"),
    ("collection", "Collection"),
    ("command-and-control", "Command and Control"),
    ("exfiltration", "Exfiltration"),
    ("impact", "Impact"),
)
TACTIC_LABELS = dict(TACTICS)
TACTIC_ORDER = {name: i for i, (name, _) in enumerate(TACTICS)}


@dataclass(frozen=True)
class Technique:
    id: str  # T1486 or T1078.002
    name: str
    tactics: tuple[str, ...]
    stix_id: str
    status: str  # active, revoked or deprecated
    replaced_by: str
    created: str
    modified: str

    @property
    def is_subtechnique(self) -> bool:
        return "." in self.id

    @property
    def url(self) -> str:
        return "https://attack.mitre.org/techniques/" + self.id.replace(".", "/")

    @property
    def tactic_labels(self) -> tuple[str, ...]:
        return tuple(TACTIC_LABELS.get(t, t) for t in self.tactics)


class Catalogue:
    """The techniques of one ATT&CK release, by id."""

    def __init__(self, data: dict) -> None:
        self.version: str = data["version"]
        self.domain: str = data["domain"]
        self.source: str = data["source"]
        self.techniques: dict[str, Technique] = {
            tid: Technique(id=tid, name=t["name"], tactics=tuple(t["tactics"]), stix_id=t["stix_id"],
                           status=t["status"], replaced_by=t["replaced_by"], created=t["created"],
                           modified=t["modified"])
            for tid, t in data["techniques"].items()
        }

    @property
    def label(self) -> str:
        return f"ATT&CK {self.domain.removesuffix('-attack').capitalize()} v{self.version}"

    def get(self, technique_id: str) -> Technique | None:
        return self.techniques.get(normalise(technique_id))

    def known(self, technique_id: str) -> bool:
        return normalise(technique_id) in self.techniques

    def search(self, text: str, limit: int = 20) -> list[Technique]:
        """Active techniques whose id starts with, or whose name contains, ``text`` (for completion)."""
        needle = text.strip().casefold()
        hits = [t for t in self.techniques.values() if t.status != "revoked"
                and (t.id.casefold().startswith(needle) or needle in t.name.casefold())]
        return hits[:limit]


def normalise(technique_id: str) -> str:
    """``t1078.002`` → ``T1078.002`` (ids are written upper-case; surrounding space dropped)."""
    return technique_id.strip().upper()


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue (read once)."""
    from irdesk.resources import resource_path

    with open(resource_path("attack", "enterprise-attack.json"), encoding="utf-8") as f:
        return Catalogue(json.load(f))


def check_entered(ids: Iterable[str], known: Catalogue | None = None) -> tuple[tuple[str, ...], list[str]]:
    """The ids a responder typed, normalised and each once, and the warnings to show.

    Raises:
        BadInput: an id that is not a technique id, one the catalogue doesn't know (its
            version named), or a revoked one (its replacement named).
    """
    cat = known or catalogue()
    result: list[str] = []
    warnings: list[str] = []
    for raw in ids:
        tid = normalise(raw)
        if not ID_PATTERN.fullmatch(tid):
            raise BadInput(f"{raw!r} is not an ATT&CK technique id (like T1486 or T1078.002).")
        technique = cat.techniques.get(tid)
        if technique is None:
            raise BadInput(f"{tid} is not a technique in {cat.label}, the catalogue irdesk ships.")
        if technique.status == "revoked":
            instead = (f"use {technique.replaced_by} ({cat.techniques[technique.replaced_by].name})"
                       if technique.replaced_by in cat.techniques else "it has no replacement")
            raise BadInput(f"{tid} ({technique.name}) is revoked in {cat.label}: {instead}.")
        if technique.status == "deprecated":
            warnings.append(f"Warning: {tid} ({technique.name}) is deprecated in {cat.label}; "
                            "it is kept, but MITRE no longer maintains it.")
        if tid not in result:
            result.append(tid)
    return tuple(result), warnings


def flag(technique_id: str, known: Catalogue | None = None) -> str:
    """How a tag is shown: ``T1486 Data Encrypted for Impact``, or marked when unknown here
    (an id that came by import or merge from a newer or older catalogue)."""
    cat = known or catalogue()
    technique = cat.techniques.get(technique_id)
    if technique is None:
        return f"{technique_id} (not in {cat.label})"
    suffix = {"revoked": " (revoked)", "deprecated": " (deprecated)"}.get(technique.status, "")
    return f"{technique_id} {technique.name}{suffix}"


def unknown(ids: Iterable[str], known: Catalogue | None = None) -> list[str]:
    cat = known or catalogue()
    return [i for i in ids if i not in cat.techniques]


def by_tactic(ids: Sequence[str], known: Catalogue | None = None) -> list[tuple[str, list[str]]]:
    """The ids grouped by tactic, in the matrix's order; an id under each of its tactics, and
    ids the catalogue doesn't know under ``"unknown"`` at the end."""
    cat = known or catalogue()
    groups: dict[str, list[str]] = {}
    for tid in ids:
        technique = cat.techniques.get(tid)
        for tactic in (technique.tactics if technique and technique.tactics else ("unknown",)):
            members = groups.setdefault(tactic, [])
            if tid not in members:
                members.append(tid)
    return sorted(groups.items(), key=lambda kv: TACTIC_ORDER.get(kv[0], len(TACTIC_ORDER)))
