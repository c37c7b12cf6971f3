"""Benchmark: the report against raw reportlab platypus, and report time against note length.

Run: ``PYTHONPATH=. python benchmarks/report_bench.py [--notes N] [--repeat R] [--lengths]``.

- **1,000 notes**: ``build_report`` (gather, lay out, embed the fonts, sign) of a 1,000-note
  demo case, against a raw ``BaseDocTemplate`` built the way reportlab documents a report
  with contents: ``multiBuild`` (two passes), a ``TableOfContents``, a bookmark for every
  section and phase heading, and one ``Paragraph`` per note with its header line (each
  note once, as the report prints it), in the same registered fonts and sizes.
- **Note length**: the report of a case holding one note of 50 KB, 200 KB and 1 MB (one
  long paragraph of sweep sentences), as time per KB of the note: the report's time less
  that of the same case with a one-word note (cover, figures and registers), divided by
  the note's length. Flat when report time is linear in the length of a note. And the
  1 MB note, or a 1 MB code block, against the same text spread over 200 notes.

The case keys and the identity key are derived before timing starts (and with lowered
Argon2 parameters, which only affects the untimed set-up). The figures are the best of R
interleaved runs, in CPU time (the ratio) and wall time; CPU time is steadier on a shared
machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import Figure, lowered_kdf  # noqa: E402

OURS, RAW = "irdesk build+sign", "raw platypus"
SENTENCES = [
    "Checked WS-{n:04d}: no sign of the encryptor; event log 4624 entries reviewed.",
    "Reset credentials for WS-{n:04d} local administrator and noted the change.",
    "Collected autoruns from WS-{n:04d}; nothing unusual, **one scheduled task** to follow up.",
    "User on WS-{n:04d} reports slow logon; unrelated to the incident, ticket `INC-{n}` opened.",
    "Sweep result for WS-{n:04d}: hash not present, agent version 7.{n} confirmed.",
]


def sweep_text(size: int, seed: int = 17) -> str:
    """About ``size`` characters of sweep sentences, one paragraph (no line breaks)."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = rng.choice(SENTENCES).format(n=rng.randrange(1, 9999))
        parts.append(sentence)
        total += len(sentence) + 1
    return " ".join(parts)[:size]


def spread(text: str, count: int) -> list[str]:
    """``text`` cut at spaces into ``count`` pieces of about equal length."""
    step = len(text) // count
    pieces, start = [], 0
    for i in range(count):
        end = len(text) if i == count - 1 else text.find(" ", start + step)
        end = len(text) if end < 0 else end
        pieces.append(text[start:end].strip())
        start = end
    return [p for p in pieces if p]


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best CPU and best wall seconds of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(cpu), min(wall)


