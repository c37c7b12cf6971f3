"""The memory-hard key derivation: Argon2id over the passphrase and the file's salt.

The parameters are fixed per format version (see docs/FORMAT.md); there is no switch in
the program to lower them. Tests replace ``PARAMETERS`` inside their own process only.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

SALT_SIZE = 16
KEY_SIZE = 32
FORMAT_VERSION = 1


@dataclass(frozen=True)
class KdfParameters:
    memory_kib: int
    time_cost: int
    parallelism: int


PARAMETERS: dict[int, KdfParameters] = {
    # ~0.6 s on the project's 2-core machines; 64 MiB like KeePassXC.
    1: KdfParameters(memory_kib=65536, time_cost=16, parallelism=1),
}


def encode_passphrase(passphrase: str) -> bytes:
    """UTF-8 of the NFC form, so the same typed text opens the file on any system."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def derive_key(passphrase: str, salt: bytes, format_version: int = FORMAT_VERSION) -> bytes:
    params = PARAMETERS[format_version]
    return hash_secret_raw(
        encode_passphrase(passphrase),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_SIZE,
        type=Type.ID,
    )


def raw_key_literal(key: bytes, salt: bytes) -> str:
    """SQLCipher's raw key form with an explicit salt: ``x'<key hex><salt hex>'``."""
    return f"x'{key.hex()}{salt.hex()}'"


def new_salt() -> bytes:
    return os.urandom(SALT_SIZE)
