"""A writer process for crash tests: appends notes and prints each id once it is committed.

Usage: python -m tests.casefile.writer_proc CASE PASSPHRASE MODE
MODE is ``notes`` (one note per transaction), ``batch`` (ten per transaction) or ``rekey``
(alternate the passphrase between PASSPHRASE and PASSPHRASE + "-new", printing each switch).
The key derivation is lowered here exactly as in the test process.
"""

from __future__ import annotations

import sys

from irdesk.casefile import kdf

kdf.PARAMETERS[1] = kdf.KdfParameters(memory_kib=1024, time_cost=1, parallelism=1)

from irdesk.casefile import operations as ops  # noqa: E402
from irdesk.casefile.store import CaseFile  # noqa: E402
from irdesk.domain.enums import Phase  # noqa: E402


def main() -> None:
    path, passphrase, mode = sys.argv[1:4]
    if mode == "rekey":
        current = passphrase
        for _ in range(1000):
            case = CaseFile.open(path, current, actor="writer")
            nxt = passphrase + "-new" if current == passphrase else passphrase
            case.rekey(nxt)
            case.close()
            current = nxt
            print(f"rekeyed {current}", flush=True)
        return
    case = CaseFile.open(path, passphrase, actor="writer")
    print("ready", flush=True)
    i = 0
    while True:
        if mode == "batch":
            with case.transaction():
                ids = [ops.add_note(case, Phase.DETECTION, f"batch note {i}-{k} " + "x" * (i % 500)).value.id
                       for k in range(10)]
            for note_id in ids:
                print(note_id, flush=True)
        else:
            note = ops.add_note(case, list(Phase)[i % 4], f"note {i} " + "y" * (i * 37 % 3000)).value
            if i % 7 == 0:
                ops.edit_note(case, note.id, body=note.body + " edited")
            print(note.id, flush=True)
        i += 1


if __name__ == "__main__":
    main()
