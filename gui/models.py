"""Qt models that adapt the core: they hold ids and a row cache, and never query per cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt


class DocumentListModel(QAbstractListModel):
    """The article list. `_rows` -- one dict per document (id, name, title, lang), in list order."""

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, rows: list[dict], parent=None):
        super().__init__(parent)
        self._rows = list(rows)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row['title']}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['name']} ({row['lang']})"
        if role == self.IdRole:
            return row["id"]
        return None

    def row_of(self, doc_id: int) -> int:
        return next((i for i, row in enumerate(self._rows) if row["id"] == doc_id), -1)
