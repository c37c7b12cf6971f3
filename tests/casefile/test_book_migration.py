"""Opening a checked-in book of format 1 migrates it to the current format, with a backup, and
changes no record's hash and no audit entry; format 2's programme-report records then work."""

from __future__ import annotations

import os
import shutil

from irdesk.casefile import book_schema
from irdesk.casefile import operations as ops
from irdesk.casefile.book_store import BookFile
from irdesk.casefile.check import check_case
from irdesk.domain.book import BOOK_RECORD_TYPES
from irdesk.domain.canonical import record_hash
from irdesk.domain.records import ReportIssue
from tests.casefile.test_migration import _raw

DATA = os.path.join(os.path.dirname(__file__), "data")
# book-format1.irbook was written by the book format 1 code (main at 72e9a0c, test KDF) with
# data/make_book_format1.py: the demo book with its two filed past incidents.
BOOK1_PASSPHRASE = "book-format-one-fixture-passphrase"


def test_a_format_1_book_migrates_without_changing_any_hash_or_audit_entry(tmp_path):
    path = str(tmp_path / "old.irbook")
    shutil.copyfile(os.path.join(DATA, "book-format1.irbook"), path)
    before = _raw(path, BOOK1_PASSPHRASE)
    assert before["version"] == [(1,)]
    old = len(before["audit"])
    chained = {(row[4], row[5]): row[6] for row in before["audit"] if row[4] != "file"}
    with BookFile.open(path, BOOK1_PASSPHRASE, actor="Migrator") as book:
        assert book.db.scalar("PRAGMA user_version") == book_schema.SCHEMA_VERSION == 2
        entries = list(book.chain.entries())
        assert [e.values() for e in entries[:old]] == [tuple(row) for row in before["audit"]]
        assert [(e.action, e.source) for e in entries[old:]] == [("migrate", "format 1")]
        count = 0
        for cls in BOOK_RECORD_TYPES:
            for record in book.records.iter_all(cls):
                assert record_hash(record) == chained[(cls.KIND, record.id)], (cls.KIND, record.id)
                count += 1
        assert count == len(chained) > 20
        assert check_case(book).ok
        # Format 2's own records: a programme report's issue.
        ops.record_report(book, "IR-0123456789AB", book.chain_head, signer_name="Ana", signed=False)
        assert [r.report_id for r in book.records.all(ReportIssue)] == ["IR-0123456789AB"]
        assert check_case(book).ok
    with open(f"{path}.format1-backup", "rb") as backup, open(os.path.join(DATA, "book-format1.irbook"), "rb") as kept:
        assert backup.read() == kept.read()


def test_the_migration_step_1_to_2_adds_only_the_reports_table():
    one = BookFile.KIND.schema.expected_objects(1)
    two = BookFile.KIND.schema.expected_objects(2)
    assert {row[2] for row in two - one} == {"reports"} and one < two  # the table and its id index
