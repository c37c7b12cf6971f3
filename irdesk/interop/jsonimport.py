"""Reading our own JSON export back: strict validation, then a merge by UUID or a restore.

An export is untrusted input. Every record goes through ``from_dict`` (unknown kinds and
fields refused), every attachment is checked against its recorded size and SHA-256, and
the audit chain, when present, must link from its first entry to the header's head and
name each record's current version. Nothing is written until all of it holds, and then
everything is written in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from irdesk.casefile import audit
from irdesk.casefile import operations as ops
from irdesk.casefile.chain_index import ChainIndex, digest_of
from irdesk.casefile.changes import Done
from irdesk.casefile.importing import ImportSummary
from irdesk.casefile.outputs import Notice
from irdesk.casefile.store import ATTACHMENT_LIMIT, CaseFile
from irdesk.domain.canonical import RecordFormatError, canonical_json, from_dict, record_hash
from irdesk.domain.errors import BadInput
from irdesk.domain.indicators import normalise
from irdesk.domain.moment import Moment
from irdesk.domain.records import BY_KIND, Attachment, Case, Indicator, Record, Revision
from irdesk.interop.jsonfmt import FORMAT_NAME, FORMAT_VERSION


@dataclass
class Export:
    """A validated JSON export, ready to write."""

    case_id: str
    chain_head: str
    records: list[Record]
    revisions: list[Revision]
    attachments: dict[str, bytes]
    chain: list[audit.AuditEntry]

    @property
    def case(self) -> Case:
        return next(r for r in self.records if isinstance(r, Case) and r.id == self.case_id)


def load_export(stream: IO[bytes]) -> Export:
    """Parse and validate an export; raises BadInput with the first problem found."""
    try:
        data = json.load(stream)
    except UnicodeDecodeError:
        raise BadInput("The file is not UTF-8 text, so it is not an irdesk JSON export.") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno})."
                       ) from None
    except (ValueError, RecursionError):
        raise BadInput("The file is not valid JSON.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise BadInput("The file is JSON, but not an irdesk case export.")
    try:
        canonical_json(data)  # what every record and audit entry is hashed as: it must encode
    except TypeError:
        raise BadInput("The export holds text that is not valid Unicode, a number too large for a case "
                       "file, or values nested too deeply.") from None
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadInput("The export has no valid format_version.")
    if version > FORMAT_VERSION:
        raise BadInput(f"The export is format {version}, written by a newer irdesk; update irdesk.")
    case_id = _string(data.get("case_id"), "case_id")
    records = _records(_list(data.get("records"), "records"))
    index: dict[tuple[str, str], Record] = {(r.KIND, r.id): r for r in records}
    if len(index) != len(records):
        raise BadInput("The export holds the same record twice.")
    case = index.get((Case.KIND, case_id))
    if case is None:
        raise BadInput("The export does not hold its own case record.")
    if sum(isinstance(r, Case) for r in records) != 1:
        raise BadInput("The export holds more than one case record.")
    revisions = _revisions(_list(data.get("revisions", []), "revisions"), index)
    attachments = _attachments(data.get("attachments", {}), records)
    chain = _chain(data.get("audit", []), data, records, revisions)
    return Export(case_id, str(data.get("chain_head", "")), records, revisions, attachments, chain)


def _string(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise BadInput(f"The export's {name} is missing or not text.")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadInput(f"The export's {name} must be a list.")
    return value


def _record(data: Any, where: str) -> Record:
    try:
        record: Record = from_dict(data)
    except RecordFormatError as exc:
        raise BadInput(f"{where}: {exc}.") from None
    try:
        uuid.UUID(record.id)
    except (ValueError, AttributeError, TypeError):
        raise BadInput(f"{where}: the id {record.id!r} is not a UUID.") from None
    if not isinstance(record.rev, str) or not record.rev:
        raise BadInput(f"{where}: the revision id is empty.")
    if isinstance(record, Indicator):
        try:
            normalise(record.kind, record.value)
        except ValueError as exc:
            raise BadInput(f"{where}: {exc}") from None
    return record


def _records(items: list[Any]) -> list[Record]:
    return [_record(item, f"Record {n + 1}") for n, item in enumerate(items)]


def _revisions(items: list[Any], index: dict[tuple[str, str], Record]) -> list[Revision]:
    result = []
    for n, item in enumerate(items):
        where = f"Earlier version {n + 1}"
        if not isinstance(item, dict) or set(item) != {"superseded", "conflict", "record"}:
            raise BadInput(f"{where}: needs exactly superseded, conflict and record.")
        record = _record(item["record"], where)
        if (record.KIND, record.id) not in index:
            raise BadInput(f"{where} belongs to a record the export does not hold.")
        if not isinstance(item["conflict"], bool) or not isinstance(item["superseded"], str):
            raise BadInput(f"{where}: conflict must be true or false and superseded a time.")
        try:
            superseded = Moment.parse(item["superseded"])
        except ValueError:
            raise BadInput(f"{where}: superseded is not an ISO 8601 time.") from None
        result.append(Revision(record, superseded, item["conflict"]))
    return result


def _attachments(value: Any, records: list[Record]) -> dict[str, bytes]:
    if not isinstance(value, dict):
        raise BadInput("The export's attachments must be an object.")
    wanted = {r.id: r for r in records if isinstance(r, Attachment)}
    if set(value) != set(wanted):
        raise BadInput("The export's attachment contents do not match its attachment records.")
    result = {}
    for attachment_id, text in value.items():
        record = wanted[attachment_id]
        if not isinstance(text, str) or len(text) > ATTACHMENT_LIMIT * 2:
            raise BadInput(f"The content of the attachment {record.name} is not base64 text.")
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise BadInput(f"The content of the attachment {record.name} is not base64.") from None
        if len(data) != record.size or hashlib.sha256(data).hexdigest() != record.sha256:
            raise BadInput(f"The attachment {record.name} does not match its recorded hash.")
        result[attachment_id] = data
    return result


def _chain(value: Any, data: dict[str, Any], records: list[Record],
           revisions: list[Revision]) -> list[audit.AuditEntry]:
    items = _list(value, "audit")
    columns = data.get("audit_columns")
    if columns is not None and (not isinstance(columns, list) or set(columns) != set(audit.COLUMNS)
                                or len(columns) != len(audit.COLUMNS)):
        raise BadInput("The export's audit_columns are not those of an audit chain.")
    entries = []
    for n, item in enumerate(items):
        if columns is not None and isinstance(item, list) and len(item) == len(columns):
            item = dict(zip(columns, item, strict=True))  # entries as rows (the usual form)
        if not isinstance(item, dict) or set(item) != set(audit.COLUMNS):
            raise BadInput(f"Audit entry {n + 1} of the export is malformed.")
        ok = isinstance(item["seq"], int) and not isinstance(item["seq"], bool)
        if not ok or not all(isinstance(item[c], str) for c in audit.COLUMNS if c != "seq"):
            raise BadInput(f"Audit entry {n + 1} of the export is malformed.")
        entries.append(audit.AuditEntry(**{c: item[c] for c in audit.COLUMNS}))
    if not entries:
        return []
    problems = audit.chain_problems(entries, limit=1)
    if problems:
        raise BadInput(f"The export's audit chain is broken: {problems[0]}")
    if entries[-1].hash != data.get("chain_head") or entries[-1].seq != data.get("chain_length"):
        raise BadInput("The export's audit chain does not end at the head its header names.")
    index = ChainIndex()
    for entry in entries:
        index.add(entry.seq, entry.entity, entry.entity_id, entry.record_hash, entry.action, entry.source)
    changed = "the file was changed after it was exported"
    present: dict[str, set[str]] = {}
    for record in records:
        present.setdefault(record.KIND, set()).add(record.id)
        if index.latest(record.KIND, record.id) != digest_of(record_hash(record)):
            raise BadInput(f"The {record.KIND} {record.id} in the export differs from its audit chain: {changed}.")
    for kind in BY_KIND:
        missing = index.ids(kind) - present.get(kind, set())
        if missing:
            raise BadInput(f"The {kind} {min(missing)} is in the export's audit chain but not in the export: "
                           f"{changed}.")
    kept: dict[tuple[str, str], set[bytes]] = {}
    for revision in revisions:
        r = revision.record
        digest = digest_of(record_hash(r))
        if not index.vouches(r.KIND, r.id, digest):
            raise BadInput(f"An earlier version of the {r.KIND} {r.id} in the export was never audited: {changed}.")
        kept.setdefault((r.KIND, r.id), set()).add(digest)
    for key in set(kept) | set(index.edited()):
        if kept.get(key, set()) != index.earlier(*key):
            raise BadInput(f"Earlier versions of the {key[0]} {key[1]} are missing from the export: {changed}.")
    return entries


# ---------------------------------------------------------------- writing


def source_label(path: str, export: Export) -> str:
    """What the audit chain records as the origin of imported changes."""
    return f"json {os.path.basename(path)} (case {export.case_id}, chain {export.chain_head})"


def merge_export(case: CaseFile, export: Export, *, source: str) -> Done[ImportSummary]:
    """Merge an export into an open case by UUID, in one operation (see docs/JSON.md)."""
    foreign = None if export.case_id == case.case_id else export.case.title
    return ops.import_records(case, export.records, export.revisions, export.attachments, source=source,
                              foreign_title=foreign)


def restore_export(path: str, passphrase: str, export: Export, *, actor: str, source: str,
                   clock: Callable[[], Moment] = Moment.now, notice: Notice | None = None) -> CaseFile:
    """Create a new case file holding exactly the exported case, its chain continued.

    The file is filled under a hidden partial name and appears only when complete.
    """

    def fill(case: CaseFile) -> None:  # a new, empty file: every record is simply added
        for revision in export.revisions:
            case.records.put_revision(revision, action="import", source=source, as_is=True)
        for record in export.records:
            if isinstance(record, Case):
                continue  # restore() wrote it first
            case.records.put(record, action="import", source=source, content=export.attachments.get(record.id),
                             as_is=True)

    return CaseFile.restore(path, passphrase, case=export.case, chain=export.chain, actor=actor,
                            source=source, fill=fill, clock=clock, notice=notice)
