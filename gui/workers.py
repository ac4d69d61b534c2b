"""Slow work off the GUI thread: loading spaCy and pre-annotating run here and report back by signal."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

from annotations.errors import ClaimdeskError
from annotations.settings import Settings


class PreannotateWorker(QThread):
    """Fills a new workspace with the seeds, then pre-annotates, in its own thread and connection."""

    imported = Signal(int)
    done = Signal(dict)
    failed = Signal(str)

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings

    def run(self) -> None:
        from annotations.preannotate import Annotator, preannotate
        from annotations.workspace import add_seeds_if_empty, open_workspace

        try:
            with open_workspace(self.settings) as store:
                added = add_seeds_if_empty(store)
                if added:
                    self.imported.emit(added)
                report = preannotate(store, Annotator.from_settings(self.settings, store), stop=self.isInterruptionRequested)
        except ClaimdeskError as e:
            self.failed.emit(str(e))
            return
        self.done.emit(report)
