"""Export and import: the case to JSON, Markdown, a CSV timeline, STIX or vCard, and back."""

from __future__ import annotations

import argparse
import os

from irdesk.commands.arguments import add_new_passphrase_option, case_command
from irdesk.commands.opening import author, open_case
from irdesk.commands.outputs import add_force_option, check_output, notice
from irdesk.commands.secrets import new_passphrase
from irdesk.domain.errors import BadInput, ExitCode, KnownError

EXPORT_FORMATS = ("json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive",
                  "jsonl-timeline", "veris")
IMPORT_FORMATS = ("json", "vcard", "misp")


def register(sub: argparse._SubParsersAction) -> None:
    p = case_command(sub, "export", "export the case (read-only)", cmd_export)
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    add_force_option(p)

    p = case_command(sub, "import", "import a JSON export (merged by UUID; a new CASE is created from it) "
                     "a vCard address book, or a MISP event's attributes as indicators", cmd_import)
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS)
    p.add_argument("file", metavar="FILE")
    add_new_passphrase_option(p)


def cmd_export(args: argparse.Namespace) -> int:
    from irdesk.interop.exporting import export_case

    check_output(args, args.output, plaintext=True)
    with open_case(args, writable=False) as case:
        count = export_case(case, args.format, args.output, replace=args.force, notice=notice)
    print(f"Exported {count} {_UNITS[args.format]} to {args.output}.")
    return ExitCode.OK


_UNITS = {"json": "record(s)", "markdown": "line(s)", "csv-timeline": "event(s)",
          "stix": "indicator(s)", "vcard": "contact(s)", "misp": "attribute(s)",
          "thehive": "observable(s)", "jsonl-timeline": "event(s)",
          "veris": "incident record(s)"}


def _read(path: str) -> bytes:
    if os.path.isdir(path):
        raise BadInput(f"{path} is a folder, not a file to import.")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise BadInput(f"There is no file {path} to import.") from None
    except OSError as exc:
        raise KnownError(f"{path} cannot be read: {exc.strerror}.") from None


def cmd_import(args: argparse.Namespace) -> int:
    import io

    data = _read(args.file)  # everything is checked before the case is unlocked
    if args.format == "vcard":
        from irdesk.interop.vcard import import_vcards, read_vcards

        cards = read_vcards(data)
        with open_case(args, writable=True) as case:
            added = import_vcards(case, cards, source=f"vcard {os.path.basename(args.file)}").value
        print(added.sentence())
        return ExitCode.OK
    if args.format == "misp":
        from irdesk.interop.misp import import_misp, read_misp

        found = read_misp(data)
        with open_case(args, writable=True) as case:
            imported = import_misp(case, found, source=f"misp {os.path.basename(args.file)}").value
        print(imported.sentence())
        return ExitCode.OK
    from irdesk.interop.jsonimport import load_export, merge_export, restore_export, source_label

    export = load_export(io.BytesIO(data))
    source = source_label(args.file, export)
    if not os.path.lexists(args.case):
        passphrase = new_passphrase(args, fallback_env=True, context=(export.case.title,))
        with restore_export(args.case, passphrase, export, actor=author(args), source=source,
                            notice=notice):
            pass
        print(f"Created {args.case} from the export: {len(export.records)} record(s), "
              f"case {export.case_id}.")
        return ExitCode.OK
    with open_case(args, writable=True) as case:
        summary = merge_export(case, export, source=source).value
    print(summary.sentence())
    return ExitCode.OK
