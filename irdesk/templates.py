"""Starting points shipped in ``resources/templates``: the readiness checklist and evidence templates."""

from __future__ import annotations

import json
from dataclasses import dataclass

from irdesk.resources import resource_path


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
    with open(resource_path("templates", name), encoding="utf-8") as handle:
        return json.load(handle)


def readiness_items() -> list[str]:
    return list(_load("readiness.json")["items"])


def evidence_templates() -> list[EvidenceTemplate]:
    data = _load("evidence.json")
    return [
        EvidenceTemplate(t["key"], t["title"], tuple(TemplateItem(**i) for i in t["items"]))
        for t in data["templates"]
    ]
