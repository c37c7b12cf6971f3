"""VERIS 1.4: the classifications a case needs for a VERIS record, checked against VERIS's own
enumerations (``resources/veris/veris-1.4-enums.json``, CC BY-SA 4.0, NOTICE.txt beside it).

A case keeps them as short texts: the discovery method ``internal/Log review`` (or ``other``,
``unknown``), actors such as ``external/Organized crime`` or ``partner``, actions such as
``malware/Ransomware`` or ``hacking/Use of stolen creds``, and asset varieties such as
``S - File``. What the responder does not know is ``Unknown`` (or nothing, which the export
writes as VERIS's unknown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from irdesk.domain.errors import BadInput


@dataclass(frozen=True)
class Enumerations:
    schema_version: str
    discovery_method: dict[str, list[str]]
    discovery_flags: list[str]
    actor: dict[str, list[str]]
    action: dict[str, list[str]]
    asset: list[str]


@cache
def enumerations() -> Enumerations:
    from irdesk.resources import resource_path

    with open(resource_path("veris", "veris-1.4-enums.json"), encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return Enumerations(**data)


def split(value: str) -> tuple[str, str]:
    """``external/Organized crime`` → (``external``, ``Organized crime``); ``partner`` → (``partner``, "")."""
    category, _, variety = value.partition("/")
    return category.strip().lower(), variety.strip()


def _variety(kind: str, categories: dict[str, list[str]], value: str, flags: list[str] = ()) -> str:  # type: ignore[assignment]
    category, variety = split(value)
    if category in flags and not variety:
        return category
    if category not in categories:
        names = ", ".join(sorted([*categories, *flags]))
        raise BadInput(f"{value!r} is not a VERIS 1.4 {kind}: the category must be one of {names}.")
    known = categories[category]
    if not known:  # partner actors, unknown actors and actions: no variety in VERIS
        if variety:
            raise BadInput(f"VERIS 1.4 has no varieties of {kind} {category!r}; write just {category!r}.")
        return category
    match = next((v for v in known if v.casefold() == variety.casefold()), None)
    if match is None:
        raise BadInput(f"{variety!r} is not a VERIS 1.4 variety of {kind} {category!r} "
                       f"(for example {', '.join(known[:4])}; 'Unknown' when not known).")
    return f"{category}/{match}"


def check_discovery(value: str) -> str:
    """A discovery method as entered, in VERIS's spelling; empty stays empty (unknown)."""
    if not value.strip():
        return ""
    e = enumerations()
    return _variety("discovery method", e.discovery_method, value, e.discovery_flags)


def check_actors(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_variety("actor", enumerations().actor, v) for v in values if v.strip()))


def check_actions(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_variety("action", enumerations().action, v) for v in values if v.strip()))


def check_assets(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    known = enumerations().asset
    result = []
    for value in values:
        if not value.strip():
            continue
        match = next((v for v in known if v.casefold() == value.strip().casefold()), None)
        if match is None:
            raise BadInput(f"{value!r} is not a VERIS 1.4 asset variety (like 'S - File', "
                           "'S - Database', 'U - Desktop'; 'Unknown' when not known).")
        result.append(match)
    return tuple(dict.fromkeys(result))


def choices(kind: str) -> list[str]:
    """Every value a case may hold for ``kind`` (``discovery``, ``actor``, ``action``, ``asset``),
    in VERIS's spelling and order, as a picker offers them: ``category/Variety``, or the bare
    category where VERIS has no varieties of it."""
    e = enumerations()
    if kind == "asset":
        return list(e.asset)
    categories = {"discovery": e.discovery_method, "actor": e.actor, "action": e.action}[kind]
    found = [f"{c}/{v}" for c, varieties in categories.items() for v in varieties]
    found += [c for c, varieties in categories.items() if not varieties]
    if kind == "discovery":
        found += list(e.discovery_flags)
    return found
