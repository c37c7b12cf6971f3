"""The readiness book's commands: ``irdesk book new/contact add/system add/vendor add/import/
show/file/unfile``. The book's passphrase comes from ``--book-passphrase-file`` or
IRDESK_BOOK_PASSPHRASE; a case a command also opens is unlocked as always."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from irdesk.commands.arguments import (
    actions,
    add_book_passphrase_option,
    add_new_passphrase_option,
    add_passphrase_option,
    choice_of,
    parse_date,
    text_argument,
    whole_number,
)
from irdesk.commands.contacts import add_contact_options
from irdesk.commands.opening import author, open_book, open_case
from irdesk.domain.enums import Tlp
from irdesk.domain.errors import BadInput, ExitCode


def _book_command(group: argparse._SubParsersAction, name: str, help: str, handler: object) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, help=help)
    parser.add_argument("book", metavar="BOOK")
    add_book_passphrase_option(parser)
    parser.set_defaults(handler=handler)
    return parser


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("book", help="the team's readiness book (.irbook)"), "book_command")

    p = _book_command(group, "new", "create a new readiness book", cmd_book_new)
    p.add_argument("--title", required=True)
    p.add_argument("--tlp", type=choice_of(Tlp), default=Tlp.AMBER,
                   help="clear, green, amber (default), amber+strict, red")
    add_new_passphrase_option(p)

    contact = actions(group.add_parser("contact", help="the book's contact directory"), "book_contact_command")
    p = _book_command(contact, "add", "add a contact to the directory", cmd_book_contact_add)
    add_contact_options(p)
    p.add_argument("--escalation", default="", help="whom to go to when this person does not answer")
    p.add_argument("--on-call", default="", help="how and when they are on call")
    p.add_argument("--verified", metavar="DATE", help="when the details were last checked (YYYY-MM-DD)")

    system = actions(group.add_parser("system", help="systems and their log sources"), "book_system_command")
    add_system_options(_book_command(system, "add", "add a system and its log sources", cmd_book_system_add))

    vendor = actions(group.add_parser("vendor", help="vendors and their contracts"), "book_vendor_command")
    p = _book_command(vendor, "add", "add a vendor and its contract", cmd_book_vendor_add)
    p.add_argument("--name", required=True)
    p.add_argument("--support-line", default="")
    p.add_argument("--sla", default="")
    p.add_argument("--contract", default="", help="the contract reference")
    p.add_argument("--may-call", default="", help="who may call them")
    p.add_argument("--contact", metavar="CONTACT_ID", help="the account manager, a contact in the directory")

    p = _book_command(group, "import", "bring contacts into the directory", cmd_book_import)
    p.add_argument("--format", required=True, choices=("vcard",))
    p.add_argument("file", metavar="FILE")

    _book_command(group, "show", "directory, reachability, recurring gaps, open action items, trends per quarter",
                  cmd_book_show)

    p = _book_command(group, "file", "file a case or drill's figures and action items into the book", cmd_book_file)
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.add_argument("--accept-tlp", action="store_true",
                   help="file a case marked stricter than the book (its entry keeps its own marking)")
    p.add_argument("--add-contacts", action="store_true",
                   help="add the case's contacts that are not in the directory yet")

    p = _book_command(group, "unfile", "take a filed case out of the register (a tombstone)", cmd_book_unfile)
    p.add_argument("case_id", metavar="CASE_ID")

    from irdesk.commands import programme

    programme.register(group)


def add_system_options(p: argparse.ArgumentParser) -> None:
    """The options of ``book system add`` and ``system add`` (a case's systems)."""
    p.add_argument("--name", required=True)
    p.add_argument("--owner", metavar="CONTACT_ID", help="the system's owner, one of the contacts")
    p.add_argument("--logs", default="", metavar="TEXT", help="which logs it keeps")
    p.add_argument("--where", default="", metavar="TEXT", help="where those logs are kept")
    p.add_argument("--retention", type=whole_number(0, 100_000), metavar="DAYS", help="how long logs are kept")
    p.add_argument("--access-from", default="", metavar="TEXT", help="who can grant access to the logs")


def system_fields(args: argparse.Namespace) -> dict[str, Any]:
    return {"owner_id": args.owner, "logs": args.logs, "location": args.where, "retention_days": args.retention,
            "access_from": args.access_from}


def cmd_book_new(args: argparse.Namespace) -> int:
    from irdesk.casefile.book_store import BookFile
    from irdesk.casefile.errors import CaseExists
    from irdesk.commands.case import LOST_PASSPHRASE_WARNING
    from irdesk.commands.opening import clock, refuse_other_kind
    from irdesk.commands.outputs import notice
    from irdesk.commands.secrets import new_book_passphrase

    title = text_argument(args.title, "title").strip()
    refuse_other_kind(args.book, expected="book")
    if os.path.lexists(args.book):
        raise CaseExists(args.book)
    passphrase = new_book_passphrase(args, context=(title,))
    with BookFile.create(args.book, passphrase, title=title, actor=author(args), tlp=args.tlp, clock=clock,
                         notice=notice) as book:
        print(book.book_id)
    print(LOST_PASSPHRASE_WARNING.replace("a case whose", "a book whose"), file=sys.stderr)
    return ExitCode.OK


def cmd_book_contact_add(args: argparse.Namespace) -> int:
    from irdesk.casefile.operations.book import add_book_contact

    name = text_argument(args.name, "name")
    verified = parse_date(args.verified, "--verified")
    with open_book(args, args.book, writable=True) as book:
        contact = add_book_contact(book, name, role=args.role, organisation=args.org, team=args.team, kind=args.kind,
                                   phone=args.phone, email=args.email, out_of_band=args.out_of_band,
                                   grants_access=args.grants, escalation=args.escalation, on_call=args.on_call,
                                   last_verified=verified,
                                   notes=text_argument(args.notes, "notes") if args.notes else "").value
        print(contact.id)
    return ExitCode.OK


def cmd_book_system_add(args: argparse.Namespace) -> int:
    from irdesk.casefile.operations.book import add_system

    name = text_argument(args.name, "name")
    with open_book(args, args.book, writable=True) as book:
        system = add_system(book, name, **system_fields(args)).value
        print(system.id)
    return ExitCode.OK


def cmd_book_vendor_add(args: argparse.Namespace) -> int:
    from irdesk.casefile.operations.book import add_vendor

    name = text_argument(args.name, "name")
    with open_book(args, args.book, writable=True) as book:
        vendor = add_vendor(book, name, contact_id=args.contact, support_line=args.support_line, sla=args.sla,
                            contract_ref=args.contract, may_call=args.may_call).value
        print(vendor.id)
    return ExitCode.OK


def cmd_book_import(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops
    from irdesk.casefile.operations.contacts import IncomingContact
    from irdesk.domain.book import BookContact
    from irdesk.interop.vcard import read_vcards

    try:
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise BadInput(f"{args.file} cannot be read: {exc.strerror}.") from None
    cards = read_vcards(data)
    with open_book(args, args.book, writable=True) as book:
        incoming = [IncomingContact(card.uid, card.fields) for card in cards]
        summary = ops.import_contacts(book, incoming, source=f"vcard {os.path.basename(args.file)}",
                                      cls=BookContact).value
    print(summary.sentence())
    return ExitCode.OK


def cmd_book_show(args: argparse.Namespace) -> int:
    from irdesk.commands.book_summary import render_book

    with open_book(args, args.book, writable=False) as book, book.verified():
        text = render_book(book)
    print(text)
    return ExitCode.OK


def cmd_book_file(args: argparse.Namespace) -> int:
    from irdesk.casefile.connection import read_salt
    from irdesk.casefile.filing import file_case

    read_salt(args.case)
    read_salt(args.book)  # both checked before either is held open
    with open_case(args, writable=False) as case, open_book(args, args.book, writable=True) as book:
        filing = file_case(book, case, accept_tlp=args.accept_tlp, add_contacts=args.add_contacts).value
    print(filing.sentence())
    if filing.not_in_book:
        print(f"{len(filing.not_in_book)} of the case's contacts are not in the book; file again with "
              "--add-contacts to add them:")
        for contact in filing.not_in_book:
            print(f"  {contact.id}  {contact.name}")
    return ExitCode.OK


def cmd_book_unfile(args: argparse.Namespace) -> int:
    from irdesk.casefile.operations.book import unfile

    with open_book(args, args.book, writable=True) as book:
        entry = unfile(book, args.case_id).value
    print(f"“{entry.title}” was taken out of the register.")
    return ExitCode.OK
