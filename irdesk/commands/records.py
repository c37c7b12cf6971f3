"""Commands that add records or read notes: note, evidence add, contact add, search."""

from __future__ import annotations

import argparse

from irdesk.commands import exits
from irdesk.commands.session import add_passphrase_option, choice_of, open_case, parse_moment
from irdesk.domain.enums import ContactKind, EvidenceKind, EvidenceStatus, Gap, Phase


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("note", help="add a timestamped note to a phase")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--phase", required=True, type=choice_of(Phase),
                   help="preparation, detection, containment or post-incident")
    p.add_argument("--body", required=True, help="the note (Markdown); '-' reads standard input")
    p.add_argument("--gap", type=choice_of(Gap), help="mark where the response slowed down: "
                   + ", ".join(g.value for g in Gap))
    p.add_argument("--at", help="when it happened (ISO 8601; default: now)")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_note)

    p = sub.add_parser("evidence", help="the evidence checklist")
    evidence = p.add_subparsers(dest="evidence_command", metavar="ACTION", parser_class=type(p))
    p = evidence.add_parser("add", help="add an evidence item (optionally hashing a file)")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--label", required=True)
    p.add_argument("--kind", type=choice_of(EvidenceKind), default=EvidenceKind.OTHER)
    p.add_argument("--status", type=choice_of(EvidenceStatus), default=None)
    p.add_argument("--source", default="", help="the system it comes from")
    p.add_argument("--file", metavar="PATH", help="hash this file (SHA-256) and record its path and size")
    p.add_argument("--embed", action="store_true", help="also store the (small) file encrypted in the case")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_evidence_add)

    p = sub.add_parser("contact", help="the contact book")
    contact = p.add_subparsers(dest="contact_command", metavar="ACTION", parser_class=type(p))
    p = contact.add_parser("add", help="add a contact")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="")
    p.add_argument("--org", default="")
    p.add_argument("--team", default="")
    p.add_argument("--kind", type=choice_of(ContactKind), default=ContactKind.INTERNAL)
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--out-of-band", default="", help="a channel that survives a compromised network")
    p.add_argument("--grants", default="", help="what access this person can grant")
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_contact_add)

    p = sub.add_parser("search", help="full-text search over notes")
    p.add_argument("case", metavar="CASE")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--phase", type=choice_of(Phase))
    p.add_argument("--gap", type=choice_of(Gap))
    p.add_argument("--limit", type=int, default=50)
    add_passphrase_option(p)
    p.set_defaults(handler=cmd_search)


def _text(value: str, what: str) -> str:
    import sys

    if value == "-":
        value = sys.stdin.read()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise exits.UsageError(f"The {what} is not valid UTF-8 text.") from None
    if not value.strip():
        raise exits.UsageError(f"The {what} is empty.")
    return value


def cmd_note(args: argparse.Namespace) -> int:
    body = _text(args.body, "note")
    occurred = parse_moment(args.at)
    with open_case(args, writable=True) as case:
        note = case.add_note(args.phase, body, occurred=occurred, gap=args.gap, tags=args.tag)
        print(note.id)
    return exits.OK


def cmd_evidence_add(args: argparse.Namespace) -> int:
    import os

    from irdesk.casefile.hashing import hash_file
    from irdesk.domain.records import Evidence

    label = _text(args.label, "label")
    fields: dict = {"label": label, "kind": args.kind, "source_system": args.source}
    data = None
    if args.file:
        if not os.path.isfile(args.file):
            raise exits.UsageError(f"{args.file} is not a file.")
        digest = hash_file(args.file)
        fields.update(path=os.path.abspath(args.file), size=digest.size, sha256=digest.sha256)
        fields["status"] = args.status or EvidenceStatus.COLLECTED
        if args.embed:
            with open(args.file, "rb") as handle:
                data = handle.read()
    elif args.embed:
        raise exits.UsageError("--embed needs --file.")
    if args.status:
        fields["status"] = args.status
    with open_case(args, writable=True) as case:
        with case.transaction():
            if fields.get("status") in (EvidenceStatus.COLLECTED, EvidenceStatus.VERIFIED):
                fields["collected_at"] = case.clock()
            if data is not None:
                attachment = case.attach(os.path.basename(args.file), data)
                fields["attachment_id"] = attachment.id
            item = case.add(Evidence, **fields)
        print(item.id)
    return exits.OK


def cmd_contact_add(args: argparse.Namespace) -> int:
    from irdesk.domain.records import Contact

    name = _text(args.name, "name")
    with open_case(args, writable=True) as case:
        contact = case.add(Contact, name=name, role=args.role, organisation=args.org, team=args.team,
                           kind=args.kind, phone=args.phone, email=args.email,
                           out_of_band=args.out_of_band, grants_access=args.grants)
        print(contact.id)
    return exits.OK


def cmd_search(args: argparse.Namespace) -> int:
    with open_case(args, writable=False) as case:
        hits = case.search_notes(args.query, phase=args.phase, gap=args.gap, limit=max(1, args.limit))
    if not hits:
        print("No notes match.")
        return exits.OK
    for hit in hits:
        n = hit.note
        gap = f" [gap: {n.gap.value}]" if n.gap else ""
        snippet = hit.snippet.replace("\x02", "»").replace("\x03", "«").replace("\n", " ")
        print(f"{n.occurred.display()}  {n.phase.label}{gap}  {n.id}")
        print(f"    {snippet}")
    return exits.OK
