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
- a waived action item and unavailable evidence say why;
- a regime's triggers are its own and none precedes awareness; a custom regime's stages
  parse; a notification names a regime, stage and contact of the case and is not sent
  before its stage's clock can start (the rules across records: ``LINK_RULES``).

A refusal names the values it refuses, in one sentence (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from irdesk.casefile.errors import NotAllowed
from irdesk.domain import deadlines, regimes
from irdesk.domain.canonical import field_types
from irdesk.domain.enums import ActionStatus, CustodyAction, EvidenceStatus, RecordKind, RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    ActionItem,
    Contact,
    CustodyEvent,
    Evidence,
    Notification,
    Record,
    Regime,
)
from irdesk.domain.registry import ALL_TYPES
from irdesk.domain.timebounds import bounds_problem

R = TypeVar("R", bound=Record)


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


def _not_negative(what: str, field: str) -> Callable[[Any], str]:
    def broken(record: Any) -> str:
        value = getattr(record, field)
        return f"The {what} cannot be negative ({value})." if value is not None and value < 0 else ""

    return broken


# ---------------------------------------------------------------- times


_OWNERS = {RecordKind.CASE: "case's", RecordKind.NOTE: "note's", RecordKind.EVIDENCE: "evidence item's",
           RecordKind.CUSTODY: "custody event's", RecordKind.CONTACT: "contact's",
           RecordKind.ENGAGEMENT: "engagement's", RecordKind.ACTION: "action item's",
           RecordKind.INDICATOR: "indicator's", RecordKind.REGIME: "regime's",
           RecordKind.NOTIFICATION: "notification's", RecordKind.REGISTER: "register entry's",
           RecordKind.FILED_ENGAGEMENT: "filed engagement's", RecordKind.FILED_EVIDENCE: "filed evidence item's",
           RecordKind.BOOK_CONTACT: "directory contact's", RecordKind.SYSTEM: "system's",
           RecordKind.BOOK_ACTION: "action item's"}
# Times whose field name does not read as the time's name.
_TIME_NAMES = {"aware_at": "awareness", "classified_at": "classification as major",
               "determined_at": "materiality determination", "ransom_paid_at": "ransom payment"}


def _time_name(field: str) -> str:
    """``first_attempt_at`` → "first attempt"; ``created`` → "created"."""
    return _TIME_NAMES.get(field) or field.removesuffix("_at").replace("_", " ")


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
_ORDERS[RecordKind.REGISTER] = _ORDERS[RecordKind.CASE]
_ORDERS[RecordKind.FILED_ENGAGEMENT] = _ORDERS[RecordKind.ENGAGEMENT]
_ORDERS[RecordKind.FILED_EVIDENCE] = _ORDERS[RecordKind.EVIDENCE]
_SEQUENCES: dict[RecordKind, tuple[tuple[str, ...], ...]] = {
    RecordKind.CASE: (("first_activity_at", "detected_at", "contained_at", "eradicated_at", "recovered_at",
                       "closed_at"), ("detected_at", "reported_at")),
    RecordKind.ENGAGEMENT: (("needed_at", "first_attempt_at", "reached_at", "resolved_at"),),
    RecordKind.EVIDENCE: (("requested_at", "collected_at"),),
}
_SEQUENCES[RecordKind.REGISTER] = _SEQUENCES[RecordKind.CASE]  # the book's copies keep the same order
_SEQUENCES[RecordKind.FILED_ENGAGEMENT] = _SEQUENCES[RecordKind.ENGAGEMENT]
_SEQUENCES[RecordKind.FILED_EVIDENCE] = _SEQUENCES[RecordKind.EVIDENCE]


def _order_rules() -> Iterable[Rule]:
    """One rule per pair, so a change is checked against the times it touches only."""
    for kind, sequences in _SEQUENCES.items():
        pairs: list[tuple[str, str]] = []
        for sequence in sequences:
            pairs += [(a, b) for i, a in enumerate(sequence) for b in sequence[i + 1 :] if (a, b) not in pairs]
        for earlier, later in pairs:
            yield Rule(kind, (earlier, later), _in_order(kind, earlier, later))


def _bounds_rules() -> Iterable[Rule]:
    for cls in ALL_TYPES:
        for name, hint in field_types(cls).items():
            if hint is Moment or hint is date:
                yield Rule(cls.KIND, (name,), _in_bounds(cls.KIND, name))


