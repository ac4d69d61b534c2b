"""Small keyboard-first dialogs: a list to pick from by typing (labels, claim types), linking a
span to a canonical entity, editing a gold slot in review, and the progress figures.

Each dialog only gathers what the person chose; the window makes the one core call. Slot values
are normalised by the core while the dialog is open, so a typo is shown before it is stored.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotations.curation import Curation
from annotations.errors import ClaimdeskError
from annotations.model import VALUE_KINDS, VALUE_LABEL_KINDS, Status, label_fits_slot
from annotations.schema import Slot
from annotations.store import Document
from annotations.wording import duration_words

SpanRole = Qt.ItemDataRole.UserRole


def candidate_spans(slot: Slot, doc: Document, spans: list[dict], near: int) -> list[dict]:
    """The article's spans that could fill a slot, nearest to `near` (the evidence) first."""
    if slot.kind == "entity":
        fitting = [s for s in spans if s["status"] != Status.REJECTED and slot.accepts_label(s["label"]) and s["label"] not in VALUE_LABEL_KINDS]
    elif slot.kind in VALUE_KINDS:
        fitting = [s for s in spans if s["status"] != Status.REJECTED and label_fits_slot(s["label"], slot.kind)]
    else:
        return []
    seen, unique = set(), []
    for span in sorted(fitting, key=lambda s: abs(s["start"] - near)):
        if (span["start"], span["end"]) not in seen:
            seen.add((span["start"], span["end"]))
            unique.append(span)
    return unique


def _describe(doc: Document, span: dict) -> str:
    return f"{doc.text[span['start']:span['end']]}  ({span['label']}, at {span['start']})"


