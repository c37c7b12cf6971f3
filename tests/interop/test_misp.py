"""The MISP event export, checked by MISP's own PyMISP, and MISP events brought in as indicators,
including real events from PyMISP's test files (tests/interop/data/misp/, BSD licence)."""

from __future__ import annotations

import io
import json
import os
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymisp import MISPEvent

from irdesk.casefile import operations as ops
from irdesk.casefile.check import check_case
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import IndicatorKind, Tlp
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Indicator
from irdesk.interop.misp import INCIDENT_TEMPLATE, import_misp, read_misp, write_misp
from tests.conftest import PASSPHRASE

DATA = os.path.join(os.path.dirname(__file__), "data", "misp")
PYMISP_DATA = resources.files("pymisp") / "data"
DESCRIBE = json.loads((PYMISP_DATA / "describeTypes.json").read_text(encoding="utf-8"))["result"]
INCIDENT = json.loads((PYMISP_DATA / "misp-objects" / "objects" / "incident" / "definition.json")
                      .read_text(encoding="utf-8"))


def export(case) -> str:
    out = io.StringIO()
    write_misp(case, out)
    return out.getvalue()


def loaded(text: str) -> MISPEvent:
    event = MISPEvent()
    event.load(text)
    return event


def assert_attributes_valid(event: MISPEvent) -> None:
    """Every attribute's type is one MISP knows, in a category MISP allows for it."""
    for attribute in event.attributes:
        assert attribute.type in DESCRIBE["types"], attribute.type
        assert attribute.type in DESCRIBE["category_type_mappings"][attribute.category], \
            (attribute.type, attribute.category)


def test_the_demo_event_loads_in_pymisp_with_every_value_round_tripping(demo_case):
    text = export(demo_case)
    event = loaded(text)
    record = demo_case.case()
    assert event.uuid == record.id and event.info == record.title
    assert event.date.isoformat() == record.first_activity_at.local.date().isoformat()
    assert (event.threat_level_id, event.analysis, event.distribution) == (1, 1, 0)  # high, open, amber
    tags = [t.name for t in event.tags]
    assert tags[0] == "tlp:amber"
    assert 'misp-galaxy:mitre-attack-pattern="Data Encrypted for Impact - T1486"' in tags
    assert 'misp-galaxy:mitre-attack-pattern="Domain Accounts - T1078.002"' in tags
    indicators = {i.id: i for i in demo_case.records.all(Indicator)}
    assert len(event.attributes) == len(indicators) == 5
    assert_attributes_valid(event)
    for attribute in event.attributes:
        item = indicators[attribute.uuid]
        assert attribute.value == item.value and attribute.comment == item.description
        assert attribute.to_ids is True
        assert attribute.first_seen == item.first_seen.utc
        assert [t.name for t in attribute.tags] == [
            f'misp-galaxy:mitre-attack-pattern="{attack.catalogue().techniques[t].name} - {t}"'
            for t in item.attack]
    # Loading and dumping again gives the same values (PyMISP keeps what we wrote).
    again = json.loads(loaded(event.to_json()).to_json())
    assert again["uuid"] == record.id and len(again["Attribute"]) == 5


def test_the_case_is_an_incident_object_following_pymisps_template(demo_case):
    event = loaded(export(demo_case))
    (obj,) = event.objects
    assert obj.name == "incident" == INCIDENT["name"]
    assert (obj.template_uuid, str(obj.template_version)) == (INCIDENT["uuid"], str(INCIDENT["version"]))
    assert INCIDENT_TEMPLATE == (INCIDENT["uuid"], str(INCIDENT["version"]))
    relations = {a.object_relation: a for a in obj.attributes}
    assert set(INCIDENT["required"]) <= set(relations)
    for relation, attribute in relations.items():
        template = INCIDENT["attributes"][relation]
        assert attribute.type == template["misp-attribute"]
        if "values_list" in template:
            assert attribute.value in template["values_list"], (relation, attribute.value)
    assert relations["name"].value == demo_case.case().title
    assert relations["criticality"].value == "High"
    assert relations["investigation_status"].value == "open"
    assert "Cause:" in relations["description"].value


@pytest.mark.parametrize(("tlp", "distribution"), [(Tlp.CLEAR, 3), (Tlp.GREEN, 1), (Tlp.AMBER, 0),
                                                   (Tlp.AMBER_STRICT, 0), (Tlp.RED, 0)])
def test_tlp_sets_the_tag_and_the_distribution(case, tlp, distribution):
    ops.edit_case(case, tlp=tlp)
    event = loaded(export(case))
    assert event.distribution == distribution
    assert [t.name for t in event.tags] == [f"tlp:{tlp.value}"]


