"""The hand-off copy: the whole case, re-keyed under a new passphrase, written atomically.

How the copy is made (see DESIGN.md on the POSIX lock pitfall): the open connection
ATTACHes a fresh temporary file in the target folder under the new raw key, with a new
salt, and ``sqlcipher_export()`` copies every table into it; ``user_version`` (which the
export drops) is copied by hand. No second descriptor is ever opened on the case itself,
the two files share neither key nor salt, and the responder's passphrase never travels.
The copy is then opened and fully checked (integrity, chain, every record against the
chain), so a damaged or tampered case is never handed on; it gets a "handoff" audit entry,
is flushed and renamed into place (``outputs.sealed_output``: a locked hidden partial until
then). Its fingerprint is taken after that entry, so the receiver sees the same one when
opening the copy or running ``irdesk check``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from irdesk.casefile import kdf
from irdesk.casefile.check import check_case
from irdesk.casefile.container import EncryptedFile
from irdesk.casefile.errors import CaseExists, CaseFileError, DiskFull, StorageError, TamperedCase
from irdesk.casefile.lock import WriterLock
from irdesk.casefile.outputs import Notice, check_destination, sealed_output


@dataclass(frozen=True)
class HandoffCopy:
    path: str
    case_id: str
    chain_head: str
    fingerprint: str  # what both people read to each other


def write_handoff_copy(case: EncryptedFile, target: str, new_passphrase: str, *, replace: bool = False,
                       notice: Notice | None = None) -> HandoffCopy:
    """Write a re-keyed copy of ``case`` at ``target``.

    The case itself is only read. On any failure (a full disk included) the partial is
    removed and ``target`` is untouched. ``replace`` allows replacing an existing file that
    is not a case (``--force``); a case file is never replaced.

    Raises:
        OverCaseFile: ``target`` is the case, or another case file.
        OutputExists: ``target`` exists and ``replace`` is false.
        StorageError: the copy could not be written.
    """
    target = os.path.abspath(target)
    check_destination(target, protect=(case.path,), replace=replace)  # before the slow derivation
    salt = kdf.new_salt()
    key = kdf.derive_key(new_passphrase, salt)
    try:
        with sealed_output(target, protect=(case.path,), replace=replace, notice=notice) as partial:
            _export(case, partial.path, kdf.raw_key_literal(key, salt), target)
            assert partial.fd is not None
            copy = type(case).open(partial.path, key=key, actor=case.actor, clock=case.clock,
                                 lock=WriterLock.held(partial.fd, owned=False))
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
    except OSError as exc:
        raise StorageError(
            f"The hand-off copy could not be written to {target}: "
            f"{exc.strerror or exc}. Nothing was changed."
        ) from None
    except CaseFileError as exc:
        if isinstance(exc, CaseExists | StorageError | TamperedCase):
            raise
        raise StorageError(
            f"The hand-off copy could not be written to {target} "
            f"({exc.message}) Nothing was changed."
        ) from None
    return result


def _export(case: EncryptedFile, tmp: str, key_literal: str, target: str) -> None:
    """Copy every table of the open case into ``tmp`` under the new key, in one go."""
    try:
        case.db.export_to(tmp, key_literal)
    except StorageError as exc:
        reason = "The disk is full" if isinstance(exc, DiskFull) else "The disk refused a write (is it full?)"
        raise StorageError(f"{reason}; the hand-off copy {target} was not made.") from None
