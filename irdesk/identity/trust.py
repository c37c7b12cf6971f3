"""The signers ``irdesk verify`` accepts without ``--cert`` or ``--case``: the user's trust list.

The list (``trusted.json`` beside the identity, mode 0600) holds certificates, each pinned
by the SHA-256 of its DER encoding: the user's own (the current one and every one an
``identity new --replace`` or ``identity import --replace`` set aside, so reports signed
before still verify) and colleagues' (``irdesk identity trust CERT.pem``). The current
identity's certificate is trusted even when the list does not name it yet (an identity
made before trust lists existed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from irdesk.casefile.files import atomic_write
from irdesk.identity.errors import IdentityError
from irdesk.identity.store import CERT_FILE, TRUST_FILE, identity_dir, read_info

FORMAT = "irdesk-trust-v1"
OWN, COLLEAGUE = "own", "colleague"


@dataclass(frozen=True)
class TrustedCertificate:
    fingerprint: str  # SHA-256 of the certificate's DER, lower-case hex
    name: str  # the certificate's common name
    kind: str  # OWN or COLLEAGUE
    not_after: str  # ISO 8601 (UTC)
    added: str  # ISO 8601 (UTC)
    pem: str

    def fingerprint_grouped(self) -> str:
        hexdigits = self.fingerprint.upper()
        return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))

    def role(self, current: str | None) -> str:
        """"you", "you, earlier" or "colleague", given the current identity's fingerprint."""
        if self.kind == COLLEAGUE:
            return "colleague"
        return "you" if self.fingerprint == current else "you, earlier"


def normalise_fingerprint(text: str) -> str:
    """'AB:CD ef…' → 'abcdef…' (how a fingerprint is typed or pasted)."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def certificate_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _entry(cert: x509.Certificate, kind: str) -> TrustedCertificate:
    return TrustedCertificate(
        fingerprint=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
        name=certificate_name(cert),
        kind=kind,
        not_after=cert.not_valid_after_utc.isoformat(),
        added=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


def _read(folder: str) -> list[TrustedCertificate]:
    path = os.path.join(folder, TRUST_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data["format"] != FORMAT:
            raise ValueError(data["format"])
        fields = TrustedCertificate.__dataclass_fields__
        return [TrustedCertificate(**{k: str(item[k]) for k in fields}) for item in data["certificates"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        raise IdentityError(
            f"The list of trusted signers ({path}) is damaged; move it aside and trust the "
            "certificates again."
        ) from None


def _write(folder: str, entries: list[TrustedCertificate]) -> None:
    os.makedirs(folder, mode=0o700, exist_ok=True)
    document = {"format": FORMAT, "certificates": [asdict(e) for e in entries]}
    atomic_write(
        os.path.join(folder, TRUST_FILE),
        json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n",
    )


def _current_own(folder: str) -> TrustedCertificate | None:
    """The current identity's certificate (first in cert.pem), or None."""
    try:
        with open(os.path.join(folder, CERT_FILE), "rb") as handle:
            certs = x509.load_pem_x509_certificates(handle.read())
    except (OSError, ValueError):
        return None
    return _entry(certs[0], OWN) if certs else None


def trusted_certificates(folder: str | None = None) -> list[TrustedCertificate]:
    """Every trusted certificate: the current identity's first, then the list in its order."""
    folder = folder or identity_dir()
    entries = _read(folder)
    info = read_info(folder)
    if info is not None and all(e.fingerprint != info.fingerprint for e in entries):
        current = _current_own(folder)
        if current is not None:
            entries.insert(0, current)
    if info is not None:
        entries.sort(key=lambda e: e.fingerprint != info.fingerprint)
    return entries


def trusted_fingerprints(folder: str | None = None) -> frozenset[str]:
    return frozenset(e.fingerprint for e in trusted_certificates(folder))


def keep_own(cert: x509.Certificate, folder: str) -> None:
    """Trust a certificate of the user's own identity, and the one it replaces, for good."""
    entries = _read(folder)
    previous = _current_own(folder)  # still the old one: cert.pem is written after this
    for entry in (previous, _entry(cert, OWN)):
        if entry is not None and all(e.fingerprint != entry.fingerprint for e in entries):
            entries.append(entry)
    _write(folder, entries)


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes.

    Raises:
        IdentityError: the bytes hold no certificate (exit 2).
    """
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise IdentityError(
            "The file holds no certificate (PEM or DER); ask the signer for their cert.pem.",
            exit_code=2,
        ) from None


def trust(cert: x509.Certificate, folder: str | None = None) -> tuple[TrustedCertificate, bool]:
    """Add a colleague's certificate; returns its entry and whether it was new to the list."""
    folder = folder or identity_dir()
    entry = _entry(cert, COLLEAGUE)
    known = [e for e in trusted_certificates(folder) if e.fingerprint == entry.fingerprint]
    if known:
        return known[0], False
    _write(folder, [*_read(folder), entry])
    return entry, True


def untrust(fingerprint: str, folder: str | None = None) -> TrustedCertificate:
    """Remove a certificate from the list (never the current identity's own).

    ``fingerprint`` may be typed in any grouping ("AB:CD…", "ab cd…").

    Raises:
        IdentityError: not a fingerprint, no such certificate in the list, or it is the
            current identity's.
    """
    folder = folder or identity_dir()
    fingerprint = normalise_fingerprint(fingerprint)
    if len(fingerprint) != 64:
        raise IdentityError("Give the certificate's SHA-256 fingerprint (64 hex digits).", exit_code=2)
    info = read_info(folder)
    if info is not None and fingerprint == info.fingerprint:
        raise IdentityError(
            "That is the certificate of your current identity; it stays trusted while it is "
            "yours (replace it with `irdesk identity new --replace` first).",
            exit_code=2,
        )
    entries = _read(folder)
    found = [e for e in entries if e.fingerprint == fingerprint]
    if not found:
        raise IdentityError(f"No trusted certificate has the SHA-256 fingerprint {fingerprint}.")
    _write(folder, [e for e in entries if e.fingerprint != fingerprint])
    return found[0]
