"""``irdesk regime`` and ``irdesk notification``, run in-process through ``irdesk.cli.run``."""

from __future__ import annotations

import uuid

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.enums import ContactKind, RegimeKind
from irdesk.domain.records import Notification, Regime
from tests.conftest import PASSPHRASE


@pytest.fixture
def cli_case(case, monkeypatch, capsys):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    path = case.path
    dpa = ops.add_contact(case, "Dutch DPA", kind=ContactKind.REGULATOR).value
    case.close()
    capsys.readouterr()
    return path, dpa.id


def printed_id(capsys) -> str:
    text = capsys.readouterr().out.strip()
    uuid.UUID(text)  # each add prints only the UUID it created
    return text


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_regimes_and_notifications_from_the_command_line(cli_case, capsys):
    path, dpa = cli_case
    assert run(["regime", "add", path, "--regime", "nis2", "--aware-at", "2026-10-12T08:10+01:00",
                "--jurisdiction", "nl", "--time-zone", "Europe/Amsterdam", "--name", "NCSC"]) == 0
    nis2 = printed_id(capsys)
    assert run(["regime", "add", path, "--regime", "sec-8k", "--determined-at", "2026-11-23T16:00-05:00",
                "--time-zone", "America/New_York"]) == 0
    printed_id(capsys)
    assert run(["regime", "add", path, "--regime", "custom", "--name", "UK ICO", "--stage", "initial=72h",
                "--stage", "follow-up=1mo after initial"]) == 0
    printed_id(capsys)
    assert run(["notification", "add", path, "--regime", "nis2", "--stage", "early warning",
                "--sent-at", "2026-10-12T20:00+01:00", "--to", dpa, "--reference", "EW-1"]) == 0
    early = printed_id(capsys)
    assert run(["notification", "add", path, "--regime", nis2, "--stage", "incident-notification",
                "--sent-at", "2026-10-16T09:00+02:00", "--to", dpa, "--late-reason", "Waited for the DPO"]) == 0
    printed_id(capsys)
    assert run(["regime", "set", path, "custom", "--aware-at", "2026-10-12T10:00Z"]) == 0
    assert run(["notification", "set", path, early, "--reference", "EW-1b"]) == 0
    capsys.readouterr()
    with CaseFile.open(path, PASSPHRASE, writable=False) as case:
        regime = case.records.get(Regime, nis2)
        assert (regime.kind, regime.name, regime.jurisdiction, regime.time_zone) == (
            RegimeKind.NIS2, "NCSC", "NL", "Europe/Amsterdam")
        assert case.records.get(Notification, early).reference == "EW-1b"
    assert run(["show", path]) == 0
    shown = capsys.readouterr().out
    assert "Regulatory deadlines (as of" in shown
    assert "[met]     NIS2 (NCSC) early warning: met, 12 h 10 min to spare" in shown
    assert "[LATE]    NIS2 (NCSC) incident notification: late by 23 h 50 min" in shown
    assert "reason for the delay: Waited for the DPO" in shown
    assert "SEC 8-K filing" in shown and "due 2026-11-30 23:59 -05:00" in shown
    assert "UK ICO follow-up: not yet triggered: the initial has not been sent" in shown


@pytest.mark.parametrize(("argv", "message"), [
    (["regime", "add", "{path}", "--regime", "gdpr", "--aware-at", "2101-01-01T00:00Z"],
     "--aware-at 2101-01-01T00:00:00.000000+00:00 is out of range"),
    (["regime", "add", "{path}", "--regime", "gdpr", "--ransom-paid-at", "now"], "no clock that starts at"),
    (["regime", "add", "{path}", "--regime", "dora", "--aware-at", "2026-10-12T08:00Z",
      "--classified-at", "2026-10-12T07:00Z"], "cannot come before awareness"),
    (["regime", "add", "{path}", "--regime", "custom", "--stage", "x=1h"], "needs --name"),
    (["regime", "add", "{path}", "--regime", "gdpr", "--stage", "x=1h"], "is for a custom regime"),
    (["regime", "add", "{path}", "--regime", "custom", "--name", "X", "--stage", "x=soon"], "not a period"),
    (["regime", "add", "{path}", "--regime", "gdpr", "--jurisdiction", "XX"], "not a country code"),
    (["regime", "add", "{path}", "--regime", "gdpr", "--aware-at", "yesterday"], "ISO 8601"),
    (["regime", "add", "{path}", "--regime", "hipaa"], "choose one of"),
    (["notification", "add", "{path}", "--regime", "gdpr", "--stage", "notification", "--sent-at", "now",
      "--to", "{dpa}"], "no regime “gdpr”"),
])
def test_refusals_are_one_sentence_and_change_nothing(cli_case, capsys, argv, message):
    path, dpa = cli_case
    before = file_bytes(path)
    assert run([a.format(path=path, dpa=dpa) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert file_bytes(path) == before


def test_notification_refusals_name_both_times(cli_case, capsys):
    path, dpa = cli_case
    assert run(["regime", "add", path, "--regime", "gdpr", "--aware-at", "2026-10-12T08:10+01:00"]) == 0
    capsys.readouterr()
    before = file_bytes(path)
    assert run(["notification", "add", path, "--regime", "gdpr", "--stage", "notification",
                "--sent-at", "2026-10-12T07:00+01:00", "--to", dpa]) == 2
    assert ("irdesk: The GDPR notification is sent at 2026-10-12 07:00 +01:00, before awareness at "
            "2026-10-12 08:10 +01:00.") in capsys.readouterr().err
    assert run(["notification", "add", path, "--regime", "gdpr", "--stage", "final", "--sent-at", "now",
                "--to", dpa]) == 2
    assert "GDPR has no stage “final”; its stages are notification." in capsys.readouterr().err
    assert file_bytes(path) == before


def test_two_regimes_of_a_kind_are_named_by_id(cli_case, capsys):
    path, dpa = cli_case
    assert run(["regime", "add", path, "--regime", "gdpr", "--name", "Dutch DPA"]) == 0
    assert run(["regime", "add", path, "--regime", "gdpr", "--name", "Belgian DPA"]) == 0
    capsys.readouterr()
    assert run(["regime", "set", path, "gdpr", "--aware-at", "now"]) == 2
    assert "The case has 2 gdpr regimes; name one by its id" in capsys.readouterr().err
    assert run(["regime", "add", path, "--regime", "gdpr", "--name", "dutch dpa"]) == 2
    assert "already applies" in capsys.readouterr().err
