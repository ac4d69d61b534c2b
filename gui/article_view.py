"""The article as plain text with its entity spans coloured by label and the selected claim marked."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from annotations.model import MODEL_ANNOTATOR
from annotations.palette import EVIDENCE, SLOT_MARK
from annotations.schema import ClaimSchema
from gui.positions import TextPositions

# Bidirectional controls (U+202E and its kin) would silently reorder what the curator reads; each is
# shown as a visible mark instead, as code editors do. One character for one, so offsets still hold.
BIDI_SHOWN = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), "\u2194")
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
OUTER = QTextFormat.Property.UserProperty + 1  # a span's colour as an underline, when another span sits inside it
EVIDENCE_LAYER, SPAN_LAYER, SLOT_LAYER, TAG_LAYER = range(4)
TAG_SPACE = 19  # point size of the spaces that make room above each line for the tags


class SpanHighlighter(QSyntaxHighlighter):
    """Paints spans block by block, as Qt lays the text out: cheap for long articles with many spans.

    Four layers, in order: the claim's evidence, the entity spans, the claim's slot marks, and (with
    tags on) the room for tags. Each is kept per text block as (start, length, format) in Qt positions
    within the block. Where ranges overlap their formats are merged, so a slot mark keeps the label's
    colour, a rejected span inside an accepted one keeps the outer colour, and a span inside another
    shows the outer one's colour as an underline.
    """

    def __init__(self, document):
        super().__init__(document)
        self.text_document = document  # kept while detached (see ArticleView.show_article)
        self.layers: list[dict[int, list[tuple[int, int, QTextCharFormat]]]] = [{}, {}, {}, {}]
        self._merged: dict[tuple, QTextCharFormat] = {}

    def set_layer(self, number: int, ranges: list[tuple[int, int, QTextCharFormat]]) -> set[int]:
        """Replace one layer with (qt_start, qt_end, format) ranges; return the block numbers touched."""
        touched = set(self.layers[number])
        layer: dict[int, list] = {}
        document = self.text_document
        for start, end, fmt in ranges:
            block = document.findBlock(start)
            while block.isValid() and block.position() < end:
                offset = block.position()
                a, b = max(start, offset), min(end, offset + block.length() - 1)
                if b > a:
                    layer.setdefault(block.blockNumber(), []).append((a - offset, b - a, fmt))
                block = block.next()
        self.layers[number] = layer
        self._merged.clear()
        return touched | set(layer)

    def highlightBlock(self, text: str) -> None:
        number = self.currentBlock().blockNumber()
        ranges = [(start, start + length, n, fmt) for n, layer in enumerate(self.layers) for start, length, fmt in layer.get(number, ())]
        if len(ranges) == 1:
            start, end, _, fmt = ranges[0]
            self.setFormat(start, end - start, fmt)
            return
        # sweep over the places where a range starts or ends: each piece gets the merge of the ranges over it
        points = sorted({p for start, end, *_ in ranges for p in (start, end)})
        ranges.sort(key=lambda r: (r[0], -r[1]))
        active: list[tuple] = []
        next_range = 0
        for a, b in zip(points, points[1:]):
            active = [r for r in active if r[1] > a]
            while next_range < len(ranges) and ranges[next_range][0] <= a:
                if ranges[next_range][1] > a:
                    active.append(ranges[next_range])
                next_range += 1
            if active:
                self.setFormat(a, b - a, self._merge(active))

    def _merge(self, active: list[tuple]) -> QTextCharFormat:
        if len(active) == 1:
            return active[0][3]
        key = tuple(id(r[3]) for r in active)
        if key not in self._merged:
            merged = QTextCharFormat()
            spans = [r[3] for r in active if r[2] == SPAN_LAYER]
            for layer in range(len(self.layers)):
                for r in active:
                    if r[2] == layer:
                        merged.merge(r[3])
                if layer == SPAN_LAYER and len(spans) > 1 and spans[0].hasProperty(OUTER):
                    merged.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                    merged.setUnderlineColor(spans[0].colorProperty(OUTER))
            self._merged[key] = merged
        return self._merged[key]


class ArticleView(QPlainTextEdit):
    """Read-only; QPlainTextEdit never interprets markup, so HTML in an article shows as its characters.

    Highlights come from a SpanHighlighter; a new claim repaints only the blocks it touches, and
    nothing here scrolls unless the curator moves to another claim or span. Hovering a span names
    its label; with tags on, each span's label is written above it. Paragraphs in a right-to-left
    script are aligned right. Clicking a span emits `span_clicked(span, global position)`.
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
        self._order: list[dict] = []  # the spans by start, longer first: the order [ and ] walk
        self._starts: list[int] = []
        self._formats: dict[tuple, QTextCharFormat] = {}
        self.tags_shown = False
        self.canonical = lambda kb_id: kb_id  # the knowledge base's name for a linked span (the window's)
        self.tag_font = QFont("DejaVu Sans", 6)
        self.highlighter = SpanHighlighter(self.document())

    # -- what is shown -----------------------------------------------------------------------------

    def show_article(self, text: str, spans: list[dict]) -> None:
        self.text = text
        self.positions = TextPositions(text)
        self.highlighter.setDocument(None)  # no highlighting while the text goes in
        option = self.document().defaultTextOption()
        # Qt's plain-text layout aligns every paragraph left; justified, a right-to-left one is laid
        # out from the right (so an article holding one is justified throughout)
        option.setAlignment(Qt.AlignmentFlag.AlignJustify if RIGHT_TO_LEFT.search(text) else Qt.AlignmentFlag.AlignLeft)
        self.document().setDefaultTextOption(option)
        self.setPlainText(text.translate(BIDI_SHOWN))
        self.highlighter.layers = [{}, {}, {}, {}]
        self._set_spans(spans)
        self.highlighter.set_layer(SPAN_LAYER, self._ranges(spans))
        if self.tags_shown:
            self.highlighter.set_layer(TAG_LAYER, self._tag_room())
        self.highlighter.setDocument(self.document())

    def show_spans(self, spans: list[dict]) -> None:
        """New spans in place: the view stays where it is."""
        self._set_spans(spans)
        self._repaint(self.highlighter.set_layer(SPAN_LAYER, self._ranges(spans)))

    def set_tags_shown(self, shown: bool) -> None:
        self.tags_shown = shown
        self._repaint(self.highlighter.set_layer(TAG_LAYER, self._tag_room() if shown else []))
        self.viewport().update()

    def mark_claim(self, claim: dict | None, reveal: bool = False) -> None:
        """Shade the claim's evidence and underline its slot values. `reveal` (the curator moved to
        this claim): put the cursor at the evidence, scrolling only when it is out of sight."""
        evidence = (claim or {}).get("evidence") or {}
        shade = QTextCharFormat()
        shade.setBackground(QColor(EVIDENCE))
        shaded = [self._qt_range(evidence["start"], evidence["end"], shade)] if evidence.get("start") is not None else []
        mark = QTextCharFormat()
        mark.setFontUnderline(True)
        mark.setUnderlineColor(QColor(SLOT_MARK))
        mark.setFontWeight(QFont.Weight.Bold)
        marked = [self._qt_range(v["start"], v["end"], mark) for values in (claim or {}).get("slots", {}).values()
                  for v in values if v.get("start") is not None]
        self._repaint(self.highlighter.set_layer(EVIDENCE_LAYER, shaded) | self.highlighter.set_layer(SLOT_LAYER, marked))
        if shaded and reveal:
            self.reveal(evidence["start"])

    def reveal(self, offset: int) -> None:
        """The cursor to a place in the article; scrolled to only when it is out of sight."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(offset))
        visible = self.viewport().rect().contains(self.cursorRect(cursor).center())
        self.setTextCursor(cursor)
        if not visible:
            self.centerCursor()

    # -- spans and selections ---------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as character offsets into the article, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.positions.to_python(cursor.selectionStart()), self.positions.to_python(cursor.selectionEnd())

    def cursor_offset(self) -> int:
        """Where the text cursor is, as a character offset into the article."""
        return self.positions.to_python(self.textCursor().position())

    def span_at(self, offset: int) -> dict | None:
        """The shortest span covering a character offset."""
        covering = [s for s in self.spans if s["start"] <= offset < s["end"]]
        return min(covering, key=lambda s: s["end"] - s["start"]) if covering else None

    def selected_span(self) -> dict | None:
        """The span the selection is exactly on (the one ] or [ selected), the curator's own first."""
        selection = self.selected_range()
        there = sorted((s for s in self.spans if (s["start"], s["end"]) == selection), key=lambda s: s.get("annotator") == MODEL_ANNOTATOR)
        return there[0] if there else None

    def step_span(self, step: int) -> dict | None:
        """Select the next (1) or previous (-1) span after the selection or the cursor; None at the end."""
        if not self._order:
            return None
        current = self.selected_span()
        if current is not None and current in self._order:
            number = self._order.index(current) + step
        else:
            here = self.cursor_offset() if self.selected_range() is None else self.selected_range()[0]
            number = bisect_left(self._starts, here) if step > 0 else bisect_left(self._starts, here) - 1
        if not 0 <= number < len(self._order):
            return None
        span = self._order[number]
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.positions.to_qt(span["start"]))
        cursor.setPosition(self.positions.to_qt(span["end"]), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)  # the curator moved: shown, scrolled to if need be
        return span

    def describe(self, span: dict) -> str:
        """A span in words: its text, label (with what the label means), link, status and who."""
        label = self.schema.entity_labels.get(span["label"])
        words = f"“{self.text[span['start']:span['end']]}” {span['label']}" + (f" ({label.description})" if label and label.description else "")
        if span.get("kb_id"):
            words += f", linked to {self.canonical(span['kb_id']) or span['kb_id']}"
        status = span.get("status")
        who = "the pipeline" if span.get("annotator") == MODEL_ANNOTATOR else span.get("annotator")
        return words + (f" — {status} by {who}" if status and who else "")

    def highlighted(self) -> list[tuple[int, int, str]]:
        """What the entity layer paints, as (start, end, text) in character offsets: for tests and checks."""
        result = []
        document = self.document()
        for number, ranges in sorted(self.highlighter.layers[SPAN_LAYER].items()):
            offset = document.findBlockByNumber(number).position()
            for start, length, _ in sorted(ranges, key=lambda r: (r[0], r[0] + r[1])):
                cursor = QTextCursor(document)
                cursor.setPosition(offset + start)
                cursor.setPosition(offset + start + length, QTextCursor.MoveMode.KeepAnchor)
                result.append((self.positions.to_python(offset + start), self.positions.to_python(offset + start + length),
                               cursor.selectedText()))
        return result

    def format_at(self, offset: int) -> QTextCharFormat:
        """The format the text has at an offset once highlighted, all layers merged: for tests."""
        block = self.document().findBlock(self.positions.to_qt(offset))
        inside = self.positions.to_qt(offset) - block.position()
        ranges = block.layout().formats()
        for fmt_range in ranges:
            if fmt_range.start <= inside < fmt_range.start + fmt_range.length:
                return QTextCharFormat(fmt_range.format)
        return QTextCharFormat()

    # -- Qt events -----------------------------------------------------------------------------------

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            offset = self.positions.to_python(self.cursorForPosition(event.position().toPoint()).position())
            span = self.span_at(offset)
            if span:
                self.span_clicked.emit(span, event.globalPosition().toPoint())

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:  # the label of what the pointer is on
            offset = self.positions.to_python(self.cursorForPosition(event.pos()).position())
            covering = sorted((s for s in self.spans if s["start"] <= offset < s["end"]), key=lambda s: s["start"] - s["end"])
            if covering:
                QToolTip.showText(event.globalPos(), "\n".join(self.describe(s) for s in covering), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.tags_shown and self._order:
            self._paint_tags()

    def _paint_tags(self) -> None:
        """Each visible span's label, small, in the room above its first line."""
        painter = QPainter(self.viewport())
        painter.setFont(self.tag_font)
        block = self.firstVisibleBlock()
        bottom = self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(self.contentOffset()).top() <= bottom:
            start = self.positions.to_python(block.position())
            end = self.positions.to_python(block.position() + block.length())
            for span in self._order[bisect_left(self._starts, start):bisect_right(self._starts, end - 1)]:
                if span.get("status") == "rejected":
                    continue
                cursor = QTextCursor(self.document())
                cursor.setPosition(self.positions.to_qt(span["start"]))
                rect = self.cursorRect(cursor)
                painter.setPen(QColor(self.schema.color(span["label"])).darker(260))
                painter.drawText(QRectF(rect.left() + 1, rect.top(), 200, 9), Qt.AlignmentFlag.AlignLeft, span["label"])
            block = block.next()
        painter.end()

    # -- helpers -------------------------------------------------------------------------------------

    def _set_spans(self, spans: list[dict]) -> None:
        self.spans = spans
        self._order = sorted(spans, key=lambda s: (s["start"], -s["end"], s.get("id") or 0))
        self._starts = [s["start"] for s in self._order]

    def _qt_range(self, start: int, end: int, fmt: QTextCharFormat) -> tuple[int, int, QTextCharFormat]:
        return self.positions.to_qt(start), self.positions.to_qt(end), fmt

    def _ranges(self, spans: list[dict]) -> list[tuple[int, int, QTextCharFormat]]:
        """Longer spans first where two start together, so an inner one is painted over an outer one."""
        ordered = sorted(spans, key=lambda s: (s["start"], -s["end"]))
        return [self._qt_range(s["start"], s["end"], self._format(s)) for s in ordered]

    def _tag_room(self) -> list[tuple[int, int, QTextCharFormat]]:
        room = QTextCharFormat()
        room.setFontPointSize(TAG_SPACE)  # a taller line, with room above the words
        room.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
        room.setFontLetterSpacing(-3)  # and a space no wider than the text's own
        return [self._qt_range(m.start(), m.end(), room) for m in re.finditer(" ", self.text)]

    def _repaint(self, blocks: set[int]) -> None:
        document = self.document()
        for number in sorted(blocks):
            self.highlighter.rehighlightBlock(document.findBlockByNumber(number))

    def _format(self, span: dict) -> QTextCharFormat:
        rejected = span.get("status") == "rejected"
        key = (span["label"], rejected)
        if key not in self._formats:
            fmt = QTextCharFormat()
            if rejected:
                fmt.setFontStrikeOut(True)
                fmt.setForeground(QColor("#777777"))
            else:
                color = QColor(self.schema.color(span["label"]))
                fmt.setBackground(color)
                fmt.setProperty(OUTER, color.darker(200))
            self._formats[key] = fmt
        return self._formats[key]
