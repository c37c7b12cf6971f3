"""The first window: recent cases (names only, if the user opted in), New case and Open case."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from irdesk import __version__
from irdesk.domain.paths import shown, unshown
from irdesk.resources import resource_path
from irdesk.ui.settings import Settings


class WelcomeWindow(QWidget):
    new_case = Signal()
    open_case = Signal(object)  # a path ("" asks for one); object: Qt would drop bytes not UTF-8

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("irdesk")
        self.resize(560, 420)
        icon = QLabel()
        icon.setPixmap(QPixmap(resource_path("icons", "irdesk-64.png")))
        icon.setAccessibleName("irdesk")
        title = QLabel(
            "<h2>irdesk</h2>Encrypted incident case files. Works offline; never uses the network."
        )
        title.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(title, 1)
        new = QPushButton("New case…")
        new.setDefault(True)
        new.setToolTip("Ctrl+Shift+N")
        new.clicked.connect(self.new_case)
        open_button = QPushButton("Open case…")
        open_button.clicked.connect(lambda: self.open_case.emit(""))
        for button in (new, open_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(140)
        warning = QLabel(
            "A lost passphrase loses the case: there are no recovery keys. "
            "Hand-off copies are the backup."
        )
        warning.setWordWrap(True)
        warning.setStyleSheet("color: gray")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent cases")
        self.recent.itemActivated.connect(
            lambda item: self.open_case.emit(unshown(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.empty = QLabel()
        self.empty.setStyleSheet("color: gray")
        self.empty.setWordWrap(True)
        self.remember = QCheckBox("Remember recent cases (file names only)")
        self.remember.setChecked(settings.remember_recent())
        self.remember.toggled.connect(self._remember_toggled)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addLayout(buttons)
        layout.addWidget(warning)
        self.recent_title = QLabel("<b>Recent cases</b>")
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)
        layout.addWidget(self.remember)
        version = QLabel(f"irdesk {__version__}")
        version.setStyleSheet("color: gray")
        layout.addWidget(version)
        self.refresh()

    def _remember_toggled(self, enabled: bool) -> None:
        self.settings.set_remember_recent(enabled)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        for path in self.settings.recent():
            item = QListWidgetItem(shown(os.path.basename(path)))
            item.setData(Qt.ItemDataRole.UserRole, shown(path))  # Qt holds only UTF-8 names
            item.setToolTip(shown(path))
            self.recent.addItem(item)
        has = self.recent.count() > 0
        self.recent.setVisible(has)
        self.recent_title.setVisible(self.settings.remember_recent())
        if not self.settings.remember_recent():
            self.empty.setText(
                "Recent cases are not remembered. Tick the box below to keep a list of file names."
            )
        else:
            self.empty.setText("" if has else "No recent cases yet.")
        self.empty.setVisible(not has)
