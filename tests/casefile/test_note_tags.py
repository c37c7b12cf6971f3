"""Finding notes by tag: ``#name`` or ``tag:name`` in a search, any case, with or without words."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.notes import NoteFilter, split_tags
from irdesk.domain.enums import Phase


@pytest.fixture
def tagged(case):
    a = ops.add_note(case, Phase.DETECTION, "Ransom note found on fs01", tags=("Ransomware", "fs01")).value
    b = ops.add_note(case, Phase.CONTAINMENT, "Isolated fs01 from the network", tags=("fs01",)).value
    c = ops.add_note(case, Phase.DETECTION, "Ransom demand e-mailed to the CEO").value
    return case, a, b, c


def test_a_query_names_tags_with_a_hash_or_tag_colon():
    assert split_tags("ransom #edr tag:FS01 tag: # c#") == ("ransom tag: # c#", ["edr", "FS01"])


def test_search_by_tag_alone_and_with_words(tagged):
    case, a, b, c = tagged
    assert [h.note.id for h in case.notes.search("#fs01")] == [b.id, a.id]  # newest first
    assert [h.note.id for h in case.notes.search("tag:ransomware")] == [a.id]  # any case
    assert [h.note.id for h in case.notes.search("ransom #fs01")] == [a.id]
    assert {h.note.id for h in case.notes.search("ransom")} == {a.id, c.id}  # words match the text only
    assert case.notes.search("#fs01", phase=Phase.CONTAINMENT)[0].note.id == b.id
    assert case.notes.search("#nothing") == []
    assert case.notes.count(NoteFilter(tag="FS01")) == 2


def test_tag_edits_go_through_the_note_operations(tagged):
    case, a, _b, _c = tagged
    edited = ops.edit_note(case, a.id, tags=["fs01"]).value
    assert edited.tags == ("fs01",) and case.records.history(type(a), a.id)[0].record.tags == a.tags
    assert case.timeline.tags() == ["fs01"]
