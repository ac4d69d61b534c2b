"""Slow work off the GUI thread: loading spaCy and pre-annotating run here and report back by signal."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from annotations.errors import ClaimdeskError
from annotations.settings import Settings


class PreannotateWorker(QThread):
    """Pre-annotates the workspace in its own thread, with its own database connection."""

    done = Signal(dict)
    failed = Signal(str)

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings

    def run(self) -> None:
        from annotations.preannotate import Annotator, preannotate
        from annotations.store import Store

        try:
            with Store(self.settings.db_path, self.settings.busy_timeout_ms) as store:
                report = preannotate(store, Annotator.from_settings(self.settings, store))
        except ClaimdeskError as e:
            self.failed.emit(str(e))
            return
        self.done.emit(report)
