"""Benchmark: merge two 20k-note copies of a case that diverged by 2k edits each.

Run: ``python benchmarks/merge_bench.py [--notes N] [--edits N]``. Uses the real key
derivation (one unlock ≈ 0.6 s is part of opening the other copy) and real files in a
temporary folder. Each side's edits are half edits of existing notes (some on the same
notes as the other side, so conflicts arise) and half new notes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from irdesk.casefile.handoff import write_handoff_copy  # noqa: E402
from irdesk.casefile.merge import apply_merge, open_other, plan_merge  # noqa: E402
from irdesk.casefile.store import CaseFile  # noqa: E402
from irdesk.demo import add_synthetic_notes  # noqa: E402
from irdesk.domain.enums import Phase  # noqa: E402
from irdesk.domain.records import Note  # noqa: E402

MINE = "tangerine-lighthouse-47-orbit"
THEIRS = "violet-anchor-93-meadow-x"


def diverge(case: CaseFile, edits: int, seed: int, tag: str) -> None:
    rng = random.Random(seed)
    ids = [n.id for n in case.list_notes()]
    with case.transaction():
        for note_id in rng.sample(ids, edits // 2):
            body = case.get(Note, note_id).body + f" — checked by {tag}"
            case.edit_note(note_id, body=body)
        for i in range(edits - edits // 2):
            case.add_note(Phase.CONTAINMENT, f"{tag}: containment step {i}")


def timed(label: str, fn, figures: dict[str, float]):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    figures[label] = time.perf_counter() - started
    print(f"  {label:<44}{figures[label]:8.2f} s", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=2_000)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="irdesk-merge-bench-") as folder:
        a_path, b_path = os.path.join(folder, "a.ircase"), os.path.join(folder, "b.ircase")
        print(f"Building two copies of a {args.notes}-note case…", flush=True)
        with CaseFile.create(a_path, MINE, title="Benchmark", actor="Ana") as a:
            add_synthetic_notes(a, args.notes)
            timed(
                "hand-off copy (re-key, export, fsync)",
                lambda: write_handoff_copy(a, b_path, THEIRS),
                figures,
            )
            diverge(a, args.edits, 1, "Ana")
        with CaseFile.open(b_path, THEIRS, actor="Ben") as b:
            diverge(b, args.edits, 2, "Ben")
        size = os.path.getsize(a_path) / 2**20
        print(
            f"Each copy: {args.notes} notes, {args.edits} edits since the hand-off, {size:.1f} MiB."
        )

        print("A <- B", flush=True)
        with CaseFile.open(a_path, MINE, actor="Ana") as a:
            other = timed(
                "open + verify other copy (KDF, full check)",
                lambda: open_other(a, b_path, THEIRS),
                figures,
            )
            plan = timed("plan (preview)", lambda: plan_merge(a, other), figures)
            timed("apply (one transaction)", lambda: apply_merge(a, other, plan), figures)
            other.close()
            print(f"  {plan.added} added, {plan.updated} updated, {len(plan.conflicts)} conflicts")
        print("B <- A", flush=True)
        with CaseFile.open(b_path, THEIRS, actor="Ben") as b:
            other = timed(
                "open + verify other copy (KDF, full check) ",
                lambda: open_other(b, a_path, MINE),
                figures,
            )
            plan = timed("plan (preview) ", lambda: plan_merge(b, other), figures)
            timed("apply (one transaction) ", lambda: apply_merge(b, other, plan), figures)
            other.close()
            print(f"  {plan.added} added, {plan.updated} updated, {len(plan.conflicts)} conflicts")
        print("A <- B again (must be a no-op)", flush=True)
        with CaseFile.open(a_path, MINE, actor="Ana") as a:
            other = open_other(a, b_path, THEIRS)
            plan = timed("plan of the second merge", lambda: plan_merge(a, other), figures)
            other.close()
            assert plan.empty, "a second merge of the same copy would change something"
    total = (
        figures["open + verify other copy (KDF, full check)"]
        + figures["plan (preview)"]
        + figures["apply (one transaction)"]
    )
    print(f"Merge A <- B, end to end: {total:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
