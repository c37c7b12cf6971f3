"""How book-format1.irbook was written: with the book format 1 code (main at 72e9a0c) and the test KDF.

    git archive 72e9a0c | tar -x -C /tmp/book1-code
    IRDESK_BOOK1_CHECKOUT=/tmp/book1-code python tests/casefile/data/make_book_format1.py OUT

Kept for the record (``tests/casefile/test_book_migration.py`` reads the file it wrote); run with
today's code it refuses, since it must be the format 1 code that writes a format 1 book.
"""

from __future__ import annotations

import importlib
import os
import sys

PASSPHRASE = "book-format-one-fixture-passphrase"


def main(out: str) -> None:
    sys.path.insert(0, os.environ["IRDESK_BOOK1_CHECKOUT"])
    kdf = importlib.import_module("irdesk.casefile.kdf")
    kdf.PARAMETERS[1] = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)
    book_schema = importlib.import_module("irdesk.casefile.book_schema")
    if book_schema.SCHEMA_VERSION != 1:
        raise SystemExit("this is not the book format 1 code")
    build_demo_book = importlib.import_module("irdesk.demo_book").build_demo_book
    if os.path.exists(out):
        os.unlink(out)
    build_demo_book(out, PASSPHRASE, actor="Ana")


if __name__ == "__main__":
    main(sys.argv[1])
