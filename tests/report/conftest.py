"""Fixtures for report tests."""

from tests.report.fixtures import filled_case, identity, identity_home  # noqa: F401
