"""The encrypted case file: SQLCipher storage, schema, records, audit chain and checks."""
