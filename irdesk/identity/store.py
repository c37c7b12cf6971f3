"""Where the signing identity lives, and the cheap facts about it that every command may ask for.

The identity folder (``<user data dir>/irdesk/identity``) holds ``key.sealed`` (the
PKCS#8 key sealed under the identity passphrase, see ``sealed.py``), ``cert.pem`` (the
signer's certificate, then any chain certificates from an imported PKCS#12),
``identity.json`` (name, fingerprint, expiry) and ``trusted.json`` (the signers ``verify``
trusts, see ``trust.py``). ``configured_name`` reads only the JSON, so the author fallback
costs no cryptography import.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

KEY_FILE = "key.sealed"
CERT_FILE = "cert.pem"
INFO_FILE = "identity.json"
TRUST_FILE = "trusted.json"


def identity_dir() -> str:
    """The identity folder in the user's data directory (XDG_DATA_HOME is respected)."""
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("irdesk", appauthor=False), "identity")


@dataclass(frozen=True)
class IdentityInfo:
    name: str
    fingerprint: str  # SHA-256 of the certificate's DER, lower-case hex
    not_after: str  # ISO 8601 (UTC)
    algorithm: str  # "ECDSA P-256", "RSA 3072"…
    source: str  # "created" or "imported"

    def fingerprint_grouped(self) -> str:
        """The fingerprint as colon-separated byte pairs, for publishing and reading aloud."""
        hexdigits = self.fingerprint.upper()
        return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def read_info(folder: str | None = None) -> IdentityInfo | None:
    """The stored facts about the identity, or None when there is none (or it is unreadable)."""
    path = os.path.join(folder or identity_dir(), INFO_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return IdentityInfo(**{k: str(data[k]) for k in IdentityInfo.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_info(info: IdentityInfo, folder: str) -> None:
    from irdesk.casefile.files import atomic_write

    atomic_write(
        os.path.join(folder, INFO_FILE),
        json.dumps(asdict(info), indent=2, ensure_ascii=False).encode("utf-8") + b"\n",
    )


def configured_name() -> str | None:
    """The signing identity's name, or None: the author fallback of every command."""
    info = read_info()
    return info.name if info and info.name else None
