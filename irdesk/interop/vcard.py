"""The contact book to vCard 4.0, and address-book vCards (2.1, 3.0, 4.0) into contacts.

A contact has one ``phone`` and one ``email`` field. A card with several numbers or
addresses keeps them all there, preferred first, separated by "; ", each number with its
type in brackets: ``+31 6 5550 0142 (mobile); +31 10 555 0142 (work)``. The export splits
them back into one TEL or EMAIL each. See docs/INTEROP.md for the whole mapping.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import vobject

from irdesk.casefile import operations as ops
from irdesk.casefile.changes import Done
from irdesk.casefile.operations import ContactImport, IncomingContact
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import ContactKind
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Contact, RecordId
from irdesk.interop.vcard_input import is_preferred, mail_value, notes_of, prepare, tel_value, types_of

SEPARATOR = "; "
UNIT_SEPARATOR = " / "
_LABELS = {"cell": "mobile", "iphone": "mobile", "mobile": "mobile", "work": "work",
           "home": "home", "fax": "fax", "pager": "pager", "main": "main", "text": "text",
           "video": "video", "textphone": "textphone"}
_TYPES = {"mobile": "cell", "work": "work", "home": "home", "fax": "fax", "pager": "pager",
          "text": "text", "video": "video", "textphone": "textphone"}
_KIND_WORDS = {
    ContactKind.INTERNAL: ("internal", "colleague", "colleagues", "staff", "coworkers"),
    ContactKind.VENDOR: ("vendor", "vendors", "supplier", "suppliers", "msp"),
    ContactKind.LAW_ENFORCEMENT: ("law-enforcement", "law enforcement", "police"),
    ContactKind.REGULATOR: ("regulator", "regulators", "authority"),
    ContactKind.LEGAL: ("legal", "lawyer", "counsel"),
    ContactKind.COMMUNICATIONS: ("communications", "press", "pr", "comms"),
    ContactKind.OTHER: ("other",),
}
_PHONE_LABEL = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_X_OOB, _X_GRANTS, _X_VERIFIED = "X-IRDESK-OUT-OF-BAND", "X-IRDESK-GRANTS-ACCESS", \
    "X-IRDESK-LAST-VERIFIED"


# ---------------------------------------------------------------- export


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _card(contact: Contact) -> Any:
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = f"urn:uuid:{contact.id}"
    card.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.organisation or contact.team:
        units = [u for u in contact.team.split(UNIT_SEPARATOR) if u.strip()]
        card.add("org").value = [contact.organisation, *[u.strip() for u in units]]
    if contact.role:
        card.add("title").value = contact.role
    for n, entry in enumerate(split_list(contact.phone)):
        match = _PHONE_LABEL.match(entry)
        number, labels = (match.group(1), match.group(2)) if match else (entry, "")
        tel = card.add("tel")
        tel.value = number
        types = [_TYPES.get(label.strip(), f"x-{label.strip()}") for label in labels.split(",")
                 if label.strip()]
        if types:
            tel.params["TYPE"] = [",".join(types)]
        if n == 0:
            tel.params["PREF"] = ["1"]
    for n, address in enumerate(split_list(contact.email)):
        email = card.add("email")
        email.value = address
        if n == 0:
            email.params["PREF"] = ["1"]
    card.add("categories").value = [contact.kind.value]
    for name, value in ((_X_OOB, contact.out_of_band), (_X_GRANTS, contact.grants_access),
                        (_X_VERIFIED, contact.last_verified.isoformat()
                         if contact.last_verified else "")):
        if value:
            card.add(name).value = value
    if contact.notes:
        card.add("note").value = contact.notes  # vobject escapes it and folds long lines
    card.add("rev").value = contact.updated.utc.strftime("%Y%m%dT%H%M%SZ")
    return card


def write_vcards(contacts: Iterable[Contact], out: IO[str]) -> int:
    """Write live contacts as vCard 4.0 (RFC 6350); returns how many."""
    count = 0
    for contact in contacts:
        if contact.deleted:
            continue
        out.write(_card(contact).serialize())
        count += 1
    return count


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class CardFields:
    """What one card says about a person, already mapped to contact fields."""

    uid: RecordId | None
    fields: dict[str, Any]


def _text(card: Any, name: str) -> str:
    prop = card.contents.get(name)
    if not prop:
        return ""
    value = prop[0].value
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value).strip()


def _name(card: Any) -> str:
    name = _text(card, "fn")
    if not name and card.contents.get("n"):
        n = card.contents["n"][0].value
        if isinstance(n, vobject.vcard.Name):
            parts = [n.prefix, n.given, n.additional, n.family, n.suffix]
            name = " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p)
        else:
            name = str(n)
    return " ".join(name.split())


def _ordered(props: list[Any]) -> list[Any]:
    return sorted(props, key=lambda p: not is_preferred(p))  # stable: file order otherwise


def _apple_labels(card: Any) -> dict[str, str]:
    """Apple's custom labels: ``item2.X-ABLabel:_$!<Assistant>!$_`` names ``item2.TEL``."""
    labels = {}
    for prop in card.contents.get("x-ablabel", []):
        text = str(prop.value).strip()
        if text.startswith("_$!<") and text.endswith(">!$_"):
            text = text[4:-4]
        if prop.group and text:
            labels[prop.group] = text.lower().replace(",", " ").replace("(", "").replace(")", "")
    return labels


