"""The regulators' clocks as data: each regime's triggers and stages, and custom stages parsed.

A stage's deadline is a period (hours, business days or months) after a start: one of the
regime's trigger times, or the time a notification of an earlier stage was sent. DORA's
initial notification adds a backstop ("but no later than 24 hours after becoming aware").
The arithmetic is in ``irdesk.domain.deadlines``; docs/REGULATORY.md cites the articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from irdesk.domain.enums import RegimeKind
from irdesk.domain.records import Regime


class Trigger(StrEnum):
    """A time that starts a regime's clock; the value is the regime record's field."""

    AWARENESS = "aware_at"
    CLASSIFICATION = "classified_at"
    DETERMINATION = "determined_at"
    RANSOM_PAYMENT = "ransom_paid_at"

    @property
    def label(self) -> str:
        return _TRIGGER_LABELS[self][0]

    @property
    def option(self) -> str:
        """The command-line option that sets it."""
        return _TRIGGER_LABELS[self][1]


_TRIGGER_LABELS = {
    Trigger.AWARENESS: ("awareness", "--aware-at"),
    Trigger.CLASSIFICATION: ("classification as major", "--classified-at"),
    Trigger.DETERMINATION: ("the materiality determination", "--determined-at"),
    Trigger.RANSOM_PAYMENT: ("the ransom payment", "--ransom-paid-at"),
}


@dataclass(frozen=True)
class Hours:
    count: int

    def describe(self) -> str:
        return f"{self.count} h"


@dataclass(frozen=True)
class BusinessDays:
    """Business days of the regime's jurisdiction; the last one ends at 23:59 local time."""

    count: int

    def describe(self) -> str:
        return f"{self.count} business day{'s' if self.count != 1 else ''}"


@dataclass(frozen=True)
class Months:
    """Calendar months: the same day and local time, or that month's last day when shorter."""

    count: int

    def describe(self) -> str:
        return f"{self.count} month{'s' if self.count != 1 else ''}"


Period = Hours | BusinessDays | Months


@dataclass(frozen=True)
class AfterSent:
    """The start of a stage that runs from an earlier stage's notification (its first, or latest)."""

    stage: str
    latest: bool = False


Start = Trigger | AfterSent


@dataclass(frozen=True)
class Limit:
    """``period`` after ``start``; ``backstop``, when its start is known and comes first, caps it."""

    start: Start
    period: Period
    backstop: Limit | None = None


@dataclass(frozen=True)
class Stage:
    key: str  # what a notification record names: "early-warning"
    label: str  # what a person reads: "early warning"
    limit: Limit


@dataclass(frozen=True)
class Definition:
    kind: RegimeKind
    label: str
    citation: str
    triggers: tuple[Trigger, ...]
    stages: tuple[Stage, ...]
    jurisdiction: str = ""  # the default for business days


AWARE = Trigger.AWARENESS

DEFINITIONS: dict[RegimeKind, Definition] = {
    RegimeKind.GDPR: Definition(
        RegimeKind.GDPR, "GDPR", "GDPR Art. 33(1)", (AWARE,),
        (Stage("notification", "notification", Limit(AWARE, Hours(72))),),
    ),
    RegimeKind.NIS2: Definition(
        RegimeKind.NIS2, "NIS2", "NIS2 Art. 23(4)", (AWARE,),
        (
            Stage("early-warning", "early warning", Limit(AWARE, Hours(24))),
            Stage("incident-notification", "incident notification", Limit(AWARE, Hours(72))),
            Stage("final-report", "final report", Limit(AfterSent("incident-notification"), Months(1))),
        ),
    ),
    RegimeKind.DORA: Definition(
        RegimeKind.DORA, "DORA", "DORA Art. 19(4); Delegated Regulation (EU) 2025/301 Art. 5",
        (AWARE, Trigger.CLASSIFICATION),
        (
            Stage("initial-notification", "initial notification",
                  Limit(Trigger.CLASSIFICATION, Hours(4), backstop=Limit(AWARE, Hours(24)))),
            Stage("intermediate-report", "intermediate report",
                  Limit(AfterSent("initial-notification"), Hours(72))),
            Stage("final-report", "final report",
                  Limit(AfterSent("intermediate-report", latest=True), Months(1))),
        ),
    ),
    RegimeKind.SEC_8K: Definition(
        RegimeKind.SEC_8K, "SEC 8-K", "SEC Form 8-K Item 1.05", (Trigger.DETERMINATION,),
        (Stage("filing", "filing", Limit(Trigger.DETERMINATION, BusinessDays(4))),),
        jurisdiction="US",
    ),
    RegimeKind.CIRCIA: Definition(
        RegimeKind.CIRCIA, "CIRCIA", "CIRCIA proposed rule, 6 CFR 226.5 (proposed)",
        (AWARE, Trigger.RANSOM_PAYMENT),
        (
            Stage("covered-incident-report", "covered incident report", Limit(AWARE, Hours(72))),
            Stage("ransom-payment-report", "ransom payment report",
                  Limit(Trigger.RANSOM_PAYMENT, Hours(24))),
        ),
    ),
}


