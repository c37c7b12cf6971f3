"""The CSV and JSON-lines timelines, read by Timesketch's own importers.

``timesketch.lib.utils.read_and_validate_csv`` and ``read_and_validate_jsonl`` are what a
Timesketch server runs on an uploaded timeline. They drop a row they cannot parse with only a
log line, so every test counts: the rows they yield must be exactly the rows written.
Timesketch is installed without its dependencies (``make test`` does it, pinned: see
requirements-timesketch.txt); only pandas, PyYAML and Flask are needed by these functions.
"""

from __future__ import annotations

import io
import json
import logging
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.domain import attack
from irdesk.domain.enums import Phase
from irdesk.domain.records import Note
from irdesk.interop.timeline import COLUMNS, events, write_jsonl_timeline, write_timeline
from tests.conftest import PASSPHRASE

try:
    from timesketch.lib import utils
except ImportError:  # `make test` installs it (and says so with IRDESK_TEST_TIMESKETCH): never skipped there
    if os.environ.get("IRDESK_TEST_TIMESKETCH"):
        raise
    pytest.skip("needs timesketch: `make test` installs requirements-timesketch.txt --no-deps",
                allow_module_level=True)


def csv_text(case) -> str:
    out = io.StringIO(newline="")
    with case.verified():  # as export_case writes it
        write_timeline(case, out)
    return out.getvalue()


def jsonl_text(case) -> str:
    out = io.StringIO()
    with case.verified():
        write_jsonl_timeline(case, out)
    return out.getvalue()


def verified_events(case) -> list:
    with case.verified():
        return list(events(case))


def test_the_timelines_write_the_notes_the_verifying_pass_kept_exactly_as_a_second_read_would(demo_case):
    """export_case asks the pass to keep the note rows it checked (the notes are read once);
    the lines must be the very lines a separate read of the notes gives, tombstones left out."""
    victim = demo_case.notes.page(limit=1)[0]
    ops.delete(demo_case, Note, victim.id)
    for write in (write_timeline, write_jsonl_timeline):
        kept, read = io.StringIO(newline=""), io.StringIO(newline="")
        with demo_case.verified(keep_notes=True):
            assert demo_case.records.kept_notes() is not None
            write(demo_case, kept)
        with demo_case.verified():
            assert demo_case.records.kept_notes() is None
            write(demo_case, read)
        assert kept.getvalue() == read.getvalue()
        assert victim.id not in kept.getvalue()
    assert demo_case.records.kept_notes() is None  # nothing held once the block ends


def test_the_timeline_reads_note_columns_only_inside_the_verified_block(case):
    with pytest.raises(RuntimeError, match="verified"):
        events(case)


def through_timesketch_csv(text: str) -> list[dict]:
    return list(utils.read_and_validate_csv(io.StringIO(text, newline="")))


def through_timesketch_jsonl(text: str) -> list[dict]:
    return list(utils.read_and_validate_jsonl(io.StringIO(text)))


@pytest.fixture(autouse=True)
def no_dropped_rows(caplog):
    """Timesketch logs each row it drops; a test fails on any such line."""
    caplog.set_level(logging.WARNING, logger="timesketch")
    yield
    assert [r.getMessage() for r in caplog.records if r.name.startswith("timesketch")] == []


def test_timesketch_reads_every_row_of_the_demo_csv(demo_case):
    written = verified_events(demo_case)
    rows = through_timesketch_csv(csv_text(demo_case))
    assert len(rows) == len(written) > 40
    assert [r["message"] for r in rows] == [e.message for e in written]
    assert [r["timestamp_desc"] for r in rows] == [e.description for e in written]
    assert [r["record_id"] for r in rows] == [e.record_id for e in written]
    # Timesketch's own microsecond timestamps are the instants we wrote.
    assert [int(r["timestamp"]) for r in rows] == [e.micros for e in written]
    # Timesketch leaves out a row's empty cells; every column is there where it has a value.
    assert set().union(*rows) == set(COLUMNS) | {"timestamp"}


def test_timesketch_reads_every_line_of_the_demo_jsonl(demo_case):
    written = verified_events(demo_case)
    text = jsonl_text(demo_case)
    assert text.count("\n") == len(written)
    rows = through_timesketch_jsonl(text)
    assert len(rows) == len(written)
    assert [r["message"] for r in rows] == [e.message for e in written]
    assert [r["timestamp"] for r in rows] == [e.micros for e in written]
    tagged = [r for r in rows if r["attack"]]
    assert tagged and all(r["tactics"] for r in tagged)
    ransom = next(r for r in rows if r["message"].startswith("Service desk ticket"))
    assert ransom["attack"] == ["T1486"] and ransom["tactics"] == ["impact"]
    assert ransom["tag"] == ["ticket"]


def test_the_timelines_group_attack_tags_by_tactic(case):
    ops.add_note(case, Phase.DETECTION, "x", attack=["T1486", "T1078.002"])
    (row,) = through_timesketch_csv(csv_text(case))
    assert row["attack"] == "T1486, T1078.002"
    expected = [name for name, _ in attack.by_tactic(["T1486", "T1078.002"])]
    assert row["tactics"] == ", ".join(expected) and expected[-1] == "impact"
    (line,) = through_timesketch_jsonl(jsonl_text(case))
    assert line["tactics"] == expected


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=200).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4), st.lists(st.sampled_from(["a", "b,c", "ü"]), max_size=2))
def test_any_note_text_gives_as_many_timesketch_rows_as_written(tmp_path_factory, bodies, tags):
    path = tmp_path_factory.mktemp("ts") / "c.ircase"
    with CaseFile.create(str(path), PASSPHRASE, title="t", actor="a") as case:
        for body in bodies:
            ops.add_note(case, Phase.DETECTION, body, tags=tags, attack=["T1486"])
        written = verified_events(case)
        csv_rows = through_timesketch_csv(csv_text(case))
        jsonl_rows = through_timesketch_jsonl(jsonl_text(case))
    assert len(csv_rows) == len(jsonl_rows) == len(written) == len(bodies)
    assert [r["message"] for r in jsonl_rows] == [e.message for e in written]  # JSONL: exact
    for row, event in zip(csv_rows, written, strict=True):
        # Timesketch reads CSV with pandas, which takes a cell like "None", "NA" or "00" for a
        # missing value or a number (docs/INTEROP.md says so); every other text comes back as is.
        if not pandas_coerces(event.message):
            assert row["message"] == event.message
    assert all(json.dumps(r) for r in jsonl_rows)


def pandas_coerces(text: str) -> bool:
    from pandas._libs.parsers import STR_NA_VALUES

    if text in STR_NA_VALUES or text.strip() in STR_NA_VALUES:
        return True
    try:
        float(text)
    except ValueError:
        return text.strip() in ("True", "False", "true", "false", "TRUE", "FALSE")
    return True
