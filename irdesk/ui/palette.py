"""The app's colours: Qt's Fusion style, light or dark, or following the system's scheme."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

# Fusion outlines a check box in the window colour, darkened: on a dark window the box of an
# unticked item vanishes into the background. These are drawn with a lighter outline instead.
_INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
               QStyle.PrimitiveElement.PE_IndicatorRadioButton)


class _FusionStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons that show on a dark palette too."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def name(self) -> str:
        return "Fusion"

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,  # noqa: N802 - Qt override
                      painter: QPainter, widget: QWidget | None = None) -> None:
        palette: Any = option.palette
        if element in _INDICATORS and palette.color(QPalette.ColorRole.Window).lightness() < 128:
            lighter = QPalette(palette)
            lighter.setColor(QPalette.ColorRole.Window, QColor("#9a9a9a"))
            option.palette = lighter
            try:
                super().drawPrimitive(element, option, painter, widget)
            finally:
                option.palette = palette
            return
        super().drawPrimitive(element, option, painter, widget)


def apply_theme(app: QApplication, theme: str) -> None:
    apply_palette(app, None if theme == "system" else theme == "dark")


def apply_palette(app: QApplication, dark: bool | None = None) -> None:
    """Fusion, light or dark; ``None`` follows the system's colour scheme."""
    if dark is None:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if not isinstance(app.style(), _FusionStyle):
        app.setStyle(_FusionStyle())
    if not dark:
        app.setPalette(app.style().standardPalette())
        return
    p = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#e6e6e6")
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Highlight, QColor("#3d6fb6")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#8c8c8c")),
        (QPalette.ColorRole.Link, QColor("#6fa8ff")),
    ):
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))  # a disabled box's label too
    app.setPalette(p)


def is_dark(widget: QWidget) -> bool:
    """True when ``widget`` is drawn on a dark background (a colour chosen for white would not read)."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
