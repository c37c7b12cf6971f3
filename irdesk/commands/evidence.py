"""Evidence commands: the checklist, chain of custody, and the files embedded in the case."""

from __future__ import annotations

import argparse
import os
import sys

from irdesk.commands.arguments import actions, case_command, choice_of, parse_moment, text_argument
from irdesk.commands.opening import open_case
from irdesk.commands.outputs import notice
from irdesk.domain.enums import CustodyAction, EvidenceKind, EvidenceStatus
from irdesk.domain.errors import BadInput, ExitCode

TIME_HELP = "ISO 8601 (local time if no offset), or 'now'"


def register(sub: argparse._SubParsersAction) -> None:
    group = actions(sub.add_parser("evidence", help="the evidence checklist"), "evidence_command")
    p = case_command(group, "add", "add an evidence item (optionally hashing a file)", cmd_evidence_add)
    p.add_argument("--label", help="what it is (default with --file: the file's name)")
    p.add_argument("--kind", type=choice_of(EvidenceKind), default=None,
                   help="default: file with --file, else other")
    p.add_argument("--status", type=choice_of(EvidenceStatus), default=None)
    p.add_argument("--source", default="", help="the system it comes from")
    p.add_argument("--system", metavar="SYSTEM_ID", help="the case's system it comes from (see `system add`)")
    p.add_argument("--file", metavar="PATH", help="hash this file (SHA-256) and record its path and size")
    p.add_argument("--embed", action="store_true", help="also store the (small) file encrypted in the case")

    from irdesk.commands.book import add_system_options

    group = actions(sub.add_parser("system", help="the case's systems and their log sources"), "system_command")
    add_system_options(case_command(group, "add", "add a system and its log sources", cmd_system_add))

    group = actions(sub.add_parser("custody", help="chain of custody of an evidence item"), "custody_command")
    p = case_command(group, "add", "record a custody event", cmd_custody_add)
    p.add_argument("--evidence", required=True, metavar="EVIDENCE_ID")
    p.add_argument("--action", required=True, type=choice_of(CustodyAction),
                   help=", ".join(a.value for a in CustodyAction))
    p.add_argument("--by", required=True, help="who handled it")
    p.add_argument("--to", default="", help="who received it (needed for a transfer)")
    p.add_argument("--location", default="")
    p.add_argument("--at", default="now", metavar="TIME", help=TIME_HELP)
    p.add_argument("--note", default="")

    group = actions(sub.add_parser("attachment", help="files embedded, encrypted, in the case"),
                    "attachment_command")
    case_command(group, "list", "list embedded files", cmd_attachment_list)
    p = case_command(group, "save", "save an embedded file into a folder (never outside it)", cmd_attachment_save)
    p.add_argument("id", metavar="ID")
    p.add_argument("--to", required=True, metavar="FOLDER")


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops
    from irdesk.casefile.hashing import hash_file
    from irdesk.casefile.store import ATTACHMENT_LIMIT

    label = text_argument(args.label, "label") if args.label is not None else ""
    if not args.file:
        if args.embed:
            raise BadInput("--embed needs --file.")
        if not label:
            raise BadInput("Give the evidence a --label (or a --file).")
        with open_case(args, writable=True) as case:
            fields: dict[str, object] = {"kind": args.kind or EvidenceKind.OTHER}
            if args.source:
                fields["source_system"] = args.source
            if args.system:
                fields["system_id"] = args.system
            if args.status:
                fields["status"] = args.status
            item = ops.add_evidence(case, label, **fields).value
            print(item.id)
            if item.system_id:
                print(system_summary(case, item.system_id), file=sys.stderr)
        return ExitCode.OK
    if not os.path.isfile(args.file):
        raise BadInput(f"{args.file} is not a file.")
    digest = hash_file(args.file)
    content = None
    if args.embed:
        if digest.size > ATTACHMENT_LIMIT:
            raise BadInput(f"{args.file} is too large to embed; it is referenced by path and hash instead.")
        with open(args.file, "rb") as handle:
            content = handle.read(ATTACHMENT_LIMIT + 1)
    with open_case(args, writable=True) as case:
        item = ops.add_evidence_file(
            case, args.file, digest, label=label, kind=args.kind or EvidenceKind.FILE,
            source_system=args.source, status=args.status or EvidenceStatus.COLLECTED, content=content,
        ).value
        if args.system:
            item = ops.edit_evidence(case, item.id, system_id=args.system).value
        print(item.id)
    return ExitCode.OK


def cmd_system_add(args: argparse.Namespace) -> int:
    from irdesk.casefile.operations.book import add_system
    from irdesk.commands.book import system_fields

    name = text_argument(args.name, "name")
    with open_case(args, writable=True) as case:
        print(add_system(case, name, **system_fields(args)).value.id)
    return ExitCode.OK


def system_summary(case: object, system_id: str) -> str:
    """What a responder asking for a system's logs needs to know: its owner and its retention."""
    from irdesk.casefile.store import CaseFile
    from irdesk.domain.records import Contact, System

    assert isinstance(case, CaseFile)
    system = case.records.get(System, system_id)
    owner = case.records.find(Contact, system.owner_id) if system.owner_id else None
    who = f"owner {owner.name}" + (f" ({owner.phone})" if owner.phone else "") if owner else "owner unknown"
    kept = f"keeps logs {system.retention_days} d" if system.retention_days is not None else "retention unknown"
    return f"{system.name}: {who}; {kept}" + (f"; access from {system.access_from}" if system.access_from else "")


def cmd_custody_add(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    at = parse_moment(args.at)
    with open_case(args, writable=True) as case:
        event = ops.add_custody(case, args.evidence, args.action, by_whom=args.by, at=at, to_whom=args.to,
                                location=args.location, note=args.note).value
        print(event.id)
    return ExitCode.OK


def cmd_attachment_list(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Attachment

    with open_case(args, writable=False) as case:
        items = case.records.all(Attachment)
    if not items:
        print("No embedded files.")
    for item in items:
        print(f"{item.id}  {item.size:>12,} B  {item.sha256[:16]}…  {item.name}")
    return ExitCode.OK


def cmd_attachment_save(args: argparse.Namespace) -> int:
    from irdesk.casefile.attachments import save_attachment

    with open_case(args, writable=False) as case:
        path = save_attachment(case, args.id, args.to, notice=notice)
    print(path)
    return ExitCode.OK
