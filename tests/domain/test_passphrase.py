"""New passphrases are judged with a reason a responder can act on."""

from irdesk.domain.passphrase import assess


def test_weak_passphrases_refused_with_reason():
    for weak, word in [("", "empty"), ("short1!", "too short"), ("password12345", "easy to guess")]:
        s = assess(weak)
        assert not s.acceptable and word in s.reason


def test_context_words_count_against_it():
    assert not assess("Rotterdam ransomware", context=("Rotterdam ransomware",)).acceptable


def test_strong_passphrase_accepted():
    s = assess("tangerine-lighthouse-47-orbit")
    assert s.acceptable and s.score >= 3 and s.label in ("good", "strong")
