"""Action-item commands: lessons learned, owned, implemented and tested (or waived)."""

from __future__ import annotations

import argparse

from irdesk.commands.arguments import actions, case_command, choice_of, given, parse_date, require_changes
from irdesk.commands.opening import open_case
from irdesk.domain.enums import ActionStatus
from irdesk.domain.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("action", help="lessons-learned action items"), "action_command")
    p = case_command(group, "add", "add an action item", cmd_action_add)
    p.add_argument("--title", required=True)
    p.add_argument("--owner", default="")
    p.add_argument("--due", metavar="YYYY-MM-DD")
    p.add_argument("--from-note", metavar="NOTE_ID", help="the gap note it comes from")
    p = case_command(group, "set", "change an action item", cmd_action_set)
    p.add_argument("id", metavar="ID")
    p.add_argument("--status", type=choice_of(ActionStatus), help="proposed, accepted, implemented, tested, waived")
    p.add_argument("--reason", help="why it is waived (required with --status waived)")
    p.add_argument("--verification", help="how the fix was tested")
    p.add_argument("--owner")
    p.add_argument("--due", metavar="YYYY-MM-DD")


def cmd_action_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    due = parse_date(args.due, "--due")
    with open_case(args, writable=True) as case:
        item = ops.add_action(case, args.title, owner=args.owner, due=due, source_note_id=args.from_note).value
        print(item.id)
    return ExitCode.OK


def cmd_action_set(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    changes = given(args, ("status", "verification", "owner"))
    if args.due is not None:
        changes["due"] = parse_date(args.due, "--due")
    if args.reason is not None:
        changes["waived_reason"] = args.reason
    require_changes(changes)
    with open_case(args, writable=True) as case:
        ops.edit_action(case, args.id, **changes)
    print("The action item was updated.")
    return ExitCode.OK
