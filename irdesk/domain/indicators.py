"""Indicator values: checking and normalising each kind, and finding candidates in note text."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from irdesk.domain.enums import IndicatorKind

_HEX_LENGTH = {IndicatorKind.MD5: 32, IndicatorKind.SHA1: 40, IndicatorKind.SHA256: 64}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$)(?:{_LABEL}\.)+[a-z][a-z0-9-]{{0,62}}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def normalise(kind: IndicatorKind, value: str) -> str:
    """The value in its usual written form (hashes and domains lower-case).

    Raises:
        ValueError: the value is not a valid indicator of that kind (one sentence).
    """
    text = value.strip()
    if not text:
        raise ValueError("The indicator value is empty.")
    if kind in (IndicatorKind.IPV4, IndicatorKind.IPV6):
        try:
            address = ipaddress.ip_network(text, strict=False) if "/" in text \
                else ipaddress.ip_address(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an {kind.value} address.") from None
        if address.version != (4 if kind is IndicatorKind.IPV4 else 6):
            raise ValueError(f"{text!r} is not an {kind.value} address.")
        return str(address)
    if kind in _HEX_LENGTH:
        text = text.lower()
        if len(text) != _HEX_LENGTH[kind] or not re.fullmatch(r"[0-9a-f]+", text):
            raise ValueError(f"A {kind.value} hash is {_HEX_LENGTH[kind]} hexadecimal digits.")
        return text
    if kind is IndicatorKind.DOMAIN:
        text = text.lower().rstrip(".")
        if not _DOMAIN.match(text):
            raise ValueError(f"{text!r} is not a domain name.")
        return text
    if kind is IndicatorKind.EMAIL and not _EMAIL.match(text):
        raise ValueError(f"{text!r} is not an e-mail address.")
    if kind is IndicatorKind.URL and not _URL.match(text):
        raise ValueError(f"{text!r} is not a URL (it needs a scheme, like https://).")
    if any(ch in text for ch in "\r\n\t\x00"):
        raise ValueError("An indicator value is one line of text.")
    return text


@dataclass(frozen=True)
class Candidate:
    kind: IndicatorKind
    value: str


_FINDERS = [
    (IndicatorKind.URL, re.compile(r"\b(?:https?|ftp)://[^\s<>`'\"]+", re.IGNORECASE)),
    (IndicatorKind.EMAIL, re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    (IndicatorKind.SHA256, re.compile(r"\b[0-9a-fA-F]{64}\b")),
    (IndicatorKind.SHA1, re.compile(r"\b[0-9a-fA-F]{40}\b")),
    (IndicatorKind.MD5, re.compile(r"\b[0-9a-fA-F]{32}\b")),
    (IndicatorKind.IPV4, re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")),
]


def candidates(text: str) -> list[Candidate]:
    """Values in a note that look like indicators, in order, each once (valid ones only)."""
    found: list[Candidate] = []
    for kind, pattern in _FINDERS:
        for match in pattern.finditer(text):
            raw = match.group(0).rstrip(".,;:)]")
            try:
                candidate = Candidate(kind, normalise(kind, raw))
            except ValueError:
                continue
            if candidate not in found:
                found.append(candidate)
    return found


_SCHEMES = (("https", "hxxps"), ("http", "hxxp"), ("ftp", "fxp"))


def defang(kind: IndicatorKind, value: str) -> str:
    """The value written so that no reader, viewer or mail client turns it into a link.

    ``http://evil.example/x`` → ``hxxp://evil[.]example/x``; ``10.20.4.17`` → ``10[.]20[.]4[.]17``;
    ``a@b.example`` → ``a[@]b[.]example``. Hashes and file names are printed as they are.
    """
    if kind in (IndicatorKind.DOMAIN, IndicatorKind.IPV4):
        return value.replace(".", "[.]")
    if kind is IndicatorKind.IPV6:
        return value.replace(":", "[:]")
    if kind is IndicatorKind.EMAIL:
        return value.replace("@", "[@]").replace(".", "[.]")
    if kind is IndicatorKind.URL:
        scheme, sep, rest = value.partition("://")
        for plain, fanged in _SCHEMES:
            if scheme.lower() == plain:
                scheme = fanged
        host, slash, path = rest.partition("/")
        return f"{scheme}{sep}{host.replace('.', '[.]')}{slash}{path}"
    return value

