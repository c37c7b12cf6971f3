"""The export, import and indicator commands, run in-process (with the test key derivation)."""

from __future__ import annotations

import json
import os

import pytest

# Imported at collection: urllib3 (under the validator) probes for IPv6 with a socket on
# import, which the no-network guard would take for network use. Validation is offline.
from stix2validator import ValidationOptions, validate_instance

from irdesk.casefile.check import check_case
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.demo import build_demo
from irdesk.domain.records import Contact, Indicator, Note
from tests.conftest import PASSPHRASE

FORMATS = ("json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive", "jsonl-timeline", "veris")


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def demo_path(tmp_path, env):
    path = str(tmp_path / "demo.ircase")
    with CaseFile.create(path, PASSPHRASE, title="Demo", actor="T") as case:
        build_demo(case)
    return path


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_format_writes_a_file_and_leaves_the_case_alone(demo_path, tmp_path, fmt,
                                                                      capsys):
    before = file_bytes(demo_path)
    out = str(tmp_path / f"out.{fmt}")
    assert run(["export", demo_path, "--format", fmt, "-o", out]) == 0
    assert os.path.getsize(out) > 200
    assert file_bytes(demo_path) == before
    assert [n for n in os.listdir(tmp_path) if n.endswith(".partial")] == []
    assert "Exported" in capsys.readouterr().out


def test_json_import_creates_a_new_case_and_merges_into_an_existing_one(demo_path, tmp_path,
                                                                        capsys):
    exported = str(tmp_path / "a.json")
    assert run(["export", demo_path, "--format", "json", "-o", exported]) == 0
    restored = str(tmp_path / "restored.ircase")
    assert run(["import", restored, "--format", "json", exported]) == 0
    assert "Created" in capsys.readouterr().out
    with CaseFile.open(restored, PASSPHRASE, writable=False) as case:
        assert case.case().title.startswith("Ransomware")
        assert check_case(case).ok
    other = str(tmp_path / "other.ircase")
    CaseFile.create(other, PASSPHRASE, title="Other", actor="T").close()
    assert run(["import", other, "--format", "json", exported]) == 0
    assert "another case" in capsys.readouterr().out
    with CaseFile.open(other, PASSPHRASE, writable=False) as case:
        assert case.case().title == "Other" and len(case.records.all(Indicator)) == 5


def test_bad_imports_exit_2_and_leave_the_case_unchanged(demo_path, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "irdesk-case-export", "format_version": 1, "records": []}')
    before = file_bytes(demo_path)
    assert run(["import", demo_path, "--format", "json", str(bad)]) == 2
    assert run(["import", demo_path, "--format", "vcard", str(bad)]) == 2
    assert run(["import", demo_path, "--format", "vcard", str(tmp_path / "missing.vcf")]) == 2
    err = capsys.readouterr().err
    assert "case_id" in err and "no vCard" in err and "no file" in err
    assert "Traceback" not in err
    assert file_bytes(demo_path) == before


def test_vcard_import_command(demo_path, capsys):
    data = os.path.join(os.path.dirname(__file__), "..", "interop", "data", "outlook-2.1.vcf")
    assert run(["import", demo_path, "--format", "vcard", data]) == 0
    assert "1 contact(s) added" in capsys.readouterr().out
    with CaseFile.open(demo_path, PASSPHRASE, writable=False) as case:
        assert any(c.name == "Jürgen Müller" for c in case.records.all(Contact))


def test_indicator_commands(demo_path, capsys):
    assert run(["indicator", "add", demo_path, "--kind", "ipv4", "--value", "300.1.1.1"]) == 2
    assert "not an ipv4 address" in capsys.readouterr().err
    assert run(["indicator", "add", demo_path, "--kind", "sha1", "--value", "A" * 40,
                "--description", "dropper"]) == 0
    new_id = capsys.readouterr().out.strip()
    assert run(["indicator", "list", demo_path]) == 0
    listing = capsys.readouterr().out
    assert "a" * 40 in listing and new_id in listing and "dropper" in listing
    assert run(["indicator", "extract", demo_path]) == 0
    assert "Found 0 new indicator(s)." in capsys.readouterr().out  # the demo's IP is recorded


