"""``irdesk book report`` and ``verify --book`` end to end: exit codes, the outputs gate, bad dates."""

from __future__ import annotations

import pytest

from tests.conftest import IRDESK

pytestmark = pytest.mark.e2e
SECRET = "tangerine-lighthouse-47-orbit"


def run(env, *args, code=0):
    import subprocess

    done = subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, (args, done.stdout, done.stderr)
    return done


@pytest.fixture
def env(irdesk_env):
    return {**irdesk_env, "IRDESK_BOOK_PASSPHRASE": SECRET, "IRDESK_NEW_PASSPHRASE": SECRET,
            "IRDESK_IDENTITY_PASSPHRASE": "wombat-saxophone-91-quilt"}


@pytest.mark.parametrize(("options", "words"), [
    (["--from", "2026-13-01"], "--from"),
    (["--to", "yesterday"], "--to"),
    (["--from", "9999-01-01"], "out of range"),
    (["--from", "1969-12-31"], "out of range"),
    (["--from", "2026-07-01", "--to", "2026-06-30"], "before it starts"),
])
def test_a_bad_date_is_one_sentence_and_exit_2(env, tmp_path, options, words):
    done = run(env, "book", "report", str(tmp_path / "team.irbook"), "-o", str(tmp_path / "p.pdf"), *options, code=2)
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p.pdf").exists()


def test_book_report_sign_verify_book_and_another_book(env, tmp_path):
    book, other, pdf = tmp_path / "team.irbook", tmp_path / "other.irbook", tmp_path / "programme.pdf"
    run(env, "identity", "new", "--name", "Ana Responder")
    run(env, "book", "new", str(book), "--title", "SOC readiness")
    run(env, "book", "new", str(other), "--title", "Another team")
    assert "never writes over one" in run(env, "book", "report", str(book), "-o", str(book), code=2).stderr
    out = run(env, "book", "report", str(book), "-o", str(pdf), "--sign", "--from", "2026-01-01").stdout
    assert "signed by Ana Responder" in out and "0 incident(s), 0 drill(s), from 2026-01-01" in out
    genuine = run(env, "verify", str(pdf), "--book", str(book)).stdout
    assert "Made from this book, by a signer the book recorded." in genuine and "Book " in genuine
    assert "different book" in run(env, "verify", str(pdf), "--book", str(other), code=4).stderr
    assert "exists" in run(env, "book", "report", str(book), "-o", str(pdf), code=2).stderr


def test_report_book_looks_back_only_from_a_case_of_that_book(env, tmp_path):
    book, lone, started = tmp_path / "team.irbook", tmp_path / "lone.ircase", tmp_path / "started.ircase"
    env = {**env, "IRDESK_PASSPHRASE": SECRET}
    run(env, "book", "new", str(book), "--title", "SOC readiness")
    run(env, "new", str(lone), "--title", "Not from the book")
    run(env, "new", str(started), "--title", "From the book", "--book", str(book))
    refused = run(env, "report", str(lone), "--book", str(book), "-o", str(tmp_path / "l.pdf"), code=2).stderr
    assert "neither started from" in refused and not (tmp_path / "l.pdf").exists()
    run(env, "report", str(started), "--book", str(book), "-o", str(tmp_path / "s.pdf"))
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
