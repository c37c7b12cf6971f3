"""The STIX 2.1 bundle passes OASIS's stix2-validator, with the case's TLP 2.0 marking."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stix2validator import ValidationOptions, validate_instance

from irdesk.casefile import operations as ops
from irdesk.domain.enums import IndicatorKind, Tlp
from irdesk.interop.stix import TLP2_MARKINGS, pattern, write_stix


def bundle_of(case) -> dict:
    out = io.StringIO()
    write_stix(case, out)
    return json.loads(out.getvalue())


def assert_valid(bundle: dict) -> None:
    results = validate_instance(bundle, ValidationOptions(strict=True, version="2.1"))
    problems = [str(e) for e in results.errors]
    warnings = [str(w) for w in results.warnings]
    assert results.is_valid, problems
    assert not warnings, warnings


def test_demo_bundle_is_valid_and_complete(demo_case):
    bundle = bundle_of(demo_case)
    assert_valid(bundle)
    types = [o["type"] for o in bundle["objects"]]
    assert types.count("incident") == 1 and types.count("marking-definition") == 1
    assert types.count("indicator") == 5
    # ATT&CK: T1486, T1078.002, T1021.002, T1133, each related to the incident; two indicators
    # tagged T1486 indicate it.
    assert types.count("attack-pattern") == 4
    assert types.count("relationship") == 5 + 4 + 2
    amber = TLP2_MARKINGS[Tlp.AMBER]
    # MITRE's attack-pattern objects are shown as MITRE publishes them (public, unmarked).
    assert all(o.get("object_marking_refs") == [amber] for o in bundle["objects"]
               if o["type"] not in ("marking-definition", "attack-pattern"))
    incident = next(o for o in bundle["objects"] if o["type"] == "incident")
    assert incident["id"] == f"incident--{demo_case.case_id}"
    rels = [o for o in bundle["objects"] if o["type"] == "relationship"
            and o["relationship_type"] == "related-to"]
    assert {r["target_ref"] for r in rels} == {incident["id"]}


@pytest.mark.parametrize("tlp", list(Tlp))
def test_each_tlp_gets_its_oasis_marking(case, tlp):
    ops.edit_case(case, tlp=tlp)
    bundle = bundle_of(case)
    marking = bundle["objects"][0]
    assert marking["id"] == TLP2_MARKINGS[tlp] and marking["name"] == tlp.label
    ext = marking["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]
    assert ext["tlp_2_0"] == tlp.value
    assert_valid(bundle)


def test_the_same_case_exports_the_same_ids(demo_case):
    ids = lambda b: [o["id"] for o in b["objects"]]  # noqa: E731
    assert ids(bundle_of(demo_case)) == ids(bundle_of(demo_case))


def test_pattern_escapes_quotes_and_backslashes():
    assert pattern(IndicatorKind.FILE_NAME, "it's\\x.exe") == "[file:name = 'it\\'s\\\\x.exe']"


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_file_name_gives_a_valid_pattern(tmp_path_factory, value):
    from irdesk.casefile.store import CaseFile
    from tests.conftest import PASSPHRASE

    assume(value.strip())  # an empty indicator value is refused when entered
    path = tmp_path_factory.mktemp("stix") / "c.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="t", actor="a") as case:
        ops.add_indicator(case, kind=IndicatorKind.FILE_NAME, value=value, description=value)
        assert_valid(bundle_of(case))
