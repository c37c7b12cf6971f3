"""Contact commands: the contact book and the engagement log (needed, tried, reached)."""

from __future__ import annotations

import argparse

from irdesk.commands.arguments import (
    actions,
    case_command,
    choice_of,
    given,
    parse_moment,
    require_changes,
    text_argument,
    times_given,
)
from irdesk.commands.opening import open_case
from irdesk.domain.enums import ContactKind
from irdesk.domain.errors import ExitCode

TIME_HELP = "ISO 8601 (local time if no offset), or 'now'"


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("contact", help="the contact book"), "contact_command")
    p = case_command(group, "add", "add a contact", cmd_contact_add)
    add_contact_options(p)

    group = actions(sub.add_parser("engagement", help="log when a person was needed, tried and reached"),
                    "engagement_command")
    p = case_command(group, "add", "a person is needed (now, or --needed-at)", cmd_engagement_add)
    p.add_argument("--contact", required=True, metavar="CONTACT_ID")
    p.add_argument("--purpose", required=True)
    p.add_argument("--needed-at", default="now", metavar="TIME", help=TIME_HELP)
    p = case_command(group, "set", "record an attempt, the answer, the outcome", cmd_engagement_set)
    p.add_argument("id", metavar="ID")
    for name in ("first-attempt-at", "reached-at", "resolved-at"):
        p.add_argument("--" + name, metavar="TIME", help=TIME_HELP)
    p.add_argument("--outcome")


def add_contact_options(p: argparse.ArgumentParser) -> None:
    """The options of ``contact add`` (a readiness book's ``book contact add`` has them too)."""
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="")
    p.add_argument("--org", default="")
    p.add_argument("--team", default="")
    p.add_argument("--kind", type=choice_of(ContactKind), default=ContactKind.INTERNAL)
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--out-of-band", default="", help="a channel that survives a compromised network")
    p.add_argument("--grants", default="", help="what access this person can grant")
    p.add_argument("--notes", default="", metavar="TEXT",
                   help="free-text notes: when and how to escalate, what to ask for (- reads stdin)")


def cmd_contact_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    name = text_argument(args.name, "name")
    notes = text_argument(args.notes, "notes") if args.notes else ""
    with open_case(args, writable=True) as case:
        contact = ops.add_contact(case, name, role=args.role, organisation=args.org, team=args.team,
                                  kind=args.kind, phone=args.phone, email=args.email,
                                  out_of_band=args.out_of_band, grants_access=args.grants,
                                  notes=notes).value
        print(contact.id)
    return ExitCode.OK


def cmd_engagement_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    needed = parse_moment(args.needed_at, "--needed-at")
    with open_case(args, writable=True) as case:
        print(ops.add_engagement(case, args.contact, args.purpose, needed_at=needed).value.id)
    return ExitCode.OK


def cmd_engagement_set(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    changes = times_given(args, ("first_attempt_at", "reached_at", "resolved_at")) | given(args, ("outcome",))
    require_changes(changes)
    with open_case(args, writable=True) as case:
        ops.edit_engagement(case, args.id, **changes)
    print("The engagement was updated.")
    return ExitCode.OK