# ---------------------------------------------------------------- the regulators' clocks
# A regime uses only its own triggers, which follow awareness; a custom regime's stages
# parse; business days need a calendar (the bounds of every time are the rules above).

def _regime_triggers(regime: Regime) -> str:
    label = regimes.regime_label(regime)
    uses = regimes.triggers_of(regime)
    for trigger in regimes.Trigger:
        if getattr(regime, trigger.value) is not None and trigger not in uses:
            starts = " and ".join(t.label for t in uses)
            return f"{label} has no clock that starts at {trigger.label}; its clocks start at {starts}."
    aware = regime.aware_at
    for trigger in regimes.Trigger:
        value = getattr(regime, trigger.value)
        if aware is not None and value is not None and value < aware:
            return (f"For {label}, {trigger.label} ({value.display()}) cannot come before "
                    f"awareness ({aware.display()}).")
    return ""


def _regime_stages(regime: Regime) -> str:
    if regime.kind is not RegimeKind.CUSTOM:
        if regime.stages:
            return f"{regimes.regime_label(regime)} has fixed stages; only a custom regime lists its own."
        return ""
    if not regime.name.strip():
        return "A custom regime needs a name."
    try:
        stages = regimes.parse_stages(regime.stages)
    except ValueError as exc:
        return f"In {regime.name}, {exc}."
    if regimes.uses_business_days(stages) and not regime.jurisdiction:
        return f"{regime.name} counts business days; give the jurisdiction whose holidays they skip."
    return ""


def _regime_calendar(regime: Regime) -> str:
    if regime.jurisdiction:
        problem = deadlines.jurisdiction_problem(regime.jurisdiction)
        if problem:
            return problem[0].upper() + problem[1:] + "."
    if regime.time_zone:
        problem = deadlines.time_zone_problem(regime.time_zone)
        if problem:
            return problem[0].upper() + problem[1:] + "."
    return ""


TRIGGER_FIELDS = tuple(t.value for t in regimes.Trigger)

REGULATORY_RULES: tuple[Rule, ...] = (
    Rule(RecordKind.REGIME, ("kind", *TRIGGER_FIELDS), _regime_triggers),
    Rule(RecordKind.REGIME, ("kind", "name", "stages", "jurisdiction"), _regime_stages),
    Rule(RecordKind.REGIME, ("jurisdiction", "time_zone"), _regime_calendar),
    Rule(RecordKind.NOTIFICATION, ("stage",), _named("notification's stage", "stage")),
)


class Lookup(Protocol):
    """What a rule across records reads: the case's record store."""

    def find(self, cls: type[R], record_id: str) -> R | None: ...

    def select(self, cls: type[R], *, include_deleted: bool = False, where: str = "",
               params: Sequence[Any] = (), order: str = "seq") -> list[R]: ...


@dataclass(frozen=True)
class LinkRule:
    """A rule that reads other records: a notification and its regime, stage and contact."""

    kind: RecordKind
    fields: tuple[str, ...]
    broken: Callable[[Any, Lookup], str]


def _notifications_of(lookup: Lookup, regime_id: str) -> list[Notification]:
    return lookup.select(Notification, where="regime_id = ?", params=(regime_id,))


def _out_of_order(regime: Regime, sent: list[Notification]) -> str:
    """The first notification sent before a time its stage cannot precede, in one sentence."""
    for n in sent:
        try:
            stage = regimes.find_stage(regime, n.stage)
        except ValueError:
            return (f"A notification was sent under the stage “{n.stage}”, which "
                    f"{regimes.regime_label(regime)} would no longer have.")
        others = [o for o in sent if o.id != n.id]
        for name, when in deadlines.must_follow(regime, stage, others):
            if n.sent_at < when:
                what = f"{regimes.regime_label(regime)} {stage.label}"
                return f"The {what} is sent at {n.sent_at.display()}, before {name} at {when.display()}."
    return ""


