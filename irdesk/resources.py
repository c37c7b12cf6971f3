"""Where the files shipped beside the package live: ``resources/`` (fonts, templates, icons).

The folder sits next to the ``irdesk`` package, in the source tree and in the frozen bundle alike.
"""

from __future__ import annotations

import os

RESOURCE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources")


def resource_path(*parts: str) -> str:
    """The path of a shipped file, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``."""
    return os.path.join(RESOURCE_DIR, *parts)