def raw_platypus(printed: list[tuple[str, str]], headings: list[tuple[int, str]]) -> bytes:
    """The baseline: plain paragraphs, with the same contents and bookmarks, in two passes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
    from reportlab.platypus.tableofcontents import TableOfContents

    from irdesk.report.fonts import BOLD, REGULAR
    from irdesk.report.markup import escape

    body = ParagraphStyle("raw", fontName=REGULAR, fontSize=9.5, leading=13.5)
    heading = ParagraphStyle("raw-h", fontName=BOLD, fontSize=16, leading=20)

    class Doc(BaseDocTemplate):
        def __init__(self, out: io.BytesIO) -> None:
            super().__init__(out, pagesize=A4, initialFontName=REGULAR)
            frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height)
            self.addPageTemplates([PageTemplate(frames=[frame])])

        def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's name
            level = getattr(flowable, "outline_level", None)
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
                if level == 0:
                    self.notify("TOCEntry", (0, flowable.getPlainText(), self.page, None))

    toc = TableOfContents()
    story: list = [toc]
    for level, text in headings:
        p = Paragraph(escape(text), heading)
        p.outline_level = level  # type: ignore[attr-defined]
        story.append(p)
    story += [Paragraph(f"{escape(h)}<br/>{escape(b)}", body) for h, b in printed]
    out = io.BytesIO()
    Doc(out).multiBuild(story)
    return out.getvalue()


def measure(folder: str, notes: int, repeat: int) -> dict[str, dict[str, float]]:
    """Best CPU and wall seconds, median wall seconds and PDF size for both sides."""
    from irdesk import demo
    from irdesk.casefile.store import CaseFile
    from irdesk.demo import build_demo
    from irdesk.domain.enums import Phase
    from irdesk.domain.records import SUMMARY_FIELDS
    from irdesk.identity.keys import ephemeral_identity
    from irdesk.report.content import gather
    from irdesk.report.fonts import register_fonts
    from irdesk.report.outline import sections_in_order
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
    # The same text the report prints for notes: each note once with its header line, plus
    # the summary fields; escaped, in the same fonts and sizes; the same headings.
    printed = [
        (f"{n.occurred.display()} · {n.author} · {n.phase.label}", n.body)
        for p in Phase for n in content.notes[p]
    ]
    printed += [(name, getattr(content.case, name)) for name in SUMMARY_FIELDS]
    headings = [(0, s.title) for s in sections_in_order()] + [(1, p.label) for p in Phase]

    def raw() -> bytes:
        return raw_platypus(printed, headings)

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


def lengths(folder: str, sizes: list[int], spread_over: int, repeat: int) -> dict[str, float]:
    """CPU seconds of the report of one note of each size, and of the largest spread over notes."""
    from irdesk.casefile import operations as ops
    from irdesk.casefile.store import CaseFile
    from irdesk.domain.enums import Phase
    from irdesk.report.content import gather
    from irdesk.report.document import render

    def report_of(bodies: list[str], name: str) -> Callable[[], bytes]:
        with lowered_kdf():
            case = CaseFile.create(os.path.join(folder, f"{name}.ircase"), "bench", title="Bench", actor="Bench")
        with case.transaction():
            for body in bodies:
                ops.add_note(case, Phase.DETECTION, body)
        content = gather(case, responder="Bench")
        case.close()
        return lambda: render(content)

    out: dict[str, float] = {}
    render_one = report_of(["x"], "warm")
    render_one()  # imports, fonts and the Unicode tables, once
    out["fixed"] = _best(render_one, repeat)[0]  # every page but the note's: cover, figures, registers
    largest = sweep_text(max(sizes))
    for size in sizes:
        out[f"note-{size}"] = _best(report_of([sweep_text(size)], f"note-{size}"), repeat)[0]
    out["spread"] = _best(report_of(spread(largest, spread_over), "spread"), repeat)[0]
    code = "\n".join(largest[i : i + 100] for i in range(0, len(largest), 100))
    out["code"] = _best(report_of([f"```\n{code}\n```"], "code"), repeat)[0]
    out["code-spread"] = _best(report_of([f"```\n{p}\n```" for p in spread(code, spread_over)], "code-spread"),
                               repeat)[0]
    return out


def _kb(size: int) -> str:
    return f"{size // 1000:,} KB" if size < 1_000_000 else f"{size / 1_000_000:g} MB"


def figures(workdir: str, quick: bool) -> list[Figure]:
    notes = 100 if quick else 1000
    sizes = [10_000, 40_000, 100_000] if quick else [50_000, 200_000, 1_000_000]
    spread_over = 20 if quick else 200
    with tempfile.TemporaryDirectory(dir=workdir) as folder:  # never left in a kept --cases folder
        r = measure(folder, notes, 2 if quick else 3)
        t = lengths(folder, sizes, spread_over, 1 if quick else 2)
    ours, raw = r[OURS], r[RAW]
    per_kb = {size: (t[f"note-{size}"] - t["fixed"]) * 1000 / (size / 1000) for size in sizes}
    out = [
        Figure(f"report of {notes:,} notes, built and signed (CPU)", ours["cpu"] * 1000, "ms",
               raw["cpu"] * 1000, "<= 1.5x", ours["cpu"] <= 1.5 * raw["cpu"]),
        Figure("  (the same, wall clock)", ours["wall"] * 1000, "ms", raw["wall"] * 1000, "report"),
    ]
    out.append(Figure("report with a one-word note (CPU)", t["fixed"] * 1000, "ms", None, "report"))
    out += [Figure(f"  + one {_kb(size)} note instead, per KB (CPU)", per_kb[size], "ms", None, "report")
            for size in sizes]
    out.append(Figure(f"  per KB, slowest vs fastest of {', '.join(_kb(s) for s in sizes)}", max(per_kb.values()),
                      "ms", min(per_kb.values()), "<= 1.5x", max(per_kb.values()) <= 1.5 * min(per_kb.values())))
    big = t[f"note-{sizes[-1]}"]
    out.append(Figure(f"one {_kb(sizes[-1])} note vs the same text in {spread_over} notes", big * 1000, "ms",
                      t["spread"] * 1000, "<= 1.5x", big <= 1.5 * t["spread"]))
    out.append(Figure(f"one {_kb(sizes[-1])} code block vs {spread_over} blocks", t["code"] * 1000, "ms",
                      t["code-spread"] * 1000, "<= 1.5x", t["code"] <= 1.5 * t["code-spread"]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lengths", action="store_true", help="also time 50 KB, 200 KB and 1 MB notes")
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
        if args.lengths:
            sizes = [50_000, 200_000, 1_000_000]
            t = lengths(folder, sizes, 200, 1)
            print(f"the same report with a one-word note {t['fixed']:.2f} s CPU")
            for size in sizes:
                net = t[f"note-{size}"] - t["fixed"]
                print(f"one {_kb(size):>6} note  {t[f'note-{size}']:7.2f} s CPU  {net * 1e6 / size:6.2f} ms per KB")
            print(f"same 1 MB in 200 notes {t['spread']:7.2f} s CPU;  1 MB code block {t['code']:.2f} s, "
                  f"in 200 blocks {t['code-spread']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
