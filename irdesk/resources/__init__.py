"""Starting points shipped with irdesk: the readiness checklist and evidence templates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class TemplateItem:
    label: str
    kind: str
    source_system: str


@dataclass(frozen=True)
class EvidenceTemplate:
    key: str
    title: str
    items: tuple[TemplateItem, ...]


def _load(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def readiness_items() -> list[str]:
    return list(_load("readiness.json")["items"])


def evidence_templates() -> list[EvidenceTemplate]:
    data = _load("evidence_templates.json")
    return [
        EvidenceTemplate(t["key"], t["title"], tuple(TemplateItem(**i) for i in t["items"]))
        for t in data["templates"]
    ]
