"""The PySide6 desktop app: a thin shell over the case file and the report service."""
