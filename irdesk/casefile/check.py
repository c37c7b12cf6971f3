"""The full check behind ``irdesk check`` (of a case or a book): SQLite and SQLCipher integrity, the whole audit
chain, every record and kept revision against the chain, and everything no hash covers.

SQLCipher authenticates pages one by one, so a page spliced in from an older copy of the
same file passes its checks; only the record-to-chain comparison catches it. Every column
of every table is covered by a hash or checked here: records and kept revisions by the
verified reader (``VerifiedReader.problems``: nothing differs, nothing is missing or extra,
conflict marks and replacement times intact), attachment bytes by their SHA-256, the meta
table against the chain, and each kind's own parts (``extra_problems``: a case's search index
and attachments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from irdesk.casefile import audit, kdf
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.kinds import CASE, FileKind

MAX_PROBLEMS = 50


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    chain_length: int = 0
    records_checked: int = 0
    revisions_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS and problem not in self.problems:
            self.problems.append(problem)


def check_case(case: EncryptedFile, progress: Callable[[str], None] | None = None) -> CheckReport:
    """Run every check; problems are collected, not raised, so the report is complete."""
    report = CheckReport()
    step = progress or (lambda _msg: None)
    try:
        step("database integrity")
        _sqlite_integrity(case, report)
        if report.ok:
            step("audit chain")
            _chain(case, report)
            step("records against the chain")
            _records(case, report)
            step(f"the {case.KIND.name}'s own parts")
            for problem in case.extra_problems():
                report.add(problem)
    except CaseFileError as exc:
        report.add(exc.message)
    return report


def _sqlite_integrity(case: EncryptedFile, report: CheckReport) -> None:
    for problem in case.db.integrity_problems():
        report.add(problem)
    kind = case.KIND
    if case.db.schema_objects() != kind.schema.expected_objects(kind.schema.version):
        report.add(f"The schema is not the schema of {kind.noun}.")
    if int(case.db.scalar("PRAGMA application_id") or 0) not in _marks(kind):
        report.add(f"The file is not marked as {kind.noun}.")


def _chain(case: EncryptedFile, report: CheckReport) -> None:
    """Verify links and hashes, and the meta values that describe the chain."""
    entries = list(case.chain.entries())
    for problem in audit.chain_problems(entries, limit=MAX_PROBLEMS):
        report.add(problem)
    report.chain_length = len(entries)
    if entries and (entries[-1].hash != case.chain_head or entries[-1].seq != case.chain_length):
        report.add("The audit chain changed while it was being checked.")
    if case.db.meta("format_version") != str(kdf.FORMAT_VERSION):
        report.add("The file's format version is missing or wrong.")


def _records(case: EncryptedFile, report: CheckReport) -> None:
    for problem in case.records.problems():
        report.add(problem)
    index = case.chain.index()
    report.records_checked = sum(len(index.ids(kind)) for kind in case.KIND.schema.tables)
    report.revisions_checked = int(case.db.scalar("SELECT count(*) FROM revisions"))


def _marks(kind: FileKind) -> tuple[int, ...]:
    """The ``application_id`` values a file of ``kind`` may carry (cases from before marking: 0)."""
    return (kind.application_id, 0) if kind is CASE else (kind.application_id,)
