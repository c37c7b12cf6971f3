"""File names in text fields: shown readably, and read back as the same bytes.

Qt holds only Unicode text, so a name that is not UTF-8 (``caf\\xe9.ircase``) is put in a
field as ``shown`` writes it, and a field's text is read back through ``path_from_text``.
"""

from __future__ import annotations

import os

from irdesk.domain.paths import shown, unshown


def path_text(path: str) -> str:
    """What a text field shows for ``path``."""
    return shown(path)


def path_from_text(text: str) -> str:
    """The file a field's text names: ``\\xNN`` is the byte it stands for, unless a file
    with the literal name exists."""
    text = text.strip()
    candidate = unshown(text)
    if candidate == text or os.path.lexists(text):
        return text
    return candidate
