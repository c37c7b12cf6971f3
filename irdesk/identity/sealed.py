"""The identity key at rest: PKCS#8 DER sealed with AES-256-GCM under an Argon2id key.

The envelope is a small JSON document that names its own Argon2id parameters, so the
key derivation is as memory-hard as the case files' (see ``irdesk.casefile.kdf``).
"""

from __future__ import annotations

import base64
import json
import os

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from irdesk.casefile import kdf
from irdesk.identity.errors import IdentityError, WrongIdentityPassphrase

FORMAT = "irdesk-identity-key-v1"
AAD = FORMAT.encode("ascii")


def _derive(
    passphrase: str, salt: bytes, memory_kib: int, time_cost: int, parallelism: int
) -> bytes:
    return hash_secret_raw(
        kdf.encode_passphrase(passphrase),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=parallelism,
        hash_len=32,
        type=Type.ID,
    )


def seal(secret: bytes, passphrase: str) -> bytes:
    params = kdf.PARAMETERS[kdf.FORMAT_VERSION]
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(passphrase, salt, params.memory_kib, params.time_cost, params.parallelism)
    envelope = {
        "format": FORMAT,
        "kdf": "argon2id",
        "memory_kib": params.memory_kib,
        "time_cost": params.time_cost,
        "parallelism": params.parallelism,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(AESGCM(key).encrypt(nonce, secret, AAD)).decode(),
    }
    return json.dumps(envelope, indent=2).encode("ascii") + b"\n"


def unseal(data: bytes, passphrase: str) -> bytes:
    try:
        envelope = json.loads(data)
        if envelope["format"] != FORMAT:
            raise ValueError(envelope["format"])
        salt, nonce, sealed = (
            base64.b64decode(envelope[k]) for k in ("salt", "nonce", "ciphertext")
        )
        memory_kib, time_cost, parallelism = (
            int(envelope[k]) for k in ("memory_kib", "time_cost", "parallelism")
        )
    except (ValueError, KeyError, TypeError):
        raise IdentityError(
            "The stored identity key is damaged; create or import the identity again."
        ) from None
    key = _derive(passphrase, salt, memory_kib, time_cost, parallelism)
    try:
        return AESGCM(key).decrypt(nonce, sealed, AAD)
    except InvalidTag:
        raise WrongIdentityPassphrase() from None
