"""Hostile input on the command line is a refusal, never a bug: any bytes, any time.

The command line runs in-process (``irdesk.cli.run``) for speed; a few subprocess checks of
the real ``irdesk`` are in ``tests/end2end/test_hostile_cli.py``. Command lines and
environments hold bytes, which Python hands over as surrogate-escaped text; each of them
ends in exit 0 (taken), 2 (bad input) or 4 (not a case, damaged), with one sentence.
"""

from __future__ import annotations

import io
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from tests.conftest import PASSPHRASE

ANY_BYTES = st.binary(min_size=0, max_size=24).map(os.fsdecode)
# What an environment can hold: any bytes but NUL, which no environment can carry.
ENV_BYTES = st.binary(min_size=0, max_size=24).map(lambda raw: os.fsdecode(raw.replace(b"\0", b"")))
TEXT = ANY_BYTES | st.text(max_size=24) | st.sampled_from(["", " ", "-", "--x", "\x00", "1e30", "10" * 30])
# Times at and past the edges, and ones whose UTC instant falls outside year 1..9999.
YEARS = st.sampled_from([1, 2, 1969, 1970, 2026, 2100, 2101, 9999]) | st.integers(1, 9999)
OFFSETS = st.sampled_from(["Z", "+00:00", "+14:00", "-12:00", "+23:59", "-23:59", ""]) | st.builds(
    "{}{:02d}:{:02d}".format, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59))
TIMES = st.builds("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}{}".format, YEARS, st.integers(1, 12), st.integers(1, 28),
                  st.integers(0, 23), st.integers(0, 59), OFFSETS) | TEXT


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("hostile") / "case.ircase")
    with CaseFile.create(path, PASSPHRASE, title="Hostile input", actor="T") as case:
        contact = ops.add_contact(case, "Marta").value
        engagement = ops.add_engagement(case, contact.id, "access").value
        evidence = ops.add_evidence(case, "disk").value
        note = ops.add_note(case, _phase(), "a note").value
    return path, {"contact": contact.id, "engagement": engagement.id, "evidence": evidence.id, "note": note.id}


def _phase():  # noqa: ANN202
    from irdesk.domain.enums import Phase

    return Phase.DETECTION


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # anything written by accident lands here, not in the checkout


def commands(case: str, ids: dict[str, str], text: str, when: str) -> list[list[str]]:
    return [
        ["note", case, "--phase", "detection", "--body", f"x{text}", "--tag", text, f"--at={when}"],
        ["search", case, text],
        ["search", case, "x", "--limit", text],
        ["contact", "add", case, "--name", f"n{text}", "--role", text, "--email", text],
        ["case", "set", case, "--title", text, "--detected-at", when],
        ["action", "add", case, "--title", text or "t", "--due", text, "--from-note", text],
        ["engagement", "set", case, ids["engagement"], "--reached-at", when, "--outcome", text],
        ["engagement", "set", case, text, "--reached-at", "now"],
        ["custody", "add", case, "--evidence", text, "--action", "stored", "--by", text],
        ["indicator", "add", case, "--kind", "domain", "--value", text or "x", "--first-seen", when],
        ["evidence", "add", case, "--label", f"l{text}", "--source", text],
        ["identity", "new", "--name", text],
        [text, case],
        ["show", text],
    ]


def outcome(argv: list[str], capsys) -> tuple[int, str]:
    """Exit code and stderr (as bytes may be written: a file name that is not UTF-8)."""
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    real = sys.stderr
    sys.stderr = err
    try:
        code = run(argv)
    finally:
        sys.stderr = real
    capsys.readouterr()
    err.flush()
    return code, err.buffer.getvalue().decode("utf-8", "surrogateescape")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
          max_examples=max(10, settings.default.max_examples // 3))
@given(text=TEXT, when=TIMES, which=st.integers(0, 13))
def test_any_argument_bytes_end_in_0_2_or_4_with_one_sentence(hostile_case, env, capsys, text, when, which):
    path, ids = hostile_case
    argv = commands(path, ids, text, when)[which]
    code, err = outcome(argv, capsys)
    assert code in (0, 2, 4), (argv, err)
    assert "hit a bug" not in err, (argv, err)
    if code:
        assert err.strip().split("\n")[-1].startswith("irdesk: "), err


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
          max_examples=max(10, settings.default.max_examples // 3))
@given(when=TIMES)
def test_any_time_is_taken_or_refused_in_bounds(hostile_case, env, capsys, when):
    path, _ids = hostile_case
    code, err = outcome(["note", path, "--phase", "detection", "--body", "t", f"--at={when}"], capsys)
    assert code in (0, 2), err
    if code == 2:
        assert len(err.strip().split("\n")) == 1, err


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=10)
@given(name=ENV_BYTES)
def test_any_author_from_the_environment(hostile_case, env, capsys, monkeypatch, name):
    path, _ids = hostile_case
    monkeypatch.setenv("IRDESK_AUTHOR", name)
    code, err = outcome(["note", path, "--phase", "detection", "--body", "from anyone"], capsys)
    assert code in (0, 2), err


def test_a_file_name_that_is_not_utf8(tmp_path, env, capsys):
    path = os.fsdecode(bytes(tmp_path) + b"/\xff\xfe case.ircase")
    CaseFile.create(path, PASSPHRASE, title="Odd name", actor="T").close()
    assert run(["show", path]) == 0
    assert run(["check", path]) == 0
    assert run(["note", path, "--phase", "detection", "--body", "x"]) == 0
    assert "Odd name" in capsys.readouterr().out
    assert os.path.exists(os.fsencode(path))
