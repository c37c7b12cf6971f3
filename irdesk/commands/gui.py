"""``irdesk gui [CASE]``: the desktop app (plain ``irdesk`` runs this too)."""

from __future__ import annotations

import argparse
import os
import sys

from irdesk.commands.opening import author
from irdesk.domain.errors import KnownError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app (the default with no command)")
    p.add_argument("case", metavar="CASE", nargs="?", help="a case file to open")
    p.add_argument("--book", metavar="BOOK", help="open the readiness book beside it (IRDESK_BOOK_PASSPHRASE, "
                   "else a prompt)")
    p.set_defaults(handler=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    no_display = sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    )
    if no_display:  # Qt would abort with a core-dump message; say it in one sentence instead
        raise KnownError(
            "There is no display to show the window on (DISPLAY is not set); "
            "use the irdesk commands (irdesk --help) on a text console."
        )
    from irdesk.ui.launch import run_gui  # Qt is imported only here, never at start-up

    if args.case:
        from irdesk.commands.opening import refuse_other_kind

        refuse_other_kind(args.case, expected="case")
    if args.book:
        from irdesk.commands.opening import refuse_other_kind

        refuse_other_kind(args.book, expected="book")
    return run_gui(args.case, lambda: author(args), args.book)  # asked anew: an identity made later counts
