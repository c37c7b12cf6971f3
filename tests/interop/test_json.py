"""The JSON export is complete and round-trips exactly; imports validate and merge by UUID."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.audit import COLUMNS as AUDIT_COLUMNS
from irdesk.casefile.check import check_case
from irdesk.casefile.store import CaseFile
from irdesk.domain.enums import Phase
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Note
from irdesk.interop.jsonfmt import FORMAT_VERSION, write_json
from irdesk.interop.jsonimport import load_export, merge_export, restore_export, source_label
from tests.conftest import PASSPHRASE

OTHER_UUID = "0f6e9b8e-3a51-4a47-9a5e-0d1c1f2b3a4d"
FILE_HEADER = ("exported_at", "chain_head", "chain_length", "fingerprint")


def export_text(case: CaseFile) -> str:
    out = io.BytesIO()
    write_json(case, out)
    return out.getvalue().decode("utf-8")


def entry(row: list) -> dict:
    """An exported audit row (``audit_columns`` order) as a dict."""
    return dict(zip(AUDIT_COLUMNS, row, strict=True))


def load(text: str):
    return load_export(io.BytesIO(text.encode("utf-8")))


def test_export_is_complete(demo_case):
    data = json.loads(export_text(demo_case))
    kinds = {r["type"] for r in data["records"]}
    assert {"case", "note", "evidence", "custody", "contact", "engagement", "action",
            "attachment", "checklist", "indicator"} <= kinds
    assert any(r["deleted"] for r in data["records"] if r["type"] == "note")
    assert len(data["revisions"]) == 3 + 1  # edit, delete, contact role, case update by demo
    assert len(data["attachments"]) == 1
    assert data["audit_columns"] == list(AUDIT_COLUMNS)
    assert entry(data["audit"][-1])["hash"] == data["chain_head"] == demo_case.chain_head


def test_round_trip_into_a_new_case_is_exact(demo_case, tmp_path):
    first = export_text(demo_case)
    export = load(first)
    target = str(tmp_path / "restored.ircase")
    source = source_label("demo.json", export)
    restored = restore_export(target, "another passphrase 99", export, actor="Importer",
                              source=source)
    try:
        assert check_case(restored).ok, check_case(restored).problems
        second = export_text(restored)
    finally:
        restored.close()
    a, b = json.loads(first), json.loads(second)
    for key in FILE_HEADER:
        a.pop(key), b.pop(key)
    audit_a, audit_b = a.pop("audit"), b.pop("audit")
    assert a == b
    # The original chain continues; only the import's own entries follow it.
    assert audit_b[: len(audit_a)] == audit_a
    own = [entry(row) for row in audit_b[len(audit_a):]]
    assert own and {e["action"] for e in own} <= {"import", "keep"}
    assert all(e["source"] == source for e in own)


def test_merge_into_the_same_case_changes_nothing_twice(demo_case):
    export = load(export_text(demo_case))
    length = demo_case.chain_length
    summary = merge_export(demo_case, export, source="json x").value
    assert summary.added == summary.updated == summary.conflicts == summary.revisions == 0
    assert demo_case.chain_length == length


def test_merge_of_another_case_keeps_our_case_record(demo_case, tmp_path):
    export = load(export_text(demo_case))
    other = CaseFile.create(str(tmp_path / "other.ircase"), PASSPHRASE, title="Other",
                            actor="B")
    try:
        summary = merge_export(other, export, source="json demo").value
        assert other.case().title == "Other"
        assert other.counts()["note"] == demo_case.counts()["note"]
        assert summary.added == len(export.records) - 1 and "another case" in summary.sentence()
        assert check_case(other).ok, check_case(other).problems
        # Importing again adds nothing.
        again = merge_export(other, export, source="json demo").value
        assert again.added == 0 and again.unchanged == len(export.records) - 1
    finally:
        other.close()


def test_merge_takes_later_edits_and_keeps_conflicts(demo_case, tmp_path):
    base = export_text(demo_case)
    note = demo_case.notes.page()[0]
    copy = restore_export(str(tmp_path / "copy.ircase"), PASSPHRASE, load(base), actor="B",
                          source="s")
    try:
        later = ops.edit_note(copy, note.id, body="their edit").value
        ops.add_indicator(copy, kind="domain", value="evil.example")
        theirs = load(export_text(copy))
    finally:
        copy.close()
    summary = merge_export(demo_case, theirs, source="json copy").value
    assert summary.updated == 1 and summary.added == 1
    assert demo_case.records.get(Note, note.id).rev == later.rev
    assert check_case(demo_case).ok, check_case(demo_case).problems
    # Now both sides edit the same note: ours stays, theirs is kept as a conflict.
    ours = ops.edit_note(demo_case, note.id, body="our edit").value
    conflicting = json.loads(export_text(demo_case))
    for record in conflicting["records"]:
        if record["id"] == note.id:
            record.update(body="a rival edit", rev="11111111-1111-4111-8111-111111111111")
    conflicting.pop("audit")  # hand-edited: no chain to verify against
    summary = merge_export(demo_case, load(json.dumps(conflicting)), source="json rival").value
    assert summary.conflicts == 1
    assert demo_case.records.get(Note, note.id).rev == ours.rev
    kept = [r.record.body for r in demo_case.records.history(Note, note.id) if r.conflict]
    assert kept == ["a rival edit"]
    assert check_case(demo_case).ok, check_case(demo_case).problems


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="something-else"), "not an irdesk case export"),
    (lambda d: d.update(format_version=99), "newer irdesk"),
    (lambda d: d["records"].append({"type": "spaceship", "id": "x"}), "unknown record kind"),
    (lambda d: d["records"][1].update(colour="red"), "unknown field"),
    (lambda d: d["records"][1].update(id="not-a-uuid"), "not a UUID"),
    (lambda d: d["records"][1].update(body="changed"), "changed after it was exported"),
    (lambda d: d["audit"][3].__setitem__(2, "Mallory"), "audit chain is broken"),
    (lambda d: d.update(audit_columns=["seq"]), "audit_columns"),
    (lambda d: d["attachments"].update({k: "AAAA" for k in d["attachments"]}), "recorded hash"),
    (lambda d: d["records"].append(dict(d["records"][1])), "same record twice"),
    (lambda d: d["records"].append({**d["records"][0], "id": OTHER_UUID}),
     "more than one case record"),
])
def test_bad_exports_are_refused_and_the_case_is_unchanged(demo_case, mutate, message):
    data = json.loads(export_text(demo_case))
    mutate(data)
    head = demo_case.chain_head
    with pytest.raises(BadInput, match=message):
        load(json.dumps(data))
    assert demo_case.chain_head == head


def test_a_failing_write_rolls_the_whole_import_back(demo_case, tmp_path):
    other = CaseFile.create(str(tmp_path / "other.ircase"), PASSPHRASE, title="Other", actor="B")
    try:
        data = json.loads(export_text(demo_case))
        data.pop("audit")
        last_note = [r for r in data["records"] if r["type"] == "note"][-1]
        last_note["body"] = "bad \ud800 surrogate"  # valid JSON, but not storable text
        with pytest.raises(BadInput, match="not valid Unicode"):
            load(json.dumps(data))  # refused as it is read
        # The write path refuses it too, after the other records were written: all roll back.
        export = load(export_text(demo_case))
        index = next(i for i, r in reversed(list(enumerate(export.records))) if isinstance(r, Note))
        export.records[index] = dataclasses.replace(export.records[index], body="bad \ud800 surrogate")
        before = other.chain_head
        with pytest.raises(Exception, match="not valid Unicode"):
            merge_export(other, export, source="json bad")
        assert other.chain_head == before and other.counts()["note"] == 0
    finally:
        other.close()


def test_notes_of_the_imported_case_are_searchable(demo_case, tmp_path):
    other = CaseFile.create(str(tmp_path / "o.ircase"), PASSPHRASE, title="O", actor="B")
    try:
        merge_export(other, load(export_text(demo_case)), source="json")
        assert other.notes.search("lockbit3")
        ops.add_note(other, Phase.DETECTION, "still writable")
    finally:
        other.close()


def test_exported_json_equals_the_canonical_encoding(demo_case):
    from irdesk.domain.canonical import to_dict
    from irdesk.domain.records import RECORD_TYPES

    data = json.loads(export_text(demo_case))
    expected = [to_dict(r) for cls in RECORD_TYPES for r in demo_case.records.iter_all(cls)]
    assert data["records"] == expected
    revisions = [{"superseded": r.superseded.isoformat(), "conflict": r.conflict,
                  "record": to_dict(r.record)}
                 for cls in RECORD_TYPES for r in demo_case.records.all_revisions(cls)]
    assert data["revisions"] == revisions
    assert data["audit"] == [list(e.values()) for e in demo_case.chain.entries()]


def test_the_documented_json_schema_accepts_the_export_and_names_every_field(demo_case):
    import dataclasses
    import os

    import jsonschema

    from irdesk.domain.records import RECORD_TYPES

    docs = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
    with open(os.path.join(docs, "case-export.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(export_text(demo_case)), schema)
    for cls in RECORD_TYPES:  # a field added to a record must be documented too
        documented = set(schema["$defs"][f"record_{cls.KIND}"]["properties"])
        assert documented == {"type"} | {f.name for f in dataclasses.fields(cls)}
    with open(os.path.join(docs, "JSON.md"), encoding="utf-8") as handle:
        text = handle.read()
    for cls in RECORD_TYPES:
        assert f"`{cls.KIND}`" in text


def test_contact_notes_are_exported_only_when_present_and_come_back(demo_case, tmp_path):
    from irdesk.domain.records import Contact

    data = json.loads(export_text(demo_case))
    assert data["format_version"] == FORMAT_VERSION == 5  # 2 contact notes, 3 regimes, 4 systems, 5 ATT&CK and VERIS
    contacts = [r for r in data["records"] if r["type"] == "contact"]
    with_notes = [c for c in contacts if "notes" in c]
    assert with_notes and all(c["notes"] for c in with_notes)
    assert any("notes" not in c for c in contacts)  # empty: left out, as the chain hashes it
    restored = restore_export(str(tmp_path / "r.ircase"), "another passphrase 99", load(export_text(demo_case)),
                              actor="I", source="s")
    try:
        assert {c.id: c.notes for c in restored.records.all(Contact)} == \
            {c.id: c.notes for c in demo_case.records.all(Contact)}
        assert check_case(restored).ok
    finally:
        restored.close()


def test_an_export_of_format_1_without_notes_still_imports(demo_case, tmp_path):
    """What irdesk wrote before contacts had notes: format_version 1, no notes anywhere."""
    from irdesk.domain.records import Contact

    with CaseFile.create(str(tmp_path / "old.ircase"), PASSPHRASE, title="Before notes", actor="T") as old:
        ops.add_contact(old, "Marta Kowalczyk", phone="+31 10 555 0142")
        data = json.loads(export_text(old))
    data["format_version"] = 1
    assert all("notes" not in r for r in data["records"])
    export = load(json.dumps(data))
    ops_result = merge_export(demo_case, export, source="json old.json").value
    assert "1 record(s) added" in ops_result.sentence()
    (marta,) = [c for c in demo_case.records.all(Contact) if c.phone == "+31 10 555 0142" and not c.email]
    assert marta.notes == "" and check_case(demo_case).ok


@pytest.mark.parametrize("removed", ["record", "revision"])
def test_a_restore_with_a_dangling_chain_entry_is_refused(demo_case, tmp_path, removed):
    """An export with one record (or one earlier version) taken out but its audit entries kept
    used to restore with exit 0 into a file that then failed `check`."""
    data = json.loads(export_text(demo_case))
    if removed == "record":
        gone = next(r for r in data["records"] if r["type"] == "indicator")
        data["records"].remove(gone)
    else:
        gone = data["revisions"].pop()["record"]
    with pytest.raises(BadInput, match=gone["id"]):
        load(json.dumps(data))
    target = tmp_path / "restored.ircase"
    source = tmp_path / "cut.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    from irdesk.cli import run

    assert run(["import", str(target), "--format", "json", str(source)]) == 2
    assert not target.exists()


def test_a_faithful_restore_reproduces_the_chain_and_passes_check(demo_case, tmp_path):
    export = load(export_text(demo_case))
    with restore_export(str(tmp_path / "r.ircase"), PASSPHRASE, export, actor="T", source="json") as restored:
        entries = list(restored.chain.entries())
        assert [e.hash for e in entries[: len(export.chain)]] == [e.hash for e in export.chain]
        assert check_case(restored).ok
