"""`irdesk verify` and the trust list as a user drives them: exit codes 0, 4 and 6, one sentence
on stderr whatever was tampered with, and poppler's and qpdf's independent view of the file."""

from __future__ import annotations

import os
import subprocess

import pytest

from irdesk.report import signing
from tests.conftest import IRDESK, ROOT, require_tool
from tests.report import tampering

pytestmark = pytest.mark.e2e
SECRET = "tangerine-lighthouse-47-orbit"
IDENTITY_SECRET = "wombat-saxophone-91-quilt"


def environment(home) -> dict[str, str]:
    for sub in ("", ".config", ".local/share", ".cache", "tmp"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
        "IRDESK_AUTHOR": "Test Responder",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": ROOT,
        "IRDESK_PASSPHRASE": SECRET,
        "IRDESK_NEW_PASSPHRASE": SECRET,
        "IRDESK_IDENTITY_PASSPHRASE": IDENTITY_SECRET,
    }


def run(env, *args, code=0) -> subprocess.CompletedProcess:
    done = subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
    return done


def one_sentence(stderr: str) -> str:
    """stderr is exactly one line, irdesk's, with no traceback or library log line before it."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("irdesk: "), stderr
    return lines[0]


def fingerprint_of(shown: str) -> str:
    return shown.split("SHA-256 ")[1].split()[0].replace(":", "").lower()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Ana's identity, the demo case and her signed report of it; a home for her colleague Bo."""
    root = tmp_path_factory.mktemp("verify-cli")
    ana = environment(root / "ana")
    bo = environment(root / "bo")
    fingerprint = fingerprint_of(run(ana, "identity", "new", "--name", "Ana Responder").stdout)
    case, report = root / "demo.ircase", root / "report.pdf"
    run(ana, "demo", str(case))
    run(ana, "report", str(case), "-o", str(report), "--sign")
    return {"root": root, "ana": ana, "bo": bo, "fingerprint": fingerprint,
            "case": str(case), "report": report}


def test_the_genuine_report_passes_in_all_three_modes(world):
    ana, report = world["ana"], str(world["report"])
    assert "your own identity" in run(ana, "verify", report).stdout
    assert "pinned" in run(ana, "verify", report, "--cert", world["fingerprint"]).stdout
    assert "recorded by the case" in run(ana, "verify", report, "--case", world["case"]).stdout


def test_a_forged_re_sign_exits_6_and_is_refused_with_cert_or_case(world):
    ana, root = world["ana"], world["root"]
    other = root / "other.ircase"
    run(ana, "new", str(other), "--title", "A harmless drill")
    run(ana, "report", str(other), "-o", str(root / "other.pdf"))  # unsigned
    real = signing.verify_pdf(world["report"].read_bytes()).claims
    from irdesk.identity.keys import ephemeral_identity

    impostor = ephemeral_identity("Ana Responder")
    forged = root / "forged.pdf"
    forged.write_bytes(signing.sign_pdf((root / "other.pdf").read_bytes(), impostor, real))

    done = run(ana, "verify", str(forged), code=6)
    sentence = one_sentence(done.stderr)
    assert "Ana Responder" in sentence and impostor.info.fingerprint in sentence
    assert done.stdout == ""
    refused = run(ana, "verify", str(forged), "--cert", world["fingerprint"], code=4)
    assert "pinned" in one_sentence(refused.stderr)
    refused = run(ana, "verify", str(forged), "--case", world["case"], code=4)
    assert "another signer" in one_sentence(refused.stderr)


def test_a_padding_flip_exits_4_in_all_three_modes(world):
    ana, root = world["ana"], world["root"]
    flipped = root / "padding.pdf"
    flipped.write_bytes(tampering.padding_flipped(world["report"].read_bytes()))
    for extra in ([], ["--cert", world["fingerprint"]], ["--case", world["case"]]):
        done = run(ana, "verify", str(flipped), *extra, code=4)
        assert "did not write" in one_sentence(done.stderr)


