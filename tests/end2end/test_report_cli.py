"""The real commands end to end: identity new, report --sign, verify (and its exit codes)."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import IRDESK, require_tool

pytestmark = pytest.mark.e2e
SECRET = "tangerine-lighthouse-47-orbit"


def run(env, *args, code=0):
    done = subprocess.run([*IRDESK, *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, (args, done.stdout, done.stderr)
    return done


def test_identity_report_verify_round_trip(irdesk_env, tmp_path):
    env = {
        **irdesk_env,
        "IRDESK_PASSPHRASE": SECRET,
        "IRDESK_NEW_PASSPHRASE": SECRET,
        "IRDESK_IDENTITY_PASSPHRASE": "wombat-saxophone-91-quilt",
    }
    case, other, pdf = tmp_path / "c.ircase", tmp_path / "o.ircase", tmp_path / "r.pdf"
    assert "There is no signing identity" in run(env, "identity", "show", code=1).stderr
    shown = run(env, "identity", "new", "--name", "Ana Responder").stdout
    fingerprint = shown.split("SHA-256 ")[1].split()[0].replace(":", "").lower()
    assert "Ana Responder" in run(env, "identity", "show").stdout
    run(env, "demo", str(case))
    out = run(env, "report", str(case), "-o", str(pdf), "--sign").stdout
    assert "signed by Ana Responder" in out
    assert (
        "Signature is Valid"
        in subprocess.run([require_tool("pdfsig"), str(pdf)], capture_output=True, text=True).stdout
    )
    genuine = run(env, "verify", str(pdf), "--case", str(case), "--cert", fingerprint).stdout
    assert "Ana Responder" in genuine and fingerprint in genuine and "Signed at" in genuine
    # The author falls back to the identity's name when nothing else is set.
    env_no_author = {k: v for k, v in env.items() if k != "IRDESK_AUTHOR"}
    run(env_no_author, "note", str(case), "--phase", "post-incident", "--body", "after the report")
    run(env, "verify", str(pdf), "--case", str(case))  # the case may grow after the report
    tampered = tmp_path / "t.pdf"
    tampered.write_bytes(pdf.read_bytes() + b"%appended\n")
    assert "entire file" in run(env, "verify", str(tampered), code=4).stderr
    assert "pinned" in run(env, "verify", str(pdf), "--cert", "ab" * 32, code=4).stderr
    run(env, "new", str(other), "--title", "Another incident")
    assert "different case" in run(env, "verify", str(pdf), "--case", str(other), code=4).stderr
    wrong = {**env, "IRDESK_IDENTITY_PASSPHRASE": "not-the-identity-passphrase"}
    assert (
        "passphrase is wrong"
        in run(wrong, "report", str(case), "-o", str(pdf), "--sign", "--force", code=3).stderr
    )


def test_report_does_not_load_reportlab_at_start_up(irdesk_env):
    code = (
        "import sys; from irdesk.cli import build_parser; build_parser(); "
        "assert not [m for m in sys.modules if m.startswith(('reportlab', 'pyhanko', 'PySide6'))]"
    )
    subprocess.run([IRDESK[0], "-c", code], env=irdesk_env, check=True)


def test_show_lists_every_report_with_the_fingerprint_it_printed_and_agrees_with_page_two(irdesk_env, tmp_path):
    env = {**irdesk_env, "IRDESK_PASSPHRASE": SECRET, "IRDESK_NEW_PASSPHRASE": SECRET}
    case = tmp_path / "c.ircase"
    run(env, "demo", str(case))
    printed = {}
    for name in ("one.pdf", "two.pdf"):
        out = run(env, "report", str(case), "-o", str(tmp_path / name)).stdout
        report_id = out.split()[1]
        printed[report_id] = out.split("Case fingerprint ")[1].strip()
    shown = run(env, "show", str(case)).stdout
    assert "Reports issued: 2" in shown
    for report_id, fingerprint in printed.items():
        line = next(line for line in shown.splitlines() if report_id in line)
        assert f"fingerprint {fingerprint}" in line and "unsigned" in line
    assert len(set(printed.values())) == 2  # each report moved the chain on
    # The report's cover prints the same full fingerprint that show lists for it.
    cover = subprocess.run([require_tool("pdftotext"), "-l", "1", str(tmp_path / "one.pdf"), "-"],
                           capture_output=True, text=True).stdout
    first_id = next(iter(printed))
    assert f"{printed[first_id]} as reported" in cover and first_id in cover
    # show and page 2 compute the same figures
    page_two = subprocess.run([require_tool("pdftotext"), "-f", "2", "-l", "2", str(tmp_path / "two.pdf"), "-"],
                              capture_output=True, text=True).stdout
    page_two = " ".join(page_two.split())
    assert "Time to engage people, median" in page_two and "median 3 h 00 min" in shown
    assert "3 h 00 min" in page_two and "1 h 00 min" in page_two and "median 1 h 00 min" in shown
    for figure in ("longest 13 h 00 min", "longest 45 h 30 min and still waiting", "1 unavailable",
                   "1 never requested", "1 of 5 action items tested (1 waived), 0 overdue, 4 gaps without an action."):
        assert figure in page_two, figure
        assert figure in shown, figure
    assert "Figures as of 2026-10-14 09:40 +01:00" in shown and "2026-10-14 09:40 +01:00" in page_two
