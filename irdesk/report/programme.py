"""The programme report: what a readiness book shows senior staff, read from the book in one pass.

Plain data, no reportlab (as ``content`` is for a case's report). Everything comes from the
book's records through its verified reader, and a book holds no note text, so nothing an
incident's notes say can reach this report. Incidents and drills are counted apart in every
figure; the quarterly figures are ``domain.quarters``, the ones ``book show`` prints too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from irdesk.casefile.book_store import BookFile
from irdesk.domain.book import (
    Book,
    BookAction,
    BookContact,
    FiledEngagement,
    FiledEvidence,
    FiledGap,
    RegisterEntry,
    Vendor,
)
from irdesk.domain.enums import ActionStatus, Gap, Tlp
from irdesk.domain.errors import BadInput
from irdesk.domain.filed_figures import CaseFigures, Medians, case_figures
from irdesk.domain.moment import Moment
from irdesk.domain.quarters import Quarter, case_day, quarterly
from irdesk.domain.readiness import (
    ActionsAcross,
    ContactStanding,
    RecurringGap,
    actions_across,
    by_time,
    rank_contacts,
    recurring_gaps,
)
from irdesk.identity.keys import Identity
from irdesk.report.content import Signer, new_report_id
from irdesk.report.service import BuiltReport

Progress = Callable[[int], None]
SLOW_TO_REACH = timedelta(hours=1)  # a contact whose median time to reach is this or more is slow
CHARTED_QUARTERS = 12  # the charts show the most recent quarters of the period, the tables all


@dataclass(frozen=True)
class FollowThrough:
    """Action items of the period's cases, along the way from proposed to tested."""

    proposed: int
    accepted: int  # accepted or further along
    implemented: int  # implemented or tested
    tested: int
    waived: int
    overdue: int

    @classmethod
    def of(cls, items: list[BookAction], today: date) -> FollowThrough:
        status = [a.status for a in items]
        later = {ActionStatus.IMPLEMENTED, ActionStatus.TESTED}
        return cls(
            proposed=len(items),
            accepted=sum(1 for s in status if s is ActionStatus.ACCEPTED or s in later),
            implemented=sum(1 for s in status if s in later),
            tested=sum(1 for s in status if s is ActionStatus.TESTED),
            waived=sum(1 for s in status if s is ActionStatus.WAIVED),
            overdue=sum(1 for a in items if not a.status.settled and a.due is not None and a.due < today),
        )


@dataclass(frozen=True)
class VendorStanding:
    vendor: Vendor
    contact: ContactStanding | None  # its account manager in the directory
    gaps: int  # vendor gaps naming it in the period's incidents and drills


