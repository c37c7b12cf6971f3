"""Run every benchmark and print one line per figure: value, same-run baseline, ratio, target.

Usage: python benchmarks/run.py [--quick] [--only NAME[,NAME]]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import core  # noqa: E402
from benchmarks.common import Figure, header  # noqa: E402


def suites(workdir: str, quick: bool) -> dict:
    return {
        "startup": lambda: core.startup(quick),
        "export": lambda: core.json_export(workdir, quick),
        "search": lambda: core.search(workdir, quick),
        "hashing": lambda: core.hashing(workdir, quick),
        "unlock": core.unlock,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small cases; finishes in under a minute")
    parser.add_argument("--only", default="", help="comma-separated suite names")
    args = parser.parse_args(argv)
    print(f"irdesk benchmarks on {platform.node() or 'this machine'}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}{' (quick)' if args.quick else ''}")
    print(header())
    missed: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="irdesk-bench-") as workdir:
        chosen = suites(workdir, args.quick)
        names = [n for n in args.only.split(",") if n] or list(chosen)
        for name in names:
            for figure in chosen[name]():
                print(figure.line(), flush=True)
                if figure.ok is False:
                    missed.append(figure)
    print(f"{len(missed)} target(s) missed" if missed else "all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
