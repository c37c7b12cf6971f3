"""The per-quarter tables of ``book show``: compact, aligned, incidents and drills apart."""

from __future__ import annotations

from datetime import date, timedelta

from irdesk.commands.book_trends import quarter_tables, short_duration
from irdesk.domain.enums import Gap
from irdesk.domain.quarters import Quarter


def quarter(start: date, cases: int, *, engage: timedelta | None = None, gaps: dict[Gap, int] | None = None,
            actions: tuple[int, int, int] = (0, 0, 0)) -> Quarter:
    return Quarter(start=start, label=f"{start.year} Q{(start.month - 1) // 3 + 1}", cases=cases,
                   time_to_detect=timedelta(hours=62) if cases else None,
                   time_to_contain=timedelta(minutes=95) if cases else None, time_to_engage=engage,
                   time_to_obtain_logs=timedelta(days=4, hours=2) if cases else None,
                   gaps={g: (gaps or {}).get(g, 0) for g in Gap}, actions_proposed=actions[0],
                   actions_implemented=actions[1], actions_tested=actions[2])


def test_short_durations_fit_a_column():
    cases = {None: "—", timedelta(seconds=20): "0m", timedelta(minutes=45): "45m", timedelta(hours=7, minutes=30):
             "7h30m", timedelta(hours=3): "3h", timedelta(hours=62): "62h", timedelta(days=3, hours=4): "3d4h",
             timedelta(days=400): "400d", timedelta(minutes=-5): "<0"}
    for delta, text in cases.items():
        assert short_duration(delta) == text and len(text) <= 6


def test_the_table_of_incidents_then_drills():
    incidents = [quarter(date(2026, 1, 1), 2, engage=timedelta(minutes=50), gaps={Gap.ACCESS: 3, Gap.VENDOR: 1},
                         actions=(5, 3, 1)),
                 quarter(date(2026, 4, 1), 0)]
    drills = [quarter(date(2026, 4, 1), 1, engage=timedelta(hours=2), gaps={Gap.COMMUNICATION: 1})]
    lines = quarter_tables(incidents, drills)
    assert lines[:9] == [
        "",
        "Per quarter: incidents",
        "  Quarter  Cases  Detect Contain  Engage    Logs  Gaps  Actions",
        "  2026 Q1      2     62h   1h35m     50m    4d2h     4  5/3/1",
        "  2026 Q2      0       —       —       —       —     0  0/0/0",
        "  Gaps      Access  Vendor",
        "  2026 Q1        3       1",
        "  2026 Q2        ·       ·",
        "",
    ]
    assert lines[9:13] == ["Per quarter: drills",
                           "  Quarter  Cases  Detect Contain  Engage    Logs  Gaps  Actions",
                           "  2026 Q2      1     62h   1h35m      2h    4d2h     1  0/0/0",
                           "  Gaps       Comms"]
    assert lines[-2].startswith("  Medians.") and all(len(line) <= 100 for line in lines)
    assert quarter_tables([], []) == []
    assert "Per quarter: drills" not in "\n".join(quarter_tables(incidents, []))
