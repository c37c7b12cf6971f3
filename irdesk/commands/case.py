"""Whole-case commands: new, demo, show, check, rawkey, passwd."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import (
    add_new_passphrase_option,
    add_passphrase_option,
    author,
    choice_of,
    new_passphrase,
    open_case,
)
from irdesk.domain.enums import Tlp

LOST_PASSPHRASE_WARNING = (
    "Keep the passphrase safe: irdesk cannot recover a case whose passphrase is lost. "
    "Hand-off copies are the backup."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create a new encrypted case file")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--title", required=True)
    p.add_argument("--tlp", type=choice_of(Tlp), default=Tlp.AMBER,
                   help="clear, green, amber (default), amber+strict, red")
    p.add_argument("--drill", action="store_true", help="mark the case as an exercise")
    p.add_argument("--codename", default="")
    add_new_passphrase_option(p)
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("demo", help="create a realistic demo case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--scale", type=int, default=0, metavar="N", help="add N synthetic notes")
    add_new_passphrase_option(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("show", help="a readable summary of a case")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("check", help="verify integrity and the audit chain (exit 0 only if both hold)")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("rawkey", help="print the raw SQLCipher key (x'…') for any SQLCipher 4 tool")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_rawkey)

    p = sub.add_parser("passwd", help="change the case passphrase in place")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    add_new_passphrase_option(p)
    p.set_defaults(handler=cmd_passwd)


def _create(args: argparse.Namespace, title: str, **kwargs):
    import os

    from irdesk.casefile.errors import CaseExists
    from irdesk.casefile.store import CaseFile

    if os.path.lexists(args.case):
        raise CaseExists(args.case)
    passphrase = new_passphrase(args, fallback_env=True, context=(title,))
    return CaseFile.create(args.case, passphrase, title=title, actor=author(args), **kwargs)


def cmd_new(args: argparse.Namespace) -> int:
    if not args.title.strip():
        raise exits.UsageError("The title is empty.")
    with _create(args, args.title.strip(), tlp=args.tlp, drill=args.drill, codename=args.codename) as case:
        print(case.case_id)
    import sys

    print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
    return exits.OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.scale < 0:
        raise exits.UsageError("--scale must be zero or more.")
    from irdesk.demo import TITLE, build_demo

    with _create(args, TITLE) as case:
        build_demo(case, scale=args.scale)
        print(case.case_id)
    return exits.OK


def cmd_show(args: argparse.Namespace) -> int:
    from irdesk.commands.summary import render_summary

    with open_case(args, writable=False) as case:
        print(render_summary(case))
    return exits.OK


def cmd_check(args: argparse.Namespace) -> int:
    from irdesk.casefile.check import check_case

    with open_case(args, writable=False) as case:
        report = check_case(case)
        if not report.ok:
            import sys

            for problem in report.problems:
                print(f"  {problem}", file=sys.stderr)
            raise exits.CommandError(
                f"The case failed its check with {len(report.problems)} problem(s); it may have been "
                "tampered with or damaged.", exits.NOT_A_CASE)
        print(f"OK: integrity holds, {report.chain_length} audit entries chain correctly, "
              f"{report.records_checked} records and {report.revisions_checked} earlier revisions match them.")
        print(f"Fingerprint: {case.fingerprint()}")
        print(f"Chain head:  {case.chain_head}")
    return exits.OK


def cmd_rawkey(args: argparse.Namespace) -> int:
    with open_case(args, writable=False) as case:
        print(case.raw_key())
    return exits.OK


def cmd_passwd(args: argparse.Namespace) -> int:
    with open_case(args, writable=True) as case:
        passphrase = new_passphrase(args, context=(case.case().title,))
        case.rekey(passphrase)
    print("The passphrase was changed.")
    return exits.OK
