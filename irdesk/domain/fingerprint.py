"""Short fingerprints that two people can read to each other over the phone."""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def case_fingerprint(case_id: str, chain_head: str) -> str:
    """Four groups of four hex digits over the case id and its audit-chain head.

    Both sides of a hand-off compute it from their own file: equal fingerprints mean the
    same case at the same version.
    """
    digest = hashlib.sha256(f"irdesk-fingerprint-v1\n{case_id}\n{chain_head}".encode()).hexdigest()
    return " ".join(digest[i : i + 4].upper() for i in range(0, 16, 4))


def short_fingerprint(hex_digest: str) -> str:
    """The first eight hex digits of a digest, grouped for reading: 'AB12 CD34'."""
    head = hex_digest[:8].upper()
    return f"{head[:4]} {head[4:]}"
