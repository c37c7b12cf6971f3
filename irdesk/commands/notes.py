"""Note commands: write a note, search the notes."""

from __future__ import annotations

import argparse

from irdesk.commands.arguments import (
    attack_ids,
    case_command,
    choice_of,
    parse_moment,
    text_argument,
    unicode_text,
    whole_number,
)
from irdesk.commands.opening import open_case
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.errors import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = case_command(sub, "note", "add a timestamped note to a phase", cmd_note)
    p.add_argument("--phase", required=True, type=choice_of(Phase),
                   help="preparation, detection, containment or post-incident")
    p.add_argument("--body", required=True, help="the note (Markdown); '-' reads standard input")
    p.add_argument("--gap", type=choice_of(Gap), help="mark where the response slowed down: "
                   + ", ".join(g.value for g in Gap))
    p.add_argument("--at", help="when it happened (ISO 8601; default: now)")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    p.add_argument("--attack", action="append", default=[], metavar="ID",
                   help="an ATT&CK technique id such as T1486 or T1078.002 (repeatable)")

    p = case_command(sub, "search", "full-text search over notes", cmd_search)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--phase", type=choice_of(Phase))
    p.add_argument("--gap", type=choice_of(Gap))
    p.add_argument("--limit", type=whole_number(1, 10_000), default=50, help="at most this many hits (1–10000)")


def cmd_note(args: argparse.Namespace) -> int:
    from irdesk.casefile import operations as ops

    body = text_argument(args.body, "note")
    occurred = parse_moment(args.at)
    techniques = attack_ids(args.attack)
    with open_case(args, writable=True) as case:
        note = ops.add_note(case, args.phase, body, occurred=occurred, gap=args.gap, tags=args.tag,
                            attack=techniques).value
        print(note.id)
    return ExitCode.OK


def cmd_search(args: argparse.Namespace) -> int:
    query = unicode_text(args.query, "search text")
    with open_case(args, writable=False) as case, case.verified():  # the whole case, or no results
        hits = case.notes.search(query, phase=args.phase, gap=args.gap, limit=args.limit)
    if not hits:
        print("No notes match.")
        return ExitCode.OK
    for hit in hits:
        n = hit.note
        gap = f" [gap: {n.gap.value}]" if n.gap else ""
        snippet = hit.snippet.replace("\x02", "»").replace("\x03", "«").replace("\n", " ")
        print(f"{n.occurred.display()}  {n.phase.label}{gap}  {n.id}")
        print(f"    {snippet}")
    return ExitCode.OK
