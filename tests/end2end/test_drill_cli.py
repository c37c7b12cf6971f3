"""``irdesk drill new`` through the real command: a drill made, run and filed back (refusals are
tested in-process, in ``tests/commands/test_drill_commands.py``)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.end2end.test_book_cli import irdesk

pytestmark = pytest.mark.e2e


def test_a_drill_from_the_book_and_back(irdesk_env, tmp_path):
    book, drill = str(tmp_path / "team.irbook"), str(tmp_path / "drill.ircase")
    irdesk(irdesk_env, "book", "new", book, "--title", "SOC readiness", check_rc=0)
    dana = irdesk(irdesk_env, "book", "contact", "add", book, "--name", "Dana Ng", "--phone", "+1 555 0100",
                  check_rc=0).stdout.strip()
    made = irdesk(irdesk_env, "drill", "new", book, "-o", drill, check_rc=0)
    assert "reach Dana Ng through phone +1 555 0100" in made.stderr
    exported = str(tmp_path / "drill.json")
    irdesk(irdesk_env, "export", drill, "--format", "json", "-o", exported, check_rc=0)
    with open(exported, encoding="utf-8") as handle:
        [engagement] = [r["id"] for r in json.load(handle)["records"] if r["type"] == "engagement"]
    irdesk(irdesk_env, "engagement", "set", drill, engagement, "--reached-at", "now", check_rc=0)
    assert "Filed “Drill " in irdesk(irdesk_env, "book", "file", book, drill, check_rc=0).stdout
    shown = irdesk(irdesk_env, "book", "show", book, check_rc=0).stdout
    assert "Register: 0 incident(s), 1 drill(s) filed" in shown and "Per quarter: drills" in shown
    assert "Per quarter: incidents" not in shown
    assert f"Dana Ng: verified {date.today().isoformat()}" in shown and dana in shown
