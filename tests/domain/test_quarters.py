"""The book's figures per quarter: medians, gaps, action items; incidents and drills apart."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.book import BookAction, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.enums import ActionStatus, Gap
from irdesk.domain.moment import Moment
from irdesk.domain.quarters import next_quarter, quarter_label, quarter_start, quarterly

T0 = Moment.parse("2026-01-01T09:00Z")


def stamps() -> dict:
    return {"id": str(uuid.uuid4()), "rev": "r", "parent_rev": None, "created": T0, "updated": T0, "author": "t"}


def entry(case: str, detected: str, *, drill: bool = False, detect_h: float | None = 4,
          contain_h: float | None = 10) -> RegisterEntry:
    seen = Moment.parse(detected)
    return RegisterEntry(**{**stamps(), "id": case}, title=case, drill=drill, detected_at=seen,
                         first_activity_at=None if detect_h is None else seen + timedelta(hours=-detect_h),
                         contained_at=None if contain_h is None else seen + timedelta(hours=contain_h),
                         filed_at=seen + timedelta(days=20))


def engaged(case: str, minutes: float | None) -> FiledEngagement:
    return FiledEngagement(**stamps(), entry_id=case, contact_id="c", contact_name="Dana", needed_at=T0,
                           reached_at=None if minutes is None else T0 + timedelta(minutes=minutes))


def logs(case: str, hours: float | None) -> FiledEvidence:
    return FiledEvidence(**stamps(), entry_id=case, label="firewall", requested_at=T0,
                         collected_at=None if hours is None else T0 + timedelta(hours=hours))


def gap(case: str, category: Gap, count: int = 1) -> FiledGap:
    return FiledGap(**stamps(), entry_id=case, category=category, count=count)


def action(case: str, status: ActionStatus) -> BookAction:
    return BookAction(**stamps(), entry_id=case, title=f"{case} {status}", status=status)


def test_quarter_arithmetic():
    assert quarter_start(date(2026, 8, 31)) == date(2026, 7, 1)
    assert quarter_start(date(2026, 1, 1)) == date(2026, 1, 1)
    assert next_quarter(date(2026, 10, 1)) == date(2027, 1, 1)
    assert next_quarter(date(2026, 5, 17)) == date(2026, 7, 1)
    assert quarter_label(date(2026, 12, 31)) == "2026 Q4"


def test_medians_gaps_and_actions_of_one_quarter_and_an_empty_one_between():
    entries = [entry("a", "2026-01-10T10:00Z", detect_h=2, contain_h=6),
               entry("b", "2026-02-10T10:00Z", detect_h=6, contain_h=None),
               entry("c", "2026-03-30T10:00Z", detect_h=None, contain_h=10),
               entry("z", "2026-08-01T10:00Z", detect_h=1, contain_h=1)]
    engagements = [engaged("a", 30), engaged("b", 90), engaged("b", None), engaged("z", 5)]
    evidence = [logs("a", 2), logs("c", 4), logs("c", None), logs("z", 1)]
    gaps = [gap("a", Gap.ACCESS), gap("b", Gap.ACCESS, 2), gap("c", Gap.VENDOR), gap("z", Gap.TOOLING)]
    actions = [action("a", ActionStatus.PROPOSED), action("a", ActionStatus.ACCEPTED),
               action("b", ActionStatus.IMPLEMENTED), action("c", ActionStatus.TESTED),
               action("c", ActionStatus.WAIVED), action("z", ActionStatus.TESTED)]
    q1, q2, q3 = quarterly(entries, engagements, evidence, gaps, actions, drills=False)
    assert (q1.label, q2.label, q3.label) == ("2026 Q1", "2026 Q2", "2026 Q3")
    assert q1.start == date(2026, 1, 1) and q1.end == date(2026, 3, 31)
    assert q1.cases == 3
    assert q1.time_to_detect == timedelta(hours=4)  # median of 2 h and 6 h; c has no first activity
    assert q1.time_to_contain == timedelta(hours=8)  # median of 6 h and 10 h; b was not contained
    assert q1.time_to_engage == timedelta(minutes=60)  # the unreached engagement does not count
    assert q1.time_to_obtain_logs == timedelta(hours=3)
    assert q1.gaps[Gap.ACCESS] == 3 and q1.gaps[Gap.VENDOR] == 1 and q1.gaps[Gap.TOOLING] == 0
    assert set(q1.gaps) == set(Gap) and q1.gap_total == 4
    assert (q1.actions_proposed, q1.actions_accepted, q1.actions_implemented, q1.actions_tested,
            q1.actions_waived) == (5, 3, 2, 1, 1)
    assert q2.cases == 0 and q2.time_to_detect is None and q2.time_to_engage is None and q2.gap_total == 0
    assert q2.actions_proposed == 0
    assert q3.cases == 1 and q3.time_to_engage == timedelta(minutes=5) and q3.gaps[Gap.TOOLING] == 1


def test_a_drills_figures_stay_out_of_the_incident_figures():
    entries = [entry("inc", "2026-04-02T10:00Z"), entry("drill", "2026-04-03T10:00Z", drill=True)]
    engagements = [engaged("inc", 10), engaged("drill", 600)]
    evidence = [logs("inc", 1), logs("drill", 50)]
    gaps = [gap("inc", Gap.ACCESS), gap("drill", Gap.COMMUNICATION, 3)]
    actions = [action("inc", ActionStatus.TESTED), action("drill", ActionStatus.PROPOSED)]
    [incidents] = quarterly(entries, engagements, evidence, gaps, actions, drills=False)
    [drills] = quarterly(entries, engagements, evidence, gaps, actions, drills=True)
    assert incidents.cases == 1 and incidents.time_to_engage == timedelta(minutes=10)
    assert incidents.time_to_obtain_logs == timedelta(hours=1)
    assert incidents.gaps[Gap.COMMUNICATION] == 0 and incidents.gaps[Gap.ACCESS] == 1
    assert (incidents.actions_proposed, incidents.actions_tested) == (1, 1)
    assert drills.cases == 1 and drills.time_to_engage == timedelta(minutes=600)
    assert drills.time_to_obtain_logs == timedelta(hours=50)
    assert drills.gaps[Gap.COMMUNICATION] == 3 and drills.gaps[Gap.ACCESS] == 0
    assert (drills.actions_proposed, drills.actions_tested) == (1, 0)


def test_tombstones_and_unknown_cases_are_left_out():
    gone = replace(entry("gone", "2026-04-02T10:00Z"), deleted=True)
    kept = entry("kept", "2026-04-02T10:00Z")
    engagements = [engaged("gone", 1), engaged("elsewhere", 2), replace(engaged("kept", 3), deleted=True),
                   engaged("kept", 7)]
    [q] = quarterly([gone, kept], engagements, [], [gap("gone", Gap.ACCESS)],
                    [action("elsewhere", ActionStatus.PROPOSED)], drills=False)
    assert q.cases == 1 and q.time_to_engage == timedelta(minutes=7)
    assert q.gap_total == 0 and q.actions_proposed == 0


def test_a_period_shows_its_quarters_and_only_its_cases():
    entries = [entry("old", "2025-06-30T10:00Z"), entry("in", "2026-02-01T10:00Z"), entry("late", "2026-12-01T10:00Z")]
    found = quarterly(entries, [], [], [], [], drills=False, start=date(2025, 10, 15), end=date(2026, 9, 30))
    assert [q.label for q in found] == ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3"]
    assert [q.cases for q in found] == [0, 1, 0, 0]
    assert [q.label for q in quarterly([], [], [], [], [], drills=True, start=date(2026, 1, 1),
                                       end=date(2026, 6, 30))] == ["2026 Q1", "2026 Q2"]
    assert quarterly([], [], [], [], [], drills=False) == []
    assert quarterly(entries, [], [], [], [], drills=False, start=date(2027, 1, 1), end=date(2026, 1, 1)) == []


def test_a_case_counts_for_its_local_day():
    # 00:30 on 1 July in Berlin is still 30 June in UTC: the responder's quarter is Q3.
    [q] = quarterly([entry("berlin", "2026-07-01T00:30+02:00")], [], [], [], [], drills=False)
    assert q.label == "2026 Q3"
    undetected = replace(entry("x", "2026-07-01T00:30Z"), detected_at=None, first_activity_at=None,
                         filed_at=Moment.parse("2026-10-05T08:00Z"))
    [q] = quarterly([undetected], [], [], [], [], drills=False)
    assert q.label == "2026 Q4"  # nothing known but when it was filed


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(st.lists(st.tuples(days, st.booleans()), max_size=30))
def test_quarters_are_consecutive_and_every_case_counts_once(cases):
    entries = [entry(f"c{n}", datetime(d.year, d.month, d.day, 12, tzinfo=UTC).isoformat(), drill=drill)
               for n, (d, drill) in enumerate(cases)]
    for drills in (False, True):
        found = quarterly(entries, [], [], [], [], drills=drills)
        mine = [d for d, drill in cases if drill == drills]
        assert sum(q.cases for q in found) == len(mine)
        if mine:
            assert found[0].start == quarter_start(min(mine)) and found[-1].start == quarter_start(max(mine))
        for before, after in zip(found, found[1:], strict=False):
            assert after.start == next_quarter(before.start)