@dataclass(frozen=True)
class Period:
    """The period the report covers: as asked (``--from``/``--to``), else the book's whole register."""

    start: date | None
    end: date | None

    def sentence(self) -> str:
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        if self.end:
            return f"up to {self.end.isoformat()}"
        return "every case in the register"

    def holds(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ProgrammeContent:
    book: Book
    book_id: str
    fingerprint: str
    chain_head: str
    chain_length: int
    report_id: str
    made_at: Moment
    responder: str
    period: Period
    incidents: list[CaseFigures]  # oldest first
    drills: list[CaseFigures]
    medians: Medians  # incidents
    drill_medians: Medians
    quarters: list[Quarter]  # incidents, oldest quarter first
    drill_quarters: list[Quarter]
    gap_totals: dict[Gap, int]  # incidents
    drill_gap_totals: dict[Gap, int]
    recurring: list[RecurringGap]
    drill_recurring: list[RecurringGap]
    follow_through: FollowThrough
    drill_follow_through: FollowThrough
    actions: ActionsAcross  # the open ones, of incidents and drills, overdue flagged
    unreached: list[ContactStanding]  # not reached, or slow, in the period
    vendors: list[VendorStanding]  # not reached, slow, or a vendor gap in the period
    stale: list[ContactStanding]  # as of the day of the report, whatever the period
    directory_size: int
    signer: Signer | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.made_at.local.date()

    @property
    def tlp(self) -> Tlp:
        """The book's marking, or the strictest of the period's cases when one is stricter."""
        marks = [self.book.tlp, *(c.entry.tlp for c in (*self.incidents, *self.drills))]
        return max(marks, key=lambda t: t.rank)

    @property
    def interim(self) -> bool:
        """The figures may still change: a case in the period is not closed, or the period runs on."""
        still_open = any(c.entry.closed_at is None for c in (*self.incidents, *self.drills))
        return still_open or self.period.end is None or self.period.end >= self.today

    @property
    def marks(self) -> tuple[str, ...]:
        return ("INTERIM",) if self.interim else ()

    @property
    def status(self) -> str:
        return "interim" if self.interim else "final"


def check_period(start: date | None, end: date | None) -> Period:
    """The period, refused in one sentence (exit 2) when it ends before it starts."""
    if start is not None and end is not None and end < start:
        raise BadInput(f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
    return Period(start, end)


def gather_programme(book: BookFile, *, responder: str, period: Period, signer: Signer | None = None,
                     report_id: str | None = None) -> ProgrammeContent:
    """Read everything the programme report shows from ``book``, through its verified reader:
    the whole book is vouched for first (``TamperedCase`` otherwise), so nothing is signed,
    written or recorded from a book the audit chain does not vouch for."""
    with book.verified():
        return _gather(book, responder=responder, period=period, signer=signer, report_id=report_id)


def _gather(book: BookFile, *, responder: str, period: Period, signer: Signer | None,
            report_id: str | None) -> ProgrammeContent:
    now = book.clock()
    today = now.local.date()
    b = book.book()
    every = book.records.all(RegisterEntry)
    chosen: dict[str, RegisterEntry] = {e.id: e for e in by_time(every) if period.holds(case_day(e))}
    engagements = [e for e in book.records.all(FiledEngagement) if e.entry_id in chosen]
    evidence = [e for e in book.records.all(FiledEvidence) if e.entry_id in chosen]
    gaps = [g for g in book.records.all(FiledGap) if g.entry_id in chosen]
    actions = [a for a in book.records.all(BookAction) if a.entry_id in chosen]
    figures = case_figures(chosen, engagements, evidence, gaps)
    quarters = _trimmed(chosen.values(), engagements, evidence, gaps, actions, period)
    contacts = book.records.all(BookContact)
    standings = rank_contacts(contacts, engagements, chosen, today, b.stale_after_days)
    unreached = [s for s in standings if _unreached_or_slow(s)]
    unreached.sort(key=lambda s: (-(s.incidents.unreached_cases + s.drills.unreached_cases),
                                  -_slowest(s).total_seconds(), s.contact.name.casefold()))
    drill = {i for i, e in chosen.items() if e.drill}
    incidents = [f for f in figures if not f.entry.drill]
    drills = [f for f in figures if f.entry.drill]
    return ProgrammeContent(
        book=b, book_id=book.book_id, fingerprint=book.fingerprint(), chain_head=book.chain_head,
        chain_length=book.chain_length, report_id=report_id or new_report_id(), made_at=now,
        responder=responder, period=period,
        incidents=incidents, drills=drills, medians=Medians.of(incidents, engagements, evidence),
        drill_medians=Medians.of(drills, engagements, evidence),
        quarters=quarters[0], drill_quarters=quarters[1],
        gap_totals=_gap_totals(g for g in gaps if g.entry_id not in drill),
        drill_gap_totals=_gap_totals(g for g in gaps if g.entry_id in drill),
        recurring=recurring_gaps(chosen.values(), gaps), drill_recurring=recurring_gaps(chosen.values(), gaps,
                                                                                        drills=True),
        follow_through=FollowThrough.of([a for a in actions if a.entry_id not in drill], today),
        drill_follow_through=FollowThrough.of([a for a in actions if a.entry_id in drill], today),
        actions=actions_across(actions, chosen, today),
        unreached=unreached,
        vendors=_vendors(book.records.all(Vendor), standings, gaps),
        stale=[s for s in standings if s.stale],
        directory_size=len(standings), signer=signer, counts=book.counts(),
    )


def _trimmed(entries: Iterable[RegisterEntry], engagements: list[FiledEngagement], evidence: list[FiledEvidence],
             gaps: list[FiledGap], actions: list[BookAction], period: Period) -> tuple[list[Quarter], list[Quarter]]:
    """The quarters of incidents and of drills, both over the same span: from the first quarter
    that holds a case of either kind to the last (a period asked for with empty years at either
    end does not print a page of empty quarters)."""
    listed = list(entries)
    days = [case_day(e) for e in listed]
    if not days:
        return [], []
    start = max(min(days), period.start) if period.start else min(days)
    end = min(max(days), period.end) if period.end else max(days)
    incidents, drills = (quarterly(listed, engagements, evidence, gaps, actions, drills=kind, start=start, end=end)
                         for kind in (False, True))
    return incidents, drills


def _gap_totals(gaps: Iterable[FiledGap]) -> dict[Gap, int]:
    totals: dict[Gap, int] = {}
    for g in gaps:
        totals[g.category] = totals.get(g.category, 0) + g.count
    return totals


def _slowest(s: ContactStanding) -> timedelta:
    known = [r.median_to_reach for r in (s.incidents, s.drills) if r.median_to_reach is not None]
    return max(known, default=timedelta(0))


def _unreached_or_slow(s: ContactStanding) -> bool:
    return bool(s.incidents.unreached_cases or s.drills.unreached_cases) or _slowest(s) >= SLOW_TO_REACH


def _vendors(vendors: list[Vendor], standings: list[ContactStanding], gaps: list[FiledGap]) -> list[VendorStanding]:
    by_id = {s.contact.id: s for s in standings}
    found = []
    for v in vendors:
        standing = by_id.get(v.contact_id) if v.contact_id else None
        named = sum(g.count for g in gaps if g.category is Gap.VENDOR and g.subject.casefold() == v.name.casefold())
        if named or (standing is not None and _unreached_or_slow(standing)):
            found.append(VendorStanding(v, standing, named))
    return sorted(found, key=lambda s: (-s.gaps, s.vendor.name.casefold()))


# ---------------------------------------------------------------- build, sign


ProgrammeReport = BuiltReport[ProgrammeContent]  # ``service.issue_report`` writes it, the book records it


def build_programme(book: BookFile, *, responder: str, period: Period, identity: Identity | None = None,
                    progress: Progress | None = None) -> ProgrammeReport:
    """Read the book, lay the programme report out, and sign it when an unlocked identity is given
    (the same signature as a case's report, its claims naming the book)."""
    from irdesk.report.programme_layout import render_programme
    from irdesk.report.signing import BOOK, ReportClaims, sign_pdf

    report = progress or (lambda _: None)
    signer = Signer(identity.info.name, identity.info.fingerprint) if identity else None
    content = gather_programme(book, responder=responder, period=period, signer=signer)
    report(10)
    pdf = render_programme(content)
    if identity is not None:
        report(90)
        claims = ReportClaims(content.report_id, content.book_id, content.fingerprint, content.chain_head, BOOK)
        pdf = sign_pdf(pdf, identity, claims)
    report(100)
    return ProgrammeReport(pdf, content, identity is not None)
