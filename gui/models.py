"""Qt models that adapt the core: they hold rows fetched once, and never query per cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from annotations.model import MODEL_ANNOTATOR, Origin, Progress, Status
from annotations.schema import ClaimType
from annotations.store import ArticleQuery, Store

IdRole = Qt.ItemDataRole.UserRole + 1
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


def slot_summary(claim: dict, slot_order: list[str]) -> str:
    """The claim's values in the schema's slot order: "Xiaomi · India · 28.7% → 28.7 · 2019-Q2"."""
    names = [n for n in slot_order if n in claim["slots"]] + [n for n in claim["slots"] if n not in slot_order]
    return " · ".join("/".join(shown_value(v) for v in claim["slots"][name]) for name in names)


def shown_value(value: dict) -> str:
    """A slot value as a curator reads it: the canonical name, or the normalised number, or the text."""
    if value.get("canonical"):
        return value["canonical"]
    normal = (value.get("value") or {}).get("value")
    if isinstance(normal, (int, float)) and not isinstance(normal, bool):
        return f"{normal:,}"
    return str(normal) if normal is not None else value.get("text", "")


class ClaimListModel(QAbstractListModel):
    """The claims of the open article as the curator sees them. `_claims` -- the core's claim dicts."""

    def __init__(self, claims: list[dict], slot_orders: dict[str, list[str]] | None = None, parent=None):
        super().__init__(parent)
        self._claims = list(claims)
        self._slot_orders = slot_orders or {}

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._claims)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._claims):
            return None
        claim = self._claims[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            line = f"{CLAIM_MARK[claim['status']]} {claim['type']}: {slot_summary(claim, self._slot_orders.get(claim['type'], []))}"
            line += "\n    ⚠ " + "; ".join(claim["problems"]) if claim["problems"] else ""
            return line + ("\n    ℹ " + "; ".join(claim["notices"]) if claim.get("notices") else "")
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#b00020") if claim["problems"] and claim["status"] != Status.REJECTED else QColor(CLAIM_COLOR[claim["status"]])
        if role == Qt.ItemDataRole.ToolTipRole:
            who = ("suggested by the LLM" if claim["origin"] == Origin.LLM else "suggested by the pipeline") \
                if claim["annotator"] == MODEL_ANNOTATOR else f"{claim['status']} by {claim['annotator']}"
            return f"{claim['type']} — {who}"
        if role == IdRole:
            return claim["id"]
        return None

    def claim(self, row: int) -> dict | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def row_of(self, claim_id: str) -> int:
        return next((i for i, c in enumerate(self._claims) if c["id"] == claim_id), -1)


class SlotTableModel(QAbstractTableModel):
    """Every slot of the selected claim's type, filled or not: slot, text, normalised value, problem."""

    HEADERS = ("slot", "text", "value", "")

    def __init__(self, claim: dict | None = None, claim_type: ClaimType | None = None, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []
        if claim and claim_type:
            problems = claim["problems"]
            for name, slot in claim_type.slots.items():
                values = claim["slots"].get(name) or []
                text = " / ".join(v.get("text", "") for v in values)
                shown = " / ".join(_normalised(v) for v in values)
                problem = next((p for p in problems if p.startswith(name + " ") or p.startswith(name + ":")), "")
                unplaced = any(v.get("start") is None for v in values)
                mark = problem or ("not in the text" if unplaced else "required" if slot.required else "")
                self._rows.append((name, text, shown, mark))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 4:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and row[3] != "required":
            return QColor("#b00020")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            return self.HEADERS[section]
        return None

    def slot_name(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def first_problem_row(self) -> int:
        return next((i for i, row in enumerate(self._rows) if row[3] and row[3] != "required"), 0)


def _normalised(value: dict) -> str:
    if value.get("label") is not None:  # an entity: its canonical name, if linked
        return value.get("canonical") or value.get("kb_id") or f"({value['label']}, not linked)"
    normal = value.get("value") or {}
    extra = [str(normal[k]) for k in ("currency", "qualifier") if normal.get(k) and normal[k] != "exact"]
    return " ".join([shown_value(value), *extra])