def test_our_own_event_imports_back_as_the_same_indicators(demo_case, tmp_path):
    found = read_misp(export(demo_case).encode("utf-8"))
    assert found.skipped == {"text": 4}  # the incident object: name, criticality, status, description
    with CaseFile.create(str(tmp_path / "other.ircase"), PASSPHRASE, title="Other", actor="B") as other:
        summary = import_misp(other, found, source="misp demo.misp.json").value
        assert summary.added == 5 and summary.unchanged == 0
        fields = lambda i: (i.id, i.kind, i.value, i.description, i.first_seen, i.attack)  # noqa: E731
        assert sorted(map(fields, other.records.all(Indicator))) == \
            sorted(map(fields, demo_case.records.all(Indicator)))
        again = import_misp(other, found, source="misp demo.misp.json").value
        assert again.added == 0 and again.unchanged == 5
        assert check_case(other).ok
        entries = [e for e in other.chain.entries() if e.action == "import"]
        assert len(entries) == 5 and {e.source for e in entries} == {"misp demo.misp.json"}


@pytest.mark.parametrize(("name", "added", "skipped"), [
    ("misp_event.json", 1, {"text": 1}),
    ("57c4445b-c548-4654-af0b-4be3950d210f.json", 4,
     {"link": 2, "comment": 1, "text": 1, "regkey|value": 1}),
    ("event_obj_attr_tag.json", 2, {}),
    ("mainly_objects_1.json", 20, {"text": 7, "attachment": 1, "size-in-bytes": 11, "float": 11,
                                   "counter": 2, "mime-type": 3, "ssdeep": 3, "sha512": 3}),
])
def test_real_pymisp_events_import_counting_what_has_no_indicator_kind(case, name, added, skipped):
    with open(os.path.join(DATA, name), "rb") as handle:
        data = handle.read()
    if name != "event_obj_attr_tag.json":  # a fragment (objects, no info) for PyMISP's own tests
        loaded(data.decode("utf-8"))  # PyMISP itself reads the file as an event
    found = read_misp(data)
    summary = import_misp(case, found, source=f"misp {name}").value
    assert summary.skipped == skipped
    assert summary.added + summary.unchanged == len(found.indicators)
    assert summary.added == added == len({(i.kind, i.value) for i in found.indicators})  # once each
    assert f"{sum(skipped.values())} attribute(s) skipped" in summary.sentence() or not skipped
    assert check_case(case).ok


def test_galaxy_tags_on_attributes_come_in_as_attack_ids_unknown_ones_flagged(case):
    event = {"Event": {"info": "x", "Attribute": [
        {"type": "ip-src", "value": "192.0.2.7", "category": "Network activity", "Tag": [
            {"name": 'misp-galaxy:mitre-attack-pattern="Data Encrypted for Impact - T1486"'},
            {"name": 'misp-galaxy:mitre-attack-pattern="Some Future Technique - T1999"'},
            {"name": "tlp:green"}]},
        {"type": "ip-dst", "value": "2001:db8::1", "first_seen": "2026-10-12T01:00:00+00:00"}]}}
    found = read_misp(json.dumps(event).encode())
    summary = import_misp(case, found, source="misp x").value
    assert summary.added == 2 and summary.unknown_techniques == ["T1999"]
    assert "T1999" in summary.sentence()
    by_value = {i.value: i for i in case.records.all(Indicator)}
    assert by_value["192.0.2.7"].kind == IndicatorKind.IPV4
    assert by_value["192.0.2.7"].attack == ("T1486", "T1999")
    assert by_value["2001:db8::1"].kind == IndicatorKind.IPV6
    assert by_value["2001:db8::1"].first_seen.utc.hour == 1


@pytest.mark.parametrize("data", [b"not json", b"[]", b'{"Event": {"Attribute": 3}}',
                                  b'{"foo": 1}', b'{"Event": {"Attribute": [3]}}', b"\xff\xfe"])
def test_a_file_that_is_not_a_misp_event_is_refused_in_one_sentence(data):
    with pytest.raises(BadInput):
        read_misp(data)


@settings(max_examples=30, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
       st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_description_and_file_name_load_in_pymisp_and_come_back(tmp_path_factory, description, value):
    from hypothesis import assume

    assume(value.strip())
    folder = tmp_path_factory.mktemp("misp")
    with CaseFile.create(str(folder / "c.ircase"), PASSPHRASE, title=description.strip() or "t", actor="a") as case:
        item = ops.add_indicator(case, IndicatorKind.FILE_NAME, value, description=description,
                                 attack=["T1486"]).value
        text = export(case)
    event = loaded(text)
    assert_attributes_valid(event)
    (attribute,) = event.attributes
    assert (attribute.value, attribute.comment) == (item.value, description)
    (incoming,) = read_misp(text.encode("utf-8")).indicators
    assert (incoming.value, incoming.description, incoming.attack) == (item.value, description, ("T1486",))
