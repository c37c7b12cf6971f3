"""ATT&CK tags on notes and indicators: entered through the rules, kept through JSON import and
merge (flagged when unknown), and exported to STIX as attack-pattern objects that pass OASIS's
validator."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stix2validator import ValidationOptions, validate_instance

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.canonical import record_hash
from irdesk.domain.enums import IndicatorKind, Phase
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Indicator, Note
from irdesk.interop.jsonfmt import write_json
from irdesk.interop.jsonimport import load_export, merge_export
from irdesk.interop.stix import write_stix
from tests.conftest import PASSPHRASE


def bundle_of(case) -> dict:
    out = io.StringIO()
    write_stix(case, out)
    return json.loads(out.getvalue())


def assert_valid(bundle: dict) -> None:
    results = validate_instance(bundle, ValidationOptions(strict=True, version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    assert not results.warnings, [str(w) for w in results.warnings]


def export(case) -> bytes:
    out = io.BytesIO()
    write_json(case, out)
    return out.getvalue()


def test_tags_are_checked_when_entered(case):
    note = ops.add_note(case, Phase.DETECTION, "ransom note on the file server",
                        attack=["t1486", "T1486", "T1078.002"]).value
    assert note.attack == ("T1486", "T1078.002")
    with pytest.raises(BadInput, match="v18.1"):
        ops.add_note(case, Phase.DETECTION, "x", attack=["T9999"])
    with pytest.raises(BadInput, match="T1560"):
        ops.add_indicator(case, IndicatorKind.IPV4, "10.0.0.1", attack=["T1002"])
    item = ops.add_indicator(case, IndicatorKind.IPV4, "10.0.0.1", attack=["T1026"]).value
    assert item.attack == ("T1026",)  # deprecated: accepted (the CLI warns)
    assert case.counts()["note"] == 1 and len(case.records.all(Indicator)) == 1


def test_a_note_without_tags_hashes_as_before(case):
    note = ops.add_note(case, Phase.DETECTION, "plain").value
    from irdesk.domain.canonical import to_dict

    assert "attack" not in to_dict(note)
    tagged = ops.edit_note(case, note.id, attack=["T1486"]).value
    assert to_dict(tagged)["attack"] == ["T1486"] and record_hash(tagged) != record_hash(note)
    assert check_case(case).ok


def test_edit_keeps_ids_from_elsewhere_and_checks_new_ones(case):
    note = ops.add_note(case, Phase.DETECTION, "x").value
    with case.transaction():  # as a merge would bring it: below the operations' entry checks
        case_note = case.records.revise(Note, note.id, attack=("T9999",))
    assert case_note.attack == ("T9999",)
    kept = ops.edit_note(case, note.id, attack=["T9999", "T1486"]).value
    assert kept.attack == ("T9999", "T1486")
    with pytest.raises(BadInput):
        ops.edit_note(case, note.id, attack=["T9999", "T9998"])


def test_ids_arriving_by_merge_are_kept_and_flagged(case, tmp_path):
    note = ops.add_note(case, Phase.CONTAINMENT, "lateral movement").value
    with case.transaction():  # T9999: an id from a newer catalogue, as another irdesk wrote it
        case.records.revise(Note, note.id, attack=("T1021.001", "T9999"))
    data = load_export(io.BytesIO(export(case)))
    with CaseFile.create(str(tmp_path / "other.ircase"), PASSPHRASE, title="Other", actor="B") as other:
        merge_export(other, data, source="json copy")
        (merged,) = other.records.all(Note)
        assert merged.attack == ("T1021.001", "T9999")
        assert attack.unknown(merged.attack) == ["T9999"]
        assert attack.flag("T9999").endswith("(not in ATT&CK Enterprise v18.1)")
        assert check_case(other).ok
        bundle = bundle_of(other)
        assert_valid(bundle)
        patterns = {o["external_references"][0]["external_id"]: o for o in bundle["objects"]
                    if o["type"] == "attack-pattern"}
        assert set(patterns) == {"T1021.001", "T9999"}
        assert patterns["T9999"]["name"] == "T9999" and "kill_chain_phases" not in patterns["T9999"]


def test_stix_has_an_attack_pattern_per_technique_related_to_the_incident(case):
    note = ops.add_note(case, Phase.DETECTION, "encrypted shares", attack=["T1486", "T1078.002"]).value
    ops.add_indicator(case, IndicatorKind.SHA256, "a" * 64, description="the encryptor",
                      source_note_id=note.id, attack=["T1486"])
    deleted = ops.add_note(case, Phase.DETECTION, "wrong", attack=["T1566"]).value
    ops.delete(case, Note, deleted.id)
    bundle = bundle_of(case)
    assert_valid(bundle)
    objects = bundle["objects"]
    patterns = [o for o in objects if o["type"] == "attack-pattern"]
    known = attack.catalogue().techniques
    assert [p["id"] for p in patterns] == [known["T1486"].stix_id, known["T1078.002"].stix_id]
    ransomware = patterns[0]
    assert ransomware["name"] == "Data Encrypted for Impact"
    assert ransomware["external_references"] == [{"source_name": "mitre-attack", "external_id": "T1486"}]
    assert ransomware["kill_chain_phases"] == [{"kill_chain_name": "mitre-attack", "phase_name": "impact"}]
    incident = f"incident--{case.case_id}"
    related = {(o["source_ref"], o["target_ref"]) for o in objects
               if o["type"] == "relationship" and o["relationship_type"] == "related-to"}
    assert all((p["id"], incident) in related for p in patterns)
    (indicates,) = [o for o in objects if o.get("relationship_type") == "indicates"]
    assert indicates["target_ref"] == known["T1486"].stix_id
    assert indicates["source_ref"].startswith("indicator--")


ACTIVE = sorted(t.id for t in attack.catalogue().techniques.values() if t.status == "active")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(ACTIVE), min_size=1, max_size=6),
       st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_any_tags_and_text_give_a_valid_bundle(tmp_path_factory, ids, body):
    path = tmp_path_factory.mktemp("attack") / "c.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="t", actor="a") as case:
        ops.add_note(case, Phase.DETECTION, body, attack=ids)
        ops.add_indicator(case, IndicatorKind.DOMAIN, "example.org", description="d", attack=ids[:1])
        bundle = bundle_of(case)
        assert_valid(bundle)
        assert len([o for o in bundle["objects"] if o["type"] == "attack-pattern"]) == len(set(ids))


def test_markdown_shows_each_notes_and_indicators_techniques(demo_case):
    from irdesk.interop.markdown import write_markdown

    out = io.StringIO()
    write_markdown(demo_case, out)
    text = out.getvalue()
    assert "ATT&CK T1486 Data Encrypted for Impact" in text
    assert "ATT&CK T1021.002 SMB/Windows Admin Shares" in text
