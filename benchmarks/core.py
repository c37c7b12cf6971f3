"""Start-up, JSON export, full-text search, evidence hashing and the deliberate unlock cost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from benchmarks.common import (
    PASSPHRASE,
    ROOT,
    Figure,
    best_of,
    case_path,
    irdesk_command,
    make_demo,
    median_of,
    percentile,
    run_child,
)


def startup(quick: bool) -> list[Figure]:
    """The installed ``irdesk`` entry point (this checkout's package first) against bare Python."""
    repeat = 5 if quick else 20
    env = {**os.environ, "PYTHONPATH": ROOT}  # both get it: the same interpreter start-up
    ours = median_of(lambda: subprocess.run([*irdesk_command(), "--version"], check=True, env=env,
                                            stdout=subprocess.DEVNULL), repeat)
    base = median_of(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True, env=env), repeat)
    return [Figure("irdesk --version start-up", ours * 1000, "ms", base * 1000, "<= 3x", ours <= 3 * base)]


def _open(path: str):  # type: ignore[no-untyped-def]
    from irdesk.casefile.store import CaseFile

    return CaseFile.open(path, PASSPHRASE, actor="bench", writable=False)


def _raw(case):  # type: ignore[no-untyped-def]
    import sqlcipher3

    conn = sqlcipher3.connect(case.path)
    conn.execute(f'PRAGMA key = "{case.raw_key()}"')
    return conn


def json_export(workdir: str, quick: bool) -> list[Figure]:
    from irdesk.interop.exporting import export_case

    notes = 2000 if quick else 20000
    path = make_demo(case_path(workdir, notes), notes)
    case = _open(path)  # the key is derived once, outside the timings
    raw = _raw(case)
    out = os.path.join(workdir, "export.json")

    def ours() -> None:  # the real path: an unnamed file linked into place, over the last one
        export_case(case, "json", out, replace=True)

    # Every real table in the file (the FTS5 index tables too; not the virtual table itself).
    tables = [name for (name,) in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]

    def baseline() -> None:
        for table in tables:
            raw.execute(f"SELECT * FROM {table}").fetchall()

    t_ours = t_base = float("inf")
    for _ in range(3 if quick else 5):  # alternate, so both see the same cache state
        t_ours = min(t_ours, best_of(ours, 1))
        t_base = min(t_base, best_of(baseline, 1))
    raw.close()
    case.close()
    os.unlink(out)
    return [Figure(f"JSON export, {notes:,} notes", t_ours * 1000, "ms", t_base * 1000, "<= 2x",
                   t_ours <= 2 * t_base)]


def verified_reader(workdir: str, quick: bool) -> list[Figure]:
    """What the verified reader costs on its own: its chain index, a whole-case pass, a page.

    The whole-case pass (what every report, export, ``show`` and ``search`` runs first) is
    compared with a raw read of the same rows; the chain index (built once per open) is shown
    with its memory; a 200-note page as the GUI fetches it, verified, against the same page
    decoded without the check.
    """
    import tracemalloc

    from irdesk.casefile import codec, schema
    from irdesk.domain.records import RECORD_TYPES, Note

    notes = 10000 if quick else 100000
    path = make_demo(case_path(workdir, notes), notes)
    case = _open(path)
    raw = _raw(case)
    tables = schema.TABLES  # every record kind, as the reader knows them

    def baseline() -> None:
        for cls in RECORD_TYPES:
            raw.execute(f"SELECT {', '.join(codec.columns(cls))} FROM {tables[cls.KIND]}").fetchall()
        raw.execute("SELECT kind, record_id, rev, superseded, conflict, json FROM revisions").fetchall()

    def index() -> None:
        case.chain._index = None  # built again, as on opening
        case.chain.index()

    t_index = best_of(index, 3)
    tracemalloc.start()
    index()
    index_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    t_pass = t_base = float("inf")
    for _ in range(2 if quick else 3):  # alternate, so both see the same cache state
        t_pass = min(t_pass, best_of(case.records.verify_all, 1))
        t_base = min(t_base, best_of(baseline, 1))
    query = ("SELECT {} FROM notes WHERE deleted = 0 ORDER BY occurred_utc DESC, seq DESC LIMIT 200 OFFSET 5000"
             .format(", ".join(codec.columns(Note))))
    t_page = median_of(lambda: case.notes.page(offset=5000, limit=200, newest_first=True), 20)
    t_page_raw = median_of(lambda: [codec.from_row(Note, r) for r in raw.execute(query).fetchall()], 20)
    entries = case.chain_length
    raw.close()
    case.close()
    return [
        Figure(f"verified reader: whole-case pass, {notes:,} notes", t_pass * 1000, "ms", t_base * 1000,
               "report", None),
        Figure(f"  (its chain index, {entries:,} entries)", t_index * 1000, "ms", None, "report"),
        Figure("  (the chain index in memory)", index_mb, "MB", None, "report"),
        Figure("verified reader: a 200-note page", t_page * 1000, "ms", t_page_raw * 1000, "report"),
    ]


