"""Fixtures for the import/export tests: a demo case with indicators, edits and conflicts."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.store import CaseFile
from irdesk.demo import build_demo
from irdesk.domain.records import Contact, Note
from tests.conftest import PASSPHRASE


@pytest.fixture
def demo_case(tmp_path):
    """The demo incident, plus one edited and one deleted note (so revisions and tombstones)."""
    case = CaseFile.create(str(tmp_path / "demo.ircase"), PASSPHRASE, title="Demo",
                           actor="Test Responder")
    build_demo(case)
    notes = case.notes.page()
    ops.edit_note(case, notes[2].id, body=notes[2].body + "\n\nEdited: confirmed by a second log.")
    ops.delete(case, Note, notes[4].id)
    contact = case.records.all(Contact)[0]
    ops.edit_contact(case, contact.id, role="Infrastructure lead")
    yield case
    case.close()
