"""Pages spliced in from an older copy of the same file: kept revisions, conflicts, the index.

SQLCipher authenticates each page on its own, so an older page at the same position passes
its HMAC. These splices used to pass `irdesk check`; now each is either caught by check (and
refused by the verified reader) or changes nothing the case says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.conflicts import Resolution, list_conflicts
from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.handoff import write_handoff_copy
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.domain.records import Note
from irdesk.interop.exporting import export_case
from tests.casefile.tamper import PAGE, raw_connect
from tests.conftest import PASSPHRASE

OTHER = "violet-anchor-93-meadow-x"


def root_pages(path: str, raw_key: str, *names: str) -> list[int]:
    conn = raw_connect(path, raw_key)
    try:
        return [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (n,)).fetchone()[0]
                for n in names]
    finally:
        conn.close()


def splice(path: str, older: bytes, pages: list[int]) -> None:
    """Put the older copy's bytes of these (1-based) pages into the file."""
    data = bytearray(Path(path).read_bytes())
    for page in pages:
        start = (page - 1) * PAGE
        data[start : start + PAGE] = older[start : start + PAGE]
    Path(path).write_bytes(bytes(data))


def check_problems(path: str) -> list[str]:
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        return check_case(case).problems


def test_an_older_revisions_page_and_its_index_are_caught(case_path):
    with CaseFile.create(case_path, PASSPHRASE, title="Splice", actor="Ana") as case:
        note = ops.add_note(case, Phase.DETECTION, "version 1").value
        ops.edit_note(case, note.id, body="version 2")
        raw = case.raw_key()
    older = Path(case_path).read_bytes()
    with CaseFile.open(case_path, PASSPHRASE, actor="Ana") as case:
        for n in (3, 4, 5):
            ops.edit_note(case, note.id, body=f"version {n}")
        assert len(case.records.history(Note, note.id)) == 4
    pages = root_pages(case_path, raw, "revisions", "revisions_record")
    splice(case_path, older, pages)
    problems = check_problems(case_path)
    assert any("Earlier versions of the note" in p for p in problems), problems
    with CaseFile.open(case_path, PASSPHRASE, writable=False) as case:
        with pytest.raises(TamperedCase, match=note.id):
            case.records.history(Note, note.id)  # three of four earlier versions are gone: refused
        with pytest.raises(TamperedCase):
            export_case(case, "markdown", str(Path(case_path).with_suffix(".md")))
    assert not Path(case_path).with_suffix(".md").exists()


@pytest.fixture
def settled(tmp_path):
    """A case with a conflict merged in from a colleague's copy, then settled; and its bytes
    from before the settlement."""
    a, b = str(tmp_path / "a.ircase"), str(tmp_path / "b.ircase")
    with CaseFile.create(a, PASSPHRASE, title="Conflicts", actor="Ana") as case:
        note = ops.add_note(case, Phase.DETECTION, "shared").value
        write_handoff_copy(case, b, OTHER)
        ops.edit_note(case, note.id, body="Ana's edit")
        raw = case.raw_key()
    with CaseFile.open(b, OTHER, actor="Ben") as copy:
        ops.edit_note(copy, note.id, body="Ben's edit")
    with CaseFile.open(a, PASSPHRASE, actor="Ana") as case:
        ops.merge_copy(case, b, OTHER)
        assert len(list_conflicts(case)) == 1
    before_settling = Path(a).read_bytes()
    with CaseFile.open(a, PASSPHRASE, actor="Ana") as case:
        [conflict] = list_conflicts(case)
        ops.settle_conflict(case, conflict, Resolution.KEEP_CURRENT)
        assert list_conflicts(case) == []
    return a, raw, before_settling


def test_an_older_revisions_page_does_not_open_a_settled_conflict_again(settled):
    path, raw, older = settled
    splice(path, older, root_pages(path, raw, "revisions", "revisions_record"))
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        assert list_conflicts(case) == []  # the settlement is a record the chain vouches for
        assert check_case(case).ok


def test_an_older_settlements_page_is_caught(settled):
    path, raw, older = settled
    splice(path, older, root_pages(path, raw, "settlements", "settlements_by_record",
                                   "sqlite_autoindex_settlements_1"))
    problems = check_problems(path)
    assert any("settlement" in p and "missing from the file" in p for p in problems), problems


def test_older_search_index_pages_are_caught_and_rebuilt_by_the_next_writer(case_path):
    with CaseFile.create(case_path, PASSPHRASE, title="Index", actor="Ana") as case:
        for i in range(5):
            ops.add_note(case, Phase.DETECTION, f"ordinary note {i}")
        raw = case.raw_key()
    older = Path(case_path).read_bytes()
    with CaseFile.open(case_path, PASSPHRASE, actor="Ana") as case:
        ops.add_note(case, Phase.CONTAINMENT, "the zebrafinch beacon was found")
    splice(case_path, older, root_pages(case_path, raw, "notes_fts_data", "notes_fts_idx", "notes_fts_docsize"))
    with CaseFile.open(case_path, PASSPHRASE, writable=False) as case:
        assert case.notes.search("zebrafinch") == []  # what the splice did
    spliced = Path(case_path).read_bytes()
    problems = check_problems(case_path)
    assert any("search index does not match the notes" in p for p in problems), problems
    assert Path(case_path).read_bytes() == spliced  # check never writes
    with CaseFile.open(case_path, PASSPHRASE, actor="Ana") as case:  # the next writable open
        assert [h.note.body for h in case.notes.search("zebrafinch")] == ["the zebrafinch beacon was found"]
        assert list(case.chain.entries())[-1].action == "reindex"
    assert check_problems(case_path) == []
