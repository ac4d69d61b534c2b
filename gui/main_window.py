"""The curation workspace: article list, article view, the claims as a table of facts, the side
panel that edits the selected claim, and the status bar.

Every decision is one call into annotations.curation run by the window's ActionRunner (gui/runner.py);
the runner's `changed` signal carries the core's Change and each part of the window refreshes what
it names. Nothing an action does moves the article view: only moving to another claim or span does.
The keys are one table (`key_table`), bound as menu actions and listed by the help overlay (F1, ?).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QWidget,
)

from annotations.curation import Change, Curation
from annotations.progress import ActiveClock, curator_progress
from annotations.store import ArticleQuery, Document, Store
from annotations.wording import duration_words
from gui.article_view import ArticleView
from gui.claim_panel import ClaimPanel
from gui.dialogs import LinkDialog, Palette, ProgressView
from gui.frame import HelpOverlay, Key, OwnKeys, bind_keys, column, read_only_banner, row, set_panes
from gui.models import ClaimTableModel, ConfidenceBar, DocumentListModel, IdRole
from gui.runner import ActionRunner, failure_words, stop_quietly

HINT = ("Enter confirm · X reject · U next undecided · E edit · S selection → slot · N new claim · ] [ spans · "
        "1–9 or L label · F1 every key")
THRESHOLD_STEP = 0.1
FLUSH_MS = 30_000  # active time and place are stored this often, and on every article switch and close


class Activity(QObject):
    """Sees the curator's keys, clicks and scrolling in the window, for their active time."""

    KINDS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched, event) -> bool:
        if event.type() in self.KINDS and isinstance(watched, QWidget) and watched.window() is self.window:
            self.window.clock.activity(self.window.now())
        return False


