"""The article as plain text with its entity spans coloured by label and the selected claim marked."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from annotations.schema import ClaimSchema
from gui.positions import TextPositions

EVIDENCE_COLOR = "#fff2b3"


class ArticleView(QPlainTextEdit):
    """Read-only; QPlainTextEdit never interprets markup, so HTML in an article shows as its characters.

    Highlights are extra selections over the text, rebuilt when the spans or the claim change.
    Clicking a span emits `span_clicked(span, global position)`.
    """

    span_clicked = Signal(dict, QPoint)

    def __init__(self, schema: ClaimSchema, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFont(QFont("DejaVu Sans", 11))
        self.schema = schema
        self.text = ""
        self.positions = TextPositions("")
        self.spans: list[dict] = []
        self._formats: dict[str, QTextCharFormat] = {}
        # painted in this order: the evidence under the entities, the claim's slots over them
        self._evidence: list[QTextEdit.ExtraSelection] = []
        self._entity_selections: list[QTextEdit.ExtraSelection] = []
        self._slot_marks: list[QTextEdit.ExtraSelection] = []

    def show_article(self, text: str, spans: list[dict]) -> None:
        self.text = text
        self.positions = TextPositions(text)
        self.setPlainText(text)
        self._evidence, self._slot_marks = [], []
        self.show_spans(spans)

    def show_spans(self, spans: list[dict]) -> None:
        self.spans = spans
        self._entity_selections = [self._selection(s["start"], s["end"], self._format(s)) for s in spans]
        self._apply()

    def mark_claim(self, claim: dict | None) -> None:
        """Shade the claim's evidence and underline its slot spans; scroll the evidence into view."""
        self._evidence, self._slot_marks = [], []
        if claim:
            evidence = claim.get("evidence")
            if evidence and evidence.get("start") is not None:
                shade = QTextCharFormat()
                shade.setBackground(QColor(EVIDENCE_COLOR))
                shade.setProperty(QTextCharFormat.Property.FullWidthSelection, False)
                self._evidence.append(self._selection(evidence["start"], evidence["end"], shade))
            mark = QTextCharFormat()
            mark.setFontUnderline(True)
            mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            mark.setUnderlineColor(QColor("#d00000"))
            mark.setForeground(QColor("#000000"))
            for values in claim["slots"].values():
                for value in values:
                    if value.get("start") is not None:
                        self._slot_marks.append(self._selection(value["start"], value["end"], mark))
            if evidence and evidence.get("start") is not None:
                cursor = QTextCursor(self.document())
                cursor.setPosition(self.positions.to_qt(evidence["start"]))
                self.setTextCursor(cursor)
                self.centerCursor()
        self._apply()

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as character offsets into the article, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.positions.to_python(cursor.selectionStart()), self.positions.to_python(cursor.selectionEnd())

    def span_at(self, offset: int) -> dict | None:
        """The shortest span covering a character offset."""
        covering = [s for s in self.spans if s["start"] <= offset < s["end"]]
        return min(covering, key=lambda s: s["end"] - s["start"]) if covering else None

    def highlighted(self) -> list[tuple[int, int, str]]:
        """What is highlighted, as (start, end, text) in character offsets: for tests and checks."""
        result = []
        for selection in self._entity_selections:
            start = self.positions.to_python(selection.cursor.selectionStart())
            end = self.positions.to_python(selection.cursor.selectionEnd())
            result.append((start, end, selection.cursor.selectedText()))
        return result

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            offset = self.positions.to_python(self.cursorForPosition(event.position().toPoint()).position())
            span = self.span_at(offset)
            if span:
                self.span_clicked.emit(span, event.globalPosition().toPoint())

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(start))
        cursor.setPosition(self.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _format(self, span: dict) -> QTextCharFormat:
        key = "rejected" if span["status"] == "rejected" else span["label"]
        if key not in self._formats:
            fmt = QTextCharFormat()
            if span["status"] == "rejected":
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor("#888888"))
            else:
                fmt.setBackground(QColor(self.schema.color(span["label"])))
            self._formats[key] = fmt
        return self._formats[key]

    def _apply(self) -> None:
        self.setExtraSelections(self._evidence + self._entity_selections + self._slot_marks)
