"""Adding to the book from its window: a directory contact, a system, a vendor (one form each)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from irdesk.domain.enums import ContactKind

FORMS: dict[str, list[tuple[str, str]]] = {  # kind -> (field, label)
    "contact": [("name", "Name"), ("role", "Role"), ("team", "Team"), ("organisation", "Organisation"),
                ("phone", "Phone"), ("email", "E-mail"), ("out_of_band", "Out-of-band channel"),
                ("grants_access", "Can grant access to"), ("escalation", "Escalation"), ("on_call", "On call")],
    "system": [("name", "Name"), ("logs", "Logs it keeps"), ("location", "Where they are kept"),
               ("access_from", "Who can grant access")],
    "vendor": [("name", "Name"), ("support_line", "Support line"), ("sla", "SLA"), ("contract_ref", "Contract"),
               ("may_call", "Who may call them")],
}
TITLES = {"contact": "Add a contact to the directory", "system": "Add a system and its logs",
          "vendor": "Add a vendor"}


class BookEntryDialog(QDialog):
    """A form for one new book record; ``fields()`` gives what was typed (empty ones left out)."""

    def __init__(self, kind: str, owners: list[tuple[str, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(TITLES[kind])
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for name, label in FORMS[kind]:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            self.edits[name] = edit
            form.addRow(label, edit)
        self.contact_kind = QComboBox()
        self.retention = QSpinBox()
        self.owner = QComboBox()
        if kind == "contact":
            for k in ContactKind:
                self.contact_kind.addItem(k.value.replace("-", " "), k.value)
            form.addRow("Kind", self.contact_kind)
        if kind == "system":
            self.retention.setRange(-1, 100_000)
            self.retention.setSpecialValueText("unknown")
            self.retention.setValue(-1)
            self.retention.setSuffix(" days")
            self.retention.setAccessibleName("Retention")
            form.addRow("Retention", self.retention)
        if kind in ("system", "vendor"):
            self.owner.addItem("—", "")
            for contact_id, name in owners or []:
                self.owner.addItem(name, contact_id)
            self.owner.setAccessibleName("Owner" if kind == "system" else "Account manager")
            form.addRow("Owner" if kind == "system" else "Account manager", self.owner)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.edits["name"].text().strip():
            self.error.setText("Give a name.")
            return
        self.accept()

    def fields(self) -> dict[str, Any]:
        found: dict[str, Any] = {n: e.text().strip() for n, e in self.edits.items() if e.text().strip()}
        if self.kind == "contact":
            found["kind"] = ContactKind(self.contact_kind.currentData())
        if self.kind == "system":
            if self.retention.value() >= 0:
                found["retention_days"] = self.retention.value()
            if self.owner.currentData():
                found["owner_id"] = self.owner.currentData()
        if self.kind == "vendor" and self.owner.currentData():
            found["contact_id"] = self.owner.currentData()
        return found
