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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from irdesk.casefile import kdf

    kdf.PARAMETERS[kdf.FORMAT_VERSION] = kdf.KdfParameters(
        memory_kib=1024, time_cost=1, parallelism=1
    )
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

    with tempfile.TemporaryDirectory() as folder:
        case = CaseFile.create(
            os.path.join(folder, "bench.ircase"), "bench", title="Benchmark", actor="Bench"
        )
        build_demo(case, scale=max(0, args.notes - len(demo.NOTES)))
        identity = ephemeral_identity("Bench Responder")
        print(f"notes in the case: {case.count_notes()}")
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
        wall: dict[str, list[float]] = {"irdesk build+sign": [], "raw platypus": []}
        cpu: dict[str, list[float]] = {"irdesk build+sign": [], "raw platypus": []}
        sizes = {}
        for _ in range(args.repeat):
            for name, fn in (("irdesk build+sign", ours), ("raw platypus", raw)):
                start, start_cpu = time.perf_counter(), time.process_time()
                sizes[name] = len(fn())
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
        case.close()
    for name in wall:
        print(
            f"{name:<20} CPU best {min(cpu[name]):6.3f} s  wall best {min(wall[name]):6.3f} s"
            f"  median {statistics.median(wall[name]):6.3f} s  ({sizes[name] / 1024:,.0f} KiB)"
        )
    ratio = min(cpu["irdesk build+sign"]) / min(cpu["raw platypus"])
    wall_ratio = min(wall["irdesk build+sign"]) / min(wall["raw platypus"])
    print(f"ratio                {ratio:.2f}x CPU, {wall_ratio:.2f}x wall  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
