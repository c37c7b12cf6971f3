"""Help ▸ About: what irdesk is, its version, and what it promises."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from irdesk import __version__


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(
        parent,
        "About irdesk",
        f"<h3>irdesk {__version__}</h3>"
        "<p>Encrypted case files for security incident responders: notes by NIST SP 800-61 phase "
        "(with CSF 2.0 Functions), evidence with chain of custody, contacts with an "
        "engagement log, "
        "and lessons learned.</p>"
        "<p>Everything stays in one encrypted file (SQLCipher 4, Argon2id). irdesk never opens a "
        "network connection.</p><p>Licensed under the Apache License 2.0.</p>",
    )
