"""The side panel: the selected claim edited in place, beside the article it comes from.

Every slot of the claim's type is a row with its current value: Tab goes from slot to slot, Alt
and the slot's underlined letter goes straight to one. A slot that takes a name or a number is an
editable list of the article's spans that fit it (nearest to the evidence first; ↓ picks the next)
where a value can also be typed, read by the core as it is typed ("→ about $75 bn"); a choice slot
is a pick list; a slot that takes several values is a list (Enter adds, Delete removes, Ctrl+↑/↓
moves). Enter stores the slot through the window's runner, one core call; Esc goes back to the
claims. Nothing here covers the evidence, unlike the dialogs it replaces.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from annotations.curation import Curation
from annotations.errors import ClaimdeskError
from annotations.schema import ClaimType, Slot
from annotations.store import Document
from annotations.wording import slot_value_words, value_words
from gui.dialogs import candidate_spans
from gui.frame import OwnKeys

SpanRole = Qt.ItemDataRole.UserRole


def mnemonics(names: list[str]) -> dict[str, str]:
    """A letter for each slot, its first letter not taken by an earlier slot (subject s, share h)."""
    taken, letters = set(), {}
    for name in names:
        letter = next((c for c in name.lower() if c.isalpha() and c not in taken), None)
        if letter:
            taken.add(letter)
            letters[name] = letter
    return letters


class SlotRow:
    """One slot of the panel: its label, its editor, and a line saying its value or the problem."""

    def __init__(self, panel: ClaimPanel, name: str, slot: Slot, letter: str | None):
        self.panel, self.name, self.slot = panel, name, slot
        shown = name.replace(letter, "&" + letter, 1) if letter and letter in name else name
        self.label = QLabel(shown + (" *" if slot.required else ""))
        self.feedback = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.feedback.setStyleSheet("color: #555555; font-size: 9pt;")
        self.values: list[dict] = []

    def widget(self) -> QWidget:
        """What the row shows beside its label (its editor, `box`, unless the kind has more)."""
        return self.box

    def focus_widget(self) -> QWidget:
        """Where Alt and the row's letter go."""
        return self.box

    # a row kind's own: showing values, reading what the curator chose, and whether it changed
    def show_values(self, values: list[dict], candidates: list[dict]) -> None: ...
    def chosen(self) -> list[dict]: ...
    def unchanged(self) -> bool: ...

    def tab_widgets(self) -> list[QWidget]:
        """The row's widgets in the order Tab goes through them."""
        return [self.focus_widget()]

    def set_feedback(self, text: str, problem: bool = False) -> None:
        self.feedback.setText(text)
        self.feedback.setStyleSheet(f"color: {'#b00020' if problem else '#555555'}; font-size: 9pt;")

    def describe(self, values: list[dict], problem: str = "") -> None:
        """The row's stored value in words, or its problem."""
        if problem:
            self.set_feedback(f"⚠ {problem}", True)
        elif not values:
            self.set_feedback("required: empty" if self.slot.required else "empty")
        else:
            self.set_feedback(" + ".join(self.panel.value_line(v) for v in values))

    def store(self) -> None:
        self.panel.store(self)


