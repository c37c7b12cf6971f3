"""Small adapters that let ``vobject`` read the vCards real address books write.

vobject 0.9.9 reads vCard 2.1 and 3.0 well, but it trips on quoted-printable soft line
breaks (Outlook, older Android) and knows nothing of vCard 4.0's ``tel:`` URIs, quoted
``TYPE="work,cell"`` lists and ``PREF=1``; and it cuts a ``NOTE`` at its first unescaped
comma (it reads every text as a list). Each adapter here does one of those things and is
tested on its own; vobject does the parsing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from irdesk.domain.errors import BadInput

MAX_BYTES = 20 * 1024 * 1024
MAX_CARDS = 20_000


def decode_bytes(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.

    Outlook writes vCard 2.1 in the Windows code page unless a line says otherwise.
    """
    if len(data) > MAX_BYTES:
        raise BadInput(f"The file is over {MAX_BYTES // (1024 * 1024)} MiB; that is not an "
                       "address book.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadInput("The file claims to be UTF-16 but is not.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_QP = re.compile(r"^[^:]*;(ENCODING=)?QUOTED-PRINTABLE[;:]", re.IGNORECASE)


def join_soft_line_breaks(text: str) -> str:
    """Join quoted-printable lines that end in ``=`` with the line after them.

    In quoted-printable a literal ``=`` is always written ``=3D``, so a property line that
    ends in ``=`` continues on the next line (a "soft line break").
    """
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if _QP.match(line):
            while line.endswith("=") and i + 1 < len(lines):
                i += 1
                following = lines[i]
                if following[:1] in (" ", "\t"):  # also folded: drop the fold's one blank
                    following = following[1:]
                line = line[:-1] + following
        out.append(line)
        i += 1
    return "\r\n".join(out) + "\r\n"


_UNUSED = ("PHOTO", "LOGO", "SOUND", "KEY")


def unfold(text: str) -> str:
    """Join folded lines (a line break followed by a space or tab) into one line each."""
    return re.sub(r"\r\n[ \t]", "", text)


def drop_unused(text: str) -> str:
    """Drop pictures, sounds and keys: contacts do not keep them, and one damaged
    base64 photo would otherwise make its whole card unreadable."""
    kept = []
    for line in text.split("\r\n"):
        name = re.split(r"[;:]", line, maxsplit=1)[0].rpartition(".")[2].strip().upper()
        if name not in _UNUSED:
            kept.append(line)
    return "\r\n".join(kept)


def drop_blank_lines(text: str) -> str:
    """Blank lines inside a card (Android ends an inline photo with one) are not content."""
    return "\r\n".join(line for line in text.split("\r\n") if line.strip()) + "\r\n"


def split_cards(text: str) -> Iterator[str]:
    """Each ``BEGIN:VCARD`` … ``END:VCARD`` block; text between cards is ignored."""
    current: list[str] | None = None
    count = 0
    for line in text.split("\r\n"):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                raise BadInput(f"Card {count + 1} has no END:VCARD before the next card starts.")
            current = [line.strip()]
        elif current is not None:
            current.append(line)
            if upper == "END:VCARD":
                count += 1
                if count > MAX_CARDS:
                    raise BadInput(f"The file holds more than {MAX_CARDS} cards.")
                yield "\r\n".join(current) + "\r\n"
                current = None
    if current is not None:
        raise BadInput(f"Card {count + 1} is cut off: it has no END:VCARD.")


def prepare(data: bytes) -> list[str]:
    """Bytes of a .vcf file to the text of each card, ready for vobject."""
    text = join_soft_line_breaks(decode_bytes(data).replace("\x00", ""))
    cards = list(split_cards(drop_blank_lines(drop_unused(unfold(text)))))
    if not cards:
        raise BadInput("The file holds no vCard (no BEGIN:VCARD line).")
    return cards


# ---------------------------------------------------------------- property parameters


def types_of(prop: Any) -> list[str]:
    """A property's types, lower-case, from 2.1 bare words, 3.0 ``TYPE=`` and 4.0 lists."""
    found: list[str] = []
    raw = [*getattr(prop, "singletonparams", []), *prop.params.get("TYPE", [])]
    for item in raw:
        for part in str(item).replace('"', "").split(","):
            part = part.strip().lower()
            if part and part not in found:
                found.append(part)
    return found


def is_preferred(prop: Any) -> bool:
    """PREF as a 2.1 bare word, a 3.0 type, or a 4.0 ``PREF=1``."""
    if "pref" in types_of(prop):
        return True
    return any(str(v).strip() == "1" for v in prop.params.get("PREF", []))


def tel_value(value: str) -> str:
    """A phone number from 4.0's ``tel:+1-555-0100;ext=7`` or a plain text value."""
    value = value.strip()
    if not value.lower().startswith("tel:"):
        return value.replace(";", ",")  # ";" separates numbers in a contact's phone field
    number, _, rest = value[4:].partition(";")
    ext = re.search(r"(?:^|;)ext=([^;]+)", rest, re.IGNORECASE)
    return f"{number} ext. {ext.group(1)}" if ext else number


def mail_value(value: str) -> str:
    value = value.strip()
    return value[7:] if value.lower().startswith("mailto:") else value


# ---------------------------------------------------------------- NOTE

_ESCAPE = re.compile(r"\\([\\,;nN])")
_VERSION = re.compile(r"^VERSION:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def unescape_text(value: str) -> str:
    """A vCard 3.0/4.0 TEXT value: ``\\n`` is a line break, ``\\,`` ``\\;`` ``\\\\`` the character."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def notes_of(card_text: str) -> str:
    """The text of a card's ``NOTE`` properties (a blank line between two), exactly as written.

    ``card_text`` is one card as ``prepare`` gives it: unfolded, quoted-printable lines joined.
    vCard 2.1 values are literal apart from ``\\;`` (quoted-printable is decoded, in the
    property's CHARSET); 3.0 and 4.0 values are backslash-escaped. Line breaks become ``\\n``.
    """
    from vobject.base import textLineToContentLine

    version = _VERSION.search(card_text)
    literal = version is not None and version.group(1) == "2.1"
    found = []
    for n, line in enumerate(card_text.split("\r\n"), start=1):
        name = re.split(r"[;:]", line, maxsplit=1)[0].rpartition(".")[2].strip().upper()
        if name != "NOTE":
            continue
        value = str(textLineToContentLine(line, n).value)  # quoted-printable decoded here
        value = value.replace("\\;", ";") if literal else unescape_text(value)
        found.append(value.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(v for v in found if v)
