"""Review mode (`gui --review`): the curators' versions side by side, resolved into gold from the keyboard.

    J/K or ↓/↑  next/previous difference        1-9  take curator N's version (claim or span label)
    S  take the selected cell's slot into gold  E  edit a slot of the gold     X  reject
    N  note on the gold                         Ctrl+Z / Ctrl+Shift+Z  undo / redo   D  article reviewed, next
On opening an article, the claims and spans all curators agree on become gold (one undoable step).
Every decision runs through the window's ActionRunner; what its Change names is read again (the
claim groups for claims, the span groups and highlights for spans), nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QMainWindow,
    QTableView,
    QTabWidget,
)

from annotations.curation import Change
from annotations.review import ClaimGroup, Review, SpanGroup
from annotations.store import Store
from annotations.wording import slot_value_words
from gui.article_view import ArticleView
from gui.dialogs import SlotDialog
from gui.frame import HelpOverlay, Key, bind_keys, column, read_only_banner, set_panes
from gui.models import DocumentListModel, IdRole
from gui.runner import ActionRunner, stop_quietly
from gui.workers import ConflictsWorker

CONFLICT_LINES = 10  # values listed per conflict across articles
KEYS_HELP = "J/K move · 1–9 take curator N's version · S take the selected slot · E edit gold · X reject · N note · D reviewed → next · Ctrl+Z undo · F1 keys"


def _describe(version: dict | None, slot: str) -> str:
    if version is None:
        return "—"
    if version["status"] == "rejected":
        return "rejected"
    return " / ".join(slot_value_words(v) for v in version["slots"].get(slot, [])) or "·"


class GroupListModel(QAbstractListModel):
    """The differences and agreements of the open article. `_groups` -- ClaimGroup and SpanGroup objects."""

    def __init__(self, groups: list, text: str, parent=None):
        super().__init__(parent)
        self._groups, self._text = list(groups), text

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        resolved = group.gold is not None or (isinstance(group, ClaimGroup) and group.rejected_by_all)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "★" if group.gold and group.gold["status"] == "gold" else "✗" if resolved else "≠" if not group.agreed else "="
            if isinstance(group, SpanGroup):
                labels = ", ".join(f"{name}: {label or '—'}" for name, label in group.labels.items())
                return f"{mark} entity “{self._text[group.start:group.end]}” — {labels}"
            rejected = {name for name, v in group.versions.items() if v and v["status"] == "rejected"}
            missing = [name for name, v in group.versions.items() if v is None]
            if group.agreed:
                detail = "all agree"
            elif missing:
                detail = f"only {', '.join(n for n in group.versions if n not in missing)} has it"
            elif rejected:
                detail = f"rejected by {', '.join(sorted(rejected))} only"
            else:
                detail = f"differ on {', '.join(group.differing_slots())}"
            return f"{mark} {group.type}: {_describe(group.first_version(), group.slots[0])} — {detail}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#1b7f3b") if resolved else QColor("#b00020") if not group.agreed else QColor("#555555")
        return None

    def group(self, row: int):
        return self._groups[row] if 0 <= row < len(self._groups) else None


class ComparisonModel(QAbstractTableModel):
    """One group slot by slot: a row per slot, a column per curator, and the gold."""

    def __init__(self, group=None, parent=None):
        super().__init__(parent)
        self.group = group
        if isinstance(group, ClaimGroup):
            self.columns = [*group.versions, "gold"]
            self.rows = ["status", *group.slots, "note"]
        elif isinstance(group, SpanGroup):
            self.columns = [*group.labels, "gold"]
            self.rows = ["label"]
        else:
            self.columns, self.rows = [], []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def _version(self, column: str):
        if isinstance(self.group, SpanGroup):
            return self.group.gold if column == "gold" else None
        return self.group.gold if column == "gold" else self.group.versions[column]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows) and 0 <= index.column() < len(self.columns)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(self.group, SpanGroup):
                if column == "gold":
                    return ("rejected" if self.group.gold["status"] == "rejected" else self.group.gold["label"]) if self.group.gold else ""
                return self.group.labels[column] or "—"
            version = self._version(column)
            if row == "status":
                return version["status"] if version else "—"
            if row == "note":
                return (version or {}).get("note") or ""
            return _describe(version, row) if version or column != "gold" else ""
        if role == Qt.ItemDataRole.BackgroundRole and isinstance(self.group, ClaimGroup) and row in self.group.differing_slots():
            return QColor("#ffe0e0")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            name = self.columns[section]
            return name if name == "gold" else f"{section + 1} {name}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return self.rows[section]
        return None


class ReviewWindow(QMainWindow):
    def __init__(self, store: Store, review: Review, parent=None):
        super().__init__(parent)
        self.store, self.review, self.schema = store, review, review.schema
        self.setWindowTitle(f"Claimdesk review — {store.path.name} — {review.annotator}")
        self.doc = None
        self.claim_groups: list[ClaimGroup] = []
        self.span_groups: list[SpanGroup] = []
        self.runner = ActionRunner(self)
        self.runner.changed.connect(self._on_changed)
        self.documents = DocumentListModel(parent=self)
        self.article_list = QListView()
        self.article_list.setModel(self.documents)
        self.article_list.setWordWrap(True)
        self.article_view = ArticleView(self.schema)
        self.groups = GroupListModel([], "", self)
        self.group_list = QListView()
        self.group_list.setModel(self.groups)
        self.comparison = ComparisonModel()
        self.table = QTableView()
        self.table.setModel(self.comparison)
        self.across = QListWidget()
        tabs = QTabWidget()
        this_article = column(self.group_list, QLabel(f"<small>{KEYS_HELP}</small>", wordWrap=True), self.table)
        tabs.addTab(this_article, "This article")
        tabs.addTab(self.across, "Across articles")
        self.status = set_panes(self, [self.article_list, column(read_only_banner(store), self.article_view), tabs], [240, 600, 560])
        self.key_table = self._key_table()
        bind_keys(self, self.key_table)
        self.help = HelpOverlay(self, self.key_table)
        self.reload()

    def _key_table(self) -> list[Key]:
        review = "Review"
        table = [Key(("J",), "next difference", lambda: self._move(1), review),
                 Key(("K",), "previous difference", lambda: self._move(-1), review)]
        for number in range(1, 10):
            table.append(Key((str(number),), f"take curator {number}'s version", lambda n=number: self.take_version(n - 1), review,
                             shown="1–9", group="take curator N's version (claim or span label)"))
        table += [Key(("S",), "take the selected cell's slot into the gold", self.take_slot, review),
                  Key(("E",), "edit a slot of the gold", self.edit_gold, review),
                  Key(("X",), "reject", self.reject, review),
                  Key(("N",), "note on the gold", self.note, review),
                  Key(("D",), "article reviewed, open the next", self.mark_reviewed, review),
                  Key(("Ctrl+Z",), "undo", lambda: self.runner.run("undo", self.review.undo, nothing="Nothing to undo."), review),
                  Key(("Ctrl+Shift+Z", "Ctrl+Y"), "redo", lambda: self.runner.run("redo", self.review.redo, nothing="Nothing to redo."),
                      review),
                  Key(("F1", "?"), "these keys", self.help_open, "Help")]
        return table

    def help_open(self) -> None:
        self.help.open()

    def reload(self) -> None:
        ids = set(self.review.documents())
        self.to_review = len(ids)
        self.documents = DocumentListModel(self.store, self.review.annotator, allowed=ids, parent=self)
        self.article_list.setModel(self.documents)
        self.article_list.selectionModel().currentChanged.connect(
            lambda current, _: current.data(IdRole) is not None and self.open_document(current.data(IdRole)))
        self.across.clear()
        self.across.addItem("Looking for the same fact with different values in other articles…")
        self._show_status("looking for conflicts across articles…")
        self.conflicts_worker = ConflictsWorker(self.store.path, self.schema, self)
        self.conflicts_worker.returned.connect(self._show_conflicts)
        self.conflicts_worker.errored.connect(self._conflicts_failed)
        self.conflicts_worker.start()

    def _conflicts_failed(self, error: Exception) -> None:
        self.runner.tell("Conflicts across articles not checked", error)
        self._show_status("conflicts across articles not checked")

    def _show_status(self, conflicts: str) -> None:
        self.status.setText(f"{self.review.annotator} (reviewer) · {self.store.path} · {self.to_review:,} articles to review"
                            f" · {conflicts}")

    def _show_conflicts(self, conflicts: list[dict]) -> None:
        """One entry per conflict: the fact, then its values with the article and evidence of each
        (the first CONFLICT_LINES of them; a big workspace can have thousands)."""
        self.across.clear()
        if not conflicts:
            self.across.addItem("No fact has different values in different articles: every claim about the same fact "
                                "(its type and the slots claims.yaml names as its identity) that curators or reviewers decided agrees.")
        for conflict in conflicts:
            claims = conflict["claims"]
            first, *rest = conflict["identity"].items()
            about = ", ".join(str(value) if value is not None else f"no {slot}" for slot, value in rest)
            lines = [f"{conflict['type']} of {first[1]}" + (f" ({about})" if rest else "") + ":"]
            lines += [f"   {c['value']} in {c['doc']} ({c['annotator']}): “{c['evidence'].strip()}”" for c in claims[:CONFLICT_LINES]]
            if len(claims) > CONFLICT_LINES:
                lines.append(f"   … and {len(claims) - CONFLICT_LINES} more in {len({c['doc'] for c in claims[CONFLICT_LINES:]})} articles")
            self.across.addItem("\n".join(lines))
        self._show_status(f"{len(conflicts)} conflict{'' if len(conflicts) == 1 else 's'} across articles")

    def closeEvent(self, event) -> None:
        """Closing while conflicts are being looked for stops that between two articles."""
        worker = getattr(self, "conflicts_worker", None)
        if worker is not None:
            stop_quietly(worker, worker.returned, worker.errored)
        super().closeEvent(event)

    def open_document(self, doc_id: int) -> None:
        row = self.documents.row_of(doc_id)
        if row >= 0 and self.article_list.currentIndex().row() != row:
            self.article_list.setCurrentIndex(self.documents.index(row))
            return
        self.doc = None  # what auto_gold changes is read below, with the article
        change = self.runner.run("what all curators agree on, as gold", lambda: self.review.auto_gold(doc_id), quiet=True)
        self.doc = self.store.document(doc_id)
        if change:
            self.runner.say(f"What all curators agree on is now gold ({len(change.claims)} claims, "
                            f"{len(change.spans)} spans); Ctrl+Z undoes it.", 8000)
        self.claim_groups, self.span_groups = self.review.claim_groups(doc_id), self.review.span_groups(doc_id)
        self.article_view.show_article(self.doc.text, self._shown_spans())
        self._show_groups(0)
        self.documents.update_rows([doc_id])
        self.group_list.setFocus()

    def _on_changed(self, change: Change) -> None:
        """Read again only the groups the change touched; the article's text stays as it is."""
        if self.doc is None:
            return
        if change.doc_id is not None and change.doc_id != self.doc.id:
            self.open_document(change.doc_id)  # an undo in another article
            return
        row = self.group_list.currentIndex().row()
        if change.claims or change.kb:
            self.claim_groups = self.review.claim_groups(self.doc.id)
        if change.spans or change.kb:
            self.span_groups = self.review.span_groups(self.doc.id)
            self.article_view.show_spans(self._shown_spans())
        if change.claims or change.spans or change.kb:
            self._show_groups(max(row, 0))
        self.documents.update_rows(sorted(change.documents))

    def _shown_spans(self) -> list[dict]:
        """The gold where there is one, else the first curator's span, so the article reads as the result will."""
        shown = [group.gold or next(iter(group.spans.values())) for group in self.span_groups]
        return sorted(shown, key=lambda s: (s["start"], s["end"]))

    def _show_groups(self, row: int = 0) -> None:
        groups = sorted(self.claim_groups + self.span_groups, key=lambda g: (g.agreed, g.gold is not None))
        self.groups = GroupListModel(groups, self.doc.text, self)
        self.group_list.setModel(self.groups)
        self.group_list.selectionModel().currentChanged.connect(lambda current, _: self._on_group(current.row()))
        if groups:
            self.group_list.setCurrentIndex(self.groups.index(min(row, len(groups) - 1)))
        else:
            self._on_group(-1)

    def _on_group(self, row: int) -> None:
        group = self.groups.group(row)
        self.comparison = ComparisonModel(group, self)
        self.table.setModel(self.comparison)
        if isinstance(group, ClaimGroup):
            self.article_view.mark_claim(group.gold or group.first_version(), reveal=True)
        elif isinstance(group, SpanGroup):
            self.article_view.mark_claim({"evidence": {"start": group.start, "end": group.end}, "slots": {}}, reveal=True)

    def current_group(self):
        return self.groups.group(self.group_list.currentIndex().row())

    def _move(self, step: int) -> None:
        row = self.group_list.currentIndex().row() + step
        if 0 <= row < self.groups.rowCount():
            self.group_list.setCurrentIndex(self.groups.index(row))

    # -- decisions -------------------------------------------------------------------------------

    def take_version(self, number: int) -> None:
        group = self.current_group()
        if group is None:
            return
        names = list(group.versions if isinstance(group, ClaimGroup) else group.labels)
        if number >= len(names):
            self.runner.say(f"⚠ there are {len(names)} curators on this article", 5000)
            return
        if isinstance(group, ClaimGroup):
            self.runner.run("the version taken into gold", lambda: self.review.pick_version(group, names[number]))
        else:
            self.runner.run("the label taken into gold", lambda: self.review.pick_span_label(group, names[number]))

    def take_slot(self) -> None:
        group, index = self.current_group(), self.table.currentIndex()
        if not isinstance(group, ClaimGroup) or not index.isValid():
            self.runner.say("Select a slot in a curator's column first (Tab to the table, arrows).", 5000)
            return
        slot, curator = self.comparison.rows[index.row()], self.comparison.columns[index.column()]
        if slot in ("status", "note") or curator == "gold":
            self.runner.say("Select a slot value in a curator's column.", 5000)
            return
        self.runner.run("the slot taken into gold", lambda: self.review.pick_slot(group, slot, curator))

    def edit_gold(self) -> None:
        group = self.current_group()
        if not isinstance(group, ClaimGroup) or not group.gold or group.gold["status"] != "gold":
            self.runner.say("Take a version first (1–9), then edit it.", 5000)
            return
        row = self.table.currentIndex().row()
        slot = self.comparison.rows[row] if 0 <= row < len(self.comparison.rows) and self.comparison.rows[row] in group.slots else group.slots[0]
        spans = self.store.spans_of(self.doc.id)
        dialog = SlotDialog(self.review, self.doc, group.gold, slot, spans, self)
        if dialog.exec() and dialog.values is not None:
            self.runner.run("the gold slot's new value", lambda: self.review.set_slot(group.gold["id"], dialog.slot_name, dialog.values))

    def reject(self) -> None:
        group = self.current_group()
        if isinstance(group, ClaimGroup):
            self.runner.run("rejecting the claim", lambda: self.review.reject_group(group))
        elif isinstance(group, SpanGroup):
            span = group.gold or next(iter(group.spans.values()))
            self.runner.run("rejecting the span", lambda: self.review.reject_span(span["id"]))

    def note(self) -> None:
        group = self.current_group()
        if not isinstance(group, ClaimGroup) or not group.gold:
            self.runner.say("A note goes on a decision: take a version or reject first.", 5000)
            return
        text, ok = QInputDialog.getText(self, "Note", "Why this decision:", text=group.gold.get("note") or "")
        if ok:
            self.runner.run("the note", lambda: self.review.set_note(group.gold["id"], text))

    def mark_reviewed(self) -> None:
        if not self.doc:
            return
        current = self.doc.id
        if self.runner.run("the article's reviewed mark", lambda: self.review.mark_done(current)):
            following = self.review.next_to_review(current)
            if following is None:
                self.runner.say("Every article to review is reviewed.", 8000)
                return
            while self.documents.row_of(following) < 0 and self.documents.canFetchMore():
                self.documents.fetchMore()  # bring it into the list, so it shows as selected
            self.open_document(following)
