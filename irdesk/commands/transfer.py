"""Hand-off and merge: a re-keyed copy for a colleague, and bringing their copy back in."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from irdesk.commands.arguments import add_book_passphrase_option, add_new_passphrase_option, case_command
from irdesk.commands.opening import open_either
from irdesk.commands.outputs import add_force_option, check_output, notice
from irdesk.commands.secrets import new_passphrase, secret
from irdesk.domain.errors import BadInput, ExitCode

if TYPE_CHECKING:
    from irdesk.casefile.merge import MergePlan

LISTED = 40  # changes listed one by one; the rest are counted


def register(sub: argparse._SubParsersAction) -> None:
    p = case_command(sub, "handoff", "write a re-keyed copy for a colleague; prints a fingerprint to read out",
                     cmd_handoff)
    p.add_argument("-o", "--output", required=True, metavar="COPY", help="where to write the copy")
    add_force_option(p)
    add_new_passphrase_option(p)
    add_book_passphrase_option(p)

    p = case_command(sub, "merge", "bring a colleague's copy back into the case", cmd_merge)
    p.add_argument("other", metavar="OTHER", help="the colleague's copy of the same case")
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    p.add_argument(
        "--other-passphrase-file",
        metavar="PATH",
        help="read OTHER's passphrase from a file (else IRDESK_OTHER_PASSPHRASE, else a prompt)",
    )
    add_book_passphrase_option(p)


def cmd_handoff(args: argparse.Namespace) -> int:
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.handoff import write_handoff_copy
    from irdesk.casefile.kinds import by_extension

    read_salt(args.case)
    kind = by_extension(args.case)
    if by_extension(args.output) is not kind:
        raise BadInput(f"A copy of {kind.noun} is named *{kind.extension}, so it is opened with the right "
                       "passphrase; choose another name.")
    check_output(args, args.output)
    # Writable only so SQLite may ATTACH the copy; the case itself is only read.
    with open_either(args, writable=True, repair_search=False) as case:
        passphrase = new_passphrase(args, context=(case.title(),))
        copy = write_handoff_copy(case, args.output, passphrase, replace=args.force, notice=notice)
    print(f"Wrote {copy.path}")
    print()
    print(f"    Fingerprint:  {copy.fingerprint}")
    print()
    print(
        "Read the fingerprint to your colleague: they see the same one when they open the copy "
        "or run `irdesk check`. Give them the new passphrase by another channel than the copy."
    )
    return ExitCode.OK


def cmd_merge(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.merge import open_other, plan_merge

    read_salt(args.case)
    read_salt(args.other)  # before SQLite holds CASE: never a second descriptor on an open case
    with open_either(args, writable=not args.dry_run) as case:
        other_passphrase = secret(
            file=args.other_passphrase_file,
            env=("IRDESK_OTHER_PASSPHRASE",),
            prompt=f"Passphrase of {args.other}: ",
        )
        other = open_other(case, args.other, other_passphrase)
        try:
            plan = plan_merge(case, other)
            if args.dry_run:
                _print_plan(plan, would=True)
                return ExitCode.OK
            result = ops.merge(case, other, plan).value
        finally:
            other.close()
        _print_plan(plan, would=False)
        print(result.summary())
        if not plan.empty:
            print(f"Fingerprint now: {case.fingerprint()}")
    return ExitCode.OK


def _print_plan(plan: MergePlan, *, would: bool) -> None:
    from irdesk.domain.labels import record_label
    from irdesk.domain.merge import Verdict

    verb = {
        Verdict.NEW: "add",
        Verdict.THEIRS: "update",
        Verdict.COMBINED: "update (joined)",
        Verdict.CONFLICT: "conflict",
    }
    if would:
        print(f"Merging {plan.other_path} (fingerprint {plan.other_fingerprint}) would:")
        print(
            f"  add {plan.added}, update {plan.updated}, leave {len(plan.conflicts)} as conflicts."
        )
    listed = [c for c in plan.changes if c.verdict in verb and c.verdict is not Verdict.CONFLICT]
    for change in listed[:LISTED]:
        print(f"  {verb[change.verdict]:<16}{change.result.KIND:<11}{record_label(change.result)}")
    if len(listed) > LISTED:
        print(f"  … and {len(listed) - LISTED} more")
    for change in plan.conflicts:
        loser = change.conflict_loser
        assert loser is not None
        print(
            f"  conflict        {change.result.KIND:<11}kept “{record_label(change.result)}” "
            f"(the later edit); the other version “{record_label(loser)}” is attached to resolve."
        )
