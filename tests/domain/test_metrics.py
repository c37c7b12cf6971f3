"""Metrics computed from records: key durations, waits, gap counts."""

import dataclasses
from datetime import date, timedelta

from irdesk.domain.enums import ActionStatus, EvidenceStatus, Gap, Phase
from irdesk.domain.metrics import (
    Wait,
    WaitState,
    action_progress,
    as_of,
    at_a_glance,
    evidence_wait,
    evidence_waits,
    gap_counts,
    gaps_without_action,
    is_overdue,
    key_durations,
    person_waits,
    wait_figures,
)
from irdesk.domain.moment import Moment
from irdesk.domain.records import ActionItem, Case, Contact, Engagement, Evidence, Note, new_id

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


def test_person_waits_longest_first_and_open_ones_measured_to_the_as_of_moment():
    alice = Contact(**stamp(), name="Alice")
    bob = Contact(**stamp(), name="Bob")
    quick = Engagement(**stamp(), contact_id=alice.id, purpose="p", needed_at=T0,
                       reached_at=T0 + timedelta(minutes=10))
    pending = Engagement(**stamp(), contact_id=bob.id, purpose="q", needed_at=T0)
    waits = person_waits([quick, pending], {alice.id: alice, bob.id: bob}, T0 + timedelta(hours=2))
    assert [w.subject for w in waits] == ["Bob", "Alice"]
    assert waits[0].state is WaitState.WAITING and waits[0].waited == timedelta(hours=2)
    assert [w.subject for w in person_waits([quick, pending], {alice.id: alice})] == ["Alice"]


def test_every_evidence_item_says_where_it_stands():
    asked = Evidence(**stamp(), label="log", requested_at=T0, collected_at=T0 + timedelta(hours=3))
    never = Evidence(**stamp(), label="disk", status=EvidenceStatus.NEEDED)
    gone = Evidence(**stamp(), label="old firewall logs", status=EvidenceStatus.UNAVAILABLE,
                    requested_at=T0, unavailable_reason="overwritten")
    open_ = Evidence(**stamp(), label="jump host log", status=EvidenceStatus.REQUESTED, requested_at=T0)
    waits = {w.subject: w for w in evidence_waits([asked, never, gone, open_], T0 + timedelta(days=50))}
    assert waits["log"].state is WaitState.DONE and waits["log"].waited == timedelta(hours=3)
    assert waits["disk"].state is WaitState.NEVER_REQUESTED and waits["disk"].waited is None
    # Unavailable evidence is not "still waiting": no wait grows for logs that no longer exist.
    assert waits["old firewall logs"].state is WaitState.UNAVAILABLE and waits["old firewall logs"].waited is None
    assert waits["old firewall logs"].reason == "overwritten"
    assert waits["jump host log"].state is WaitState.WAITING and waits["jump host log"].waited == timedelta(days=50)
    assert evidence_wait(gone, T0 + timedelta(days=50)) is None


def test_as_of_is_closed_else_recovered_else_the_report_time():
    made = T0 + timedelta(days=90)
    case = Case(**stamp(), title="T", detected_at=T0)
    assert as_of(case, made) == made
    recovered = dataclasses.replace(case, recovered_at=T0 + timedelta(days=2))
    assert as_of(recovered, made) == T0 + timedelta(days=2)
    closed = dataclasses.replace(recovered, closed_at=T0 + timedelta(days=9))
    assert as_of(closed, made) == T0 + timedelta(days=9)


def test_wait_figures_give_median_longest_and_what_was_not_measured():
    waits = [
        Wait("a", "", T0, timedelta(minutes=6), WaitState.DONE),
        Wait("b", "", T0, timedelta(hours=1), WaitState.DONE),
        Wait("c", "", T0, timedelta(hours=3), WaitState.DONE),
        Wait("d", "", T0, timedelta(days=2), WaitState.WAITING),
        Wait("e", "", None, None, WaitState.UNAVAILABLE, "gone"),
        Wait("f", "", None, None, WaitState.NEVER_REQUESTED),
    ]
    f = wait_figures(waits)
    assert f.median == timedelta(hours=1) and f.done == 3
    assert f.longest is not None and f.longest.subject == "d"
    assert (f.waiting, f.unavailable, f.never_requested) == (1, 1, 1)
    assert wait_figures([]).median is None and wait_figures([]).longest is None


def test_action_progress_counts_overdue_and_gaps_without_an_action():
    gap_a = Note(**stamp(), phase=Phase.DETECTION, body="a", occurred=T0, gap=Gap.ACCESS)
    gap_b = Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0, gap=Gap.VENDOR)
    today = date(2026, 12, 1)
    actions = [
        ActionItem(**stamp(), title="fix a", source_note_id=gap_a.id, status=ActionStatus.TESTED,
                   due=date(2026, 11, 1)),
        ActionItem(**stamp(), title="late", status=ActionStatus.ACCEPTED, due=date(2026, 11, 30)),
        ActionItem(**stamp(), title="due today", status=ActionStatus.ACCEPTED, due=today),
        ActionItem(**stamp(), title="waived", status=ActionStatus.WAIVED, waived_reason="r"),
    ]
    progress = action_progress(actions, [gap_a, gap_b], today)
    assert (progress.total, progress.tested, progress.waived, progress.overdue) == (4, 1, 1, 1)
    assert gaps_without_action([gap_a, gap_b], actions) == [gap_b]
    assert progress.sentence() == "1 of 4 action items tested (1 waived), 1 overdue, 1 gap without an action."
    assert is_overdue(actions[1], today) and not is_overdue(actions[0], today)


def test_show_and_the_report_share_one_glance():
    case = Case(**stamp(), title="T", detected_at=T0, recovered_at=T0 + timedelta(hours=50))
    alice = Contact(**stamp(), name="Alice")
    pending = Engagement(**stamp(), contact_id=alice.id, purpose="q", needed_at=T0)
    early = at_a_glance(case, engagements=[pending], contacts={alice.id: alice}, evidence=[], gap_notes=[],
                        actions=[], made_at=T0 + timedelta(days=60))
    later = at_a_glance(case, engagements=[pending], contacts={alice.id: alice}, evidence=[], gap_notes=[],
                        actions=[], made_at=T0 + timedelta(days=600))
    assert early.as_of == later.as_of == case.recovered_at
    assert early.people == later.people  # a reprint measures open waits to the same moment


def test_gap_counts_ignore_deleted():
    notes = [Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0, gap=Gap.ACCESS),
             Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0, gap=Gap.ACCESS, deleted=True),
             Note(**stamp(), phase=Phase.DETECTION, body="b", occurred=T0)]
    assert gap_counts(notes) == {Gap.ACCESS: 1}


def test_sizes_read_as_a_person_reads_them():
    from irdesk.domain.sizes import format_size

    assert format_size(17_179_869_184) == "16.0 GiB"
    assert format_size(1_261_568) == "1.2 MiB"
    assert format_size(0) == "0 bytes" and format_size(1) == "1 byte" and format_size(1023) == "1023 bytes"
    assert format_size(1024) == "1.0 KiB" and format_size(None) == "—"
    assert format_size(1024**4 * 1023.99) == "1.0 PiB"