def regime_label(regime: Regime) -> str:
    """"GDPR", "GDPR (Dutch DPA)", or a custom regime's name."""
    if regime.kind is RegimeKind.CUSTOM:
        return regime.name or "Custom regime"
    label = DEFINITIONS[regime.kind].label
    return f"{label} ({regime.name})" if regime.name.strip() else label


def triggers_of(regime: Regime) -> tuple[Trigger, ...]:
    return kind_triggers(regime.kind)


def kind_triggers(kind: RegimeKind) -> tuple[Trigger, ...]:
    """The trigger times a kind of regime uses (a custom regime's stages run from awareness)."""
    return (AWARE,) if kind is RegimeKind.CUSTOM else DEFINITIONS[kind].triggers


def stages_of(regime: Regime) -> tuple[Stage, ...]:
    """The regime's stages in order.

    Raises:
        ValueError: a custom regime's stages do not parse (never for a stored record:
            the case file's rules refuse those).
    """
    if regime.kind is RegimeKind.CUSTOM:
        return parse_stages(regime.stages)
    return DEFINITIONS[regime.kind].stages


def jurisdiction_of(regime: Regime) -> str:
    if regime.jurisdiction:
        return regime.jurisdiction
    return "" if regime.kind is RegimeKind.CUSTOM else DEFINITIONS[regime.kind].jurisdiction


def find_stage(regime: Regime, text: str) -> Stage:
    """The stage a user named by its key or its label, in any case.

    Raises:
        ValueError: the regime has no such stage (the message lists the ones it has).
    """
    wanted = stage_key(text)
    stages = stages_of(regime)
    for stage in stages:
        if stage.key == wanted:
            return stage
    names = ", ".join(s.key for s in stages)
    raise ValueError(f"{regime_label(regime)} has no stage “{text.strip()}”; its stages are {names}")


def stage_key(text: str) -> str:
    """"Early Warning" → "early-warning"."""
    return re.sub(r"[^0-9a-z]+", "-", text.strip().lower()).strip("-")


# ---------------------------------------------------------------- custom stages

_PERIOD = re.compile(
    r"^\s*(\d{1,5})\s*(h|hours?|d|days?|bd|business\s+days?|mo|months?)\s*$", re.IGNORECASE)
_SPEC = re.compile(r"^(?P<name>[^=]+)=(?P<period>.+?)(?:\s+after\s+(?P<after>.+))?$", re.IGNORECASE)
MAX_HOURS = 24 * 366 * 2


def parse_period(text: str) -> Period:
    """"24h", "3 days" (72 h), "4bd" or "4 business days", "1mo" or "1 month".

    Raises:
        ValueError: not one of those, or zero.
    """
    found = _PERIOD.match(text)
    if not found:
        raise ValueError(f"“{text.strip()}” is not a period like 24h, 3d, 4bd or 1mo")
    count, unit = int(found.group(1)), re.sub(r"\s+", " ", found.group(2).lower())
    if count == 0:
        raise ValueError("a stage's period must be longer than zero")
    period: Period
    if unit in ("h", "hour", "hours"):
        period = Hours(count)
    elif unit in ("d", "day", "days"):
        period = Hours(24 * count)
    elif unit in ("bd", "business day", "business days"):
        period = BusinessDays(count)
    else:
        period = Months(count)
    if isinstance(period, Hours) and period.count > MAX_HOURS or not isinstance(period, Hours) and count > 24:
        raise ValueError(f"“{text.strip()}” is longer than any regulator allows")
    return period


def parse_stages(specs: tuple[str, ...] | list[str]) -> tuple[Stage, ...]:
    """Custom stages, each ``"name=period"`` (from awareness) or ``"name=period after other"``
    (from the time the earlier stage ``other`` was sent).

    Raises:
        ValueError: a stage that does not parse, a name given twice, an unknown ``other``.
    """
    stages: list[Stage] = []
    for spec in specs:
        found = _SPEC.match(spec.strip())
        if not found or not stage_key(found.group("name")):
            raise ValueError(f"the stage “{spec}” is not like “early warning=24h”")
        label = " ".join(found.group("name").split())
        key = stage_key(label)
        if any(s.key == key for s in stages):
            raise ValueError(f"the stage “{label}” is given twice")
        period = parse_period(found.group("period"))
        start: Start = AWARE
        if found.group("after"):
            after = stage_key(found.group("after"))
            if not any(s.key == after for s in stages):
                raise ValueError(f"the stage “{label}” runs after “{found.group('after').strip()}”, "
                                 "which is not a stage listed before it")
            start = AfterSent(after)
        stages.append(Stage(key, label, Limit(start, period)))
    if not stages:
        raise ValueError("a custom regime needs at least one stage, like “notification=72h”")
    return tuple(stages)


def uses_business_days(stages: tuple[Stage, ...]) -> bool:
    return any(isinstance(s.limit.period, BusinessDays) for s in stages)
