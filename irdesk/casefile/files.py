"""How bytes reach the disk so that a crash, a kill, a full disk or a FAT stick never leaves half a file.

Two ways, both in the destination folder (so the last step is atomic), both flushed to disk:

- **Unnamed** (``deferred_output``): the bytes go to an ``O_TMPFILE`` file that has no name
  until the block that writes it has ended without error, then it is linked into place. A kill
  at any moment leaves nothing at all. Plaintext outputs are written so.
- **A named partial** (``partial_file``, ``atomic_output``): a hidden ``.NAME.xxxxxxxx.partial``
  renamed over its name at the end. SQLite needs a name (hand-off copies, backups, new cases),
  and FAT and exFAT have no unnamed files. A partial is ``flock``-ed while it is in use, so
  ``sweep`` can tell one a killed command left behind from one still being written, and
  remove only the former.

Where outputs may go at all (never over a case) is ``outputs.py``'s business.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO

from irdesk.casefile.errors import CaseExists, StorageError

try:
    import fcntl
except ImportError:  # Windows: no flock; a left-over partial then stays until removed by hand
    fcntl = None  # type: ignore[assignment]

COPY_BUFFER = 1024 * 1024
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_PARTIAL = re.compile(r"^\..+\.[0-9a-f]{8}\.partial(-journal)?$")
_IN_PROGRESS: set[str] = set()  # partials this process is writing (see ``sweep``)
UNLOCKABLE_AGE = 3600.0  # seconds: where flock is missing, a partial this old is left over


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


def is_partial_name(name: str) -> bool:
    """Whether ``name`` is one of irdesk's partials (or such a partial's SQLite journal)."""
    return bool(_PARTIAL.match(name))


# ---------------------------------------------------------------- named partials


def _lock(fd: int) -> bool:
    """An exclusive ``flock`` on ``fd`` without waiting: False when another holds one."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True  # no flock on this file system: the age decides in ``sweep``
    return True


