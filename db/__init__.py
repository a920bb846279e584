"""Persistence: models, the SQLite engine and schema migrations. No Qt here."""
