"""Claimdesk's desktop app: PySide6 views over the core in `annotations` (never SQLite directly)."""
