"""The Unicode bidirectional algorithm for one line without explicit embeddings, with mirroring.

python-bidi orders a line but does not mirror: "(שלום)" comes out as ")םולש(", because a
bracket resolved right to left must be drawn as its mirror image (rule L4), and only the
embedding levels say which ones are. Direction controls never reach this point (they print
as codes, ``glyphs.printable``), so the levels follow from the weak, neutral (with bracket
pairs, N0) and implicit rules alone. ``visual`` reorders by those levels (L2) and mirrors
every mirrored character at an odd level. ``tests/report/test_mirroring.py`` checks the
order against python-bidi on random text.
"""

from __future__ import annotations

import unicodedata

from bidi.mirror import MIRRORED

_STRONG_R = {"R", "AL"}
_NEUTRAL = {"B", "S", "WS", "ON"}


def _brackets(text: str, classes: list[str]) -> list[tuple[int, int]]:
    """Bracket pairs (BD16): an opening Ps bracket and its mirror, both still ON, sorted."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if classes[i] != "ON":
            continue
        kind = unicodedata.category(char)
        mirror = MIRRORED.get(char)
        if kind == "Ps" and mirror is not None:
            if len(stack) == 63:
                break
            stack.append((mirror, i))
        elif kind == "Pe" and mirror is not None:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _strong(kind: str) -> str | None:
    """L or R for the neutral rules (numbers count as R), None otherwise."""
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):
        return "R"
    return None


def levels(text: str, base_level: int) -> list[int]:
    """The embedding level of every character of one line (no explicit embeddings in it)."""
    sos = "R" if base_level % 2 else "L"
    types = [unicodedata.bidirectional(c) or "L" for c in text]
    n = len(types)
    # W1: a mark takes the type of what it is on; BN (ZWJ, ZWNJ) is treated alike.
    previous = sos
    for i, kind in enumerate(types):
        if kind in ("NSM", "BN"):
            types[i] = previous if previous not in ("LRI", "RLI", "FSI", "PDI") else "ON"
        previous = types[i]
    # W2, W3: European numbers after Arabic letters are Arabic numbers; AL is R.
    last = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R", "AL"):
            last = kind
        elif kind == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == "EN" and types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: terminators next to European numbers are numbers.
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6: the remaining separators and terminators are neutral.
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]
    # W7: European numbers after a left-to-right letter are L.
    last = sos
    for i, kind in enumerate(types):
        if kind in ("L", "R"):
            last = kind
        elif kind == "EN" and last == "L":
            types[i] = "L"
    # N0: bracket pairs take the direction of what they enclose, or of what precedes them.
    embedding = sos
    for opening, closing in _brackets(text, types):
        inside = {_strong(types[k]) for k in range(opening + 1, closing)} - {None}
        chosen: str | None = None
        if embedding in inside:
            chosen = embedding
        elif inside:
            before = next((_strong(types[k]) for k in range(opening - 1, -1, -1) if _strong(types[k])), sos)
            chosen = before if before != embedding else embedding
        if chosen is not None:
            for k in (opening, closing):
                types[k] = chosen
            for k in (opening, closing):  # marks on a bracket follow it (W1 gave them ON)
                m = k + 1
                while m < n and unicodedata.bidirectional(text[m]) == "NSM":
                    types[m] = chosen
                    m += 1
    # N1, N2: a run of neutrals between two letters of one direction takes it, else the embedding's.
    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            left = _strong(types[i - 1]) if i > 0 else sos
            right = _strong(types[j]) if j < n else sos
            types[i:j] = [left if left == right and left else embedding] * (j - i)
            i = j
        else:
            i += 1
    # I1, I2: the implicit levels.
    out = []
    for kind in types:
        if base_level % 2 == 0:
            out.append(base_level + (1 if kind == "R" else 2 if kind in ("AN", "EN") else 0))
        else:
            out.append(base_level + (1 if kind in ("L", "EN", "AN") else 0))
    # L1: trailing whitespace goes back to the paragraph level.
    for i in range(n - 1, -1, -1):
        if unicodedata.bidirectional(text[i]) in ("WS", "S", "B", "BN"):
            out[i] = base_level
        else:
            break
    return out


def visual(text: str, base_level: int) -> str:
    """The line in visual order (L2), mirrored characters at odd levels drawn mirrored (L4)."""
    if not text:
        return text
    lv = levels(text, base_level)
    order = list(range(len(text)))
    highest = max(lv)
    lowest_odd = min((level for level in lv if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if lv[order[i]] >= level:
                j = i
                while j < len(order) and lv[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return "".join(MIRRORED.get(text[k], text[k]) if lv[k] % 2 else text[k] for k in order)