class MainWindow(QMainWindow):
    def __init__(self, store: Store, curation: Curation, parent=None):
        super().__init__(parent)
        self.store, self.curation = store, curation
        self.schema = curation.schema
        self.setWindowTitle(f"Claimdesk — {store.path.name} — {curation.annotator}")
        self.doc: Document | None = None
        self.spans: list[dict] = []
        self.labels = list(self.schema.entity_labels)[:9]
        self.runner = ActionRunner(self)
        self.runner.changed.connect(self._on_changed)
        self._quiet = False  # the claim list is being refilled: not the curator moving

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
        self.article_view.canonical = lambda kb_id: self.curation.kb.canonical(kb_id)
        self.legend = QLabel(self._legend_html())
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        middle = column(read_only_banner(store), self.legend, self.article_view)

        # right: the claims as a table of facts, and the side panel editing the selected one
        self.claims = ClaimTableModel({name: list(t.slots) for name, t in self.schema.claim_types.items()}, self)
        self.claim_list = QTableView()
        self.claim_list.setModel(self.claims)
        self.claim_list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.claim_list.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.claim_list.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.claim_list.setWordWrap(True)
        self.claim_list.setShowGrid(False)
        self.claim_list.verticalHeader().hide()
        self.claim_list.setItemDelegateForColumn(ClaimTableModel.CONFIDENCE, ConfidenceBar(self.claim_list))
        header = self.claim_list.horizontalHeader()
        header.setSectionResizeMode(ClaimTableModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ClaimTableModel.TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ClaimTableModel.FACTS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ClaimTableModel.CONFIDENCE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ClaimTableModel.CONFIDENCE, 86)
        self.claim_list.selectionModel().currentChanged.connect(self._on_claim_changed)
        # rows as tall as their facts once the columns have their widths
        self.row_heights = QTimer(self, singleShot=True, interval=0)
        self.row_heights.timeout.connect(self.claim_list.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self.row_heights.start())
        self.claims_title = QLabel("<b>Claims</b>")
        self.panel = ClaimPanel(curation, self._store_slot)
        self.panel.left.connect(self.back_to_claims)
        claims_and_panel = QSplitter(Qt.Orientation.Vertical)
        claims_and_panel.addWidget(column(self.claims_title, self.claim_list, QLabel(f"<small>{HINT}</small>", wordWrap=True)))
        claims_and_panel.addWidget(self.panel)
        claims_and_panel.setSizes([470, 330])

        self.status = set_panes(self, [left, middle, claims_and_panel], [240, 620, 540])
        # keys typed in the article list and its filters are theirs, not the curation keys
        self.own_keys = OwnKeys(self)
        for widget in (self.search, self.status_filter, self.lang_filter, self.type_filter, self.article_list):
            widget.installEventFilter(self.own_keys)
        self.search.returnPressed.connect(self._open_first_hit)
        self.article_list.activated.connect(lambda _: self.claim_list.setFocus())
        self.key_table = self._key_table()
        bind_keys(self, self.key_table)
        self.help = HelpOverlay(self, self.key_table)

        # active time: the curator's keys and clicks, gaps over a minute left out (annotations/progress.py)
        self.now = time.monotonic
        self.clock = ActiveClock()
        self._stored_place: str | None = None
        self.activity = Activity(self)
        QApplication.instance().installEventFilter(self.activity)
        self.flush_timer = QTimer(self, interval=FLUSH_MS)
        self.flush_timer.timeout.connect(self._flush_time)
        self.flush_timer.start()
        self.reload_documents()

    # -- keys --------------------------------------------------------------------------------------

    def _key_table(self) -> list[Key]:
        """Every key of the window: bound as menu actions, listed by the help overlay (F1, ?) and the README."""
        claims, spans, article = "Claims", "Spans", "Article"
        table = [
            Key(("Return", "Enter"), "confirm the claim, and on to the next (refused, with the reason, while a required slot "
                "is missing or a value is of the wrong kind)", self.confirm_claim, claims),
            Key(("X",), "reject the claim", self.reject_claim, claims),
            Key(("Ctrl+Return", "Ctrl+Enter"), "accept every suggestion shown, as one step (one with a problem stays undecided)",
                self.accept_all_shown, claims),
            Key(("J",), "next claim (↓ in the claim list too)", lambda: self._move_claim(1), claims),
            Key(("K",), "previous claim (↑ in the claim list too)", lambda: self._move_claim(-1), claims),
            Key(("U",), "next undecided claim, on into the next article that has one above the threshold", self.next_undecided, claims),
            Key(("E",), "edit the claim in the side panel (the slot with a problem first)", self.edit_claim, claims),
            Key(("Alt+letter",), "go to that slot in the side panel (its letter is underlined)", menu=claims, shown="Alt+letter"),
            Key(("Tab", "Shift+Tab"), "next / previous slot in the side panel; Enter stores it, Esc goes back to the claims",
                menu=claims, shown="Tab / Shift+Tab"),
            Key(("S",), "put the selected words (or span) into the slot you were in, else into the slot they fit",
                self.use_selection, claims),
            Key(("N",), "new claim: type its type, Enter; its evidence is the selection or the sentence at the cursor",
                self.new_claim, claims),
            Key(("O",), "order the claims by position or by confidence", self.toggle_order, claims),
            Key(("+", "="), "raise by 0.1 the threshold under which suggestions are hidden", lambda: self.change_threshold(THRESHOLD_STEP), claims),
            Key(("-",), "lower the threshold by 0.1", lambda: self.change_threshold(-THRESHOLD_STEP), claims),
            Key(("D",), "article done, open the next", self.mark_done, claims),
            Key(("]",), "next span: selects it and says its label, link and who made it; Shift+arrows widen a selection",
                lambda: self.step_span(1), spans),
            Key(("[",), "previous span", lambda: self.step_span(-1), spans),
        ]
        for number, label in enumerate(self.labels, start=1):
            table.append(Key((str(number),), f"label as {label}", lambda label=label: self.label_selection(label), spans,
                             shown="1–9", group="label the selected words as the legend's label (a selected span: relabel it)"))
        table += [
            Key(("L",), "label the selection with any label: type its name, Enter", self.label_palette, spans),
            Key(("Delete",), "reject the selected span", self.reject_selected_span, spans),
            Key(("Ctrl+L",), "link the selected span to a canonical entity", self.link_selected_span, spans),
            Key(("A",), "label all other occurrences of the selected span in this article as it is", self.label_all, spans),
            Key(("Shift+A",), "label every occurrence in the workspace (the search finds them; counted first)",
                self.label_everywhere, spans),
            Key(("T",), "label names as tags above the spans, on or off (hovering a span names it too)", self.toggle_tags, spans),
            Key(("Ctrl+D",), "the article's publication date (relative periods are read against it)", self.set_date, article),
            Key(("Ctrl+F",), "search articles; Enter there opens the first article found",
                lambda: (self.search.setFocus(), self.search.selectAll()), article),
            Key(("Ctrl+Z",), "undo your last decision, however old", self.undo, article),
            Key(("Ctrl+Shift+Z", "Ctrl+Y"), "redo", self.redo, article),
            Key(("Ctrl+P",), "progress: articles done per day, active time, claims per hour", self.show_progress, article),
            Key(("Ctrl+Shift+L",), "suggest claims for the article with the LLM, when one is configured (README)",
                self.suggest_with_llm, article),
            Key(("Escape",), "back to the claims", self.back_to_claims, article),
            Key(("F1", "?"), "these keys", self.show_keys, "Help"),
        ]
        return table

    def _legend_html(self) -> str:
        items = [f'<span style="background:{self.schema.color(label)}">&nbsp;{n} {label}&nbsp;</span>'
                 for n, label in enumerate(self.labels, start=1)]
        rest = [f'<span style="background:{self.schema.color(label)}">&nbsp;{label}&nbsp;</span>'
                for label in list(self.schema.entity_labels)[9:]]
        return " ".join(items + rest) + " &nbsp; <small>L: any label · T: tags · F1: keys</small>"

    def show_keys(self) -> None:
        self.help.open()

    def back_to_claims(self) -> None:
        self.claim_list.setFocus()

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

    def open_last_place(self) -> bool:
        """The article and claim this curator was on last; False when there is none."""
        place = self.curation.last_place()
        if place is None:
            return False
        doc_id, claim_id = place
        self._select_article(doc_id)
        if self.doc is None or self.doc.id != doc_id:
            return False
        target = self.claims.row_of(claim_id)
        if target >= 0:
            self._select_row(target, reveal=True)
        return True

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
            self.runner.say(f"No article matches “{self.search.text()}”.", 5000)
            return
        self.article_list.setCurrentIndex(self.documents.index(0))
        self.claim_list.setFocus()

    def _on_article_changed(self, current: QModelIndex, _previous) -> None:
        doc_id = current.data(IdRole)
        if doc_id is not None and (self.doc is None or doc_id != self.doc.id):
            self._show_article(doc_id)

    def _show_article(self, doc_id: int) -> None:
        if self.doc is not None:
            self._flush_time()  # the time until now was spent on the article being left
        self.doc = self.store.document(doc_id)
        self.curation.start(doc_id)
        self.spans = self.curation.spans(doc_id)
        self.article_view.show_article(self.doc.text, self.spans)
        self._show_claims(row=0, reveal=True)
        self.documents.update_rows([doc_id])
        self._update_status()
        self.claim_list.setFocus()  # the keys act on claims at once; Ctrl+F goes to the search

    def _open_next_after(self, doc_id: int) -> None:
        following = self.store.next_unfinished(self.curation.annotator, doc_id)
        if following is None:
            self.runner.say("All articles are done.", 8000)
            return
        self._open_in_list(following)

    def _open_in_list(self, doc_id: int) -> None:
        while self.documents.row_of(doc_id) < 0 and self.documents.canFetchMore():
            self.documents.fetchMore()  # bring the article into the list, so it shows as selected
        self._select_article(doc_id)

    # -- claims ------------------------------------------------------------------------------------

    def _show_claims(self, keep: str | None = None, row: int = 0, reveal: bool = False) -> None:
        """Fill the claim list again, keeping the claim `keep` (or the curator's decision on it)
        selected, else the row `row`; the article view moves only with `reveal`."""
        self._quiet = True
        try:
            self.claims.set_claims(self.curation.claims(self.doc.id), self.doc.text)
            self.claim_list.resizeRowsToContents()
            target = self.claims.row_of(keep) if keep else -1
            if target < 0:
                target = min(row, self.claims.rowCount() - 1)
            if target >= 0:
                self.claim_list.selectionModel().setCurrentIndex(
                    self.claims.index(target), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._quiet = False
        self._claim_shown(reveal)
        self._update_claims_title()

    def _update_claims_title(self) -> None:
        shown = self.claims.claims()
        undecided = sum(1 for c in shown if c["status"] == "suggested")
        hidden = f", {self.claims.hidden()} under the threshold hidden" if self.claims.hidden() else ""
        self.claims_title.setText(f"<b>Claims</b> — {len(shown)} shown, {undecided} undecided{hidden} · "
                                  f"by {self.claims.order} (O) · threshold {self.claims.threshold:.1f} (+/−)")

    def _on_claim_changed(self, current: QModelIndex, _previous) -> None:
        if not self._quiet:
            self._claim_shown(reveal=True)

    def _claim_shown(self, reveal: bool) -> None:
        claim = self.current_claim()
        self.panel.show_claim(self.doc, claim, self.spans)
        self.article_view.mark_claim(claim, reveal)

    def _select_row(self, row: int, reveal: bool = True) -> None:
        if not 0 <= row < self.claims.rowCount():
            return
        self._quiet = True
        try:
            self.claim_list.selectionModel().setCurrentIndex(
                self.claims.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._quiet = False
        self._claim_shown(reveal)

    def current_claim(self) -> dict | None:
        index = self.claim_list.currentIndex()
        return self.claims.claim(index.row()) if index.isValid() else None

    def _move_claim(self, step: int) -> None:
        self._select_row(self.claim_list.currentIndex().row() + step)

    def next_undecided(self) -> None:
        """U: the next undecided claim shown after this one, round the article, then in the next
        article that has one above the threshold."""
        shown, here = self.claims.claims(), self.claim_list.currentIndex().row()
        for number in [*range(here + 1, len(shown)), *range(0, here + 1)]:
            if shown[number]["status"] == "suggested" and number != here:
                self._select_row(number)
                return
        following = self.store.next_with_undecided(self.curation.annotator, self.doc.id if self.doc else 0, self.claims.threshold)
        if following is None:
            self.runner.say("No claim is left undecided above the threshold, in any article.", 6000)
            return
        self._open_in_list(following)
        first = next((n for n, c in enumerate(self.claims.claims()) if c["status"] == "suggested"), 0)
        self._select_row(first)
        self.runner.say(f"On to “{self.doc.title}”: its first undecided claim.", 5000)

    def toggle_order(self) -> None:
        keep = (self.current_claim() or {}).get("id")
        self.claims.set_order("confidence" if self.claims.order == "position" else "position")
        self._reselect(keep)

    def change_threshold(self, step: float) -> None:
        keep = (self.current_claim() or {}).get("id")
        self.claims.set_threshold(self.claims.threshold + step)
        self._reselect(keep)

    def _reselect(self, keep: str | None) -> None:
        self.claim_list.resizeRowsToContents()
        target = self.claims.row_of(keep)
        self._select_row(target if target >= 0 else 0, reveal=target < 0)
        self._update_claims_title()

    def edit_claim(self) -> None:
        if self.current_claim() is None:
            self.runner.say("No claim selected: J/K picks one, N adds one.", 4000)
            return
        self.panel.focus_slot()

    # -- decisions: each is one core call through the runner ---------------------------------------

    def confirm_claim(self) -> None:
        self._decide("confirming the claim", self.curation.confirm_claim)

    def reject_claim(self) -> None:
        self._decide("rejecting the claim", self.curation.reject_claim)

    def _decide(self, what: str, decide) -> None:
        """Confirm or reject, then on to the next claim (the curator moves on)."""
        claim = self.current_claim()
        if claim is None:
            return
        row = self.claim_list.currentIndex().row()
        if self.runner.run(what, lambda: decide(claim["id"])):
            self._select_row(row + 1)

    def accept_all_shown(self) -> None:
        if self.doc:
            ids = [c["id"] for c in self.claims.claims()]
            self.runner.run("accepting the claims shown", lambda: self.curation.accept_all(self.doc.id, ids))

    def _store_slot(self, claim_id: str, slot_name: str, make_values) -> bool:
        """The side panel's Enter: the slot's values, read and stored in one core call."""
        return self.runner.run("the slot's new value", lambda: self.curation.set_slot(claim_id, slot_name, make_values())) is not None

    def use_selection(self) -> None:
        claim, selection = self.current_claim(), self.article_view.selected_range()
        if claim is None or selection is None:
            self.runner.say("Select words in the article (] and [ select spans, Shift+arrows words), then S puts them in a slot.", 5000)
            return
        slot = self.panel.active_slot()
        self.runner.run("the slot's new value", lambda: self.curation.use_selection(claim["id"], *selection, slot))

    def new_claim(self) -> None:
        if not self.doc:
            return
        # the evidence: the selection, else the sentence at the cursor (the selected claim's, after J/K)
        evidence = self.article_view.selected_range() or self.curation.sentence_at(self.doc.id, self.article_view.cursor_offset())
        types = [(f"{name.replace('_', ' ')} — {t.description}", name) for name, t in self.schema.claim_types.items()]
        palette = Palette("New claim: its type", types, self)
        if not palette.exec() or palette.choice is None:
            return
        change = self.runner.run("the new claim", lambda: self.curation.add_claim(self.doc.id, palette.choice, {}, evidence))
        if change:
            self.article_view.reveal(evidence[0])
            self.article_view.setFocus()
            self.runner.say(f"{palette.choice.replace('_', ' ')} added: select its words and press S for each slot "
                            "(] selects the next span), or Alt and a slot's letter to type.", 8000)

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
                self.runner.say(f"Not marked done: {undecided} claims are still undecided.", 5000)
                return
        self._flush_time()
        if self.runner.run("the article's done mark", lambda: self.curation.mark_done(done_id), quiet=True):
            self.runner.say(f"Done: {accepted}; {undecided} claim{'s' if undecided != 1 else ''} left undecided.", 8000)
            self._open_next_after(done_id)

    def undo(self) -> None:
        self.runner.run("undo", self.curation.undo, nothing="Nothing to undo.")

    def redo(self) -> None:
        self.runner.run("redo", self.curation.redo, nothing="Nothing to redo.")

    def set_date(self) -> None:
        if not self.doc:
            return
        typed, ok = QInputDialog.getText(self, "Publication date", "The article's publication date (2019-07-15, or 15 July 2019; "
                                         "empty: unknown). “This year” and the like are read against it.", text=self.doc.published or "")
        if ok:
            self.runner.run("the publication date", lambda: self.curation.set_published(self.doc.id, typed))

    # -- spans -------------------------------------------------------------------------------------

    def step_span(self, step: int) -> None:
        span = self.article_view.step_span(step)
        self.article_view.setFocus()  # Shift+arrows now widen the selection; Esc goes back to the claims
        if span is None:
            self.runner.say("No more spans that way.", 3000)
            return
        self.runner.say(self.article_view.describe(span), 6000)

    def label_selection(self, label: str) -> None:
        selection = self.article_view.selected_range() if self.doc else None
        if not selection:
            self.runner.say("Select some words in the article first (] selects the next span), then press the label's number or L.", 5000)
            return
        self.runner.run("the label", lambda: self.curation.add_span(self.doc.id, selection[0], selection[1], label))

    def label_palette(self) -> None:
        if not self.article_view.selected_range():
            self.label_selection("")
            return
        numbers = {label: n for n, label in enumerate(self.labels, start=1)}
        items = [(f"{name} — {label.description}" + (f"  ({numbers[name]})" if name in numbers else ""), name)
                 for name, label in self.schema.entity_labels.items()]
        palette = Palette("Label the selection", items, self)
        if palette.exec() and palette.choice:
            self.label_selection(palette.choice)

    def _selected_span(self) -> dict | None:
        span = self.article_view.selected_span()
        if span is None:
            self.runner.say("Select a span first: ] and [ go from span to span.", 5000)
        return span

    def reject_selected_span(self) -> None:
        span = self._selected_span()
        if span:
            self.reject_span(span)

    def link_selected_span(self) -> None:
        span = self._selected_span()
        if span:
            self._link(span, self.doc.text[span["start"]:span["end"]])

    def label_all(self) -> None:
        span = self._selected_span()
        if span:
            self.runner.run("labelling the other occurrences", lambda: self.curation.label_all(span["id"]))

    def label_everywhere(self) -> None:
        """Shift+A: the search finds the articles holding the span's words; the count is asked about
        first, then every occurrence is labelled in one undoable step."""
        span = self._selected_span()
        if span is None:
            return
        mention = self.doc.text[span["start"]:span["end"]]
        self.search.setText(mention)
        self._filter_articles()
        found = self.runner.ask("counting the occurrences", lambda: self.curation.occurrences_everywhere(span["id"]))
        if found is None:
            return
        if not found.count:
            self.runner.say(f"No other occurrence of “{mention}” in the workspace needs the label {found.label}.", 6000)
            return
        linked = f", linked to {found.canonical or found.kb_id}" if found.kb_id else ""
        question = QMessageBox(QMessageBox.Icon.Question, "Label every occurrence?",
                               f"Label {found.count} occurrence{'s' if found.count != 1 else ''} of “{mention}” in "
                               f"{len(found.plans)} article{'s' if len(found.plans) != 1 else ''} as {found.label}{linked}?\n"
                               "One step: Ctrl+Z undoes it all.", parent=self)
        yes = question.addButton("Label them", QMessageBox.ButtonRole.AcceptRole)
        question.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(yes)
        question.exec()
        if question.clickedButton() is yes:
            self.runner.run("labelling every occurrence", lambda: self.curation.label_everywhere(span["id"]))

    def toggle_tags(self) -> None:
        self.article_view.set_tags_shown(not self.article_view.tags_shown)

    def relabel_span(self, span: dict, label: str) -> None:
        self.runner.run("the new label", lambda: self.curation.relabel_span(span["id"], label))

    def reject_span(self, span: dict) -> None:
        self.runner.run("rejecting the span", lambda: self.curation.reject_span(span["id"]))

    def link_span(self, span: dict, kb_id: str) -> None:
        self.runner.run("the link", lambda: self.curation.link_span(span["id"], kb_id))

    def _link(self, span: dict, mention: str) -> None:
        dialog = LinkDialog(self.curation, mention, span["label"], self)
        if dialog.exec():
            self.link_span(span, dialog.kb_id())

    def _span_menu(self, span: dict, where: QPoint) -> None:
        """Clicking a span: the same actions as the keys, for the mouse."""
        mention = self.doc.text[span["start"]:span["end"]]
        menu = QMenu(self)
        relabel = menu.addMenu(f"Relabel “{mention}” ({span['label']})")
        for label in self.schema.entity_labels:
            relabel.addAction(label, lambda label=label: self.relabel_span(span, label))
        menu.addAction("Reject span", lambda: self.reject_span(span))
        menu.addAction("Link to canonical entity…", lambda: self._link(span, mention))
        menu.addAction("Label all occurrences in this article", lambda: self.runner.run(
            "labelling the other occurrences", lambda: self.curation.label_all(span["id"])))
        claim = self.current_claim()
        if claim:
            use = menu.addMenu("Use in the selected claim as")
            for name, slot in self.schema.claim_types[claim["type"]].slots.items():
                use.addAction(f"{name} (add)" if slot.multiple else name, lambda name=name: self._use_span(claim, name, span))
            held = [name for name, values in claim["slots"].items()
                    if any((v.get("start"), v.get("end")) == (span["start"], span["end"]) for v in values)]
            for name in held:
                menu.addAction(f"Remove from {name}", lambda name=name: self.runner.run(
                    "taking the value out of the slot",
                    lambda: self.curation.remove_from_slot(claim["id"], name, {"start": span["start"], "end": span["end"], "text": mention})))
        menu.popup(where)
        self.span_menu = menu  # kept for tests

    def _use_span(self, claim: dict, slot_name: str, span: dict) -> None:
        self.runner.run("the slot's new value", lambda: self.curation.add_to_slot(
            claim["id"], slot_name, self.curation.slot_value_from_span(self.doc, claim["type"], slot_name, span)))

    # -- what changed ------------------------------------------------------------------------------

    def _on_changed(self, change: Change) -> None:
        """Refresh what the change names, and nothing else; the view stays where it is."""
        if self.doc is None:
            return
        if change.doc_id is not None and change.doc_id != self.doc.id:
            self._select_article(change.doc_id)  # an undo in another article: go and show it
            return
        self.documents.update_rows(sorted(change.documents))
        self._update_status()
        if self.doc.id not in change.documents:  # labelled everywhere, elsewhere
            return
        if change.published:
            self.doc = self.store.document(self.doc.id)
        if change.spans or change.kb:
            self.spans = self.curation.spans(self.doc.id)
            self.article_view.show_spans(self.spans)
        if change.claims or change.kb or change.published:
            current = self.current_claim()
            added = next(iter(change.claims)) if change.action == "add claim" else None
            self._show_claims(added or (current or {}).get("id"), max(0, self.claim_list.currentIndex().row()), reveal=False)

    # -- time and the status bar --------------------------------------------------------------------

    def _flush_time(self, closing: bool = False) -> None:
        """Store the active time counted on the open article, and the claim the curator is on."""
        if self.doc is None:
            return
        seconds = self.clock.take()
        claim_id = (self.current_claim() or {}).get("id")
        if seconds <= 0 and claim_id == self._stored_place:
            return
        try:
            self.curation.add_active_time(self.doc.id, seconds, claim_id)
            self._stored_place = claim_id
            if not closing:
                self._update_status()
        except Exception as error:  # time is not a decision: say so and go on
            self.runner.tell("Active time not stored", error)

    def _update_status(self) -> None:
        done, total = self.store.progress_counts(self.curation.annotator)
        text = f"{self.curation.annotator} · {self.store.path} · {done:,} of {total:,} articles done"
        if self.doc is not None:
            here = self.store.active_seconds(self.curation.annotator, self.doc.id)
            text += f" · this article {duration_words(here)}, in all {duration_words(self.store.active_seconds(self.curation.annotator))}"
        self.status.setText(text)

    def show_progress(self) -> None:
        self._flush_time()
        ProgressView(curator_progress(self.store), self).exec()

    # -- background work -------------------------------------------------------------------------

    def start_preannotation(self, settings) -> None:
        from gui.workers import PreannotateWorker

        self.worker = PreannotateWorker(settings, self)
        self.worker.imported.connect(self._on_imported)
        self.worker.planned.connect(self._on_planned)
        self.worker.returned.connect(self._on_preannotated)
        self.worker.errored.connect(lambda error: self.runner.tell(
            "Pre-annotation stopped; the articles it had not reached got no new suggestions", error))
        self.runner.say("Loading the language model to see which articles need suggestions…")
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
            self.runner.tell("The LLM was not asked", e)
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
            if self.doc is not None and self.doc.id == doc.id:
                current = self.current_claim()
                self._show_claims((current or {}).get("id"), max(0, self.claim_list.currentIndex().row()), reveal=False)
            self.documents.update_rows([doc.id])
            self.runner.say(message)

        def done(report: dict) -> None:
            if report.get("stopped"):
                return finished("Stopped asking the LLM: no suggestion was stored for this article.")
            n = report["suggested"]
            finished(f"LLM ({recommender.llm.model}): {n} claim{'s' * (n != 1)} suggested, {report['duplicates']} already there "
                     f"(counted once), {report['not_suggested']} not suggested (a required value not in the text); "
                     f"{report['requests']} requests, {report['cached']} answers from the cache.")

        worker.progress.connect(lambda answered, pieces: (dialog.setMaximum(pieces + 1), dialog.setValue(answered)))
        worker.returned.connect(done)
        worker.errored.connect(lambda error: finished(f"⚠ No LLM suggestions for this article: {failure_words(error)}"))
        dialog.canceled.connect(worker.requestInterruption)
        dialog.canceled.connect(lambda: self.runner.say("Stopping: the answer under way will not be used…"))
        dialog.show()
        worker.start()

    def closeEvent(self, event) -> None:
        """Closing stores the time and place, stops pre-annotation after the document in hand (each
        is stored whole) and a question to the LLM under way, storing nothing."""
        QApplication.instance().removeEventFilter(self.activity)
        self.flush_timer.stop()
        self._flush_time(closing=True)
        worker = getattr(self, "worker", None)
        if worker is not None:
            stop_quietly(worker, worker.imported, worker.returned, worker.errored)
        asking = getattr(self, "llm_worker", None)
        if asking is not None:
            stop_quietly(asking, asking.progress, asking.returned, asking.errored)
        super().closeEvent(event)

    def _on_imported(self, count: int) -> None:
        self.runner.say(f"Imported {count} seed articles; loading the language model…")
        self.reload_documents()
        if self.doc is None and self.documents.rowCount():
            self.open_document(self.documents.row(0)["id"])

    def _on_planned(self, count: int) -> None:
        """Pre-annotation starts on its own at launch: say what it is about to do, and that finished
        articles and decisions are safe."""
        if count:
            self.runner.say(
                f"Pre-annotating {count} article{'s' if count != 1 else ''} whose suggestions are out of date (new articles, "
                "or a changed schema or knowledge base); finished articles and your decisions are left as they are. "
                "You can go on working.")

    def _on_preannotated(self, report: dict) -> None:
        notices = " ".join(report["notices"])
        done = f"Pre-annotated {report['documents']} articles." if report["documents"] else "Suggestions are up to date."
        self.runner.say(f"{done} {notices}".strip())
        if report["documents"]:
            self.reload_documents()
            if self.doc:
                self.spans = self.curation.spans(self.doc.id)
                self.article_view.show_spans(self.spans)
                self._show_claims((self.current_claim() or {}).get("id"), reveal=False)

