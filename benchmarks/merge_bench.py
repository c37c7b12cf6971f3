"""Benchmark: merge two 20k-note copies of a case that diverged by 2k edits each.

Run: ``python benchmarks/merge_bench.py [--notes N] [--edits N]``. Real files in a temporary
folder. Each side's edits are half edits of existing notes (some on the same notes as the
other side, so conflicts arise) and half new notes. ``make bench`` times the merge with the
key already derived (cases made with a cheap key derivation: the unlock has its own figure);
run standalone, it keeps the real derivation, so opening the other copy includes one unlock.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import Figure, lowered_kdf  # noqa: E402
from irdesk.casefile import operations as ops  # noqa: E402
from irdesk.casefile.handoff import write_handoff_copy  # noqa: E402
from irdesk.casefile.merge import open_other, plan_merge  # noqa: E402
from irdesk.casefile.store import CaseFile  # noqa: E402
from irdesk.demo import add_synthetic_notes  # noqa: E402
from irdesk.domain.enums import Phase  # noqa: E402
from irdesk.domain.records import Note  # noqa: E402

MINE = "tangerine-lighthouse-47-orbit"
THEIRS = "violet-anchor-93-meadow-x"
OPEN, PLAN, APPLY = "open + verify other copy (full check)", "plan (preview)", "apply (one transaction)"


def diverge(case: CaseFile, edits: int, seed: int, tag: str) -> None:
    rng = random.Random(seed)
    ids = [n.id for n in case.notes.page()]
    with case.transaction():
        for note_id in rng.sample(ids, edits // 2):
            body = case.records.get(Note, note_id).body + f" — checked by {tag}"
            ops.edit_note(case, note_id, body=body)
        for i in range(edits - edits // 2):
            ops.add_note(case, Phase.CONTAINMENT, f"{tag}: containment step {i}")


def timed(label: str, fn: Callable[[], Any], figures: dict[str, float], echo: bool) -> Any:
    started = time.perf_counter()
    result = fn()
    figures[label] = time.perf_counter() - started
    if echo:
        print(f"  {label:<44}{figures[label]:8.2f} s", flush=True)
    return result


def measure(folder: str, notes: int, edits: int, echo: bool = False) -> dict[str, float]:
    """Seconds for each step of merging B into A, and the plan's counts."""
    figures: dict[str, float] = {}
    a_path, b_path = os.path.join(folder, "merge-a.ircase"), os.path.join(folder, "merge-b.ircase")
    with CaseFile.create(a_path, MINE, title="Benchmark", actor="Ana") as a:
        add_synthetic_notes(a, notes)
        timed("hand-off copy (re-key, export, fsync)", lambda: write_handoff_copy(a, b_path, THEIRS),
              figures, echo)
        diverge(a, edits, 1, "Ana")
    with CaseFile.open(b_path, THEIRS, actor="Ben") as b:
        diverge(b, edits, 2, "Ben")
    if echo:
        size = os.path.getsize(a_path) / 2**20
        print(f"Each copy: {notes} notes, {edits} edits since the hand-off, {size:.1f} MiB.\nA <- B")
    with CaseFile.open(a_path, MINE, actor="Ana") as a:
        other = timed(OPEN, lambda: open_other(a, b_path, THEIRS), figures, echo)
        plan = timed(PLAN, lambda: plan_merge(a, other), figures, echo)
        timed(APPLY, lambda: ops.merge(a, other, plan), figures, echo)
        other.close()
        figures.update(added=plan.added, updated=plan.updated, conflicts=len(plan.conflicts))
    with CaseFile.open(a_path, MINE, actor="Ana") as a:
        other = open_other(a, b_path, THEIRS)
        again = timed("plan of the second merge", lambda: plan_merge(a, other), figures, echo)
        other.close()
        assert again.empty, "a second merge of the same copy would change something"
    return figures


def figures(workdir: str, quick: bool) -> list[Figure]:
    notes, edits = (2_000, 200) if quick else (20_000, 2_000)
    with lowered_kdf(), tempfile.TemporaryDirectory(dir=workdir) as folder:
        r = measure(folder, notes, edits)
    total = r[OPEN] + r[PLAN] + r[APPLY]
    return [
        Figure(f"merge two {notes // 1000}k-note copies, {edits:,} edits each", total * 1000, "ms",
               None, "report"),
        Figure(f"  {OPEN}", r[OPEN] * 1000, "ms", None, "report"),
        Figure(f"  {PLAN}", r[PLAN] * 1000, "ms", None, "report"),
        Figure(f"  apply: {r['added']:.0f} added, {r['updated']:.0f} updated", r[APPLY] * 1000,
               "ms", None, "report"),
        Figure("  conflicts to resolve", r["conflicts"], "notes", None, "report"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="irdesk-merge-bench-") as folder:
        print(f"Building two copies of a {args.notes}-note case…", flush=True)
        r = measure(folder, args.notes, args.edits, echo=True)
    print(f"  {r['added']:.0f} added, {r['updated']:.0f} updated, {r['conflicts']:.0f} conflicts")
    print(f"Merge A <- B, end to end: {r[OPEN] + r[PLAN] + r[APPLY]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
