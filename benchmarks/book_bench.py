"""Benchmark: the readiness book. Filing a 20k-note case, and opening a book with 200 filed
cases and 2,000 contacts against an empty one.

Run: ``python benchmarks/book_bench.py``. Files are made with a cheap key derivation and opened
with their derived keys, so the figures are what comes on top of the unlocks (the unlock has
its own figure in ``make bench``).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import PASSPHRASE, Figure, best_of, lowered_kdf  # noqa: E402
from irdesk.casefile import operations as ops  # noqa: E402
from irdesk.casefile.book_store import BookFile  # noqa: E402
from irdesk.casefile.filing import file_case  # noqa: E402
from irdesk.casefile.starting import start_from_book  # noqa: E402
from irdesk.casefile.store import CaseFile  # noqa: E402
from irdesk.demo import add_synthetic_notes  # noqa: E402
from irdesk.domain.book import BookAction, BookContact, FiledEngagement, FiledGap, RegisterEntry  # noqa: E402
from irdesk.domain.enums import ActionStatus, Gap  # noqa: E402
from irdesk.domain.moment import Moment  # noqa: E402
from irdesk.domain.records import Contact, Record  # noqa: E402

T0 = Moment.parse("2024-01-01T09:00Z")


def _put(book: BookFile, cls: type[Record], **fields: object) -> Record:
    record = cls(id=str(uuid.uuid4()), rev=str(uuid.uuid4()), parent_rev=None, created=T0, updated=T0,
                 author="bench", **fields)  # type: ignore[call-arg]
    book.records.put(record, action="file", source="benchmark")
    return record


def fill_book(book: BookFile, cases: int, contacts: int, seed: int = 7) -> None:
    """What ``cases`` filings and a ``contacts``-strong directory leave in a book."""
    rng = random.Random(seed)
    with book.transaction():
        people = [_put(book, BookContact, name=f"Contact {i}", team=f"Team {i % 40}",
                       last_verified=date(2024, 1, 1) + timedelta(days=i % 600)) for i in range(contacts)]
        for n in range(cases):
            detected = T0 + timedelta(days=2 * n)
            entry = _put(book, RegisterEntry, title=f"Incident {n}", drill=n % 5 == 0, filed_at=detected,
                         first_activity_at=detected + timedelta(hours=-rng.randint(1, 90)), detected_at=detected,
                         contained_at=detected + timedelta(hours=rng.randint(1, 48)))
            for person in rng.sample(people, 6):
                _put(book, FiledEngagement, entry_id=entry.id, contact_id=person.id,
                     contact_name=person.name, needed_at=detected,  # type: ignore[attr-defined]
                     reached_at=detected + timedelta(minutes=rng.randint(5, 600)))
            for category in rng.sample(list(Gap), 3):
                _put(book, FiledGap, entry_id=entry.id, category=category, subject=f"System {rng.randint(0, 9)}")
            for k in range(4):
                _put(book, BookAction, entry_id=entry.id, title=f"Improvement {n}.{k}",
                     status=rng.choice(list(ActionStatus)), waived_reason="not needed",
                     due=date(2024, 6, 1) + timedelta(days=n))


def filing(folder: str, notes: int) -> float:
    """Seconds to file a ``notes``-note case into a book (both already unlocked)."""
    book_path, case_path = os.path.join(folder, "team.irbook"), os.path.join(folder, "big.ircase")
    with BookFile.create(book_path, PASSPHRASE, title="Bench", actor="Lead") as book:
        fill_book(book, 20, 200)
        with CaseFile.create(case_path, PASSPHRASE, title="Big", actor="Ana",
                             fill=lambda new: start_from_book(new, book)) as case:
            add_synthetic_notes(case, notes)
            for i, contact in enumerate(case.records.all(Contact)[:50]):  # the book's, copied in
                ops.add_engagement(case, contact.id, f"call {i}", needed_at=T0,
                                   reached_at=T0 + timedelta(minutes=30 + i))
            for i in range(100):
                ops.add_evidence(case, f"Log {i}", source_system=f"System {i % 10}")
            for i in range(30):
                ops.add_action(case, f"Action {i}", owner="Dana")
        with CaseFile.open(case_path, PASSPHRASE, writable=False) as case:
            started = time.perf_counter()
            file_case(book, case)
            return time.perf_counter() - started


def opening(folder: str, cases: int, contacts: int, rounds: int = 30) -> tuple[float, float, float]:
    """Seconds to open an empty book and a full one (key given), and to show the full one.

    An open is about a millisecond, so the two alternate ``rounds`` times and the fastest of each
    is taken: a busy moment on the shared machine then hits both sides, not one.
    """
    from irdesk.commands.book_summary import render_book

    books = []
    for name, (n, c) in (("empty", (0, 0)), ("full", (cases, contacts))):
        path = os.path.join(folder, f"{name}.irbook")
        with BookFile.create(path, PASSPHRASE, title=name, actor="Lead") as book:
            fill_book(book, n, c)
            books.append((path, book.key))
    times: list[list[float]] = [[], []]
    for _ in range(rounds):
        for side, (path, key) in enumerate(books):
            started = time.perf_counter()
            BookFile.open(path, key=key, writable=False).close()
            times[side].append(time.perf_counter() - started)
    path, key = books[1]

    def show() -> None:
        with BookFile.open(path, key=key, writable=False) as book, book.verified():
            render_book(book)

    return min(times[0]), min(times[1]), best_of(show, 2)


def figures(workdir: str, quick: bool) -> list[Figure]:
    notes, cases, contacts = (2_000, 20, 200) if quick else (20_000, 200, 2_000)
    with lowered_kdf(), tempfile.TemporaryDirectory(dir=workdir) as folder:
        filed = filing(folder, notes)
        empty, full, shown = opening(folder, cases, contacts)
    return [
        Figure(f"file a {notes // 1000}k-note case into the book", filed * 1000, "ms", None, "<= 1000 ms",
               filed <= 1.0),
        Figure(f"open a book: {cases} cases, {contacts:,} contacts", full * 1000, "ms", empty * 1000,
               "<= 1.5x", full <= 1.5 * empty),
        Figure("  book show of that book (verified)", shown * 1000, "ms", None, "report"),
    ]


if __name__ == "__main__":
    for figure in figures(tempfile.gettempdir(), "--quick" in sys.argv):
        print(figure.line())
