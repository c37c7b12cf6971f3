"""How strong a new passphrase is, in words a responder can act on."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable", ~10^10 guesses


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (terrible) .. 4 (strong)
    acceptable: bool
    reason: str  # one sentence; empty when acceptable and nothing to add

    @property
    def label(self) -> str:
        return ("very weak", "weak", "fair", "good", "strong")[self.score]


def assess(passphrase: str, context: tuple[str, ...] = ()) -> Strength:
    """Judge a new passphrase. ``context`` holds words an attacker would try (case title…)."""
    from zxcvbn import (
        zxcvbn,  # imported here: it loads word lists, and only new passphrases need it
    )

    if not passphrase:
        return Strength(0, False, "The passphrase is empty.")
    result = zxcvbn(passphrase[:200], user_inputs=[c for c in context if c])
    score = int(result["score"])
    if len(passphrase) < MIN_LENGTH:
        return Strength(
            min(score, 2), False, f"The passphrase is too short: use at least {MIN_LENGTH} characters."
        )
    if score < MIN_SCORE:
        feedback = result.get("feedback") or {}
        hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
        reason = "The passphrase is too easy to guess."
        if hint:
            reason = f"The passphrase is too easy to guess: {hint.rstrip('.')}."
        return Strength(score, False, reason)
    return Strength(score, True, "")
