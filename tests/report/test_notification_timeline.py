"""The report's notification timeline: each deadline against its sent time, late ones flagged with
their reason, and a chart that reads in greyscale (shape and words, not only colour)."""

from __future__ import annotations

from datetime import timedelta

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, String
from reportlab.lib import colors
from reportlab.platypus import Paragraph

from irdesk.casefile import operations as ops
from irdesk.domain.deadlines import DeadlineState, schedule
from irdesk.domain.enums import ContactKind, RegimeKind
from irdesk.domain.moment import Moment
from irdesk.domain.records import Notification, Regime
from irdesk.report import notifications
from irdesk.report.content import gather
from irdesk.report.notifications import chart, notification_body
from irdesk.report.service import build_report, issue_report
from tests.report.test_document import pdftotext

AWARE = Moment.parse("2026-10-12T08:10+01:00")
WIDTH = 481.0


def every_state(case):
    """One deadline in each state: met, late (with a reason in markup), overdue, open, not started."""
    dpa = ops.add_contact(case, "Dutch DPA", kind=ContactKind.REGULATOR).value
    nis2 = ops.add_regime(case, RegimeKind.NIS2, aware_at=AWARE).value
    ops.add_notification(case, nis2.id, "early-warning", AWARE + timedelta(hours=3), dpa.id, reference="EW-1")
    ops.add_notification(case, nis2.id, "incident-notification", AWARE + timedelta(hours=80), dpa.id,
                         late_reason="<b>Forensics</b> first & the DPO was away")
    ops.add_regime(case, RegimeKind.GDPR, aware_at=AWARE)
    ops.add_regime(case, RegimeKind.CIRCIA, aware_at=AWARE + timedelta(hours=90))
    return schedule(case.records.all(Regime), case.records.all(Notification), AWARE + timedelta(hours=100))


def shapes(drawing: Drawing) -> list:
    found = []

    def walk(node):
        for item in getattr(node, "contents", []):
            found.append(item)
            if isinstance(item, Group):
                walk(item)

    walk(drawing)
    return found


def luminance(colour: colors.Color) -> float:
    return 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue


def test_the_deadlines_cover_every_state(case):
    states = [d.state for d in every_state(case)]
    assert {DeadlineState.MET, DeadlineState.LATE, DeadlineState.OVERDUE, DeadlineState.OPEN,
            DeadlineState.NOT_TRIGGERED} <= set(states)


def test_each_state_has_its_own_shape_and_words(case):
    deadlines = every_state(case)
    drawing = chart(deadlines, WIDTH)
    found = shapes(drawing)
    texts = [s.text for s in found if isinstance(s, String)]
    for d in deadlines:
        assert any(d.label in t or t.rstrip("…") in d.label for t in texts), d.label
    assert "met" in texts and "LATE by 8 h 00 min" in texts
    assert any(t.startswith("OVERDUE by") for t in texts) and "not started" in texts
    assert "deadline" in texts and "now" in texts  # the rule is named; an open one shows where now is
    assert sum(isinstance(s, Circle) for s in found) == 2  # the one sent in time, and the legend's
    assert sum(isinstance(s, Polygon) for s in found) == 2  # the one overdue, never sent, and the legend's
    assert {"sent in time", "sent late", "how late", "not sent, overdue"} <= set(texts)  # the legend
    hatched = [s for s in found if isinstance(s, Line) and s.strokeColor == notifications.GAP]
    assert len(hatched) >= 4  # lateness is a pattern, not only a colour


def test_the_chart_reads_in_greyscale():
    """The marks are dark on light; the allowed bar, the hatch and the page differ in grey too."""
    ink, page = luminance(notifications.INK), 1.0
    assert page - ink > 0.7
    assert abs(luminance(notifications.ALLOWED) - page) > 0.1  # the bar shows on white paper
    assert abs(luminance(notifications.ALLOWED) - ink) > 0.5  # and marks show on the bar
    assert abs(luminance(notifications.GAP) - luminance(notifications.ALLOWED)) > 0.3  # the hatch shows


def test_the_section_lists_each_deadline_with_the_reason_for_a_delay(case):
    flow = notification_body(every_state(case), WIDTH)
    text = " ".join(f.getPlainText() for f in _paragraphs(flow))
    assert "2 late or overdue" in text and "runs on after the incident is recovered or closed" in text
    assert "<b>Forensics</b> first & the DPO was away" in text  # user text escaped, printed as typed
    assert "■ LATE by 8 h 00 min" in text and "not legal advice" in text


def test_without_a_regime_the_section_says_so():
    flow = notification_body([], WIDTH)
    assert "No notification regime was recorded" in flow[-1].getPlainText()


def test_the_report_carries_the_timeline(case, tmp_path):
    every_state(case)
    content = gather(case, responder="Ana")
    assert [d.state for d in content.deadlines][:2] == [DeadlineState.MET, DeadlineState.LATE]
    built = build_report(case, responder="Ana Responder")
    path = tmp_path / "report.pdf"
    issue_report(case, built, str(path))
    text = pdftotext(path).replace("\n", " ")
    assert "Notification timeline" in text and "NIS2 incident notification" in text
    assert "<b>Forensics</b> first & the DPO was away" in text
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path.read_bytes())
    try:
        top = [item.get_title() for item in doc.get_toc() if item.level == 0]
    finally:
        doc.close()
    # In issue 17's slot for later sections: after the timeline, before the phases; in the contents.
    assert top[4:8] == ["5. Timeline", "6. Techniques observed (ATT&CK)", "7. Notification timeline",
                        "8. The response, phase by phase"]


def test_the_section_is_in_the_reports_slot_for_later_sections():
    from irdesk.report import outline

    assert [s.key for s in outline.LATER_SECTIONS] == ["techniques", "notifications"]
    assert outline.LATER_SECTIONS[1].build is notifications.section


def _paragraphs(flow):
    for f in flow:
        if isinstance(f, Paragraph):
            yield f
        for attr in ("_content", "_cellvalues"):
            inner = getattr(f, attr, None)
            if inner:
                for item in inner:
                    for x in (item if isinstance(item, list | tuple) else [item]):
                        if isinstance(x, Paragraph):
                            yield x
