"""Hypothesis against the JSON importer: damage is refused in one sentence, or imported cleanly."""

from __future__ import annotations

import copy
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irdesk.casefile.check import check_case
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.demo import build_demo
from irdesk.domain.errors import BadInput
from irdesk.interop.jsonfmt import write_json
from irdesk.interop.jsonimport import load_export, merge_export
from tests.conftest import PASSPHRASE

# Values the issue found breaking the importer: beyond 64 bits, a lone surrogate, times that
# overflow or lie outside 1970..2100, deep nesting.
HOSTILE = st.sampled_from([2**64, 2**63, -(2**63) - 1, 10**30, "\ud800", "a\udfffb",
                           "9999-12-31T23:30:00.000000-05:00", "0001-01-01T00:10:00.000000+01:00",
                           "9999-12-31T23:59:59.999999+00:00", "1969-12-31T23:59:59.000000+00:00",
                           "2101-01-01T00:00:00.000000+00:00", "0001-01-01", "9999-12-31"])
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | HOSTILE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("fuzz") / "demo.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="Demo", actor="T") as case:
        build_demo(case)
        out = io.BytesIO()
        write_json(case, out)
    data = json.loads(out.getvalue())
    data.pop("audit")  # so damage reaches the record checks, not only the chain check
    return data


def load(data: object):
    return load_export(io.BytesIO(json.dumps(data).encode("utf-8")))


@given(_json)
def test_any_json_value_is_refused_cleanly(value):
    with pytest.raises(BadInput):
        load(value)


@given(st.binary(max_size=200))
def test_any_bytes_are_refused_cleanly(data):
    with pytest.raises(BadInput):
        load_export(io.BytesIO(data))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0, max_value=200), field=st.text(max_size=12) | st.sampled_from(
    ["id", "rev", "type", "body", "occurred", "phase", "tags", "deleted", "size", "kind",
     "value", "contact_id", "first_seen", "last_verified", "due", "gap", "created", "updated",
     "needed_at", "reached_at", "detected_at", "at"]), value=_json)
def test_a_damaged_record_is_refused_or_imported_cleanly(exported, tmp_path_factory, index,
                                                         field, value):
    data = copy.deepcopy(exported)
    record = data["records"][index % len(data["records"])]
    record[field] = value
    try:
        export = load(data)
    except BadInput as exc:
        assert exc.message.endswith(".") and "\n" not in exc.message
        return
    path = tmp_path_factory.mktemp("target") / "t.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="Target", actor="T") as case:
        head = case.chain_head
        try:
            merge_export(case, export, source="fuzz")
        except (CaseFileError, BadInput) as exc:
            assert exc.exit_code in (2, 4) and "\n" not in exc.message
            assert case.chain_head == head  # refused as a whole
            return
        report = check_case(case)
        assert report.ok, report.problems


def test_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(BadInput):
        load_export(io.BytesIO(b"[" * 100_000 + b"]" * 100_000))
    nested = {"format": "irdesk-case-export", "format_version": 1, "x": [[[[[[[[[[[[[[[]]]]]]]]]]]]]]]}
    for _ in range(300):
        nested = {"format": "irdesk-case-export", "format_version": 1, "x": nested}
    with pytest.raises(BadInput):
        load(nested)
