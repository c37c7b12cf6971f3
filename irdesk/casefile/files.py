"""Writing files so that a crash, a full disk or a FAT-formatted stick never leaves half of one.

A new file is written as a hidden temporary in the destination folder, flushed to disk,
then renamed over its name in one step; the folder is flushed too where the system allows.
``deferred_output`` goes further for outputs the case must record first (a signed report):
the file has no name at all until the block that writes it, and commits its record, ends.
"""

from __future__ import annotations

import contextlib
import errno
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


# ---------------------------------------------------------------- outputs that appear last

HELD_BACK = 4096  # a named partial's first bytes stay in memory until the file is published
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}  # what FAT, exFAT and old kernels say
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class DeferredOutput:
    """What ``deferred_output`` yields: bytes written here reach the target when the block ends."""

    def __init__(self, fd: int, *, hold_head: bool) -> None:
        self._fd = fd
        self._hold_head = hold_head
        self._head = bytearray()
        self._written = 0

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        if self._hold_head and self._written < HELD_BACK:
            held = view[: HELD_BACK - self._written]
            self._head += held
            self._write_all(bytes(len(held)))  # zeros: a left-over partial is never a valid file
            view = view[len(held) :]
        self._write_all(view)
        self._written += len(data)
        return len(data)

    def _write_all(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def _finish(self) -> None:
        """Write the held-back head in its place and flush everything to the disk."""
        done = 0
        while done < len(self._head):
            done += os.pwrite(self._fd, self._head[done:], done)
        os.fsync(self._fd)


@contextlib.contextmanager
def deferred_output(target: str, *, overwrite: bool = True) -> Iterator[DeferredOutput]:
    """Write ``target`` so that it appears only once the ``with`` block has ended without error.

    The bytes go to an unnamed file (``O_TMPFILE``) in the target's folder, which is linked
    into place when the block ends: whatever the block commits before that, such as the
    case's record of a signed report, is on disk before the file can be seen, and a kill
    at any moment leaves either no file or a recorded one. Where the file system has no
    unnamed files (FAT, exFAT) a hidden ``.partial`` is written instead, with its first
    bytes held back until the end, so a left-over partial is never a usable file. On any
    error nothing appears and ``target`` is untouched.
    """
    target = os.path.abspath(target)
    folder, name = os.path.split(target)
    if not overwrite and os.path.lexists(target):
        raise CaseExists(target)
    try:
        dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError as exc:
        raise StorageError(f"{target} cannot be written: {exc.strerror}.") from None
    partial = None
    try:
        fd = _open_unnamed(folder)
        if fd is None:
            partial = os.path.basename(temp_name(target))
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600, dir_fd=dir_fd)
        output = DeferredOutput(fd, hold_head=partial is not None)
        try:
            yield output
            output._finish()
            if partial is None:
                _link_into_place(fd, dir_fd, name, target, overwrite=overwrite)
            else:
                if not overwrite and os.path.lexists(target):
                    raise CaseExists(target)
                os.replace(partial, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                partial = None
            with contextlib.suppress(OSError):
                os.fsync(dir_fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StorageError(f"{target} could not be written: {exc.strerror or exc}.") from None
    finally:
        if partial is not None:
            with contextlib.suppress(OSError):
                os.unlink(partial, dir_fd=dir_fd)
        os.close(dir_fd)


def _open_unnamed(folder: str) -> int | None:
    """An unnamed file in ``folder``, or None where the system or file system has none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):  # linking it needs /proc
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | _CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno in _NO_TMPFILE:
            return None
        raise


def _link_into_place(fd: int, dir_fd: int, name: str, target: str, *, overwrite: bool) -> None:
    """Give the unnamed file its name; ``linkat`` never replaces, so a replacement goes via a rename.

    ``dst_dir_fd`` makes Python call ``linkat`` with ``AT_SYMLINK_FOLLOW`` (a plain ``link``
    would link the /proc entry itself and fail with EXDEV).
    """
    source = f"/proc/self/fd/{fd}"
    if not (overwrite and os.path.lexists(target)):
        try:
            os.link(source, name, dst_dir_fd=dir_fd)
            return
        except FileExistsError:
            if not overwrite:
                raise CaseExists(target) from None
    temporary = os.path.basename(temp_name(target))
    os.link(source, temporary, dst_dir_fd=dir_fd)
    try:
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=dir_fd)
        raise


def _remove_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
