"""``CaseFile``: one open case, and the small named operations that read and change it.

The layers of the class: ``core.CaseFileCore`` (open, transactions, the audit chain),
``records.RecordStore`` (generic records and revisions), ``notes.NoteQueries`` (notes and
search), and here the case record, evidence, attachments and contacts.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from typing import Any

from irdesk.casefile import schema
from irdesk.casefile.errors import CorruptCase, NotAllowed
from irdesk.casefile.notes import NoteFilter, NoteQueries, SearchHit, fts_query
from irdesk.domain.enums import CaseStatus
from irdesk.domain.records import ActionItem, Attachment, Case, Contact, CustodyEvent, Engagement

__all__ = ["ATTACHMENT_LIMIT", "CaseFile", "NoteFilter", "SearchHit", "fts_query"]

ATTACHMENT_LIMIT = 16 * 1024 * 1024  # larger evidence is referenced by path and hash


class CaseFile(NoteQueries):
    """An open, unlocked case. Use ``CaseFile.create`` or ``CaseFile.open``; close when done."""

    def case(self) -> Case:
        return self.get(Case, self.case_id)

    def update_case(self, **changes: Any) -> Case:
        """Change the case record; closing is refused while action items are unsettled."""
        if changes.get("status") == CaseStatus.CLOSED:
            blockers = self.closing_blockers()
            if blockers:
                names = "; ".join(f"“{a.title}” ({a.status.value})" for a in blockers[:5])
                raise NotAllowed(
                    f"The case cannot be closed while {len(blockers)} action item(s) are neither "
                    f"tested nor waived: {names}."
                )
            if "closed_at" not in changes and self.case().closed_at is None:
                changes["closed_at"] = self.clock()
        return self.update(Case, self.case_id, **changes)

    def closing_blockers(self) -> list[ActionItem]:
        return [a for a in self.all(ActionItem) if not a.status.settled]

    def custody_for(self, evidence_id: str) -> list[CustodyEvent]:
        events = self._select(CustodyEvent, where="evidence_id = ?", params=(evidence_id,))
        return sorted(events, key=lambda e: e.at.utc)

    def attach(self, name: str, data: bytes, *, media_type: str = "application/octet-stream") -> Attachment:
        """Store a small file encrypted inside the case."""
        if len(data) > ATTACHMENT_LIMIT:
            raise NotAllowed(
                f"The file is {len(data) // (1024 * 1024)} MiB; files over "
                f"{ATTACHMENT_LIMIT // (1024 * 1024)} MiB are referenced by path and hash instead."
            )
        record = self._stamp_new(Attachment, name=os.path.basename(name) or "attachment",
                                 media_type=media_type, size=len(data),
                                 sha256=hashlib.sha256(data).hexdigest())
        with self.transaction():
            self._store(record, "create", content=data)
        return record

    def attachment_bytes(self, attachment_id: str) -> bytes:
        """The attachment's bytes, checked against its recorded SHA-256."""
        record = self.get(Attachment, attachment_id)
        data = self._scalar("SELECT content FROM attachments WHERE id = ?", (attachment_id,))
        if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
            raise CorruptCase(f"The attachment {record.name} does not match its recorded hash.")
        return bytes(data)

    def engagements_for(self, contact_id: str) -> list[Engagement]:
        found = self._select(Engagement, where="contact_id = ?", params=(contact_id,))
        return sorted(found, key=lambda e: e.needed_at.utc)

    def stale_contacts(self, max_age_days: int, today: date | None = None) -> list[Contact]:
        today = today or self.clock().local.date()
        return [c for c in self.all(Contact)
                if c.last_verified is None or (today - c.last_verified).days > max_age_days]

    def counts(self) -> dict[str, int]:
        """Live records of each kind."""
        return {kind: int(self._scalar(f"SELECT count(*) FROM {table} WHERE deleted = 0"))
                for kind, table in schema.TABLES.items()}