class SpanRow(SlotRow):
    """A name, number, period, date or text: the spans that fit, or what the curator types."""

    def __init__(self, panel, name, slot, letter):
        super().__init__(panel, name, slot, letter)
        self.box = QComboBox(editable=True)
        self.box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.box.setCompleter(None)  # inline completion turned "Japan" into "Japanese"
        self.box.lineEdit().setPlaceholderText(_placeholder(slot))
        self.box.lineEdit().returnPressed.connect(self.store)
        self.box.editTextChanged.connect(self._preview)
        self.label.setBuddy(self.box)
        self.shown_text = ""
        self.owner: SlotRow = self  # the row whose stored value the feedback line tells

    def show_values(self, values, candidates) -> None:
        self.values = values
        self.box.blockSignals(True)
        self.box.clear()
        for span in candidates:
            self.box.addItem(self.panel.doc.text[span["start"]:span["end"]], span)
        value = values[0] if values else None
        places = [(s["start"], s["end"]) for s in candidates]
        here = (value.get("start"), value.get("end")) if value else None
        self.box.setCurrentIndex(places.index(here) if here in places else -1)
        self.shown_text = value.get("text", "") if value else ""
        self.box.setEditText(self.shown_text)
        self.box.blockSignals(False)

    def chosen(self) -> list[dict]:
        text = self.box.currentText().strip()
        if not text:
            return []
        span = self.box.currentData() if self.box.currentIndex() >= 0 and self.box.itemText(self.box.currentIndex()) == text else None
        panel = self.panel
        if span is not None and self.slot.kind != "text":
            return [panel.curation.slot_value_from_span(panel.doc, panel.claim["type"], self.name, span)]
        return panel.curation.slot_values_from_text(panel.doc, panel.claim["type"], self.name, text, panel.near)

    def unchanged(self) -> bool:
        return self.box.currentText().strip() == self.shown_text.strip()

    def _preview(self, _text: str) -> None:
        if self.unchanged():
            self.panel.describe_row(self.owner)
            return
        try:
            values = self.chosen()
        except ClaimdeskError as e:
            self.set_feedback(f"⚠ {e}{self.panel.date_hint(self.slot)}", True)
            return
        self.set_feedback("→ " + (" + ".join(self.panel.value_line(v) for v in values) or "empty (Enter clears the slot)"))


class ChoiceRow(SlotRow):
    """A choice slot: its choices as a pick list (↑/↓ or the first letter, Enter stores)."""

    def __init__(self, panel, name, slot, letter):
        super().__init__(panel, name, slot, letter)
        self.box = ChoiceBox()
        self.box.addItem("—", None)
        for choice in slot.choices:
            self.box.addItem(choice.replace("_", " "), choice)
        self.box.chosen.connect(self.store)
        self.box.currentIndexChanged.connect(lambda _: self._preview())
        self.label.setBuddy(self.box)
        self.shown_choice = None

    def show_values(self, values, candidates) -> None:
        self.values = values
        self.shown_choice = ((values[0].get("value") or {}).get("value")) if values else None
        self.box.blockSignals(True)
        self.box.setCurrentIndex(max(0, self.box.findData(self.shown_choice)))
        self.box.blockSignals(False)

    def chosen(self) -> list[dict]:
        choice = self.box.currentData()
        if choice is None:
            return []
        panel = self.panel
        return [panel.curation.choice_value(panel.doc, panel.claim["type"], self.name, choice, panel.claim.get("evidence"))]

    def unchanged(self) -> bool:
        return self.box.currentData() == self.shown_choice

    def _preview(self) -> None:
        if self.unchanged():
            self.panel.describe_row(self)
        else:
            self.set_feedback(f"→ {self.box.currentText()} (Enter stores it)")


class ChoiceBox(QComboBox):
    """A pick list that emits `chosen` on Enter, or when a choice is picked from its open list;
    moving through it with the arrows stores nothing."""

    chosen = Signal()

    def __init__(self):
        super().__init__()
        self._moving = False
        self.activated.connect(lambda _: None if self._moving else self.chosen.emit())

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.chosen.emit()
            return
        self._moving = True
        try:
            super().keyPressEvent(event)
        finally:
            self._moving = False


