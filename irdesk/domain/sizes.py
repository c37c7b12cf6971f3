"""Sizes as a reader takes them in: '16.0 GiB', not 17,179,869,184 bytes."""

from __future__ import annotations

_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def format_size(size: int | None) -> str:
    """Binary units with one decimal ('1.2 MiB', '16.0 GiB'); below 1 KiB, whole bytes."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} byte" + ("" if size == 1 else "s")
    value = float(size)
    for unit in _UNITS:
        value /= 1024
        if value < 1023.95 or unit == _UNITS[-1]:
            return f"{value:,.1f} {unit}"
    raise AssertionError("unreachable")
