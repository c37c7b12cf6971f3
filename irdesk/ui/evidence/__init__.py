"""The evidence checklist: table model, panel with details and custody, and file hashing."""
