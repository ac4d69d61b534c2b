"""Starting the desktop app, and rendering it to a PNG for docs and tests (`--screenshot`)."""

from __future__ import annotations

import getpass
import os
import sys
import traceback

from annotations.curation import Curation
from annotations.errors import ClaimdeskError
from annotations.settings import load_settings, remember_curator, remembered_curator
from annotations.workspace import add_seeds_if_empty, open_workspace


def run(args) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Claimdesk")
    settings = load_settings(args.db)
    try:
        curator = args.annotator or remembered_curator() or (getpass.getuser() if args.screenshot else ask_curator())
        if not curator:
            return 2
        remember_curator(curator)
        store = open_workspace(settings)
        if args.screenshot:
            add_seeds_if_empty(store)  # interactively, the background worker does it after the window shows
        if args.review:
            from annotations.review import Review
            from gui.review_window import ReviewWindow

            window = ReviewWindow(store, Review.open(settings, store, curator))
        else:
            window = MainWindow(store, Curation.open(settings, store, curator))
        if args.doc:
            window.open_document(store.document_id(args.doc))
        elif (args.review or not window.open_last_place()) and window.documents.rowCount():
            window.open_document(window.documents.row(0)["id"])  # where the curator was last, else the first
    except Exception as e:  # the workspace cannot be opened: say why in a window, not a traceback
        message = str(e) if isinstance(e, ClaimdeskError) else f"an unexpected error ({type(e).__name__}: {e})"
        if not isinstance(e, ClaimdeskError):
            traceback.print_exception(e)
        if args.screenshot:
            print(f"error: {message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Claimdesk", f"Claimdesk could not open {settings.db_path}: {message}")
        return 1
    if args.screenshot:
        return screenshot(app, window, args.screenshot)
    window.show()
    sys.excepthook = lambda kind, error, trace: window.runner.tell("Not stored (the last thing you did)", error)
    if not args.review and not store.read_only:
        # The window is usable at once; the model loads and new documents are pre-annotated meanwhile.
        window.start_preannotation(settings)
    return app.exec()


def ask_curator() -> str | None:
    """Asked once; the name is remembered for the next start (annotations.settings)."""
    from PySide6.QtWidgets import QInputDialog

    name, ok = QInputDialog.getText(None, "Claimdesk", "Your name, stored with every decision you make:",
                                    text=getpass.getuser())
    return name.strip() if ok and name.strip() else None


def screenshot(app, window, path: str) -> int:
    """The window as a user sees it once its background work is in (a picture that is the same on
    every run), then closed as a user would close it."""
    from PySide6.QtCore import QThread

    window.show()
    for worker in window.findChildren(QThread):
        worker.wait()
    app.processEvents()
    saved = window.grab().save(path)
    window.close()
    if not saved:
        print(f"error: cannot write {path}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
