"""Slow work off the GUI thread: loading spaCy, pre-annotating and looking for conflicts across
articles run here, each in its own connection; results and exceptions come back by signal
(gui/runner.py's Worker)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal

from annotations.schema import ClaimSchema
from annotations.settings import Settings
from gui.runner import Worker


class PreannotateWorker(Worker):
    """Fills a new workspace with the seeds, then pre-annotates; returns the pre-annotation report."""

    imported = Signal(int)
    planned = Signal(int)  # how many articles it is about to pre-annotate

    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings

    def work(self) -> dict:
        from annotations.nlp.preannotate import Preannotator, preannotate
        from annotations.workspace import add_seeds_if_empty, open_workspace

        with open_workspace(self.settings) as store:
            added = add_seeds_if_empty(store)
            if added:
                self.imported.emit(added)
            return preannotate(store, Preannotator.from_settings(self.settings, store), stop=self.isInterruptionRequested,
                               announce=self.planned.emit)


class ConflictsWorker(Worker):
    """Looks for the same fact with different values across articles (review.cross_document_conflicts),
    which reads every decided claim of the workspace: half a minute on a big one."""

    def __init__(self, path: Path, schema: ClaimSchema, parent=None):
        super().__init__(parent)
        self.path, self.schema = path, schema

    def work(self) -> list[dict]:
        from annotations.review import cross_document_conflicts
        from annotations.settings import load_settings
        from annotations.workspace import open_workspace

        with open_workspace(load_settings(self.path)) as store:
            return cross_document_conflicts(store, self.schema, stop=self.isInterruptionRequested)


class LLMWorker(Worker):
    """Asks the configured LLM about one article (annotations/llm.py) in its own connection. The
    window shows its progress per piece of the article and may stop it: then nothing is stored,
    and it returns {"stopped": True}."""

    progress = Signal(int, int)  # pieces answered, pieces in all

    def __init__(self, path: Path, recommender, doc_id: int, parent=None):
        super().__init__(parent)
        self.path, self.recommender, self.doc_id = path, recommender, doc_id

    def work(self) -> dict:
        from annotations.llm import Stopped
        from annotations.settings import load_settings
        from annotations.workspace import open_workspace

        try:
            with open_workspace(load_settings(self.path)) as store:
                return self.recommender.suggest(store, self.doc_id, force=True, stop=self.isInterruptionRequested,
                                                progress=self.progress.emit)
        except Stopped:
            return {"stopped": True}
