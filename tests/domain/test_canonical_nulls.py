"""``from_dict`` refuses null where a record needs a value (found by fuzzing the JSON import)."""

import pytest

from irdesk.domain.canonical import RecordFormatError, from_dict, to_dict
from irdesk.domain.enums import Phase
from irdesk.domain.moment import Moment
from irdesk.domain.records import Note, new_id

NOW = Moment.parse("2026-11-28T10:00:00+01:00")


def test_from_dict_refuses_null_in_a_required_field():
    note = Note(id=new_id(), rev="r", parent_rev=None, created=NOW, updated=NOW, author="A",
                phase=Phase.DETECTION, body="b", occurred=NOW)
    data = to_dict(note)
    data["body"] = None
    with pytest.raises(RecordFormatError, match="cannot be null"):
        from_dict(data)
    data["body"], data["gap"] = "b", None  # an optional field may be null
    assert from_dict(data) == note
