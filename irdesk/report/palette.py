"""The report's colours. Every chart also tells its series apart by shape or pattern, so a
greyscale printout reads the same as the screen; the colours only help."""

from __future__ import annotations

from reportlab.lib import colors

from irdesk.domain.enums import Phase

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
ACCENT = colors.HexColor("#1d4e89")
GAP = colors.HexColor("#c2410c")
WAITING = colors.HexColor("#e4a11b")
LIGHT = colors.HexColor("#e4e7eb")
PHASE_COLOURS = {
    Phase.PREPARATION: colors.HexColor("#7b8794"),
    Phase.DETECTION: colors.HexColor("#1d4e89"),
    Phase.CONTAINMENT: colors.HexColor("#2f7d5b"),
    Phase.POST_INCIDENT: colors.HexColor("#6b4c9a"),
}
