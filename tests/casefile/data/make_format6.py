"""How format6.ircase was written: with the schema 6 code (main at 72e9a0c) and the test KDF.

    git archive 72e9a0c | tar -x -C /tmp/format6-code
    IRDESK_FORMAT6_CHECKOUT=/tmp/format6-code python tests/casefile/data/make_format6.py OUT

Kept for the record (``tests/casefile/test_migration.py`` reads the file it wrote); run with
today's code it refuses, since it must be the format 6 code that writes a format 6 file. The history is format 4's
(make_format4.py), with the demo's own regimes and notifications (format 5), plus format 6's system,
with an evidence request linked to it.
"""

from __future__ import annotations

import importlib
import os
import sys

PASSPHRASE = "format-six-fixture-passphrase"


def main(out: str) -> None:
    sys.path.insert(0, os.environ["IRDESK_FORMAT6_CHECKOUT"])
    kdf = importlib.import_module("irdesk.casefile.kdf")
    kdf.PARAMETERS[1] = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)
    ops = importlib.import_module("irdesk.casefile.operations")
    book_ops = importlib.import_module("irdesk.casefile.operations.book")
    schema = importlib.import_module("irdesk.casefile.schema")
    CaseFile = importlib.import_module("irdesk.casefile.store").CaseFile
    write_handoff_copy = importlib.import_module("irdesk.casefile.handoff").write_handoff_copy
    conflicts = importlib.import_module("irdesk.casefile.conflicts")
    build_demo = importlib.import_module("irdesk.demo").build_demo
    records = importlib.import_module("irdesk.domain.records")
    enums = importlib.import_module("irdesk.domain.enums")
    IndicatorKind = enums.IndicatorKind
    Note, Contact = records.Note, records.Contact
    if schema.SCHEMA_VERSION != 6:
        raise SystemExit("this is not the format 6 code")
    copy = out + ".copy"
    for path in (out, copy):
        if os.path.exists(path):
            os.unlink(path)
    with CaseFile.create(out, PASSPHRASE, title="Format six", actor="Ana") as case:
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
        # Format 5's records come with the demo (its regimes and notifications). Format 6's: a
        # system, owned by a contact, and an evidence request linked to it.
        system = book_ops.add_system(case, "FS01 file server", owner_id=contacts[0].id,
                                logs="Windows Security log", location="Rotterdam DC", retention_days=30).value
        ops.add_evidence(case, "FS01 Security log", system_id=system.id)
    os.unlink(copy)


if __name__ == "__main__":
    main(sys.argv[1])
