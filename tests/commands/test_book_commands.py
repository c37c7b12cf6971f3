"""The book commands in-process (lowered key derivation): demo --book, new --book, file and its
refusals, import, hand-off and merge of a book, and which passphrase each reads."""

from __future__ import annotations

import pytest

from irdesk.casefile.book_store import BookFile
from irdesk.casefile.store import CaseFile
from irdesk.cli import run
from irdesk.domain.book import BookContact, RegisterEntry
from irdesk.domain.records import Contact
from tests.conftest import PASSPHRASE

BOOK_PASS = "book-lantern-orbit-58-quartz"


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("IRDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    monkeypatch.delenv("IRDESK_NEW_PASSPHRASE", raising=False)
    return tmp_path


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.strip().splitlines()


def test_demo_with_a_book(env, capsys, monkeypatch):
    monkeypatch.delenv("IRDESK_BOOK_PASSPHRASE")  # the book then takes the demo case's passphrase
    case_path, book_path = str(env / "demo.ircase"), str(env / "demo.irbook")
    assert run(["demo", case_path, "--book", book_path]) == 0
    case_id, book_id = lines(capsys)
    with BookFile.open(book_path, PASSPHRASE, writable=False) as book, book.verified():
        assert book.book_id == book_id
        everything = book.records.all(RegisterEntry)
        entries = [e for e in everything if not e.drill]
        assert len(entries) == 3 and len(everything) == 5  # and two drills
        span = max(e.detected_at for e in entries) - min(e.detected_at for e in entries)  # type: ignore[operator]
        assert 365 <= span.days <= 548  # over the 18 months before the demo
        from irdesk.commands.book_summary import render_book

        shown = render_book(book)
        assert "access to Core firewall: 3 of the last 3 incidents" in shown
        assert "logs took 3 h 00 min on 2026-05-19 (each time: 7 h 30 min, 4 h 00 min, 3 h 00 min)" in shown
        assert "time to contain: 40 h 00 min → 14 h 00 min → 6 h 00 min (faster by 34 h 00 min)" in shown
        assert "Register: 3 incident(s), 2 drill(s) filed" in shown
        assert "  2025 Q3      1       —       —   2h52m     26h     1  2/2/1" in shown  # the first drill
        assert "drills: median 3 h 30 min to reach over 2 engagements" in shown  # Priya, in the two drills
        assert "verified 2026-02-10" in shown  # the second drill reached her
        directory = {c.id for c in book.records.all(BookContact)}
    with CaseFile.open(case_path, PASSPHRASE, writable=False) as case:
        assert case.case_id == case_id
        contacts = case.records.all(Contact)
    assert directory <= {c.id for c in contacts}  # the demo case started from the book: the same UUIDs
    assert len({c.name for c in contacts}) == len(contacts)  # and no doubles
    assert [p.name for p in env.iterdir() if p.name.startswith(".demo-past")] == []


def test_new_from_a_book_and_file_back(env, capsys):
    book, case = str(env / "team.irbook"), str(env / "case.ircase")
    assert run(["book", "new", book, "--title", "SOC", "--tlp", "green"]) == 0
    assert run(["book", "contact", "add", book, "--name", "Dana Ng", "--on-call", "weekdays", "--notes",
                "Ask for the SOC lead", "--kind", "vendor", "--out-of-band", "Signal"]) == 0
    dana = lines(capsys)[-1]
    assert run(["new", case, "--title", "Red one", "--tlp", "red", "--book", book]) == 0
    assert "Started from the book: 1 contact(s)" in capsys.readouterr().err
    assert run(["contact", "add", case, "--name", "Lee Park"]) == 0
    lee = lines(capsys)[-1]
    assert run(["book", "file", book, case]) == 2
    assert "stricter than the book's TLP:GREEN" in capsys.readouterr().err
    assert run(["book", "file", book, case, "--accept-tlp"]) == 0
    said = lines(capsys)
    assert said[0] == "Filed “Red one”." and lee in said[2] and "--add-contacts" in said[1]
    assert run(["book", "file", book, case, "--accept-tlp", "--add-contacts"]) == 0
    assert "1 added to the directory" in lines(capsys)[0]
    with BookFile.open(book, BOOK_PASS, writable=False) as opened:
        assert {c.id for c in opened.records.all(BookContact)} == {dana, lee}
        entry = opened.records.get(BookContact, dana)
        assert (entry.notes, entry.kind.value, entry.out_of_band, entry.on_call) == (
            "Ask for the SOC lead", "vendor", "Signal", "weekdays")


def test_book_import_vcard(env, capsys):
    book = str(env / "team.irbook")
    vcf = env / "people.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nORG:Example\r\nTEL:+1 555 0101\r\n"
                   "UID:7d3c1a1e-1111-4222-8333-944455556666\r\nEND:VCARD\r\n", encoding="utf-8")
    assert run(["book", "new", book, "--title", "SOC"]) == 0
    assert run(["book", "import", book, "--format", "vcard", str(vcf)]) == 0
    assert "1 contact(s) added" in lines(capsys)[-1]
    assert run(["book", "import", book, "--format", "vcard", str(vcf)]) == 0
    assert "1 already up to date" in lines(capsys)[-1]
    with BookFile.open(book, BOOK_PASS, writable=False) as opened:
        (ana,) = opened.records.all(BookContact)
        assert (ana.id, ana.phone) == ("7d3c1a1e-1111-4222-8333-944455556666", "+1 555 0101")


def test_handoff_and_merge_of_a_book_read_the_book_passphrase(env, capsys, monkeypatch):
    book, copy = str(env / "team.irbook"), str(env / "deputy.irbook")
    assert run(["book", "new", book, "--title", "SOC"]) == 0
    monkeypatch.setenv("IRDESK_NEW_PASSPHRASE", "deputy-heron-42-cobalt-x")
    assert run(["handoff", book, "-o", str(env / "deputy.ircase")]) == 2  # named as a case: refused
    assert run(["handoff", book, "-o", copy]) == 0
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", "deputy-heron-42-cobalt-x")
    assert run(["book", "system", "add", copy, "--name", "SIEM", "--retention", "365"]) == 0
    monkeypatch.setenv("IRDESK_BOOK_PASSPHRASE", BOOK_PASS)
    monkeypatch.setenv("IRDESK_OTHER_PASSPHRASE", "deputy-heron-42-cobalt-x")
    capsys.readouterr()
    assert run(["merge", book, copy]) == 0
    assert "1 added" in capsys.readouterr().out
    assert run(["check", book]) == 0
    monkeypatch.setenv("IRDESK_PASSPHRASE", BOOK_PASS)  # even with the right passphrase, a book is not a case
    assert run(["show", book]) == 4


def test_bad_book_input(env, capsys):
    book = str(env / "team.irbook")
    assert run(["book", "new", book, "--title", "SOC"]) == 0
    assert run(["book", "new", book, "--title", "SOC"]) == 2  # never over an existing file
    assert run(["book", "system", "add", book, "--name", "X", "--owner", "nobody"]) == 2
    assert run(["book", "unfile", book, "00000000-0000-0000-0000-000000000000"]) == 2
    assert run(["book", "contact", "add", book, "--name", " "]) == 2
    assert run(["book", "new", str(env / "x.ircase"), "--title", "T"]) == 2  # a book named as a case
    assert run(["new", str(env / "x.irbook"), "--title", "T"]) == 2
    assert run(["salvage", book, "-o", str(env / "saved.ircase")]) == 4  # no salvage of a book (yet)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "already exists" in err
