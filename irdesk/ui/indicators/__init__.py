"""Indicators of compromise: the table on the Detection & Analysis tab, its dialogs, and extracting them from notes."""
