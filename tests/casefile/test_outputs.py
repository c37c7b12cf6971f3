"""The one gate for outputs: never over a case, never over a file unasked, no leftovers."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap

import pytest

from irdesk.casefile import outputs
from irdesk.casefile.errors import OutputExists, OverCaseFile, PlaintextCaseName
from irdesk.casefile.files import Partial, is_partial_name, temp_name
from irdesk.casefile.store import CaseFile
from irdesk.interop.exporting import export_case
from tests.conftest import PASSPHRASE


def digest(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@pytest.fixture
def other_case(tmp_path):
    path = str(tmp_path / "colleague.ircase")
    CaseFile.create(path, PASSPHRASE, title="Colleague's copy", actor="B").close()
    return path


@pytest.mark.parametrize("replace", [False, True])
def test_never_over_the_case_itself_by_path_or_symlink(case, tmp_path, replace):
    before = digest(case.path)
    link = tmp_path / "link.json"
    link.symlink_to(case.path)
    relative = os.path.relpath(case.path)
    for target in (case.path, str(link), relative):
        with pytest.raises(OverCaseFile, match="delete it first, or merge it"):
            export_case(case, "json", target, replace=replace)
    assert digest(case.path) == before and os.path.islink(link)
    assert sorted(os.listdir(tmp_path)) == ["case.ircase", "link.json"]


@pytest.mark.parametrize("replace", [False, True])
def test_never_over_another_case_with_or_without_its_extension(case, other_case, tmp_path, replace):
    bare = tmp_path / "copy-for-legal"  # a case file with no extension: known by its content
    bare.write_bytes(digest(other_case))
    damaged = tmp_path / "damaged.ircase"  # known by its name even when not a whole page
    damaged.write_bytes(b"x" * 1000)
    journal = tmp_path / "colleague.ircase-journal"
    journal.write_bytes(b"a journal")
    for target in (other_case, str(bare), str(damaged), str(journal)):
        kept = digest(target)
        with pytest.raises(OverCaseFile) as refused:
            export_case(case, "markdown", target, replace=replace)
        assert refused.value.exit_code == 2
        assert refused.value.message == (f"{target} is a case file, and irdesk never writes over "
                                          "one: delete it first, or merge it.")
        assert digest(target) == kept
    assert [n for n in os.listdir(tmp_path) if is_partial_name(n)] == []


def test_a_book_is_refused_by_its_own_name(case, tmp_path):
    book = tmp_path / "team.irbook"
    book.write_bytes(b"x" * 4096)  # encrypted: only the name says it is a book
    with pytest.raises(OverCaseFile) as refused:
        export_case(case, "markdown", str(book), replace=True)
    assert refused.value.message == (f"{book} is a readiness book, and irdesk never writes over one: "
                                      "delete it first, or merge it.")
    assert book.read_bytes() == b"x" * 4096


def test_a_plain_sqlite_file_or_a_text_file_is_not_a_case(case, tmp_path):
    import sqlite3

    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    assert not outputs.is_case_like(str(plain))
    text = tmp_path / "page.txt"
    text.write_bytes(bytes(4096))  # all zeros: what no case ever starts with
    assert not outputs.is_case_like(str(text))


def test_an_existing_file_is_replaced_only_when_asked(case, tmp_path):
    target = tmp_path / "case.json"
    target.write_text("last week's export")
    with pytest.raises(OutputExists, match="only when you say so"):
        export_case(case, "json", str(target))
    assert target.read_text() == "last week's export"
    export_case(case, "json", str(target), replace=True)
    assert target.read_text().startswith("{")
    assert sorted(os.listdir(tmp_path)) == ["case.ircase", "case.json"]


@pytest.mark.parametrize("name", ["copy.ircase", "Contacts.IRBOOK"])
def test_a_plaintext_export_never_takes_a_case_files_name(case, tmp_path, name):
    """Anyone would take it for an encrypted case, and irdesk would then guard it as one."""
    for fmt in ("json", "markdown", "vcard"):
        with pytest.raises(PlaintextCaseName, match="the name of an encrypted case file, but this output "
                                                    "is not encrypted: give it another name"):
            export_case(case, fmt, str(tmp_path / name), replace=True)
    assert sorted(os.listdir(tmp_path)) == ["case.ircase"]


def test_a_saved_attachment_keeps_its_own_name_even_a_case_files(case, tmp_path):
    """An attachment is the very bytes attached (a colleague's case file, say): its name stays."""
    from irdesk.casefile import operations as ops
    from irdesk.casefile.attachments import save_attachment

    attachment = ops.attach(case, "handed-over.ircase", b"encrypted bytes, as attached").value
    folder = tmp_path / "saved"
    folder.mkdir()
    saved = save_attachment(case, attachment.id, str(folder))
    assert os.path.basename(saved) == "handed-over.ircase"


def test_a_symlink_to_another_file_is_replaced_by_the_output_not_followed(case, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not mine to change")
    link = tmp_path / "out.md"
    link.symlink_to(elsewhere)
    export_case(case, "markdown", str(link), replace=True)
    assert elsewhere.read_text() == "not mine to change"
    assert not link.is_symlink() and link.read_text().startswith("#")


def test_a_left_over_partial_is_removed_and_said(case, tmp_path):
    left = temp_name(str(tmp_path / "case.json"))
    with open(left, "wb") as handle:
        handle.write(b'{"records": ["plaintext a killed export left"')
    with open(left + "-journal", "wb") as handle:
        handle.write(b"journal")
    said: list[str] = []
    export_case(case, "json", str(tmp_path / "case.json"), notice=said.append)
    assert not os.path.exists(left) and not os.path.exists(left + "-journal")
    assert len(said) == 1 and os.path.basename(left) in said[0] and "interrupted" in said[0]


def test_a_partial_another_process_is_writing_is_left_alone(case, tmp_path):
    busy = temp_name(str(tmp_path / "big.json"))
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({busy!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        said: list[str] = []
        export_case(case, "json", str(tmp_path / "case.json"), notice=said.append)
        assert os.path.exists(busy) and said == []
    finally:
        holder.communicate("")
    export_case(case, "json", str(tmp_path / "again.json"), notice=said.append)
    assert not os.path.exists(busy) and len(said) == 1


def test_a_partial_this_process_is_writing_is_left_alone(case, tmp_path):
    partial = Partial(str(tmp_path / "copy.ircase"))
    try:
        export_case(case, "json", str(tmp_path / "case.json"))
        assert os.path.exists(partial.path)
        fd = os.open(partial.path, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):  # locked against other processes too
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    finally:
        partial.discard()
        partial.close()


def test_a_new_case_never_appears_half_made(tmp_path, monkeypatch):
    """A failure while a new case is filled leaves nothing at its name, and no partial."""
    from irdesk.casefile import schema

    def broken(execute):
        raise RuntimeError("killed here")

    monkeypatch.setitem(schema.MIGRATIONS, 0, broken)
    target = tmp_path / "new.ircase"
    with pytest.raises(RuntimeError):
        CaseFile.create(str(target), PASSPHRASE, title="Half", actor="T")
    assert os.listdir(tmp_path) == []
    monkeypatch.undo()
    with CaseFile.create(str(target), PASSPHRASE, title="Whole", actor="T") as created:
        assert created.path == str(target)
        from irdesk.casefile import operations as ops
        from irdesk.domain.enums import Phase

        ops.add_note(created, Phase.DETECTION, "written after the file got its name")
    assert os.listdir(tmp_path) == ["new.ircase"]  # its journal followed it: none left
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"
    with CaseFile.open(str(target), PASSPHRASE, writable=False) as reopened:
        assert reopened.counts()["note"] == 1