@pytest.mark.parametrize("how", sorted(tampering.TAMPERINGS))
def test_a_tampered_report_is_one_sentence_on_stderr(world, how):
    target = world["root"] / f"tampered-{how.replace(' ', '-').replace('/', '')}.pdf"
    target.write_bytes(tampering.TAMPERINGS[how](world["report"].read_bytes()))
    done = run(world["ana"], "verify", str(target), code=4)
    assert one_sentence(done.stderr).startswith("irdesk: Not genuine: ")


def test_trust_show_untrust_a_colleague(world):
    ana, bo, root = world["ana"], world["bo"], world["root"]
    # A colleague signs a report of the same case in their own home.
    bo_fingerprint = fingerprint_of(run(bo, "identity", "new", "--name", "Bo Colleague").stdout)
    theirs = root / "bo.pdf"
    run(bo, "report", world["case"], "-o", str(theirs), "--sign")
    assert bo_fingerprint in one_sentence(run(ana, "verify", str(theirs), code=6).stderr)

    cert = os.path.join(bo["XDG_DATA_HOME"], "irdesk", "identity", "cert.pem")
    assert "Now trusted: Bo Colleague" in run(ana, "identity", "trust", cert).stdout
    assert "Already trusted" in run(ana, "identity", "trust", cert).stdout
    assert "in your trust list" in run(ana, "verify", str(theirs)).stdout
    shown = run(ana, "identity", "show").stdout
    assert "Ana Responder (you" in shown and "Bo Colleague (colleague" in shown
    grouped = ":".join(bo_fingerprint.upper()[i : i + 2] for i in range(0, 64, 2))
    assert grouped in shown

    assert "No longer trusted" in run(ana, "identity", "untrust", grouped).stdout
    run(ana, "verify", str(theirs), code=6)
    assert "Bo Colleague" not in run(ana, "identity", "show").stdout
    one_sentence(run(ana, "identity", "untrust", bo_fingerprint, code=1).stderr)
    one_sentence(run(ana, "identity", "untrust", world["fingerprint"], code=2).stderr)
    (root / "not-a-cert.pem").write_text("hello\n")
    one_sentence(run(ana, "identity", "trust", str(root / "not-a-cert.pem"), code=2).stderr)


def test_an_old_report_still_verifies_after_identity_new_replace(tmp_path):
    env = environment(tmp_path / "home")
    case, old = tmp_path / "c.ircase", tmp_path / "old.pdf"
    run(env, "identity", "new", "--name", "Ana Responder")
    run(env, "new", str(case), "--title", "Replaced key")
    run(env, "report", str(case), "-o", str(old), "--sign")
    run(env, "identity", "new", "--name", "Ana Responder", "--replace")
    assert "your own identity" in run(env, "verify", str(old)).stdout
    run(env, "verify", str(old), "--case", str(case))
    assert "(you, earlier" in run(env, "identity", "show").stdout


def test_verify_help_names_every_exit_code(world):
    shown = run(world["ana"], "verify", "--help").stdout
    for line in ("0  genuine", "4  altered", "6  intact, but signed by someone you have not said you trust"):
        assert line in shown


def test_pdfsig_and_qpdf_accept_the_signed_demo_report(world):
    """Poppler's pdfsig exits 0 even on a digest mismatch, so its words are what count."""
    report = str(world["report"])
    shown = subprocess.run([require_tool("pdfsig"), report], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in shown
    assert "Total document signed" in shown and "Mismatch" not in shown
    checked = subprocess.run([require_tool("qpdf"), "--check", report], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout
    flipped = world["root"] / "flipped-for-pdfsig.pdf"
    flipped.write_bytes(tampering.byte_flipped(world["report"].read_bytes()))
    shown = subprocess.run([require_tool("pdfsig"), str(flipped)], capture_output=True, text=True)
    assert "Digest Mismatch" in shown.stdout  # and yet…
    assert shown.returncode == 0  # …the exit code says nothing
