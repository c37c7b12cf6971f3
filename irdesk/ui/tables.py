"""How record tables look and behave everywhere: whole-row selection, a filter, natural sorting
(case-insensitive, "item 2" before "item 10", A→Z first) that keeps new rows in order, and
columns sized to their contents, narrowed only when they would not fit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from irdesk.ui.records_model import RECORD_ROLE, SORT_ROLE, RecordTableModel

MIN_COLUMN = 90  # narrowest a column is squeezed to before the table scrolls sideways
SHORT_COLUMN = 130  # a column this wide or narrower (a time, a status) is never narrowed
_CHUNKS = re.compile(r"(\d+)")


def natural_key(value: Any) -> tuple[Any, ...]:
    """Sort key: numbers by value, text by its words and numbers, ignoring case; empty last."""
    if value is None or value == "":
        return (2,)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    parts = _CHUNKS.split(str(value).casefold())
    return (1, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p))


class NaturalSortProxy(QSortFilterProxyModel):
    """Filters on any column, case-insensitively, and sorts naturally on ``SORT_ROLE``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)  # a new or changed row moves to its place

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,  # noqa: N802 - Qt override
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = natural_key(left.data(SORT_ROLE)), natural_key(right.data(SORT_ROLE))
        if a == b:  # ties keep the order the records were added in
            return left.row() < right.row()
        return a < b


def record_table(model: QAbstractItemModel, name: str, *, sort_column: int | None = 0) -> QTableView:
    """A table over ``model`` sorted through a natural proxy: by ``sort_column`` ascending
    at first (None: in the model's own order until a header is clicked)."""
    proxy = model if isinstance(model, QSortFilterProxyModel) else NaturalSortProxy(model)
    if proxy is not model:
        proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    header = table.horizontalHeader()
    header.setSortIndicator(-1 if sort_column is None else sort_column, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAccessibleName(name)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the form beside it
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    _ColumnFitter(table)
    return table


def filtered_table(
    model: RecordTableModel[Any], name: str, what: str, parent: QObject
) -> tuple[QSortFilterProxyModel, QTableView, QLineEdit]:
    """A sortable record table and the field that filters ``what`` it shows (any column, case)."""
    proxy = NaturalSortProxy(parent)
    proxy.setSourceModel(model)
    table = record_table(proxy, name)
    field = QLineEdit()
    field.setPlaceholderText(f"Filter {what}…")
    field.setAccessibleName(f"Filter {what}")
    field.setClearButtonEnabled(True)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(f"Filter {what}…") + 40)
    field.textChanged.connect(proxy.setFilterFixedString)
    return proxy, table, field


def table_pane(
    tools: Sequence[QWidget], filter_field: QLineEdit, empty_text: str, table: QTableView
) -> tuple[QWidget, QLabel]:
    """Buttons and the filter above the table; a grey hint in place of rows while there are none.

    Returns the pane and the hint, which the panel shows or hides as rows come and go.
    """
    empty = QLabel(empty_text)
    empty.setWordWrap(True)
    empty.setStyleSheet("color: gray")
    top = QHBoxLayout()
    for tool in tools:
        top.addWidget(tool)
    top.addStretch(1)
    top.addWidget(filter_field)
    pane = QWidget()
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(top)
    layout.addWidget(empty)
    layout.addWidget(table, 1)
    return pane, empty


def current_record(table: QTableView) -> Any:
    """The record in the table's current row, or None."""
    index = table.currentIndex()
    return index.data(RECORD_ROLE) if index.isValid() else None


def select_record(table: QTableView, model: RecordTableModel[Any], record_id: str) -> bool:
    """Make the record's row current (through the table's filter, if any); False if not shown."""
    row = model.row_of(record_id)
    if row < 0:
        return False
    index = model.index(row, 0)
    shown = table.model()
    if isinstance(shown, QSortFilterProxyModel):
        index = shown.mapFromSource(index)
    if not index.isValid():
        return False
    table.selectRow(index.row())
    table.scrollTo(index)
    return True


def fit_columns(table: QTableView) -> None:
    """Size columns to their contents; only when they would not fit, narrow the widest ones.

    The first column (what the row is: a label, a name) keeps up to a third of the room, no
    column gets narrower than its own heading, and short ones (a time, a status: up to
    ``SHORT_COLUMN``) are never narrowed; past that the table scrolls sideways.
    """
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    room = table.viewport().width()
    if not widths or sum(widths) <= room or room <= 0:
        return
    first = min(widths[0], room // 3)
    cap = _cap(widths[1:], room - first) if len(widths) > 1 else first
    floors = [max(MIN_COLUMN, header.sectionSizeFromContents(c).width(), min(widths[c], SHORT_COLUMN))
              for c in range(header.count())]  # a time, a status or a size is never cut short
    header.resizeSection(0, max(first, floors[0]))
    for column, width in enumerate(widths[1:], start=1):
        if width > cap:
            header.resizeSection(column, max(cap, floors[column]))


def _cap(widths: list[int], room: int) -> int:
    """The largest width limit under which the columns fit in ``room``."""
    if not widths:
        return room
    ordered = sorted(widths)
    used = 0
    for n, width in enumerate(ordered):
        left = len(ordered) - n  # columns from here on would all be capped
        cap = (room - used) // left
        if cap < width:
            return max(1, cap)
        used += width
    return max(ordered)


class _ColumnFitter(QObject):
    """Fits the columns again when the table is resized or its rows change (debounced)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(lambda: fit_columns(table))
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self._timer.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False
