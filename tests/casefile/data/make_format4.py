"""How format4.ircase was written: with the schema 4 code (main at 3905686) and the test KDF.

    git archive 3905686 | tar -x -C /tmp/format4-code
    IRDESK_FORMAT4_CHECKOUT=/tmp/format4-code python tests/casefile/data/make_format4.py OUT

Kept for the record (``tests/casefile/test_migration.py`` reads the file it wrote); run with
today's code it refuses, since it must be the format 4 code that writes a format 4 file.
"""

from __future__ import annotations

import importlib
import os
import sys

PASSPHRASE = "format-four-fixture-passphrase"


def main(out: str) -> None:
    sys.path.insert(0, os.environ["IRDESK_FORMAT4_CHECKOUT"])
    kdf = importlib.import_module("irdesk.casefile.kdf")
    kdf.PARAMETERS[1] = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)
    ops = importlib.import_module("irdesk.casefile.operations")
    schema = importlib.import_module("irdesk.casefile.schema")
    CaseFile = importlib.import_module("irdesk.casefile.store").CaseFile
    write_handoff_copy = importlib.import_module("irdesk.casefile.handoff").write_handoff_copy
    conflicts = importlib.import_module("irdesk.casefile.conflicts")
    build_demo = importlib.import_module("irdesk.demo").build_demo
    records = importlib.import_module("irdesk.domain.records")
    IndicatorKind = importlib.import_module("irdesk.domain.enums").IndicatorKind
    Note, Contact = records.Note, records.Contact
    if schema.SCHEMA_VERSION != 4:
        raise SystemExit("this is not the format 4 code")
    copy = out + ".copy"
    for path in (out, copy):
        if os.path.exists(path):
            os.unlink(path)
    with CaseFile.create(out, PASSPHRASE, title="Format four", actor="Ana") as case:
        build_demo(case)
        notes, contacts = case.records.all(Note), case.records.all(Contact)
        ops.edit_note(case, notes[0].id, body=notes[0].body + " (edited)")
        ops.delete(case, Note, notes[1].id)
        ops.edit_contact(case, contacts[0].id, phone="+31 10 555 0199")
        ops.delete(case, Contact, contacts[1].id)
        ops.add_indicator(case, kind=IndicatorKind.DOMAIN, value="update-check.example.net")
        # Format 4's own field: one contact with notes, one edited to gain them.
        ops.add_contact(case, "Autoriteit Persoonsgegevens", notes="Meldloket datalekken; report within 72 h.")
        ops.edit_contact(case, contacts[3].id, notes="Escalate via the duty phone after 18:00.")
        write_handoff_copy(case, copy, PASSPHRASE)
        # Both copies change the same note and the same contact: two conflicts after the merge.
        ops.edit_note(case, notes[2].id, body=notes[2].body + " (Ana)")
        ops.edit_contact(case, contacts[2].id, role="Duty manager (Ana)")
        with CaseFile.open(copy, PASSPHRASE, actor="Ben") as other:
            ops.edit_note(other, notes[2].id, body=notes[2].body + " (Ben)")
            ops.edit_contact(other, contacts[2].id, role="Duty manager (Ben)")
        ops.merge_copy(case, copy, PASSPHRASE)
        found = conflicts.list_conflicts(case)
        assert len(found) == 2, found
        [contact_conflict] = [c for c in found if isinstance(c.current, Contact)]
        ops.settle_conflict(case, contact_conflict, conflicts.Resolution.TAKE_OTHER)  # a settlement
        assert len(conflicts.list_conflicts(case)) == 1
    os.unlink(copy)


if __name__ == "__main__":
    main(sys.argv[1])
