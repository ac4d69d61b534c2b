"""Slow work off the GUI thread: loading spaCy, pre-annotating and looking for conflicts across
articles run here, each in its own connection, and report back by signal."""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from annotations.errors import ClaimdeskError
from annotations.schema import ClaimSchema
from annotations.settings import Settings


def failure(error: Exception) -> str:
    """A worker's error in words for the window; one nobody foresaw also goes to the terminal whole."""
    if isinstance(error, ClaimdeskError):
        return str(error)
    traceback.print_exception(error)
    return f"an unexpected error ({type(error).__name__}: {error}); details on the terminal"


def stop_quietly(worker: QThread, *signals) -> None:
    """For a closing window: disconnect the worker's signals (nothing more to show), ask it to stop
    between two units of its work, and wait for it."""
    if not worker.isRunning():
        return
    for signal in signals:
        signal.disconnect()
    worker.requestInterruption()
    worker.wait()


class PreannotateWorker(QThread):
    """Fills a new workspace with the seeds, then pre-annotates, in its own thread and connection."""

    imported = Signal(int)
    planned = Signal(int)  # how many articles it is about to pre-annotate
    done = Signal(dict)
    failed = Signal(str)

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings

    def run(self) -> None:
        from annotations.preannotate import Preannotator, preannotate
        from annotations.workspace import add_seeds_if_empty, open_workspace

        try:
            with open_workspace(self.settings) as store:
                added = add_seeds_if_empty(store)
                if added:
                    self.imported.emit(added)
                report = preannotate(store, Preannotator.from_settings(self.settings, store), stop=self.isInterruptionRequested,
                                     announce=self.planned.emit)
        except Exception as e:  # a worker that dies silently leaves the status bar on "Loading…"
            self.failed.emit(failure(e))
            return
        self.done.emit(report)


class ConflictsWorker(QThread):
    """Looks for the same fact with different values across articles (review.cross_document_conflicts),
    which reads every decided claim of the workspace: half a minute on a big one."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, path: Path, schema: ClaimSchema, parent=None):
        super().__init__(parent)
        self.path, self.schema = path, schema

    def run(self) -> None:
        from annotations.review import cross_document_conflicts
        from annotations.settings import load_settings
        from annotations.workspace import open_workspace

        try:
            with open_workspace(load_settings(self.path)) as store:
                conflicts = cross_document_conflicts(store, self.schema, stop=self.isInterruptionRequested)
        except Exception as e:
            self.failed.emit(failure(e))
            return
        self.done.emit(conflicts)


class LLMWorker(QThread):
    """Asks the configured LLM about one article (annotations/llm.py) in its own connection. The
    window shows its progress per piece of the article and may stop it: then nothing is stored."""

    progress = Signal(int, int)  # pieces answered, pieces in all
    done = Signal(dict)  # the report; {"stopped": True} when stopped
    failed = Signal(str)

    def __init__(self, path: Path, recommender, doc_id: int, parent=None):
        super().__init__(parent)
        self.path, self.recommender, self.doc_id = path, recommender, doc_id

    def run(self) -> None:
        from annotations.llm import Stopped
        from annotations.store import Store

        try:
            with Store(self.path) as store:
                report = self.recommender.suggest(store, self.doc_id, force=True, stop=self.isInterruptionRequested,
                                                  progress=self.progress.emit)
        except Stopped:
            self.done.emit({"stopped": True})
            return
        except Exception as e:
            self.failed.emit(failure(e))
            return
        self.done.emit(report)
