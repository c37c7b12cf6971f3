"""Salvage: a new case holding only what the audit chain of a damaged case still vouches for.

A damaged case is not a dead end. ``salvage`` reads the case (read-only: not one byte of it
changes) and takes the audit chain up to its first broken link as the truth. A record whose
stored version is the one the chain last committed to is kept as it is; one whose stored
version differs (or that is missing) gets back its newest earlier version the chain vouches
for, if a kept revision has one, and is left out otherwise. Kept revisions, conflict marks,
settlements and attachment bytes are taken only where the chain vouches for them.

The new file keeps the case's identity (colleagues' copies still merge into it) and starts
a chain of its own: a ``salvage`` entry naming the old file's chain head and what was left
out, then every record and revision chained again. It is written beside its final name and
given its name only once it passed the verified reader's whole-case pass (a locked hidden
partial until then, ``CaseFile._create_file``), and never over a case file (``outputs``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

from irdesk.casefile import codec
from irdesk.casefile.chain_index import ChainIndex
from irdesk.casefile.errors import CaseFileError, StorageError, TamperedCase
from irdesk.casefile.outputs import Notice, check_destination
from irdesk.casefile.rows import RevisionRow, StoredRows, row_digest, sort_key_holds
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import RecordFormatError, from_dict
from irdesk.domain.fingerprint import GENESIS
from irdesk.domain.moment import Moment
from irdesk.domain.records import BY_KIND, RECORD_TYPES, Attachment, Case, Record, Revision


@dataclass
class SalvageReport:
    path: str
    fingerprint: str = ""
    records: int = 0  # records in the new case
    revisions: int = 0
    chain_break: int = 0  # the first audit entry not trusted (0: the whole chain holds)
    restored: list[str] = field(default_factory=list)  # given back an earlier, vouched version
    left_out: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        parts = [f"{self.records} record(s) and {self.revisions} earlier version(s) salvaged"]
        if self.restored:
            parts.append(f"{len(self.restored)} record(s) went back to an earlier version the chain vouches for")
        parts.append(f"{len(self.left_out)} thing(s) left out" if self.left_out else "nothing left out")
        return "; ".join(parts) + "."


@dataclass
class _Found:
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)


def _trusted_index(case: CaseFile, report: SalvageReport) -> ChainIndex:
    """The chain up to (not including) its first broken link, as an index."""
    index, prev = ChainIndex(), GENESIS
    for entry in case.chain.entries():
        if entry.seq != index.length + 1 or entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            report.chain_break = index.length + 1
            report.left_out.append(f"The audit chain is broken at entry {index.length + 1}: nothing it says "
                                   "from there on is trusted.")
            break
        index.add(entry.seq, entry.entity, entry.entity_id, entry.record_hash, entry.action, entry.source)
        prev = entry.hash
    return index


def _revision(row: RevisionRow, index: ChainIndex) -> tuple[Revision, bytes] | None:
    cls = BY_KIND.get(row.kind)
    if cls is None or not isinstance(row.json, str):
        return None
    try:
        digest = hashlib.sha256(row.json.encode("utf-8")).digest()
        record = from_dict(json.loads(row.json), cls)
        superseded = Moment.parse(row.superseded)
    except (ValueError, TypeError, AttributeError, RecursionError, RecordFormatError):
        return None
    if (record.id, record.rev) != (row.record_id, row.rev) or not index.vouches(row.kind, record.id, digest):
        return None
    conflict = (row.kind, record.id, record.rev) in index.conflicts
    return Revision(record, superseded, conflict), digest


def _collect(case: CaseFile, index: ChainIndex, report: SalvageReport) -> _Found:
    rows, found = StoredRows(case.db, case.KIND.schema.tables), _Found()
    earlier: dict[tuple[str, str], list[tuple[Revision, bytes]]] = {}
    for kept_row in rows.scan_revisions():
        checked = _revision(kept_row, index)
        if checked is None:
            report.left_out.append(f"A kept version of the {kept_row.kind} {kept_row.record_id} (not vouched for).")
        else:
            earlier.setdefault((kept_row.kind, kept_row.record_id), []).append(checked)
    for cls in RECORD_TYPES:
        for row in rows.scan(cls):
            record = _vouched_record(cls, row, index)
            key: tuple[str, str] = (cls.KIND.value, str(row[0]))
            if record is not None and key not in found.records:
                found.records[key] = record
            elif record is None and index.latest(*key) is None:
                report.left_out.append(f"The {key[0]} {key[1]}: the trusted chain never recorded it.")
        for record_id in index.ids(cls.KIND):
            key = (cls.KIND.value, record_id)
            if key not in found.records:
                _fall_back(key, earlier, found, report)
    for key, record in list(found.records.items()):
        if isinstance(record, Attachment):
            data = rows.attachment_content(record.id)
            if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
                del found.records[key]
                report.left_out.append(f"The attachment {record.id} ({record.name}): its bytes do not match.")
            else:
                found.contents[record.id] = data
    current = {(k, r.id, r.rev) for (k, _), r in found.records.items()}
    for key, kept in earlier.items():
        if key in found.records:
            found.revisions += [rev for rev, _ in kept if (key[0], key[1], rev.record.rev) not in current]
    return found


def _vouched_record(cls: type[Record], row: tuple[object, ...], index: ChainIndex) -> Record | None:
    if row_digest(cls, row) != index.latest(cls.KIND, str(row[0])):
        return None
    if not sort_key_holds(cls, row):
        return None
    try:
        return codec.from_row(cls, row[: len(codec.columns(cls))])
    except CaseFileError:
        return None


def _fall_back(key: tuple[str, str], earlier: dict[tuple[str, str], list[tuple[Revision, bytes]]],
               found: _Found, report: SalvageReport) -> None:
    """The newest earlier version the chain vouches for stands in for a record that differs."""
    kept = earlier.get(key, [])
    if not kept:
        report.left_out.append(f"The {key[0]} {key[1]}: no version of it that the chain vouches for is left.")
        return
    revision, _digest = max(kept, key=lambda item: (item[0].superseded.utc, item[0].record.updated.utc))
    found.records[key] = revision.record
    report.restored.append(f"The {key[0]} {key[1]} went back to its earlier version, replaced "
                           f"{revision.superseded.display()}: the stored one is not vouched for.")


def salvage(case: CaseFile, target: str, passphrase: str, *, replace: bool = False,
            notice: Notice | None = None) -> SalvageReport:
    """Write the vouched-for part of ``case`` as a new case at ``target``.

    The new case is filled under a locked hidden partial and given its name only when complete
    (``CaseFile._create_file``): a kill leaves no half-made case. It never lands on a case file
    (``case`` itself included); another existing file is replaced only with ``replace``.

    Raises:
        OverCaseFile: ``target`` is the case, or another case file.
        OutputExists: ``target`` exists and ``replace`` is false.
        TamperedCase: not even the case record can be vouched for.
    """
    target = os.path.abspath(target)
    check_destination(target, protect=(case.path,), replace=replace)
    report = SalvageReport(target)
    with case.snapshot():
        index = _trusted_index(case, report)
        found = _collect(case, index, report)
    case_record = found.records.get(("case", case.case_id))
    if not isinstance(case_record, Case):
        raise TamperedCase(f"No version of the case record of {case.path} is vouched for by its audit chain; "
                           "there is nothing to salvage.")
    source = (f"salvaged from {os.path.basename(case.path)} at chain head {case.chain_head}: "
              f"{len(report.left_out)} left out, {len(report.restored)} restored to an earlier version")

    def fill(new: CaseFile) -> None:
        new._adopt_identity(case_record.id)
        new.chain.append(action="salvage", entity="file", entity_id=case_record.id, source=source)
        for record in found.records.values():
            new.records.put(record, action="salvage", content=found.contents.get(record.id), as_is=True)
        for revision in found.revisions:
            new.records.put_revision(revision, action="salvage", as_is=True)
        new.records.verify_all()

    try:
        new = CaseFile._create_file(target, passphrase, actor=case.actor, clock=case.clock, fill=fill,
                                    notice=notice, replace=replace)
    except OSError as exc:
        raise StorageError(f"The salvaged case could not be written to {target}: {exc.strerror or exc}.") from None
    try:
        report.fingerprint = new.fingerprint()
        report.records, report.revisions = len(found.records), len(found.revisions)
    finally:
        new.close()
    return report

