"""Finding notes fast: filters, paging and full-text search, all in SQL, every note verified.

The queries select the stored rows; the verified reader turns them into notes only after
comparing each with the audit chain (``reader.VerifiedReader.from_rows``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from irdesk.casefile import codec
from irdesk.casefile.database import Database
from irdesk.casefile.errors import NotAllowed
from irdesk.casefile.reader import VerifiedReader
from irdesk.casefile.rows import select_list
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.records import Note


@dataclass(frozen=True)
class NoteFilter:
    phase: Phase | None = None
    gap: Gap | None = None
    gaps_only: bool = False
    query: str = ""  # full-text; see fts_query()
    attack_only: bool = False  # only notes with ATT&CK technique ids (exports: not every note decoded)


@dataclass(frozen=True)
class SearchHit:
    note: Note
    snippet: str  # the matching passage, matches wrapped in \x02 … \x03


def fts_query(text: str) -> str:
    """Make user input safe for FTS5 MATCH: every word quoted, a trailing * kept as a prefix.

    Raises:
        NotAllowed: the text is not valid Unicode (bytes that are not UTF-8 on a command line).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotAllowed("The search text is not valid UTF-8 text.") from None
    text = text.replace("\x00", " ")  # FTS5's query parser ends a string at NUL
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        if not word.strip('"'):
            continue
        quoted = '"' + word.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    return " ".join(terms)


class TimelineColumns(NamedTuple):
    utc: datetime  # the instant it occurred (aware), for ordering and Timesketch's timestamp
    occurred: str
    id: str
    author: str
    phase: str
    gap: str | None
    tags: tuple[str, ...]
    attack: tuple[str, ...]
    body: str


class _Columns(NamedTuple):
    """Where each column a timeline needs sits in a note row (``select_list(Note)`` order)."""

    id: int
    author: int
    deleted: int
    phase: int
    body: int
    occurred: int
    gap: int
    tags: int
    attack: int


_TIMELINE_AT = _Columns(*(codec.columns(Note).index(name) for name in _Columns._fields))


class NoteQueries:
    """Lists and counts filter and page in SQL, so 100,000 notes stay fast."""

    def __init__(self, db: Database, reader: VerifiedReader) -> None:
        self._db, self._reader = db, reader

    def _note_where(self, f: NoteFilter) -> tuple[str, list[Any]]:
        clauses, params = ["n.deleted = 0"], []
        if f.phase is not None:
            clauses.append("n.phase = ?")
            params.append(f.phase.value)
        if f.gap is not None:
            clauses.append("n.gap = ?")
            params.append(f.gap.value)
        elif f.gaps_only:
            clauses.append("n.gap IS NOT NULL")
        if f.attack_only:
            clauses.append("n.attack != '[]'")
        if f.query.strip():
            clauses.append("n.seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)")
            params.append(fts_query(f.query) or '""')
        return " AND ".join(clauses), params

    def timeline_columns(self) -> list[TimelineColumns]:
        """What a timeline export writes of each live note, straight from its columns, in time
        order, without decoding the records. Only inside ``CaseFile.verified()``, where every
        row of this state was just compared with the audit chain; from the rows that pass kept
        when it was asked to (``keep_notes``), so the notes are read from the file once.

        Raises:
            RuntimeError: called outside the verified block (a bug: the rows would be unchecked).
        """
        if not self._reader.vouching:
            raise RuntimeError("timeline_columns reads only inside CaseFile.verified()")
        rows = self._reader.kept_notes()
        if rows is None:
            rows = self._db.query(f"SELECT {select_list(Note)} FROM notes ORDER BY occurred_utc, seq")
        at = _TIMELINE_AT
        parse = datetime.fromisoformat
        return [TimelineColumns(parse(r[at.occurred]), r[at.occurred], r[at.id], r[at.author], r[at.phase],
                                r[at.gap], _list(r[at.tags]), _list(r[at.attack]), r[at.body])
                for r in rows if not r[at.deleted]]

    def count(self, f: NoteFilter = NoteFilter()) -> int:
        where, params = self._note_where(f)
        return int(self._db.scalar(f"SELECT count(*) FROM notes n WHERE {where}", params))

    def page(self, f: NoteFilter = NoteFilter(), *, offset: int = 0, limit: int = -1,
             newest_first: bool = False) -> list[Note]:
        """Live notes in time order (then entry order), filtered in SQL, one page at a time."""
        where, params = self._note_where(f)
        cols = select_list(Note, "n.")
        direction = "DESC" if newest_first else "ASC"
        rows = self._db.query(
            f"SELECT {cols} FROM notes n WHERE {where} "
            f"ORDER BY n.occurred_utc {direction}, n.seq {direction} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return self._reader.from_rows(Note, rows)

    def search(self, query: str, *, phase: Phase | None = None, gap: Gap | None = None,
               limit: int = 200) -> list[SearchHit]:
        """Full-text search, best match first, with a highlighted snippet for each hit."""
        match = fts_query(query)
        if not match:
            return []
        clauses, params = ["notes_fts MATCH ?", "n.deleted = 0"], [match]
        if phase is not None:
            clauses.append("n.phase = ?")
            params.append(phase.value)
        if gap is not None:
            clauses.append("n.gap = ?")
            params.append(gap.value)
        cols = select_list(Note, "n.")
        rows = self._db.query(
            f"SELECT snippet(notes_fts, 0, char(2), char(3), '…', 24), {cols} "
            f"FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid "
            f"WHERE {' AND '.join(clauses)} ORDER BY rank LIMIT ?",
            (*params, limit),
        )
        snippets = {row[1]: row[0] for row in rows}  # by note id (row[1])
        return [SearchHit(note, snippets[note.id]) for note in self._reader.from_rows(Note, (r[1:] for r in rows))]


def _list(text: str) -> tuple[str, ...]:
    return () if text == "[]" else tuple(json.loads(text))
