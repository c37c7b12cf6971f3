"""The contact book: contacts with a stale-verification warning, and each one's engagement log."""
