"""A small case with one of every dated thing the timeline shows, at known times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import CustodyAction, Gap, IndicatorKind, Phase
from irdesk.domain.moment import Moment

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def at(minutes: float) -> Moment:
    return Moment(T0 + timedelta(minutes=minutes), 60)


def fill(case: CaseFile) -> dict[str, str]:
    """Notes at 0, 10, 20 (a gap), 30 and 50 minutes; key times, an engagement, evidence,
    custody and an indicator in between. Returns the ids by name."""
    ids = {}
    ids["first"] = ops.add_note(case, Phase.DETECTION, "Alert from the EDR on fs01", occurred=at(0),
                                tags=("edr", "fs01")).value.id
    ids["second"] = ops.add_note(case, Phase.DETECTION, "Seen 203.0.113.7 in the proxy log", occurred=at(10),
                                 tags=("network",)).value.id
    ids["gap"] = ops.add_note(case, Phase.DETECTION, "No access to the firewall logs", occurred=at(20),
                              gap=Gap.ACCESS).value.id
    ids["contain"] = ops.add_note(case, Phase.CONTAINMENT, "Isolated fs01", occurred=at(30),
                                  tags=("fs01",)).value.id
    ids["late"] = ops.add_note(case, Phase.POST_INCIDENT, "Lessons learned", occurred=at(50)).value.id
    ops.edit_case(case, detected_at=at(5), contained_at=at(35))
    contact = ops.add_contact(case, "Sam Firewall").value
    ids["contact"] = contact.id
    ids["engagement"] = ops.add_engagement(case, contact.id, "firewall logs", needed_at=at(21),
                                           reached_at=at(40)).value.id
    evidence = ops.add_evidence(case, "fs01 memory", requested_at=at(12), collected_at=at(25)).value
    ids["evidence"] = evidence.id
    ids["custody"] = ops.add_custody(case, evidence.id, CustodyAction.STORED, by_whom="Kim",
                                     at=at(26)).value.id
    ids["indicator"] = ops.add_indicator(case, IndicatorKind.IPV4, "203.0.113.7", source_note_id=ids["second"],
                                         first_seen=at(9)).value.id
    return ids
