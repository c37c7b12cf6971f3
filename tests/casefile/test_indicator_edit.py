"""Editing an indicator checks what changed as adding one does: the value for its kind, and
ATT&CK technique ids against the offline catalogue."""

from __future__ import annotations

import pytest

from irdesk.casefile import operations as ops
from irdesk.casefile.errors import NotAllowed
from irdesk.domain.enums import IndicatorKind
from irdesk.domain.errors import BadInput
from irdesk.domain.records import Indicator


def test_edit_checks_the_value_and_the_techniques(case):
    item = ops.add_indicator(case, IndicatorKind.DOMAIN, "c2.evil.example").value
    assert ops.edit_indicator(case, item.id, value="C2.Evil.Example.").value.value == "c2.evil.example"
    with pytest.raises(NotAllowed, match="not an ipv4 address"):
        ops.edit_indicator(case, item.id, kind=IndicatorKind.IPV4)  # the kept value is checked for the new kind
    with pytest.raises(BadInput, match="T9999 is not a technique"):
        ops.edit_indicator(case, item.id, attack=["T9999"])
    assert ops.edit_indicator(case, item.id, attack=["T1071"]).value.attack == ("T1071",)
    assert case.records.get(Indicator, item.id).kind is IndicatorKind.DOMAIN
