"""Writing files so that a crash, a full disk or a FAT-formatted stick never leaves half of one.

A new file is written as a hidden temporary in the destination folder, flushed to disk,
then renamed over its name in one step; the folder is flushed too where the system allows.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from typing import BinaryIO

from irdesk.casefile.errors import CaseExists, StorageError

COPY_BUFFER = 1024 * 1024


def secure_create_mode(path: str) -> None:
    """Make a file owner-only where the file system has permissions (not on FAT/exFAT)."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def fsync_folder(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_name(target: str) -> str:
    """A hidden temporary beside ``target``: same folder, so the final rename is atomic."""
    folder, name = os.path.split(os.path.abspath(target))
    return os.path.join(folder, f".{name}.{secrets.token_hex(4)}.partial")


@contextlib.contextmanager
def atomic_output(target: str, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Write ``target`` atomically: yields a binary handle on a temporary that replaces it.

    On any error the temporary is removed and ``target`` is untouched.
    """
    if not overwrite and os.path.lexists(target):
        raise CaseExists(target)
    tmp = temp_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        raise StorageError(f"{target} cannot be written: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite and os.path.lexists(target):
            raise CaseExists(target)
        os.replace(tmp, target)
        fsync_folder(os.path.dirname(os.path.abspath(target)))
    except OSError as exc:
        _remove_quietly(tmp)
        raise StorageError(f"{target} could not be written: {exc.strerror or exc}.") from None
    except BaseException:
        _remove_quietly(tmp)
        raise


def atomic_write(target: str, data: bytes, *, overwrite: bool = True) -> None:
    with atomic_output(target, overwrite=overwrite) as handle:
        handle.write(data)


def atomic_copy(source: str, target: str, *, progress: Callable[[int], None] | None = None) -> None:
    """Copy ``source`` to ``target`` atomically (``source`` must not be open in SQLite)."""
    with open(source, "rb") as src, atomic_output(target) as dst:
        done = 0
        while chunk := src.read(COPY_BUFFER):
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done)


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
