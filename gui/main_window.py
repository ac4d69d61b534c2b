"""The curation workspace: article list, article view, claims panel, legend and status bar.

Every decision is one call into annotations.curation, stored at once; the window then refreshes
what the returned Change names. Keys (also listed in the Help menu, F1, and the README):

    Enter confirm claim    X reject claim    E edit slot    N new claim    J/K or ↓/↑ next/previous claim
    1-9 label the selection as the legend's label    D article done, open the next
    Ctrl+Z undo    Ctrl+Shift+Z redo    Ctrl+F search articles
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableView,
)

from annotations.curation import Change, Curation
from annotations.store import ArticleQuery, Document, Store
from gui.article_view import ArticleView
from gui.dialogs import AddClaimDialog, LinkDialog, SlotDialog
from gui.frame import OwnKeys, add_help, add_key, column, read_only_banner, row, run_action, set_panes
from gui.models import ClaimListModel, DocumentListModel, IdRole, SlotTableModel
from gui.workers import stop_quietly

KEYS = [("Enter", "confirm the claim"), ("X", "reject the claim"),
        ("E", "edit the selected slot; in a slot with several values Enter adds, Delete removes, Ctrl+↑/↓ moves, "
              "Ctrl+Enter stores"),
        ("N", "add a claim of any type (its evidence: the selection, else the sentence at the cursor)"),
        ("J / K, ↓ / ↑", "next / previous claim"), ("1–9", "label the selected words as the legend's label"),
        ("click a span", "relabel, reject, link to a canonical entity, use in the selected claim"),
        ("D", "article done, open the next"), ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
        ("Ctrl+L", "suggest claims for the article with the LLM, when one is configured (README)"),
        ("Ctrl+F", "search articles; Enter there opens the first article found"), ("F1", "these keys")]
KEYS_HELP = ("Enter confirm · X reject · E edit slot · N new claim · J/K next/previous · "
             "1–9 label selection · D done → next · Ctrl+Z undo")


class MainWindow(QMainWindow):
    def __init__(self, store: Store, curation: Curation, parent=None):
        super().__init__(parent)
        self.store, self.curation = store, curation
        self.schema = curation.schema
        self.setWindowTitle(f"Claimdesk — {store.path.name} — {curation.annotator}")
        self.doc: Document | None = None
        self.spans: list[dict] = []
        self.labels = list(self.schema.entity_labels)[:9]
        self.slot_orders = {name: list(t.slots) for name, t in self.schema.claim_types.items()}

        # left: filter and article list
        self.search = QLineEdit(placeholderText="Search articles (Ctrl+F)")
        self.status_filter = QComboBox()
        for text, status in (("All", ""), ("New", "new"), ("In progress", "in_progress"), ("Done", "done")):
            self.status_filter.addItem(text, status)
        self.lang_filter = QComboBox()
        self.lang_filter.addItem("Any language", "")
        for lang in store.languages():
            self.lang_filter.addItem(lang, lang)
        self.type_filter = QComboBox()
        self.type_filter.addItem("Any claim type", "")
        for name in self.schema.claim_types:
            self.type_filter.addItem(name, name)
        self.documents = DocumentListModel(store, curation.annotator, parent=self)
        self.article_list = QListView()
        self.article_list.setModel(self.documents)
        # one line of title (elided) and one of figures per row: equal heights, so scrolling a long
        # list never lays out every row
        self.article_list.setUniformItemSizes(True)
        self.article_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.article_list.selectionModel().currentChanged.connect(self._on_article_changed)
        self.search_delay = QTimer(self, singleShot=True, interval=150)  # search when typing pauses
        self.search_delay.timeout.connect(self._filter_articles)
        self.search.textChanged.connect(self.search_delay.start)
        for combo in (self.status_filter, self.lang_filter, self.type_filter):
            combo.currentIndexChanged.connect(self._filter_articles)
        left = column(self.search, row(self.status_filter, self.lang_filter), self.type_filter, self.article_list)

        # middle: legend and article
        self.article_view = ArticleView(self.schema)
        self.article_view.span_clicked.connect(self._span_menu)
        self.legend = QLabel(self._legend_html())
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        middle = column(read_only_banner(store), self.legend, self.article_view)

        # right: claims and the selected claim's slots
        self.claims = ClaimListModel([], None, self)
        self.claim_list = QListView()
        self.claim_list.setModel(self.claims)
        self.claim_list.setWordWrap(True)
        self.claim_list.selectionModel().currentChanged.connect(self._on_claim_changed)
        self.slots = SlotTableModel()
        self.slot_table = QTableView()
        self.slot_table.setModel(self.slots)
        self.slot_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.slot_table.verticalHeader().hide()
        self.slot_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.claims_title = QLabel("<b>Claims</b>")
        right = column(self.claims_title, self.claim_list, QLabel(f"<small>{KEYS_HELP}</small>", wordWrap=True), self.slot_table)

        self.status = set_panes(self, [left, middle, right], [260, 640, 460])
        # keys typed in the article list and its filters are theirs, not the curation keys
        self.own_keys = OwnKeys(self)
        for widget in (self.search, self.status_filter, self.lang_filter, self.type_filter, self.article_list):
            widget.installEventFilter(self.own_keys)
        self.search.returnPressed.connect(self._open_first_hit)
        self.article_list.activated.connect(lambda _: self.claim_list.setFocus())
        self._make_actions()
        self.reload_documents()

    # -- actions and keys ------------------------------------------------------------------------

    def _make_actions(self) -> None:
        menu = self.menuBar().addMenu("&Curate")
        add = lambda text, keys, slot: add_key(self, menu, text, keys, slot)
        add("Confirm claim", ["Return", "Enter"], self.confirm_claim)
        add("Reject claim", ["X"], self.reject_claim)
        add("Edit slot…", ["E"], self.edit_slot)
        add("New claim…", ["N"], self.add_claim)
        add("Next claim", ["J"], lambda: self._move_claim(1))
        add("Previous claim", ["K"], lambda: self._move_claim(-1))
        add("Article done, open next", ["D"], self.mark_done)
        add("Suggest with the LLM", ["Ctrl+L"], self.suggest_with_llm)
        menu.addSeparator()
        add("Undo", ["Ctrl+Z"], self.undo)
        add("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)
        add("Search articles", ["Ctrl+F"], lambda: (self.search.setFocus(), self.search.selectAll()))
        labels = self.menuBar().addMenu("&Label selection")
        for number, label in enumerate(self.labels, start=1):
            add_key(self, labels, label, [str(number)], lambda _=False, label=label: self.label_selection(label))
        add_help(self, KEYS)

    def _legend_html(self) -> str:
        items = [f'<span style="background:{self.schema.color(label)}">&nbsp;{n} {label}&nbsp;</span>'
                 for n, label in enumerate(self.labels, start=1)]
        rest = [f'<span style="background:{self.schema.color(label)}">&nbsp;{label}&nbsp;</span>'
                for label in list(self.schema.entity_labels)[9:]]
        evidence = '<span style="background:#fff2b3">&nbsp;evidence&nbsp;</span> <u style="color:#d00000">slot</u>'
        return " ".join(items + rest) + " &nbsp; " + evidence

    # -- articles --------------------------------------------------------------------------------

    def reload_documents(self) -> None:
        """Read the article list again (after an import or pre-annotation)."""
        current = self.doc.id if self.doc else None
        self.documents.set_query(self.documents.query)
        if current is not None:
            self._select_article(current)
        self._update_status()

    def open_document(self, doc_id: int) -> None:
        self._select_article(doc_id)

    def _select_article(self, doc_id: int) -> None:
        row = self.documents.row_of(doc_id)
        if row >= 0:
            self.article_list.setCurrentIndex(self.documents.index(row))
        else:  # filtered out, or further down than the list has read: show it anyway
            self.article_list.clearSelection()
            self._show_article(doc_id)

    def _filter_articles(self) -> None:
        self.documents.set_query(ArticleQuery(self.search.text(), self.status_filter.currentData(),
                                              self.lang_filter.currentData(), self.type_filter.currentData()))
        if self.doc and self.documents.row_of(self.doc.id) >= 0:
            self.article_list.setCurrentIndex(self.documents.index(self.documents.row_of(self.doc.id)))

    def _open_first_hit(self) -> None:
        """Enter in the search box: search now, open the first article found, go to its claims."""
        self.search_delay.stop()
        self._filter_articles()
        if not self.documents.rowCount():
            self.statusBar().showMessage(f"No article matches “{self.search.text()}”.", 5000)
            return
        self.article_list.setCurrentIndex(self.documents.index(0))
        self.claim_list.setFocus()

    def _on_article_changed(self, current: QModelIndex, _previous) -> None:
        doc_id = current.data(IdRole)
        if doc_id is not None and (self.doc is None or doc_id != self.doc.id):
            self._show_article(doc_id)

    def _show_article(self, doc_id: int) -> None:
        self.doc = self.store.document(doc_id)
        self.curation.start(doc_id)
        self.spans = self.curation.spans(doc_id)
        self.article_view.show_article(self.doc.text, self.spans)
        self._show_claims()
        self._refresh_row(doc_id)
        self.claim_list.setFocus()  # the keys act on claims at once; Ctrl+F goes to the search

    def _show_claims(self, keep: str | None = None, row: int = 0) -> None:
        claims = self.curation.claims(self.doc.id)
        self.claims = ClaimListModel(claims, self.slot_orders, self)
        self.claim_list.setModel(self.claims)
        self.claim_list.selectionModel().currentChanged.connect(self._on_claim_changed)
        open_count = sum(1 for c in claims if c["status"] == "suggested")
        self.claims_title.setText(f"<b>Claims</b> — {len(claims)}, {open_count} undecided")
        target = self.claims.row_of(keep) if keep else -1
        target = target if target >= 0 else min(row, self.claims.rowCount() - 1)
        if target >= 0:
            self.claim_list.selectionModel().setCurrentIndex(self.claims.index(target), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            self._on_claim_changed(QModelIndex(), QModelIndex())

    def _on_claim_changed(self, current: QModelIndex, _previous) -> None:
        claim = self.claims.claim(current.row()) if current.isValid() else None
        claim_type = self.schema.claim_types.get(claim["type"]) if claim else None
        self.slots = SlotTableModel(claim, claim_type, self)
        self.slot_table.setModel(self.slots)
        if claim:
            self.slot_table.selectRow(self.slots.first_problem_row())
        self.article_view.mark_claim(claim)

    def current_claim(self) -> dict | None:
        index = self.claim_list.currentIndex()
        return self.claims.claim(index.row()) if index.isValid() else None

    def _move_claim(self, step: int) -> None:
        row = self.claim_list.currentIndex().row() + step
        if 0 <= row < self.claims.rowCount():
            self.claim_list.setCurrentIndex(self.claims.index(row))

    # -- decisions: each is one core call ---------------------------------------------------------

    def confirm_claim(self) -> None:
        claim = self.current_claim()
        if claim:
            self._apply("confirming the claim", lambda: self.curation.confirm_claim(claim["id"]), advance=True)

    def reject_claim(self) -> None:
        claim = self.current_claim()
        if claim:
            self._apply("rejecting the claim", lambda: self.curation.reject_claim(claim["id"]), advance=True)

    def edit_slot(self) -> None:
        claim = self.current_claim()
        if not claim:
            return
        slot_name = self.slots.slot_name(self.slot_table.currentIndex().row()) or next(iter(self.schema.claim_types[claim["type"]].slots))
        dialog = SlotDialog(self.curation, self.doc, claim, slot_name, self.spans, self)
        if dialog.exec() and dialog.values is not None:
            self._apply("the slot's new value", lambda: self.curation.set_slot(claim["id"], dialog.slot_name, dialog.values))

    def add_claim(self) -> None:
        if not self.doc:
            return
        # the evidence: the selection, else the sentence at the cursor (the selected claim's, after J/K)
        evidence = self.article_view.selected_range() or self.curation.sentence_at(self.doc.id, self.article_view.cursor_offset())
        dialog = AddClaimDialog(self.curation, self.doc, self.spans, evidence[0], self)
        if dialog.exec():
            self._apply("the new claim", lambda: self.curation.add_claim(self.doc.id, dialog.claim_type, dialog.result_slots, evidence))

    def label_selection(self, label: str) -> None:
        selection = self.article_view.selected_range() if self.doc else None
        if not selection:
            self.statusBar().showMessage("Select some words in the article first, then press the label's number.", 5000)
            return
        self._apply("the label", lambda: self.curation.add_span(self.doc.id, selection[0], selection[1], label))

    def relabel_span(self, span: dict, label: str) -> None:
        self._apply("the new label", lambda: self.curation.relabel_span(span["id"], label))

    def reject_span(self, span: dict) -> None:
        self._apply("rejecting the span", lambda: self.curation.reject_span(span["id"]))

    def link_span(self, span: dict, kb_id: str) -> None:
        self._apply("the link", lambda: self.curation.link_span(span["id"], kb_id))

    def mark_done(self) -> None:
        """D: says what done stores, and asks once when claims are still undecided (Enter marks done,
        Esc goes back to them)."""
        if not self.doc:
            return
        done_id = self.doc.id
        spans, undecided = self.curation.done_preview(done_id)
        accepted = f"{spans} entity suggestion{'s' if spans != 1 else ''} you left alone become your accepted spans"
        if undecided:
            question = QMessageBox(QMessageBox.Icon.Question, "Mark the article done?",
                                   f"{undecided} claim{'s are' if undecided != 1 else ' is'} still undecided and will stay so.\n"
                                   f"Marking done also means: {accepted}.", parent=self)
            done = question.addButton("Mark done", QMessageBox.ButtonRole.AcceptRole)
            question.addButton("Go back to the claims", QMessageBox.ButtonRole.RejectRole)
            question.setDefaultButton(done)
            question.exec()
            if question.clickedButton() is not done:
                self.statusBar().showMessage(f"Not marked done: {undecided} claims are still undecided.", 5000)
                return
        if self._apply("the article's done mark", lambda: self.curation.mark_done(done_id)):
            self.statusBar().showMessage(f"Done: {accepted}; {undecided} claim{'s' if undecided != 1 else ''} left undecided.", 8000)
            self._open_next_after(done_id)

    def undo(self) -> None:
        self._apply("undo", self.curation.undo, nothing="Nothing to undo.")

    def redo(self) -> None:
        self._apply("redo", self.curation.redo, nothing="Nothing to redo.")

    def _apply(self, what: str, action, advance: bool = False, nothing: str = "") -> Change | None:
        """Run one core call; show what it refused or failed to store in the status bar; refresh what it changed."""
        row = self.claim_list.currentIndex().row()
        change = run_action(self, what, action)
        if change is None:
            if nothing:
                self.statusBar().showMessage(nothing, 3000)
            return None
        self.statusBar().showMessage(f"{change.action.replace(':', ' ')} — stored", 3000)
        if change.doc_id is not None and (self.doc is None or change.doc_id != self.doc.id):
            self._select_article(change.doc_id)  # an undo in another article: go and show it
        elif self.doc:
            if change.spans or change.action.endswith("link span"):
                self.spans = self.curation.spans(self.doc.id)
                self.article_view.show_spans(self.spans)
            self._show_claims(None if advance else self._claim_after(change), row + 1 if advance else row)
            self._refresh_row(self.doc.id)
        return change

    def _claim_after(self, change: Change) -> str | None:
        """After an edit the curator's row replaces the suggestion: keep it selected."""
        return next(iter(change.claims), None) if len(change.claims) == 1 else None

    def _open_next_after(self, doc_id: int) -> None:
        following = self.store.next_unfinished(self.curation.annotator, doc_id)
        if following is None:
            self.statusBar().showMessage("All articles are done.", 8000)
            return
        while self.documents.row_of(following) < 0 and self.documents.canFetchMore():
            self.documents.fetchMore()  # bring the next article into the list, so it shows as selected
        self._select_article(following)

    def _refresh_row(self, doc_id: int) -> None:
        self.documents.update_rows([doc_id])
        self._update_status()

    def _update_status(self) -> None:
        done, total = self.store.progress_counts(self.curation.annotator)
        self.status.setText(f"{self.curation.annotator} · {self.store.path} · {done:,} of {total:,} articles done")

    # -- clicking a span -------------------------------------------------------------------------

    def _span_menu(self, span: dict, where: QPoint) -> None:
        mention = self.doc.text[span["start"]:span["end"]]
        menu = QMenu(self)
        relabel = menu.addMenu(f"Relabel “{mention}” ({span['label']})")
        for label in self.schema.entity_labels:
            relabel.addAction(label, lambda label=label: self.relabel_span(span, label))
        menu.addAction("Reject span", lambda: self.reject_span(span))
        menu.addAction("Link to canonical entity…", lambda: self._link(span, mention))
        claim = self.current_claim()
        if claim:
            use = menu.addMenu("Use in the selected claim as")
            for name, slot in self.schema.claim_types[claim["type"]].slots.items():
                use.addAction(f"{name} (add)" if slot.multiple else name, lambda name=name: self._use_span(claim, name, span))
            held = [name for name, values in claim["slots"].items()
                    if any((v.get("start"), v.get("end")) == (span["start"], span["end"]) for v in values)]
            for name in held:
                menu.addAction(f"Remove from {name}", lambda name=name: self._apply("taking the value out of the slot", lambda: self.curation.remove_from_slot(
                    claim["id"], name, {"start": span["start"], "end": span["end"], "text": mention})))
        menu.popup(where)
        self.span_menu = menu  # kept for tests

    def _link(self, span: dict, mention: str) -> None:
        dialog = LinkDialog(self.curation, mention, span["label"], self)
        if dialog.exec():
            self.link_span(span, dialog.kb_id())

    def _use_span(self, claim: dict, slot_name: str, span: dict) -> None:
        self._apply("the slot's new value", lambda: self.curation.add_to_slot(
            claim["id"], slot_name, self.curation.slot_value_from_span(self.doc, claim["type"], slot_name, span)))

    # -- background work -------------------------------------------------------------------------

    def start_preannotation(self, settings) -> None:
        from gui.workers import PreannotateWorker

        self.worker = PreannotateWorker(settings, self)
        self.worker.imported.connect(self._on_imported)
        self.worker.planned.connect(self._on_planned)
        self.worker.done.connect(self._on_preannotated)
        self.worker.failed.connect(lambda message: self.statusBar().showMessage(
            f"⚠ Pre-annotation stopped; the articles it had not reached got no new suggestions: {message}"))
        self.statusBar().showMessage("Loading the language model to see which articles need suggestions…")
        self.worker.start()

    def suggest_with_llm(self) -> None:
        """Ask the configured LLM about the open article in a worker, with progress and Cancel; its
        claims join the list as suggestions (annotations/llm.py). Cancelled, no suggestion is stored."""
        from PySide6.QtWidgets import QProgressDialog

        from annotations.errors import ClaimdeskError
        from annotations.llm import Recommender
        from annotations.settings import load_llm_settings
        from gui.workers import LLMWorker

        running = getattr(self, "llm_worker", None)
        if self.doc is None or (running is not None and running.isRunning()):
            return
        try:
            recommender = Recommender(load_llm_settings(), self.schema, self.curation.values, self.curation.kb)
        except ClaimdeskError as e:
            self.statusBar().showMessage(f"⚠ The LLM was not asked: {e}")
            return
        doc = self.doc
        self.llm_progress = dialog = QProgressDialog(f"Asking {recommender.llm.model} about “{doc.title}”…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Suggest with the LLM")
        dialog.setMinimumDuration(0)
        self.llm_worker = worker = LLMWorker(self.store.path, recommender, doc.id, self)

        def finished(message: str) -> None:
            dialog.canceled.disconnect()
            dialog.hide()
            dialog.deleteLater()
            self.llm_progress = None
            self.statusBar().showMessage(message)
            if self.doc is not None and self.doc.id == doc.id:
                self._show_claims()
                self._refresh_row(doc.id)

        def done(report: dict) -> None:
            if report.get("stopped"):
                return finished("Stopped asking the LLM: no suggestion was stored for this article.")
            n = report["suggested"]
            finished(f"LLM ({recommender.llm.model}): {n} claim{'s' * (n != 1)} suggested, {report['duplicates']} already there "
                     f"(counted once), {report['not_suggested']} not suggested (a required value not in the text); "
                     f"{report['requests']} requests, {report['cached']} answers from the cache.")

        worker.progress.connect(lambda answered, pieces: (dialog.setMaximum(pieces + 1), dialog.setValue(answered)))
        worker.done.connect(done)
        worker.failed.connect(lambda message: finished(f"⚠ No LLM suggestions for this article: {message}"))
        dialog.canceled.connect(worker.requestInterruption)
        dialog.canceled.connect(lambda: self.statusBar().showMessage("Stopping: the answer under way will not be used…"))
        dialog.show()
        worker.start()

    def closeEvent(self, event) -> None:
        """Closing during pre-annotation stops it after the document in hand (each is stored whole);
        a question to the LLM under way is stopped, storing nothing."""
        worker = getattr(self, "worker", None)
        if worker is not None:
            stop_quietly(worker, worker.imported, worker.done, worker.failed)
        asking = getattr(self, "llm_worker", None)
        if asking is not None:
            stop_quietly(asking, asking.progress, asking.done, asking.failed)
        super().closeEvent(event)

    def _on_imported(self, count: int) -> None:
        self.statusBar().showMessage(f"Imported {count} seed articles; loading the language model…")
        self.reload_documents()
        if self.doc is None and self.documents.rowCount():
            self.open_document(self.documents.row(0)["id"])

    def _on_planned(self, count: int) -> None:
        """Pre-annotation starts on its own at launch: say what it is about to do, and that finished
        articles and decisions are safe."""
        if count:
            self.statusBar().showMessage(
                f"Pre-annotating {count} article{'s' if count != 1 else ''} whose suggestions are out of date (new articles, "
                "or a changed schema or knowledge base); finished articles and your decisions are left as they are. "
                "You can go on working.")

    def _on_preannotated(self, report: dict) -> None:
        notices = " ".join(report["notices"])
        done = f"Pre-annotated {report['documents']} articles." if report["documents"] else "Suggestions are up to date."
        self.statusBar().showMessage(f"{done} {notices}".strip())
        if report["documents"]:
            self.reload_documents()
            if self.doc:
                self._show_article(self.doc.id)
