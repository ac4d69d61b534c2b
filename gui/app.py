"""Starting the desktop app, and rendering it to a PNG for docs and tests (`--screenshot`)."""

from __future__ import annotations

import getpass
import os
import sys

from annotations.errors import ClaimdeskError
from annotations.settings import load_settings
from annotations.workspace import open_workspace


def run(args) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Claimdesk")
    settings = load_settings(args.db)
    try:
        store, _ = open_workspace(settings)
        window = MainWindow(store, args.annotator or getpass.getuser())
        if args.doc:
            window.open_document(store.document_id(args.doc))
        elif window.documents.rowCount():
            window.open_document(window.documents.index(0).data(window.documents.IdRole))
    except ClaimdeskError as e:
        if args.screenshot:
            print(f"error: {e}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Claimdesk", str(e))
        return 1
    if args.screenshot:
        window.show()
        app.processEvents()
        if not window.grab().save(args.screenshot):
            print(f"error: cannot write {args.screenshot}", file=sys.stderr)
            return 1
        print(f"wrote {args.screenshot}")
        return 0
    window.show()
    # The window is usable at once; the model loads and new documents are pre-annotated meanwhile.
    window.start_preannotation(settings)
    return app.exec()
