"""``irdesk gui [CASE]``: the desktop app (plain ``irdesk`` runs this too)."""

from __future__ import annotations

import argparse

from irdesk.commands.session import author


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app (the default with no command)")
    p.add_argument("case", metavar="CASE", nargs="?", help="a case file to open")
    p.set_defaults(handler=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from irdesk.ui.app import run_gui  # Qt is imported only here, never at start-up

    return run_gui(args.case, author(args))
