"""Tests of the air-gapped packaging: install scripts, desktop files, icons, pins."""
