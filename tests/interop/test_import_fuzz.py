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

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
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
     "value", "contact_id", "first_seen", "last_verified", "due", "gap"]), value=_json)
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
        except CaseFileError:
            assert case.chain_head == head  # refused as a whole
            return
        report = check_case(case)
        assert report.ok, report.problems
