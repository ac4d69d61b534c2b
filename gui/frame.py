"""What the curation and review windows share: three panes, a status bar, their key tables (bound
as menu actions and listed by the help overlay from the same rows), and the keys typed in a widget
that are the widget's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget


def set_panes(window: QMainWindow, panes: list[QWidget], sizes: list[int]) -> QLabel:
    """Lay the panes out side by side; return the permanent label of the status bar."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    for pane in panes:
        splitter.addWidget(pane)
    splitter.setSizes(sizes)
    window.setCentralWidget(splitter)
    status = QLabel(textFormat=Qt.TextFormat.PlainText)  # it shows names people typed: never as markup
    window.statusBar().addPermanentWidget(status)
    window.resize(1400, 860)
    return status


@dataclass(frozen=True)
class Key:
    """One row of a window's key table: the keys, what they do, and the window's method that does it.

    `run` None: a key a widget handles itself (Tab in the side panel), listed in the help only.
    Rows with the same `shown` (1–9) are one line of the help, which says `group`."""

    keys: tuple[str, ...]
    does: str
    run: Callable | None = None
    menu: str = ""
    shown: str = ""
    group: str = ""

    @property
    def written(self) -> str:
        return self.shown or " or ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) or k for k in self.keys)


def bind_keys(window: QMainWindow, table: list[Key]) -> dict[str, QMenu]:
    """Each row with a method becomes a menu entry with its keys, active anywhere in the window."""
    menus: dict[str, QMenu] = {}
    for key in table:
        if key.run is None:
            continue
        if key.menu not in menus:
            menus[key.menu] = window.menuBar().addMenu(key.menu)  # no & mnemonics: Alt+letter is the side panel's
        action = QAction(key.does[:1].upper() + key.does[1:], window)
        action.setShortcuts([QKeySequence(k) for k in key.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, run=key.run: run())
        menus[key.menu].addAction(action)
        window.addAction(action)
    return menus


def help_rows(table: list[Key]) -> list[tuple[str, str]]:
    """(keys, what they do) for each line of the help: rows sharing `shown` are one line."""
    rows, seen = [], set()
    for key in table:
        if key.shown and key.shown in seen:
            continue
        seen.add(key.shown)
        rows.append((key.written, key.group or key.does))
    return rows


def keys_markdown(table: list[Key]) -> str:
    """The key table as the README shows it (a test holds the README to it)."""
    return "\n".join(["| key | does |", "|---|---|", *(f"| {keys} | {does} |" for keys, does in help_rows(table))])


class HelpOverlay(QWidget):
    """Every key of the window over the window itself (F1 or ?), made from its key table; any key
    closes it."""

    def __init__(self, window: QMainWindow, table: list[Key]):
        super().__init__(window)
        self.setAutoFillBackground(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout(self)
        grid.setContentsMargins(40, 30, 40, 30)
        grid.setHorizontalSpacing(18)
        rows = help_rows(table)
        self.lines = [f"{written}\t{does}" for written, does in rows]
        per_column = (len(rows) + 1) // 2
        for n, (written, does) in enumerate(rows):
            column, row = divmod(n, per_column)
            keys = QLabel(written, textFormat=Qt.TextFormat.PlainText)
            keys.setStyleSheet("color: #ffe08a; font-weight: bold;")
            words = QLabel(does, textFormat=Qt.TextFormat.PlainText, wordWrap=True)
            words.setStyleSheet("color: white;")
            grid.addWidget(keys, row, column * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(words, row, column * 2 + 1, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def text(self) -> str:
        return "\n".join(self.lines)

    def open(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.setFocus()

    def paintEvent(self, event) -> None:
        QPainter(self).fillRect(self.rect(), QColor(20, 24, 32, 245))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:  # every key is the overlay's: it closes it
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        self.hide()
        self.parentWidget().setFocus()

    def mousePressEvent(self, event) -> None:
        self.hide()


class OwnKeys(QObject):
    """Installed on a widget, makes keys without Ctrl or Alt the widget's own rather than the
    window's shortcuts: Enter in the search box searches, X in the article list jumps to a title,
    typing in a slot of the side panel types; none confirms or rejects the claim."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            event.accept()
            return True
        return False


def column(*parts) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    for part in parts:
        if part is not None:
            layout.addWidget(part) if isinstance(part, QWidget) else layout.addLayout(part)
    return box


def row(*widgets) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    return layout


def read_only_banner(store) -> QLabel | None:
    """For a workspace the user may not write to: says so above the article, once."""
    if not store.read_only:
        return None
    banner = QLabel(f"Read-only: you may not write to {store.path}, so nothing you do here is stored. "
                    "Open a copy you can write to (--db) to curate.", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
    banner.setStyleSheet("background: #ffe08a; padding: 6px;")
    return banner
