"""The order of the report's sections, and the headings that make its contents and bookmarks.

``sections()`` is the whole report after the cover, in reading order: the manager's page
first, then what will change, then the evidence of how it went. Each section is a
heading (numbered here, so inserting a section renumbers the rest) and a builder.

**The slot for later sections.** ``LATER_SECTIONS`` is printed after the timeline and
before the notes phase by phase (so before the registers and the appendix). Sections that
other issues add go there, in this order: "techniques observed" (issue 20), "notification
timeline" (issue 21). Add the ``Section`` to that list and nothing else: the numbering,
the table of contents and the PDF bookmarks follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from irdesk.report import actions, delays, glance, notifications, registers, sections, techniques
from irdesk.report.content import ReportContent
from irdesk.report.headings import heading

Builder = Callable[[ReportContent, float], list[Flowable]]


@dataclass(frozen=True)
class Section:
    key: str  # the bookmark's name, unique in the report
    title: str
    build: Builder
    new_page: bool = False  # start on a fresh page (else: a new page only if little room is left)
    numbered: bool = True


BEFORE = [
    Section("glance", "At a glance", glance.page, new_page=True),
    Section("summary", "Executive summary", sections.summary, new_page=True),
    Section("actions", "What will change: action items", actions.section),
    Section("delays", "Where the response slowed down", delays.section),
    Section("timeline", "Timeline", sections.timeline),
]
# ---- THE SLOT FOR LATER SECTIONS (see the module docstring) -----------------------------
# Printed between BEFORE and AFTER: after the timeline, before the notes and the appendix.
# Issue 20 adds "Techniques observed" here, then issue 21 "Notification timeline".
LATER_SECTIONS: list[Section] = [
    Section("techniques", "Techniques observed (ATT&CK)", techniques.section),
    Section("notifications", "Notification timeline", notifications.section),
]

AFTER = [
    Section("phases", "The response, phase by phase", sections.phases),
    Section("evidence", "Evidence and chain of custody", registers.evidence),
    Section("contacts", "Contacts engaged", registers.contacts),
    Section("indicators", "Indicators of compromise", registers.indicators),
    Section("appendix", "Appendix: how to check this report", registers.appendix, new_page=True, numbered=False),
]


def sections_in_order() -> list[Section]:
    """Every section after the cover, in the order they are printed."""
    return [*BEFORE, *LATER_SECTIONS, *AFTER]


def titled(section: Section, number: int | None) -> str:
    return f"{number}. {section.title}" if number is not None else section.title


def story_after_cover(c: ReportContent, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    number = 0
    for section in sections_in_order():
        if section.numbered:
            number += 1
        flow.append(PageBreak() if section.new_page else CondPageBreak(60 * mm))
        flow.append(heading(titled(section, number if section.numbered else None), section.key))
        flow += section.build(c, width)
    return flow

