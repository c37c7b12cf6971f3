"""The one gate every file irdesk writes for the user goes through (README, "Outputs").

- **Never over a case file or a book**, whatever the flags: not over the open case (its real
  path, symlinks resolved), not over a file that looks like a case (``connection.looks_like_case``:
  the test ``read_salt`` makes), not over an existing ``*.ircase`` or ``*.irbook`` however damaged,
  nor a case's journal. The refusal says "delete it first, or merge it" (exit 2).
- **Any other existing file** is replaced only when the user said so: ``replace=True`` is
  ``--force`` on the command line and a yes to the GUI's question.
- **Plaintext outputs** (every export format, the report, a saved attachment) are written
  unnamed and linked into place when complete (``plaintext_output``), so a kill leaves nothing.
- **SQLCipher outputs** (hand-off copies, salvaged cases) are written as a locked hidden
  partial renamed into place (``sealed_output``); so are plaintext outputs on FAT and exFAT.
- Before writing into a folder, partials an interrupted irdesk command left there are
  removed, and ``notice`` is told so in one sentence.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, cast

from irdesk.casefile.connection import looks_like_case
from irdesk.casefile.errors import OutputExists, OverCaseFile, PlaintextCaseName
from irdesk.casefile.files import Partial, deferred_output, partial_file, sweep
from irdesk.domain.errors import BadInput

CASE_SUFFIXES = (".ircase", ".irbook")
Notice = Callable[[str], None]


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file: the same real path, or the same inode (a hard link)."""
    if os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_case_like(path: str) -> bool:
    """Whether an existing ``path`` (or what its symlink points to) may be a case or a book."""
    real = os.path.realpath(path)
    if real.lower().endswith(CASE_SUFFIXES) or os.path.abspath(path).lower().endswith(CASE_SUFFIXES):
        return os.path.lexists(path)
    if looks_like_case(real):
        return True
    stem, journal = real[: -len("-journal")], real.endswith("-journal")
    return journal and (looks_like_case(stem) or stem.lower().endswith(CASE_SUFFIXES))


def check_destination(target: str, *, protect: Iterable[str] = (), replace: bool = False,
                      plaintext: bool = False) -> str:
    """The absolute path to write, or a refusal (exit 2) saying why it may not be written.

    Args:
        protect: the case files open here (never written over, even when they do not exist).
        replace: the user agreed to replace an existing file that is not a case.
        plaintext: the output is not encrypted, so it may not take a case file's name either
            (anyone would take it for an encrypted case, and irdesk would then guard it as one).

    Raises:
        OverCaseFile: ``target`` is (or may be) a case file or a book.
        PlaintextCaseName: ``plaintext`` and ``target`` ends in ``.ircase`` or ``.irbook``.
        OutputExists: ``target`` exists and ``replace`` is false.
        BadInput: ``target`` is a folder, or its folder does not exist.
    """
    path = os.path.abspath(target)
    if os.path.isdir(path):
        raise BadInput(f"{target} is a folder; give a file name.")
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise BadInput(f"The folder {folder} does not exist.")
    # The open cases first, by path and inode only: reading a file SQLite holds open here and
    # closing it again would drop SQLite's POSIX locks on it.
    if any(same_file(path, case) for case in protect) or (os.path.lexists(path) and is_case_like(path)):
        raise OverCaseFile(target)
    if plaintext and path.lower().endswith(CASE_SUFFIXES):
        raise PlaintextCaseName(target, os.path.splitext(path)[1])
    if os.path.lexists(path) and not replace:
        raise OutputExists(target)
    return path


def remove_leftovers(folder: str, notice: Notice | None) -> None:
    """Remove the partials an interrupted irdesk command left in ``folder``, and say so."""
    for name in sweep(folder):
        if notice is not None:
            notice(f"Removed {name} from {folder}: an unfinished file that an interrupted "
                   "irdesk command left behind.")


@contextlib.contextmanager
def plaintext_output(target: str, *, protect: Iterable[str] = (), replace: bool = False,
                     notice: Notice | None = None, own_bytes: bool = False) -> Iterator[BinaryIO]:
    """Write an unencrypted output: it has no name until the block ends without error.

    Yields a binary stream (a ``files.DeferredOutput``: see ``files.deferred_output`` for
    how it reaches the disk). An export or report may not take a case file's name;
    ``own_bytes`` (a saved attachment: the very bytes that were attached, a case file
    perhaps) may.
    """
    path = check_destination(target, protect=protect, replace=replace, plaintext=not own_bytes)
    remove_leftovers(os.path.dirname(path), notice)
    with deferred_output(path, overwrite=replace) as output:
        yield cast(BinaryIO, output)


@contextlib.contextmanager
def sealed_output(target: str, *, protect: Iterable[str] = (), replace: bool = False,
                  notice: Notice | None = None) -> Iterator[Partial]:
    """Write an encrypted (SQLCipher) output through a locked partial renamed into place.

    Yields the ``Partial``: SQLite writes ``partial.path``; the block closes every connection
    to it before it ends. Its descriptor holds the lock a case's writer lock would.
    """
    path = check_destination(target, protect=protect, replace=replace)
    remove_leftovers(os.path.dirname(path), notice)
    with partial_file(path, overwrite=replace) as partial:
        yield partial
