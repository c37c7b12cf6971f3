"""The rules every record obeys, checked once, where every change is written.

Whichever way a change arrives (the CLI, the GUI, a JSON import, a colleague's copy in a
merge), it is written by ``RecordStore``, which calls ``check`` first. A rule looks only
at the fields it names, and only when a change touches them, so a case that already holds
old data breaking a newer rule stays readable and editable in its other fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from irdesk.casefile.errors import NotAllowed
from irdesk.domain.enums import ActionStatus, CustodyAction, EvidenceStatus, RecordKind
from irdesk.domain.records import ActionItem, CustodyEvent, Evidence, Record


@dataclass(frozen=True)
class Rule:
    kind: RecordKind
    fields: tuple[str, ...]
    broken: Callable[[Any], str]  # the refusal in one sentence, or "" when the record obeys


def _waived_without_reason(item: ActionItem) -> str:
    if item.status is ActionStatus.WAIVED and not item.waived_reason.strip():
        return f"The action item “{item.title}” is waived without a reason; say why it will not be done."
    return ""


def _unavailable_without_reason(item: Evidence) -> str:
    if item.status is EvidenceStatus.UNAVAILABLE and not item.unavailable_reason.strip():
        return f"The evidence “{item.label}” is unavailable without a reason; say why it cannot be had."
    return ""


def _transfer_without_recipient(event: CustodyEvent) -> str:
    if event.action is CustodyAction.TRANSFERRED and not event.to_whom.strip():
        return "A custody transfer needs the person or place it went to."
    return ""


def _named(what: str, field: str) -> Callable[[Any], str]:
    def broken(record: Any) -> str:
        return "" if getattr(record, field).strip() else f"The {what} is empty."

    return broken


RULES: tuple[Rule, ...] = (
    Rule(RecordKind.CASE, ("title",), _named("case title", "title")),
    Rule(RecordKind.ACTION, ("title",), _named("action item's title", "title")),
    Rule(RecordKind.CONTACT, ("name",), _named("contact's name", "name")),
    Rule(RecordKind.EVIDENCE, ("label",), _named("evidence label", "label")),
    Rule(RecordKind.ACTION, ("status", "waived_reason"), _waived_without_reason),
    Rule(RecordKind.EVIDENCE, ("status", "unavailable_reason"), _unavailable_without_reason),
    Rule(RecordKind.CUSTODY, ("action", "to_whom"), _transfer_without_recipient),
)


def _touched(record: Record, previous: Record | None, fields: Sequence[str]) -> bool:
    if previous is None:
        return True
    return any(getattr(record, name) != getattr(previous, name) for name in fields)


def problems(record: Record, previous: Record | None = None) -> list[str]:
    """Every rule the change breaks (a tombstone breaks none: deleting is always allowed)."""
    if record.deleted:
        return []
    return [
        message
        for rule in RULES
        if rule.kind == record.KIND and _touched(record, previous, rule.fields)
        and (message := rule.broken(record))
    ]


def check(record: Record, previous: Record | None = None) -> None:
    """Refuse a change that breaks a rule (exit 2), naming the rule in one sentence."""
    found = problems(record, previous)
    if found:
        raise NotAllowed(found[0])
