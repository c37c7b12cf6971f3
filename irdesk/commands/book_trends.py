"""The per-quarter tables of ``irdesk book show``: incidents and drills apart, each a compact
table of medians and counts, then the gaps by category (``domain/quarters.py`` computes them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from irdesk.domain.enums import Gap
from irdesk.domain.quarters import Quarter

SHORT_GAPS = {Gap.COMMUNICATION: "Comms", Gap.ACCESS: "Access", Gap.VISIBILITY: "Visib.", Gap.TOOLING: "Tools",
              Gap.AUTHORIZATION: "Auth.", Gap.VENDOR: "Vendor", Gap.DOCUMENTATION: "Docs", Gap.OTHER: "Other"}
LEGEND = ("Medians. Detect: first activity → detected; contain: detected → contained;",
          "engage: needed → reached; logs: requested → received. Actions: proposed/implemented/tested.")


def short_duration(delta: timedelta | None) -> str:
    """A duration in at most six characters, for a table: '45m', '7h30m', '62h', '3d4h', '—'."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return "<0"
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if hours < 10 and rest:
        return f"{hours}h{rest:02d}m"
    if hours < 72:
        return f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours}h" if days < 100 else f"{days}d"


def quarter_table(quarters: Sequence[Quarter]) -> list[str]:
    """One line per quarter: cases, the four medians, gaps and action items."""
    head = f"  {'Quarter':<8}{'Cases':>6}{'Detect':>8}{'Contain':>8}{'Engage':>8}{'Logs':>8}{'Gaps':>6}  Actions"
    rows = [head]
    for q in quarters:
        actions = f"{q.actions_proposed}/{q.actions_implemented}/{q.actions_tested}"
        rows.append(f"  {q.label:<8}{q.cases:>6}{short_duration(q.time_to_detect):>8}"
                    f"{short_duration(q.time_to_contain):>8}{short_duration(q.time_to_engage):>8}"
                    f"{short_duration(q.time_to_obtain_logs):>8}{q.gap_total:>6}  {actions}")
    return rows


def gap_table(quarters: Sequence[Quarter]) -> list[str]:
    """Gaps by category, one line per quarter; only the categories that ever came up."""
    seen = [g for g in Gap if any(q.gaps.get(g, 0) for q in quarters)]
    if not seen:
        return []
    rows = [f"  {'Gaps':<8}" + "".join(f"{SHORT_GAPS[g]:>8}" for g in seen)]
    rows += [f"  {q.label:<8}" + "".join(f"{q.gaps.get(g, 0) or '·':>8}" for g in seen) for q in quarters]
    return rows


def quarter_tables(incidents: Sequence[Quarter], drills: Sequence[Quarter]) -> list[str]:
    """The book's trends per quarter, as lines (each block preceded by a blank line)."""
    lines: list[str] = []
    for what, quarters in (("incidents", incidents), ("drills", drills)):
        if not quarters:
            continue
        lines += ["", f"Per quarter: {what}"]
        lines += quarter_table(quarters)
        lines += gap_table(quarters)
    if lines:
        lines += [f"  {line}" for line in LEGEND]
    return lines
