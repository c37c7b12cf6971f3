"""One time axis over the whole case, in SQL: notes, key times, engagement steps, evidence
requests and arrivals, custody events and indicators first seen.

Every dated thing in the case is an *entry*: a (time, kind rank, seq, step) key selected by
one ``UNION ALL`` whose arms each read one table, so counts, pages and per-interval counts
run in SQLite and a 100,000-note case is never loaded into Python. A page selects only keys;
its records are then read through the verified reader (``VerifiedReader.select``), so an
entry is shown only for a record the audit chain vouches for.

Times are compared as UTC text (``2026-11-28T01:35:00.000000Z``): notes keep that key in
``occurred_utc`` (indexed); the other kinds' stored times carry their offset and are
converted in the query (those tables are small).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from irdesk.casefile.database import Database
from irdesk.casefile.notes import TAG_CLAUSE, fts_query
from irdesk.casefile.reader import VerifiedReader
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import (
    KEY_TIMES,
    Case,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Record,
)


class EntryKind(StrEnum):
    """What a timeline entry is; the value is also its rank among entries at the same instant."""

    NOTE = "note"
    KEY_TIME = "key-time"
    ENGAGEMENT = "engagement"
    EVIDENCE = "evidence"
    CUSTODY = "custody"
    INDICATOR = "indicator"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EntryKind.NOTE: "Notes",
    EntryKind.KEY_TIME: "Key times",
    EntryKind.ENGAGEMENT: "Engagement steps",
    EntryKind.EVIDENCE: "Evidence requested and collected",
    EntryKind.CUSTODY: "Custody events",
    EntryKind.INDICATOR: "Indicators first seen",
}
RANK = {kind: rank for rank, kind in enumerate(EntryKind)}
KIND_OF_RANK = dict(enumerate(EntryKind))
RECORD_TYPE: dict[EntryKind, type[Record]] = {
    EntryKind.NOTE: Note, EntryKind.KEY_TIME: Case, EntryKind.ENGAGEMENT: Engagement,
    EntryKind.EVIDENCE: Evidence, EntryKind.CUSTODY: CustodyEvent, EntryKind.INDICATOR: Indicator,
}
KEY_TIME_PHASE = {
    "first_activity_at": Phase.DETECTION, "detected_at": Phase.DETECTION, "reported_at": Phase.DETECTION,
    "contained_at": Phase.CONTAINMENT, "eradicated_at": Phase.CONTAINMENT, "recovered_at": Phase.CONTAINMENT,
    "closed_at": Phase.POST_INCIDENT,
}
ENGAGEMENT_STEPS = ("needed_at", "first_attempt_at", "reached_at", "resolved_at")
EVIDENCE_STEPS = ("requested_at", "collected_at")
ALL_KINDS = frozenset(EntryKind)


@dataclass(frozen=True)
class TimelineFilter:
    """What the timeline shows. ``phase``, a gap, a tag and an indicator narrow the notes;
    kinds that have no such property are left out while one is chosen (key times keep their
    phase: "detected" belongs to Detection & Analysis)."""

    kinds: frozenset[EntryKind] = ALL_KINDS
    phase: Phase | None = None
    gap: Gap | None = None
    gaps_only: bool = False
    tag: str = ""
    indicator_id: str = ""
    attack: tuple[str, ...] = ()  # notes tagged with any of these ATT&CK ids (a technique, or a tactic's)

    @property
    def notes_only(self) -> bool:
        return bool(self.gap is not None or self.gaps_only or self.tag or self.attack)


@dataclass(frozen=True, order=True)
class EntryKey:
    """Where an entry sits on the axis: UTC time text, kind rank, the record's seq, the step."""

    at: str
    rank: int
    seq: int
    step: str


@dataclass(frozen=True)
class Entry:
    """One dated thing: the record it belongs to and which of its times (``step``) this is."""

    key: EntryKey
    kind: EntryKind
    record: Record
    step: str  # the field holding the time ("" for a note, whose time is ``occurred``)
    at: Moment
    written: Moment | None = None  # when the record was written, for a record with one time
    tags: tuple[str, ...] = field(default=())


