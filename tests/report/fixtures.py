"""Report fixtures (a filled case, a signing identity), shared by the report and UI tests."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.domain.enums import ActionStatus, Gap, Phase

MARKUP = [
    "<b>not bold</b>",
    '<font color="red">not red</font>',
    '<a href="file:///etc/passwd">not a link</a>',
    '<img src="/etc/hosts"/>',
    "<unbalanced <para> &amp; &nbsp;",
]
SAMPLES = {
    "latin": "Déjà vu über Ærø",
    "greek": "Ωμέγα λόγος",
    "cyrillic": "Жизнь продолжается",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم",
}


@pytest.fixture
def identity_home(tmp_path, monkeypatch):
    """Point the identity store (platformdirs: XDG_DATA_HOME) at a private folder."""
    home = tmp_path / "xdg-data"
    home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.fixture
def identity(identity_home):
    from irdesk.identity.keys import create_identity, load_identity

    create_identity("Ana Responder", "identity-passphrase-1")
    return load_identity("identity-passphrase-1")


@pytest.fixture
def filled_case(case):
    """The demo incident plus notes full of markup and of every script the report must print."""
    from irdesk.demo import build_demo

    build_demo(case)
    ops.add_note(case, Phase.DETECTION, "Markup: " + " ".join(MARKUP), gap=Gap.TOOLING)
    ops.add_note(case, Phase.CONTAINMENT, "\n".join(SAMPLES.values()))
    ops.add_note(case,
        Phase.POST_INCIDENT, "- **bold item**\n- *italic item*\n1. `code <i>`\n\n# Heading"
    )
    for i in range(70):  # enough rows that the action table breaks across pages
        ops.add_action(case, title=f"Follow-up task number {i}",
            owner="Owner",
            status=ActionStatus.ACCEPTED,
        )
    return case
