"""The exports to the field's formats (issue 20), each against the raw read of the same case.

The baseline is what ``core.json_export`` uses: every real table of the file read with plain
SQL through the same key (derived once, outside the timings). Each export is the real path
(``export_case``: the whole-case verification first, then the format, written through the
outputs gate). Target: at most 2x the raw read on a 20,000-note case.
"""

from __future__ import annotations

import os

from benchmarks.common import Figure, best_of, case_path, make_demo
from benchmarks.core import _open, _raw

FORMATS = ("stix", "misp", "thehive", "veris", "csv-timeline", "jsonl-timeline")


def figures(workdir: str, quick: bool) -> list[Figure]:
    from irdesk.interop.exporting import FORMATS as SUFFIXES
    from irdesk.interop.exporting import export_case

    notes = 2000 if quick else 20000
    path = make_demo(case_path(workdir, notes), notes)
    case = _open(path)
    raw = _raw(case)
    tables = [name for (name,) in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]

    def baseline() -> None:
        for table in tables:
            raw.execute(f"SELECT * FROM {table}").fetchall()

    found = []
    try:
        for fmt in FORMATS:
            out = os.path.join(workdir, "export" + SUFFIXES[fmt][1])

            def ours(fmt: str = fmt, out: str = out) -> None:
                export_case(case, fmt, out, replace=True)

            t_ours = t_base = float("inf")
            for _ in range(2 if quick else 4):  # alternate, so both see the same cache state
                t_ours = min(t_ours, best_of(ours, 1))
                t_base = min(t_base, best_of(baseline, 1))
            os.unlink(out)
            found.append(Figure(f"{fmt} export, {notes:,} notes", t_ours * 1000, "ms", t_base * 1000,
                                "<= 2x", t_ours <= 2 * t_base))
    finally:
        raw.close()
        case.close()
    return found
