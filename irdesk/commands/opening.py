"""Who is making the change, and unlocking the case a command names."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import TYPE_CHECKING

from irdesk.commands.secrets import case_passphrase
from irdesk.domain.moment import Moment

if TYPE_CHECKING:
    from irdesk.casefile.store import CaseFile


def author(args: argparse.Namespace) -> str:
    """--author, else IRDESK_AUTHOR, else the signing identity's name, else the login name."""
    from irdesk.commands.arguments import unicode_text

    if getattr(args, "author", None):
        return unicode_text(str(args.author), "--author name")
    if os.environ.get("IRDESK_AUTHOR"):
        return unicode_text(os.environ["IRDESK_AUTHOR"], "name in IRDESK_AUTHOR")
    from irdesk.identity.store import configured_name

    name = configured_name()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown responder"


def clock() -> Moment:
    """The command line's clock: the machine's (looked up at each call, so tests can set it)."""
    return Moment.now()


def open_case(args: argparse.Namespace, *, writable: bool, repair_search: bool = True) -> CaseFile:
    """Unlock ``args.case`` with its passphrase; read-only commands never change the file.

    A writer rebuilds a search index that disagrees with the notes (``repair_search``).
    """
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.store import CaseFile

    read_salt(args.case)  # a missing or non-case file fails before we ask for a passphrase
    return CaseFile.open(args.case, case_passphrase(args), actor=author(args), writable=writable, clock=clock,
                         repair_search=repair_search)
