"""Our bidi levels order a line exactly as python-bidi does, and mirror what it leaves unmirrored."""

from __future__ import annotations

from bidi import get_display
from bidi.mirror import MIRRORED
from hypothesis import given
from hypothesis import strategies as st

from irdesk.report import mirroring

ALPHABET = st.sampled_from(list("אבגדשלום") + list("مرحبا") + list("abcXYZ") + list("0123456789")
                           + list(" ()[]{}<>«»-+.,:;%$#/\"'!?") + ["\u0301", "\u05b8", "\u0660", "\u0661"])
LINES = st.lists(ALPHABET, min_size=1, max_size=40).map("".join)


def _unmirror(text: str) -> str:
    return "".join(MIRRORED.get(c, c) if c in "()[]{}<>«»" else c for c in text)


@given(line=LINES, base=st.sampled_from(["L", "R"]))
def test_the_order_is_python_bidis(line, base):
    ours = mirroring.visual(line, 1 if base == "R" else 0)
    theirs = get_display(line, base_dir=base)
    # python-bidi does not mirror: compare with the brackets of both sides put the same way.
    assert [c if c not in "()[]{}<>«»" else "b" for c in ours] == [
        c if c not in "()[]{}<>«»" else "b" for c in theirs
    ], (line, base, ours, theirs)


def test_brackets_in_right_to_left_text_are_mirrored():
    assert mirroring.visual("(שלום)", 1) == "(םולש)"
    assert mirroring.visual("השרת (FS01) הוצפן", 1) == "ןפצוה (FS01) תרשה"
    assert mirroring.visual("a (b) c", 0) == "a (b) c"
    assert _unmirror("(x)") == ")x("
