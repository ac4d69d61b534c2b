"""Opening a workspace as the app does: the database, and on first run the seed articles."""

from __future__ import annotations

from annotations.ingest import ImportReport, import_paths
from annotations.settings import SEEDS_DIR, Settings
from annotations.store import Store


def open_workspace(settings: Settings) -> tuple[Store, ImportReport | None]:
    """Open (or create) the database; an empty one gets the seed articles that ship with the app."""
    store = Store(settings.db_path, settings.busy_timeout_ms)
    report = None
    if store.count_documents() == 0 and SEEDS_DIR.is_dir():
        report = import_paths(store, [SEEDS_DIR])
    return store, report