def _phones(card: Any) -> str:
    entries = []
    custom = _apple_labels(card)
    for prop in _ordered(card.contents.get("tel", [])):
        number = tel_value(str(prop.value))
        if not number:
            continue
        labels = [_LABELS.get(t, t[2:] if t.startswith("x-") else "") for t in types_of(prop)]
        labels = [label for label in labels if label]
        if prop.group in custom:
            labels.append(custom[prop.group])
        labels = list(dict.fromkeys(labels))
        entries.append(f"{number} ({','.join(labels)})" if labels else number)
    return SEPARATOR.join(dict.fromkeys(entries))


def _emails(card: Any) -> str:
    found = [mail_value(str(p.value)) for p in _ordered(card.contents.get("email", []))]
    return SEPARATOR.join(dict.fromkeys(a.replace(";", ",") for a in found if a))


def _kind(card: Any) -> ContactKind:
    words: list[str] = []
    for prop in card.contents.get("categories", []):
        values = prop.value if isinstance(prop.value, list) else str(prop.value).split(",")
        words += [str(v).strip().lower() for v in values]
    for word in words:
        for kind, names in _KIND_WORDS.items():
            if word in names or word.replace(" ", "-") in names:
                return kind
    return ContactKind.OTHER


def _org(card: Any) -> tuple[str, str]:
    prop = card.contents.get("org")
    if not prop:
        return "", ""
    value = prop[0].value
    units = [str(v).strip() for v in (value if isinstance(value, list) else [value])] or [""]
    return units[0], UNIT_SEPARATOR.join(u for u in units[1:] if u)


def _uid(card: Any) -> RecordId | None:
    text = _text(card, "uid")
    if text.lower().startswith("urn:uuid:"):
        text = text[9:]
    try:
        return RecordId(str(uuid.UUID(text)))
    except ValueError:
        return None


def _verified(card: Any) -> date | None:
    text = _text(card, _X_VERIFIED.lower())
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _fields(card: Any) -> dict[str, Any]:
    organisation, team = _org(card)
    out_of_band = _text(card, _X_OOB.lower())
    if not out_of_band:
        out_of_band = SEPARATOR.join(str(p.value).strip() for p in card.contents.get("impp", []))
    name, emails = _name(card), _emails(card)
    fields: dict[str, Any] = {
        "name": name or organisation or emails.split(SEPARATOR)[0], "organisation": organisation,
        "team": team,
        "role": _text(card, "title") or _text(card, "role"), "kind": _kind(card),
        "phone": _phones(card), "email": emails, "out_of_band": out_of_band,
        "grants_access": _text(card, _X_GRANTS.lower()), "last_verified": _verified(card),
    }
    return fields


def read_vcards(data: bytes) -> list[CardFields]:
    """Every card in a .vcf file, mapped to contact fields; raises BadInput on bad input."""
    result = []
    for n, text in enumerate(prepare(data), start=1):
        try:
            card = vobject.readOne(text, ignoreUnreadable=False)
            fields = _fields(card)
            fields["notes"] = notes_of(text)  # read from the text: vobject cuts a NOTE at a comma
            uid = _uid(card)
        except Exception as exc:  # noqa: BLE001 - vobject raises many kinds on malformed input
            raise BadInput(f"Card {n} cannot be read: {_reason(exc)}.") from None
        if not fields["name"]:
            raise BadInput(f"Card {n} has no name, organisation or e-mail address.")
        result.append(CardFields(uid, fields))
    return result


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


def import_vcards(case: CaseFile, cards: list[CardFields], *, source: str) -> Done[ContactImport]:
    """Add (or, for a card whose UID is one of our contacts, update) contacts; one operation."""
    incoming = [IncomingContact(card.uid, card.fields) for card in cards]
    return ops.import_contacts(case, incoming, source=source)
