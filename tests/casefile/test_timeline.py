"""The timeline's queries: one axis over every kind, filtered, counted and paged in SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from irdesk.casefile.errors import TamperedCase
from irdesk.casefile.timeline import EntryKind, TimelineFilter
from irdesk.domain.enums import Gap, Phase
from tests.casefile.timeline_case import T0, fill


@pytest.fixture
def filled(case):
    return case, fill(case)


def steps(entries):
    return [(e.kind, e.step) for e in entries]


def test_every_dated_thing_is_on_one_axis_in_time_order(filled):
    case, ids = filled
    entries = case.timeline.page()
    assert case.timeline.count() == len(entries) == 13
    assert [e.at.utc for e in entries] == sorted(e.at.utc for e in entries)
    assert steps(entries) == [
        (EntryKind.NOTE, ""), (EntryKind.KEY_TIME, "detected_at"), (EntryKind.INDICATOR, "first_seen"),
        (EntryKind.NOTE, ""), (EntryKind.EVIDENCE, "requested_at"), (EntryKind.NOTE, ""),
        (EntryKind.ENGAGEMENT, "needed_at"), (EntryKind.EVIDENCE, "collected_at"), (EntryKind.CUSTODY, "at"),
        (EntryKind.NOTE, ""), (EntryKind.KEY_TIME, "contained_at"), (EntryKind.ENGAGEMENT, "reached_at"),
        (EntryKind.NOTE, ""),
    ]
    note = entries[0]
    assert note.record.id == ids["first"] and note.written == note.record.created
    assert entries[1].written is None  # a key time has no time of its own it was written at


def test_pages_are_windows_of_the_same_order(filled):
    case, _ids = filled
    whole = [e.key for e in case.timeline.page()]
    assert [e.key for e in case.timeline.page(offset=4, limit=3)] == whole[4:7]
    assert case.timeline.page(offset=13) == []


def test_filters_by_kind_phase_gap_tag_and_indicator(filled):
    case, ids = filled
    t = case.timeline
    only_notes = t.page(TimelineFilter(kinds=frozenset({EntryKind.NOTE})))
    assert [e.record.id for e in only_notes] == [ids[k] for k in ("first", "second", "gap", "contain", "late")]
    detection = t.page(TimelineFilter(phase=Phase.DETECTION))
    assert steps(detection) == [(EntryKind.NOTE, ""), (EntryKind.KEY_TIME, "detected_at"),
                                (EntryKind.NOTE, ""), (EntryKind.NOTE, "")]
    assert [e.record.id for e in t.page(TimelineFilter(gaps_only=True))] == [ids["gap"]]
    assert [e.record.id for e in t.page(TimelineFilter(gap=Gap.ACCESS))] == [ids["gap"]]
    assert t.count(TimelineFilter(gap=Gap.VENDOR)) == 0
    assert [e.record.id for e in t.page(TimelineFilter(tag="FS01"))] == [ids["first"], ids["contain"]]
    by_indicator = t.page(TimelineFilter(indicator_id=ids["indicator"]))
    assert [(e.kind, e.record.id) for e in by_indicator] == [
        (EntryKind.INDICATOR, ids["indicator"]), (EntryKind.NOTE, ids["second"])]
    assert t.count(TimelineFilter(kinds=frozenset())) == 0


def test_row_at_a_time_and_counts_per_interval(filled):
    case, _ids = filled
    t = case.timeline
    assert t.row_at(TimelineFilter(), T0 + timedelta(minutes=10)) == 3
    edges = [T0 + timedelta(minutes=m) for m in (0, 15, 30, 60)]
    assert t.counts(TimelineFilter(), edges) == [(5, 0), (4, 1), (4, 0)]
    assert t.counts(TimelineFilter(gaps_only=True), edges) == [(0, 0), (1, 1), (0, 0)]
    first, last = t.span()
    assert first == T0 and last == T0 + timedelta(minutes=50)


def test_tags_of_the_case_come_from_verified_notes(filled):
    case, _ids = filled
    assert case.timeline.tags() == ["edr", "fs01", "network"]


def test_a_forged_note_never_reaches_the_timeline(filled):
    case, ids = filled
    with case.db.transaction():  # behind the chain's back, as a hostile editor would
        case.db.execute("UPDATE notes SET body = 'forged' WHERE id = ?", (ids["second"],))
    with pytest.raises(TamperedCase, match=ids["second"]):
        case.timeline.page()


def test_an_attack_filter_keeps_the_notes_tagged_with_any_of_its_ids(case):
    from irdesk.casefile import operations as ops
    from irdesk.domain import attack

    encrypted = ops.add_note(case, Phase.CONTAINMENT, "Shares encrypted", attack=("T1486",)).value
    both = ops.add_note(case, Phase.DETECTION, "Admin account, then encryption", attack=("T1078.002", "T1486")).value
    ops.add_note(case, Phase.DETECTION, "Untagged")
    t = case.timeline
    impact = TimelineFilter(attack=attack.of_tactic("Impact"))
    assert {e.record.id for e in t.page(impact)} == {encrypted.id, both.id} and t.count(impact) == 2
    accounts = TimelineFilter(attack=attack.with_subtechniques("T1078"))
    assert [e.record.id for e in t.page(accounts)] == [both.id]
    assert t.count(TimelineFilter(attack=("T1490",))) == 0
    assert attack.of_tactic("no such tactic") == ()
