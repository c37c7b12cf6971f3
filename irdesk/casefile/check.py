"""The full check behind ``irdesk check``: SQLite and SQLCipher integrity, the whole audit
chain, every record and kept revision against the chain, and everything no hash covers.

SQLCipher authenticates pages one by one, so a page spliced in from an older copy of the
same file passes its checks; only the record-to-chain comparison catches it. Every column
of every table is covered by a hash or checked here: records and kept revisions by the
verified reader (``VerifiedReader.problems``: nothing differs, nothing is missing or extra,
conflict marks and replacement times intact), attachment bytes by their SHA-256, the meta
table against the case record and the chain, the search index against the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from irdesk.casefile import audit, kdf, schema
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Attachment

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


def check_case(case: CaseFile, progress: Callable[[str], None] | None = None) -> CheckReport:
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
            step("search index")
            problem = case.search_index_problem()
            if problem:
                report.add(problem)
    except CaseFileError as exc:
        report.add(exc.message)
    return report


def _sqlite_integrity(case: CaseFile, report: CheckReport) -> None:
    for problem in case.db.integrity_problems():
        report.add(problem)
    if case.db.schema_objects() != schema.expected_objects(schema.SCHEMA_VERSION):
        report.add("The schema is not the schema of a case file.")


def _chain(case: CaseFile, report: CheckReport) -> None:
    """Verify links and hashes, and the meta values that describe the chain."""
    entries = list(case.chain.entries())
    for problem in audit.chain_problems(entries, limit=MAX_PROBLEMS):
        report.add(problem)
    report.chain_length = len(entries)
    if entries and (entries[-1].hash != case.chain_head or entries[-1].seq != case.chain_length):
        report.add("The audit chain changed while it was being checked.")
    if case.db.meta("format_version") != str(kdf.FORMAT_VERSION):
        report.add("The file's format version is missing or wrong.")


def _records(case: CaseFile, report: CheckReport) -> None:
    for problem in case.records.problems():
        report.add(problem)
    index = case.chain.index()
    report.records_checked = sum(len(index.ids(kind)) for kind in schema.TABLES)
    report.revisions_checked = int(case.db.scalar("SELECT count(*) FROM revisions"))
    if case.db.query("SELECT id FROM cases") != [(case.case_id,)]:
        report.add("The file does not hold exactly one case record, the one its identity names.")
    for attachment in case.records.iter_all(Attachment):
        try:
            case.attachment_bytes(attachment.id)
        except CaseFileError:
            report.add(f"The attachment {attachment.id} does not match its recorded hash.")
