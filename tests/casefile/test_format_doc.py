"""docs/FORMAT.md is enough: open and verify a case with only Argon2, SQLCipher and hashlib."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import argon2.low_level as argon2
import sqlcipher3

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Gap, Phase
from tests.conftest import ROOT, TEST_KDF

PASS = "Ünïcode 'quoted' passphrase"


def doc_raw_key(path: str, passphrase: str, t: int, m: int, p: int) -> str:
    with open(path, "rb") as handle:
        salt = handle.read(16)
    key = argon2.hash_secret_raw(unicodedata.normalize("NFC", passphrase).encode(), salt, time_cost=t,
                                 memory_cost=m, parallelism=p, hash_len=32, type=argon2.Type.ID)
    return f"x'{key.hex()}{salt.hex()}'"


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_open_and_verify_with_the_documented_procedure(tmp_path):
    path = str(tmp_path / "doc.ircase")
    case = CaseFile.create(path, PASS, title="Doc test", actor="Doc")
    note = ops.add_note(case, Phase.DETECTION, "First \"note\"\n<b>", gap=Gap.ACCESS, tags=["a"]).value
    ops.edit_note(case, note.id, body="edited")
    head, fingerprint, case_id = case.chain_head, case.fingerprint(), case.case_id
    case.close()

    # The test process runs with lowered Argon2 parameters (tests/conftest.py); the document's
    # are checked against kdf.PARAMETERS in test_documented_parameters_are_the_shipped_ones.
    raw = doc_raw_key(path, PASS, TEST_KDF.time_cost, TEST_KDF.memory_kib, TEST_KDF.parallelism)
    conn = sqlcipher3.connect(path)
    conn.execute(f'PRAGMA key = "{raw}"')
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1

    columns = ["seq", "at", "actor", "action", "entity", "entity_id", "record_hash", "source", "prev_hash"]
    prev, latest = "0" * 64, {}
    for row in conn.execute(f"SELECT {', '.join(columns)}, hash FROM audit ORDER BY seq"):
        body = dict(zip(columns, row[:-1], strict=True))
        assert body["prev_hash"] == prev
        assert hashlib.sha256(canonical(body)).hexdigest() == row[-1]
        prev = row[-1]
        latest[(body["entity"], body["entity_id"])] = body["record_hash"]
    assert prev == head

    cur = conn.execute("SELECT * FROM notes")
    names = [d[0] for d in cur.description]
    (row,) = cur.fetchall()
    record = {k: v for k, v in zip(names, row, strict=True) if k not in ("seq", "occurred_utc")}
    record["type"] = "note"
    record["deleted"] = bool(record["deleted"])
    record["tags"] = json.loads(record["tags"])
    record["attack"] = json.loads(record["attack"])
    if not record["attack"]:  # a field of a later schema (7) is left out at its default
        del record["attack"]
    assert hashlib.sha256(canonical(record)).hexdigest() == latest[("note", note.id)]
    (old,) = conn.execute("SELECT json FROM revisions").fetchone()
    assert json.loads(old)["body"] == "First \"note\"\n<b>"
    conn.close()

    digest = hashlib.sha256(f"irdesk-fingerprint-v1\n{case_id}\n{head}".encode()).hexdigest()
    assert fingerprint == " ".join(digest[i:i + 4].upper() for i in range(0, 16, 4))


def test_documented_parameters_are_the_shipped_ones():
    import importlib

    import irdesk.casefile.kdf as kdf

    shipped = importlib.reload(kdf).PARAMETERS[1]  # a fresh copy, not the test process's lowered one
    try:
        assert (shipped.time_cost, shipped.memory_kib, shipped.parallelism) == (16, 65536, 1)
        text = (Path(ROOT) / "docs" / "FORMAT.md").read_text(encoding="utf-8")
        assert "t = 16 passes, m = 65536 KiB (64 MiB), p = 1 lane" in text
    finally:
        kdf.PARAMETERS[1] = TEST_KDF
