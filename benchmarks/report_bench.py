"""Benchmark: build and sign a 1,000-note report vs raw reportlab platypus on the same text.

Run: ``PYTHONPATH=. python benchmarks/report_bench.py [--notes N] [--repeat R]``. The case
key and the identity key are derived before timing starts (and with lowered Argon2
parameters, which only affects the untimed set-up). Both sides use the same embedded fonts,
registered once; the figures are the best of R interleaved runs, in CPU time (the
ratio) and wall time. CPU time is the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import Figure, lowered_kdf  # noqa: E402

OURS, RAW = "irdesk build+sign", "raw platypus"


def measure(folder: str, notes: int, repeat: int) -> dict[str, dict[str, float]]:
    """Best CPU and wall seconds, median wall seconds and PDF size for both sides."""
    from irdesk import demo
    from irdesk.casefile.store import CaseFile
    from irdesk.demo import build_demo
    from irdesk.domain.enums import Phase
    from irdesk.domain.records import SUMMARY_FIELDS
    from irdesk.identity.keys import ephemeral_identity
    from irdesk.report.content import gather
    from irdesk.report.fonts import REGULAR, register_fonts
    from irdesk.report.markup import escape
    from irdesk.report.service import build_report

    with lowered_kdf():
        case = CaseFile.create(
            os.path.join(folder, f"report-{notes}.ircase"), "bench", title="Benchmark", actor="Bench"
        )
        build_demo(case, scale=max(0, notes - len(demo.NOTES)))
        identity = ephemeral_identity("Bench Responder")
    register_fonts()

    def ours() -> bytes:
        return build_report(case, responder="Bench", identity=identity).pdf

    content = gather(case, responder="Bench")
    # The same text the report prints for notes: each note where it appears (gaps twice)
    # with its header line, plus the summary fields; escaped, in the same fonts and sizes.
    printed = [
        (f"{n.occurred.display()} · {n.author} · {n.phase.label}", n.body)
        for n in [*content.gap_notes, *(n for p in Phase for n in content.notes[p])]
    ]
    printed += [(name, getattr(content.case, name)) for name in SUMMARY_FIELDS]

    def raw() -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        style = ParagraphStyle("raw", fontName=REGULAR, fontSize=9.5, leading=13.5)
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4)
        doc.build([Paragraph(f"{escape(h)}<br/>{escape(b)}", style) for h, b in printed])
        return out.getvalue()

    ours()  # warm: imports and font subsetting caches on both sides
    raw()
    wall: dict[str, list[float]] = {OURS: [], RAW: []}
    cpu: dict[str, list[float]] = {OURS: [], RAW: []}
    sizes = {}
    for _ in range(repeat):
        for name, fn in ((OURS, ours), (RAW, raw)):
            start, start_cpu = time.perf_counter(), time.process_time()
            sizes[name] = len(fn())
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    count = case.notes.count()
    case.close()
    return {
        name: {"cpu": min(cpu[name]), "wall": min(wall[name]),
               "median": statistics.median(wall[name]), "bytes": sizes[name], "notes": count}
        for name in wall
    }


def figures(workdir: str, quick: bool) -> list[Figure]:
    notes = 100 if quick else 1000
    with tempfile.TemporaryDirectory(dir=workdir) as folder:  # never left in a kept --cases folder
        r = measure(folder, notes, 2 if quick else 3)
    ours, raw = r[OURS], r[RAW]
    return [
        Figure(f"report of {notes:,} notes, built and signed (CPU)", ours["cpu"] * 1000, "ms",
               raw["cpu"] * 1000, "<= 1.5x", ours["cpu"] <= 1.5 * raw["cpu"]),
        Figure("  (the same, wall clock)", ours["wall"] * 1000, "ms", raw["wall"] * 1000, "report"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        r = measure(folder, args.notes, args.repeat)
    print(f"notes in the case: {r[OURS]['notes']}")
    for name, f in r.items():
        print(
            f"{name:<20} CPU best {f['cpu']:6.3f} s  wall best {f['wall']:6.3f} s"
            f"  median {f['median']:6.3f} s  ({f['bytes'] / 1024:,.0f} KiB)"
        )
    ratio = r[OURS]["cpu"] / r[RAW]["cpu"]
    wall_ratio = r[OURS]["wall"] / r[RAW]["wall"]
    print(f"ratio                {ratio:.2f}x CPU, {wall_ratio:.2f}x wall  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
