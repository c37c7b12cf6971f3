"""Export (and, later, import) commands."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import add_passphrase_option, open_case

EXPORT_FORMATS = ("json",)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the case (read-only)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    import os

    from irdesk.casefile.files import atomic_output

    if os.path.isdir(args.output):
        raise exits.UsageError(f"{args.output} is a folder; give a file name.")
    with open_case(args, writable=False) as case:
        from irdesk.interop.jsonfmt import write_json

        with atomic_output(args.output) as out:
            write_json(case, out)
    print(f"Exported to {args.output}.")
    return exits.OK
