"""Where the files irdesk ships live (fonts, templates, icons), however irdesk was installed.

In the source tree they are the top-level ``resources/`` beside the package, which is also where
an editable install finds them. A wheel (``pip install``, ``pipx``), an sdist built into one and
the frozen bundle carry the same folder as the package's data ``irdesk/assets/``: ``pyproject.toml``
and ``packaging/irdesk.spec`` map it there. Reportlab and Qt open these files by path, so they are
looked up through ``importlib.resources`` and must be real files (no zipped installs).
"""

from __future__ import annotations

import importlib.resources
import os
from functools import cache

from irdesk.domain.errors import KnownError

ASSETS = "assets"  # the package data folder of an installed irdesk (``irdesk.resources`` is this module)


class MissingResource(KnownError):
    """A shipped file is not where this installation should hold it: a broken install (exit 1)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"This installation of irdesk lacks {path}; reinstall irdesk.")


@cache
def resource_dir() -> str:
    """The folder holding ``fonts/``, ``templates/`` and ``icons/``."""
    return locate(str(importlib.resources.files("irdesk")))  # a pathlib.Path for a package on disk


def locate(package: str) -> str:
    """The resource folder for the ``irdesk`` package folder ``package``.

    Its ``assets/`` when installed; else the ``resources/`` beside it in a checkout. When neither
    exists, ``assets/``: that is where an installation should have put the files, so the error
    names it.
    """
    installed = os.path.join(package, ASSETS)
    checkout = os.path.join(os.path.dirname(package), "resources")
    if not os.path.isdir(installed) and os.path.isdir(checkout):
        return checkout
    return installed


def resource_path(*parts: str) -> str:
    """The path of a shipped file, e.g. ``resource_path("fonts", "DejaVuSans.ttf")``.

    Raises:
        MissingResource: the installation lacks it (say so in one sentence, not as a bug).
    """
    path = os.path.join(resource_dir(), *parts)
    if not os.path.exists(path):
        raise MissingResource(path)
    return path
