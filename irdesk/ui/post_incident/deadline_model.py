"""The table of regulatory deadlines: one row per stage of each regime, with its state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from irdesk.domain.deadlines import Deadline, DeadlineState
from irdesk.domain.records import Contact
from irdesk.ui.moments import shown

DEADLINE_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
MARKS = {  # a symbol as well as a colour, so the state reads without colour too
    DeadlineState.MET: "✓ ",
    DeadlineState.LATE: "✗ ",
    DeadlineState.OVERDUE: "‼ ",
    DeadlineState.OPEN: "◷ ",
    DeadlineState.NOT_TRIGGERED: "… ",
    DeadlineState.SENT: "✓ ",
}
WARN = QColor("#b91c1c")


class DeadlineTableModel(QAbstractTableModel):
    HEADERS = ("Deadline", "Due (local time)", "State", "Sent", "To", "Reference")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Deadline] = []
        self._contacts: dict[str, Contact] = {}

    def set_deadlines(self, deadlines: list[Deadline], contacts: dict[str, Contact]) -> None:
        self.beginResetModel()
        self._rows, self._contacts = list(deadlines), dict(contacts)
        self.endResetModel()

    def deadlines(self) -> list[Deadline]:
        return list(self._rows)

    def deadline_at(self, row: int) -> Deadline | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def _texts(self) -> tuple[Callable[[Deadline], str], ...]:
        return (
            lambda d: d.label,
            lambda d: shown(d.due) or "—",
            lambda d: MARKS[d.state] + d.describe(),
            lambda d: (shown(d.sent.sent_at) + (f" (+{len(d.notifications) - 1} more)"
                                                 if len(d.notifications) > 1 else "")) if d.sent else "",
            lambda d: self._contacts[d.sent.contact_id].name if d.sent and d.sent.contact_id in self._contacts else "",
            lambda d: d.sent.reference if d.sent else "",
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        d = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts()[index.column()](d)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = [d.basis[0].upper() + d.basis[1:] + "."]
            if d.sent is not None and d.sent.late_reason:
                tip.append(f"Reason for the delay: {d.sent.late_reason}")
            elif d.state is DeadlineState.LATE:
                tip.append("No reason for the delay is recorded.")
            return "\n".join(tip)
        late = d.state in (DeadlineState.LATE, DeadlineState.OVERDUE)
        if role == Qt.ItemDataRole.ForegroundRole and late and index.column() == 2:
            return WARN
        if role == Qt.ItemDataRole.FontRole and (late or d.urgent) and index.column() == 2:
            font = QFont()
            font.setBold(True)
            return font
        if role == DEADLINE_ROLE:
            return d
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
