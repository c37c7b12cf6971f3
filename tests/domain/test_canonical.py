"""Records survive the canonical JSON encoding exactly, and malformed input is refused."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.canonical import RecordFormatError, canonical_json, from_dict, record_hash, to_dict
from irdesk.domain.enums import Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Contact, Note, new_id

NOW = Moment.parse("2026-11-28T10:00:00+01:00")


def make_note(body="x", **kw):
    return Note(id=new_id(), rev="r1", parent_rev=None, created=NOW, updated=NOW, author="A",
                phase=Phase.DETECTION, body=body, occurred=NOW, **kw)


@given(st.text(), st.lists(st.text(max_size=10), max_size=3), st.sampled_from([None, *Gap]))
def test_note_round_trip(body, tags, gap):
    note = make_note(body, tags=tuple(tags), gap=gap)
    data = json.loads(canonical_json(to_dict(note)))
    assert from_dict(data, Note) == note


def test_hash_depends_on_every_field():
    note = make_note("a")
    assert record_hash(note) != record_hash(make_note("b"))
    assert record_hash(note) == record_hash(from_dict(to_dict(note)))


def test_canonical_json_is_sorted_and_compact():
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


@pytest.mark.parametrize("bad", [
    {"type": "nope"},
    {"type": "contact", "name": 3},
    {"type": "contact", "name": "x", "evil": 1},
    [],
    {"type": "note", "id": "x"},
])
def test_from_dict_refuses_malformed(bad):
    with pytest.raises(RecordFormatError):
        from_dict(bad)


def test_from_dict_refuses_wrong_kind():
    contact = Contact(id=new_id(), rev="r", parent_rev=None, created=NOW, updated=NOW, author="A", name="N")
    with pytest.raises(RecordFormatError, match="expected a note"):
        from_dict(to_dict(contact), Note)
