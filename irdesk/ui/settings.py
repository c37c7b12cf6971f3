"""What the app remembers between runs: window geometry, idle lock, recent case paths (opt-in).

Never note text, titles or previews: only paths the user chose to remember.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

from irdesk.domain.paths import shown, unshown

RECENT_LIMIT = 8
DEFAULT_IDLE_MINUTES = 10
THEMES = ("system", "light", "dark")


class Settings:
    def __init__(self, path: str | None = None) -> None:
        if path is None:
            base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
                os.path.expanduser("~"), ".config"
            )
            path = os.path.join(base, "irdesk", "irdesk.ini")
        self._q = QSettings(path, QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        self._q.sync()

    # geometry
    def geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    # idle lock
    def idle_minutes(self) -> int:
        try:
            return max(
                0, int(str(self._q.value("security/idle_lock_minutes", DEFAULT_IDLE_MINUTES)))
            )
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, minutes: int) -> None:
        self._q.setValue("security/idle_lock_minutes", int(minutes))

    # appearance: "system", "light" or "dark"
    def theme(self) -> str:
        value = str(self._q.value("appearance/theme", "system"))
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        self._q.setValue("appearance/theme", theme if theme in THEMES else "system")

    # recent cases
    def remember_recent(self) -> bool:
        return str(self._q.value("recent/enabled", "false")).lower() == "true"

    def set_remember_recent(self, enabled: bool) -> None:
        self._q.setValue("recent/enabled", "true" if enabled else "false")
        if not enabled:
            self._q.remove("recent/paths")

    def recent(self) -> list[str]:
        if not self.remember_recent():
            return []
        value = self._q.value("recent/paths", [])
        paths = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        )
        # Kept as ``shown`` writes them: Qt cannot hold a file name that is not UTF-8.
        return [unshown(p) for p in paths if isinstance(p, str) and os.path.exists(unshown(p))]

    def add_recent(self, path: str) -> None:
        if not self.remember_recent():
            return
        path = os.path.abspath(path)
        paths = [path] + [p for p in self.recent() if p != path]
        self._q.setValue("recent/paths", [shown(p) for p in paths[:RECENT_LIMIT]])

    # which cases the user asked to remember in the keychain (key ids only)
    def keychain_ids(self) -> set[str]:
        value = self._q.value("keychain/remembered", [])
        return (
            {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()
        )

    def set_keychain_id(self, key_id: str, remembered: bool) -> None:
        ids = self.keychain_ids()
        ids = ids | {key_id} if remembered else ids - {key_id}
        self._q.setValue("keychain/remembered", sorted(ids))
