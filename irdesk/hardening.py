"""Process hardening for a program holding decrypted case data: no core dumps."""

from __future__ import annotations

import contextlib
import sys


def harden_process() -> None:
    """Disable core dumps (RLIMIT_CORE=0) and, on Linux, ptrace/dumps (PR_SET_DUMPABLE=0)."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            pr_set_dumpable = 4
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0)
