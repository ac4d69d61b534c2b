"""A workspace as the app opens it: the database, and on first run the seed articles."""

from __future__ import annotations

from annotations.settings import SEEDS_DIR, Settings
from annotations.store import Store


def open_workspace(settings: Settings) -> Store:
    """The one way every part of Claimdesk opens a workspace: the settings' database, with their
    busy timeout (`load_settings(path)` for a database other than the one in force)."""
    return Store(settings.db_path, settings.busy_timeout_ms)


def add_seeds_if_empty(store: Store) -> int:
    """An empty workspace gets the articles that ship with the app; returns how many were added."""
    if store.count_documents() or not SEEDS_DIR.is_dir():
        return 0
    from annotations.ingest import import_paths  # language detection and the value patterns: only when needed

    return len(import_paths(store, [SEEDS_DIR]).added)
