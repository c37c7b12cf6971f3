"""irdesk: offline, encrypted case files for security incident responders."""

__version__ = "0.1.0"
