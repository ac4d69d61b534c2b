"""Qt models that adapt the core: they hold rows fetched once, and never query per cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from annotations.model import MODEL_ANNOTATOR, Origin, Progress, Status
from annotations.store import ArticleQuery, Store
from annotations.wording import claim_words

IdRole = Qt.ItemDataRole.UserRole + 1
ConfidenceRole = Qt.ItemDataRole.UserRole + 2
STATUS_MARK = {Progress.NEW: "○", Progress.IN_PROGRESS: "◐", Progress.DONE: "●"}
# a mark and a colour for every status the core declares (tests/test_vocabulary.py checks none is missing)
CLAIM_MARK = {Status.SUGGESTED: "?", Status.ACCEPTED: "✓", Status.CORRECTED: "✎", Status.REJECTED: "✗", Status.GOLD: "★"}
CLAIM_COLOR = {Status.SUGGESTED: "#555555", Status.ACCEPTED: "#1b7f3b", Status.CORRECTED: "#1f5fae", Status.REJECTED: "#9a9a9a",
               Status.GOLD: "#8a6d00"}


class DocumentListModel(QAbstractListModel):
    """The article list, read a page at a time as the view scrolls (canFetchMore/fetchMore).

    `_rows` -- the pages read so far, one dict per document (id, name, title, lang, status, open).
    Searching and filtering run as queries (full-text search and indexes in the store), so a list
    of 100,000 articles costs one page of memory and one page of time.
    """

    PAGE = 200

    def __init__(self, store: Store | None = None, annotator: str | None = None, query: ArticleQuery = ArticleQuery(),
                 allowed: set[int] | None = None, parent=None):
        super().__init__(parent)
        self.store, self.annotator, self.query, self.allowed = store, annotator, query, allowed
        self._rows: list[dict] = []
        self._row_of: dict[int, int] = {}
        self._exhausted = store is None
        self.fetchMore(QModelIndex())

    def set_query(self, query: ArticleQuery) -> None:
        self.beginResetModel()
        self.query, self._rows, self._row_of, self._exhausted = query, [], {}, self.store is None
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        after = self._rows[-1]["id"] if self._rows else 0
        ids = sorted(self.allowed) if self.allowed is not None else None
        page = self.store.list_documents(self.annotator, ids, self.query, after=after, limit=self.PAGE) if ids != [] else []
        self._exhausted = len(page) < self.PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            for row in page:
                self._row_of[row["id"]] = len(self._rows)
                self._rows.append(row)
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            open_claims = f" · {row['open']} open" if row["open"] else ""
            return f"{STATUS_MARK[row['status']]} {row['title']}\n    {row['lang']}{open_claims}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['name']} ({row['lang']}, {row['status'].replace('_', ' ')})"
        if role == IdRole:
            return row["id"]
        return None

    def row_of(self, doc_id: int) -> int:
        """The row of a document among those read so far, or -1."""
        return self._row_of.get(doc_id, -1)

    def row(self, number: int) -> dict:
        return self._rows[number]

    def update_rows(self, doc_ids: list[int]) -> None:
        """Read the figures (status, open suggestions) of some listed documents again."""
        listed = [d for d in doc_ids if d in self._row_of]
        for new in self.store.list_documents(self.annotator, listed) if listed else []:
            number = self._row_of[new["id"]]
            self._rows[number] = new
            self.dataChanged.emit(self.index(number), self.index(number))


class ClaimTableModel(QAbstractTableModel):
    """The open article's claims as a table of facts: status, type, the slots as name=value (as a
    curator writes them, with the evidence's words beneath), and the confidence.

    `_claims` -- the core's claim dicts, as Curation.claims gives them; `_shown` -- those shown, in
    the order asked for (position in the article or confidence), without the suggestions below the
    threshold. The rows are computed once per change, never per cell."""

    COLUMNS = ("", "claim", "facts", "confidence")
    STATUS, TYPE, FACTS, CONFIDENCE = range(4)
    ORDERS = ("position", "confidence")

    def __init__(self, slot_orders: dict[str, list[str]] | None = None, parent=None):
        super().__init__(parent)
        self._slot_orders = slot_orders or {}
        self._claims: list[dict] = []
        self._shown: list[dict] = []
        self._lines: dict[str, str] = {}
        self._text = ""
        self.threshold = 0.0
        self.order = "position"

    # -- the project's own API --------------------------------------------------------------------

    def set_claims(self, claims: list[dict], text: str) -> None:
        self._claims, self._text = list(claims), text
        self._refresh()

    def set_threshold(self, threshold: float) -> None:
        self.threshold = min(1.0, max(0.0, round(threshold, 2)))
        self._refresh()

    def set_order(self, order: str) -> None:
        self.order = order
        self._refresh()

    def hidden(self) -> int:
        """Suggestions under the threshold, not shown."""
        return len(self._claims) - len(self._shown)

    def claim(self, row: int) -> dict | None:
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def claims(self) -> list[dict]:
        """The claims shown, in order."""
        return list(self._shown)

    def row_of(self, claim_id: str | None) -> int:
        """The row of a claim, or of the curator's decision on it (a suggestion decided on is
        replaced by the curator's own row); -1 when not shown."""
        for n, claim in enumerate(self._shown):
            if claim_id is not None and claim_id in (claim["id"], claim.get("based_on")):
                return n
        return -1

    def _visible(self, claim: dict) -> bool:
        confidence = claim.get("confidence")
        return claim["status"] != "suggested" or confidence is None or confidence >= self.threshold

    def _refresh(self) -> None:
        self.beginResetModel()
        shown = [c for c in self._claims if self._visible(c)]
        if self.order == "confidence":
            shown.sort(key=lambda c: -(c.get("confidence") if c.get("confidence") is not None else 1.0))
        self._shown = shown
        self._lines = {c["id"]: self._facts(c) for c in shown}
        self.endResetModel()

    def _facts(self, claim: dict) -> str:
        lines = [claim_words(claim, self._slot_orders.get(claim["type"], [])) or "(no slot filled yet)"]
        evidence = claim.get("evidence") or {}
        if evidence.get("start") is not None:
            words = " ".join(self._text[evidence["start"]:evidence["end"]].split())
            lines.append(f"“{words[:90]}…”" if len(words) > 90 else f"“{words}”")
        lines += [f"⚠ {p}" for p in claim["problems"]] + [f"ℹ {n}" for n in claim.get("notices", [])]
        return "\n".join(lines)

    # -- Qt ---------------------------------------------------------------------------------------

    def index(self, row: int, column: int = 0, parent=QModelIndex()) -> QModelIndex:
        return self.createIndex(row, column) if self.hasIndex(row, column, parent) else QModelIndex()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._shown) or not 0 <= index.column() < len(self.COLUMNS):
            return None
        claim, column = self._shown[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS:
                return CLAIM_MARK[claim["status"]]
            if column == self.TYPE:
                return claim["type"].replace("_", " ")
            if column == self.FACTS:
                return self._lines[claim["id"]]
            return "" if claim.get("confidence") is None else f"{claim['confidence']:.2f}"
        if role == ConfidenceRole and column == self.CONFIDENCE:
            return claim.get("confidence")
        if role == Qt.ItemDataRole.ForegroundRole and column != self.CONFIDENCE:
            return QColor("#b00020") if claim["problems"] and claim["status"] != Status.REJECTED else QColor(CLAIM_COLOR[claim["status"]])
        if role == Qt.ItemDataRole.ToolTipRole:
            who = ("suggested by the LLM" if claim["origin"] == Origin.LLM else "suggested by the pipeline") \
                if claim["annotator"] == MODEL_ANNOTATOR else f"{claim['status']} by {claim['annotator']}"
            return f"{claim['type']} — {who}"
        if role == IdRole:
            return claim["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None


class ConfidenceBar(QStyledItemDelegate):
    """The confidence as a bar with its figure: a column to scan, not digits to read."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        confidence = index.data(ConfidenceRole)
        if confidence is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        option.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        bar = option.rect.adjusted(4, 6, -4, -6)
        bar.setHeight(min(bar.height(), 14))
        painter.save()
        painter.fillRect(bar, QColor("#e6e6e6"))
        filled = QRect(bar)
        filled.setWidth(round(bar.width() * max(0.0, min(1.0, confidence))))
        painter.fillRect(filled, QColor("#4a7fb5") if confidence >= 0.5 else QColor("#b5834a"))
        painter.setPen(QColor("#111111"))
        painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, f"{confidence:.2f}")
        painter.restore()
