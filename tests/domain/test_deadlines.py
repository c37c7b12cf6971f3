"""The regulators' clocks: one test per regime, "one month", business days, and a property."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from irdesk.domain.deadlines import DeadlineState, next_due, regime_deadlines, schedule
from irdesk.domain.enums import RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import Notification, RecordId, Regime
from irdesk.domain.regimes import DEFINITIONS, parse_period, parse_stages, stages_of

STAMP = Moment.parse("2026-01-01T00:00Z")
_ids = iter(range(10**9))


def at(text: str) -> Moment:
    return Moment.parse(text)


def regime(kind: RegimeKind, **fields) -> Regime:
    return Regime(id=RecordId(f"regime-{next(_ids)}"), rev="r", parent_rev=None, created=STAMP, updated=STAMP,
                  author="t", kind=kind, **fields)


def sent(r: Regime, stage: str, when: str | Moment, **fields) -> Notification:
    moment = when if isinstance(when, Moment) else at(when)
    return Notification(id=RecordId(f"n-{next(_ids)}"), rev="r", parent_rev=None, created=STAMP, updated=STAMP,
                        author="t", regime_id=r.id, stage=stage, sent_at=moment, contact_id=RecordId("c"),
                        **fields)


def by_stage(r: Regime, notifications=(), as_of: str = "2030-01-01T00:00Z"):
    return {d.stage.key: d for d in regime_deadlines(r, list(notifications), at(as_of))}


# ---------------------------------------------------------------- GDPR


def test_gdpr_72_hours_are_elapsed_hours_across_the_end_of_summer_time():
    # Clocks in Amsterdam go back at 03:00 on Sunday 25 October 2026: 72 h after Saturday
    # noon (+02:00) is Tuesday 11:00 (+01:00), not noon.
    r = regime(RegimeKind.GDPR, aware_at=at("2026-10-24T12:00+02:00"), time_zone="Europe/Amsterdam")
    d = by_stage(r)["notification"]
    assert d.due.utc == datetime(2026, 10, 27, 10, 0, tzinfo=UTC)
    assert d.due.display() == "2026-10-27 11:00 +01:00"
    assert d.basis == "72 h after awareness"
    # Without a zone, the same instant in the offset awareness was entered with.
    plain = by_stage(regime(RegimeKind.GDPR, aware_at=at("2026-10-24T12:00+02:00")))["notification"]
    assert plain.due.utc == d.due.utc and plain.due.display() == "2026-10-27 12:00 +02:00"


def test_gdpr_states_met_late_open_overdue_and_not_triggered():
    r = regime(RegimeKind.GDPR, aware_at=at("2026-03-02T09:00Z"))
    assert by_stage(r, [sent(r, "notification", "2026-03-05T08:59Z")])["notification"].state is DeadlineState.MET
    late = by_stage(r, [sent(r, "notification", "2026-03-06T11:30Z", late_reason="Forensics first")])
    assert late["notification"].state is DeadlineState.LATE
    assert late["notification"].late_by == timedelta(hours=26, minutes=30)
    assert late["notification"].describe() == "late by 26 h 30 min"
    open_ = by_stage(r, as_of="2026-03-04T09:00Z")["notification"]
    assert open_.state is DeadlineState.OPEN and open_.remaining == timedelta(hours=24) and not open_.urgent
    amber = by_stage(r, as_of="2026-03-04T15:00Z")["notification"]
    assert amber.urgent  # 18 h of 72 h left: the last quarter
    overdue = by_stage(r, as_of="2026-03-05T10:00Z")["notification"]
    assert overdue.state is DeadlineState.OVERDUE and overdue.late_by == timedelta(hours=1)
    waiting = by_stage(regime(RegimeKind.GDPR))["notification"]
    assert waiting.state is DeadlineState.NOT_TRIGGERED and waiting.due is None
    assert waiting.describe() == "not yet triggered: awareness is not recorded"


# ---------------------------------------------------------------- NIS2


def test_nis2_final_report_runs_from_the_notifications_sent_time():
    r = regime(RegimeKind.NIS2, aware_at=at("2026-10-12T08:10+01:00"))
    early = sent(r, "early-warning", "2026-10-12T20:00+01:00")
    d = by_stage(r, [early])
    assert d["early-warning"].due == at("2026-10-13T08:10+01:00") and d["early-warning"].state is DeadlineState.MET
    assert d["incident-notification"].due == at("2026-10-15T08:10+01:00")
    assert d["final-report"].state is DeadlineState.NOT_TRIGGERED
    assert d["final-report"].waiting_for == "the incident notification has not been sent"
    # Sent a day early, the notification starts the final report's month earlier too.
    notified = sent(r, "incident-notification", "2026-10-14T19:40+01:00")
    d = by_stage(r, [early, notified])
    assert d["final-report"].started == notified.sent_at
    assert d["final-report"].due == at("2026-11-14T19:40+01:00")
    assert d["final-report"].basis == "1 month after the incident notification was sent"


def test_one_month_at_a_month_end_is_that_months_last_day():
    r = regime(RegimeKind.NIS2, aware_at=at("2027-01-29T10:00Z"))
    d = by_stage(r, [sent(r, "incident-notification", "2027-01-31T10:00Z")])
    assert d["final-report"].due == at("2027-02-28T10:00Z")
    leap = regime(RegimeKind.NIS2, aware_at=at("2028-01-29T10:00Z"))
    d = by_stage(leap, [sent(leap, "incident-notification", "2028-01-31T23:30Z")])
    assert d["final-report"].due == at("2028-02-29T23:30Z")
    year_end = regime(RegimeKind.NIS2, aware_at=at("2026-12-30T10:00Z"))
    d = by_stage(year_end, [sent(year_end, "incident-notification", "2026-12-31T10:00Z")])
    assert d["final-report"].due == at("2027-01-31T10:00Z")


def test_one_month_keeps_the_local_time_across_a_dst_change():
    r = regime(RegimeKind.NIS2, aware_at=at("2026-10-13T10:00+02:00"), time_zone="Europe/Amsterdam")
    d = by_stage(r, [sent(r, "incident-notification", "2026-10-15T10:00+02:00")])
    assert d["final-report"].due.display() == "2026-11-15 10:00 +01:00"


# ---------------------------------------------------------------- DORA


def test_dora_initial_is_4_hours_after_classification_but_no_later_than_24_hours_after_awareness():
    aware = "2026-06-01T08:00Z"
    early = by_stage(regime(RegimeKind.DORA, aware_at=at(aware), classified_at=at("2026-06-01T10:00Z")))
    assert early["initial-notification"].due == at("2026-06-01T14:00Z")  # 4 h after classification
    late = by_stage(regime(RegimeKind.DORA, aware_at=at(aware), classified_at=at("2026-06-02T06:00Z")))
    assert late["initial-notification"].due == at("2026-06-02T08:00Z")  # capped at 24 h after awareness
    assert late["initial-notification"].started == at("2026-06-02T06:00Z")
    # Classified only after the first 24 h: 4 h after classification (RTS Art. 5(2)).
    after = by_stage(regime(RegimeKind.DORA, aware_at=at(aware), classified_at=at("2026-06-03T09:00Z")))
    assert after["initial-notification"].due == at("2026-06-03T13:00Z")
    # Not classified as major yet: no clock, whatever the time since awareness.
    none = by_stage(regime(RegimeKind.DORA, aware_at=at(aware)))
    assert none["initial-notification"].state is DeadlineState.NOT_TRIGGERED
    assert "classification as major is not recorded" in none["initial-notification"].waiting_for


def test_dora_intermediate_and_final_run_from_the_reports_sent_before_them():
    r = regime(RegimeKind.DORA, aware_at=at("2026-06-01T08:00Z"), classified_at=at("2026-06-01T09:00Z"))
    initial = sent(r, "initial-notification", "2026-06-01T12:00Z")
    first = sent(r, "intermediate-report", "2026-06-03T12:00Z")
    updated = sent(r, "intermediate-report", "2026-06-10T12:00Z")
    d = by_stage(r, [initial, first, updated])
    assert d["intermediate-report"].due == at("2026-06-04T12:00Z")  # 72 h after the initial one
    assert d["intermediate-report"].state is DeadlineState.MET  # the first one met it
    assert d["final-report"].due == at("2026-07-10T12:00Z")  # 1 month after the latest intermediate


# ---------------------------------------------------------------- SEC Form 8-K


def sec(determined: str) -> Regime:
    return regime(RegimeKind.SEC_8K, determined_at=at(determined), jurisdiction="US",
                  time_zone="America/New_York")


def test_sec_four_business_days_skip_a_weekend():
    d = by_stage(sec("2026-12-04T09:00-05:00"))["filing"]  # a Friday
    assert d.due.display() == "2026-12-10 23:59 -05:00"  # Mon, Tue, Wed, Thu


def test_sec_four_business_days_skip_a_federal_holiday():
    d = by_stage(sec("2026-11-23T16:00-05:00"))["filing"]  # Monday of Thanksgiving week
    assert d.due.display() == "2026-11-30 23:59 -05:00"  # Tue, Wed, (Thu 26 holiday), Fri, Mon
    july = by_stage(sec("2026-06-30T10:00-04:00"))["filing"]  # Independence Day observed Fri 3 July
    assert july.due.display() == "2026-07-07 23:59 -04:00"  # Wed 1, Thu 2, Mon 6, Tue 7


def test_sec_a_determination_at_the_weekend_counts_from_monday():
    d = by_stage(sec("2026-12-05T11:00-05:00"))["filing"]  # a Saturday
    assert d.due.display() == "2026-12-10 23:59 -05:00"
    assert d.basis == "4 business days (US) after the materiality determination, ending 23:59 local time"


def test_business_days_follow_the_jurisdictions_holidays():
    custom = regime(RegimeKind.CUSTOM, name="BaFin", jurisdiction="DE", time_zone="Europe/Berlin",
                    stages=("report=2bd",), aware_at=at("2026-12-23T10:00+01:00"))
    # 24 Dec is a working day in Germany; 25 and 26 Dec are holidays, 27 a Sunday.
    assert by_stage(custom)["report"].due.display() == "2026-12-28 23:59 +01:00"


# ---------------------------------------------------------------- CIRCIA


def test_circia_72_hours_for_the_incident_and_24_hours_after_a_ransom_payment():
    r = regime(RegimeKind.CIRCIA, aware_at=at("2026-05-04T13:00-04:00"))
    d = by_stage(r)
    assert d["covered-incident-report"].due == at("2026-05-07T13:00-04:00")
    assert d["ransom-payment-report"].state is DeadlineState.NOT_TRIGGERED
    paid = regime(RegimeKind.CIRCIA, aware_at=at("2026-05-04T13:00-04:00"), ransom_paid_at=at("2026-05-05T22:00-04:00"))
    assert by_stage(paid)["ransom-payment-report"].due == at("2026-05-06T22:00-04:00")


# ---------------------------------------------------------------- custom regimes


def test_custom_stages_parse_periods_and_chains():
    stages = parse_stages(("Early Warning=24h", "notification=3d", "final report=1mo after early warning",
                           "filing=4 business days"))
    assert [s.key for s in stages] == ["early-warning", "notification", "final-report", "filing"]
    assert parse_period("3d") == parse_period("72 hours")
    for bad in (("x=0h",), ("x=soon",), ("=4h",), ("a=4h", "A=5h"), ("a=1mo after b",), ()):
        with pytest.raises(ValueError):
            parse_stages(bad)


def test_custom_regime_deadlines():
    r = regime(RegimeKind.CUSTOM, name="UK ICO", stages=("initial=72h", "follow-up=1mo after initial"),
               aware_at=at("2026-03-31T09:00+01:00"))
    d = by_stage(r, [sent(r, "initial", "2026-04-01T09:00+01:00")])
    assert d["initial"].due == at("2026-04-03T09:00+01:00")
    assert d["follow-up"].due == at("2026-05-01T09:00+01:00")


def test_the_next_deadline_is_the_first_pending_one():
    g = regime(RegimeKind.GDPR, aware_at=at("2026-03-02T09:00Z"))
    n = regime(RegimeKind.NIS2, aware_at=at("2026-03-02T09:00Z"))
    found = schedule([g, n], [sent(n, "early-warning", "2026-03-02T10:00Z")], at("2026-03-02T12:00Z"))
    assert next_due(found).label == "GDPR notification"  # early warning met; a tie goes to the first
    overdue = schedule([g, n], [], at("2026-03-03T12:00Z"))
    assert next_due(overdue).label == "NIS2 early warning"  # overdue comes first
    assert next_due(schedule([], [], at("2026-03-03T12:00Z"))) is None


# ---------------------------------------------------------------- the property

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2101, 1, 1, tzinfo=UTC)
ZONES = ("", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Pacific/Kiritimati", "UTC")
instants = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59),
                        timezones=st.just(UTC))
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60)


@st.composite
def moments(draw, after: Moment | None = None) -> Moment:
    if after is None:
        utc = draw(instants)
    else:
        utc = after.utc + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
        assume(utc < LATEST)
    return Moment(utc, draw(offsets))


@given(kind=st.sampled_from([k for k in RegimeKind if k is not RegimeKind.CUSTOM] + [RegimeKind.CUSTOM]),
       zone=st.sampled_from(ZONES), data=st.data())
def test_deadlines_never_fall_before_their_trigger(kind, zone, data):
    aware = data.draw(moments())
    later = {name: data.draw(st.one_of(st.none(), moments(after=aware)))
             for name in ("classified_at", "determined_at", "ransom_paid_at")}
    uses = {t.value for t in (DEFINITIONS[kind].triggers if kind in DEFINITIONS else ())} | {"aware_at"}
    fields = {name: value for name, value in later.items() if name in uses}
    stages = ("warning=24h", "report=3bd after warning", "final=1mo after report") if kind is RegimeKind.CUSTOM else ()
    jurisdiction = "US" if kind in (RegimeKind.SEC_8K, RegimeKind.CUSTOM) else ""
    r = regime(kind, aware_at=aware, time_zone=zone, jurisdiction=jurisdiction, stages=stages,
               name="Custom" if stages else "", **fields)
    notifications = []
    for stage in stages_of(r):  # each stage sent some time after everything before it
        previous = max([aware, *[v for v in fields.values() if v is not None], *(n.sent_at for n in notifications)],
                       key=lambda m: m.utc)
        if data.draw(st.booleans()):
            notifications.append(sent(r, stage.key, data.draw(moments(after=previous))))
    for d in regime_deadlines(r, notifications, aware):
        if d.due is None:
            continue
        assert d.started is not None and d.due >= d.started, d
        assert d.due >= aware, d
        triggers = [getattr(r, t) for t in uses if getattr(r, t) is not None]
        assert all(d.due >= t for t in triggers if t <= d.started), d


def test_regimes_and_notifications_have_labels_for_merge_and_conflict_lists():
    from irdesk.domain.labels import record_label

    r = regime(RegimeKind.GDPR, name="Dutch DPA")
    assert record_label(r) == "GDPR (Dutch DPA)"
    notice = sent(r, "early-warning", "2026-10-12T20:00+01:00")
    assert record_label(notice) == "early warning sent 2026-10-12 20:00 +01:00"
