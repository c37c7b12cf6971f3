"""Settings ▸ Appearance: System, Light or Dark, applied at once and remembered."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette

from irdesk.ui.palette import apply_theme


@pytest.fixture
def palette_kept(qapp):
    """Whatever a test chooses, the next one starts with the palette it found."""
    style, palette = qapp.style().name(), QPalette(qapp.palette())
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _window_lightness(qapp) -> int:
    return qapp.palette().color(QPalette.ColorRole.Window).lightness()


def test_the_choice_applies_at_once_and_is_remembered(desk, qapp, settings, palette_kept):
    from irdesk.ui.settings import Settings

    desk.set_theme("dark")
    assert _window_lightness(qapp) < 128 and qapp.style().name().lower() == "fusion"
    settings.sync()
    assert Settings(settings.path).theme() == "dark"  # the next start reads it
    desk.set_theme("light")
    assert _window_lightness(qapp) > 128
    settings.sync()
    assert Settings(settings.path).theme() == "light"
    desk.set_theme("system")
    assert Settings(settings.path).theme() == "system"
    settings.set_theme("sepia")  # a hand-edited file: back to the system's choice
    assert settings.theme() == "system"


def test_the_menu_shows_and_changes_the_choice(session, qtbot, qapp, palette_kept):
    from irdesk.ui.main_window import MainWindow
    from tests.ui.conftest import FakeDesk

    class Desk(FakeDesk):
        chosen = "dark"

        def theme(self):
            return self.chosen

        def set_theme(self, theme):
            self.chosen = theme
            apply_theme(qapp, theme)

    desk = Desk()
    window = MainWindow(session, desk)
    qtbot.addWidget(window)
    settings_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Settings")
    appearance = next(a.menu() for a in settings_menu.actions() if a.text() == "&Appearance")
    actions = {a.text(): a for a in appearance.actions()}
    assert list(actions) == ["Follow the &system", "&Light", "&Dark"]
    assert actions["&Dark"].isChecked() and not actions["&Light"].isChecked()
    actions["&Light"].trigger()
    assert desk.chosen == "light" and actions["&Light"].isChecked() and not actions["&Dark"].isChecked()
    assert _window_lightness(qapp) > 128
    actions["&Dark"].trigger()
    assert desk.chosen == "dark" and _window_lightness(qapp) < 128
    qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 128)  # open windows too


def test_an_unticked_box_shows_on_the_dark_palette(qapp, qtbot, palette_kept):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    apply_theme(qapp, "dark")
    box = QCheckBox("Baselines documented for critical systems")
    qtbot.addWidget(box)
    box.resize(box.sizeHint())
    option = QStyleOptionButton()
    box.initStyleOption(option)
    area = qapp.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    background = qapp.palette().color(QPalette.ColorRole.Window).lightness()
    brightest = max(QColor(image.pixel(x, y)).lightness()
                    for x in range(area.left(), area.right() + 1) for y in range(area.top(), area.bottom() + 1))
    assert brightest - background > 60  # its outline, not a dark square on a dark window
