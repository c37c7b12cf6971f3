"""Handlers behind each ``irdesk`` subcommand, grouped by what they work on."""
