"""Add or edit a regime: which one, its jurisdiction and time zone, the times that start its clocks."""

from __future__ import annotations

import os
import zoneinfo
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from irdesk.domain.enums import RegimeKind
from irdesk.domain.records import Regime
from irdesk.domain.regimes import DEFINITIONS, Trigger, kind_triggers
from irdesk.ui.forms import MomentField

KIND_LABELS = {
    RegimeKind.GDPR: "GDPR (Art. 33: the supervisory authority)",
    RegimeKind.NIS2: "NIS2 (Art. 23: the CSIRT or competent authority)",
    RegimeKind.DORA: "DORA (Art. 19: major ICT-related incidents)",
    RegimeKind.SEC_8K: "SEC Form 8-K Item 1.05",
    RegimeKind.CIRCIA: "CIRCIA (proposed rule)",
    RegimeKind.CUSTOM: "Custom regime…",
}
TRIGGER_NAMES = {
    Trigger.AWARENESS: "Became aware",
    Trigger.CLASSIFICATION: "Classified as major",
    Trigger.DETERMINATION: "Materiality determined",
    Trigger.RANSOM_PAYMENT: "Ransom paid",
}


def local_zone_name() -> str:
    """This computer's IANA time zone, when it can be told ("" otherwise)."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    for name in candidates:
        if name and name in zoneinfo.available_timezones():
            return name
    return ""


class RegimeDialog(QDialog):
    def __init__(self, regime: Regime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit regime" if regime else "Add regime")
        self.kind = QComboBox()
        for kind in RegimeKind:
            self.kind.addItem(KIND_LABELS[kind], kind.value)
        self.kind.setAccessibleName("Regime")
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.jurisdiction = QLineEdit()
        self.jurisdiction.setPlaceholderText("e.g. US, DE, NL, US-NY: whose holidays business days skip")
        self.jurisdiction.setAccessibleName("Jurisdiction")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItem("")
        self.zone.addItems(sorted(zoneinfo.available_timezones()))
        self.zone.setAccessibleName("Time zone")
        self.zone.setToolTip("Local time for business days and months. Empty: the offset each time was "
                             "entered with.")
        self.triggers = {t: MomentField(TRIGGER_NAMES[t]) for t in Trigger}
        self.stages = QPlainTextEdit()
        self.stages.setPlaceholderText("One stage a line, e.g.\nearly warning=24h\nreport=3bd\n"
                                       "final report=1mo after report")
        self.stages.setAccessibleName("Stages")
        self.stages.setTabChangesFocus(True)
        self.stages.setFixedHeight(self.fontMetrics().height() * 5)
        self.form = QFormLayout()
        self.form.addRow("Regime", self.kind)
        self.form.addRow("Name", self.name)
        self.form.addRow("Jurisdiction", self.jurisdiction)
        self.form.addRow("Time zone", self.zone)
        for trigger, field in self.triggers.items():
            self.form.addRow(TRIGGER_NAMES[trigger], field)
        self.form.addRow("Stages", self.stages)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: gray")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.editing = regime
        if regime is not None:
            self._load(regime)
            self.kind.setEnabled(False)
        else:
            self.zone.setCurrentText(local_zone_name())
        self._kind_changed()

    def _load(self, regime: Regime) -> None:
        self.kind.setCurrentIndex(self.kind.findData(regime.kind.value))
        self.name.setText(regime.name)
        self.jurisdiction.setText(regime.jurisdiction)
        self.zone.setCurrentText(regime.time_zone)
        for trigger, field in self.triggers.items():
            field.set_value(getattr(regime, trigger.value))
        self.stages.setPlainText("\n".join(regime.stages))

    def chosen_kind(self) -> RegimeKind:
        return RegimeKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.chosen_kind()
        uses = kind_triggers(kind)
        for trigger, field in self.triggers.items():
            self.form.setRowVisible(field, trigger in uses)
        custom = kind is RegimeKind.CUSTOM
        self.form.setRowVisible(self.stages, custom)
        self.name.setPlaceholderText("required, e.g. UK ICO" if custom else "optional, e.g. the authority")
        if custom:
            self.hint.setText("Periods: 24h, 3d, 4bd (business days of the jurisdiction), 1mo. A stage "
                              "“… after STAGE” runs from the time STAGE was sent.")
        else:
            d = DEFINITIONS[kind]
            self.hint.setText(f"{d.citation}: " + "; ".join(f"{s.label}, {s.limit.period.describe()}"
                                                           for s in d.stages) + ". See docs/REGULATORY.md.")
        self.adjustSize()

    def fields(self) -> dict[str, Any]:
        """What the dialog says, as operation arguments (only the triggers this regime uses)."""
        kind = self.chosen_kind()
        uses = kind_triggers(kind)
        found: dict[str, Any] = {
            "name": self.name.text().strip(),
            "jurisdiction": self.jurisdiction.text().strip(),
            "time_zone": self.zone.currentText().strip(),
        }
        for trigger, field in self.triggers.items():
            if trigger in uses:
                found[trigger.value] = field.value()
        if kind is RegimeKind.CUSTOM:
            found["stages"] = tuple(line for line in self.stages.toPlainText().splitlines() if line.strip())
        return found

