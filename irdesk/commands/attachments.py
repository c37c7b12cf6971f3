"""Attachments embedded in a case: list them, save one into a folder (read-only commands)."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import add_passphrase_option, open_case


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attachment", help="files embedded, encrypted, in the case")
    attachment = p.add_subparsers(dest="attachment_command", metavar="ACTION", parser_class=type(p))
    p = attachment.add_parser("list", help="list embedded files")
    p.add_argument("case", metavar="CASE")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_list)
    p = attachment.add_parser("save", help="save an embedded file into a folder (never outside it)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("id", metavar="ID")
    p.add_argument("--to", required=True, metavar="FOLDER")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_save)


def cmd_list(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Attachment

    with open_case(args, writable=False) as case:
        items = case.all(Attachment)
    if not items:
        print("No embedded files.")
    for item in items:
        print(f"{item.id}  {item.size:>12,} B  {item.sha256[:16]}…  {item.name}")
    return exits.OK


def cmd_save(args: argparse.Namespace) -> int:
    from irdesk.casefile.attachments import save_attachment

    with open_case(args, writable=False) as case:
        path = save_attachment(case, args.id, args.to)
    print(path)
    return exits.OK