def utc_text(moment: Moment | datetime) -> str:
    """The sortable UTC text the queries compare (as ``codec.utc_key``)."""
    utc = moment.utc if isinstance(moment, Moment) else moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _utc(column: str) -> str:
    # SQLite keeps milliseconds; pad to the notes' microsecond text so the two sort together
    return f"(strftime('%Y-%m-%dT%H:%M:%f', {column}) || '000Z')"


class TimelineQueries:
    """Counts, pages and per-interval counts of the case's timeline, all in SQL."""

    def __init__(self, db: Database, reader: VerifiedReader) -> None:
        self._db, self._reader = db, reader

    # ------------------------------------------------------------ the union
    def _arms(self, f: TimelineFilter, time_clause: str = "", interval: Sequence[str] = ()
              ) -> tuple[list[str], list[Any]]:
        """One SELECT per dated column: (at, rank, seq, step); ``time_clause`` (``{t}`` stands
        for the arm's time, ``interval`` are its parameters) narrows each arm to an interval."""
        arms: list[str] = []
        params: list[Any] = []
        chosen = f.kinds
        indicator = self._indicator(f.indicator_id) if f.indicator_id else None

        def arm(sql_time: str, rank: int, table: str, step: str, where: list[str],
                arm_params: Sequence[Any]) -> None:
            clauses = ["n.deleted = 0", *where]
            if time_clause:
                clauses.append(time_clause.format(t=sql_time))
            arms.append(f"SELECT {sql_time} AS at, {rank} AS rank, seq, '{step}' AS step "
                        f"FROM {table} n WHERE {' AND '.join(clauses)}")
            params.extend(arm_params)
            if time_clause:
                params.extend(interval)

        if EntryKind.NOTE in chosen:
            where, note_params = [], []
            if f.phase is not None:
                where.append("n.phase = ?")
                note_params.append(f.phase.value)
            # Gaps and ids are looked up in their own indexes and the time index is walked,
            # so nothing reads a note's row ("+": test the seq, never fetch rows by it).
            if f.gap is not None:
                where.append("+n.seq IN (SELECT seq FROM notes WHERE gap = ?)")
                note_params.append(f.gap.value)
            elif f.gaps_only:
                where.append("+n.seq IN (SELECT seq FROM notes WHERE gap IS NOT NULL)")
            if f.tag:
                where.append(TAG_CLAUSE)
                note_params.append(f.tag)
            if f.attack:
                marks = ", ".join("?" * len(f.attack))
                where.append("n.attack != '[]' AND EXISTS "
                             f"(SELECT 1 FROM json_each(n.attack) WHERE value IN ({marks}))")
                note_params.extend(f.attack)
            if f.indicator_id:
                match = fts_query(indicator.value) if indicator else ""
                if indicator is None:
                    where.append("0")
                else:
                    where.append("(+n.seq IN (SELECT seq FROM notes WHERE id = ?)"
                                 " OR +n.seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?))")
                    note_params += [indicator.source_note_id or "", match or '""']
            arm("n.occurred_utc", RANK[EntryKind.NOTE], "notes", "", where, note_params)
        if f.notes_only:
            return arms, params
        if f.indicator_id:
            if EntryKind.INDICATOR in chosen:
                arm(_utc("n.first_seen"), RANK[EntryKind.INDICATOR], "indicators", "first_seen",
                    ["n.first_seen IS NOT NULL", "n.id = ?"], [f.indicator_id])
            return arms, params
        if EntryKind.KEY_TIME in chosen:
            for step in KEY_TIMES:
                if f.phase is None or KEY_TIME_PHASE[step] is f.phase:
                    arm(_utc(f"n.{step}"), RANK[EntryKind.KEY_TIME], "cases", step, [f"n.{step} IS NOT NULL"], [])
        if f.phase is not None:
            return arms, params
        steps = ((EntryKind.ENGAGEMENT, "engagements", ENGAGEMENT_STEPS),
                 (EntryKind.EVIDENCE, "evidence", EVIDENCE_STEPS),
                 (EntryKind.CUSTODY, "custody_events", ("at",)),
                 (EntryKind.INDICATOR, "indicators", ("first_seen",)))
        for kind, table, columns in steps:
            if kind in chosen:
                for step in columns:
                    arm(_utc(f"n.{step}"), RANK[kind], table, step, [f"n.{step} IS NOT NULL"], [])
        return arms, params

    def _indicator(self, indicator_id: str) -> Indicator | None:
        found = self._reader.find(Indicator, indicator_id)
        return found if found is not None and not found.deleted else None

    def _union(self, f: TimelineFilter, time_clause: str = "", interval: tuple[str, ...] = ()
               ) -> tuple[str, list[Any]]:
        arms, params = self._arms(f, time_clause, interval)
        if not arms:
            return "SELECT '' AS at, 0 AS rank, 0 AS seq, '' AS step WHERE 0", params
        return " UNION ALL ".join(arms), params

    # ------------------------------------------------------------ reads
    def count(self, f: TimelineFilter = TimelineFilter()) -> int:
        union, params = self._union(f)
        return int(self._db.scalar(f"SELECT count(*) FROM ({union})", params))

    def keys(self, f: TimelineFilter = TimelineFilter(), *, offset: int = 0, limit: int = 200,
             total: int | None = None) -> list[EntryKey]:
        """The keys of one window of entries, oldest first.

        ``total`` (the filter's ``count``): a window nearer the end is read backwards from the
        end, so the latest entries of a 100,000-note case cost what the first ones do."""
        union, params = self._union(f)
        order = "at, rank, seq, step"
        if total is not None and offset > total // 2:
            from_end = total - offset - limit
            if from_end < 0:
                limit, from_end = limit + from_end, 0
            if limit <= 0:
                return []
            rows = self._db.query(f"{union} ORDER BY at DESC, rank DESC, seq DESC, step DESC LIMIT ? OFFSET ?",
                                  (*params, limit, from_end))
            rows.reverse()
        else:
            rows = self._db.query(f"{union} ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
        return [EntryKey(str(at), int(rank), int(seq), str(step)) for at, rank, seq, step in rows]

    def page(self, f: TimelineFilter = TimelineFilter(), *, offset: int = 0, limit: int = 200) -> list[Entry]:
        """One window of entries, oldest first, their records read verified (one that fails is
        left out by a tolerant reader, refused by a strict one)."""
        return self.entries(self.keys(f, offset=offset, limit=limit))

    def entries(self, keys: Sequence[EntryKey]) -> list[Entry]:
        by_kind: dict[EntryKind, list[int]] = {}
        for key in keys:
            by_kind.setdefault(KIND_OF_RANK[key.rank], []).append(key.seq)
        records: dict[tuple[EntryKind, int], Record] = {}
        for kind, seqs in by_kind.items():
            cls = RECORD_TYPE[kind]
            unique = sorted(set(seqs))
            marks = ", ".join("?" * len(unique))
            # the keys are of live records already; "deleted = 0" here would walk an index
            found = self._reader.select(cls, where=f"seq IN ({marks})", params=unique, include_deleted=True)
            seq_of = dict(self._db.query(
                f"SELECT id, seq FROM {_TABLES[kind]} WHERE seq IN ({marks})", unique))
            for record in found:
                if not record.deleted:  # deleted since the keys were read
                    records[(kind, int(seq_of[record.id]))] = record
        entries = []
        for key in keys:
            kind = KIND_OF_RANK[key.rank]
            kept = records.get((kind, key.seq))
            if kept is None:
                continue  # the chain does not vouch for it: the reader said so already
            entries.append(_entry(key, kind, kept))
        return entries

    def row_at(self, f: TimelineFilter, at: Moment | datetime) -> int:
        """How many entries come before ``at``: the row of the first entry at or after it."""
        union, params = self._union(f, "{t} < ?", (utc_text(at),))
        return int(self._db.scalar(f"SELECT count(*) FROM ({union})", params))

    def counts(self, f: TimelineFilter, edges: Sequence[datetime]) -> list[tuple[int, int]]:
        """(entries, gap notes) in each interval between consecutive ``edges``.

        Notes are counted per interval over their time index (never a row per note into
        Python); gap notes and the other kinds are few, so their times are read once and
        counted here."""
        texts = [utc_text(edge) for edge in edges]
        if len(texts) < 2:
            return []
        notes_f = replace(f, kinds=f.kinds & {EntryKind.NOTE})
        others_f = replace(f, kinds=f.kinds - {EntryKind.NOTE})
        first, last = texts[0], texts[-1]
        others = sorted(str(row[0]) for row in self._db.query(*self._between(others_f, first, last)))
        gaps: list[str] = []
        if notes_f.kinds:
            gap_f = replace(notes_f, gaps_only=notes_f.gap is None)
            gaps = sorted(str(row[0]) for row in self._db.query(*self._between(gap_f, first, last)))
        result = []
        for start, end in zip(texts, texts[1:], strict=False):
            rest = bisect.bisect_left(others, end) - bisect.bisect_left(others, start)
            gap_count = bisect.bisect_left(gaps, end) - bisect.bisect_left(gaps, start)
            if not notes_f.kinds:
                notes = 0
            elif notes_f.gap is not None or notes_f.gaps_only:
                notes = gap_count  # the notes shown are the gaps: counted already
            else:
                notes = int(self._db.scalar(*self._count_sql(notes_f, start, end)))
            result.append((notes + rest, gap_count))
        return result

    def _between(self, f: TimelineFilter, start: str, end: str) -> tuple[str, list[Any]]:
        return self._union(f, "{t} >= ? AND {t} < ?", (start, end))

    def _count_sql(self, f: TimelineFilter, start: str, end: str) -> tuple[str, list[Any]]:
        union, params = self._between(f, start, end)
        return f"SELECT count(*) FROM ({union})", params

    def span(self, f: TimelineFilter = TimelineFilter()) -> tuple[datetime, datetime] | None:
        """The first and last entry's time, or None for an empty timeline."""
        union, params = self._union(f)
        first = self._db.scalar(f"{union} ORDER BY at, rank, seq, step LIMIT 1", params)
        if first is None:
            return None
        last = self._db.scalar(f"{union} ORDER BY at DESC, rank DESC, seq DESC, step DESC LIMIT 1", params)
        return _parse_utc(str(first)), _parse_utc(str(last))

    def tags(self) -> list[str]:
        """Every tag on a live note, sorted, read from notes the chain vouches for: one note per
        distinct set of tags, so a case of 100,000 notes reads a handful."""
        rows = self._reader.select(Note, where="tags != '[]' AND seq IN (SELECT max(seq) FROM notes "
                                   "WHERE deleted = 0 AND tags != '[]' GROUP BY tags)")
        found = {tag for note in rows for tag in note.tags}
        return sorted(found, key=str.casefold)


_TABLES = {EntryKind.NOTE: "notes", EntryKind.KEY_TIME: "cases", EntryKind.ENGAGEMENT: "engagements",
           EntryKind.EVIDENCE: "evidence", EntryKind.CUSTODY: "custody_events", EntryKind.INDICATOR: "indicators"}


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _entry(key: EntryKey, kind: EntryKind, record: Record) -> Entry:
    if isinstance(record, Note):
        return Entry(key, kind, record, "", record.occurred, record.created, record.tags)
    at = getattr(record, key.step)
    written = record.created if kind in (EntryKind.CUSTODY, EntryKind.INDICATOR) else None
    return Entry(key, kind, record, key.step, at, written)
