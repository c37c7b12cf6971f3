"""The hand-off copy: the whole case, re-keyed under a new passphrase, written atomically.

How the copy is made (see DESIGN.md on the POSIX lock pitfall): the open connection
ATTACHes a fresh temporary file in the target folder under the new raw key, with a new
salt, and ``sqlcipher_export()`` copies every table into it; ``user_version`` (which the
export drops) is copied by hand. No second descriptor is ever opened on the case itself,
the two files share neither key nor salt, and the responder's passphrase never travels.
The copy is then opened and fully checked (integrity, chain, every record against the
chain), so a damaged or tampered case is never handed on; it gets a "handoff" audit entry,
is flushed and renamed into place. Its fingerprint is taken after that entry, so the
receiver sees the same one when opening the copy or running ``irdesk check``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

from irdesk.casefile import kdf
from irdesk.casefile.check import check_case
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import CaseExists, CaseFileError, DiskFull, StorageError, TamperedCase
from irdesk.casefile.files import fsync_folder, secure_create_mode, temp_name


@dataclass(frozen=True)
class HandoffCopy:
    path: str
    case_id: str
    chain_head: str
    fingerprint: str  # what both people read to each other


def write_handoff_copy(case: EncryptedFile, target: str, new_passphrase: str) -> HandoffCopy:
    """Write a re-keyed copy of ``case`` at ``target`` (which must not exist).

    The case itself is only read. On any failure (a full disk included) the temporary
    is removed and nothing exists at ``target``.

    Raises:
        CaseExists: ``target`` already exists.
        StorageError: the copy could not be written.
    """
    target = os.path.abspath(target)
    if os.path.lexists(target):
        raise CaseExists(target)
    if _same_place(case.path, target):
        raise CaseExists(target)
    salt = kdf.new_salt()
    key = kdf.derive_key(new_passphrase, salt)
    tmp = temp_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        raise StorageError(
            f"The hand-off copy cannot be written to {target}: {exc.strerror}."
        ) from None
    os.close(fd)
    secure_create_mode(tmp)
    try:
        _export(case, tmp, kdf.raw_key_literal(key, salt), target)
        copy = type(case).open(tmp, key=key, actor=case.actor, clock=case.clock)
        try:
            report = check_case(copy)  # never hand on a damaged or tampered case
            if not report.ok:
                raise TamperedCase(
                    f"The {case.KIND.name} failed its check ({report.problems[0]}); no copy "
                    "was made. Run `irdesk check` on it."
                )
            copy.log_event("handoff", source=f"copy of chain head {case.chain_head}")
            result = HandoffCopy(target, copy.file_id, copy.chain_head, copy.fingerprint())
        finally:
            copy.close()
        _flush(tmp)
        if os.path.lexists(target):
            raise CaseExists(target)
        os.replace(tmp, target)
        fsync_folder(os.path.dirname(target))
    except OSError as exc:
        _discard(tmp)
        raise StorageError(
            f"The hand-off copy could not be written to {target}: "
            f"{exc.strerror or exc}. Nothing was changed."
        ) from None
    except CaseFileError as exc:
        _discard(tmp)
        if isinstance(exc, CaseExists | StorageError | TamperedCase):
            raise
        raise StorageError(
            f"The hand-off copy could not be written to {target} "
            f"({exc.message}) Nothing was changed."
        ) from None
    except BaseException:
        _discard(tmp)
        raise
    return result


def _export(case: EncryptedFile, tmp: str, key_literal: str, target: str) -> None:
    """Copy every table of the open case into ``tmp`` under the new key, in one go."""
    try:
        case.db.export_to(tmp, key_literal)
    except StorageError as exc:
        reason = "The disk is full" if isinstance(exc, DiskFull) else "The disk refused a write (is it full?)"
        raise StorageError(f"{reason}; the hand-off copy {target} was not made.") from None


def _flush(path: str) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(tmp: str) -> None:
    for path in (tmp, tmp + "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(path)


def _same_place(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
