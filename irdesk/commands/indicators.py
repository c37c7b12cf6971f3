"""Indicator commands: add one, list them, or find candidates in the notes."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import add_passphrase_option, choice_of, open_case, parse_moment
from irdesk.domain.enums import IndicatorKind


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("indicator", help="indicators of compromise (exported to STIX)")
    actions = p.add_subparsers(dest="indicator_command", metavar="ACTION", parser_class=type(p))

    p = actions.add_parser("add", help="record an indicator; prints its UUID")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--kind", required=True, type=choice_of(IndicatorKind),
                   help=", ".join(k.value for k in IndicatorKind))
    p.add_argument("--value", required=True)
    p.add_argument("--description", default="")
    p.add_argument("--note", metavar="ID", help="the note it was found in")
    p.add_argument("--first-seen", metavar="ISO", help="when it was first seen (ISO 8601)")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("list", help="the recorded indicators")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("extract", help="find indicator-like values in the notes")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--add", action="store_true", help="record the new ones (else only list them)")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_extract)


def cmd_add(args: argparse.Namespace) -> int:
    from irdesk.domain.indicators import normalise
    from irdesk.domain.records import Indicator, Note

    try:
        value = normalise(args.kind, args.value)
    except ValueError as exc:
        raise exits.UsageError(str(exc)) from None
    first_seen = parse_moment(args.first_seen, "--first-seen")
    with open_case(args, writable=True) as case:
        with case.transaction():
            if args.note:
                note = case.get(Note, args.note)
                first_seen = first_seen or note.occurred
            item = case.add(Indicator, kind=args.kind, value=value,
                            description=args.description, source_note_id=args.note,
                            first_seen=first_seen)
        print(item.id)
    return exits.OK


def cmd_list(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Indicator

    with open_case(args, writable=False) as case:
        items = case.all(Indicator)
    if not items:
        print("No indicators recorded.")
    for item in items:
        seen = item.first_seen.display() if item.first_seen else "—"
        print(f"{item.kind.value:<10} {item.value}  (first seen {seen})  {item.id}")
        if item.description:
            print(f"           {item.description}")
    return exits.OK


def cmd_extract(args: argparse.Namespace) -> int:
    from irdesk.domain.indicators import candidates
    from irdesk.domain.records import Indicator, Note

    with open_case(args, writable=args.add) as case:
        known = {(i.kind, i.value) for i in case.all(Indicator)}
        found = []
        for note in case.iter_all(Note):
            if note.deleted:
                continue
            for candidate in candidates(note.body):
                if (candidate.kind, candidate.value) not in known:
                    known.add((candidate.kind, candidate.value))
                    found.append((candidate, note))
        if args.add and found:
            with case.transaction():
                for candidate, note in found:
                    case.add(Indicator, kind=candidate.kind, value=candidate.value,
                             source_note_id=note.id, first_seen=note.occurred,
                             description="Found in a note")
    for candidate, note in found:
        print(f"{candidate.kind.value:<10} {candidate.value}  (note {note.id})")
    verb = "Recorded" if args.add else "Found"
    print(f"{verb} {len(found)} new indicator(s).")
    return exits.OK
