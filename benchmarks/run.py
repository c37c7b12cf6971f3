"""Run every benchmark and print one line per figure: value, same-run baseline, ratio, target.

Usage: python benchmarks/run.py [--quick] [--only NAME[,NAME]] [--cases DIR]

Exit status: 0 when every suite ran (and, in a full run, every target was met); 1 when a
full run missed a target; 2 when a suite failed. A quick run only checks that everything runs:
its small cases make ratios noisy, so a missed target there is shown but not fatal.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import (  # noqa: E402
    book_bench,
    core,
    gui_open,
    interop_bench,
    merge_bench,
    outputs_bench,
    report_bench,
    typing_bench,
)
from benchmarks.common import Figure, header  # noqa: E402


def suites(workdir: str, quick: bool) -> dict[str, Callable[[], list[Figure]]]:
    return {
        "startup": lambda: core.startup(quick),
        "unlock": core.unlock,
        "export": lambda: core.json_export(workdir, quick),
        "interop": lambda: interop_bench.figures(workdir, quick),
        "outputs": lambda: outputs_bench.figures(workdir, quick),
        "search": lambda: core.search(workdir, quick),
        "reader": lambda: core.verified_reader(workdir, quick),
        "hashing": lambda: core.hashing(workdir, quick),
        "report": lambda: report_bench.figures(workdir, quick),
        "merge": lambda: merge_bench.figures(workdir, quick),
        "gui": lambda: gui_open.figures(workdir, quick),
        "typing": lambda: typing_bench.figures(workdir, quick),
        "book": lambda: book_bench.figures(workdir, quick),
    }


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = " load average {:.2f} {:.2f} {:.2f},".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return f"{model}, {os.cpu_count()} cores,{load} Python {platform.python_version()}"


def run(names: list[str], chosen: dict[str, Callable[[], list[Figure]]]) -> tuple[list[Figure], list[str]]:
    missed: list[Figure] = []
    failed: list[str] = []
    for name in names:
        started = time.perf_counter()
        try:
            figures = chosen[name]()
        except Exception:  # noqa: BLE001 - one broken suite must not hide the others' figures
            failed.append(name)
            print(f"{name}: FAILED\n{traceback.format_exc()}", flush=True)
            continue
        for figure in figures:
            print(figure.line(), flush=True)
            if figure.ok is False:
                missed.append(figure)
        print(f"  [{name}: {time.perf_counter() - started:.1f} s]", file=sys.stderr, flush=True)
    return missed, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small cases; finishes in under a minute")
    parser.add_argument("--only", default="", help="comma-separated suite names")
    parser.add_argument("--cases", help="keep the synthetic cases in DIR and reuse them next time")
    args = parser.parse_args(argv)
    print(f"irdesk benchmarks{' (quick)' if args.quick else ''}: {machine()}")
    with tempfile.TemporaryDirectory(prefix="irdesk-bench-") as scratch:
        workdir = args.cases or scratch
        os.makedirs(workdir, exist_ok=True)
        chosen = suites(workdir, args.quick)
        names = [n for n in args.only.split(",") if n] or list(chosen)
        unknown = [n for n in names if n not in chosen]
        if unknown:
            parser.error(f"no suite named {', '.join(unknown)}; choose from {', '.join(chosen)}")
        print(header(), flush=True)
        missed, failed = run(names, chosen)
    if missed and args.quick:
        print("(a quick run's cases are small, so fixed costs weigh more: the targets are for the "
              "full sizes of make bench)")
    print(f"{len(missed)} target(s) missed" if missed else "all targets met")
    if failed:
        print(f"{len(failed)} suite(s) failed: {', '.join(failed)}")
        return 2
    return 1 if missed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
