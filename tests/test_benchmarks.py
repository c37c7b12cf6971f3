"""`make bench` cannot rot: a quick run of every benchmark suite must finish and print every figure."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e  # real irdesk commands and real key derivation, in subprocesses

# One prefix per figure of the performance table (docs/PERFORMANCE.md); sizes follow --quick.
FIGURES = [
    "irdesk --version start-up",
    "JSON export, 2,000 notes",
    *(f"{fmt} export, 2,000 notes" for fmt in ("stix", "misp", "thehive", "veris", "csv-timeline",
                                                "jsonl-timeline")),
    "output 16 MiB, unnamed (O_TMPFILE)",
    "output 4 KiB, unnamed (O_TMPFILE)",
    "search p50, 10,000 notes",
    "search p95, 10,000 notes",
    "verified reader: whole-case pass, 10,000 notes",
    "verified reader: a 200-note page",
    "hashing 64 MiB (throughput)",
    "report of 100 notes, built and signed",
    "report with a one-word note",
    "  per KB, slowest vs fastest of 10 KB, 40 KB, 100 KB",
    "one 100 KB note vs the same text in 20 notes",
    "one 100 KB code block vs 20 blocks",
    "GUI: main window shown, 10,020-note case",
    "GUI: RSS with the 10,020-note case open",
    "saving a note while typing: key p99",
    "merge two 2k-note copies, 200 edits each",
    "file a 2k-note case into the book",
    "open a book: 20 cases, 200 contacts",
    "Argon2id unlock (deliberate cost)",
    "Argon2id memory cost",
]


def test_quick_benchmark_run_prints_every_figure(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": ROOT,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--quick"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    # A busy machine may miss a quick run's ratios (shown, not fatal); an error is fatal.
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name in FIGURES:
        assert any(line.startswith(name) for line in lines), f"no figure {name!r} in:\n{done.stdout}"
    assert lines[-1] in ("all targets met",) or lines[-1].endswith("target(s) missed")
    assert "FAILED" not in done.stdout
    assert not os.listdir(tmp_path)  # its cases and evidence file are cleaned up
