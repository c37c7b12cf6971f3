"""``irdesk book report``: the programme report of a readiness book, for senior staff (signed with
``--sign``, checked with ``irdesk verify PDF --book BOOK``)."""

from __future__ import annotations

import argparse

from irdesk.commands.arguments import add_book_passphrase_option, parse_date
from irdesk.commands.opening import author, open_book
from irdesk.commands.outputs import add_force_option, notice
from irdesk.domain.errors import ExitCode

DESCRIPTION = """\
A PDF for senior staff, from the book alone (never a word of a case's notes): incidents and
drills in the period, the trends quarter by quarter, recurring gaps, action items from proposed
to tested (overdue flagged), contacts and vendors not reached or slow, stale directory entries.
Incidents and drills are counted apart in every figure. The book records the report, so
`irdesk verify OUT.pdf --book BOOK` can check a signed one against it.
"""


def register(group: argparse._SubParsersAction) -> None:
    """``book report``, added to the ``book`` command group."""
    from irdesk.commands.report import add_identity_passphrase_option

    p = group.add_parser("report", help="the programme report: what the team learned, quarter by quarter (PDF)",
                         description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("book", metavar="BOOK")
    add_book_passphrase_option(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    add_force_option(p)
    p.add_argument("--sign", action="store_true", help="sign it with your identity (PAdES B-B)")
    p.add_argument("--from", dest="start", metavar="DATE", help="only cases detected on or after this day (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", metavar="DATE", help="only cases detected on or before this day (YYYY-MM-DD)")
    add_identity_passphrase_option(p)
    p.set_defaults(handler=cmd_book_report)


def cmd_book_report(args: argparse.Namespace) -> int:
    from irdesk.casefile.outputs import check_destination
    from irdesk.commands.report import identity_passphrase
    from irdesk.report.programme import check_period

    period = check_period(parse_date(args.start, "--from"), parse_date(args.end, "--to"))
    check_destination(args.output, protect=(args.book,), replace=args.force, plaintext=True)
    identity = None
    if args.sign:
        from irdesk.identity.keys import load_identity

        identity = load_identity(identity_passphrase(args))  # before the book: fail early
    from irdesk.report.programme import build_programme
    from irdesk.report.service import issue_report

    with open_book(args, args.book, writable=True) as book:
        built = build_programme(book, responder=author(args), period=period, identity=identity)
        issue_report(book, built, args.output, replace=args.force, notice=notice)
    state = f"signed by {identity.info.name}" if identity else "unsigned"
    c = built.content
    print(f"Programme report {built.report_id} written to {args.output} ({state}): {len(c.incidents)} "
          f"incident(s), {len(c.drills)} drill(s), {c.period.sentence()}.")
    print(f"Book fingerprint {c.fingerprint}")
    return ExitCode.OK