def test_stix_export_validates(demo_path, tmp_path):
    out = str(tmp_path / "case.stix.json")
    assert run(["export", demo_path, "--format", "stix", "-o", out]) == 0
    with open(out, encoding="utf-8") as handle:
        results = validate_instance(json.load(handle), ValidationOptions(strict=True))
    assert results.is_valid


def test_attack_on_note_and_indicator_add(tmp_path, env, capsys):
    path = str(tmp_path / "c.ircase")
    with CaseFile.create(path, PASSPHRASE, title="C", actor="T"):
        pass
    assert run(["note", path, "--phase", "detection", "--body", "x",
                "--attack", "t1486", "--attack", "T1078.002"]) == 0
    capsys.readouterr()
    assert run(["note", path, "--phase", "detection", "--body", "x", "--attack", "T9999"]) == 2
    err = capsys.readouterr().err
    assert "T9999 is not a technique in ATT&CK Enterprise v18.1" in err and "Traceback" not in err
    assert run(["indicator", "add", path, "--kind", "ipv4", "--value", "10.0.0.9",
                "--attack", "T1002"]) == 2
    assert "use T1560 (Archive Collected Data)" in capsys.readouterr().err
    assert run(["indicator", "add", path, "--kind", "ipv4", "--value", "10.0.0.9",
                "--attack", "T1026"]) == 0
    out = capsys.readouterr()
    assert "T1026 (Multiband Communication) is deprecated" in out.err
    assert run(["indicator", "list", path]) == 0
    assert "ATT&CK T1026 Multiband Communication (deprecated)" in capsys.readouterr().out
    with CaseFile.open(path, PASSPHRASE) as case:
        (note,) = case.records.all(Note)
        assert note.attack == ("T1486", "T1078.002")
        assert case.counts()["note"] == 1 and len(case.records.all(Indicator)) == 1


def test_misp_export_and_import_from_the_command_line(demo_path, tmp_path, capsys):
    out = str(tmp_path / "event.misp.json")
    assert run(["export", demo_path, "--format", "misp", "-o", out]) == 0
    assert "Exported 5 attribute(s)" in capsys.readouterr().out
    other = str(tmp_path / "other.ircase")
    with CaseFile.create(other, PASSPHRASE, title="Other", actor="T"):
        pass
    assert run(["import", other, "--format", "misp", out]) == 0
    said = capsys.readouterr().out
    assert said.startswith("5 indicator(s) added, 0 already recorded; 4 attribute(s) skipped")
    assert "(4 text)" in said
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    assert run(["import", other, "--format", "misp", str(bad)]) == 2
    assert "not a MISP event" in capsys.readouterr().err
    with CaseFile.open(other, PASSPHRASE) as case:
        assert len(case.records.all(Indicator)) == 5


def test_case_set_veris_classification_and_the_veris_export(tmp_path, env, capsys):
    path = str(tmp_path / "c.ircase")
    with CaseFile.create(path, PASSPHRASE, title="C", actor="T"):
        pass
    assert run(["case", "set", path, "--veris-discovery", "internal/log review",
                "--veris-actor", "external/Organized crime", "--veris-action", "malware/Ransomware",
                "--veris-action", "hacking/Use of stolen creds", "--veris-asset", "S - File"]) == 0
    capsys.readouterr()
    assert run(["case", "set", path, "--veris-action", "malware/Teleportation"]) == 2
    err = capsys.readouterr().err
    assert "'Teleportation' is not a VERIS 1.4 variety of action 'malware'" in err and "Traceback" not in err
    out = str(tmp_path / "c.veris.json")
    assert run(["export", path, "--format", "veris", "-o", out]) == 0
    with open(out, encoding="utf-8") as handle:
        record = json.load(handle)
    assert record["discovery_method"] == {"internal": {"variety": ["Log review"]}}
    assert record["action"]["malware"]["variety"] == ["Ransomware"]
    assert run(["case", "set", path, "--veris-action", ""]) == 0  # '' clears the list
    with CaseFile.open(path, PASSPHRASE) as case:
        assert case.case().veris_actions == () and case.case().veris_assets == ("S - File",)
