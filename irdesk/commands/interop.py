"""Export and import: the case to JSON, Markdown, a CSV timeline, STIX or vCard, and back."""

from __future__ import annotations

import argparse
import os

from irdesk.commands import exits
from irdesk.commands.session import (
    add_new_passphrase_option,
    add_passphrase_option,
    author,
    new_passphrase,
    open_case,
)

EXPORT_FORMATS = ("json", "markdown", "csv-timeline", "stix", "vcard")
IMPORT_FORMATS = ("json", "vcard")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the case (read-only)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", help="import a JSON export (merged by UUID; a new CASE is "
                       "created from it) or a vCard address book")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    p.add_argument("file", metavar="FILE")
    add_passphrase_option(p)
    add_new_passphrase_option(p)
    p.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from irdesk.interop.exporting import export_case

    if os.path.isdir(args.output):
        raise exits.UsageError(f"{args.output} is a folder; give a file name.")
    with open_case(args, writable=False) as case:
        count = export_case(case, args.format, args.output)
    print(f"Exported {count} {_UNITS[args.format]} to {args.output}.")
    return exits.OK


_UNITS = {"json": "record(s)", "markdown": "line(s)", "csv-timeline": "event(s)",
          "stix": "indicator(s)", "vcard": "contact(s)"}


def _read(path: str) -> bytes:
    if os.path.isdir(path):
        raise exits.UsageError(f"{path} is a folder, not a file to import.")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise exits.UsageError(f"There is no file {path} to import.") from None
    except OSError as exc:
        raise exits.CommandError(f"{path} cannot be read: {exc.strerror}.") from None


def cmd_import(args: argparse.Namespace) -> int:
    import io

    data = _read(args.file)  # everything is checked before the case is unlocked
    if args.format == "vcard":
        from irdesk.interop.vcard import import_vcards, read_vcards

        cards = read_vcards(data)
        with open_case(args, writable=True) as case:
            added = import_vcards(case, cards, source=f"vcard {os.path.basename(args.file)}")
        print(added.sentence())
        return exits.OK
    from irdesk.interop.jsonimport import load_export, merge_export, restore_export, source_label

    export = load_export(io.BytesIO(data))
    source = source_label(args.file, export)
    if not os.path.lexists(args.case):
        passphrase = new_passphrase(args, fallback_env=True, context=(export.case.title,))
        with restore_export(args.case, passphrase, export, actor=author(args), source=source):
            pass
        print(f"Created {args.case} from the export: {len(export.records)} record(s), "
              f"case {export.case_id}.")
        return exits.OK
    with open_case(args, writable=True) as case:
        summary = merge_export(case, export, source=source)
    print(summary.sentence())
    return exits.OK
