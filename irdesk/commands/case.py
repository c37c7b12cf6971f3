"""Whole-case commands: new, demo, show, check, salvage, rawkey, passwd, and ``case set``."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from irdesk.commands.arguments import (
    actions,
    add_book_passphrase_option,
    add_new_passphrase_option,
    case_command,
    choice_of,
    given,
    require_changes,
    times_given,
)
from irdesk.commands.opening import author, open_case, open_either
from irdesk.commands.outputs import add_force_option, check_output, notice
from irdesk.commands.secrets import new_passphrase
from irdesk.domain.enums import CaseStatus, Severity, Tlp
from irdesk.domain.errors import BadInput, ExitCode, KnownError
from irdesk.domain.records import KEY_TIMES, SUMMARY_FIELDS

if TYPE_CHECKING:
    from irdesk.casefile.store import CaseFile

LOST_PASSPHRASE_WARNING = (
    "Keep the passphrase safe: irdesk cannot recover a case whose passphrase is lost. "
    "Hand-off copies are the backup."
)
TIME_HELP = "ISO 8601 (local time if no offset), or 'now'"


def register(sub: argparse._SubParsersAction) -> None:
    p = case_command(sub, "new", "create a new encrypted case file", cmd_new, passphrase=False)
    p.add_argument("--title", required=True)
    p.add_argument("--tlp", type=choice_of(Tlp), default=Tlp.AMBER,
                   help="clear, green, amber (default), amber+strict, red")
    p.add_argument("--drill", action="store_true", help="mark the case as an exercise")
    p.add_argument("--codename", default="")
    p.add_argument("--book", metavar="BOOK", help="start from a readiness book: its contacts and checklist")
    add_new_passphrase_option(p)
    add_book_passphrase_option(p)

    p = case_command(sub, "demo", "create a realistic demo case", cmd_demo, passphrase=False)
    p.add_argument("--scale", type=int, default=0, metavar="N", help="add N synthetic notes")
    p.add_argument("--book", metavar="BOOK", help="also write a demo readiness book, and start the case from it")
    add_new_passphrase_option(p)

    case_command(sub, "show", "a readable summary of a case", cmd_show)
    p = case_command(sub, "check", "verify integrity and the audit chain (exit 0 only if both hold); "
                     "a case or a book", cmd_check)
    add_book_passphrase_option(p)
    p = case_command(sub, "rawkey", "print the raw SQLCipher key (x'…') for any SQLCipher 4 tool; "
                     "a case or a book", cmd_rawkey)
    add_book_passphrase_option(p)
    p = case_command(sub, "passwd", "change the passphrase of a case or a book in place", cmd_passwd)
    add_new_passphrase_option(p)
    add_book_passphrase_option(p)
    p = case_command(sub, "salvage", "write a new case holding only what the audit chain vouches for "
                     "(CASE is only read)", cmd_salvage)
    p.add_argument("-o", "--output", required=True, metavar="NEW", help="the new case file")
    add_force_option(p)
    add_new_passphrase_option(p)

    group = sub.add_parser("case", help="change the case: status, key times, marking, summary")
    p = case_command(actions(group, "case_command"), "set", "set case fields (only those given change)",
                     cmd_case_set)
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
    p.add_argument("--veris-discovery", metavar="HOW", help="VERIS discovery method, e.g. "
                   "'internal/Log review', 'external/Customer', 'unknown' (empty: not known)")
    for name, example in (("actor", "external/Organized crime"), ("action", "malware/Ransomware"),
                          ("asset", "S - File")):
        p.add_argument(f"--veris-{name}", action="append", metavar="VARIETY",
                       help=f"VERIS {name} variety, e.g. '{example}' (repeatable; replaces the list; "
                       "'' clears it)")


def _create(args: argparse.Namespace, title: str, *, tlp: Tlp = Tlp.AMBER, drill: bool = False,
            codename: str = "", fill: Callable[[CaseFile], object] | None = None) -> CaseFile:
    from irdesk.casefile.errors import CaseExists
    from irdesk.casefile.store import CaseFile
    from irdesk.commands.opening import refuse_other_kind

    refuse_other_kind(args.case, expected="case")
    if os.path.lexists(args.case):
        raise CaseExists(args.case)
    passphrase = new_passphrase(args, fallback_env=True, context=(title,))
    return CaseFile.create(args.case, passphrase, title=title, actor=author(args), tlp=tlp, drill=drill,
                           codename=codename, fill=fill, notice=notice)


def cmd_new(args: argparse.Namespace) -> int:
    if not args.title.strip():
        raise BadInput("The title is empty.")
    if args.book is None:
        with _create(args, args.title.strip(), tlp=args.tlp, drill=args.drill, codename=args.codename) as case:
            print(case.case_id)
        print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
        return ExitCode.OK
    from irdesk.casefile.starting import Started, start_from_book
    from irdesk.commands.opening import open_book

    started: list[Started] = []
    with open_book(args, args.book, writable=False) as book:
        with _create(args, args.title.strip(), tlp=args.tlp, drill=args.drill, codename=args.codename,
                     fill=lambda new: started.append(start_from_book(new, book))) as case:
            print(case.case_id)
    print(started[0].sentence(), file=sys.stderr)
    print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
    return ExitCode.OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.scale < 0:
        raise BadInput("--scale must be zero or more.")
    from irdesk.demo import TITLE, build_demo

    if args.book is None:
        with _create(args, TITLE) as case:
            build_demo(case, scale=args.scale)
            print(case.case_id)
        return ExitCode.OK
    return _demo_with_book(args, TITLE, build_demo)


def _demo_with_book(args: argparse.Namespace, title: str, build: Callable[..., None]) -> int:
    """The demo book first (IRDESK_BOOK_PASSPHRASE, else the demo case's passphrase), then the
    demo case started from it. Neither is left behind when either fails."""
    from irdesk.casefile.book_store import BookFile
    from irdesk.casefile.errors import CaseExists
    from irdesk.casefile.starting import start_from_book
    from irdesk.casefile.store import CaseFile
    from irdesk.commands.opening import refuse_other_kind
    from irdesk.demo_book import build_demo_book

    refuse_other_kind(args.case, expected="case")
    refuse_other_kind(args.book, expected="book")
    for path in (args.case, args.book):
        if os.path.lexists(path):
            raise CaseExists(path)
    passphrase = new_passphrase(args, fallback_env=True, context=(title,))
    book_passphrase = os.environ.get("IRDESK_BOOK_PASSPHRASE") or passphrase
    build_demo_book(args.book, book_passphrase, actor=author(args))
    try:
        with BookFile.open(args.book, book_passphrase, actor=author(args), writable=False) as book, \
                CaseFile.create(args.case, passphrase, title=title, actor=author(args),
                                fill=lambda new: start_from_book(new, book), notice=notice) as case:
            build(case, scale=args.scale)
            print(case.case_id)
            print(book.book_id)
    except BaseException:
        for path in (args.case, args.book):
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    return ExitCode.OK


def cmd_show(args: argparse.Namespace) -> int:
    from irdesk.commands.summary import render_summary

    with open_case(args, writable=False) as case, case.verified():
        text = render_summary(case)
    print(text)
    return ExitCode.OK


def cmd_check(args: argparse.Namespace) -> int:
    from irdesk.casefile.check import check_case

    with open_either(args, writable=False) as case:
        report = check_case(case)
        if not report.ok:
            for problem in report.problems:
                print(f"  {problem}", file=sys.stderr)
            raise KnownError(f"The {case.KIND.name} failed its check with {len(report.problems)} problem(s); "
                             "it may have been tampered with or damaged.", ExitCode.NOT_A_CASE)
        print(f"OK: integrity holds, {report.chain_length} audit entries chain correctly, "
              f"{report.records_checked} records and {report.revisions_checked} earlier revisions match them.")
        print(f"Fingerprint: {case.fingerprint()}")
        print(f"Chain head:  {case.chain_head}")
    return ExitCode.OK


def cmd_rawkey(args: argparse.Namespace) -> int:
    with open_either(args, writable=False) as case:
        print(case.raw_key())
    return ExitCode.OK


def cmd_passwd(args: argparse.Namespace) -> int:
    with open_either(args, writable=True) as case:
        passphrase = new_passphrase(args, context=(case.title(),))
        case.rekey(passphrase)
    print("The passphrase was changed.")
    return ExitCode.OK


def cmd_salvage(args: argparse.Namespace) -> int:
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.salvage import salvage
    from irdesk.casefile.store import CaseFile
    from irdesk.commands.opening import refuse_other_kind
    from irdesk.commands.secrets import case_passphrase

    read_salt(args.case)
    refuse_other_kind(args.case, expected="case")  # no salvage of a book yet: refused, exit 4
    check_output(args, args.output)  # before any passphrase: never over a case, --force for others
    with CaseFile.open(args.case, case_passphrase(args), actor=author(args), writable=False,
                       salvaging=True) as case:
        passphrase = new_passphrase(args, fallback_env=True, context=(case.case_id,))
        report = salvage(case, args.output, passphrase, replace=args.force, notice=notice)
    print(f"Wrote {report.path}: {report.sentence()}")
    for line in report.restored + report.left_out:
        print(f"  {line}")
    print(f"Fingerprint: {report.fingerprint}")
    return ExitCode.OK


def cmd_case_set(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    changes = given(args, ("title", "codename", "severity", "tlp", "status", *SUMMARY_FIELDS))
    if args.drill is not None:
        changes["drill"] = args.drill == "yes"
    changes.update(times_given(args, KEY_TIMES))
    if args.veris_discovery is not None:
        changes["veris_discovery"] = args.veris_discovery
    for name in ("actor", "action", "asset"):
        values = getattr(args, f"veris_{name}")
        if values is not None:
            changes[f"veris_{name}s"] = [v for v in values if v.strip()]
    require_changes(changes)
    with open_case(args, writable=True) as case:
        ops.edit_case(case, **changes)
    print("The case was updated.")
    return ExitCode.OK
