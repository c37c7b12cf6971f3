"""Helpers to build hostile case files: raw SQLCipher access, page surgery, content dumps."""

from __future__ import annotations

import sqlcipher3

from irdesk.casefile.check import check_case
from irdesk.casefile.errors import CaseFileError
from irdesk.casefile.store import CaseFile
from irdesk.domain.canonical import to_dict
from irdesk.domain.records import RECORD_TYPES

PAGE = 4096


def raw_connect(path: str, raw_key: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{raw_key}"')
    return conn


def pages(data: bytes) -> list[bytes]:
    return [data[i : i + PAGE] for i in range(0, len(data), PAGE)]


def dump(case: CaseFile) -> list[dict]:
    """Everything the case says, as plain data."""
    return [to_dict(r) for cls in RECORD_TYPES for r in case.records.iter_all(cls)]


def verdict(path: str, passphrase: str) -> tuple[str, list[dict] | None]:
    """'rejected' (typed error on open), 'flagged' (check found problems) or 'clean' + content."""
    try:
        case = CaseFile.open(path, passphrase, actor="t", writable=False)
    except CaseFileError as exc:
        return f"rejected:{type(exc).__name__}", None
    try:
        report = check_case(case)
        if not report.ok:
            return "flagged", None
        return "clean", dump(case)
    except CaseFileError as exc:
        return f"rejected:{type(exc).__name__}", None
    finally:
        case.close()


# ---------------------------------------------------------------- forging one record

FORGED = "FORGED-BY-MALLORY"
# Record kind -> (table, the column a forger rewrites); "revision" rewrites a kept revision.
FORGERIES = {
    "case": ("cases", "title"),
    "note": ("notes", "body"),
    "evidence": ("evidence", "label"),
    "custody": ("custody_events", "by_whom"),
    "contact": ("contacts", "name"),
    "engagement": ("engagements", "purpose"),
    "action": ("action_items", "title"),
    "indicator": ("indicators", "description"),
    "attachment": ("attachments", "name"),
    "checklist": ("checklist_items", "text"),
    "regime": ("regimes", "name"),
    "notification": ("notifications", "reference"),
}
FORGED_KINDS = (*FORGERIES, "revision")


def every_kind(path: str, passphrase: str) -> dict[str, str]:
    """A case holding one record of every kind the forger goes for, and an edited note (its
    first text is a kept revision); returns the id to forge for each kind."""
    from irdesk.casefile import operations as ops
    from irdesk.domain.enums import ContactKind, CustodyAction, IndicatorKind, Phase, RegimeKind
    from irdesk.domain.moment import Moment

    with CaseFile.create(path, passphrase, title="The genuine case", actor="Ana") as case:
        note = ops.add_note(case, Phase.DETECTION, "the genuine note about the hypervisor").value
        ops.edit_note(case, note.id, body="the genuine note about the hypervisor, edited")
        evidence = ops.add_evidence(case, "Disk image of FS01").value
        custody = ops.add_custody(case, evidence.id, CustodyAction.COLLECTED, by_whom="Ana").value
        contact = ops.add_contact(case, "Marta Ruiz").value
        engagement = ops.add_engagement(case, contact.id, "hypervisor access").value
        action = ops.add_action(case, "Alert on new inbox rules").value
        indicator = ops.add_indicator(case, IndicatorKind.IPV4, "10.20.4.17", description="C2 server").value
        attachment = ops.attach(case, "log.txt", b"a genuine log excerpt").value
        [checklist] = ops.add_checklist_items(case, ["Call list is current"]).value
        dpa = ops.add_contact(case, "Autoriteit Persoonsgegevens", kind=ContactKind.REGULATOR).value
        regime = ops.add_regime(case, RegimeKind.GDPR, name="Dutch DPA",
                                aware_at=Moment.parse("2026-10-12T08:10+02:00")).value
        notification = ops.add_notification(case, regime.id, "notification", Moment.parse("2026-10-13T12:00+02:00"),
                                            dpa.id, reference="AP-2026-genuine").value
        return {"case": case.case_id, "note": note.id, "evidence": evidence.id, "custody": custody.id,
                "contact": contact.id, "engagement": engagement.id, "action": action.id,
                "indicator": indicator.id, "attachment": attachment.id, "checklist": checklist.id,
                "regime": regime.id, "notification": notification.id, "revision": note.id}


def forge(path: str, raw_key: str, kind: str, record_id: str) -> None:
    """What the issue's forger did: rewrite one row with plain sqlcipher3 and the raw key."""
    import json

    from irdesk.domain.canonical import canonical_json

    conn = raw_connect(path, raw_key)
    try:
        if kind == "revision":
            (text,) = conn.execute("SELECT json FROM revisions WHERE record_id = ?", (record_id,)).fetchone()
            data = json.loads(text)
            data["body"] = FORGED
            conn.execute("UPDATE revisions SET json = ? WHERE record_id = ?",
                         (canonical_json(data).decode("utf-8"), record_id))
        else:
            table, column = FORGERIES[kind]
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (FORGED, record_id))
    finally:
        conn.close()
