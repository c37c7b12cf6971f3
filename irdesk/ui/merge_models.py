"""Table models for the merge dialog: the planned changes, and the conflicts left to settle."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from irdesk.casefile.conflicts import STAMPS, Conflict
from irdesk.casefile.merge import Change, MergePlan
from irdesk.domain.canonical import encode_value
from irdesk.domain.labels import record_label
from irdesk.domain.merge import Verdict

Index = QModelIndex | QPersistentModelIndex

VERDICT_TEXT = {
    Verdict.NEW: "Add",
    Verdict.THEIRS: "Update",
    Verdict.COMBINED: "Update (both edits joined)",
    Verdict.CONFLICT: "Conflict (both kept)",
    Verdict.SAME: "Earlier versions",
    Verdict.OURS: "Earlier versions",
}


KIND_TEXT = {
    "case": "Case",
    "note": "Note",
    "evidence": "Evidence",
    "custody": "Custody event",
    "contact": "Contact",
    "engagement": "Engagement",
    "action": "Action item",
    "attachment": "Attachment",
    "checklist": "Checklist item",
    "report": "Report",
    "regime": "Regime",
    "notification": "Notification",
}


class _ListModel(QAbstractTableModel):
    """A read-only table over a Python list: one row per item, fixed column headers."""

    HEADERS: tuple[str, ...] = ()

    def _items(self) -> list[Any]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class ChangesModel(_ListModel):
    """One row per record the merge writes; read-only."""

    HEADERS = ("Change", "Kind", "Record")

    def __init__(self, plan: MergePlan | None = None) -> None:
        super().__init__()
        self._changes: list[Change] = []
        if plan is not None:
            self.set_plan(plan)

    def set_plan(self, plan: MergePlan) -> None:
        self.beginResetModel()
        # Conflicts first: they are what the user must look at.
        self._changes = sorted(plan.changes, key=lambda c: c.verdict is not Verdict.CONFLICT)
        self.endResetModel()

    def _items(self) -> list[Change]:
        return self._changes

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        change = self._changes[index.row()]
        if index.column() == 0:
            return VERDICT_TEXT[change.verdict]
        if index.column() == 1:
            return KIND_TEXT.get(change.result.KIND, change.result.KIND)
        width = 400 if role == Qt.ItemDataRole.ToolTipRole else 90
        return record_label(change.result, width)


def differing_fields(conflict: Conflict) -> list[tuple[str, str, str]]:
    """(field, current value, other value) for every field the two versions disagree on."""
    rows = []
    for f in dataclasses.fields(conflict.current):
        if f.name in STAMPS:
            continue
        mine, theirs = getattr(conflict.current, f.name), getattr(conflict.other, f.name)
        if mine != theirs:
            rows.append((f.name.replace("_", " "), _text(mine), _text(theirs)))
    return rows


def _text(value: Any) -> str:
    encoded = encode_value(value)
    if encoded is None:
        return "—"
    if isinstance(encoded, list):
        return ", ".join(str(v) for v in encoded)
    return str(encoded)


class ConflictsModel(_ListModel):
    """One row per unsettled conflict: which record, and who wrote each version."""

    HEADERS = ("Kind", "Current version", "Other version")

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = []

    def set_conflicts(self, conflicts: list[Conflict]) -> None:
        self.beginResetModel()
        self.conflicts = list(conflicts)
        self.endResetModel()

    def _items(self) -> list[Conflict]:
        return self.conflicts

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        conflict = self.conflicts[index.row()]
        if index.column() == 0:
            return KIND_TEXT.get(conflict.kind, conflict.kind)
        record = conflict.current if index.column() == 1 else conflict.other
        return f"{record_label(record, 50)}  ({record.author}, {record.updated.display()})"
