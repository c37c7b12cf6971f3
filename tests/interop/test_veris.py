"""The VERIS 1.4 export, validated against VERIS's own verisc-merged.json (draft-04), and the
case's VERIS classification, checked against VERIS's enumerations when entered."""

from __future__ import annotations

import io
import json
import os
import sys

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain import veris
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.errors import BadInput
from irdesk.domain.moment import Moment
from irdesk.interop.veris import build_veris, span, write_veris
from tests.conftest import PASSPHRASE

HERE = os.path.dirname(__file__)
ROOT = os.path.join(HERE, "..", "..")
with open(os.path.join(HERE, "data", "veris", "verisc-merged.json"), encoding="utf-8") as _handle:
    SCHEMA = json.load(_handle)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def record_of(case) -> dict:
    out = io.StringIO()
    write_veris(case, out)
    return json.loads(out.getvalue())


def assert_valid(document: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_is_veris_1_4_and_the_shipped_lists_are_taken_from_it():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"]["default"] == "1.4.0"
    assert set(SCHEMA["required"]) == {"schema_version", "incident_id", "security_incident", "summary",
                                       "timeline", "discovery_method", "actor", "action", "asset"}
    sys.path.insert(0, os.path.join(ROOT, "packaging"))
    try:
        import build_veris_enums
    finally:
        sys.path.pop(0)
    with open(os.path.join(ROOT, "resources", "veris", "veris-1.4-enums.json"), encoding="utf-8") as f:
        assert f.read() == build_veris_enums.render(build_veris_enums.build(SCHEMA))


def test_the_demo_record_validates_and_says_what_the_case_knows(demo_case):
    document = record_of(demo_case)
    assert_valid(document)
    record = demo_case.case()
    assert document["incident_id"] == record.id and document["schema_version"] == "1.4.0"
    assert document["security_incident"] == "Confirmed"
    assert document["summary"].startswith(record.title) and record.cause in document["summary"]
    assert document["discovery_method"] == {"internal": {"variety": ["Reported by employee"]}}
    assert document["actor"] == {"external": {"variety": ["Organized crime"], "motive": ["Unknown"]}}
    assert document["action"]["malware"] == {"variety": ["Ransomware"], "vector": ["Unknown"]}
    assert document["action"]["hacking"]["variety"] == ["Use of stolen creds"]
    assert [a["variety"] for a in document["asset"]["assets"]] == ["S - File", "S - Authentication"]
    first = record.first_activity_at.local
    assert document["timeline"]["incident"] == {
        "year": first.year, "month": first.month, "day": first.day, "time": first.strftime("%I:%M:%S %p")}
    assert document["timeline"]["discovery"] == {"unit": "Hours", "value": 5.4}
    assert document["timeline"]["containment"] == {"unit": "Hours", "value": 20.0}
    assert document["impact"] == {"overall_rating": "Unknown", "notes": record.effects}
    assert len(document["ioc"]) == 5 and document["reference"] == "HARBOUR LIGHT"


def test_an_unclassified_case_is_unknown_with_the_notes_veris_asks_for(case):
    document = record_of(case)
    assert_valid(document)
    assert document["discovery_method"] == {"unknown": True}
    assert document["actor"]["unknown"]["notes"] and document["action"]["unknown"]["notes"]
    assert document["asset"]["assets"] == [{"variety": "Unknown"}]
    assert document["timeline"]["discovery"] == {"unit": "Unknown"}


def test_classification_is_checked_against_veris_when_entered(case):
    ops.edit_case(case, veris_discovery="INTERNAL/log review", veris_actors=["partner", "unknown"],
                  veris_actions=["social/phishing", "environmental/Fire", "unknown"],
                  veris_assets=["s - file"])
    record = case.case()
    assert record.veris_discovery == "internal/Log review"
    assert record.veris_actors == ("partner", "unknown")
    assert record.veris_actions == ("social/Phishing", "environmental/Fire", "unknown")
    assert record.veris_assets == ("S - File",)
    assert_valid(record_of(case))
    for bad in ({"veris_discovery": "internal/Telepathy"}, {"veris_discovery": "aliens/x"},
                {"veris_actors": ["external/Martians"]}, {"veris_actors": ["partner/Vendor"]},
                {"veris_actions": ["hacking/Wizardry"]}, {"veris_assets": ["Toaster"]}):
        with pytest.raises(BadInput):
            ops.edit_case(case, **bad)
    assert case.case() == record


def test_a_drill_is_not_exported_to_veris(case):
    ops.edit_case(case, drill=True)
    with pytest.raises(BadInput, match="drill"):
        build_veris(case)


def test_spans_pick_a_unit():
    start = Moment.parse("2026-10-12T00:00:00+00:00")
    at = lambda text: Moment.parse(text)  # noqa: E731
    assert span(start, at("2026-10-12T00:00:30+00:00")) == {"unit": "Seconds", "value": 30.0}
    assert span(start, at("2026-10-12T00:45:00+00:00")) == {"unit": "Minutes", "value": 45.0}
    assert span(start, at("2026-10-15T00:00:00+00:00")) == {"unit": "Days", "value": 3.0}
    assert span(start, at("2027-01-12T00:00:00+00:00"))["unit"] == "Months"
    assert span(start, at("2026-10-11T00:00:00+00:00")) == {"unit": "Unknown"}


ENUMS = veris.enumerations()
ACTIONS = [f"{c}/{v}" for c, vs in ENUMS.action.items() for v in vs] + ["unknown"]
ACTORS = [f"{c}/{v}" for c, vs in ENUMS.actor.items() for v in vs] + ["partner", "unknown"]
DISCOVERY = [f"{c}/{v}" for c, vs in ENUMS.discovery_method.items() for v in vs] + ["other", "unknown", ""]


@settings(max_examples=30, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80),
       st.sampled_from(DISCOVERY), st.lists(st.sampled_from(ACTORS), max_size=3),
       st.lists(st.sampled_from(ACTIONS), max_size=4), st.lists(st.sampled_from(ENUMS.asset), max_size=3))
def test_any_text_and_classification_validate(tmp_path_factory, text, discovery, actors, actions, assets):
    path = tmp_path_factory.mktemp("veris") / "c.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title=text.strip() or "t", actor="a") as case:
        ops.edit_case(case, cause=text, effects=text, handling=text, veris_discovery=discovery,
                      veris_actors=actors, veris_actions=actions, veris_assets=assets)
        ops.add_indicator(case, IndicatorKind.FILE_NAME, "dropper.exe", description=text)
        assert_valid(record_of(case))
