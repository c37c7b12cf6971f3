"""Markdown and CSV-timeline exports: complete, readable, and safe with hostile note text."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.domain.enums import Phase
from irdesk.domain.records import CustodyEvent, Engagement, Note
from irdesk.interop.markdown import cell, write_markdown
from irdesk.interop.timeline import COLUMNS, write_timeline


def markdown_of(case) -> str:
    out = io.StringIO()
    write_markdown(case, out)
    return out.getvalue()


def timeline_of(case) -> list[dict[str, str]]:
    out = io.StringIO()
    with case.verified():  # as export_case writes it
        write_timeline(case, out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_markdown_holds_every_phase_and_every_note(demo_case):
    text = markdown_of(demo_case)
    for phase in Phase:
        assert f"## {phase.label}" in text and phase.csf in text
    for note in demo_case.records.all(Note, include_deleted=True):
        first_line = note.body.splitlines()[0]
        assert f"> {first_line}" in text
    assert "**deleted**" in text and "Earlier versions" in text
    assert "**TLP:AMBER**" in text and "Chain of custody: FS01 memory snapshot" in text
    assert "lockbit-leaks.example" in text and "Marta Kowalczyk" in text
    assert "Keep firewall logs for 180 days" in text


def test_markdown_lists_every_regulatory_deadline(demo_case):
    text = markdown_of(demo_case)
    assert "## Regulatory notifications" in text
    row = next(line for line in text.splitlines() if line.startswith("| NIS2 final report |"))
    assert "late by 4 d 0 h" in row and "NCSC incident desk" in row and "root-cause analysis" in row


def test_markdown_contains_hostile_note_text(case):
    ops.add_note(case, Phase.DETECTION, "# Fake heading\n| a | b |\n<script>x</script>")
    text = markdown_of(case)
    assert "\n# Fake heading" not in text and "> # Fake heading" in text
    assert cell("a|b\nc") == "a\\|b<br>c"


def test_timeline_has_timesketch_columns_and_every_timed_event(demo_case):
    rows = timeline_of(demo_case)
    assert list(rows[0]) == list(COLUMNS)
    sources = [r["source"] for r in rows]
    live_notes = demo_case.notes.count()
    assert sources.count("note") == live_notes
    assert sources.count("custody") == len(demo_case.records.all(CustodyEvent))
    engagement_times = sum(1 for e in demo_case.records.all(Engagement) for t in
                           (e.needed_at, e.first_attempt_at, e.reached_at, e.resolved_at) if t)
    assert sources.count("engagement") == engagement_times
    assert sources.count("case") == 6  # the demo's key times, closed_at unset
    assert sources.count("regime") == 2 and sources.count("notification") == 4  # GDPR and NIS2, awareness
    late = next(r for r in rows if r["message"].startswith("NIS2 final report sent"))
    assert "late by 4 d 0 h" in late["message"] and late["timestamp_desc"] == "Notification sent"
    times = [datetime.fromisoformat(r["datetime"]) for r in rows]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
    assert all(r["message"] and r["timestamp_desc"] for r in rows)


@given(st.text(min_size=1, max_size=200).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_note_text_survives_the_csv_exactly(tmp_path_factory, body):
    from irdesk.casefile.store import CaseFile
    from tests.conftest import PASSPHRASE

    body = body.encode("utf-8", "replace").decode("utf-8")
    path = tmp_path_factory.mktemp("csv") / "c.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="t", actor="a") as case:
        ops.add_note(case, Phase.DETECTION, body)
        [row] = timeline_of(case)
    assert row["message"] == body
