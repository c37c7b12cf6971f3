"""Moments keep the UTC instant and the offset they were entered with."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.moment import Moment, format_duration


def test_parse_keeps_offset_and_instant():
    m = Moment.parse("2026-11-28T14:05:00+01:00")
    assert m.offset_minutes == 60
    assert m.utc == datetime(2026, 11, 28, 13, 5, tzinfo=UTC)
    assert m.isoformat() == "2026-11-28T14:05:00.000000+01:00"
    assert m.display() == "2026-11-28 14:05 +01:00"


def test_parse_z_and_naive():
    assert Moment.parse("2026-01-01T00:00:00Z").offset_minutes == 0
    naive = Moment.parse("2026-01-01T00:00:00")
    assert naive.utc.tzinfo is not None


def test_parse_rejects_garbage():
    with pytest.raises(ValueError, match="ISO 8601"):
        Moment.parse("yesterday at noon")


def test_ordering_follows_instant_not_offset():
    a = Moment.parse("2026-01-01T10:00:00+02:00")  # 08:00 UTC
    b = Moment.parse("2026-01-01T09:00:00+00:00")  # 09:00 UTC
    assert a < b and b - a == timedelta(hours=1)


@given(st.datetimes(timezones=st.just(UTC), min_value=datetime(1970, 1, 2), max_value=datetime(9998, 1, 1)),
       st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_isoformat_round_trip(instant, offset):
    m = Moment(instant, offset)
    again = Moment.parse(m.isoformat())
    assert again == m
    assert again.local.utcoffset() == timezone(timedelta(minutes=offset)).utcoffset(None)


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (30, "30 s"), (45 * 60, "45 min"), (3 * 3600 + 5 * 60, "3 h 05 min"),
    (50 * 3600, "2 d 2 h"), (-120, "-2 min"),
])
def test_format_duration(seconds, text):
    assert format_duration(None if seconds is None else timedelta(seconds=seconds)) == text
