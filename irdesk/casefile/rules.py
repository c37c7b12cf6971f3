"""The rules every record obeys, checked once, where every change is written.

Whichever way a change arrives (the CLI, the GUI, a JSON import, a colleague's copy in a
merge), it is written by ``RecordStore``, which calls ``check`` first. A rule looks only
at the fields it names, and only when a change touches them, so a case that already holds
old data breaking a newer rule stays readable and editable in its other fields (``show``
and the GUI point such data out: ``standing``).

- every time and date lies in the bounds of ``irdesk.domain.timebounds``;
- key times keep their order: first activity ≤ detected ≤ contained ≤ eradicated ≤
  recovered ≤ closed, and detected ≤ reported; an engagement's: needed ≤ first attempt ≤
  reached ≤ resolved; evidence: requested ≤ collected;
- titles, names and labels are not empty; a custody transfer names its recipient;
- a waived action item and unavailable evidence say why.

A refusal names the values it refuses, in one sentence (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from irdesk.casefile.errors import NotAllowed
from irdesk.domain.canonical import field_types
from irdesk.domain.enums import ActionStatus, CustodyAction, EvidenceStatus, RecordKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import RECORD_TYPES, ActionItem, CustodyEvent, Evidence, Record
from irdesk.domain.timebounds import bounds_problem


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


# ---------------------------------------------------------------- times


_OWNERS = {RecordKind.CASE: "case's", RecordKind.NOTE: "note's", RecordKind.EVIDENCE: "evidence item's",
           RecordKind.CUSTODY: "custody event's", RecordKind.CONTACT: "contact's",
           RecordKind.ENGAGEMENT: "engagement's", RecordKind.ACTION: "action item's",
           RecordKind.INDICATOR: "indicator's"}


def _time_name(field: str) -> str:
    """``first_attempt_at`` → "first attempt"; ``created`` → "created"."""
    return field.removesuffix("_at").replace("_", " ")


def _in_bounds(kind: RecordKind, field: str) -> Callable[[Any], str]:
    what = f"{_OWNERS.get(kind, kind.value + ' record' + chr(39) + 's')} {_time_name(field)} time"

    def broken(record: Any) -> str:
        return bounds_problem(getattr(record, field), what)

    return broken


def _in_order(kind: RecordKind, earlier: str, later: str) -> Callable[[Any], str]:
    owner = _OWNERS[kind]

    def broken(record: Any) -> str:
        first, then = getattr(record, earlier), getattr(record, later)
        if first is None or then is None or first <= then:
            return ""
        return (f"The {owner} {_time_name(later)} time ({then.display()}) is before its "
                f"{_time_name(earlier)} time ({first.display()}); {_ORDERS[kind]}.")

    return broken


_ORDERS = {
    RecordKind.CASE: "key times go first activity, detected, contained, eradicated, recovered, closed, "
                     "and detected comes before reported",
    RecordKind.ENGAGEMENT: "an engagement goes needed, first attempt, reached, resolved",
    RecordKind.EVIDENCE: "evidence is requested before it is collected",
}
_SEQUENCES: dict[RecordKind, tuple[tuple[str, ...], ...]] = {
    RecordKind.CASE: (("first_activity_at", "detected_at", "contained_at", "eradicated_at", "recovered_at",
                       "closed_at"), ("detected_at", "reported_at")),
    RecordKind.ENGAGEMENT: (("needed_at", "first_attempt_at", "reached_at", "resolved_at"),),
    RecordKind.EVIDENCE: (("requested_at", "collected_at"),),
}


def _order_rules() -> Iterable[Rule]:
    """One rule per pair, so a change is checked against the times it touches only."""
    for kind, sequences in _SEQUENCES.items():
        pairs: list[tuple[str, str]] = []
        for sequence in sequences:
            pairs += [(a, b) for i, a in enumerate(sequence) for b in sequence[i + 1 :] if (a, b) not in pairs]
        for earlier, later in pairs:
            yield Rule(kind, (earlier, later), _in_order(kind, earlier, later))


def _bounds_rules() -> Iterable[Rule]:
    for cls in RECORD_TYPES:
        for name, hint in field_types(cls).items():
            if hint is Moment or hint is date:
                yield Rule(cls.KIND, (name,), _in_bounds(cls.KIND, name))


RULES: tuple[Rule, ...] = (
    Rule(RecordKind.CASE, ("title",), _named("case title", "title")),
    Rule(RecordKind.ACTION, ("title",), _named("action item's title", "title")),
    Rule(RecordKind.CONTACT, ("name",), _named("contact's name", "name")),
    Rule(RecordKind.EVIDENCE, ("label",), _named("evidence label", "label")),
    Rule(RecordKind.CHECKLIST, ("text",), _named("checklist item's text", "text")),
    Rule(RecordKind.ACTION, ("status", "waived_reason"), _waived_without_reason),
    Rule(RecordKind.EVIDENCE, ("status", "unavailable_reason"), _unavailable_without_reason),
    Rule(RecordKind.CUSTODY, ("action", "to_whom"), _transfer_without_recipient),
    *_bounds_rules(),
    *_order_rules(),
)


def _touched(record: Record, previous: Record | None, fields: Sequence[str]) -> bool:
    if previous is None:
        return True
    return any(getattr(record, name) != getattr(previous, name) for name in fields)


def _breaks(record: Record, previous: Record | None) -> list[tuple[Rule, str]]:
    if record.deleted:
        return []
    return [
        (rule, message)
        for rule in RULES
        if rule.kind == record.KIND and _touched(record, previous, rule.fields)
        and (message := rule.broken(record))
    ]


def problems(record: Record, previous: Record | None = None) -> list[str]:
    """Every rule the change breaks (a tombstone breaks none: deleting is always allowed)."""
    return [message for _rule, message in _breaks(record, previous)]


def check(record: Record, previous: Record | None = None) -> None:
    """Refuse a change that breaks a rule (exit 2), naming the rule in one sentence; the
    refusal carries the fields the rule looks at, so a form can say it beside them."""
    found = _breaks(record, previous)
    if found:
        rule, message = found[0]
        raise NotAllowed(message, fields=rule.fields)


def check_moment(moment: Moment, what: str) -> None:
    """Refuse a time that is not a record's field (when an imported earlier version was replaced)."""
    problem = bounds_problem(moment, what)
    if problem:
        raise NotAllowed(problem)


def standing(records: Iterable[Record], limit: int = 20) -> list[str]:
    """What live records already hold that breaks a rule (old data), to point out and fix."""
    found: list[str] = []
    for record in records:
        for message in problems(record):
            if message not in found:
                found.append(message)
            if len(found) >= limit:
                return found
    return found


def _broken(record: Record) -> set[Rule]:
    return {rule for rule in RULES if rule.kind == record.KIND and rule.broken(record)}


def clash(combined: Record, *parts: Record) -> bool:
    """True when joining ``parts`` breaks a rule none of them breaks on its own (a merge then
    keeps a conflict instead of the joined record)."""
    if combined.deleted:
        return False
    alone = set().union(*(_broken(part) for part in parts))
    return bool(_broken(combined) - alone)
