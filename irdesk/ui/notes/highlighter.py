"""Markdown highlighting for the plain-text note editor: shows structure, never rewrites text."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument


def _format(
    *, bold: bool = False, italic: bool = False, color: str | None = None, mono: bool = False
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if color:
        fmt.setForeground(QColor(color))
    if mono:
        fmt.setFontFixedPitch(True)
        fmt.setFontFamilies(["monospace"])
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    RULES = [
        (re.compile(r"^#{1,6}\s.*$"), _format(bold=True, color="#2a7ab8")),
        (re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"), _format(bold=True)),
        (re.compile(r"(?<![*\w])\*[^*\n]+\*(?!\*)|(?<![_\w])_[^_\n]+_(?!_)"), _format(italic=True)),
        (re.compile(r"`[^`\n]+`"), _format(mono=True, color="#b5562b")),
        (re.compile(r"^\s*([-*+]|\d+\.)\s"), _format(bold=True, color="#888888")),
        (re.compile(r"^>.*$"), _format(italic=True, color="#6b8e23")),
        (re.compile(r"\[[^\]\n]+\]\([^)\n]+\)"), _format(color="#7b3fb0")),
    ]
    FENCE = _format(mono=True, color="#b5562b")

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        in_fence = self.previousBlockState() == 1
        if text.lstrip().startswith("```"):
            self.setFormat(0, len(text), self.FENCE)
            self.setCurrentBlockState(0 if in_fence else 1)
            return
        if in_fence:
            self.setFormat(0, len(text), self.FENCE)
            self.setCurrentBlockState(1)
            return
        self.setCurrentBlockState(0)
        for pattern, fmt in self.RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)
