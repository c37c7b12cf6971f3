"""Salvage: a damaged case is not a dead end. The new case holds what the chain vouches for."""

from __future__ import annotations

from pathlib import Path

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.errors import OverCaseFile, TamperedCase
from irdesk.casefile.salvage import salvage
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import Phase
from irdesk.domain.records import RECORD_TYPES, Contact, Note
from tests.casefile.tamper import FORGED, every_kind, forge, raw_connect
from tests.casefile.test_splices import root_pages, splice
from tests.conftest import PASSPHRASE

NEW = "salvaged-harbour-71-pylon"


@pytest.fixture
def forged(tmp_path):
    path = str(tmp_path / "case.ircase")
    ids = every_kind(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        raw = case.raw_key()
    forge(path, raw, "note", ids["note"])  # its earlier text is a kept revision
    forge(path, raw, "contact", ids["contact"])  # never edited: nothing to fall back on
    return path, ids, raw


def everything(case: CaseFile) -> str:
    texts = [repr(r) for cls in RECORD_TYPES for r in case.records.iter_all(cls)]
    return "\n".join(texts + [repr(r) for r in case.records.all_revisions(Note)])


def test_a_forged_case_salvages_what_the_chain_vouches_for(forged, tmp_path):
    path, ids, _raw = forged
    before = Path(path).read_bytes()
    target = str(tmp_path / "new.ircase")
    with CaseFile.open(path, PASSPHRASE, writable=False, salvaging=True) as case:
        report = salvage(case, target, NEW)
    assert Path(path).read_bytes() == before  # read-only on CASE
    assert any(ids["note"] in line and "earlier version" in line for line in report.restored)
    assert any(ids["contact"] in line for line in report.left_out)
    with CaseFile.open(target, NEW, writable=False) as new:
        assert check_case(new).ok
        assert new.case_id == ids["case"]  # the same case: copies still merge into it
        assert new.records.get(Note, ids["note"]).body == "the genuine note about the hypervisor"
        assert new.records.find(Contact, ids["contact"]) is None
        assert FORGED not in everything(new)
        assert list(new.chain.entries())[0].action == "salvage"


def test_a_spliced_case_salvages_and_the_new_one_passes_check(case_path, tmp_path):
    with CaseFile.create(case_path, PASSPHRASE, title="Splice", actor="Ana") as case:
        note = ops.add_note(case, Phase.DETECTION, "version 1").value
        ops.edit_note(case, note.id, body="version 2")
        raw = case.raw_key()
    older = Path(case_path).read_bytes()
    with CaseFile.open(case_path, PASSPHRASE, actor="Ana") as case:
        for n in (3, 4, 5):
            ops.edit_note(case, note.id, body=f"version {n}")
    splice(case_path, older, root_pages(case_path, raw, "revisions", "revisions_record"))
    target = str(tmp_path / "new.ircase")
    with CaseFile.open(case_path, PASSPHRASE, writable=False, salvaging=True) as case:
        report = salvage(case, target, NEW)
    with CaseFile.open(target, NEW, writable=False) as new:
        assert check_case(new).ok
        assert new.records.get(Note, note.id).body == "version 5"
        assert [r.record.body for r in new.records.history(Note, note.id)] == ["version 1"]
    assert report.records >= 2 and not report.left_out


def test_a_case_record_without_a_vouched_version_cannot_be_salvaged(tmp_path):
    path = str(tmp_path / "case.ircase")
    ids = every_kind(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        raw = case.raw_key()
    forge(path, raw, "case", ids["case"])
    with CaseFile.open(path, PASSPHRASE, writable=False, salvaging=True) as case:
        with pytest.raises(TamperedCase, match="nothing to salvage"):
            salvage(case, str(tmp_path / "new.ircase"), NEW)
    assert list(tmp_path.iterdir()) == [Path(path)]


def test_a_broken_chain_tail_is_salvaged_up_to_the_break(tmp_path):
    path = str(tmp_path / "case.ircase")
    ids = every_kind(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        raw = case.raw_key()
    conn = raw_connect(path, raw)
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = (SELECT max(seq) FROM audit)")
    conn.close()
    with pytest.raises(TamperedCase):
        CaseFile.open(path, PASSPHRASE, writable=False)
    with CaseFile.open(path, PASSPHRASE, writable=False, salvaging=True) as case:
        report = salvage(case, str(tmp_path / "new.ircase"), NEW)
    # The notification is the last record every_kind writes: its entry is the broken tail.
    assert report.chain_break and any(ids["notification"] in line for line in report.left_out)


def test_salvage_by_the_command_line(forged, tmp_path, monkeypatch, capsys):
    path, ids, _raw = forged
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", NEW)
    before = Path(path).read_bytes()
    target = str(tmp_path / "new.ircase")
    assert run(["salvage", path, "-o", target]) == 0
    out = capsys.readouterr().out
    assert "left out" in out and ids["contact"] in out and "Fingerprint" in out
    assert Path(path).read_bytes() == before
    assert run(["check", target, "--passphrase-file", str(_secret(tmp_path))]) == 0
    assert run(["salvage", path, "-o", target]) == 2  # never over a case file
    assert run(["salvage", path, "-o", target, "--force"]) == 2  # not even with --force
    assert run(["salvage", path, "-o", path, "--force"]) == 2  # nor over the case itself
    assert Path(path).read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_text("keep me", encoding="utf-8")
    assert run(["salvage", path, "-o", str(other)]) == 2  # another file: only with --force
    assert other.read_text(encoding="utf-8") == "keep me"
    assert run(["salvage", path, "-o", str(other), "--force"]) == 0
    assert run(["check", str(other), "--passphrase-file", str(_secret(tmp_path))]) == 0
    with pytest.raises(OverCaseFile):
        with CaseFile.open(path, PASSPHRASE, writable=False) as case:
            salvage(case, target, NEW)


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "new-passphrase"
    secret.write_text(NEW + "\n", encoding="utf-8")
    return secret
