"""What writing a plaintext output unnamed (O_TMPFILE, linked into place) costs, against the
named partial renamed into place that outputs used before (both flushed to disk)."""

from __future__ import annotations

import os
import time

from benchmarks.common import Figure


def _time(write, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        write()
    return (time.perf_counter() - started) / rounds


def figures(workdir: str, quick: bool) -> list[Figure]:
    from irdesk.casefile import files

    folder = os.path.join(workdir, "outputs")
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, "export.json")
    big = os.urandom(1024 * 1024) * (16 if quick else 64)
    small = b"{" + b"x" * 4094 + b"}"
    result = []
    # A large output is throughput; a small one is the per-file cost of the calls and two fsyncs,
    # a couple of milliseconds that a busy machine easily moves by a quarter.
    for label, data, rounds, limit in ((f"{len(big) >> 20} MiB", big, 3 if quick else 5, 1.25),
                                       ("4 KiB", small, 20 if quick else 200, 1.5)):
        chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]

        def unnamed(chunks: list[bytes] = chunks) -> None:
            with files.deferred_output(target) as out:
                for chunk in chunks:
                    out.write(chunk)

        def partial(chunks: list[bytes] = chunks) -> None:
            with files.atomic_output(target) as out:
                for chunk in chunks:
                    out.write(chunk)

        t_unnamed = t_partial = float("inf")
        for _ in range(3):  # alternate, so both see the same disk state
            t_unnamed = min(t_unnamed, _time(unnamed, rounds))
            t_partial = min(t_partial, _time(partial, rounds))
        unnamed_used = files._open_unnamed(folder) is not None
        name = f"output {label}, unnamed (O_TMPFILE)" + ("" if unnamed_used else " [no O_TMPFILE here]")
        result.append(Figure(name, t_unnamed * 1000, "ms", t_partial * 1000, f"<= {limit}x",
                             t_unnamed <= limit * t_partial))
    os.unlink(target)
    os.rmdir(folder)
    return result
