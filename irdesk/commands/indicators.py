"""Indicator commands: add one, list them, or find candidates in the notes."""

from __future__ import annotations

import argparse

from irdesk.commands.arguments import actions, attack_ids, case_command, choice_of, parse_moment
from irdesk.commands.opening import open_case
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("indicator", help="indicators of compromise (exported to STIX)"),
                    "indicator_command")
    p = case_command(group, "add", "record an indicator; prints its UUID", cmd_add)
    p.add_argument("--kind", required=True, type=choice_of(IndicatorKind),
                   help=", ".join(k.value for k in IndicatorKind))
    p.add_argument("--value", required=True)
    p.add_argument("--description", default="")
    p.add_argument("--note", metavar="ID", help="the note it was found in")
    p.add_argument("--first-seen", metavar="ISO", help="when it was first seen (ISO 8601)")
    p.add_argument("--attack", action="append", default=[], metavar="ID",
                   help="an ATT&CK technique id such as T1486 or T1078.002 (repeatable)")
    case_command(group, "list", "the recorded indicators", cmd_list)
    p = case_command(group, "extract", "find indicator-like values in the notes", cmd_extract)
    p.add_argument("--add", action="store_true", help="record the new ones (else only list them)")


def cmd_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    first_seen = parse_moment(args.first_seen, "--first-seen")
    techniques = attack_ids(args.attack)
    with open_case(args, writable=True) as case:
        item = ops.add_indicator(case, args.kind, args.value, description=args.description,
                                 source_note_id=args.note, first_seen=first_seen,
                                 attack=techniques).value
        print(item.id)
    return ExitCode.OK


def cmd_list(args: argparse.Namespace) -> int:
    from irdesk.domain import attack
    from irdesk.domain.records import Indicator

    with open_case(args, writable=False) as case:
        items = case.records.all(Indicator)
    if not items:
        print("No indicators recorded.")
    for item in items:
        seen = item.first_seen.display() if item.first_seen else "—"
        print(f"{item.kind.value:<10} {item.value}  (first seen {seen})  {item.id}")
        if item.description:
            print(f"           {item.description}")
        for technique in item.attack:
            print(f"           ATT&CK {attack.flag(technique)}")
    return ExitCode.OK


def cmd_extract(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    with open_case(args, writable=args.add) as case:
        found = ops.indicator_candidates(case)
        if args.add and found:
            ops.add_found_indicators(case, found)
    for candidate, note in found:
        print(f"{candidate.kind.value:<10} {candidate.value}  (note {note.id})")
    verb = "Recorded" if args.add else "Found"
    print(f"{verb} {len(found)} new indicator(s).")
    return ExitCode.OK
