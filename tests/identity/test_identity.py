"""The signing identity: created or imported, stored sealed, unlocked only with its passphrase."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from irdesk.identity.errors import IdentityError, NoIdentity, WrongIdentityPassphrase
from irdesk.identity.keys import cert_fingerprint, create_identity, import_pkcs12, load_identity
from irdesk.identity.store import configured_name, identity_dir, read_info
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_store_lives_in_the_users_data_directory(data_home):
    assert identity_dir().startswith(str(data_home))


def test_new_identity_is_an_ecdsa_p256_self_signed_certificate():
    info = create_identity("Ana Responder", "identity-pass-1")
    identity = load_identity("identity-pass-1")
    assert (
        isinstance(identity.key, ec.EllipticCurvePrivateKey)
        and identity.key.curve.name == "secp256r1"
    )
    assert identity.cert.subject == identity.cert.issuer
    assert cert_fingerprint(identity.cert) == info.fingerprint == read_info().fingerprint
    assert identity.cert.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    assert configured_name() == "Ana Responder"


def test_the_key_is_never_stored_in_the_clear():
    create_identity("Ana", "identity-pass-1")
    identity = load_identity("identity-pass-1")
    raw = identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    for name in os.listdir(identity_dir()):
        with open(os.path.join(identity_dir(), name), "rb") as handle:
            data = handle.read()
        assert raw not in data and b"PRIVATE KEY" not in data, name


def test_wrong_passphrase_and_missing_identity_are_clear_errors():
    with pytest.raises(NoIdentity):
        load_identity("anything")
    assert configured_name() is None
    create_identity("Ana", "identity-pass-1")
    with pytest.raises(WrongIdentityPassphrase) as caught:
        load_identity("identity-pass-2")
    assert caught.value.exit_code == 3


def test_an_existing_identity_is_only_replaced_when_asked():
    first = create_identity("Ana", "identity-pass-1")
    with pytest.raises(IdentityError):
        create_identity("Ana", "identity-pass-1")
    second = create_identity("Ana", "identity-pass-1", replace=True)
    assert first.fingerprint != second.fingerprint


def _p12(tmp_path, password: bytes) -> tuple[bytes, x509.Certificate]:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example CSIRT CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Björn Analyst")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"analyst", key, cert, [ca], serialization.BestAvailableEncryption(password)
    )
    return data, cert


def test_import_an_organisations_pkcs12_with_its_chain(tmp_path):
    data, cert = _p12(tmp_path, b"p12-secret")
    info = import_pkcs12(data, "p12-secret", "identity-pass-1")
    identity = load_identity("identity-pass-1")
    assert info.name == "Björn Analyst" and info.source == "imported"
    assert identity.cert == cert and len(identity.chain) == 1
    with pytest.raises(IdentityError) as caught:
        import_pkcs12(data, "wrong", "identity-pass-1", replace=True)
    assert caught.value.exit_code == 3


def test_configured_name_does_not_import_cryptography(data_home):
    create_identity("Ana", "identity-pass-1")
    code = (
        "import sys; from irdesk.identity.store import configured_name; "
        "assert configured_name() == 'Ana'; "
        "heavy = ('cryptography', 'pyhanko', 'reportlab'); "
        "assert not [m for m in sys.modules if m.startswith(heavy)]"
    )
    env = {**os.environ, "PYTHONPATH": ROOT, "XDG_DATA_HOME": str(data_home)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_the_author_falls_back_to_the_identity_name(monkeypatch):
    import argparse

    from irdesk.commands.opening import author

    monkeypatch.delenv("IRDESK_AUTHOR", raising=False)
    create_identity("Ana Responder", "identity-pass-1")
    assert author(argparse.Namespace(author=None)) == "Ana Responder"
    assert author(argparse.Namespace(author="Bo")) == "Bo"
