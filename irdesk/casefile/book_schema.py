"""The readiness book's schema and its migrations (its own ``PRAGMA user_version``, from 1).

The core tables (meta, audit, revisions) are those of a case, so the one audit chain, the
verified reader and merge work unchanged; the record tables are the book's own, plus the
readiness checklist and conflict settlements a case has too. Each version is frozen here.

Format 2 adds ``reports``: the programme reports issued from the book (what ``verify --book``
looks for), with the very columns of a case's ``reports`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from irdesk.casefile.schema import _COMMON, CORE_TABLES, REPORTS

SCHEMA_VERSION = 2

V1 = f"""{CORE_TABLES}CREATE TABLE book (
    seq INTEGER PRIMARY KEY,{_COMMON},
    title TEXT NOT NULL,
    tlp TEXT NOT NULL,
    stale_after_days INTEGER NOT NULL
);
CREATE TABLE directory (
    seq INTEGER PRIMARY KEY,{_COMMON},
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    team TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    out_of_band TEXT NOT NULL,
    grants_access TEXT NOT NULL,
    last_verified TEXT,
    notes TEXT NOT NULL,
    escalation TEXT NOT NULL,
    on_call TEXT NOT NULL,
    last_reached TEXT
);
CREATE TABLE systems (
    seq INTEGER PRIMARY KEY,{_COMMON},
    name TEXT NOT NULL,
    owner_id TEXT,
    logs TEXT NOT NULL,
    location TEXT NOT NULL,
    retention_days INTEGER,
    access_from TEXT NOT NULL,
    last_obtained_minutes INTEGER,
    last_obtained_on TEXT
);
CREATE TABLE vendors (
    seq INTEGER PRIMARY KEY,{_COMMON},
    name TEXT NOT NULL,
    support_line TEXT NOT NULL,
    sla TEXT NOT NULL,
    contract_ref TEXT NOT NULL,
    may_call TEXT NOT NULL,
    contact_id TEXT
);
CREATE TABLE register (
    seq INTEGER PRIMARY KEY,{_COMMON},
    title TEXT NOT NULL,
    codename TEXT NOT NULL,
    tlp TEXT NOT NULL,
    drill INTEGER NOT NULL,
    severity TEXT NOT NULL,
    first_activity_at TEXT,
    detected_at TEXT,
    reported_at TEXT,
    contained_at TEXT,
    eradicated_at TEXT,
    recovered_at TEXT,
    closed_at TEXT,
    filed_at TEXT NOT NULL,
    case_head TEXT NOT NULL
);
CREATE TABLE filed_engagements (
    seq INTEGER PRIMARY KEY,{_COMMON},
    entry_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    needed_at TEXT NOT NULL,
    first_attempt_at TEXT,
    reached_at TEXT,
    resolved_at TEXT
);
CREATE INDEX filed_engagements_by_contact ON filed_engagements (contact_id);
CREATE TABLE filed_evidence (
    seq INTEGER PRIMARY KEY,{_COMMON},
    entry_id TEXT NOT NULL,
    label TEXT NOT NULL,
    system_id TEXT,
    system_name TEXT NOT NULL,
    status TEXT NOT NULL,
    unavailable_reason TEXT NOT NULL,
    requested_at TEXT,
    collected_at TEXT
);
CREATE TABLE filed_gaps (
    seq INTEGER PRIMARY KEY,{_COMMON},
    entry_id TEXT NOT NULL,
    category TEXT NOT NULL,
    subject TEXT NOT NULL,
    count INTEGER NOT NULL
);
CREATE TABLE book_actions (
    seq INTEGER PRIMARY KEY,{_COMMON},
    entry_id TEXT NOT NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    waived_reason TEXT NOT NULL,
    verification TEXT NOT NULL
);
CREATE TABLE checklist_items (
    seq INTEGER PRIMARY KEY,{_COMMON},
    text TEXT NOT NULL,
    done INTEGER NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE settlements (
    seq INTEGER PRIMARY KEY,{_COMMON},
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    settled_rev TEXT NOT NULL,
    how TEXT NOT NULL
);
CREATE INDEX settlements_by_record ON settlements (record_kind, record_id);
"""

# Format 2: the programme reports made from the book (``irdesk book report``).
V2 = f"""
{REPORTS}"""

# Record kind -> table.
TABLES = {
    "book": "book",
    "book-contact": "directory",
    "system": "systems",
    "vendor": "vendors",
    "register": "register",
    "filed-engagement": "filed_engagements",
    "filed-evidence": "filed_evidence",
    "filed-gap": "filed_gaps",
    "book-action": "book_actions",
    "checklist": "checklist_items",
    "settlement": "settlements",
    "report": "reports",
}

Executor = Callable[[str], Any]


def _statements(script: str) -> Callable[[Executor], None]:
    def run(execute: Executor) -> None:
        for statement in script.split(";"):
            if statement.strip():
                execute(statement)

    return run


MIGRATIONS: dict[int, Callable[[Executor], None]] = {0: _statements(V1), 1: _statements(V2)}
