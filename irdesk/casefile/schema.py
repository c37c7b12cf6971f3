"""The schema, its migrations on ``PRAGMA user_version``, and the allow-list of objects.

Each version's DDL is frozen here: a later version changes the schema only through a new
migration step. ``expected_objects`` builds the exact ``sqlite_master`` a file of a given
version must have, by running the same steps in memory; anything else (an extra trigger
or view, a changed table) is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

_COMMON = """
    id TEXT NOT NULL UNIQUE,
    rev TEXT NOT NULL,
    parent_rev TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    author TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0"""

# The reports a file issued, with what binds each to it (a case's after-action reports; a book's
# programme reports, since book format 2): the same table in both kinds of file.
REPORTS = f"""CREATE TABLE reports (
    seq INTEGER PRIMARY KEY,{_COMMON},
    report_id TEXT NOT NULL,
    chain_head TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    signer_fingerprint TEXT NOT NULL,
    signed INTEGER NOT NULL
);
"""

# The tables every file kind has (a case, a readiness book): its meta, audit chain and kept revisions.
CORE_TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit (entity, entity_id, seq);
CREATE TABLE revisions (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rev TEXT NOT NULL,
    superseded TEXT NOT NULL,
    conflict INTEGER NOT NULL DEFAULT 0,
    json TEXT NOT NULL
);
CREATE INDEX revisions_record ON revisions (kind, record_id, seq);
"""

V1 = f"""{CORE_TABLES}CREATE TABLE cases (
    seq INTEGER PRIMARY KEY,{_COMMON},
    title TEXT NOT NULL,
    codename TEXT NOT NULL,
    severity TEXT NOT NULL,
    tlp TEXT NOT NULL,
    drill INTEGER NOT NULL,
    status TEXT NOT NULL,
    first_activity_at TEXT,
    detected_at TEXT,
    reported_at TEXT,
    contained_at TEXT,
    eradicated_at TEXT,
    recovered_at TEXT,
    closed_at TEXT,
    cause TEXT NOT NULL,
    effects TEXT NOT NULL,
    handling TEXT NOT NULL,
    worked TEXT NOT NULL,
    failed TEXT NOT NULL
);
CREATE TABLE notes (
    seq INTEGER PRIMARY KEY,{_COMMON},
    phase TEXT NOT NULL,
    body TEXT NOT NULL,
    occurred TEXT NOT NULL,
    occurred_utc TEXT NOT NULL,
    gap TEXT,
    tags TEXT NOT NULL
);
CREATE INDEX notes_by_phase ON notes (deleted, phase, occurred_utc);
CREATE INDEX notes_by_time ON notes (deleted, occurred_utc);
CREATE INDEX notes_by_gap ON notes (gap) WHERE gap IS NOT NULL;
CREATE VIRTUAL TABLE notes_fts USING fts5 (
    body, content='notes', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE evidence (
    seq INTEGER PRIMARY KEY,{_COMMON},
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_system TEXT NOT NULL,
    status TEXT NOT NULL,
    unavailable_reason TEXT NOT NULL,
    requested_from TEXT,
    requested_at TEXT,
    collected_at TEXT,
    holder TEXT NOT NULL,
    location TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER,
    sha256 TEXT NOT NULL,
    attachment_id TEXT
);
CREATE TABLE custody_events (
    seq INTEGER PRIMARY KEY,{_COMMON},
    evidence_id TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    location TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX custody_by_evidence ON custody_events (evidence_id);
CREATE TABLE contacts (
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
    last_verified TEXT
);
CREATE TABLE engagements (
    seq INTEGER PRIMARY KEY,{_COMMON},
    contact_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    needed_at TEXT NOT NULL,
    first_attempt_at TEXT,
    reached_at TEXT,
    resolved_at TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX engagements_by_contact ON engagements (contact_id);
CREATE TABLE action_items (
    seq INTEGER PRIMARY KEY,{_COMMON},
    title TEXT NOT NULL,
    source_note_id TEXT,
    owner TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    waived_reason TEXT NOT NULL,
    verification TEXT NOT NULL
);
CREATE TABLE attachments (
    seq INTEGER PRIMARY KEY,{_COMMON},
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE checklist_items (
    seq INTEGER PRIMARY KEY,{_COMMON},
    text TEXT NOT NULL,
    done INTEGER NOT NULL,
    position INTEGER NOT NULL
);
{REPORTS}"""

# Record kind -> table. The kinds are the names the audit chain and exports use.
TABLES = {
    "case": "cases",
    "note": "notes",
    "evidence": "evidence",
    "custody": "custody_events",
    "contact": "contacts",
    "engagement": "engagements",
    "action": "action_items",
    "attachment": "attachments",
    "checklist": "checklist_items",
    "report": "reports",
    "indicator": "indicators",
    "settlement": "settlements",
    "regime": "regimes",
    "notification": "notifications",
    "system": "systems",
}

