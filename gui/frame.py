"""What the curation and review windows share: three panes, a status bar, and key-bound actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMenu, QSplitter, QVBoxLayout, QWidget

from annotations.errors import ClaimdeskError


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


def add_key(window: QMainWindow, menu: QMenu, text: str, keys: list[str], slot) -> QAction:
    """A menu entry with its keys, active anywhere in the window."""
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    menu.addAction(action)
    window.addAction(action)
    return action


def column(*parts) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    for part in parts:
        layout.addWidget(part) if isinstance(part, QWidget) else layout.addLayout(part)
    return box


def row(*widgets) -> QHBoxLayout:
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    return layout


def run_action(window: QMainWindow, action):
    """One core call: its Change, or None with the refusal shown in the status bar (never a dialog)."""
    try:
        return action()
    except ClaimdeskError as e:
        window.statusBar().showMessage(f"⚠ {e}", 8000)
        return None
