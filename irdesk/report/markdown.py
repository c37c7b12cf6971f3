"""Markdown as a note's reader expects it: paragraphs, nested lists, headings, code, tables.

The note is stored exactly as typed; this only decides how its lines are grouped. Every
block keeps its source lines, and ``flow`` turns them into flowables (inline bold, italics
and code are handled line by line in ``markup``). Tables follow GitHub's pipe tables: a
header row, a delimiter row (``|---|:--:|``), then rows; a row with more cells than the
header keeps the extra ones in its last cell, so no text is ever dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from irdesk.report.glyphs import printable
from irdesk.report.shaping import has_rtl

_BULLET = re.compile(r"^(\s{0,15})[-*+•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s{0,15})(\d{1,9})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
MAX_LEVEL = 3
MAX_COLUMNS = 8  # wider tables keep their further cells in the last column


@dataclass(frozen=True)
class Block:
    """One paragraph-level piece of a note."""

    kind: str  # "para", "bullet", "heading", "code" or "table"
    lines: tuple[str, ...] = ()  # the Markdown source lines (code: the code lines)
    marker: str = ""  # a list item's bullet or number ("•", "2.")
    level: int = 0  # a list item's nesting, 0 to MAX_LEVEL
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells, the header row first
    align: tuple[str, ...] = ()  # a table's column alignment: "LEFT", "CENTER" or "RIGHT"

    @property
    def rtl(self) -> bool:
        return any(has_rtl(line) for line in self.lines)

    @property
    def size(self) -> int:
        return sum(len(line) for line in self.lines)


def blocks(text: str) -> list[Block]:
    """Split a note (as typed) into blocks; the text is made ``printable`` first."""
    lines = printable(text).split("\n")
    out: list[Block] = []
    para: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if para:
            out.append(Block("para", tuple(para)))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if code is not None:
            if _FENCE.match(line):
                out.append(Block("code", tuple(code)))
                code = None
            else:
                code.append(line)
            continue
        if _FENCE.match(line):
            flush()
            code = []
        elif not line.strip():
            flush()
        elif "|" in line and i < len(lines) and _DELIMITER.match(lines[i]) and "-" in lines[i]:
            flush()
            rows = [_cells(line)]
            align = _alignment(lines[i])
            i += 1
            while i < len(lines) and lines[i].strip() and "|" in lines[i]:
                rows.append(_cells(lines[i]))
                i += 1
            out.append(_table(rows, align))
        elif m := _BULLET.match(line):
            flush()
            out.append(Block("bullet", (m.group(2),), "•", _level(m.group(1))))
        elif m := _NUMBERED.match(line):
            flush()
            out.append(Block("bullet", (m.group(3),), m.group(2) + ".", _level(m.group(1))))
        elif m := _HEADING.match(line):
            flush()
            out.append(Block("heading", (m.group(1),)))
        elif not para and out and out[-1].kind == "bullet" and line[:1].isspace():
            last = out[-1]  # an indented line under a list item continues it
            out[-1] = Block("bullet", (*last.lines, line.strip()), last.marker, last.level)
        else:
            para.append(line)
    flush()
    if code is not None:  # an unterminated fence keeps its text
        out.append(Block("code", tuple(code)))
    return out


def _level(indent: str) -> int:
    return min(len(indent.replace("\t", "    ")) // 2, MAX_LEVEL)


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]


def _alignment(line: str) -> list[str]:
    out = []
    for cell in _cells(line):
        left, right = cell.startswith(":"), cell.endswith(":")
        out.append("CENTER" if left and right else "RIGHT" if right else "LEFT")
    return out


def _table(rows: list[list[str]], align: list[str]) -> Block:
    width = min(max(len(rows[0]), 1), MAX_COLUMNS)
    shaped = []
    for row in rows:
        cells = row[:width] + [""] * (width - len(row))
        if len(row) > width:  # never drop text: the extra cells stay in the last column
            cells[-1] = " | ".join(c for c in row[width - 1 :] if c)
        shaped.append(tuple(cells))
    align = (align + ["LEFT"] * width)[:width]
    return Block("table", tuple(c for row in shaped for c in row), rows=tuple(shaped), align=tuple(align))
