"""The main window: the article list beside the article text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListView, QMainWindow, QPlainTextEdit, QSplitter

from annotations.store import Store
from gui.models import DocumentListModel


class MainWindow(QMainWindow):
    def __init__(self, store: Store, annotator: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.setWindowTitle(f"Claimdesk — {store.path.name}")
        self.article_list = QListView()
        self.documents = DocumentListModel([], self)
        self.reload_documents()
        # QPlainTextEdit never interprets markup: HTML in an article is shown as the characters it is.
        self.article_view = QPlainTextEdit(readOnly=True)
        self.article_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.article_list)
        splitter.addWidget(self.article_view)
        splitter.setSizes([300, 900])
        self.setCentralWidget(splitter)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.resize(1280, 800)
        self.current_doc_id: int | None = None
        self._update_status()

    def start_preannotation(self, settings) -> None:
        from gui.workers import PreannotateWorker

        self.worker = PreannotateWorker(settings, self)
        self.worker.done.connect(self._on_preannotated)
        self.worker.failed.connect(lambda message: self.statusBar().showMessage(f"Pre-annotation failed: {message}"))
        self.statusBar().showMessage("Loading the language model and pre-annotating new articles…")
        self.worker.start()

    def _on_preannotated(self, report: dict) -> None:
        notices = " ".join(report["notices"])
        self.statusBar().showMessage(f"Pre-annotated {report['documents']} articles. {notices}".strip())

    def reload_documents(self) -> None:
        """Read the article list again (after an import, say)."""
        self.documents = DocumentListModel(self.store.list_documents(), self)
        self.article_list.setModel(self.documents)
        self.article_list.selectionModel().currentChanged.connect(self._on_current_changed)

    def _update_status(self) -> None:
        self.status.setText(f"{self.annotator} · {self.store.path} · {self.documents.rowCount()} articles")

    def open_document(self, doc_id: int) -> None:
        row = self.documents.row_of(doc_id)
        if row >= 0:
            self.article_list.setCurrentIndex(self.documents.index(row))

    def _on_current_changed(self, current, _previous) -> None:
        doc_id = current.data(DocumentListModel.IdRole)
        if doc_id is None:
            return
        self.current_doc_id = doc_id
        self.article_view.setPlainText(self.store.document(doc_id).text)
