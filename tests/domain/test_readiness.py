"""The book's figures: reachability, recurring gaps, action items across incidents, gaps of a case."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from irdesk.domain.book import BookAction, FiledEngagement, FiledGap, RegisterEntry
from irdesk.domain.enums import ActionStatus, ContactKind, EvidenceStatus, Gap, Phase
from irdesk.domain.moment import Moment
from irdesk.domain.readiness import actions_across, case_gaps, gap_id, reachability, recurring_gaps
from irdesk.domain.records import Contact, Engagement, Evidence, Note

T0 = Moment.parse("2025-01-01T09:00Z")


def stamps() -> dict:
    return {"id": str(uuid.uuid4()), "rev": "r", "parent_rev": None, "created": T0, "updated": T0, "author": "t"}


def entry(n: int, *, drill: bool = False) -> RegisterEntry:
    return RegisterEntry(**{**stamps(), "id": f"case-{n}"}, title=f"Incident {n}", drill=drill,
                         detected_at=T0 + timedelta(days=30 * n), filed_at=T0)


def engaged(case: str, hours: float | None) -> FiledEngagement:
    reached = None if hours is None else T0 + timedelta(hours=hours)
    return FiledEngagement(**stamps(), entry_id=case, contact_id="dana", contact_name="Dana", needed_at=T0,
                           reached_at=reached)


def test_reachability_in_words():
    r = reachability([engaged("a", 2), engaged("a", 5), engaged("b", 3), engaged("b", 4), engaged("c", None)])
    assert r.median_to_reach == timedelta(hours=3, minutes=30)
    assert r.sentence() == "median 3 h 30 min to reach over 4 engagements; not reached in 1 of 3 incidents"
    assert reachability([]).sentence() == "no incidents needed them yet"
    assert reachability([engaged("a", None)]).sentence() == "never reached; not reached in 1 of 1 incidents"


def gap(case: str, subject: str, category: Gap = Gap.ACCESS) -> FiledGap:
    return FiledGap(**stamps(), entry_id=case, category=category, subject=subject)


def test_a_gap_that_keeps_coming_back():
    entries = [entry(n) for n in range(5)] + [entry(9, drill=True)]
    gaps = [gap("case-1", "firewall logs"), gap("case-2", "Firewall logs"), gap("case-4", "firewall logs"),
            gap("case-0", "firewall logs"),  # older than the last four: not counted
            gap("case-3", "SIEM"), gap("case-9", "firewall logs"), gap("case-2", "", Gap.TOOLING)]
    found = recurring_gaps(entries, gaps)
    assert [g.sentence() for g in found] == ["access to firewall logs: 3 of the last 4 incidents"]
    assert recurring_gaps(entries, gaps, drills=True) == []  # one drill: nothing recurs yet


def test_action_items_across_incidents():
    entries = {e.id: e for e in (entry(1), entry(2))}

    def item(case: str, status: ActionStatus, due: date | None) -> BookAction:
        return BookAction(**stamps(), entry_id=case, title=f"{case} {status}", status=status, due=due)

    items = [item("case-1", ActionStatus.IMPLEMENTED, date(2026, 1, 1)), item("case-2", ActionStatus.PROPOSED, None),
             item("case-2", ActionStatus.TESTED, date(2025, 1, 1)), item("case-7", ActionStatus.PROPOSED, None)]
    across = actions_across(items, entries, today=date(2026, 6, 1))
    assert [a.item.title for a in across.open] == ["case-1 implemented", "case-2 proposed"]
    assert [a.item.title for a in across.overdue] == ["case-1 implemented"]
    assert [a.item.title for a in across.untested] == ["case-1 implemented"]


def test_the_gaps_of_a_case_read_no_note_text():
    note = Note(**stamps(), phase=Phase.DETECTION, occurred=T0, body="the firewall team never answered", gap=Gap.ACCESS,
                tags=("edge firewall", "urgent"))
    untagged = Note(**stamps(), phase=Phase.DETECTION, occurred=T0, body="Edge firewall", gap=Gap.TOOLING)
    lost = Evidence(**stamps(), label="VPN logs", source_system="VPN concentrator",
                    status=EvidenceStatus.UNAVAILABLE, unavailable_reason="rotated")
    vendor = Contact(**stamps(), name="Acme desk", organisation="Acme", kind=ContactKind.VENDOR)
    silent = Engagement(**stamps(), contact_id=vendor.id, purpose="p", needed_at=T0)
    found = case_gaps([note, untagged], [lost], [silent], {vendor.id: vendor}, ["Edge firewall"])
    assert found == {(Gap.ACCESS, "Edge firewall"): 1, (Gap.TOOLING, ""): 1, (Gap.ACCESS, "VPN concentrator"): 1,
                     (Gap.VENDOR, "Acme"): 1}


def test_a_filed_gap_keeps_its_id():
    assert gap_id("c", Gap.ACCESS, "Firewall") == gap_id("c", Gap.ACCESS, "firewall") != gap_id("d", Gap.ACCESS, "x")


def test_trends_say_whether_the_team_is_getting_faster():
    from irdesk.domain.readiness import trends

    def filed(n: int, contain_hours: float) -> RegisterEntry:
        e = entry(n)
        return RegisterEntry(**{**stamps(), "id": e.id}, title=e.title, detected_at=e.detected_at,
                             contained_at=e.detected_at + timedelta(hours=contain_hours), filed_at=T0)

    entries = [filed(1, 40), filed(2, 14), filed(3, 6), entry(4, drill=True)]
    found = {t.what: t for t in trends(entries, [engaged("case-1", 8), engaged("case-3", 2)])}
    assert found["time to contain"].sentence() == ("time to contain: 40 h 00 min → 14 h 00 min → 6 h 00 min "
                                                   "(faster by 34 h 00 min)")
    assert found["median time to reach a person"].sentence() == ("median time to reach a person: "
                                                                 "8 h 00 min → — → 2 h 00 min (faster by 6 h 00 min)")
    assert found["time to detect"].sentence() == "time to detect: — → — → —"
    assert len(trends(entries, [], drills=True)[0].values) == 1
