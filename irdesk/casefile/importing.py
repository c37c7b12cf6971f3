"""Bringing validated records from an export into a case, by UUID (see docs/JSON.md).

The records come from ``irdesk.interop.jsonimport``, which parsed and checked the file; here
they are written through the same record store as every other change, so the same rules
hold. A record this case has never seen is added; a later edit of what it holds replaces
it; when both sides changed it, this case's version stays current and theirs is kept as a
conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Attachment, Case, Record, Revision


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    revisions: int = 0
    notes: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        text = (f"{self.added} record(s) added, {self.updated} updated, {self.unchanged} already "
                f"present, {self.conflicts} kept as conflicting versions, {self.revisions} earlier "
                "version(s) kept.")
        return " ".join([text, *self.notes])


def import_into(case: CaseFile, records: Sequence[Record], revisions: Sequence[Revision],
                attachments: Mapping[str, bytes], *, source: str, foreign_title: str | None = None
                ) -> ImportSummary:
    """Merge the records (inside the caller's transaction). ``foreign_title`` names the other
    case when the export is of a different case: its case record is not imported."""
    summary = ImportSummary()
    foreign = foreign_title is not None
    if foreign:
        summary.notes.append(f"The export is of another case ({foreign_title!r}); its case record was "
                             "not imported, this case's title and key times stay.")
    for revision in revisions:
        record = revision.record
        if foreign and isinstance(record, Case):
            continue
        if record.rev not in case.records.known_revs(type(record), record.id):
            case.records.put_revision(revision, action="import", source=source)
            summary.revisions += 1
    for record in records:
        if foreign and isinstance(record, Case):
            continue
        _import_record(case, record, revisions, attachments, source, summary)
    return summary


def _import_record(case: CaseFile, record: Record, revisions: Sequence[Revision],
                   attachments: Mapping[str, bytes], source: str, summary: ImportSummary) -> None:
    local = case.records.find(type(record), record.id)
    if local is None:
        case.records.put(record, action="import", source=source, content=attachments.get(record.id))
        summary.added += 1
        return
    if record.rev in case.records.known_revs(type(record), record.id):
        summary.unchanged += 1  # this case holds that version already, or a later one
        return
    ancestors = {r.record.rev for r in revisions if r.record.KIND == record.KIND and r.record.id == record.id}
    same_bytes = not isinstance(record, Attachment) or record.sha256 == getattr(local, "sha256", "")
    if local.rev in ancestors and same_bytes:
        case.records.put(record, action="import", source=source)  # a later edit of what we hold
        summary.updated += 1
        return
    # Both sides changed the record: ours stays current, theirs is kept, marked as a conflict.
    case.records.put_revision(Revision(record, case.clock(), conflict=True), action="import", source=source)
    summary.conflicts += 1