class ListRow(SlotRow):
    """A slot that takes several values: the list, and a field to add a span or typed values."""

    def __init__(self, panel, name, slot, letter):
        super().__init__(panel, name, slot, letter)
        self.adder = SpanRow(panel, name, slot, None)
        self.adder.box.lineEdit().returnPressed.disconnect()
        self.adder.box.lineEdit().returnPressed.connect(self.add)
        self.adder.box.lineEdit().setPlaceholderText("add: a span (↓) or names, comma-separated; Enter adds")
        self.adder.feedback = self.feedback
        self.adder.owner = self
        self.list = ValueList(self)
        self.list.setMaximumHeight(70)
        self.label.setBuddy(self.adder.box)
        self.box_widget = QWidget()
        layout = QVBoxLayout(self.box_widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.adder.box)

    def widget(self) -> QWidget:
        return self.box_widget

    def focus_widget(self) -> QWidget:
        return self.adder.box

    def tab_widgets(self) -> list[QWidget]:
        return [self.adder.box, self.list]

    def show_values(self, values, candidates) -> None:
        self.values = values
        self.list.clear()
        for value in values:
            self.list.addItem(self.panel.value_line(value))
        self.adder.show_values([], candidates)
        self.pending = list(values)

    def chosen(self) -> list[dict]:
        return self.pending

    def unchanged(self) -> bool:
        return self.pending == self.values

    def add(self) -> None:
        try:
            added = self.adder.chosen()
        except ClaimdeskError as e:
            self.set_feedback(f"⚠ {e}", True)
            return
        if added:
            self.pending = self.values + added
            self.store()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.values):
            self.pending = self.values[:row] + self.values[row + 1:]
            self.store()

    def move(self, row: int, step: int) -> None:
        if 0 <= row < len(self.values) and 0 <= row + step < len(self.values):
            values = list(self.values)
            values[row], values[row + step] = values[row + step], values[row]
            self.pending = values
            self.store()
            self.list.setCurrentRow(row + step)


class ValueList(QListWidget):
    """The values of a slot that takes several: Delete removes one, Ctrl+↑/↓ moves it."""

    def __init__(self, row: ListRow):
        super().__init__()
        self.row = row

    def keyPressEvent(self, event) -> None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.row.remove(self.currentRow())
        elif control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.row.move(self.currentRow(), -1 if event.key() == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)


