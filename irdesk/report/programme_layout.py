"""The programme report's pages: the cover, then what senior staff read, quarter by quarter.

Laid out by the case report's machinery (``document.render_document``: fonts and scripts,
contents, bookmarks, TLP and INTERIM on every page, "Page X of Y"), with its own sections.
Every text in it is a label or a figure from the book (titles, names, owners): escaped, like
every user text in a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from irdesk.domain.enums import Gap
from irdesk.domain.filed_figures import CaseFigures
from irdesk.domain.moment import format_duration
from irdesk.domain.quarters import Quarter
from irdesk.domain.readiness import ContactStanding, OpenAction
from irdesk.report import charts, quarter_charts
from irdesk.report.cover import contents
from irdesk.report.document import DocumentInfo, render_document
from irdesk.report.flow import cell, clip, fixed, para, plain, table
from irdesk.report.fonts import REGULAR
from irdesk.report.headings import heading
from irdesk.report.markup import escape
from irdesk.report.pages import PageChrome
from irdesk.report.palette import INK, RULE
from irdesk.report.programme import CHARTED_QUARTERS, SLOW_TO_REACH, FollowThrough, ProgrammeContent
from irdesk.report.styles import TLP_COLOURS, css
from irdesk.report.xmp import packet_of

Builder = Callable[[ProgrammeContent, float], list[Flowable]]
LISTED = 25  # rows of a list for senior staff (open items, people); the rest are counted, and book show lists all


def _grid(headers: list[str], rows: list[list[Flowable | str]], widths: list[float]) -> Table:
    """``flow.table`` whose figure cells may be plain strings (set in the report's face): a
    200-case book has thousands of cells, and a string costs no paragraph layout."""
    t = table(headers, rows, widths)
    t.setStyle(TableStyle([("FONT", (0, 1), (-1, -1), REGULAR, 8), ("TEXTCOLOR", (0, 1), (-1, -1), INK)]))
    return t


def _more(total: int, what: str) -> list[Flowable]:
    if total <= LISTED:
        return []
    return [fixed(f"…and {total - LISTED:,} more {what}; <i>irdesk book show</i> lists every one.", "small")]


def _d(value: timedelta | None) -> str:
    return format_duration(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- cover


def cover(c: ProgrammeContent, width: float) -> list[Flowable]:
    tlp = c.tlp
    badge = Table(
        [[fixed(f'<font color="{css(TLP_COLOURS[tlp])}"><b>{escape(tlp.label)}</b></font>', "body")]],
        colWidths=[max(30 * mm, 6 * mm + 2.6 * mm * len(tlp.label))], hAlign="LEFT",
        style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), "#000000"), ("TOPPADDING", (0, 0), (-1, -1), 4)]),
    )
    flow: list[Flowable] = [Spacer(1, 14 * mm), fixed("Programme report", "title"), para(c.book.title, "subtitle"),
                            badge, Spacer(1, 4 * mm)]
    if tlp != c.book.tlp:
        flow.append(fixed(f"Marked <b>{escape(tlp.label)}</b>, stricter than the book's "
                          f"{escape(c.book.tlp.label)}: a case in the period carries that marking.", "body"))
    if c.interim:
        flow.append(fixed("<b>INTERIM</b> — the period runs on, or a case in it is not closed yet: "
                          "figures may still change.", "body"))
    rows = [
        ("Period", escape(c.period.sentence())),
        ("In the period", f"{_plural(len(c.incidents), 'incident')}, {_plural(len(c.drills), 'drill')}"),
        ("Made by", plain(clip(c.responder))),
        ("Date of report", escape(c.made_at.display())),
        ("Report ID", f"<b>{escape(c.report_id)}</b>"),
        ("Book fingerprint",
         f"<b>{escape(c.fingerprint)}</b> (pages show the first half as the short book fingerprint)<br/>"
         f'<font face="IRMono" size="6.5">audit-chain head {escape(c.chain_head)}</font>'),
    ]
    if c.signer is not None:
        rows.append(("Signed by", f"{plain(clip(c.signer.name))}<br/><font size=7>certificate SHA-256 "
                                  f"{escape(c.signer.fingerprint)}</font>"))
    else:
        rows.append(("Signature", "Unsigned: this copy cannot be checked with <i>irdesk verify</i>."))
    grid = Table([[fixed(escape(k), "small"), fixed(v, "body")] for k, v in rows],
                 colWidths=[34 * mm, width - 34 * mm], hAlign="LEFT",
                 style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    flow += [
        grid, Spacer(1, 5 * mm), fixed("Contents", "h2"), contents(), Spacer(1, 4 * mm),
        fixed("Written for senior staff: is the team getting faster, quarter by quarter? Incidents and drills "
              "are counted apart in every figure. The readiness book holds figures and labels only, never what "
              "an incident's notes say. Every page carries the report ID and the short book fingerprint, so a "
              "printed page can be matched to the signed file.", "small"),
    ]
    return flow


# ---------------------------------------------------------------- at a glance


def glance(c: ProgrammeContent, width: float) -> list[Flowable]:
    m, dm, f, df = c.medians, c.drill_medians, c.follow_through, c.drill_follow_through
    gaps, drill_gaps = sum(c.gap_totals.values()), sum(c.drill_gap_totals.values())
    rows = [
        ("Cases in the period", str(len(c.incidents)), str(len(c.drills))),
        ("Time to detect, median", _d(m.time_to_detect), _d(dm.time_to_detect)),
        ("Time to contain, median", _d(m.time_to_contain), _d(dm.time_to_contain)),
        ("Time to engage people, median", _d(m.time_to_engage), _d(dm.time_to_engage)),
        ("Time to obtain logs, median", _d(m.time_to_obtain), _d(dm.time_to_obtain)),
        ("Gaps where the response slowed down", str(gaps), str(drill_gaps)),
        ("Action items proposed → tested", f"{f.proposed} → {f.tested}", f"{df.proposed} → {df.tested}"),
        ("Action items overdue", str(f.overdue), str(df.overdue)),
    ]
    flow: list[Flowable] = [
        fixed(f"Period: <b>{escape(c.period.sentence())}</b>. Figures as of {escape(c.made_at.display())}.", "body"),
        table(["Figure", "Incidents", "Drills"], [[cell(a), cell(b), cell(x)] for a, b, x in rows],
              [width - 70 * mm, 35 * mm, 35 * mm]),
        fixed("Medians: time to detect and contain over the cases; to engage over every engagement that reached "
              "its person; to obtain logs over every evidence request that was answered.", "small"),
    ]
    flow.append(fixed("Getting faster?", "h2"))
    flow += [fixed(escape(line), "body") for line in _verdicts(c.quarters, "incidents")]
    flow += [fixed(escape(line), "body") for line in _verdicts(c.drill_quarters, "drills")]
    unreached = len(c.unreached)
    flow.append(fixed("Preparation", "h2"))
    flow.append(fixed(
        f"{_plural(unreached, 'contact')} not reached or slow to reach (median {_d(SLOW_TO_REACH)} or more) in the "
        f"period; {len(c.stale)} of {c.directory_size} directory entries stale; "
        f"{_plural(len(c.actions.overdue), 'action item')} overdue across the period's cases.", "body"))
    return flow


def _verdicts(quarters: list[Quarter], what: str) -> list[str]:
    """First measured quarter against the last, for each figure (nothing when fewer than two)."""
    lines = []
    for name, pick in (("time to detect", lambda q: q.time_to_detect), ("time to contain", lambda q: q.time_to_contain),
                       ("time to engage", lambda q: q.time_to_engage),
                       ("time to obtain logs", lambda q: q.time_to_obtain_logs)):
        known = [(q.label, pick(q)) for q in quarters if pick(q) is not None]
        if len(known) < 2:
            continue
        (first_label, first), (last_label, last) = known[0], known[-1]
        if last < first:
            verdict = f"faster by {_d(first - last)}"
        elif last > first:
            verdict = f"slower by {_d(last - first)}"
        else:
            verdict = "no change"
        lines.append(f"{what.capitalize()}, {name}: {_d(first)} in {first_label}, {_d(last)} in {last_label} "
                     f"({verdict}).")
    if not lines:
        lines.append(f"{what.capitalize()}: fewer than two quarters measured, so no trend yet.")
    return lines


# ---------------------------------------------------------------- the cases


def cases(c: ProgrammeContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    for title, key, rows in (("Incidents", "cases-incidents", c.incidents), ("Drills", "cases-drills", c.drills)):
        flow.append(heading(f"{title} ({len(rows)})", key, level=1))
        if not rows:
            flow.append(fixed(f"<i>No {title.lower()} in the period.</i>", "body"))
            continue
        flow.append(_grid(
            ["Detected", "Case", "Detect", "Contain", "Engage", "Obtain logs", "Gaps"],
            [[f.day.isoformat(), cell(_case_name(f)), _d(f.time_to_detect), _d(f.time_to_contain),
              _d(f.time_to_engage) + (f"\n{f.unreached} not reached" if f.unreached else ""),
              _d(f.time_to_obtain), str(f.gaps)] for f in rows],
            [20 * mm, width - 136 * mm, 22 * mm, 22 * mm, 26 * mm, 26 * mm, 20 * mm]))
    flow.append(fixed("Detected: the day the case counts for (detection, else first activity, else filing). Engage "
                      "and obtain logs: the case's median. A case still open is marked “open”.", "small"))
    return flow


def _case_name(f: CaseFigures) -> str:
    e = f.entry
    parts = [e.title, f"{e.severity.value} · {e.tlp.label}" + ("" if e.closed_at else " · open")]
    return "\n".join(parts)


# ---------------------------------------------------------------- quarter by quarter


def quarters(c: ProgrammeContent, width: float) -> list[Flowable]:
    if not c.quarters and not c.drill_quarters:
        return [fixed("<i>No case in the period, so no quarter to show.</i>", "body")]
    shown = c.quarters[-CHARTED_QUARTERS:]
    drills = c.drill_quarters[-CHARTED_QUARTERS:]
    labels = [q.label for q in shown]
    half = (width - 6 * mm) / 2
    figures = (("Time to detect", "time_to_detect"), ("Time to contain", "time_to_contain"),
               ("Time to engage people", "time_to_engage"), ("Time to obtain logs", "time_to_obtain_logs"))
    drawn = [quarter_charts.quarter_lines(title, labels, [getattr(q, name) for q in shown],
                                          [getattr(q, name) for q in drills], half) for title, name in figures]
    grid = Table([[drawn[0], drawn[1]], [drawn[2], drawn[3]]], colWidths=[half + 3 * mm, half + 3 * mm],
                 hAlign="LEFT", style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    flow: list[Flowable] = [KeepTogether([grid])]  # the charts never leave their heading behind
    if len(c.quarters) > CHARTED_QUARTERS:
        flow.append(fixed(f"The charts show the last {CHARTED_QUARTERS} of the period's {len(c.quarters)} quarters; "
                          "the tables list them all.", "small"))
    flow.append(fixed("The median of each quarter; beside each title, the incidents' latest quarter. Logarithmic "
                      "scale: minutes and weeks on one axis. A quarter with nothing measured has no point; the line "
                      "passes it.", "small"))
    for title, key, rows in (("Incidents by quarter", "quarters-incidents", c.quarters),
                             ("Drills by quarter", "quarters-drills", c.drill_quarters)):
        flow += [CondPageBreak(40 * mm), heading(title, key, level=1)]
        if any(q.cases for q in rows):
            flow.append(_quarter_table(rows, width))
        else:
            flow.append(fixed(f"<i>No {title.split()[0].lower()} in the period.</i>", "body"))
    return flow


def _quarter_table(rows: list[Quarter], width: float) -> Flowable:
    data: list[list[Flowable | str]] = [
        [q.label, str(q.cases), _d(q.time_to_detect), _d(q.time_to_contain), _d(q.time_to_engage),
         _d(q.time_to_obtain_logs), str(q.gap_total), f"{q.actions_proposed} / {q.actions_implemented} / "
         f"{q.actions_tested}"] for q in rows]
    return _grid(["Quarter", "Cases", "Detect", "Contain", "Engage", "Obtain logs", "Gaps",
                  "Actions prop. / impl. / tested"], data,
                 [18 * mm, 13 * mm, 21 * mm, 21 * mm, 21 * mm, 22 * mm, 13 * mm, width - 129 * mm])


# ---------------------------------------------------------------- gaps


def gaps(c: ProgrammeContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    for what, totals, recurring, key in (("incidents", c.gap_totals, c.recurring, "gaps-incidents"),
                                         ("drills", c.drill_gap_totals, c.drill_recurring, "gaps-drills")):
        parts: list[Flowable] = [heading(f"In the {what}", key, level=1)]
        if recurring:
            parts.append(fixed(f"Gaps that came back with the same system, team or vendor in the last {what}:",
                               "lead-in"))
            parts += [fixed(f"\u25b2 <b>{plain(clip(r.sentence(what), 200))}</b>", "body") for r in recurring]
        else:
            parts.append(fixed(f"<i>No gap came back with the same system, team or vendor in the {what}.</i>",
                               "body"))
        chart = charts.gap_bars({g: n for g, n in totals.items() if n}, width)
        if chart is not None:
            parts += [fixed(f"All gaps in the period's {what}, by category", "h3"), chart]
        flow.append(KeepTogether(parts))
    flow.append(fixed("A gap is a note marked where the response slowed down (only its category is filed, never "
                      "its text), evidence that could not be had, or a person never reached. "
                      + ", ".join(g.label for g in Gap) + ".", "small"))
    return flow


# ---------------------------------------------------------------- action items


def actions(c: ProgrammeContent, width: float) -> list[Flowable]:
    f, df = c.follow_through, c.drill_follow_through
    flow: list[Flowable] = [
        fixed(f"Incidents: <b>{_funnel(f)}</b>. Drills: <b>{_funnel(df)}</b>.", "body"),
        quarter_charts.follow_through(_stages(f), _stages(df), width),
        fixed("Each stage counts the items that reached it or went further (an implemented item was accepted "
              "first). An item is done when it is tested, or waived with a reason.", "small"),
        heading("Open action items", "actions-open", level=1),
    ]
    items = sorted(c.actions.open, key=lambda a: (not a.overdue, a.item.due is None, a.item.due or c.today))
    if not items:
        flow.append(fixed("<i>Every action item of the period's cases is tested or waived.</i>", "body"))
        return flow
    flow.append(table(["Action item", "Case", "Owner", "Due", "Status"], [_action_row(a) for a in items[:LISTED]],
                      [width - 118 * mm, 40 * mm, 28 * mm, 26 * mm, 24 * mm]))
    flow += _more(len(items), "open action items (the overdue ones come first)")
    flow.append(fixed(f"Overdue: past its due date on {escape(c.today.isoformat())} (the date of this report) and "
                      "neither tested nor waived.", "small"))
    return flow


def _stages(f: FollowThrough) -> list[int]:
    return [f.proposed, f.accepted, f.implemented, f.tested]


def _funnel(f: FollowThrough) -> str:
    text = f"{f.proposed} proposed → {f.accepted} accepted → {f.implemented} implemented → {f.tested} tested"
    if f.waived:
        text += f", {f.waived} waived"
    if f.overdue:
        text += f"; {f.overdue} overdue"
    return escape(text)


def _action_row(a: OpenAction) -> list[Flowable | str]:
    due = escape(a.item.due.isoformat()) if a.item.due else "—"
    return [cell(a.item.title), cell(a.entry.title + (" (drill)" if a.entry.drill else "")),
            cell(a.item.owner or "—"), fixed(f"<b>{due}<br/>\u25b2 OVERDUE</b>" if a.overdue else due, "cell"),
            cell(a.item.status.value)]


# ---------------------------------------------------------------- people and vendors


def reachability(c: ProgrammeContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = [fixed(f"Contacts the period's incidents or drills could not reach, or reached after a "
                                  f"median of {_d(SLOW_TO_REACH)} or more, the most often unreached first.", "body")]
    if c.unreached:
        flow.append(table(["Contact", "Incidents", "Drills", "Escalation"],
                          [[cell(_who(s)), cell(s.incidents.sentence()), cell(s.drills.sentence("drills")),
                            cell(s.contact.escalation or "—")] for s in c.unreached[:LISTED]],
                          [44 * mm, width - 128 * mm, 44 * mm, 40 * mm]))
        flow += _more(len(c.unreached), "contacts not reached or slow")
    else:
        flow.append(fixed("<i>Every contact needed in the period was reached, and none was slow.</i>", "body"))
    flow.append(heading("Vendors", "reach-vendors", level=1))
    if not c.vendors:
        flow.append(fixed("<i>No vendor was unreachable, slow, or named by a vendor gap in the period.</i>", "body"))
        return flow
    rows = []
    for v in c.vendors[:LISTED]:
        terms = " · ".join(x for x in (v.vendor.support_line, f"SLA {v.vendor.sla}" if v.vendor.sla else "",
                                       f"contract {v.vendor.contract_ref}" if v.vendor.contract_ref else "") if x)
        reach = v.contact.incidents.sentence() if v.contact is not None else "no account manager in the directory"
        rows.append([cell(v.vendor.name + (f"\n{terms}" if terms else "")), cell(reach), cell(str(v.gaps))])
    flow.append(table(["Vendor", "Its account manager", "Vendor gaps"], rows,
                      [56 * mm, width - 82 * mm, 26 * mm]))
    flow += _more(len(c.vendors), "vendors")
    return flow


def _who(s: ContactStanding) -> str:
    role = ", ".join(p for p in (s.contact.role, s.contact.team or s.contact.organisation) if p)
    return s.contact.name + (f"\n{role}" if role else "") + f"\n{s.contact.kind.value}"


def stale(c: ProgrammeContent, width: float) -> list[Flowable]:
    days = c.book.stale_after_days
    flow: list[Flowable] = [fixed(f"Directory entries not verified for more than {days} days on "
                                  f"{escape(c.today.isoformat())}, or never: {len(c.stale)} of {c.directory_size}. "
                                  "Reaching a person in an incident or a drill counts as verifying them.", "body")]
    if not c.stale:
        flow.append(fixed("<i>No stale entry.</i>", "body"))
        return flow
    flow.append(table(["Contact", "Last verified", "Last reached", "Escalation"],
                      [[cell(_who(s)), cell(s.staleness()),
                        cell(s.contact.last_reached.isoformat() if s.contact.last_reached else "never"),
                        cell(s.contact.escalation or "—")] for s in c.stale[:LISTED]],
                      [50 * mm, 44 * mm, 26 * mm, width - 120 * mm]))
    flow += _more(len(c.stale), "stale entries (the stalest come first)")
    return flow


# ---------------------------------------------------------------- appendix


def appendix(c: ProgrammeContent, width: float) -> list[Flowable]:
    rows = [("Report ID", c.report_id), ("Book ID", c.book_id),
            ("Book fingerprint", f"{c.fingerprint} (of the audit-chain head below)"),
            ("Audit-chain head", c.chain_head), ("Audit-chain length", f"{c.chain_length} entries"),
            ("Made at", c.made_at.local.isoformat(timespec="seconds")), ("Period", c.period.sentence()),
            ("Records", ", ".join(f"{k} {v}" for k, v in sorted(c.counts.items()) if v))]
    grid = Table([[fixed(escape(k), "small"), fixed(escape(v), "cellmono" if k == "Audit-chain head" else "cell")]
                  for k, v in rows], colWidths=[40 * mm, width - 40 * mm], hAlign="LEFT",
                 style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [grid, Spacer(1, 4 * mm), fixed(
        "The signed PDF carries the same report ID, book fingerprint and audit-chain head in its signature. Check "
        "it with <b>irdesk verify PROGRAMME.pdf --book BOOK</b>: it accepts only an intact signature over the whole "
        "file, made from that book by a signer the book recorded. The signature certifies the document (no changes "
        "allowed after signing), so PDF viewers flag any later edit; any independent PDF validator (for example "
        "poppler's pdfsig) can check the signature itself.", "small")]


# ---------------------------------------------------------------- the whole report


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Builder
    new_page: bool = False
    numbered: bool = True


SECTIONS = [
    Section("glance", "At a glance", glance, new_page=True),
    Section("cases", "Incidents and drills in the period", cases),
    Section("quarters", "Quarter by quarter", quarters),
    Section("gaps", "Recurring gaps", gaps),
    Section("actions", "Action items: from proposed to tested", actions),
    Section("reach", "Contacts and vendors not reached, or slow", reachability),
    Section("stale", "Stale directory entries", stale),
    Section("appendix", "Appendix: how to check this report", appendix, new_page=True, numbered=False),
]


def story(c: ProgrammeContent, width: float) -> list[Flowable]:
    flow = cover(c, width)
    number = 0
    for section in SECTIONS:
        number += section.numbered
        flow.append(PageBreak() if section.new_page else CondPageBreak(60 * mm))
        flow.append(heading(f"{number}. {section.title}" if section.numbered else section.title, section.key))
        flow += section.build(c, width)
    return flow


def title(c: ProgrammeContent) -> str:
    return f"Programme report: {c.book.title}"[:300]


def subject(c: ProgrammeContent) -> str:
    return f"irdesk programme report {c.report_id}; book fingerprint {c.fingerprint}; chain head {c.chain_head}"


def render_programme(c: ProgrammeContent) -> bytes:
    """The unsigned programme report as PDF bytes."""
    chrome = PageChrome(tlp=c.tlp, case_title=f"Programme report · {c.book.title}", report_id=c.report_id,
                        short_fingerprint=" ".join(c.fingerprint.split()[:2]), drill=False, marks=c.marks,
                        fingerprint_of="book")
    xmp = packet_of(title=title(c), subject=subject(c), creator=c.responder, tlp=c.tlp, made=c.made_at,
                    report_id=c.report_id, fingerprint=("BookFingerprint", c.fingerprint), chain_head=c.chain_head,
                    status=c.status)
    info = DocumentInfo(title(c), c.responder[:200], subject(c), [c.report_id, c.tlp.label], xmp)
    return render_document(lambda width: story(c, width), chrome=chrome, info=info)
