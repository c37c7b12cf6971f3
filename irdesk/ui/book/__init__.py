"""The readiness book in the desktop app: its session, its window and filing a case into it."""
