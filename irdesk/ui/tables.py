"""How record tables look and behave everywhere: whole-row selection, a filter, capped widths."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from irdesk.ui.records_model import RECORD_ROLE, SORT_ROLE, RecordTableModel

MAX_COLUMN = 240


def record_table(model: QAbstractItemModel, name: str, *, sortable: bool = True) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(sortable)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAccessibleName(name)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def filtered_table(
    model: RecordTableModel[Any], name: str, what: str, parent: QObject
) -> tuple[QSortFilterProxyModel, QTableView, QLineEdit]:
    """A sortable record table and the field that filters ``what`` it shows (any column, case)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    table = record_table(proxy, name)
    field = QLineEdit()
    field.setPlaceholderText(f"Filter {what}…")
    field.setAccessibleName(f"Filter {what}")
    field.setClearButtonEnabled(True)
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
    return True


def fit_columns(table: QTableView) -> None:
    """Size columns to their contents, but never so wide that the next ones scroll away."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(header.count()):
        if header.sectionSize(column) > MAX_COLUMN:
            header.resizeSection(column, MAX_COLUMN)
