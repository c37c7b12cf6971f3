"""Headings that make the report's table of contents (level 0) and its PDF bookmarks (all levels).

The document template (``document.ReportDocTemplate``) sees each ``Heading`` as it is laid
out, and records its page for the contents and a bookmark for the outline.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph

from irdesk.report.markup import escape
from irdesk.report.styles import styles


class Heading(Paragraph):
    def __init__(self, text: str, style: str, *, key: str, level: int) -> None:
        super().__init__(escape(text), styles()[style])
        self.outline_text, self.outline_key, self.outline_level = text, key, level


def heading(text: str, key: str, level: int = 0) -> Heading:
    """A section heading (level 0, in the contents) or a sub-heading (level 1, a bookmark only)."""
    return Heading(text, "h1" if level == 0 else "h2", key=key, level=level)
