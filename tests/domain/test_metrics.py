"""Metrics computed from records: key durations, waits, gap counts."""

from datetime import timedelta

from irdesk.domain.enums import Gap, Phase
from irdesk.domain.metrics import evidence_waits, gap_counts, key_durations, person_waits
from irdesk.domain.moment import Moment
from irdesk.domain.records import Case, Contact, Engagement, Evidence, Note, new_id

T0 = Moment.parse("2026-10-12T07:40:00+01:00")


def stamp():
    return dict(id=new_id(), rev="r", parent_rev=None, created=T0, updated=T0, author="A")


def test_key_durations():
    case = Case(**stamp(), title="T", first_activity_at=T0 + timedelta(hours=-5),
                detected_at=T0, contained_at=T0 + timedelta(hours=20))
    d = key_durations(case)
    assert d.time_to_detect == timedelta(hours=5)
    assert d.time_to_contain == timedelta(hours=20)
    assert d.time_to_recover is None


def test_person_waits_longest_first_and_open_ones_measured_to_now():
    alice = Contact(**stamp(), name="Alice")
    bob = Contact(**stamp(), name="Bob")
    quick = Engagement(**stamp(), contact_id=alice.id, purpose="p", needed_at=T0,
                       reached_at=T0 + timedelta(minutes=10))
    pending = Engagement(**stamp(), contact_id=bob.id, purpose="q", needed_at=T0)
    waits = person_waits([quick, pending], {alice.id: alice, bob.id: bob}, now=T0 + timedelta(hours=2))
    assert [w.subject for w in waits] == ["Bob", "Alice"]
    assert waits[0].resolved is False and waits[0].waited == timedelta(hours=2)


def test_evidence_waits_skip_unrequested():
    asked = Evidence(**stamp(), label="log", requested_at=T0, collected_at=T0 + timedelta(hours=3))
    never = Evidence(**stamp(), label="disk")
    assert [w.waited for w in evidence_waits([asked, never])] == [timedelta(hours=3)]


def test_gap_counts_ignore_deleted():
    notes = [Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0, gap=Gap.ACCESS),
             Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0, gap=Gap.ACCESS, deleted=True),
             Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0)]
    assert gap_counts(notes) == {Gap.ACCESS: 1}
