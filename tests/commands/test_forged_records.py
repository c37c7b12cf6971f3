"""A record forged behind the chain is never printed, signed, exported or handed off.

For every record kind and for a kept revision, one row is rewritten with plain sqlcipher3
and the raw key (what the issue's forger did). Every command that lets case data out must
then refuse with exit 4 in one sentence naming the record and pointing to `irdesk check`,
leave no output behind, and leave the case byte for byte as it was (the report appends
nothing to the damaged chain).
"""

from __future__ import annotations

import os

import pytest

from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from tests.casefile.tamper import FORGED, FORGED_KINDS, every_kind, forge
from tests.conftest import PASSPHRASE
from tests.report.fixtures import identity_home  # noqa: F401

COLLEAGUE = "violet-anchor-93-meadow-x"
IDENTITY = "identity-passphrase-1"


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    """One genuine case (copied for each test): building it is the slow part."""
    folder = tmp_path_factory.mktemp("genuine")
    path = str(folder / "case.ircase")
    ids = every_kind(path, PASSPHRASE)
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        raw = case.raw_key()
    return path, ids, raw


def commands(case: str, out: str) -> dict[str, list[str]]:
    found = {
        "report": ["report", case, "-o", os.path.join(out, "report.pdf")],
        "report --sign": ["report", case, "-o", os.path.join(out, "signed.pdf"), "--sign"],
        "show": ["show", case],
        "search": ["search", case, "genuine"],
        "handoff": ["handoff", case, "-o", os.path.join(out, "copy.ircase")],
    }
    for fmt in ("json", "markdown", "csv-timeline", "stix", "vcard", "misp", "thehive", "jsonl-timeline", "veris"):
        found[f"export {fmt}"] = ["export", case, "--format", fmt, "-o", os.path.join(out, f"out.{fmt}")]
    return found


@pytest.fixture
def signing(identity_home, monkeypatch):  # noqa: F811
    from irdesk.identity.keys import create_identity

    create_identity("Ana Responder", IDENTITY)
    monkeypatch.setenv("IRDESK_IDENTITY_PASSPHRASE", IDENTITY)


@pytest.mark.parametrize("kind", FORGED_KINDS)
def test_a_forged_record_is_refused_by_every_command_that_lets_data_out(genuine, kind, tmp_path, monkeypatch,
                                                                         capsys, signing):
    template, ids, raw = genuine
    path = str(tmp_path / "case.ircase")
    with open(template, "rb") as source, open(path, "wb") as target:
        target.write(source.read())
    forge(path, raw, kind, ids[kind])
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", COLLEAGUE)
    before = file_bytes(path)
    for name, argv in commands(path, str(out)).items():
        code = run(argv)
        captured = capsys.readouterr()
        assert code == 4, f"{name} on a forged {kind}: exit {code}\n{captured.err}"
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and ids[kind] in lines[0] and "irdesk check" in lines[0], (name, captured.err)
        assert FORGED not in captured.out + captured.err, name
        assert os.listdir(out) == [], f"{name} left {os.listdir(out)}"
        assert file_bytes(path) == before, f"{name} changed the forged case"


def test_the_genuine_case_passes_every_one_of_those_commands(genuine, tmp_path, monkeypatch, capsys, signing):
    template, _ids, _raw = genuine
    path = str(tmp_path / "case.ircase")
    with open(template, "rb") as source, open(path, "wb") as target:
        target.write(source.read())
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", COLLEAGUE)
    for name, argv in commands(path, str(out)).items():
        assert run(argv) == 0, f"{name}: {capsys.readouterr().err}"
    assert len(os.listdir(out)) == 12  # two reports, a copy, nine exports
