"""Benchmark: the programme report of a readiness book with 200 filed cases (issue 19).

Run: ``python benchmarks/run.py --only programme``. The book is what 200 filings and a
2,000-strong directory leave (``book_bench.fill_book``, plus three evidence requests per case);
the figure is reading it through the verified reader, laying the report out and signing it,
with the book already unlocked (the unlock is the Argon2id figure of ``make bench``).

The first build in the process is timed, as ``irdesk book report`` pays it: the report
machinery's imports, the fonts and pyHanko load inside it. CPU time is the verdict (steadier on
the shared machine, as for the case report's figures); wall time is printed beside it, and a
second, warm build too.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.book_bench import _put, fill_book  # noqa: E402
from benchmarks.common import PASSPHRASE, Figure, lowered_kdf  # noqa: E402
from irdesk.casefile.book_store import BookFile  # noqa: E402
from irdesk.domain.book import FiledEvidence, RegisterEntry  # noqa: E402
from irdesk.domain.enums import EvidenceStatus  # noqa: E402


def programme(folder: str, cases: int, contacts: int, seed: int = 11) -> tuple[float, float, float, int]:
    """Seconds to build and sign the programme report of a book holding ``cases`` filed cases:
    the first build's wall and CPU time, a second build's wall time, and the report's page count."""
    from irdesk.identity.keys import ephemeral_identity

    rng = random.Random(seed)
    path = os.path.join(folder, "programme.irbook")
    with BookFile.create(path, PASSPHRASE, title="Bench", actor="Lead") as book:
        fill_book(book, cases, contacts)
        with book.transaction():
            for entry in book.records.all(RegisterEntry):
                assert entry.detected_at is not None
                for k in range(3):
                    asked = entry.detected_at + timedelta(minutes=rng.randint(5, 120))
                    _put(book, FiledEvidence, entry_id=entry.id, label=f"Log {k}", system_name=f"System {k}",
                         status=EvidenceStatus.COLLECTED, requested_at=asked,
                         collected_at=asked + timedelta(minutes=rng.randint(10, 3000)))
        key = book.key
    identity = ephemeral_identity()
    with BookFile.open(path, key=key, writable=False) as book:
        started, started_cpu = time.perf_counter(), time.process_time()
        from irdesk.report.programme import Period, build_programme

        built = build_programme(book, responder="Bench", period=Period(None, None), identity=identity)
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        started = time.perf_counter()
        build_programme(book, responder="Bench", period=Period(None, None), identity=identity)
        warm = time.perf_counter() - started
    return wall, cpu, warm, _pages(built.pdf)


def _pages(pdf: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Kids"])


def figures(workdir: str, quick: bool) -> list[Figure]:
    cases, contacts = (20, 200) if quick else (200, 2_000)
    with lowered_kdf(), tempfile.TemporaryDirectory(dir=workdir) as folder:
        wall, cpu, warm, pages = programme(folder, cases, contacts)
    return [
        Figure(f"programme report, {cases} filed cases ({pages} pages), signed (CPU)", cpu * 1000, "ms", None,
               "<= 10000 ms", cpu <= 10.0),
        Figure("  the same, wall time", wall * 1000, "ms", None, "report"),
        Figure("  a second build in the same process, wall time", warm * 1000, "ms", None, "report"),
    ]


if __name__ == "__main__":
    for figure in figures(tempfile.gettempdir(), "--quick" in sys.argv):
        print(figure.line())
