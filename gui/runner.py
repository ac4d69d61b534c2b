"""The one way a window runs a curator's or reviewer's action, and tells what went wrong.

Modelled on Anki's CollectionOp and OpChanges: an action is one call into the core, which returns
a Change naming what it touched (claims, spans, the knowledge base, done marks, an article's
date). The runner catches every exception into a message in the window's status bar, and emits
`changed` with the Change; each view refreshes only what the Change names. Actions are single
SQLite transactions of a few milliseconds, so they run on the GUI thread (every test and every key
sees their result at once); slow work (spaCy, the search for conflicts) runs on a Worker, which
passes its result or its exception back, as napari's thread_worker does.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QMainWindow

from annotations.curation import Change
from annotations.errors import ClaimdeskError, EnvironmentProblem


def failure_words(error: BaseException) -> str:
    """An error in words for the window; one nobody foresaw also goes to the terminal whole."""
    if isinstance(error, ClaimdeskError):
        return str(error)
    traceback.print_exception(error)
    return f"an unexpected error ({type(error).__name__}: {error}); details on the terminal"


class ActionRunner(QObject):
    """Runs actions for one window. `changed(Change)` is emitted after each stored action."""

    changed = Signal(object)

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window

    def run(self, what: str, action: Callable[[], Change | None], nothing: str = "", quiet: bool = False) -> Change | None:
        """Call the core; its Change, or None with what was not done in the status bar (never a dialog).

        A refusal (the schema or the data does not allow it) is shown for a few seconds; a failure
        (a full disk, a read-only file, a lock held too long, a bug) stays until the next message
        and names what was not stored."""
        try:
            change = action()
        except EnvironmentProblem as error:
            self.say(f"⚠ Not stored ({what}): {error}")
            return None
        except ClaimdeskError as error:
            self.say(f"⚠ {error}", 8000)
            return None
        except Exception as error:  # a bug: the window says so and goes on
            self.tell(f"Not stored ({what})", error)
            return None
        if change is None:
            if nothing:
                self.say(nothing, 3000)
            return None
        if not quiet:
            self.say(f"{change.summary or change.action.replace(':', ' ')} — stored", 5000)
        self.changed.emit(change)
        return change

    def ask(self, what: str, question: Callable):
        """A read of the core that a person waits on (how many places labelling everywhere would
        label): its answer, or None with the reason in the status bar. Nothing changed, nothing emitted."""
        try:
            return question()
        except ClaimdeskError as error:
            self.say(f"⚠ {error}", 8000)
        except Exception as error:
            self.tell(f"Not done ({what})", error)
        return None

    def tell(self, what: str, error: BaseException) -> None:
        """A failure in the window (it stays until the next message): what was not done, and why."""
        self.say(f"⚠ {what}: {failure_words(error)}")

    def say(self, message: str, milliseconds: int = 0) -> None:
        self.window.statusBar().showMessage(message, milliseconds)


class Worker(QThread):
    """Slow work in a thread of its own (with its own workspace connection): `returned` carries
    what `work()` returned, `errored` any exception it raised, both delivered on the GUI thread."""

    returned = Signal(object)
    errored = Signal(object)

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # a worker that dies silently leaves the window "Loading…" for ever
            self.errored.emit(error)
            return
        self.returned.emit(result)

    def work(self):
        raise NotImplementedError


def stop_quietly(worker: QThread, *signals) -> None:
    """For a closing window: disconnect the worker's signals (nothing more to show), ask it to stop
    between two units of its work, and wait for it."""
    if not worker.isRunning():
        return
    for signal in signals:
        signal.disconnect()
    worker.requestInterruption()
    worker.wait()