class Partial:
    """A new, hidden, locked file beside ``target`` that becomes ``target`` at ``publish``.

    ``fd`` is open (and ``flock``-ed) from creation to ``close``. Close it only after SQLite
    has closed the file: closing any descriptor of a file drops the process's POSIX locks on
    it, SQLite's included.
    """

    def __init__(self, target: str) -> None:
        self.target = os.path.abspath(target)
        for _ in range(8):
            self.path = temp_name(self.target)
            try:
                self.fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600)
            except OSError as exc:
                raise StorageError(f"{self.target} cannot be written: {exc.strerror}.") from None
            if _lock(self.fd) and os.fstat(self.fd).st_nlink:
                break
            # A sweep in another process took it in the moment between creating and locking.
            os.close(self.fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        else:
            raise StorageError(f"{self.target} cannot be written: its temporary file keeps vanishing.")
        _IN_PROGRESS.add(self.path)
        secure_create_mode(self.path)

    def take_fd(self) -> int:
        """Hand the locked descriptor over (to a ``WriterLock``); the taker closes it."""
        fd, self.fd = self.fd, None
        assert fd is not None
        return fd

    def duplicate_fd(self) -> int:
        """A second descriptor for writing through (closing it keeps the lock held)."""
        assert self.fd is not None
        return os.dup(self.fd)

    def flush(self) -> None:
        if self.fd is not None:
            os.fsync(self.fd)

    def publish(self, *, overwrite: bool) -> None:
        """Flush it, then give it its name: over an existing file only if ``overwrite``."""
        self.flush()
        if overwrite:
            os.replace(self.path, self.target)
        else:
            _place_without_replacing(self.path, self.target)
        _IN_PROGRESS.discard(self.path)
        fsync_folder(os.path.dirname(self.target))

    def discard(self) -> None:
        """Remove it (and a journal SQLite may have left beside it)."""
        for path in (self.path, self.path + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(path)
        _IN_PROGRESS.discard(self.path)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _place_without_replacing(source: str, target: str) -> None:
    """Rename ``source`` to ``target`` unless ``target`` exists, in one step where possible."""
    try:
        os.link(source, target)  # fails if target exists: nothing is ever replaced
    except FileExistsError:
        raise CaseExists(target) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(target):  # FAT and exFAT have no hard links: check, then rename
            raise CaseExists(target) from None
        os.rename(source, target)
        return
    os.unlink(source)


@contextlib.contextmanager
def partial_file(target: str, *, overwrite: bool = False) -> Iterator[Partial]:
    """Yield a locked ``Partial`` that replaces (or, by default, creates) ``target``.

    For files SQLite writes: the block must close its connections before it ends. On any
    error the partial (and its journal) is removed and ``target`` is untouched.
    """
    partial = Partial(target)
    try:
        yield partial
        partial.publish(overwrite=overwrite)
    except OSError as exc:
        partial.discard()
        raise StorageError(f"{partial.target} could not be written: {exc.strerror or exc}.") from None
    except BaseException:
        partial.discard()
        raise
    finally:
        partial.close()


@contextlib.contextmanager
def atomic_output(target: str, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Write ``target`` atomically through a named partial: yields a binary handle on it.

    On any error the partial is removed and ``target`` is untouched.
    """
    if not overwrite and os.path.lexists(target):
        raise CaseExists(target)
    with partial_file(target, overwrite=overwrite) as partial:
        with os.fdopen(partial.duplicate_fd(), "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def atomic_write(target: str, data: bytes, *, overwrite: bool = True) -> None:
    with atomic_output(target, overwrite=overwrite) as handle:
        handle.write(data)


def atomic_copy(source: str, target: str, *, overwrite: bool = True,
                progress: Callable[[int], None] | None = None) -> None:
    """Copy ``source`` to ``target`` atomically (``source`` must not be open in SQLite)."""
    with open(source, "rb") as src, atomic_output(target, overwrite=overwrite) as dst:
        done = 0
        while chunk := src.read(COPY_BUFFER):
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done)


def sweep(folder: str) -> list[str]:
    """Remove the partials in ``folder`` that an interrupted irdesk command left behind.

    A partial still being written is locked (or, in this process, known); only one nobody
    holds is removed, with its journal. Returns the names removed.
    """
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    removed = []
    for name in sorted(n for n in names if is_partial_name(n) and n.endswith(".partial")):
        path = os.path.join(folder, name)
        if path in _IN_PROGRESS or os.path.abspath(path) in _IN_PROGRESS:
            continue
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK | _CLOEXEC)
        except OSError:
            continue  # a symlink, gone meanwhile, unreadable: not ours to judge
        try:
            if not _left_over(fd):
                continue
            for doomed in (path, path + "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(doomed)
            removed.append(name)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _left_over(fd: int) -> bool:
    """Whether nobody holds the partial open for writing (its writer was killed)."""
    st = os.fstat(fd)
    if not (st.st_mode & 0o170000 == 0o100000):  # a regular file only
        return False
    if fcntl is None:
        return time.time() - st.st_mtime > UNLOCKABLE_AGE
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # no flock here: only an old partial counts as left over
        return time.time() - st.st_mtime > UNLOCKABLE_AGE
    return True


# ---------------------------------------------------------------- outputs that appear last

HELD_BACK = 4096  # a named partial's first bytes stay in memory until the file is published
CHUNK = 1024 * 1024  # bytes gathered before each write(2)
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL}  # what FAT, exFAT and old kernels say


class DeferredOutput(io.BufferedIOBase):
    """What ``deferred_output`` yields: bytes written here reach the target when the block ends.

    A binary stream (``io.TextIOWrapper`` can sit on it) that gathers writes into chunks.
    Once the block has failed it discards whatever still arrives (a text wrapper flushing as
    it is collected), so nothing is written to a descriptor that was closed.
    """

    def __init__(self, fd: int, name: str, *, hold_head: bool) -> None:
        super().__init__()
        self.name = name
        self._fd: int | None = fd
        self._hold_head = hold_head
        self._head = bytearray()
        self._pending: list[bytes] = []  # joined once per chunk: far cheaper than growing a bytearray
        self._pending_size = 0
        self._written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(data) if not isinstance(data, memoryview) else data.nbytes
        if self._fd is None:
            return size  # the block failed: nothing more reaches the disk
        self._pending.append(data if isinstance(data, bytes) else bytes(data))
        self._pending_size += size
        if self._pending_size >= CHUNK:
            self._drain()
        return size

    def flush(self) -> None:
        if self._fd is not None:
            self._drain()

    def _drain(self) -> None:
        data = memoryview(self._pending[0] if len(self._pending) == 1 else b"".join(self._pending))
        self._pending.clear()
        self._pending_size = 0
        if self._hold_head and self._written < HELD_BACK:
            held = data[: HELD_BACK - self._written]
            self._head += held
            self._write_all(bytes(len(held)))  # zeros: a left-over partial is never a valid file
            self._written += len(held)
            data = data[len(held) :]
        self._write_all(data)
        self._written += len(data)

    def _write_all(self, data: bytes | memoryview) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def _finish(self) -> None:
        """Write what is pending and the held-back head in its place, and flush to the disk."""
        self._drain()
        assert self._fd is not None
        done = 0
        while done < len(self._head):
            done += os.pwrite(self._fd, self._head[done:], done)
        os.fsync(self._fd)

    def _abandon(self) -> None:
        self._fd = None
        self._pending.clear()
        self._pending_size = 0


@contextlib.contextmanager
def deferred_output(target: str, *, overwrite: bool = True) -> Iterator[DeferredOutput]:
    """Write ``target`` so that it appears only once the ``with`` block has ended without error.

    The bytes go to an unnamed file (``O_TMPFILE``) in the target's folder, which is linked
    into place when the block ends: whatever the block commits before that, such as the
    case's record of a signed report, is on disk before the file can be seen, and a kill
    at any moment leaves either no file or a complete one. Where the file system has no
    unnamed files (FAT, exFAT) a locked hidden ``.partial`` is written instead, with its first
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
    partial: Partial | None = None
    published = False
    try:
        fd = _open_unnamed(folder)
        if fd is None:
            partial = Partial(target)
            assert partial.fd is not None
            fd = partial.fd
        else:
            _lock(fd)  # linked under a temporary name when replacing: never swept meanwhile
        output = DeferredOutput(fd, target, hold_head=partial is not None)
        try:
            yield output
            output._finish()
            if partial is None:
                _link_into_place(fd, dir_fd, name, target, overwrite=overwrite)
            else:
                partial.publish(overwrite=overwrite)
            published = True
            with contextlib.suppress(OSError):
                os.fsync(dir_fd)
        finally:
            output._abandon()
            if partial is None:
                os.close(fd)
    except OSError as exc:
        raise StorageError(f"{target} could not be written: {exc.strerror or exc}.") from None
    finally:
        if partial is not None:
            if not published:
                partial.discard()
            partial.close()
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
    _IN_PROGRESS.add(os.path.join(os.path.dirname(target), temporary))
    try:
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=dir_fd)
        raise
    finally:
        _IN_PROGRESS.discard(os.path.join(os.path.dirname(target), temporary))
