"""The registers at the back: evidence and custody, contacts, indicators, and the appendix."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from irdesk.domain.fingerprint import case_fingerprint
from irdesk.domain.indicators import defang
from irdesk.domain.metrics import WaitState, engagement_wait, evidence_state, evidence_wait
from irdesk.domain.moment import format_duration
from irdesk.domain.records import Evidence
from irdesk.domain.sizes import format_size
from irdesk.report.content import ReportContent
from irdesk.report.flow import cell, fixed, para, table
from irdesk.report.headings import heading
from irdesk.report.markup import escape
from irdesk.report.palette import RULE


def evidence_status(e: Evidence, c: ReportContent) -> str:
    """Where an item stands, in words: 'unavailable: retention is 7 days', 'never requested'."""
    state = evidence_state(e)
    if state is WaitState.UNAVAILABLE:
        return "unavailable" + (f": {e.unavailable_reason}" if e.unavailable_reason else "")
    if state is WaitState.NEVER_REQUESTED:
        return f"{e.status.value}: never requested"
    if state is WaitState.WAITING:
        waited = evidence_wait(e, c.as_of)
        return f"requested, waited {format_duration(waited)} by {c.as_of.display()}"
    if state is WaitState.DONE:
        return f"{e.status.value} after {format_duration(evidence_wait(e))}"
    return e.status.value


def evidence(c: ReportContent, width: float) -> list[Flowable]:
    if not c.evidence:
        return [fixed("<i>No evidence recorded.</i>", "body")]
    rows = []
    for e in c.evidence:
        what = f"{e.label}\n{e.kind.value}" + (f" · {e.source_system}" if e.source_system else "")
        held = " · ".join(x for x in (e.holder, e.location or e.path) if x) or "—"
        when = e.collected_at.display() if e.collected_at else "—"
        size = f"\n{format_size(e.size)}" if e.size is not None else ""
        rows.append(
            [
                cell(what),
                cell(evidence_status(e, c)),
                cell(when),
                cell(held + size),
                cell(e.sha256 or "—", "cellmono"),
            ]
        )
    flow: list[Flowable] = [
        table(
            ["Item", "Status", "Collected", "Held by / where", "SHA-256"],
            rows,
            [width - 136 * mm, 34 * mm, 24 * mm, 30 * mm, 48 * mm],
        ),
        heading("Chain of custody", "custody", level=1),
    ]
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
        custody_table = table(
            ["When", "Action", "By", "To", "Where / note"],
            rows,
            [32 * mm, 22 * mm, 32 * mm, 32 * mm, width - 118 * mm],
        )
        # the item's name never ends a page without its table (a long table still breaks)
        flow.append(KeepTogether([para(e.label, "h3"), custody_table]))
    if not any_custody:
        flow.append(fixed("<i>No custody events recorded.</i>", "body"))
    return flow


def contacts(c: ReportContent, width: float) -> list[Flowable]:
    engaged = [x for x in c.contacts if c.engagements.get(x.id)]
    if not engaged:
        return [fixed("<i>No contact was engaged.</i>", "body")]
    rows = []
    for person in engaged:
        who = person.name + "".join(f"\n{x}" for x in (person.role, person.organisation) if x)
        who += f"\n{person.kind.value}"
        for i, e in enumerate(c.engagements[person.id]):
            if e.reached_at is not None:
                waited = format_duration(engagement_wait(e))
            else:
                waited = f"not reached; {format_duration(engagement_wait(e, c.as_of))} by {c.as_of.display()}"
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
        table(
            ["Contact", "Notes", "Purpose", "Needed", "Reached after"],
            rows,
            [36 * mm, 40 * mm, width - 132 * mm, 28 * mm, 28 * mm],
        ),
    ]


def indicators(c: ReportContent, width: float) -> list[Flowable]:
    if not c.indicators:
        return [fixed("<i>No indicators recorded.</i>", "body")]
    rows = []
    for i in c.indicators:
        source = c.notes_by_id.get(i.source_note_id) if i.source_note_id else None
        rows.append(
            [
                cell(i.kind.value),
                cell(defang(i.kind, i.value), "cellmono"),
                cell(i.description or "—"),
                cell(i.first_seen.display() if i.first_seen else "—"),
                cell(f"note of {source.occurred.display()}" if source else "—"),
            ]
        )
    return [
        fixed(
            "Defanged so that no reader or viewer turns them into links: <b>hxxp</b> for http, "
            "<b>[.]</b> for a dot, <b>[@]</b> for an at sign.",
            "small",
        ),
        table(
            ["Kind", "Value", "Description", "First seen", "Noted in"],
            rows,
            [20 * mm, 52 * mm, width - 136 * mm, 32 * mm, 32 * mm],
        ),
    ]


def appendix(c: ReportContent, width: float) -> list[Flowable]:
    rows = [
        ("Report ID", c.report_id),
        ("Case ID", c.case_id),
        ("Case fingerprint", f"{c.fingerprint} (of the audit-chain head below)"),
        ("Audit-chain head", c.chain_head),
        ("Audit-chain length", f"{c.chain_length} entries"),
        ("Made at", c.made_at.local.isoformat(timespec="seconds")),
        ("Figures as of", c.as_of.local.isoformat(timespec="seconds")),
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
    flow: list[Flowable] = [
        grid,
        Spacer(1, 4 * mm),
        fixed(
            "The signed PDF carries the same report ID, case fingerprint and audit-chain head in "
            "its signature. Check it with <b>irdesk verify REPORT.pdf --case CASE</b>: it accepts "
            "only an intact signature over the whole file, made from that case by a signer the "
            "case recorded. The signature certifies the document (no changes allowed after "
            "signing), so PDF viewers flag any later edit. Any independent PDF validator (for "
            "example poppler's pdfsig) can check the signature itself. <b>irdesk show CASE</b> "
            "lists every report made from the case with the fingerprint it printed.",
            "small",
        ),
    ]
    if c.issued:
        flow.append(fixed("Earlier reports from this case", "h3"))
        rows_issued = [
            [
                cell(r.report_id),
                cell(r.created.display()),
                cell(r.signer_name or "unsigned"),
                cell(case_fingerprint(c.case_id, r.chain_head)),
            ]
            for r in c.issued
        ]
        flow.append(table(["Report", "Made", "Signed by", "Case fingerprint printed"], rows_issued,
                          [34 * mm, 40 * mm, width - 124 * mm, 50 * mm]))
    return flow
