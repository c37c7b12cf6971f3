"""Read-only commands never modify the file, even a case whose search index needs rebuilding."""

from __future__ import annotations

import os
from pathlib import Path

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import Phase
from tests.casefile.test_splices import root_pages, splice
from tests.conftest import PASSPHRASE


def test_read_only_commands_leave_even_a_disagreeing_index_alone(case_path, tmp_path, monkeypatch, capsys):
    with CaseFile.create(case_path, PASSPHRASE, title="Read only", actor="Ana") as case:
        ops.add_note(case, Phase.DETECTION, "first")
        raw = case.raw_key()
    older = Path(case_path).read_bytes()
    with CaseFile.open(case_path, PASSPHRASE, actor="Ana") as case:
        ops.add_note(case, Phase.DETECTION, "the quokka was seen")
    splice(case_path, older, root_pages(case_path, raw, "notes_fts_data", "notes_fts_idx", "notes_fts_docsize"))
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", "salvaged-harbour-71-pylon")
    before, stamp = Path(case_path).read_bytes(), os.stat(case_path).st_mtime_ns
    out = tmp_path / "out"
    out.mkdir()
    assert run(["check", case_path]) == 4  # it reports the index
    assert "search index does not match" in capsys.readouterr().err
    for argv in (["show", case_path], ["search", case_path, "quokka"], ["rawkey", case_path],
                 ["salvage", case_path, "-o", str(out / "salvaged.ircase")],
                 *(["export", case_path, "--format", fmt, "-o", str(out / f"out.{fmt}")]
                   for fmt in ("json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive",
                               "jsonl-timeline", "veris"))):
        assert run(argv) == 0, (argv, capsys.readouterr().err)
        assert Path(case_path).read_bytes() == before and os.stat(case_path).st_mtime_ns == stamp, argv
    assert run(["note", case_path, "--phase", "detection", "--body", "a writer"]) == 0  # rebuilds it
    assert run(["check", case_path]) == 0
