"""Records evolve without rewriting history: a field added to an existing record type in a later
format is left out of the canonical JSON while it holds its default, and every field of the record
type's own format is always there."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from irdesk.domain.canonical import canonical_json, field_formats, from_dict, record_hash, to_dict
from irdesk.domain.moment import Moment
from irdesk.domain.records import RECORD_TYPES, Contact, new_id
from tests.conftest import ROOT

NOW = Moment.parse("2026-11-28T10:00:00+01:00")
# A format 2 contact as the format 2 code hashed it (tests/casefile/data/format2-demo.ircase holds
# 61 more records): the rule must keep it byte for byte.
FORMAT2_CONTACT = (
    '{"author":"A","created":"2026-11-28T10:00:00.000000+01:00","deleted":false,"email":"",'
    '"grants_access":"","id":"0f0c6a2e-3a7e-4e7b-9d2f-1b9a7c0e5d11","kind":"internal",'
    '"last_verified":null,"name":"Marta","organisation":"","out_of_band":"","parent_rev":null,'
    '"phone":"","rev":"r1","role":"","team":"","type":"contact",'
    '"updated":"2026-11-28T10:00:00.000000+01:00"}'
)


def contact(**fields) -> Contact:
    return Contact(id="0f0c6a2e-3a7e-4e7b-9d2f-1b9a7c0e5d11", rev="r1", parent_rev=None, created=NOW,
                   updated=NOW, author="A", name="Marta", **fields)


def test_a_later_field_at_its_default_is_left_out_and_the_old_hash_stays():
    assert canonical_json(to_dict(contact())) == FORMAT2_CONTACT.encode()
    assert "notes" not in to_dict(contact())


def test_a_later_field_with_a_value_is_written_and_read_back():
    noted = contact(notes="Escalate via the duty phone after 18:00.\nAsk for the SOC lead.")
    data = to_dict(noted)
    assert data["notes"] == "Escalate via the duty phone after 18:00.\nAsk for the SOC lead."
    assert from_dict(data) == noted and record_hash(noted) != record_hash(contact())
    assert from_dict(to_dict(contact())) == contact()  # absent: its default


def test_every_field_of_its_record_types_own_format_is_always_written():
    for cls in RECORD_TYPES:
        formats = field_formats(cls)
        written_always = {name for name, version in formats.items() if version == cls.FORMAT}
        sample = _minimal(cls)
        assert written_always <= set(to_dict(sample)), cls.KIND
        later = {name for name, version in formats.items() if version > cls.FORMAT}
        assert not later & set(to_dict(sample)), cls.KIND  # all at their defaults
        assert all(version >= cls.FORMAT for version in formats.values()), cls.KIND


def test_a_settlement_of_format_3_writes_every_field():
    """Format 3 added settlements as a new record type: all its fields are its own, always written
    (main hashed them that way before contacts gained notes)."""
    from irdesk.domain.records import Settlement

    assert set(field_formats(Settlement).values()) == {3}
    assert {"record_kind", "record_id", "settled_rev", "how"} <= set(to_dict(_minimal(Settlement)))


def test_regimes_and_notifications_of_format_5_write_every_field():
    """Format 5 added regimes and notifications as new record types: every field is their own."""
    from irdesk.domain.records import Notification, Regime

    for cls in (Regime, Notification):
        assert set(field_formats(cls).values()) == {5}
        assert set(field_formats(cls)) == set(to_dict(_minimal(cls))) - {"type"}, cls.KIND


def _minimal(cls):
    """A record of ``cls`` with every field that has a default left at it."""
    from irdesk.domain.enums import ActionStatus, CustodyAction, IndicatorKind, Phase, RecordKind, Resolution

    needed = {"id": new_id(), "rev": "r", "parent_rev": None, "created": NOW, "updated": NOW, "author": "A",
              "title": "t", "body": "b", "phase": Phase.DETECTION, "occurred": NOW, "label": "l",
              "evidence_id": new_id(), "action": CustodyAction.COLLECTED, "at": NOW, "by_whom": "b",
              "name": "n", "contact_id": new_id(), "purpose": "p", "needed_at": NOW, "size": 1,
              "sha256": "0" * 64, "text": "t", "report_id": "IR-1", "chain_head": "0" * 64,
              "kind": IndicatorKind.IPV4, "value": "10.0.0.1", "status": ActionStatus.PROPOSED,
              "record_kind": RecordKind.NOTE, "record_id": new_id(), "settled_rev": "r0",
              "how": Resolution.KEEP_CURRENT, "regime_id": new_id(), "stage": "notification", "sent_at": NOW}
    names = {f.name for f in dataclasses.fields(cls)
             if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    return cls(**{n: needed[n] for n in names})


COMMON = ("id", "rev", "parent_rev", "created", "updated", "author", "deleted")


def test_docs_list_every_field_with_the_format_that_added_it():
    """A row ``| `contact` (1) | `name`, …, `notes` (**4**) |``: the type's format, then its own
    fields, each of the type's format unless it names a later one; the common fields are the type's."""
    text = (Path(ROOT) / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    section = text[text.index("### Fields and the format that added them"):]
    section = section[: section.index("\n#", 1)]
    documented: dict[tuple[str, str], int] = {}
    for kind, version, fields in re.findall(r"^\| `(\w+)` \((\d+)\) \| (.+?) \|$", section, re.MULTILINE):
        for name in COMMON:
            documented[(kind, name)] = int(version)
        for name, later in re.findall(r"`(\w+)`(?: \(\*\*(\d+)\*\*\))?", fields):
            documented[(kind, name)] = int(later or version)
    declared = {(cls.KIND.value, name): version for cls in RECORD_TYPES
                for name, version in field_formats(cls).items()}
    assert documented == declared
