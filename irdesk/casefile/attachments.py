"""Saving an embedded attachment to a folder the user chose, and never anywhere else.

The stored name comes from whoever made the case (maybe a colleague's hostile copy), so it is
reduced to a plain file name that is valid on Linux, macOS, Windows and FAT/exFAT sticks:
no folders, no drive letters, no reserved device names, no control characters, at most 200
bytes. An existing file or a symlink at the target is never overwritten or followed; the
next free name ("name (2).ext") is used instead.
"""

from __future__ import annotations

import os
import re
import unicodedata

from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.outputs import Notice, plaintext_output
from irdesk.casefile.store import CaseFile
from irdesk.domain.records import Attachment

MAX_NAME_BYTES = 200
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str) -> str:
    """A plain, portable file name for ``name`` (never empty, never a path)."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]  # the last part of any path, Windows or POSIX
    name = re.sub(r"^[A-Za-z]:", "", name)  # a drive letter left over: "C:x"
    name = _FORBIDDEN.sub("_", name).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:  # CON, con.txt, LPT1.log: devices on Windows
        name = "_" + name
    if not name or name in (".", ".."):
        name = "attachment"
    return _truncate(name)


def _truncate(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = (dot + ext) if dot and len((dot + ext).encode()) <= 16 else ""
    base = stem if suffix else name
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    while len(base.encode("utf-8")) > budget:
        base = base[:-1]
    return base + suffix


def _free_target(folder: str, name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    candidate, n = name, 1
    while os.path.lexists(os.path.join(folder, candidate)):
        n += 1
        candidate = _truncate(f"{stem} ({n}){dot}{ext}")
        if n > 9999:
            raise CaseFileError(f"{folder} already holds too many files named like {name}.")
    return os.path.join(folder, candidate)


def save_attachment(case: CaseFile, attachment_id: str, folder: str, *, notice: Notice | None = None) -> str:
    """Write the attachment's bytes (hash-checked) into ``folder``; returns the file's path.

    The bytes are plaintext: written unnamed and linked into place, never over anything.

    Raises:
        CaseFileError: no such folder, no such attachment, a damaged attachment, a full disk.
    """
    if not os.path.isdir(folder):
        raise CaseFileError(f"{folder} is not a folder.")
    record = case.records.get(Attachment, attachment_id)
    data = case.attachment_bytes(attachment_id)
    real_folder = os.path.realpath(folder)
    target = _free_target(real_folder, safe_file_name(record.name))
    if os.path.dirname(target) != real_folder:  # cannot happen with a safe name; refuse if it did
        raise CaseFileError(f"The attachment name {record.name!r} would leave the chosen folder.")
    with plaintext_output(target, protect=(case.path,), notice=notice, own_bytes=True) as output:
        output.write(data)
    return target
