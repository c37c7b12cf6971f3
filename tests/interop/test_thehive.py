"""The TheHive 5 export, each part checked against thehive4py 2.1.0's own TypedDicts."""

from __future__ import annotations

import io
import json
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from thehive4py.types.case import InputCase
from thehive4py.types.observable import InputObservable
from thehive4py.types.procedure import InputProcedure
from thehive4py.types.task import InputTask

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import IndicatorKind, Phase, Tlp
from irdesk.domain.records import Indicator, Note
from irdesk.interop.thehive import write_thehive
from tests.conftest import PASSPHRASE


def document_of(case) -> dict:
    out = io.StringIO()
    write_thehive(case, out)
    return json.loads(out.getvalue())


def conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value has the type a thehive4py annotation names."""
    origin = get_origin(hint)
    if hint is Any:
        return True
    if origin is Union:
        return any(conforms(value, h) for h in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if origin in (list, typing.List):  # noqa: UP006 - thehive4py writes List[...]
        return isinstance(value, list) and all(conforms(v, get_args(hint)[0]) for v in value)
    if hint is dict or origin is dict:
        return isinstance(value, dict)
    if typing.is_typeddict(hint):
        return not problems(value, hint)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def problems(value: Any, typed: Any) -> list[str]:
    if not isinstance(value, dict):
        return [f"not an object: {value!r}"]
    hints = get_type_hints(typed)
    found = [f"missing {k}" for k in typed.__required_keys__ if k not in value]
    found += [f"unknown {k}" for k in value if k not in hints]
    found += [f"{k}={v!r} is not {hints[k]}" for k, v in value.items() if k in hints and not conforms(v, hints[k])]
    return found


def assert_conforms(document: dict) -> None:
    assert set(document) == {"case", "tasks", "observables", "procedures"}
    assert problems(document["case"], InputCase) == []
    for part, typed in (("tasks", InputTask), ("observables", InputObservable), ("procedures", InputProcedure)):
        assert isinstance(document[part], list)
        for item in document[part]:
            assert problems(item, typed) == [], (part, item)


def test_the_checker_catches_what_thehive4py_would_not_take():
    assert problems({"description": "x"}, InputCase) == ["missing title"]
    assert problems({"title": "t", "description": "d", "severity": "high"}, InputCase)
    assert problems({"title": "t", "description": "d", "colour": 1}, InputCase) == ["unknown colour"]
    assert problems({"patternId": "T1486", "occurDate": True}, InputProcedure)


def test_the_demo_case_exports_every_part_as_thehive4py_types_it(demo_case):
    document = document_of(demo_case)
    assert_conforms(document)
    case = document["case"]
    record = demo_case.case()
    assert case["title"] == record.title and case["severity"] == 3  # high
    assert (case["tlp"], case["pap"]) == (2, 2)  # amber
    assert "tlp:amber" in case["tags"] and case["status"] == "InProgress"
    assert case["startDate"] == int(record.first_activity_at.utc.timestamp() * 1000)
    assert len(document["tasks"]) == len(demo_case.records.all(ops_action())) > 0
    observables = document["observables"]
    assert len(observables) == 5
    assert {o["dataType"] for o in observables} <= {"ip", "domain", "url", "mail", "hash", "filename"}
    assert all(o["ioc"] is True for o in observables)
    procedures = document["procedures"]
    assert [p["patternId"] for p in procedures] == ["T1486", "T1078.002", "T1021.002", "T1133"]
    ransomware = procedures[0]
    assert ransomware["tactic"] == "impact"
    ticket = next(n for n in demo_case.records.all(Note) if n.body.startswith("Service desk ticket"))
    assert ransomware["occurDate"] == int(ticket.occurred.utc.timestamp() * 1000)  # the earliest tagged
    assert [p["occurDate"] for p in procedures] == sorted(p["occurDate"] for p in procedures)


def ops_action():
    from irdesk.domain.records import ActionItem

    return ActionItem


@pytest.mark.parametrize(("tlp", "value"), [(Tlp.CLEAR, 0), (Tlp.GREEN, 1), (Tlp.AMBER, 2),
                                            (Tlp.AMBER_STRICT, 3), (Tlp.RED, 4)])
def test_tlp_is_thehives_tlp_2_0_number(case, tlp, value):
    ops.edit_case(case, tlp=tlp)
    document = document_of(case)
    assert document["case"]["tlp"] == value
    assert_conforms(document)


def test_an_imported_unknown_technique_is_kept_without_a_tactic(case):
    item = ops.add_indicator(case, IndicatorKind.DOMAIN, "example.org").value
    with case.transaction():
        case.records.revise(Indicator, item.id, attack=("T9999",))
    (procedure,) = document_of(case)["procedures"]
    assert procedure["patternId"] == "T9999" and "tactic" not in procedure
    assert "not in ATT&CK" in procedure["description"]


ACTIVE = sorted(t.id for t in attack.catalogue().techniques.values() if t.status == "active")


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
       st.lists(st.sampled_from(ACTIVE), max_size=4),
       st.sampled_from(list(IndicatorKind)))
def test_any_text_and_tags_give_thehive_types(tmp_path_factory, text, ids, kind):
    values = {IndicatorKind.IPV4: "192.0.2.1", IndicatorKind.IPV6: "2001:db8::1",
              IndicatorKind.DOMAIN: "example.org", IndicatorKind.URL: "https://example.org/x",
              IndicatorKind.EMAIL: "a@example.org", IndicatorKind.SHA256: "a" * 64,
              IndicatorKind.SHA1: "b" * 40, IndicatorKind.MD5: "c" * 32,
              IndicatorKind.FILE_NAME: " ".join(text.split()) or "x.bin"}  # one line, never blank
    with CaseFile.create(str(tmp_path_factory.mktemp("hive") / "c.ircase"), PASSPHRASE,
                         title=text.strip() or "t", actor="a") as case:
        ops.add_note(case, Phase.DETECTION, text, attack=ids)
        ops.add_indicator(case, kind, values[kind], description=text, attack=ids[:1])
        ops.add_action(case, text.strip() or "t")
        document = document_of(case)
    assert_conforms(document)
    assert len(document["procedures"]) == len(set(ids))
