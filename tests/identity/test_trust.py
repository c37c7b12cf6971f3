"""The trust list: the user's own certificates (current and replaced) and colleagues' ones."""

from __future__ import annotations

import json
import os

import pytest
from cryptography.hazmat.primitives import serialization

from irdesk.identity.errors import IdentityError
from irdesk.identity.keys import create_identity, ephemeral_identity, load_identity
from irdesk.identity.store import TRUST_FILE, identity_dir
from irdesk.identity.trust import (
    COLLEAGUE,
    OWN,
    load_certificate,
    trust,
    trusted_certificates,
    trusted_fingerprints,
    untrust,
)


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def colleague_pem(name: str = "Bo Colleague") -> tuple[bytes, str]:
    other = ephemeral_identity(name)
    return other.cert.public_bytes(serialization.Encoding.PEM), other.info.fingerprint


def test_a_new_identity_is_trusted_and_the_list_is_for_the_owner_only():
    info = create_identity("Ana Responder", "identity-pass-1")
    (entry,) = trusted_certificates()
    assert (entry.fingerprint, entry.kind, entry.name) == (info.fingerprint, OWN, "Ana Responder")
    assert entry.role(info.fingerprint) == "you"
    path = os.path.join(identity_dir(), TRUST_FILE)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(identity_dir()).st_mode & 0o777 == 0o700


def test_replacing_the_identity_keeps_the_earlier_certificate_trusted():
    first = create_identity("Ana Responder", "identity-pass-1")
    second = create_identity("Ana Responder", "identity-pass-2", replace=True)
    entries = trusted_certificates()
    assert [e.fingerprint for e in entries] == [second.fingerprint, first.fingerprint]
    assert [e.role(second.fingerprint) for e in entries] == ["you", "you, earlier"]
    assert load_identity("identity-pass-2").info.fingerprint == second.fingerprint


def test_an_identity_made_before_trust_lists_is_trusted_and_kept_when_replaced():
    first = create_identity("Ana Responder", "identity-pass-1")
    os.unlink(os.path.join(identity_dir(), TRUST_FILE))  # as an older irdesk left it
    assert trusted_fingerprints() == {first.fingerprint}
    second = create_identity("Ana Responder", "identity-pass-2", replace=True)
    assert trusted_fingerprints() == {first.fingerprint, second.fingerprint}


def test_trust_and_untrust_a_colleague_in_pem_or_der():
    own = create_identity("Ana Responder", "identity-pass-1")
    pem, fingerprint = colleague_pem()
    entry, new = trust(load_certificate(pem))
    assert new and entry.kind == COLLEAGUE and entry.name == "Bo Colleague"
    der = load_certificate(pem).public_bytes(serialization.Encoding.DER)
    assert trust(load_certificate(der)) == (entry, False)  # once is enough
    assert trusted_fingerprints() == {own.fingerprint, fingerprint}
    removed = untrust(entry.fingerprint_grouped())  # as `identity show` prints it
    assert removed.fingerprint == fingerprint
    assert trusted_fingerprints() == {own.fingerprint}
    assert not [n for n in os.listdir(identity_dir()) if n.endswith(".partial")]  # atomic writes


def test_trusting_works_without_an_identity_of_ones_own():
    pem, fingerprint = colleague_pem()
    trust(load_certificate(pem))
    assert trusted_fingerprints() == {fingerprint}


def test_the_current_identity_cannot_be_untrusted_and_an_earlier_one_can():
    first = create_identity("Ana Responder", "identity-pass-1")
    second = create_identity("Ana Responder", "identity-pass-2", replace=True)
    with pytest.raises(IdentityError) as caught:
        untrust(second.fingerprint)
    assert caught.value.exit_code == 2 and "current identity" in caught.value.message
    untrust(first.fingerprint)  # e.g. the old laptop was lost
    assert trusted_fingerprints() == {second.fingerprint}


def test_unknown_fingerprints_and_non_certificates_are_one_sentence(tmp_path):
    with pytest.raises(IdentityError) as caught:
        untrust("ab" * 32)
    assert "No trusted certificate" in caught.value.message
    with pytest.raises(IdentityError) as caught:
        untrust("abcd")
    assert caught.value.exit_code == 2
    with pytest.raises(IdentityError) as caught:
        load_certificate(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    assert caught.value.exit_code == 2
    with pytest.raises(IdentityError):
        load_certificate(b"\x00\x01 not DER")


def test_a_damaged_list_is_one_sentence_never_an_empty_list():
    create_identity("Ana Responder", "identity-pass-1")
    path = os.path.join(identity_dir(), TRUST_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"format": "something else"}, handle)
    with pytest.raises(IdentityError) as caught:
        trusted_certificates()
    assert "damaged" in caught.value.message and path in caught.value.message


def test_an_old_report_still_verifies_after_the_identity_is_replaced(case, tmp_path):
    from irdesk.report.service import OWN_IDENTITY, build_report, issue_report, verify_report

    create_identity("Ana Responder", "identity-pass-1")
    old = build_report(case, responder="Ana Responder", identity=load_identity("identity-pass-1"))
    issue_report(case, old, str(tmp_path / "old.pdf"))
    create_identity("Ana Responder", "identity-pass-2", replace=True)
    new = build_report(case, responder="Ana Responder", identity=load_identity("identity-pass-2"))
    for built in (old, new):
        assert verify_report(built.pdf).trusted_as == (OWN_IDENTITY,)
    assert verify_report(old.pdf, case=case).signer == "Ana Responder"