def _notification_links(n: Notification, lookup: Lookup) -> str:
    regime = lookup.find(Regime, n.regime_id)
    if regime is None:
        return f"There is no regime with id {n.regime_id} in this case."
    if lookup.find(Contact, n.contact_id) is None:
        return f"There is no contact with id {n.contact_id} in this case."
    if regime.deleted:
        return ""  # a notification under a deleted regime counts for nothing, and stays
    try:
        regimes.find_stage(regime, n.stage)
    except ValueError as exc:
        return f"{exc}."
    others = [o for o in _notifications_of(lookup, regime.id) if o.id != n.id]
    # This one first (is it sent too early?), then the ones that follow it (does it now come too late?).
    return _out_of_order(regime, [n, *others])


def _regime_links(regime: Regime, lookup: Lookup) -> str:
    """A change of a regime's times or stages must still hold every notification sent under it."""
    return _out_of_order(regime, _notifications_of(lookup, regime.id))


LINK_RULES: tuple[LinkRule, ...] = (
    LinkRule(RecordKind.NOTIFICATION, ("regime_id", "stage", "sent_at", "contact_id"), _notification_links),
    LinkRule(RecordKind.REGIME, ("kind", "stages", *TRIGGER_FIELDS), _regime_links),
)


RULES: tuple[Rule, ...] = (
    Rule(RecordKind.CASE, ("title",), _named("case title", "title")),
    Rule(RecordKind.ACTION, ("title",), _named("action item's title", "title")),
    Rule(RecordKind.CONTACT, ("name",), _named("contact's name", "name")),
    Rule(RecordKind.EVIDENCE, ("label",), _named("evidence label", "label")),
    Rule(RecordKind.CHECKLIST, ("text",), _named("checklist item's text", "text")),
    Rule(RecordKind.ACTION, ("status", "waived_reason"), _waived_without_reason),
    Rule(RecordKind.BOOK, ("title",), _named("book title", "title")),
    Rule(RecordKind.BOOK_CONTACT, ("name",), _named("contact's name", "name")),
    Rule(RecordKind.SYSTEM, ("name",), _named("system's name", "name")),
    Rule(RecordKind.VENDOR, ("name",), _named("vendor's name", "name")),
    Rule(RecordKind.BOOK_ACTION, ("status", "waived_reason"), _waived_without_reason),
    Rule(RecordKind.SYSTEM, ("retention_days",), _not_negative("retention in days", "retention_days")),
    Rule(RecordKind.EVIDENCE, ("status", "unavailable_reason"), _unavailable_without_reason),
    Rule(RecordKind.CUSTODY, ("action", "to_whom"), _transfer_without_recipient),
    *_bounds_rules(),
    *_order_rules(),
    *REGULATORY_RULES,
)


def _touched(record: Record, previous: Record | None, fields: Sequence[str]) -> bool:
    if previous is None:
        return True
    return any(getattr(record, name) != getattr(previous, name) for name in fields)


def _breaks(record: Record, previous: Record | None,
            lookup: Lookup | None) -> list[tuple[Rule | LinkRule, str]]:
    if record.deleted:
        return []
    found: list[tuple[Rule | LinkRule, str]] = [
        (rule, message)
        for rule in RULES
        if rule.kind == record.KIND and _touched(record, previous, rule.fields)
        and (message := rule.broken(record))
    ]
    if lookup is not None and not found:
        found = [
            (link, message)
            for link in LINK_RULES
            if link.kind == record.KIND and _touched(record, previous, link.fields)
            and (message := link.broken(record, lookup))
        ]
    return found


def problems(record: Record, previous: Record | None = None, lookup: Lookup | None = None) -> list[str]:
    """Every rule the change breaks (a tombstone breaks none: deleting is always allowed).

    The rules across records run only with a ``lookup`` (see ``check``).
    """
    return [message for _rule, message in _breaks(record, previous, lookup)]


def check(record: Record, previous: Record | None = None, lookup: Lookup | None = None) -> None:
    """Refuse a change that breaks a rule (exit 2), naming the rule in one sentence; the
    refusal carries the fields the rule looks at, so a form can say it beside them.

    With ``lookup`` (every write but a merge's), the rules across records run too: a
    notification's regime, stage and contact exist, and it is not sent before its clock
    starts. A merge skips them: each copy obeyed them on its own, and refusing the whole
    merge over a combination of both (one moved awareness later, the other logged a
    notification) would lose the colleague's work; the schedule still shows such a
    notification, as sent.
    """
    found = _breaks(record, previous, lookup)
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
