"""``irdesk drill new`` in-process: the drill case, which passphrase it takes, and refusals of
hostile ids and output paths (one sentence, exit 2, nothing written)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.records import Engagement, Evidence
from tests.conftest import PASSPHRASE

BOOK_PASS = "book-lantern-orbit-58-quartz"
DRILL_PASS = "drill-compass-meadow-91-violet"


@pytest.fixture
def book(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    monkeypatch.delenv("IRDESK_NEW_PASSPHRASE", raising=False)
    path = str(tmp_path / "team.irbook")
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", BOOK_PASS)
    assert run(["book", "new", path, "--title", "SOC", "--tlp", "green"]) == 0
    monkeypatch.delenv("IRDESK_NEW_PASSPHRASE")
    assert run(["book", "contact", "add", path, "--name", "Dana Ng", "--phone", "+1 555 0100"]) == 0
    assert run(["book", "contact", "add", path, "--name", "Lee Park", "--email", "lee@example.org",
                "--verified", "2026-01-05"]) == 0
    assert run(["book", "system", "add", path, "--name", "Edge firewall", "--logs", "traffic"]) == 0
    capsys.readouterr()
    return path


def ids(capsys) -> list[str]:
    return capsys.readouterr().out.split()


def test_drill_new_makes_a_drill_case(book, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", DRILL_PASS)  # preferred to IRDESK_PASSPHRASE, as for `new`
    out = str(tmp_path / "drill.ircase")
    assert run(["drill", "new", book, "-o", out]) == 0
    said = capsys.readouterr()
    [drill_id] = said.out.split()
    assert "Drill with 3 task(s):" in said.err and "reach Dana Ng through phone +1 555 0100" in said.err
    with CaseFile.open(out, DRILL_PASS, writable=False) as case:
        c = case.case()
        assert case.case_id == drill_id and c.drill and c.tlp.value == "green"  # the book's marking
        assert c.title.startswith("Drill ") and len(case.records.all(Engagement)) == 2
        assert [e.label for e in case.records.all(Evidence)] == ["Drill: request the logs of Edge firewall (traffic) "
                                                                 "from its owner (the book names none: find out who)"]


def test_drill_new_falls_back_to_the_case_passphrase_and_takes_named_ones(book, tmp_path, capsys):
    assert run(["book", "show", book]) == 0
    capsys.readouterr()
    from irdesk.casefile.book_store import BookFile
    from irdesk.domain.book import BookContact

    with BookFile.open(book, BOOK_PASS, writable=False) as opened:
        lee = next(c.id for c in opened.records.all(BookContact) if c.name == "Lee Park")
    out = str(tmp_path / "named.ircase")
    assert run(["drill", "new", book, "-o", out, "--contact", lee, "--title", "Lee's drill"]) == 0
    with CaseFile.open(out, PASSPHRASE, writable=False) as case:
        assert case.case().title == "Lee's drill"
        assert len(case.records.all(Engagement)) == 1 and case.records.all(Evidence) == []


HOSTILE_IDS = ["", "nope", "' OR 1=1 --", "../../etc/passwd", "\x1b[31mred\x1b[0m", "x" * 5000, "%s%n",
               "00000000-0000-0000-0000-000000000000"]


@pytest.mark.parametrize("option", ["--contact", "--system"])
@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_an_unknown_or_hostile_id_is_one_sentence_and_nothing_is_written(book, tmp_path, capsys, option, hostile):
    out = str(tmp_path / "drill.ircase")
    assert run(["drill", "new", book, "-o", out, option, hostile]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("irdesk: The book has no ") and "\n" not in err and "Traceback" not in err
    assert "\x1b" not in err and len(err) < 300
    assert not os.path.lexists(out)


def test_counts_are_checked(book, tmp_path, capsys):
    out = str(tmp_path / "drill.ircase")
    assert run(["drill", "new", book, "-o", out, "--contacts", "0", "--systems", "0"]) == 2
    assert "nothing to drill" in capsys.readouterr().err
    assert run(["drill", "new", book, "-o", out, "--contacts", "-1"]) == 2
    assert run(["drill", "new", book, "-o", out, "--contacts", "9999"]) == 2
    assert not os.path.lexists(out)


def test_hostile_output_paths_are_refused_before_any_passphrase(book, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("IRDESK_BOOK_PASSPHRASE")  # a prompt would fail: refusals come first
    monkeypatch.delenv("IRDESK_PASSPHRASE")
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    case_file = tmp_path / "other.ircase"
    case_file.write_bytes(b"\0" * 4096)
    link = tmp_path / "link.ircase"
    link.symlink_to(book)
    before = {p.name: p.stat().st_size for p in tmp_path.iterdir() if not p.is_symlink()}
    for target, said in [(book, "is a readiness book"), (str(existing), "exists"), (str(case_file), "case file"),
                         (str(link), "is a readiness book"), (str(tmp_path / "missing" / "d.ircase"), "does not exist"),
                         (str(tmp_path), "is a folder"), (str(tmp_path / "d.irbook"), "*.ircase")]:
        assert run(["drill", "new", book, "-o", target]) == 2, target
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, (target, err)
    assert {p.name: p.stat().st_size for p in tmp_path.iterdir() if not p.is_symlink()} == before
    assert existing.read_text() == "keep me"


@pytest.fixture(scope="module")
def shared_book(tmp_path_factory):
    """One book for the property tests (filled once: they only read it)."""
    from irdesk.casefile.book_store import BookFile
    from irdesk.casefile.operations.book import add_book_contact, add_system

    path = str(tmp_path_factory.mktemp("drills") / "team.irbook")
    with BookFile.create(path, BOOK_PASS, title="SOC", actor="Lead") as book:
        add_book_contact(book, "Dana Ng", phone="+1 555 0100")
        add_system(book, "Edge firewall")
    return path


ANY_TEXT = st.binary(max_size=24).map(os.fsdecode) | st.text(max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["--contact", "--system"]), value=ANY_TEXT, title=st.none() | ANY_TEXT)
def test_any_id_or_title_is_taken_or_refused_in_one_sentence(shared_book, tmp_path, monkeypatch, capsys,
                                                             option, value, title):
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", DRILL_PASS)
    out = tmp_path / "fuzz.ircase"
    argv = ["drill", "new", shared_book, "-o", str(out), option, value] + ([] if title is None else ["--title", title])
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()  # no id like these is in the book
    assert "Traceback" not in err and len([line for line in err.splitlines() if line.startswith("irdesk:")]) == 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=ANY_TEXT)
def test_any_title_makes_a_drill_or_is_refused(shared_book, tmp_path, monkeypatch, capsys, title):
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", DRILL_PASS)
    out = tmp_path / "titled.ircase"
    if out.exists():
        out.unlink()
    code = run(["drill", "new", shared_book, "-o", str(out), "--title", title])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    if code == 0:
        with CaseFile.open(str(out), DRILL_PASS, writable=False) as case:
            assert case.case().drill and case.case().title == title.strip()
    else:
        assert not out.exists() and err.startswith(("irdesk: The title", "irdesk: The drill"))
