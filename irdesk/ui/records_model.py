"""A table model over a small list of records (evidence, contacts, action items)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from irdesk.domain.records import Record

R = TypeVar("R", bound=Record)
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class Column(Generic[R]):
    def __init__(
        self,
        title: str,
        text: Callable[[R], str],
        sort: Callable[[R], Any] | None = None,
        warn: Callable[[R], str] | None = None,
    ) -> None:
        self.title, self.text, self.sort, self.warn = title, text, sort or text, warn


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records; columns say how to show each. Sorting goes through a proxy."""

    def __init__(self, columns: list[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._rows: list[R] = []

    def set_records(self, records: list[R]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._rows)

    def record_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self._rows)
            or not 0 <= index.column() < len(self._columns)
        ):
            return None
        record, column = self._rows[index.row()], self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == SORT_ROLE:
            value = column.sort(record)
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole and column.warn is not None:
            return column.warn(record) or None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column.warn is not None
            and column.warn(record)
        ):
            from PySide6.QtGui import QColor

            return QColor("#c0392b")
        if role == RECORD_ROLE:
            return record
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