QUERIES = ["encryptor", "hash", "WS-0042", "credentials", "sweep item 99*", "autoruns nothing", "logon",
           "event log", "hypervisor", "reset local administrator"]


def search(workdir: str, quick: bool) -> list[Figure]:
    notes = 10000 if quick else 100000
    path = make_demo(case_path(workdir, notes), notes)
    case = _open(path)
    raw = _raw(case)
    from irdesk.casefile.store import fts_query

    queries = (QUERIES * 5)[:50]
    sql = ("SELECT snippet(notes_fts, 0, char(2), char(3), '…', 24), n.* FROM notes_fts "
           "JOIN notes n ON n.seq = notes_fts.rowid WHERE notes_fts MATCH ? AND n.deleted = 0 "
           "ORDER BY rank LIMIT 200")
    for q in queries[:5]:  # warm the page cache for both
        case.notes.search(q)
        raw.execute(sql, (fts_query(q),)).fetchall()
    ours, base = [], []
    for q in queries:
        start = time.perf_counter()
        case.notes.search(q, limit=200)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw.execute(sql, (fts_query(q),)).fetchall()
        base.append(time.perf_counter() - start)
    raw.close()
    case.close()
    figures = []
    for pct in (50, 95):
        o, b = percentile(ours, pct) * 1000, percentile(base, pct) * 1000
        figures.append(Figure(f"search p{pct}, {notes:,} notes, 50 queries", o, "ms", b, "<= 1.5x",
                              o <= 1.5 * b))
    return figures


def hashing(workdir: str, quick: bool) -> list[Figure]:
    from irdesk.casefile.hashing import hash_file

    size = (64 if quick else 1024) * 1024 * 1024
    path = os.path.join(workdir, "evidence.bin")
    if not os.path.exists(path) or os.path.getsize(path) != size:
        with open(path, "wb") as handle:
            block = os.urandom(1024 * 1024)
            for _ in range(size // len(block)):
                handle.write(block)
    figures = []
    ours = best_of(lambda: hash_file(path), 2)
    tool = shutil.which("sha256sum")
    base = best_of(lambda: subprocess.run([tool, path], check=True, stdout=subprocess.DEVNULL), 2) if tool else None
    if tool:  # both read every byte of the same file (from the page cache) and agree
        digest = hash_file(path)
        theirs = subprocess.run([tool, path], check=True, capture_output=True, text=True).stdout.split()[0]
        if (digest.size, digest.sha256) != (size, theirs):
            raise RuntimeError(f"hash_file read {digest.size} bytes, {digest.sha256}; sha256sum says {theirs}")
    mib = size / 1024 / 1024
    ok = None if base is None else (mib / ours) >= 0.9 * (mib / base)
    figures.append(Figure(f"hashing {mib:,.0f} MiB (throughput)", mib / ours, "MiB/s",
                          None if base is None else mib / base, ">= 0.9x", ok))
    os.unlink(path)
    return figures


UNLOCK_CHILD = """
import json, os, time
from irdesk.casefile import kdf
def kib(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))
before = kib("VmRSS:")
start = time.perf_counter()
kdf.derive_key("tangerine-lighthouse-47-orbit", os.urandom(16))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_growth_kib": kib("VmHWM:") - before,
                  "memory_kib": kdf.PARAMETERS[kdf.FORMAT_VERSION].memory_kib}))
"""


def unlock() -> list[Figure]:
    """One real key derivation per fresh process: its time and how much memory it took."""
    runs = [run_child(["-c", UNLOCK_CHILD]) for _ in range(3)]
    seconds = min(r["seconds"] for r in runs)
    cost = runs[0]["memory_kib"] / 1024
    grown = max(r["peak_growth_kib"] for r in runs) / 1024
    return [
        Figure("Argon2id unlock (deliberate cost)", seconds * 1000, "ms", None, ">= 500 ms", seconds >= 0.5),
        Figure("Argon2id memory cost", cost, "MiB", None, ">= 64 MiB", cost >= 64),
        Figure("  (measured: peak RSS growth while deriving)", grown, "MiB", None, "report"),
    ]
