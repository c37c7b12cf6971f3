"""The after-action report: building it (reportlab), signing it and verifying it (pyHanko)."""
