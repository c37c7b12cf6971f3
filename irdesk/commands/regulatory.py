"""The regulators' clocks on the command line: ``regime add|set`` and ``notification add|set``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from irdesk.commands.arguments import actions, case_command, choice_of, given, parse_moment, require_changes
from irdesk.commands.opening import open_case
from irdesk.domain.enums import RegimeKind
from irdesk.domain.errors import BadInput, ExitCode

if TYPE_CHECKING:
    from irdesk.casefile.store import CaseFile
    from irdesk.domain.records import Regime

TIME_HELP = "ISO 8601 (local time if no offset), or 'now'"
TRIGGERS = (
    ("aware_at", "when you became aware of the incident (GDPR, NIS2, DORA, CIRCIA, custom)"),
    ("classified_at", "when it was classified as major (DORA)"),
    ("determined_at", "when it was determined to be material (SEC 8-K)"),
    ("ransom_paid_at", "when a ransom was paid (CIRCIA)"),
)


def _regime_options(p: argparse.ArgumentParser) -> None:
    for name, help_text in TRIGGERS:
        p.add_argument("--" + name.replace("_", "-"), metavar="TIME", help=f"{help_text}; {TIME_HELP}")
    p.add_argument("--jurisdiction", metavar="CC",
                   help="country code (US, DE, NL; US-NY for a state) whose holidays business days skip")
    p.add_argument("--time-zone", metavar="ZONE",
                   help="IANA zone for local time, e.g. Europe/Amsterdam (default: the offset each time "
                   "was entered with)")
    p.add_argument("--name", help="a custom regime's name; for the others, a note such as the authority")
    p.add_argument("--stage", action="append", metavar="'NAME=PERIOD[ after STAGE]'",
                   help="a custom regime's stage, e.g. 'early warning=24h' or 'final report=1mo after "
                   "notification'; periods: Nh, Nd, Nbd (business days), Nmo; repeat for each stage")


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("regime", help="the notification regimes a case falls under"),
                    "regime_command")
    p = case_command(group, "add", "a regime applies: GDPR, NIS2, DORA, SEC 8-K, CIRCIA or custom", cmd_regime_add)
    p.add_argument("--regime", required=True, type=choice_of(RegimeKind),
                   help="gdpr, nis2, dora, sec-8k, circia or custom")
    _regime_options(p)
    p = case_command(group, "set", "change a regime's times, jurisdiction, zone or stages", cmd_regime_set)
    p.add_argument("regime", metavar="REGIME", help="its id, or its kind when the case has one of that kind")
    _regime_options(p)

    group = actions(sub.add_parser("notification", help="notifications sent to regulators"),
                    "notification_command")
    p = case_command(group, "add", "record a notification sent under a regime's stage", cmd_notification_add)
    p.add_argument("--regime", required=True, metavar="REGIME",
                   help="its id, or its kind (gdpr, nis2…) when the case has one of that kind")
    p.add_argument("--stage", required=True, metavar="STAGE", help="e.g. early-warning, final-report")
    p.add_argument("--sent-at", required=True, metavar="TIME", help=TIME_HELP)
    p.add_argument("--to", required=True, metavar="CONTACT_ID", help="the contact it was sent to")
    p.add_argument("--reference", default="", help="the regulator's reference or case number")
    p.add_argument("--late-reason", default="", help="why it was sent late (GDPR asks for the reasons)")
    p = case_command(group, "set", "correct a notification", cmd_notification_set)
    p.add_argument("id", metavar="ID")
    p.add_argument("--sent-at", metavar="TIME", help=TIME_HELP)
    p.add_argument("--to", metavar="CONTACT_ID")
    p.add_argument("--reference")
    p.add_argument("--late-reason")


def _regime_fields(args: argparse.Namespace) -> dict[str, Any]:
    fields: dict[str, Any] = {
        name: parse_moment(getattr(args, name), "--" + name.replace("_", "-"))
        for name, _ in TRIGGERS if getattr(args, name) is not None
    }
    fields |= given(args, ("jurisdiction", "time_zone", "name"))
    if args.stage is not None:
        fields["stages"] = tuple(args.stage)
    return fields


def find_regime(case: CaseFile, text: str) -> Regime:
    """The live regime a user named by id, or by kind when the case has one of that kind."""
    from irdesk.domain.records import Regime
    from irdesk.domain.regimes import regime_label

    live = case.records.all(Regime)
    by_id = [r for r in live if r.id == text.strip()]
    if by_id:
        return by_id[0]
    of_kind = [r for r in live if r.kind.value == text.strip().lower()]
    if len(of_kind) == 1:
        return of_kind[0]
    if of_kind:
        ids = "; ".join(f"{regime_label(r)}: {r.id}" for r in of_kind)
        raise BadInput(f"The case has {len(of_kind)} {text} regimes; name one by its id ({ids}).")
    raise BadInput(f"The case has no regime “{text}”; add it with irdesk regime add.")


def cmd_regime_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    fields = _regime_fields(args)
    if args.regime is not RegimeKind.CUSTOM and "stages" in fields:
        raise BadInput("--stage is for a custom regime; the others have their stages fixed.")
    if args.regime is RegimeKind.CUSTOM and not fields.get("name"):
        raise BadInput("A custom regime needs --name.")
    with open_case(args, writable=True) as case:
        print(ops.add_regime(case, args.regime, **fields).value.id)
    return ExitCode.OK


def cmd_regime_set(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    changes = _regime_fields(args)
    require_changes(changes)
    with open_case(args, writable=True) as case:
        ops.edit_regime(case, find_regime(case, args.regime).id, **changes)
    print("The regime was updated.")
    return ExitCode.OK


def cmd_notification_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    sent_at = parse_moment(args.sent_at, "--sent-at")
    assert sent_at is not None
    with open_case(args, writable=True) as case:
        regime = find_regime(case, args.regime)
        notification = ops.add_notification(case, regime.id, args.stage, sent_at, args.to,
                                            reference=args.reference, late_reason=args.late_reason).value
        print(notification.id)
    return ExitCode.OK


def cmd_notification_set(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    changes: dict[str, Any] = given(args, ("reference", "late_reason"))
    if args.sent_at is not None:
        changes["sent_at"] = parse_moment(args.sent_at, "--sent-at")
    if args.to is not None:
        changes["contact_id"] = args.to
    require_changes(changes)
    with open_case(args, writable=True) as case:
        ops.edit_notification(case, args.id, **changes)
    print("The notification was updated.")
    return ExitCode.OK
