"""``deferred_output``: a file that appears only when its block ends, unnamed (O_TMPFILE) until then."""

from __future__ import annotations

import errno
import os

import pytest

from irdesk.casefile.errors import CaseExists, StorageError
from irdesk.casefile.files import HELD_BACK, deferred_output

DATA = bytes(range(256)) * 64  # 16 KiB, longer than the held-back head


@pytest.fixture
def no_tmpfile(monkeypatch):
    """A file system without unnamed files (vfat, exFAT): O_TMPFILE fails with EOPNOTSUPP."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_the_file_has_no_name_until_the_block_ends(tmp_path):
    target = tmp_path / "report.pdf"
    with deferred_output(str(target)) as output:
        output.write(DATA[:100])
        output.write(DATA[100:])
        assert os.listdir(tmp_path) == []
    assert os.listdir(tmp_path) == ["report.pdf"]
    assert target.read_bytes() == DATA
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_error_in_the_block_leaves_nothing_and_the_old_file_untouched(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the earlier report")
    with pytest.raises(RuntimeError), deferred_output(str(target)) as output:
        output.write(DATA)
        raise RuntimeError("the record could not be committed")
    assert os.listdir(tmp_path) == ["report.pdf"]
    assert target.read_bytes() == b"the earlier report"


def test_an_existing_file_is_replaced_only_when_allowed(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    with deferred_output(str(target)) as output:
        output.write(b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["report.pdf"]  # no temporary name left behind
    with pytest.raises(CaseExists), deferred_output(str(target), overwrite=False) as output:
        output.write(b"newer")
    assert target.read_bytes() == b"new"


def test_a_file_that_appears_meanwhile_is_not_overwritten_when_not_allowed(tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(CaseExists), deferred_output(str(target), overwrite=False) as output:
        output.write(b"mine")
        target.write_bytes(b"someone else's")
    assert target.read_bytes() == b"someone else's"
    assert os.listdir(tmp_path) == ["report.pdf"]


def test_a_missing_folder_is_one_sentence(tmp_path):
    with pytest.raises(StorageError) as caught, deferred_output(str(tmp_path / "no" / "r.pdf")):
        pass
    assert "cannot be written" in caught.value.message


def test_without_unnamed_files_a_partial_holds_back_its_head_until_the_end(tmp_path, no_tmpfile):
    target = tmp_path / "report.pdf"
    with deferred_output(str(target)) as output:
        output.write(DATA[:10])
        output.write(DATA[10:])
        output.flush()  # writes are gathered into chunks; this puts them on the disk
        (partial,) = os.listdir(tmp_path)
        assert partial.startswith(".report.pdf.") and partial.endswith(".partial")
        on_disk = (tmp_path / partial).read_bytes()
        assert on_disk[:HELD_BACK] == bytes(HELD_BACK)  # never a usable file while unrecorded
        assert on_disk[HELD_BACK:] == DATA[HELD_BACK:]
    assert os.listdir(tmp_path) == ["report.pdf"]
    assert target.read_bytes() == DATA
    assert target.stat().st_mode & 0o777 == 0o600


def test_without_unnamed_files_a_short_output_and_an_error_both_work(tmp_path, no_tmpfile):
    target = tmp_path / "short.txt"
    with deferred_output(str(target)) as output:
        output.write(b"short")
    assert target.read_bytes() == b"short"
    with pytest.raises(RuntimeError), deferred_output(str(target)) as output:
        output.write(DATA)
        raise RuntimeError("failed")
    assert os.listdir(tmp_path) == ["short.txt"]
    assert target.read_bytes() == b"short"
