"""Indicator values are checked per kind, and candidates are found in note text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irdesk.domain.enums import IndicatorKind as K
from irdesk.domain.indicators import Candidate, candidates, normalise


@pytest.mark.parametrize("kind, value, expected", [
    (K.IPV4, " 10.20.4.17 ", "10.20.4.17"),
    (K.IPV4, "10.20.4.0/24", "10.20.4.0/24"),
    (K.IPV6, "2001:DB8::1", "2001:db8::1"),
    (K.DOMAIN, "Evil.Example.", "evil.example"),
    (K.SHA256, "A" * 64, "a" * 64),
    (K.MD5, "0" * 32, "0" * 32),
    (K.URL, "https://evil.example/x?y=1", "https://evil.example/x?y=1"),
    (K.EMAIL, "boss@evil.example", "boss@evil.example"),
    (K.FILE_NAME, "svchost_.exe", "svchost_.exe"),
])
def test_valid_values_are_normalised(kind, value, expected):
    assert normalise(kind, value) == expected


@pytest.mark.parametrize("kind, value", [
    (K.IPV4, "10.20.4.300"), (K.IPV4, "2001:db8::1"), (K.IPV6, "10.0.0.1"),
    (K.SHA256, "a" * 63), (K.SHA1, "g" * 40), (K.DOMAIN, "not a domain"),
    (K.URL, "evil.example"), (K.EMAIL, "nobody"), (K.FILE_NAME, "a\nb"), (K.FILE_NAME, "  "),
])
def test_invalid_values_are_refused_with_a_sentence(kind, value):
    with pytest.raises(ValueError, match=r"\.$"):
        normalise(kind, value)


def test_candidates_in_a_note():
    text = ("Admin logged on from 10.20.4.17 at 02:14; payload from https://evil.example/a.exe, "
            "hash " + "3b" * 32 + " mailed by boss@evil.example. Not an IP: 999.1.1.1")
    assert candidates(text) == [
        Candidate(K.URL, "https://evil.example/a.exe"),
        Candidate(K.EMAIL, "boss@evil.example"),
        Candidate(K.SHA256, "3b" * 32),
        Candidate(K.IPV4, "10.20.4.17"),
    ]


@given(st.text(max_size=300))
def test_candidates_are_always_valid(text):
    for candidate in candidates(text):
        assert normalise(candidate.kind, candidate.value) == candidate.value


@pytest.mark.parametrize("kind, value, shown", [
    (K.URL, "https://evil.example/a.b?x=1", "hxxps://evil[.]example/a.b?x=1"),
    (K.URL, "http://10.0.0.1/x", "hxxp://10[.]0[.]0[.]1/x"),
    (K.DOMAIN, "lockbit-leaks.example", "lockbit-leaks[.]example"),
    (K.IPV4, "10.20.4.17", "10[.]20[.]4[.]17"),
    (K.EMAIL, "a@b.example", "a[@]b[.]example"),
    (K.SHA256, "ab" * 32, "ab" * 32),
    (K.FILE_NAME, "svchost_.exe", "svchost_.exe"),
])
def test_indicators_are_defanged_for_print(kind, value, shown):
    from irdesk.domain.indicators import defang

    assert defang(kind, value) == shown