# Format 2 adds indicators of compromise.
V2 = f"""
CREATE TABLE indicators (
    seq INTEGER PRIMARY KEY,{_COMMON},
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    description TEXT NOT NULL,
    source_note_id TEXT,
    first_seen TEXT
);
CREATE INDEX indicators_by_value ON indicators (kind, value);
"""

# Format 3 vouches for every conflict: settling one is a record (settlements), keeping one is
# a "conflict" audit entry (the upgrade chains one for each conflict an older file holds), and
# the search index holds every note row, tombstones too, so FTS5 can check it exactly.
V3 = f"""
CREATE TABLE settlements (
    seq INTEGER PRIMARY KEY,{_COMMON},
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    settled_rev TEXT NOT NULL,
    how TEXT NOT NULL
);
CREATE INDEX settlements_by_record ON settlements (record_kind, record_id);
"""
CONFLICTS_VOUCHED = 3  # files of an older format get their conflicts vouched for on upgrade
# Format 5, the regulators' clocks: the regimes a case falls under, and the notifications sent.
REGULATORY = f"""
CREATE TABLE regimes (
    seq INTEGER PRIMARY KEY,{_COMMON},
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    aware_at TEXT,
    classified_at TEXT,
    determined_at TEXT,
    ransom_paid_at TEXT,
    stages TEXT NOT NULL
);
CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY,{_COMMON},
    regime_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    late_reason TEXT NOT NULL
);
CREATE INDEX notifications_by_regime ON notifications (regime_id);
"""

Executor = Callable[[str], Any]


def _v1(execute: Executor) -> None:
    for statement in V1.split(";"):
        if statement.strip():
            execute(statement)
    # FTS5 would otherwise keep tokens of edited and deleted notes in its index.
    execute("INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)")


def _run(script: str, execute: Executor) -> None:
    for statement in script.split(";"):
        if statement.strip():
            execute(statement)


def _v2(execute: Executor) -> None:
    _run(V2, execute)


def _v3(execute: Executor) -> None:
    _run(V3, execute)
    execute("INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')")  # tombstones are indexed too


# Format 4 adds the contact's free-text notes (``Contact.notes``, declared ``added_in(4, "")``).
# Existing rows get the default, which the canonical JSON leaves out: no hash changes.
V4 = "ALTER TABLE contacts ADD COLUMN notes TEXT NOT NULL DEFAULT ''"


def _v4(execute: Executor) -> None:
    execute(V4)


def add_regulatory_tables(execute: Executor) -> None:
    _run(REGULATORY, execute)


# The systems format (``records.SYSTEMS_FORMAT``; issue 18) adds systems and their log sources,
# as a readiness book keeps them (the same table), and links evidence to the system it comes
# from (``Evidence.system_id``, declared ``added_in``: NULL, left out of the canonical JSON).
SYSTEMS = f"""
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
ALTER TABLE evidence ADD COLUMN system_id TEXT
"""


def _systems(execute: Executor) -> None:
    for statement in SYSTEMS.split(";"):
        if statement.strip():
            execute(statement)


# Format 7 adds ATT&CK technique tags to notes and indicators (``attack``) and the case's VERIS
# classification (``veris_*``), all ``added_in(7, …)``. Existing rows get the defaults (empty
# text, empty list), which the canonical JSON leaves out: no hash changes.
V7 = (
    "ALTER TABLE notes ADD COLUMN attack TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE indicators ADD COLUMN attack TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE cases ADD COLUMN veris_discovery TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN veris_actors TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE cases ADD COLUMN veris_actions TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE cases ADD COLUMN veris_assets TEXT NOT NULL DEFAULT '[]'",
)


def _v7(execute: Executor) -> None:
    for statement in V7:
        execute(statement)


# MIGRATIONS[n] brings a file from user_version n to n + 1; the last one sets the version.
# A new format adds the next step here (and its fields' ``added_in`` version), nothing else.
MIGRATIONS: dict[int, Callable[[Executor], None]] = {
    0: _v1, 1: _v2, 2: _v3, 3: _v4, 4: add_regulatory_tables, 5: _systems, 6: _v7,
}
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(execute: Executor, from_version: int, to_version: int | None = None) -> None:
    """Run the steps from ``from_version`` up to ``to_version`` (default: the current version).

    The caller holds a transaction.
    """
    for version in range(from_version, SCHEMA_VERSION if to_version is None else to_version):
        MIGRATIONS[version](execute)
        execute(f"PRAGMA user_version = {version + 1}")


@functools.cache
def expected_objects(version: int) -> frozenset[tuple[str, str, str, str | None]]:
    """The exact ``sqlite_master`` rows (type, name, tbl_name, sql) of a given version."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn.execute, 0, version)
        return frozenset(conn.execute(MASTER_QUERY).fetchall())
    finally:
        conn.close()


MASTER_QUERY = "SELECT type, name, tbl_name, sql FROM sqlite_master"

