"""Who is making the change, and unlocking the case a command names."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import TYPE_CHECKING

from irdesk.commands.secrets import book_passphrase, case_passphrase
from irdesk.domain.moment import Moment

if TYPE_CHECKING:
    from irdesk.casefile.book_store import BookFile
    from irdesk.casefile.container import EncryptedFile
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
    refuse_other_kind(args.case, expected="case")
    return CaseFile.open(args.case, case_passphrase(args), actor=author(args), writable=writable, clock=clock,
                         repair_search=repair_search)


def refuse_other_kind(path: str, *, expected: str) -> None:
    """A book named where a case is expected (or a case where a book is) is refused by its name
    before any passphrase is asked (exit 4); a file misnamed is refused once it is unlocked."""
    import os

    from irdesk.casefile.errors import NotACaseFile
    from irdesk.casefile.kinds import BOOK, CASE
    from irdesk.domain.errors import BadInput

    name = str(path).lower()
    wrong = (expected == "case" and name.endswith(BOOK.extension)) or (
        expected == "book" and name.endswith(CASE.extension))
    if not wrong:
        return
    if not os.path.lexists(path):  # a file to be made: only its name is wrong (exit 2)
        want = CASE if expected == "case" else BOOK
        raise BadInput(f"The name {path} is {BOOK.noun if want is CASE else CASE.noun}'s; "
                       f"name {want.noun} *{want.extension}.")
    if expected == "case":
        raise NotACaseFile(f"{path} is a readiness book, not a case file; `irdesk book` works on books.")
    raise NotACaseFile(f"{path} is a case file, not a readiness book (a book's name ends in .irbook).")


def open_book(args: argparse.Namespace, path: str, *, writable: bool) -> BookFile:
    """Unlock a readiness book with the book's passphrase (``--book-passphrase-file`` or
    IRDESK_BOOK_PASSPHRASE)."""
    from irdesk.casefile.book_store import BookFile
    from irdesk.casefile.connection import read_salt

    read_salt(path)
    refuse_other_kind(path, expected="book")
    return BookFile.open(path, book_passphrase(args), actor=author(args), writable=writable, clock=clock)


def open_either(args: argparse.Namespace, *, writable: bool, repair_search: bool = True) -> EncryptedFile:
    """``args.case`` as a book when its name ends in .irbook (the book's passphrase), else as a case
    (``check``, ``rawkey``, ``handoff``, ``merge`` and ``passwd`` work on both)."""
    from irdesk.casefile.kinds import BOOK, by_extension

    if by_extension(args.case) is BOOK:
        return open_book(args, args.case, writable=writable)
    return open_case(args, writable=writable, repair_search=repair_search)
