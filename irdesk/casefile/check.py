"""The full check behind ``irdesk check``: SQLite and SQLCipher integrity, the whole audit
chain, and that every current record (and every kept revision) is the one the chain last
committed to. SQLCipher authenticates pages one by one, so a page spliced in from an older
copy of the same file passes its checks; only the record-to-chain comparison catches it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from irdesk.casefile import audit, schema
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import RecordFormatError, from_dict, record_hash
from irdesk.domain.records import BY_KIND, Attachment

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
        if len(self.problems) < MAX_PROBLEMS:
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
            latest, seen = _chain(case, report)
            step("records against the chain")
            _records(case, report, latest, seen)
    except CaseFileError as exc:
        report.add(exc.message)
    return report


def _sqlite_integrity(case: CaseFile, report: CheckReport) -> None:
    for problem in case.db.integrity_problems():
        report.add(problem)
    if case.db.schema_objects() != schema.expected_objects(schema.SCHEMA_VERSION):
        report.add("The schema is not the schema of a case file.")
    # Since SQLite 3.44 integrity_check also runs FTS5's own check of the notes index.


Hashes = dict[tuple[str, str], str]
HashSets = dict[tuple[str, str], set[str]]


def _chain(case: CaseFile, report: CheckReport) -> tuple[Hashes, HashSets]:
    """Verify links and hashes; return the latest record hash per (kind, id), and every one it had."""
    latest: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], set[str]] = {}
    entries = list(case.chain.entries())
    for problem in audit.chain_problems(entries):
        report.add(problem)
    for entry in entries:
        if entry.entity in BY_KIND:
            key = (entry.entity, entry.entity_id)
            latest[key] = entry.record_hash
            seen.setdefault(key, set()).add(entry.record_hash)
    report.chain_length = len(entries)
    if entries and (entries[-1].hash != case.chain_head or entries[-1].seq != case.chain_length):
        report.add("The audit chain changed while it was being checked.")
    return latest, seen


def _records(case: CaseFile, report: CheckReport, latest: Hashes, seen: HashSets) -> None:
    present: set[tuple[str, str]] = set()
    for kind, cls in BY_KIND.items():
        for record in case.records.iter_all(cls):
            key = (kind, str(record.id))
            present.add(key)
            report.records_checked += 1
            expected = latest.get(key)
            if expected is None:
                report.add(f"The {kind} {record.id} is not in the audit chain.")
            elif record_hash(record) != expected:
                report.add(f"The {kind} {record.id} differs from its last audited version.")
            if isinstance(record, Attachment):
                _attachment(case, record, report)
    for key in latest.keys() - present:
        report.add(f"The {key[0]} {key[1]} is in the audit chain but missing from the file.")
    for kind, record_id, _superseded, _conflict, text in case.records.revision_rows():
        report.revisions_checked += 1
        try:
            data = json.loads(text)
            revision = from_dict(data, BY_KIND[kind])
        except (ValueError, KeyError, RecordFormatError):
            report.add(f"A kept revision of the {kind} {record_id} is unreadable.")
            continue
        if revision.id != record_id or record_hash(revision) not in seen.get((kind, record_id), set()):
            report.add(f"A kept revision of the {kind} {record_id} was never audited.")


def _attachment(case: CaseFile, record: Attachment, report: CheckReport) -> None:
    try:
        case.attachment_bytes(record.id)
    except CaseFileError:
        report.add(f"The attachment {record.id} does not match its recorded hash.")
