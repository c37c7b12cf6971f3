"""The second half of the report: action items, evidence and custody, contacts, the appendix."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from irdesk.domain.moment import format_duration
from irdesk.report.charts import RULE
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, fixed, para, table
from irdesk.report.markup import escape


def actions(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = [
        CondPageBreak(50 * mm),
        fixed("6. What will change: action items", "h1"),
    ]
    if not c.actions:
        return [*flow, fixed("<i>No action items yet.</i>", "body")]
    settled = sum(1 for a in c.actions if a.status.settled)
    flow.append(
        fixed(
            f"{len(c.actions)} action items, {settled} tested or waived. The case can only "
            "be closed when every item is tested or waived with a reason.",
            "body",
        )
    )
    rows = []
    for a in c.actions:
        detail = a.title
        if a.waived_reason:
            detail += f"\nWaived: {a.waived_reason}"
        if a.verification:
            detail += f"\nVerification: {a.verification}"
        rows.append(
            [
                cell(detail),
                cell(a.owner or "—"),
                cell(a.due.isoformat() if a.due else "—"),
                cell(a.status.value.capitalize()),
            ]
        )
    return [
        *flow,
        table(
            ["Action", "Owner", "Due", "Status"], rows, [width - 85 * mm, 40 * mm, 23 * mm, 22 * mm]
        ),
    ]


def evidence(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = [CondPageBreak(50 * mm), fixed("7. Evidence register", "h1")]
    if not c.evidence:
        return [*flow, fixed("<i>No evidence recorded.</i>", "body")]
    rows = []
    for e in c.evidence:
        what = f"{e.label}\n{e.kind.value}" + (f" · {e.source_system}" if e.source_system else "")
        status = e.status.value + (f": {e.unavailable_reason}" if e.unavailable_reason else "")
        held = " · ".join(x for x in (e.holder, e.location or e.path) if x) or "—"
        when = e.collected_at.display() if e.collected_at else "—"
        size = f"\n{e.size:,} bytes" if e.size is not None else ""
        rows.append(
            [
                cell(what),
                cell(status),
                cell(when),
                cell(held + size),
                cell(e.sha256 or "—", "cellmono"),
            ]
        )
    flow.append(
        table(
            ["Item", "Status", "Collected", "Held by / where", "SHA-256"],
            rows,
            [width - 132 * mm, 24 * mm, 26 * mm, 34 * mm, 48 * mm],
        )
    )
    flow.append(fixed("Chain of custody", "h2"))
    any_custody = False
    for e in c.evidence:
        events = c.custody.get(e.id, [])
        if not events:
            continue
        any_custody = True
        rows = [
            [
                cell(ev.at.display()),
                cell(ev.action.value),
                cell(ev.by_whom),
                cell(ev.to_whom or "—"),
                cell(" · ".join(x for x in (ev.location, ev.note) if x) or "—"),
            ]
            for ev in events
        ]
        flow.append(KeepTogether([para(e.label, "h3")]))
        flow.append(
            table(
                ["When", "Action", "By", "To", "Where / note"],
                rows,
                [32 * mm, 22 * mm, 32 * mm, 32 * mm, width - 118 * mm],
            )
        )
    if not any_custody:
        flow.append(fixed("<i>No custody events recorded.</i>", "body"))
    return flow


def contacts(c: ReportContent, width: float) -> list[Flowable]:
    engaged = [x for x in c.contacts if c.engagements.get(x.id)]
    flow: list[Flowable] = [CondPageBreak(50 * mm), fixed("8. Contacts engaged", "h1")]
    if not engaged:
        return [*flow, fixed("<i>No contact was engaged.</i>", "body")]
    rows = []
    for person in engaged:
        who = person.name + "".join(f"\n{x}" for x in (person.role, person.organisation) if x)
        who += f"\n{person.kind.value}"
        for i, e in enumerate(c.engagements[person.id]):
            waited = format_duration(e.reached_at - e.needed_at) if e.reached_at else "not reached"
            rows.append(
                [
                    cell(who if i == 0 else ""),
                    cell((person.notes or "—") if i == 0 else ""),
                    cell(e.purpose + (f"\nOutcome: {e.outcome}" if e.outcome else "")),
                    cell(e.needed_at.display()),
                    cell(waited),
                ]
            )
    return [
        *flow,
        table(
            ["Contact", "Notes", "Purpose", "Needed", "Reached after"],
            rows,
            [36 * mm, 46 * mm, width - 132 * mm, 28 * mm, 22 * mm],
        ),
    ]


def appendix(c: ReportContent, width: float) -> list[Flowable]:
    rows = [
        ("Report ID", c.report_id),
        ("Case ID", c.case_id),
        ("Case fingerprint", c.fingerprint),
        ("Audit-chain head", c.chain_head),
        ("Audit-chain length", f"{c.chain_length} entries"),
        ("Made at", c.made_at.isoformat()),
        ("Records", ", ".join(f"{k} {v}" for k, v in sorted(c.counts.items()) if v)),
    ]
    grid = Table(
        [
            [
                fixed(escape(k), "small"),
                fixed(escape(v), "cellmono" if k == "Audit-chain head" else "cell"),
            ]
            for k, v in rows
        ],
        colWidths=[40 * mm, width - 40 * mm],
        hAlign="LEFT",
        style=TableStyle(
            [("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        ),
    )
    return [
        CondPageBreak(70 * mm),
        fixed("Appendix: how to check this report", "h1"),
        grid,
        Spacer(1, 4 * mm),
        fixed(
            "The signed PDF carries the same report ID, case fingerprint and audit-chain head in "
            "its signature. Check it with <b>irdesk verify REPORT.pdf --case CASE</b>: it accepts "
            "only an intact signature over the whole file, made from that case by a signer the "
            "case recorded. Any independent PDF validator (for example poppler's pdfsig) can "
            "check the signature itself.",
            "small",
        ),
    ]
