"""Shared pieces of the benchmarks: synthetic cases, timing, and the one-line report format."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from irdesk.casefile.schema import SCHEMA_VERSION

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSPHRASE = "tangerine-lighthouse-47-orbit"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None  # same unit, measured in the same run
    target: str = ""  # e.g. "<= 2.0x", ">= 0.9x", "report"
    ok: bool | None = None
    additive: bool = False  # compared as a difference (memory), not as a ratio

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    def comparison(self) -> str:
        if self.baseline is None:
            return ""
        if self.additive:
            return f"{self.value - self.baseline:+.0f} {self.unit}"
        return f"{self.ratio:.2f}x" if self.ratio is not None else ""

    def line(self) -> str:
        base = f"{self.baseline:10.3f} {self.unit:<5}" if self.baseline is not None else " " * 16
        ratio = f"{self.comparison():>7}"
        verdict = {True: "ok", False: "MISSED", None: ""}[self.ok]
        return f"{self.name:<46} {self.value:10.3f} {self.unit:<5} {base} {ratio}  {self.target:<14} {verdict}"


def header() -> str:
    return f"{'figure':<46} {'value':>10} {'':<5} {'baseline':>10} {'':<5} {'ratio':>7}  {'target':<14}"


@contextmanager
def lowered_kdf() -> Iterator[None]:
    """Cheap key derivation for cases built and opened inside the block (untimed set-up only).

    Files made inside the block open only inside it; the real parameters come back after.
    """
    from irdesk.casefile import kdf

    real = kdf.PARAMETERS[kdf.FORMAT_VERSION]
    kdf.PARAMETERS[kdf.FORMAT_VERSION] = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)
    try:
        yield
    finally:
        kdf.PARAMETERS[kdf.FORMAT_VERSION] = real


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (least disturbed by the busy machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def irdesk_command() -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "irdesk")
    return [exe] if os.path.exists(exe) else [sys.executable, "-m", "irdesk"]


def run_child(argv: list[str], timeout: float = 600) -> dict:
    """Run a measuring child process (offscreen Qt) and return the JSON on its last output line."""
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": ROOT, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode != 0:
        raise RuntimeError(f"{os.path.basename(argv[0])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def children_median(script: str, path: str, runs: int) -> dict[str, float]:
    """The median of each figure over ``runs`` fresh processes of ``script --child path``."""
    results = [run_child([os.path.abspath(script), "--child", path]) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def case_path(workdir: str, scale: int) -> str:
    """Where the run keeps its ``irdesk demo --scale N`` case (shared by the suites that read it).

    The name carries the format version, so ``--cases DIR`` kept from an older irdesk is not reused."""
    return os.path.join(workdir, f"demo-{scale}-format{SCHEMA_VERSION}.ircase")


def make_demo(path: str, scale: int) -> str:
    """A synthetic case made the way users make one: `irdesk demo --scale N` (cached per run)."""
    if not os.path.exists(path):
        env = {**os.environ, "IRDESK_NEW_PASSPHRASE": PASSPHRASE, "PYTHONPATH": ROOT}
        subprocess.run([*irdesk_command(), "demo", path, "--scale", str(scale)], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    return path
