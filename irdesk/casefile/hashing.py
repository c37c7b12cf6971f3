"""Streaming SHA-256 of large evidence files, with progress and cancel, in bounded memory."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass

from irdesk.casefile.errors import CaseFileError

BUFFER = 4 * 1024 * 1024  # large reads: hashing runs at disk speed


class HashCancelled(CaseFileError):
    def __init__(self) -> None:
        super().__init__("Hashing was cancelled.")


@dataclass(frozen=True)
class FileDigest:
    size: int
    sha256: str


def hash_file(
    path: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FileDigest:
    """Hash ``path``; ``progress(done, total)`` is called per buffer, ``cancelled()`` polled."""
    digest = hashlib.sha256()
    buffer = bytearray(BUFFER)
    view = memoryview(buffer)
    done = 0
    try:
        with open(path, "rb", buffering=0) as handle:
            total = os.fstat(handle.fileno()).st_size
            while n := handle.readinto(buffer):
                digest.update(view[:n])
                done += n
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    raise HashCancelled()
    except OSError as exc:
        raise CaseFileError(f"{path} cannot be read: {exc.strerror}.") from None
    return FileDigest(done, digest.hexdigest())