class ClaimPanel(QWidget):
    """The selected claim's slots, edited in place. `store_slot(claim id, slot, make values)` is the
    window's: it runs the core call through the runner and says whether it was stored."""

    left = Signal()  # Esc: back to the claims

    def __init__(self, curation: Curation, store_slot: Callable[[str, str, Callable[[], list[dict]]], bool], parent=None):
        super().__init__(parent)
        self.curation, self.store_slot = curation, store_slot
        self.doc: Document | None = None
        self.claim: dict | None = None
        self.claim_type: ClaimType | None = None
        self.near = 0
        self.rows: dict[str, SlotRow] = {}
        self.title = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.title.setStyleSheet("font-weight: bold;")
        self.dated = QLabel(textFormat=Qt.TextFormat.PlainText, wordWrap=True)
        self.dated.setStyleSheet("color: #555555; font-size: 9pt;")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.dated)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.own_keys = OwnKeys(self)
        self.last_slot: str | None = None

    def show_claim(self, doc: Document | None, claim: dict | None, spans: list[dict]) -> None:
        """Show a claim (None: no claim). The same type keeps its rows, so the focus stays put."""
        if not _same_claim(self.claim, claim):
            self.last_slot = None
        self.doc, self.claim = doc, claim
        claim_type = self.curation.schema.claim_types.get(claim["type"]) if claim else None
        if claim_type is not self.claim_type:
            self._build(claim_type)
        if claim is None or doc is None:
            self.title.setText("No claim selected: J/K or ↓/↑ picks one, N adds one.")
            self.dated.setText("")
            return
        self.near = (claim.get("evidence") or {}).get("start") or 0
        who = "suggested" + (f", confidence {claim['confidence']:.2f}" if claim.get("confidence") is not None else "") \
            if claim["status"] == "suggested" else f"{claim['status']} by {claim['annotator']}"
        self.title.setText(f"{claim['type'].replace('_', ' ')} — {who}")
        self.dated.setText(f"Published {doc.published} (Ctrl+D changes it); relative periods are read against it" if doc.published
                           else "Publication date unknown: “this year” cannot be read (Ctrl+D sets it)")
        for name, row in self.rows.items():
            row.show_values(claim["slots"].get(name) or [], candidate_spans(row.slot, doc, spans, self.near))
            self.describe_row(row)

    def _build(self, claim_type: ClaimType | None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows, self.claim_type = {}, claim_type
        if claim_type is None:
            return
        letters = mnemonics(list(claim_type.slots))
        for name, slot in claim_type.slots.items():
            kind = ListRow if slot.multiple else ChoiceRow if slot.kind == "choice" else SpanRow
            row = kind(self, name, slot, letters.get(name))
            self.rows[name] = row
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 2)
            column.setSpacing(0)
            column.addWidget(row.widget())
            column.addWidget(row.feedback)
            self.form.addRow(row.label, box)
            row.label.show()  # at once, not when the event loop gets round to it: its Alt+letter works from the next key
            box.show()
            for widget in [row.widget(), *row.widget().findChildren(QWidget)]:
                widget.installEventFilter(self.own_keys)  # typing is typing, not the window's keys
                widget.installEventFilter(self)
        widgets = [widget for row in self.rows.values() for widget in row.tab_widgets()]
        for before, after in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(before, after)

    # -- what the window asks -------------------------------------------------------------------------

    def focus_slot(self, name: str | None = None) -> None:
        """E: the slot named, else the first with a problem, else the first empty required one, else the first."""
        if not self.rows or self.claim is None:
            return
        problems = self.claim.get("problems", [])
        name = name if name in self.rows else next(
            (n for n in self.rows if any(p.startswith(n + " ") or p.startswith(n + ":") for p in problems)),
            next((n for n, r in self.rows.items() if r.slot.required and not self.claim["slots"].get(n)), next(iter(self.rows))))
        self.rows[name].focus_widget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def active_slot(self) -> str | None:
        """The slot the curator is in, or was in last on this claim (S puts a selection there)."""
        return self.last_slot

    def editor(self, name: str) -> QWidget:
        return self.rows[name].focus_widget()

    # -- rows --------------------------------------------------------------------------------------

    def store(self, row: SlotRow) -> None:
        if row.unchanged():
            self.left.emit()
            return
        if self.claim is not None and self.store_slot(self.claim["id"], row.name, row.chosen) and not isinstance(row, ListRow):
            self.left.emit()

    def describe_row(self, row: SlotRow) -> None:
        problems = self.claim.get("problems", []) if self.claim else []
        problem = next((p for p in problems if p.startswith(row.name + " ") or p.startswith(row.name + ":")), "")
        row.describe(row.values, problem)

    def value_line(self, value: dict) -> str:
        """A stored or typed value, as the panel says it."""
        words = slot_value_words(value)
        if value.get("label") is not None:
            words += f" ({value['label']}{', linked' if value.get('kb_id') else ', not linked'})"
        elif value.get("value") and value["value"].get("kind") in ("period", "date") and value.get("text") and \
                value_words(value["value"]) != value["text"]:
            words += f" (“{value['text']}”)"
        if value.get("start") is None:
            words += " — not in the text"
        return words

    def date_hint(self, slot: Slot) -> str:
        if slot.kind in ("period", "date") and self.doc is not None and not self.doc.published:
            return "; a relative period needs the article's date (Ctrl+D)"
        return ""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == event.Type.FocusIn:
            for name, row in self.rows.items():
                if watched is row.widget() or row.widget().isAncestorOf(watched):
                    self.last_slot = name
        elif event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.left.emit()
            return True
        return False


def _placeholder(slot: Slot) -> str:
    return "e.g. " + {"entity": f"a name ({', '.join(slot.labels)}), or ↓ for the article's", "percent": "28.7%, more than 40%",
                      "money": "$75 billion, Rs 22 crore", "count": "10.2 million", "period": "Q2 2019, this year",
                      "date": "15 July 2019", "ordinal": "first", "text": "free text"}.get(slot.kind, slot.kind)


def _same_claim(old: dict | None, new: dict | None) -> bool:
    """The same claim, or the curator's decision on it (which replaces a suggestion once edited)."""
    if old is None or new is None:
        return False
    return new["id"] == old["id"] or new.get("based_on") == old["id"] or (bool(old.get("based_on")) and new.get("based_on") == old.get("based_on"))
