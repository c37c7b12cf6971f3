"""Benchmarks: figures measured against the raw stack in the same run (make bench)."""
