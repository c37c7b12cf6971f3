"""File names of any bytes: as Python holds them, and as a person reads them.

A POSIX file name is bytes. Python decodes it with ``surrogateescape``, so a byte that is
not UTF-8 (``caf\\xe9.ircase`` from an old USB stick) becomes a lone surrogate (``\\udce9``)
that the file system functions turn back into the same byte. Such a text cannot be printed,
quoted as UTF-8 or given to Qt as it is; ``shown`` writes those bytes as ``\\xe9`` for
messages, and ``unshown`` reads that form back.
"""

from __future__ import annotations

import re

_ESCAPED_BYTE = re.compile(r"\\x([89a-fA-F][0-9a-fA-F])")


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape kept
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"
    return char


def shown(text: str) -> str:
    """``text`` readable and printable: each byte that was not UTF-8 written as ``\\xNN``."""
    if not _has_surrogates(text):
        return text
    return "".join(_escape(c) for c in text)


def unshown(text: str) -> str:
    """The file name ``shown`` wrote as ``text``: each ``\\xNN`` (80–ff) back to its byte."""
    return _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), text)


def shown_on_error(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler (``codecs.register_error``) that writes what cannot be encoded
    the way ``shown`` does, so a print of a path never fails."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_escape(c) for c in exc.object[exc.start : exc.end]), exc.end
