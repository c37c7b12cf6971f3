"""Columns of the evidence table: status, who it was requested from, and how long it took."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from irdesk.domain.metrics import evidence_wait
from irdesk.domain.moment import Moment, format_duration
from irdesk.domain.records import Evidence
from irdesk.ui.moments import shown
from irdesk.ui.records_model import Column, RecordTableModel


def _when(m: Moment | None) -> str:
    return shown(m)


def evidence_model(
    contact_name: Callable[[str | None], str], parent: object = None
) -> RecordTableModel[Evidence]:
    def delay(e: Evidence) -> str:
        if e.requested_at is None:
            return ""
        waited = evidence_wait(e, None if e.collected_at else Moment.now())
        text = format_duration(waited)
        return text if e.collected_at else f"{text} (waiting)"

    columns: list[Column[Evidence]] = [
        Column("Label", lambda e: e.label),
        Column(
            "Status",
            lambda e: (
                e.status.value + (f": {e.unavailable_reason}" if e.unavailable_reason else "")
            ),
        ),
        Column("Requested from", lambda e: contact_name(e.requested_from)),
        Column(
            "Requested",
            lambda e: _when(e.requested_at),
            lambda e: e.requested_at.utc.isoformat() if e.requested_at else "",
        ),
        Column(
            "Arrived",
            lambda e: _when(e.collected_at),
            lambda e: e.collected_at.utc.isoformat() if e.collected_at else "",
        ),
        Column(
            "Delay",
            delay,
            lambda e: (evidence_wait(e, Moment.now()) or timedelta(seconds=-1)).total_seconds(),
        ),
        Column("Kind", lambda e: e.kind.value),
        Column("Source system", lambda e: e.source_system),
        Column("SHA-256", lambda e: e.sha256[:16] + "…" if e.sha256 else ""),
        Column("Holder", lambda e: e.holder),
    ]
    return RecordTableModel(columns, parent)
