"""Operations that work the same on any record: deleting one, and the smaller kinds
(readiness checklist, indicators, the record of an issued report)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.operations.base import operation
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack as attack_catalogue
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.indicators import Candidate, candidates, normalise
from irdesk.domain.moment import Moment
from irdesk.domain.records import ChecklistItem, Indicator, Note, Record, RecordId, ReportIssue, new_id

R = TypeVar("R", bound=Record)


@operation
def delete(case: EncryptedFile, cls: type[R], record_id: str) -> R:
    """Tombstone a record (in a case or a book): it stays, marked deleted, so copies can merge the
    deletion."""
    return case.records.revise(cls, record_id, deleted=True)


@operation
def add_checklist_items(case: EncryptedFile, texts: Sequence[str], *, done: bool = False) -> list[ChecklistItem]:
    """Items at the end of the readiness checklist, in the order given."""
    start = max((i.position for i in case.records.all(ChecklistItem)), default=-1) + 1
    return [case.records.create(ChecklistItem, text=text, done=done, position=start + n)
            for n, text in enumerate(texts)]


@operation
def edit_checklist_item(case: EncryptedFile, item_id: str, **changes: Any) -> ChecklistItem:
    return case.records.revise(ChecklistItem, item_id, **changes)


@operation
def add_indicator(case: CaseFile, kind: IndicatorKind, value: str, *, description: str = "",
                  source_note_id: str | None = None, first_seen: Moment | None = None,
                  attack: Sequence[str] = ()) -> Indicator:
    """An indicator, its value checked and written the usual way for its kind; one found in a
    note was first seen when the note occurred, unless ``first_seen`` says otherwise."""
    try:
        value = normalise(kind, value)
    except ValueError as exc:
        raise NotAllowed(str(exc)) from None
    techniques, _ = attack_catalogue.check_entered(attack)  # ATT&CK ids: unknown/revoked refused
    if source_note_id:
        note = case.records.get(Note, source_note_id)
        first_seen = first_seen or note.occurred
    return case.records.create(Indicator, kind=kind, value=value, description=description,
                               source_note_id=RecordId(source_note_id) if source_note_id else None,
                               first_seen=first_seen, attack=techniques)


@dataclass(frozen=True)
class IncomingIndicator:
    """An indicator from another tool's file (MISP): its id there, if it is a UUID."""

    uid: str | None
    kind: IndicatorKind
    value: str
    description: str = ""
    first_seen: Moment | None = None
    attack: tuple[str, ...] = ()  # kept as given, even ids the shipped catalogue doesn't know


@dataclass
class IndicatorImport:
    added: int = 0
    unchanged: int = 0  # already recorded: the same id, or the same kind and value
    skipped: dict[str, int] = field(default_factory=dict)  # the file's type -> how many
    unknown_techniques: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        text = f"{self.added} indicator(s) added, {self.unchanged} already recorded"
        if self.skipped:
            kinds = ", ".join(f"{n} {name}" for name, n in sorted(self.skipped.items()))
            text += f"; {sum(self.skipped.values())} attribute(s) skipped with no indicator kind ({kinds})"
        if self.unknown_techniques:
            text += ("; kept ATT&CK ids the shipped catalogue doesn't know: "
                     + ", ".join(self.unknown_techniques))
        return text + "."


@operation
def import_indicators(case: CaseFile, incoming: Sequence[IncomingIndicator], *, source: str) -> IndicatorImport:
    """Add each indicator not yet recorded (by id, else by kind and value), audited as ``import``."""
    summary = IndicatorImport()
    known = {(i.kind, i.value) for i in case.records.all(Indicator)}
    for item in incoming:
        attack = tuple(dict.fromkeys(attack_catalogue.normalise(t) for t in item.attack))
        if (item.kind, item.value) in known or (item.uid and case.records.find(Indicator, item.uid)):
            summary.unchanged += 1
            continue
        known.add((item.kind, item.value))
        now = case.clock()
        record = Indicator(id=RecordId(item.uid) if item.uid else new_id(), rev=str(uuid.uuid4()),
                           parent_rev=None, created=now, updated=now, author=case.actor,
                           kind=item.kind, value=item.value, description=item.description,
                           first_seen=item.first_seen, attack=attack)
        case.records.put(record, action="import", source=source)
        summary.added += 1
        for technique in attack_catalogue.unknown(attack):
            if technique not in summary.unknown_techniques:
                summary.unknown_techniques.append(technique)
    return summary


@operation
def edit_indicator(case: CaseFile, indicator_id: str, **changes: Any) -> Indicator:
    """Change an indicator; a new value is checked and written the usual way for its kind."""
    current = case.records.get(Indicator, indicator_id)
    if "value" in changes or "kind" in changes:
        kind = changes.get("kind", current.kind)
        try:
            changes["value"] = normalise(kind, changes.get("value", current.value))
        except ValueError as exc:
            raise NotAllowed(str(exc)) from None
    if "attack" in changes:  # as for a note: ids already on it stay as they are; new ones are checked
        given = [attack_catalogue.normalise(i) for i in changes["attack"]]
        entered, _ = attack_catalogue.check_entered(i for i in given if i not in current.attack)
        changes["attack"] = tuple(dict.fromkeys([i for i in given if i in current.attack] + list(entered)))
    return case.records.revise(Indicator, indicator_id, **changes)


def indicator_candidates(case: CaseFile) -> list[tuple[Candidate, Note]]:
    """Indicator-like values in live notes that are not recorded yet, each once (reads only)."""
    known = {(i.kind, i.value) for i in case.records.all(Indicator)}
    found = []
    for note in case.records.iter_all(Note):
        if note.deleted:
            continue
        for candidate in candidates(note.body):
            if (candidate.kind, candidate.value) not in known:
                known.add((candidate.kind, candidate.value))
                found.append((candidate, note))
    return found


@operation
def add_found_indicators(case: CaseFile, found: Sequence[tuple[Candidate, Note]]) -> list[Indicator]:
    return [case.records.create(Indicator, kind=c.kind, value=c.value, source_note_id=note.id,
                                first_seen=note.occurred, description="Found in a note")
            for c, note in found]


@operation
def record_report(case: EncryptedFile, report_id: str, chain_head: str, *, signer_name: str = "",
                  signer_fingerprint: str = "", signed: bool = False) -> ReportIssue:
    """The file's record that it issued a report (what ``verify --case`` looks for; in a book, a
    programme report, what ``verify --book`` looks for)."""
    return case.records.create(ReportIssue, report_id=report_id, chain_head=chain_head,
                               signer_name=signer_name, signer_fingerprint=signer_fingerprint, signed=signed)