class SlotDialog(QDialog):
    """E: pick one of the highlighted spans for a slot, or type a value (normalised on the spot).

    A slot that takes several values (partnership parties) lists the values it holds: Enter adds
    the span or the typed values ("Xiaomi, SK Telecom"), Delete removes the selected one, Ctrl+↑/↓
    move it, Ctrl+Enter or OK stores the list.
    """

    def __init__(self, curation: Curation, doc: Document, claim: dict, slot_name: str, spans: list[dict], parent=None):
        super().__init__(parent)
        self.curation, self.doc, self.claim = curation, doc, claim
        self.values: list[dict] | None = None
        self.claim_type = curation.schema.claim_types[claim["type"]]
        self.slot_choice = QComboBox()
        self.slot_choice.addItems(list(self.claim_type.slots))
        self.slot_choice.setCurrentText(slot_name)
        self.near = (claim.get("evidence") or {}).get("start") or 0
        self.spans = spans
        self.candidates = QListWidget()
        self.chosen = QListWidget()
        self.chosen_title = QLabel()
        for keys, do in (("Delete", self._remove), ("Ctrl+Up", lambda: self._move(-1)), ("Ctrl+Down", lambda: self._move(1))):
            action = QAction(self.chosen)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(do)
            self.chosen.addAction(action)
        self.typed = QLineEdit(placeholderText="or type a value: 28.7%, Rs 22 crore, Q2 2019, Xiaomi…")
        self.feedback = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        clear = buttons.addButton("Clear slot", QDialogButtonBox.ButtonRole.ResetRole)
        clear.clicked.connect(self._clear)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.slot_choice)
        layout.addWidget(self.chosen_title)
        layout.addWidget(self.chosen)
        layout.addWidget(QLabel("Spans in the article (↑/↓, Enter):"))
        layout.addWidget(self.candidates)
        layout.addWidget(self.typed)
        layout.addWidget(self.feedback)
        layout.addWidget(buttons)
        self.slot_choice.currentTextChanged.connect(self._fill_candidates)
        self.typed.textChanged.connect(self._preview)
        self._fill_candidates(slot_name)
        self.resize(520, 420)
        self.candidates.setFocus()

    @property
    def slot_name(self) -> str:
        return self.slot_choice.currentText()

    @property
    def multiple(self) -> bool:
        return self.claim_type.slots[self.slot_name].multiple

    def _fill_candidates(self, slot_name: str) -> None:
        slot = self.claim_type.slots[slot_name]
        self.setWindowTitle(f"{self.claim['type']}: {slot_name}")
        self.candidates.clear()
        for span in candidate_spans(slot, self.doc, self.spans, self.near):
            item = QListWidgetItem(_describe(self.doc, span))
            item.setData(SpanRole, span)
            self.candidates.addItem(item)
        if self.candidates.count():
            self.candidates.setCurrentRow(0)
        self.chosen.clear()
        for value in self.claim["slots"].get(slot_name, []) if slot.multiple else []:
            self._add_chosen(value)
        self.chosen_title.setText(f"{slot_name} holds (Enter adds, Delete removes, Ctrl+↑/↓ moves, Ctrl+Enter stores):")
        self.chosen_title.setVisible(slot.multiple)
        self.chosen.setVisible(slot.multiple)
        hint = {"choice": f"one of: {', '.join(slot.choices)}", "text": "free text"}.get(slot.kind, slot.kind)
        several = ", several values" if slot.multiple else ""
        self.feedback.setText(f"{slot_name} takes {hint}{several}" + (f" ({', '.join(slot.labels)})" if slot.labels else ""))

    def _add_chosen(self, value: dict) -> None:
        where = " — not in the text" if value.get("start") is None else f" (at {value['start']})"
        item = QListWidgetItem(f"{value.get('canonical') or value.get('text', '')}{where}")
        item.setData(SpanRole, value)
        self.chosen.addItem(item)
        self.chosen.setCurrentItem(item)

    def chosen_values(self) -> list[dict]:
        return [self.chosen.item(n).data(SpanRole) for n in range(self.chosen.count())]

    def _typed_values(self) -> list[dict]:
        return self.curation.slot_values_from_text(self.doc, self.claim["type"], self.slot_name, self.typed.text(), self.near)

    def _values(self) -> list[dict]:
        """The typed values, else the selected span's."""
        if self.typed.text().strip():
            return self._typed_values()
        item = self.candidates.currentItem()
        if item is None:
            raise ClaimdeskError("pick a span or type a value")
        return [self.curation.slot_value_from_span(self.doc, self.claim["type"], self.slot_name, item.data(SpanRole))]

    def _preview(self) -> None:
        if not self.typed.text().strip():
            return
        try:
            values = self._typed_values()
        except ClaimdeskError as e:
            self.feedback.setText(f"⚠ {e}")
            return
        self.feedback.setText("; ".join(_shown(value) for value in values))

    def keyPressEvent(self, event) -> None:
        """In a slot that takes several values Enter adds one and Ctrl+Enter stores them all;
        elsewhere Enter stores, as in any dialog."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.multiple and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._add()
        elif enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._accept()
        else:
            super().keyPressEvent(event)

    def _add(self) -> None:
        try:
            values = self._values()
        except ClaimdeskError as e:
            self.feedback.setText(f"⚠ {e}")
            return
        for value in values:
            self._add_chosen(value)
        self.typed.clear()
        self.feedback.setText(f"added {', '.join(v['text'] for v in values)}; Ctrl+Enter stores {self.slot_name}")

    def _remove(self) -> None:
        self.chosen.takeItem(self.chosen.currentRow())

    def _move(self, step: int) -> None:
        row = self.chosen.currentRow()
        if 0 <= row + step < self.chosen.count():
            self.chosen.insertItem(row + step, self.chosen.takeItem(row))
            self.chosen.setCurrentRow(row + step)

    def _accept(self) -> None:
        try:
            if self.multiple:
                self.values = self.chosen_values() + (self._typed_values() if self.typed.text().strip() else [])
            else:
                self.values = self._values()
        except ClaimdeskError as e:
            self.feedback.setText(f"⚠ {e}")
            return
        self.accept()

    def _clear(self) -> None:
        self.values = []
        self.accept()


def _shown(value: dict) -> str:
    """A typed value as the core read it, and whether the text has it."""
    normal = value.get("value") or {}
    where = "" if value.get("start") is not None else " (not in the text)"
    return (f"→ {value.get('canonical') or normal.get('value', value['text'])} "
            f"{normal.get('currency', '')} {normal.get('qualifier', '')}".strip() + where)


class Palette(QDialog):
    """A list to pick from by typing: every word typed narrows it (a label, a claim type), ↑/↓
    move, Enter picks the one selected, Esc picks nothing. `choice` is the item's data, or None."""

    def __init__(self, title: str, items: list[tuple[str, object]], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choice = None
        self.filter = QLineEdit(placeholderText="type to narrow the list; ↑/↓, Enter")
        self.list = QListWidget()
        for text, data in items:
            item = QListWidgetItem(text)
            item.setData(SpanRole, data)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.filter.textChanged.connect(self._narrow)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(lambda _: self._pick())
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.resize(380, 420)
        self.filter.setFocus()

    def _narrow(self, text: str) -> None:
        words = text.lower().split()
        first = None
        for n in range(self.list.count()):
            item = self.list.item(n)
            hidden = not all(w in item.text().lower() for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = n
        # what the typing begins best: the item whose name starts with it, else the first left
        starting = next((n for n in range(self.list.count()) if not self.list.item(n).isHidden()
                         and self.list.item(n).text().lower().startswith(text.lower().strip())), first)
        if starting is not None:
            self.list.setCurrentRow(starting)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if event.key() == Qt.Key.Key_Down else -1)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick()
                return True
        return False

    def _step(self, step: int) -> None:
        row = self.list.currentRow() + step
        while 0 <= row < self.list.count() and self.list.item(row).isHidden():
            row += step
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)

    def _pick(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self.choice = item.data(SpanRole)
            self.accept()


class ProgressView(QDialog):
    """Progress (Ctrl+P): per curator, articles done and per day, active time, the median time per
    finished article and claims per hour (annotations/progress.py)."""

    def __init__(self, figures: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Progress")
        headers = ["curator", "articles done", "active time", "articles timed", "median per finished article",
                   "claims decided", "claims an hour"]
        self.table = QTableWidget(len(figures), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        days = sorted({day for person in figures.values() for day in person.done_per_day})
        for row, (name, person) in enumerate(figures.items()):
            cells = [name, str(person.articles_done), duration_words(person.active_seconds), str(person.articles_timed),
                     "—" if person.median_seconds_per_article is None else duration_words(person.median_seconds_per_article),
                     str(person.claims_decided), "—" if person.claims_per_hour is None else f"{person.claims_per_hour:.0f}"]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(cell))
        self.table.resizeColumnsToContents()
        self.per_day = QTableWidget(len(days), len(figures))
        self.per_day.setHorizontalHeaderLabels(list(figures))
        self.per_day.setVerticalHeaderLabels(days)
        for row, day in enumerate(days):
            for column, person in enumerate(figures.values()):
                self.per_day.setItem(row, column, QTableWidgetItem(str(person.done_per_day.get(day, ""))))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Active time counts the time between two of a curator's keys or clicks, "
                                "leaving out pauses of over a minute."))
        layout.addWidget(self.table)
        layout.addWidget(QLabel("Articles done per day:"))
        layout.addWidget(self.per_day)
        layout.addWidget(buttons)
        self.resize(820, 480)


class LinkDialog(QDialog):
    """Link a mention to a canonical entity: pick a known one, or type a new id to create it."""

    def __init__(self, curation: Curation, mention: str, label: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Link “{mention}” to a canonical entity")
        self.choice = QComboBox(editable=True)
        self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter accepts the typed id, never adds it as an item
        known = sorted(curation.kb.entities.values(), key=lambda e: e.name.lower())
        for entity in known:
            self.choice.addItem(f"{entity.name} [{entity.kb_id}]", entity.kb_id)
        guess = curation.kb.aliases().get(mention)
        self.choice.setCurrentIndex(self.choice.findData(guess) if guess else -1)
        if not guess:
            self.choice.setEditText(mention.lower().replace(" ", "_"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{label} mention “{mention}”. Pick an entity, or type a new id (lowercase_with_underscores):"))
        layout.addWidget(self.choice)
        layout.addWidget(buttons)

    def kb_id(self) -> str:
        """The picked entity's id, or the id typed for a new one."""
        index = self.choice.findText(self.choice.currentText())
        return (self.choice.itemData(index) if index >= 0 else None) or self.choice.currentText().strip()
