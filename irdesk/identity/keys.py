"""Making, importing and unlocking the signing identity (ECDSA P-256 key, X.509 certificate)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from irdesk.casefile.files import atomic_write
from irdesk.identity.errors import IdentityError, NoIdentity
from irdesk.identity.sealed import seal, unseal
from irdesk.identity.store import (
    CERT_FILE,
    KEY_FILE,
    IdentityInfo,
    identity_dir,
    read_info,
    write_info,
)
from irdesk.identity.trust import keep_own

VALIDITY_DAYS = 3 * 365


@dataclass(frozen=True)
class Identity:
    """An unlocked identity: the private key, its certificate and any chain above it."""

    info: IdentityInfo
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def cert_fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def _algorithm(key: object) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return f"ECDSA {key.curve.name}"
    if isinstance(key, rsa.RSAPrivateKey):
        return f"RSA {key.key_size}"
    return type(key).__name__


def _info(name: str, key: object, cert: x509.Certificate, source: str) -> IdentityInfo:
    return IdentityInfo(
        name=name,
        fingerprint=cert_fingerprint(cert),
        not_after=cert.not_valid_after_utc.isoformat(),
        algorithm=_algorithm(key),
        source=source,
    )


def _save(
    name: str,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    passphrase: str,
    source: str,
    folder: str | None,
    replace: bool,
) -> IdentityInfo:
    if not passphrase:
        raise IdentityError("The identity passphrase must not be empty.", exit_code=2)
    folder = folder or identity_dir()
    if read_info(folder) is not None and not replace:
        raise IdentityError(
            "A signing identity already exists; use --replace to replace it.", exit_code=2
        )
    os.makedirs(folder, mode=0o700, exist_ok=True)
    sealed = seal(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        passphrase,
    )
    pem_certs = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *chain))
    info = _info(name, key, cert, source)
    keep_own(cert, folder)  # before cert.pem changes: the replaced certificate stays trusted
    atomic_write(os.path.join(folder, KEY_FILE), sealed)
    atomic_write(os.path.join(folder, CERT_FILE), pem_certs)
    write_info(info, folder)
    return info


def self_signed(
    name: str, now: dt.datetime | None = None
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A fresh ECDSA P-256 key and a self-signed document-signing certificate for ``name``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "irdesk responder"),
        ]
    )
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def ephemeral_identity(name: str = "irdesk warm-up") -> Identity:
    """A throwaway identity that is never stored (to exercise the signing code once)."""
    key, cert = self_signed(name)
    return Identity(_info(name, key, cert, "ephemeral"), key, cert)


def create_identity(
    name: str,
    passphrase: str,
    *,
    folder: str | None = None,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> IdentityInfo:
    """A new ECDSA P-256 key and a self-signed certificate for document signing."""
    name = name.strip()
    if not name:
        raise IdentityError("The identity needs a name.", exit_code=2)
    key, cert = self_signed(name, now)
    return _save(name, key, cert, (), passphrase, "created", folder, replace)


def import_pkcs12(
    data: bytes,
    p12_passphrase: str,
    passphrase: str,
    *,
    folder: str | None = None,
    replace: bool = False,
) -> IdentityInfo:
    """Take an organisation's PKCS#12 (key, certificate, chain) as the signing identity."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            data, p12_passphrase.encode("utf-8") or None
        )
    except (ValueError, UnsupportedAlgorithm):
        raise IdentityError(
            "The PKCS#12 file cannot be opened: wrong passphrase, or not a PKCS#12 file.",
            exit_code=3,
        ) from None
    if key is None or cert is None:
        raise IdentityError("The PKCS#12 file holds no private key with its certificate.")
    if isinstance(key, ed25519.Ed25519PrivateKey) or not isinstance(
        key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    ):
        raise IdentityError("The PKCS#12 key must be ECDSA or RSA to sign PDF reports.")
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    name = str(names[0].value) if names else cert.subject.rfc4514_string()
    return _save(name, key, cert, tuple(extra), passphrase, "imported", folder, replace)


def load_identity(passphrase: str, *, folder: str | None = None) -> Identity:
    """Unlock the stored identity.

    Raises:
        NoIdentity: none has been created or imported.
        WrongIdentityPassphrase: the passphrase does not decrypt the key.
    """
    folder = folder or identity_dir()
    info = read_info(folder)
    if info is None:
        raise NoIdentity()
    try:
        with open(os.path.join(folder, KEY_FILE), "rb") as handle:
            sealed = handle.read()
        with open(os.path.join(folder, CERT_FILE), "rb") as handle:
            certs = x509.load_pem_x509_certificates(handle.read())
    except (OSError, ValueError):
        raise IdentityError(
            f"The signing identity in {folder} is damaged; create or import it again."
        ) from None
    der = unseal(sealed, passphrase)
    try:
        key = serialization.load_der_private_key(der, None)
    except (ValueError, TypeError):
        raise IdentityError(
            "The stored identity key is damaged; create or import it again."
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise IdentityError("The stored identity key is of an unsupported type.")
    return Identity(info, key, certs[0], tuple(certs[1:]))
