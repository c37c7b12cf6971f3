"""How fast the desktop app opens a 100,000-note case compared with the plain demo case.

Prints, for each case: time from process start to the painted main window (key derivation
included), the window-building part alone, and resident memory. Each measurement runs in a
fresh process, offscreen, three times; the median is shown.

    python benchmarks/gui_open.py [--scale 100000] [--cases DIR]

Targets: the large case opens in at most 1.5x the time, with at most 150 MB more memory.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.common import PASSPHRASE, Figure, case_path, children_median, make_demo  # noqa: E402
from irdesk.casefile.schema import SCHEMA_VERSION  # noqa: E402

RUNS = 3


def rss_mb() -> tuple[float, float]:
    """Current and peak resident set size, MB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kb, _ = line.split()
                values[key] = int(kb) / 1024
    return values["VmRSS:"], values["VmHWM:"]


def child(path: str) -> None:
    """Open ``path`` in the real app, offscreen, and report once the window has painted."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["IRDESK_PASSPHRASE"] = PASSPHRASE
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from irdesk.keychain import Keychain
    from irdesk.ui.app import DeskApp
    from irdesk.ui.palette import apply_palette
    from irdesk.ui.settings import Settings

    app = QApplication([sys.argv[0]])
    apply_palette(app)
    scratch = tempfile.TemporaryDirectory()  # settings of this run only, removed at exit
    settings = Settings(os.path.join(scratch.name, "irdesk.ini"))
    desk = DeskApp(app, settings, Keychain(), "Benchmark")
    window_start = time.perf_counter()
    desk.start(path)
    window = desk.window
    assert window is not None
    opened = time.perf_counter()
    window.repaint()
    app.processEvents()
    painted = time.perf_counter()
    figures = {
        "total_s": painted - START,
        "open_s": opened - window_start,  # unlock (key derivation) + every model's first page
        "paint_s": painted - opened,
        "notes": desk.session.reader.notes.count(),
    }
    current, peak = rss_mb()
    figures.update(rss_mb=current, peak_rss_mb=peak)
    QTimer.singleShot(0, desk.quit)
    app.exec()
    scratch.cleanup()
    print(json.dumps(figures))


def measure(path: str, runs: int = RUNS) -> dict[str, float]:
    """The median of ``runs`` fresh offscreen processes opening ``path``."""
    return children_median(__file__, path, runs)


def figures(workdir: str, quick: bool) -> list[Figure]:
    """Open time and resident memory of a large case against the plain demo, both unlocked."""
    scale = 10_000 if quick else 100_000
    small = make_demo(case_path(workdir, 0), 0)
    large = make_demo(case_path(workdir, scale), scale)
    runs = 1 if quick else RUNS
    a, b = measure(small, runs), measure(large, runs)
    notes = f"{b['notes']:,.0f}-note case"
    return [
        Figure(f"GUI: main window shown, {notes}", b["total_s"] * 1000, "ms", a["total_s"] * 1000,
               "<= 1.5x", b["total_s"] <= 1.5 * a["total_s"]),
        Figure("  (of which unlock + first pages)", b["open_s"] * 1000, "ms", a["open_s"] * 1000,
               "report"),
        Figure(f"GUI: RSS with the {notes} open", b["rss_mb"], "MB", a["rss_mb"], "<= +150 MB",
               b["rss_mb"] - a["rss_mb"] <= 150, additive=True),
        Figure("  (peak RSS, Argon2id's 64 MiB included)", b["peak_rss_mb"], "MB", a["peak_rss_mb"],
               "report", additive=True),
    ]


def make_case(path: str, scale: int) -> None:
    if os.path.exists(path):
        return
    command = [sys.executable, "-m", "irdesk", "demo", path] + (
        ["--scale", str(scale)] if scale else []
    )
    started = time.perf_counter()
    subprocess.run(
        command,
        check=True,
        capture_output=True,
        env=dict(os.environ, PYTHONPATH=ROOT, IRDESK_NEW_PASSPHRASE=PASSPHRASE),
    )
    print(
        f"made {os.path.basename(path)} in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--cases", help="folder to keep (and reuse) the two cases in")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = args.cases or tempfile.mkdtemp(prefix="irdesk-bench-")
    os.makedirs(folder, exist_ok=True)
    small, large = (
        os.path.join(folder, f"demo-format{SCHEMA_VERSION}.ircase"),  # never a kept older format
        os.path.join(folder, f"demo-{args.scale}-format{SCHEMA_VERSION}.ircase"),
    )
    make_case(small, 0)
    make_case(large, args.scale)
    a, b = measure(small), measure(large)
    print(f"{'':24}{'demo':>12}{f'demo --scale {args.scale}':>26}")
    for key, label, unit in (
        ("notes", "notes", ""),
        ("total_s", "start to painted window", " s"),
        ("open_s", "  unlock + first pages", " s"),
        ("paint_s", "  first paint", " s"),
        ("rss_mb", "resident memory", " MB"),
        ("peak_rss_mb", "peak resident memory", " MB"),
    ):
        fmt = "{:>12,.0f}" if key == "notes" else "{:>12.3f}" if unit == " s" else "{:>12.1f}"
        print(f"{label:24}{fmt.format(a[key])}{unit:3}{fmt.format(b[key]):>20}{unit}")
    ratio = b["total_s"] / a["total_s"]
    extra = b["rss_mb"] - a["rss_mb"]  # the peak is Argon2id's 64 MiB in both
    print(f"time ratio {ratio:.2f}x (target <= 1.5x): {'ok' if ratio <= 1.5 else 'MISSED'}")
    print(f"extra memory {extra:.1f} MB (target <= 150 MB): {'ok' if extra <= 150 else 'MISSED'}")


if __name__ == "__main__":
    main()
