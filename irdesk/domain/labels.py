"""A short, one-line name for any record, for lists of changes and conflicts."""

from __future__ import annotations

from irdesk.domain.book import BookAction, FiledEngagement, FiledEvidence, FiledGap, RegisterEntry
from irdesk.domain.records import (
    ActionItem,
    Attachment,
    Case,
    ChecklistItem,
    Contact,
    CustodyEvent,
    Engagement,
    Evidence,
    Indicator,
    Note,
    Notification,
    Record,
    Regime,
    ReportIssue,
    Settlement,
)
from irdesk.domain.regimes import regime_label


def record_label(record: Record, width: int = 60) -> str:
    """The text a responder recognises a record by, cut to ``width`` characters."""
    if isinstance(record, Note):
        text = record.body
    elif isinstance(record, Case):
        text = record.title
    elif isinstance(record, Evidence):
        text = record.label
    elif isinstance(record, Contact):
        text = record.name
    elif isinstance(record, Engagement):
        text = record.purpose
    elif isinstance(record, ActionItem):
        text = record.title
    elif isinstance(record, Attachment):
        text = record.name
    elif isinstance(record, ChecklistItem):
        text = record.text
    elif isinstance(record, CustodyEvent):
        text = f"{record.action.value} by {record.by_whom}"
    elif isinstance(record, ReportIssue):
        text = f"report {record.report_id}"
    elif isinstance(record, Regime):
        text = regime_label(record)
    elif isinstance(record, Notification):
        text = f"{record.stage.replace('-', ' ')} sent {record.sent_at.display()}"
    elif isinstance(record, Indicator):
        text = f"{record.kind.value} {record.value}"
    elif isinstance(record, Settlement):
        text = f"conflict over a {record.record_kind.value} settled: {record.how.label}"
    elif isinstance(record, RegisterEntry | BookAction):
        text = record.title
    elif isinstance(record, FiledEvidence):
        text = record.label
    elif isinstance(record, FiledEngagement):
        text = f"engagement of {record.contact_name}"
    elif isinstance(record, FiledGap):
        text = f"{record.category.value} gap" + (f": {record.subject}" if record.subject else "")
    else:
        text = str(getattr(record, "name", "") or getattr(record, "title", "") or record.id)  # system, vendor…
    line = " ".join(text.split()) or "(empty)"
    if record.deleted:
        line = f"[deleted] {line}"
    return line if len(line) <= width else line[: width - 1] + "…"
