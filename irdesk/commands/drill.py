"""``irdesk drill new BOOK -o DRILL``: a drill case from the readiness book (reach these people,
request these logs). The book's passphrase is read as for ``book …``; the new drill's as for
``new`` (IRDESK_NEW_PASSPHRASE, else IRDESK_PASSPHRASE)."""

from __future__ import annotations

import argparse
import sys

from irdesk.commands.arguments import (
    actions,
    add_book_passphrase_option,
    add_new_passphrase_option,
    choice_of,
    whole_number,
)
from irdesk.domain.drills import MAX_PICKS
from irdesk.domain.enums import Tlp
from irdesk.domain.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("drill", help="drills generated from the readiness book"), "drill_command")
    p: argparse.ArgumentParser = group.add_parser(
        "new", help="a drill case: reach the least recently verified people, request logs of systems")
    p.add_argument("book", metavar="BOOK")
    p.add_argument("-o", "--output", required=True, metavar="DRILL", help="the new drill case (.ircase)")
    p.add_argument("--contacts", type=whole_number(0, MAX_PICKS), metavar="N",
                   help="how many contacts to reach (default 2, or only those named)")
    p.add_argument("--systems", type=whole_number(0, MAX_PICKS), metavar="N",
                   help="how many systems' logs to request (default 1, or only those named)")
    p.add_argument("--contact", action="append", default=[], metavar="ID", help="a contact to reach (repeatable)")
    p.add_argument("--system", action="append", default=[], metavar="ID",
                   help="a system whose logs to request (repeatable)")
    p.add_argument("--title", help="the drill's title (default: the date and what it asks)")
    p.add_argument("--tlp", type=choice_of(Tlp), help="the drill's marking (default: the book's)")
    add_book_passphrase_option(p)
    add_new_passphrase_option(p)
    p.set_defaults(handler=cmd_drill_new)


def cmd_drill_new(args: argparse.Namespace) -> int:
    from irdesk.casefile.drilling import FromBook, plan_from_book, write_drill
    from irdesk.casefile.outputs import check_destination
    from irdesk.commands.arguments import text_argument
    from irdesk.commands.case import LOST_PASSPHRASE_WARNING
    from irdesk.commands.opening import author, open_book, refuse_other_kind
    from irdesk.commands.outputs import notice
    from irdesk.commands.secrets import new_passphrase

    title = text_argument(args.title, "title").strip() if args.title is not None else None
    # Before any passphrase: never over the book, a case or any existing file; named as a case.
    check_destination(args.output, protect=(args.book,))
    refuse_other_kind(args.output, expected="case")
    with open_book(args, args.book, writable=False) as book:
        plan = plan_from_book(book, contact_count=args.contacts, system_count=args.systems,
                              named_contacts=args.contact, named_systems=args.system)
        name = title or plan.title(book.clock().local.date())
        passphrase = new_passphrase(args, fallback_env=True, context=(name,))  # as `new` reads it
        with write_drill(args.output, passphrase, plan, title=name, tlp=args.tlp or book.book().tlp,
                         actor=author(args), book=FromBook.of(book), notice=notice) as case:
            print(case.case_id)
    print(f"Drill with {plan.tasks} task(s):", file=sys.stderr)
    for sentence in plan.sentences():
        print(f"  {sentence.removeprefix('Drill: ')}", file=sys.stderr)
    print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
    return ExitCode.OK
