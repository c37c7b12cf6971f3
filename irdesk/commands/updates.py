"""Commands that change what is already in a case: case set, action, engagement, custody."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import add_passphrase_option, choice_of, open_case, parse_moment
from irdesk.domain.enums import ActionStatus, CaseStatus, CustodyAction, Severity, Tlp
from irdesk.domain.records import KEY_TIMES, SUMMARY_FIELDS

TIME_HELP = "ISO 8601 (local time if no offset), or 'now'"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case", help="change the case: status, key times, marking, summary")
    case = p.add_subparsers(dest="case_command", metavar="ACTION", parser_class=type(p))
    p = case.add_parser("set", help="set case fields (only those given change)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--title")
    p.add_argument("--codename")
    p.add_argument("--severity", type=choice_of(Severity))
    p.add_argument("--tlp", type=choice_of(Tlp))
    p.add_argument("--drill", choices=("yes", "no"))
    p.add_argument("--status", type=choice_of(CaseStatus), help="open, contained, recovered, closed")
    for name in KEY_TIMES:
        p.add_argument("--" + name.replace("_", "-"), metavar="TIME", help=TIME_HELP)
    for name in SUMMARY_FIELDS:
        p.add_argument("--" + name, metavar="TEXT", help=f"post-incident summary: {name}")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_case_set)

    p = sub.add_parser("action", help="lessons-learned action items")
    action = p.add_subparsers(dest="action_command", metavar="ACTION", parser_class=type(p))
    p = action.add_parser("add", help="add an action item")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--title", required=True)
    p.add_argument("--owner", default="")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--from-note", metavar="NOTE_ID", help="the gap note it comes from")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_action_add)
    p = action.add_parser("set", help="change an action item")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", metavar="ID")
    p.add_argument("--status", type=choice_of(ActionStatus),
                   help="proposed, accepted, implemented, tested, waived")
    p.add_argument("--reason", help="why it is waived (required with --status waived)")
    p.add_argument("--verification", help="how the fix was tested")
    p.add_argument("--owner")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_action_set)

    p = sub.add_parser("engagement", help="log when a person was needed, tried and reached")
    engagement = p.add_subparsers(dest="engagement_command", metavar="ACTION", parser_class=type(p))
    p = engagement.add_parser("add", help="a person is needed (now, or --needed-at)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--contact", required=True, metavar="CONTACT_ID")
    p.add_argument("--purpose", required=True)
    p.add_argument("--needed-at", default="now", metavar="TIME", help=TIME_HELP)
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_engagement_add)
    p = engagement.add_parser("set", help="record an attempt, the answer, the outcome")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", metavar="ID")
    for name in ("first-attempt-at", "reached-at", "resolved-at"):
        p.add_argument("--" + name, metavar="TIME", help=TIME_HELP)
    p.add_argument("--outcome")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_engagement_set)

    p = sub.add_parser("custody", help="chain of custody of an evidence item")
    custody = p.add_subparsers(dest="custody_command", metavar="ACTION", parser_class=type(p))
    p = custody.add_parser("add", help="record a custody event")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--evidence", required=True, metavar="EVIDENCE_ID")
    p.add_argument("--action", required=True, type=choice_of(CustodyAction),
                   help=", ".join(a.value for a in CustodyAction))
    p.add_argument("--by", required=True, help="who handled it")
    p.add_argument("--to", default="", help="who received it")
    p.add_argument("--location", default="")
    p.add_argument("--at", default="now", metavar="TIME", help=TIME_HELP)
    p.add_argument("--note", default="")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_custody_add)


def _date(text: str | None, what: str):
    from irdesk.domain.moment import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise exits.UsageError(f"{what}: {exc}.") from None


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> dict:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _times(args: argparse.Namespace, names: tuple[str, ...]) -> dict:
    """The time options among ``names`` that were given, parsed (``now`` included)."""
    return {n: parse_moment(v, "--" + n.replace("_", "-")) for n, v in _given(args, names).items()}


def _nothing_given(changes: dict) -> None:
    if not changes:
        raise exits.UsageError("Nothing to change: give at least one field.")


def cmd_case_set(args: argparse.Namespace) -> int:
    changes = _given(args, ("title", "codename", "severity", "tlp", "status", *SUMMARY_FIELDS))
    if args.drill is not None:
        changes["drill"] = args.drill == "yes"
    changes.update(_times(args, KEY_TIMES))
    _nothing_given(changes)
    with open_case(args, writable=True) as case:
        case.update_case(**changes)
    print("The case was updated.")
    return exits.OK


def cmd_action_add(args: argparse.Namespace) -> int:
    from irdesk.domain.records import ActionItem, Note

    with open_case(args, writable=True) as case:
        if args.from_note:
            case.get(Note, args.from_note)  # the note must exist
        item = case.add(ActionItem, title=args.title, owner=args.owner, due=_date(args.due, "--due"),
                        source_note_id=args.from_note)
        print(item.id)
    return exits.OK


def cmd_action_set(args: argparse.Namespace) -> int:
    from irdesk.domain.records import ActionItem

    changes = _given(args, ("status", "verification", "owner"))
    if args.due is not None:
        changes["due"] = _date(args.due, "--due")
    if args.reason is not None:
        changes["waived_reason"] = args.reason
    if args.status is ActionStatus.WAIVED and not (args.reason or "").strip():
        raise exits.UsageError("A waived action item needs a reason (--reason).")
    _nothing_given(changes)
    with open_case(args, writable=True) as case:
        case.update(ActionItem, args.id, **changes)
    print("The action item was updated.")
    return exits.OK


def cmd_engagement_add(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Contact, Engagement

    needed = parse_moment(args.needed_at, "--needed-at")
    with open_case(args, writable=True) as case:
        case.get(Contact, args.contact)
        engagement = case.add(Engagement, contact_id=args.contact, purpose=args.purpose, needed_at=needed)
        print(engagement.id)
    return exits.OK


def cmd_engagement_set(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Engagement

    changes = _times(args, ("first_attempt_at", "reached_at", "resolved_at")) | _given(args, ("outcome",))
    _nothing_given(changes)
    with open_case(args, writable=True) as case:
        case.update(Engagement, args.id, **changes)
    print("The engagement was updated.")
    return exits.OK


def cmd_custody_add(args: argparse.Namespace) -> int:
    from irdesk.domain.records import CustodyEvent, Evidence

    at = parse_moment(args.at)
    with open_case(args, writable=True) as case:
        case.get(Evidence, args.evidence)
        event = case.add(CustodyEvent, evidence_id=args.evidence, action=args.action, at=at, by_whom=args.by,
                         to_whom=args.to, location=args.location, note=args.note)
        print(event.id)
    return exits.OK
