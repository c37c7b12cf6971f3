"""Attachment export writes inside the chosen folder or refuses, whatever the stored name says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.attachments import MAX_NAME_BYTES, safe_file_name, save_attachment
from irdesk.casefile.errors import CaseFileError
from irdesk.domain.records import Attachment

HOSTILE = ["../../x", "/etc/x", "C:\\x", "C:x", "CON", "con.txt", "LPT1.log", "a" * 300 + ".txt", "é" * 200,
           "..", ".", "", " ", "a\x00b", "line\nbreak", "we:ird*na?me|<>\".txt", "..\\..\\windows\\system32"]


def store_named(case, name: str) -> Attachment:
    """An attachment whose stored name is exactly ``name`` (as a hostile copy could carry)."""
    record = ops.attach(case, "placeholder", b"evidence bytes").value
    with case.transaction():  # beneath the operations: what a hostile copy could hold
        case.records.revise(Attachment, record.id, name=name)
    return case.records.get(Attachment, record.id)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_inside_the_folder(case, tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    record = store_named(case, name.replace("\x00", "_"))
    path = save_attachment(case, record.id, str(out))
    assert os.path.dirname(path) == str(out.resolve())
    assert Path(path).read_bytes() == b"evidence bytes"
    base = os.path.basename(path)
    assert len(base.encode()) <= MAX_NAME_BYTES and "/" not in base and "\\" not in base
    assert base.split(".")[0].upper() not in ("CON", "LPT1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.ircase", "out"]


def test_existing_file_and_symlink_are_never_overwritten_or_followed(case, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "log.txt").write_text("keep me")
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch")
    (out / "log (2).txt").symlink_to(victim)
    record = ops.attach(case, "log.txt", b"new").value
    path = save_attachment(case, record.id, str(out))
    assert os.path.basename(path) == "log (3).txt"
    assert (out / "log.txt").read_text() == "keep me" and victim.read_text() == "do not touch"


def test_missing_folder_is_refused(case, tmp_path):
    record = ops.attach(case, "a.txt", b"x").value
    with pytest.raises(CaseFileError, match="not a folder"):
        save_attachment(case, record.id, str(tmp_path / "nope"))


def test_safe_name_keeps_ordinary_names():
    assert safe_file_name("ransom-note.txt") == "ransom-note.txt"
    assert safe_file_name("Прошивка ملف.log") == "Прошивка ملف.log"
    assert safe_file_name("a" * 300 + ".txt").endswith(".txt")
