"""verify's trust model and exactness: who signed decides between genuine (0) and untrusted (6);
anything altered, even in the signature's unsigned padding, is refused (4)."""

from __future__ import annotations

import pytest

from irdesk.casefile.store import CaseFile
from irdesk.report.errors import NotGenuine, UntrustedSigner
from irdesk.report.service import (
    OWN_IDENTITY,
    PINNED,
    RECORDED,
    TRUST_LIST,
    build_report,
    issue_report,
    verify_report,
)
from tests.conftest import PASSPHRASE
from tests.report import tampering


@pytest.fixture
def genuine(filled_case, identity, tmp_path):
    built = build_report(filled_case, responder="Ana Responder", identity=identity)
    issue_report(filled_case, built, str(tmp_path / "genuine.pdf"))
    return built


@pytest.fixture
def other_case(tmp_path):
    with CaseFile.create(
        str(tmp_path / "other.ircase"), PASSPHRASE, title="A harmless drill", actor="Mallory"
    ) as other:
        yield other


@pytest.fixture
def forged(genuine, filled_case, other_case):
    return tampering.forged_re_sign(genuine, filled_case, other_case, "Ana Responder")


def test_the_genuine_report_is_trusted_as_the_users_own(genuine, filled_case, identity):
    assert verify_report(genuine.pdf).trusted_as == (OWN_IDENTITY,)
    assert verify_report(genuine.pdf, case=filled_case).trusted_as == (RECORDED,)
    pinned = verify_report(genuine.pdf, pinned=identity.info.fingerprint)
    assert pinned.trusted_as == (PINNED,)


def test_a_forged_re_sign_is_intact_but_its_signer_is_not_trusted(forged, genuine):
    data, impostor = forged
    with pytest.raises(UntrustedSigner) as caught:
        verify_report(data)
    error = caught.value
    assert error.exit_code == 6
    assert "Ana Responder" in error.message
    assert impostor.info.fingerprint in error.message
    assert error.message.count(". ") == 0 and error.message.endswith(".")  # one sentence
    assert error.verified.claims.report_id == genuine.report_id  # the claims were copied…
    assert error.verified.cert_fingerprint == impostor.info.fingerprint  # …the key was not


def test_a_forged_re_sign_is_refused_with_cert_or_case(forged, filled_case, identity):
    data, _ = forged
    for kwargs in ({"pinned": identity.info.fingerprint}, {"case": filled_case}):
        with pytest.raises(NotGenuine) as caught:
            verify_report(data, **kwargs)
        assert caught.value.exit_code == 4


def test_a_signer_in_the_trust_list_is_trusted(forged):
    from cryptography.hazmat.primitives import serialization

    from irdesk.identity.trust import load_certificate, trust

    data, impostor = forged
    trust(load_certificate(impostor.cert.public_bytes(serialization.Encoding.PEM)))
    assert verify_report(data).trusted_as == (TRUST_LIST,)


def test_an_explicit_trust_list_replaces_the_users(genuine):
    with pytest.raises(UntrustedSigner):
        verify_report(genuine.pdf, trusted=[])


@pytest.mark.parametrize("where", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("digit", [b"1", b"8", b"F"])
def test_a_changed_padding_byte_is_refused_in_all_three_modes(
    genuine, filled_case, identity, where, digit
):
    data = tampering.padding_flipped(genuine.pdf, where, digit)
    for kwargs in ({}, {"pinned": identity.info.fingerprint}, {"case": filled_case}):
        with pytest.raises(NotGenuine) as caught:
            verify_report(data, **kwargs)
        assert "did not write" in caught.value.message


def test_a_signature_hex_digit_in_another_case_is_refused(genuine):
    """The same signature bytes once decoded, but not the file that was signed."""
    with pytest.raises(NotGenuine) as caught:
        verify_report(tampering.hex_case_changed(genuine.pdf))
    assert "placeholder" in caught.value.message


@pytest.mark.parametrize("how", sorted(tampering.TAMPERINGS))
def test_every_tampering_is_refused_in_one_sentence(genuine, how):
    with pytest.raises(NotGenuine) as caught:
        verify_report(tampering.TAMPERINGS[how](genuine.pdf))
    assert "\n" not in caught.value.message and caught.value.message.endswith(".")


def test_an_unsigned_attribute_smuggled_into_the_signature_is_refused(genuine):
    """The CMS object has room for data the signature does not cover; nothing may hide there."""
    smuggled = tampering.unsigned_attribute_smuggled(genuine.pdf)
    with pytest.raises(NotGenuine) as caught:
        verify_report(smuggled)
    assert "unsigned data" in caught.value.message


def test_a_strangers_certificate_smuggled_into_the_signature_is_refused(genuine):
    with pytest.raises(NotGenuine) as caught:
        verify_report(tampering.certificate_smuggled(genuine.pdf))
    assert "not the signer's" in caught.value.message


def test_an_organisations_chain_is_accepted(filled_case, identity_home, tmp_path):
    """An imported PKCS#12 embeds its CA above the signer: that is the signer's chain, not smuggled."""
    from irdesk.identity.keys import import_pkcs12, load_identity
    from tests.identity.test_identity import _p12

    data, _ = _p12(tmp_path, b"p12-secret")
    import_pkcs12(data, "p12-secret", "identity-passphrase-1")
    organisational = load_identity("identity-passphrase-1")
    built = build_report(filled_case, responder="Björn Analyst", identity=organisational)
    assert len(organisational.chain) == 1
    assert verify_report(built.pdf).trusted_as == (OWN_IDENTITY,)
