"""Files the commands write: ``--force``, the refusal before any passphrase, notices on stderr."""

from __future__ import annotations

import argparse
import sys

FORCE_HELP = "replace OUT if it already exists (a case file is never replaced)"


def add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help=FORCE_HELP)


def notice(message: str) -> None:
    """Something the user should know that is not a failure (a left-over partial removed)."""
    print(f"irdesk: {message}", file=sys.stderr)


def check_output(args: argparse.Namespace, target: str, *, plaintext: bool = False) -> None:
    """Refuse an output over CASE, over any case file, or over an existing file without
    ``--force`` (and a plaintext one named like a case): cheaply, before a passphrase is asked
    for or a key derived."""
    from irdesk.casefile.outputs import check_destination

    check_destination(target, protect=(args.case,), replace=getattr(args, "force", False), plaintext=plaintext)
