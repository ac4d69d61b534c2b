"""The real window, driven with pytest-qt offscreen: a curator's session from open to reopen."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLabel

from annotations.settings import load_settings
from annotations.store import Store
from tests.conftest import make_window, open_new_article

pytestmark = pytest.mark.gui
DOC = "000_0757fb7f7850cbb7"


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.claim_list, key, modifier)


def answer(qtbot, button, seen=None):
    """Click a button of the question box that is about to open (and keep its text in `seen`)."""
    def click():
        box = QApplication.activeModalWidget()
        if seen is not None:
            seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, click)


def reactivate(qtbot, window):
    """What the window manager does when a dialog or popup closes (offscreen has none)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_highlights_sit_on_the_stored_spans(window, qtmodeltester):
    doc = window.doc
    expected = [(s["start"], s["end"], doc.text[s["start"]:s["end"]]) for s in window.curation.spans(doc.id)]
    assert window.article_view.highlighted() == expected and len(expected) > 50
    assert ("Millet" in {t for _, _, t in expected}) and window.article_view.toPlainText() == doc.text
    qtmodeltester.check(window.claims)


def test_emoji_before_an_entity_keeps_highlights_and_selections_on_the_word(window, qtbot, tmp_path):
    open_new_article(window, tmp_path, "emoji", "🎉🚀 Party time 👍🏽 at Xiaomi, which shipped 10 million phones.\n")
    text = window.doc.text
    # select "Xiaomi" the way a mouse does: in Qt (UTF-16) positions, 4 emoji = 4 extra units before it
    start_qt = text.index("Xiaomi") + 4
    cursor = window.article_view.textCursor()
    cursor.setPosition(start_qt)
    cursor.setPosition(start_qt + 6, QTextCursor.MoveMode.KeepAnchor)
    window.article_view.setTextCursor(cursor)
    assert cursor.selectedText() == "Xiaomi"
    qtbot.keyClick(window.article_view, Qt.Key.Key_1)  # 1 = ORG in the legend
    [span] = window.store.spans_of(window.doc.id, annotator="ana")
    assert (text[span["start"]:span["end"]], span["label"]) == ("Xiaomi", "ORG")
    assert (span["start"], span["end"], "Xiaomi") in window.article_view.highlighted()
    [(_, _, shown)] = [h for h in window.article_view.highlighted() if h[0] == span["start"]]
    assert shown == "Xiaomi"


def test_html_in_an_article_is_shown_as_characters(window, tmp_path):
    open_new_article(window, tmp_path, "html", 'Xiaomi <b>grew</b> <img src="x.png">.')
    assert window.article_view.toPlainText() == 'Xiaomi <b>grew</b> <img src="x.png">.'


def test_a_curators_session_is_all_stored_and_survives_reopening(window, qtbot):
    doc, workspace = window.doc, window.store.path
    # J twice, then Enter confirms that claim and moves on
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_J)
    confirmed = window.current_claim()
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.claim_list.currentIndex().row() == 3
    rejected = window.current_claim()
    press(qtbot, window, Qt.Key.Key_X)

    # Alt and the slot's letter on the market share claim: type a value, normalised on the spot, Enter stores it
    row = next(i for i in range(window.claims.rowCount()) if window.claims.claim(i)["type"] == "market_share")
    window.claim_list.setCurrentIndex(window.claims.index(row))
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    period = window.panel.editor("period")
    assert period.hasFocus()
    qtbot.keyClicks(period.lineEdit(), "Q3 2019")
    assert "Q3 2019" in window.panel.rows["period"].feedback.text()
    qtbot.keyClick(period.lineEdit(), Qt.Key.Key_Return)
    corrected = window.current_claim()
    assert corrected["status"] == "corrected" and corrected["slots"]["period"][0]["value"]["value"] == "2019-Q3"
    assert window.claim_list.hasFocus()  # stored: back to the claims

    # a span by selection, then relabel and link one by clicking it
    start = doc.text.index("gold rush")
    cursor = window.article_view.textCursor()
    cursor.setPosition(start + 1)
    cursor.setPosition(start + 7, QTextCursor.MoveMode.KeepAnchor)
    window.article_view.setTextCursor(cursor)
    qtbot.keyClick(window.article_view, Qt.Key.Key_5)  # 5 = PRODUCT
    manu = next(s for s in window.spans if doc.text[s["start"]:s["end"]] == "Manu")
    window.article_view.span_clicked.emit(manu, window.mapToGlobal(window.rect().center()))
    relabel = next(a for a in window.span_menu.actions() if a.text().startswith("Relabel"))
    next(a for a in relabel.menu().actions() if a.text() == "ORG").trigger()
    window.span_menu.close()
    reactivate(qtbot, window)
    relabelled = next(s for s in window.spans if doc.text[s["start"]:s["end"]] == "Manu")
    assert (relabelled["label"], relabelled["annotator"]) == ("ORG", "ana")
    window.relabel_span(relabelled, "PERSON")
    window.link_span(relabelled, "manu_kumar_jain")
    linked = lambda: next(s for s in window.spans if doc.text[s["start"]:s["end"]] == "Manu")["kb_id"]
    assert linked() == "manu_kumar_jain"

    # undo the link, redo it
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert linked() is None
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert linked() == "manu_kumar_jain"

    # D: done (claims are left undecided: asked once), and the next article opens
    answer(qtbot, "Mark done")
    press(qtbot, window, Qt.Key.Key_D)
    assert window.doc.id != doc.id and "1 of 5 articles done" in window.status.text()
    window.store.close()  # what a kill leaves: every decision was committed when it was made

    with Store(workspace) as store:
        mine = {c["id"]: c for c in store.claims_of(doc.id, annotator="ana")}
        spans = store.spans_of(doc.id, annotator="ana")
        progress = store.list_documents("ana", [doc.id])[0]["status"]
        aliases = store.kb_additions()[1]
    by_base = {c["based_on"]: c["status"] for c in mine.values()}
    assert by_base[confirmed["id"]] == "accepted" and by_base[rejected["id"]] == "rejected"
    assert any(c["status"] == "corrected" and c["slots"]["period"][0]["value"]["value"] == "2019-Q3" for c in mine.values())
    assert ("gold rush", "PRODUCT") in {(doc.text[s["start"]:s["end"]], s["label"]) for s in spans}
    assert ("Manu", "PERSON", "manu_kumar_jain") in {(doc.text[s["start"]:s["end"]], s["label"], s["kb_id"]) for s in spans}
    assert ("Manu", "manu_kumar_jain") in aliases and progress == "done"


def test_an_invalid_claim_is_refused_with_the_reason(window, qtbot):
    claim = window.current_claim()
    required = next(n for n, s in window.schema.claim_types[claim["type"]].slots.items() if s.required)
    window.runner.run("the slot", lambda: window.curation.set_slot(claim["id"], required, []))
    press(qtbot, window, Qt.Key.Key_Return)
    assert f"{required} is missing" in window.statusBar().currentMessage()
    facts = window.claims.index(window.claim_list.currentIndex().row(), window.claims.FACTS)
    assert f"⚠ {required} is missing" in window.claims.data(facts)
    assert f"⚠ {required} is missing" in window.panel.rows[required].feedback.text()


def new_claim(qtbot, window, typed: str) -> None:
    """N, then the claim type typed into the list that opens, Enter."""
    def pick():
        palette = QApplication.activeModalWidget()
        qtbot.keyClicks(palette.filter, typed)
        qtbot.keyClick(palette.filter, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    press(qtbot, window, Qt.Key.Key_N)
    reactivate(qtbot, window)


def type_into(qtbot, window, slot: str, typed: str) -> None:
    """Alt and the slot's letter, the value, Enter: as the side panel is used."""
    letter = window.panel.rows[slot].label.text().split("&")[1][0]
    qtbot.keyClick(QApplication.focusWidget() or window, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
    editor = window.panel.editor(slot)
    assert editor.hasFocus()
    qtbot.keyClicks(editor.lineEdit(), typed)
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)


def test_a_new_claim_is_made_from_the_schema_in_the_side_panel(window, qtbot):
    new_claim(qtbot, window, "valuation")
    assert list(window.panel.rows) == list(window.schema.claim_types["valuation"].slots)
    type_into(qtbot, window, "subject", "Xiaomi")
    type_into(qtbot, window, "amount", "$10 billion")
    added = [c for c in window.curation.claims(window.doc.id) if c["origin"] == "curator"]
    assert len(added) == 1 and added[0]["slots"]["amount"][0]["value"]["value"] == 10_000_000_000
    assert added[0]["problems"] == [] and added[0]["slots"]["subject"][0]["kb_id"] == "xiaomi"
    assert window.current_claim()["id"] == added[0]["id"]


def test_search_and_filters_query_the_article_list(window, qtbot):
    listed = lambda: [window.documents.row(i)["id"] for i in range(window.documents.rowCount())]
    qtbot.keyClicks(window.search, "japan")
    qtbot.waitUntil(lambda: listed() == [window.store.document_id("001_cba5bfa5a200e696")])
    window.search.clear()
    qtbot.waitUntil(lambda: len(listed()) == 5)
    window.status_filter.setCurrentIndex(window.status_filter.findData("done"))
    assert listed() == []
    window.status_filter.setCurrentIndex(window.status_filter.findData("in_progress"))
    assert window.store.document_id(DOC) in listed()  # opened by the fixture
    window.status_filter.setCurrentIndex(0)
    window.lang_filter.setCurrentIndex(window.lang_filter.findData("nl"))
    assert [window.documents.row(i)["lang"] for i in range(window.documents.rowCount())] == ["nl"]
    window.lang_filter.setCurrentIndex(0)
    window.type_filter.setCurrentIndex(window.type_filter.findData("valuation"))
    assert 0 < len(listed()) < 5


def test_screenshot_command_writes_a_png(tmp_path):
    from tests.conftest import run_cli

    out = tmp_path / "shot.png"
    assert run_cli("gui", "--db", tmp_path / "s.db", "--doc", "003_03e3dd475b7972c6", "--screenshot", out) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_curator_name_is_remembered(tmp_path):
    from annotations.settings import remembered_curator
    from tests.conftest import run_cli

    assert run_cli("gui", "--db", tmp_path / "s.db", "--annotator", "ana", "--screenshot", tmp_path / "a.png") == 0
    assert remembered_curator() == "ana"


@pytest.mark.model
def test_first_run_shows_the_window_at_once_then_imports_and_preannotates(qtbot, db_path, qtmodeltester):
    window = make_window(qtbot, db_path)
    assert window.documents.rowCount() == 0  # usable before anything slow has run
    window.start_preannotation(load_settings(db_path))
    with qtbot.waitSignal(window.worker.returned, timeout=120_000) as blocker:
        pass
    window.worker.wait()
    assert window.documents.rowCount() == 5 and window.doc is not None  # the first article opened by itself
    qtmodeltester.check(window.documents)
    assert blocker.args[0]["documents"] == 5
    assert "Pre-annotated 5 articles" in window.statusBar().currentMessage()
    assert window.claims.rowCount() > 0  # the open article shows its new suggestions
    assert "0 of 5 articles done" in window.status.text() and "ana" in window.status.text()
    window.store.close()


def test_the_qt_binding_keeps_none_alive(qtbot):
    """PySide6 6.12.0 on Python 3.11 loses a reference to None per void call; the app would abort."""
    import sys

    from PySide6.QtGui import QTextCursor, QTextDocument

    document = QTextDocument("x" * 10)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for _ in range(1000):
        cursor.setPosition(5)
    assert sys.getrefcount(None) >= before - 10


@pytest.mark.model
def test_closing_during_preannotation_stops_it_cleanly(qtbot, db_path):
    window = make_window(qtbot, db_path)
    window.start_preannotation(load_settings(db_path))

    def preannotated() -> int:
        with Store(db_path) as store:
            return store.db.execute("SELECT count(*) FROM preannotated").fetchone()[0]

    qtbot.waitUntil(lambda: preannotated() > 0, timeout=120_000)  # closed while it works, not before it began
    window.close()  # asks the worker to stop between documents and waits for it
    assert not window.worker.isRunning()
    with Store(db_path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = {r[0] for r in store.db.execute("SELECT doc_id FROM preannotated")}
        with_claims = {r[0] for r in store.db.execute("SELECT DISTINCT doc_id FROM claims")}
        assert done and with_claims <= done  # something was pre-annotated, and no document by half
    window.store.close()


def select_claim(window, test):
    row = next(i for i in range(window.claims.rowCount()) if test(window.claims.claim(i)))
    window.claim_list.setCurrentIndex(window.claims.index(row))
    return window.claims.claim(row)


def parties(claim):
    return [v["text"] for v in claim["slots"].get("parties", [])]


def test_the_parties_of_a_partnership_are_added_removed_and_reordered_from_the_keyboard(window, qtbot):
    select_claim(window, lambda c: c["type"] == "partnership" and parties(c) == ["TikTok", "Xiaomi"])
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    row = window.panel.rows["parties"]
    adder = row.adder.box.lineEdit()
    assert adder.hasFocus()
    qtbot.keyClicks(adder, "bytebeats, Acme Mobile")
    qtbot.keyClick(adder, Qt.Key.Key_Return)  # adds both, stored at once, and the focus stays to add more
    assert parties(window.current_claim()) == ["TikTok", "Xiaomi", "bytebeats", "Acme Mobile"]
    assert row.adder.box.lineEdit().hasFocus() and row.adder.box.currentText() == ""
    qtbot.keyClick(adder, Qt.Key.Key_Tab)  # on to the list of values
    assert row.list.hasFocus()
    row.list.setCurrentRow(0)
    qtbot.keyClick(row.list, Qt.Key.Key_Delete)  # TikTok out
    row.list.setCurrentRow(2)  # Acme Mobile, one up
    qtbot.keyClick(row.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    [mine] = window.store.claims_of(window.doc.id, annotator="ana")
    assert parties(mine) == ["Xiaomi", "Acme Mobile", "bytebeats"]
    shown = window.claims.data(window.claims.index(window.claim_list.currentIndex().row(), window.claims.FACTS))
    assert "parties: “Acme Mobile” is not in the text" in shown
    assert [row.list.item(n).text() for n in range(row.list.count())][1] == "Acme Mobile (ORG, not linked) — not in the text"


def test_the_span_menu_adds_a_party_and_takes_it_out_again(window, qtbot):
    select_claim(window, lambda c: c["type"] == "partnership" and parties(c) == ["TikTok", "Xiaomi"])
    text = window.doc.text
    bytebeats = next(s for s in window.spans if text[s["start"]:s["end"]] == "bytebeats")

    def choose(entry):
        window.article_view.span_clicked.emit(bytebeats, window.mapToGlobal(window.rect().center()))
        actions = list(window.span_menu.actions()) + [
            a for a in window.span_menu.actions() if a.menu() for a in a.menu().actions()]
        next(a for a in actions if a.text() == entry).trigger()
        window.span_menu.close()
        reactivate(qtbot, window)
        return parties(window.current_claim())

    assert choose("parties (add)") == ["TikTok", "Xiaomi", "bytebeats"]
    assert choose("Remove from parties") == ["TikTok", "Xiaomi"]


def test_parties_typed_into_a_new_claim_are_each_a_value(window, qtbot):
    new_claim(qtbot, window, "partnership")
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    adder = window.panel.rows["parties"].adder.box.lineEdit()
    qtbot.keyClicks(adder, "Xiaomi, TikTok, Acme Mobile")
    qtbot.keyClick(adder, Qt.Key.Key_Return)
    [added] = window.store.claims_of(window.doc.id, annotator="ana")
    assert parties(added) == ["Xiaomi", "TikTok", "Acme Mobile"]
    assert [v["kb_id"] for v in added["slots"]["parties"]] == ["xiaomi", "tiktok", None]


def select_words(window, start, end):
    """Select article text as the mouse does, in Qt (UTF-16) positions."""
    cursor = window.article_view.textCursor()
    cursor.setPosition(window.article_view.positions.to_qt(start))
    cursor.setPosition(window.article_view.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    window.article_view.setTextCursor(cursor)


def test_labelling_a_suggested_name_relabels_it_on_screen_at_once(window, qtbot):
    text = window.doc.text
    zhang = next(s for s in window.spans if text[s["start"]:s["end"]] == "Zhang Yiming")
    painted = len(window.article_view.highlighted())
    select_words(window, zhang["start"], zhang["end"])
    qtbot.keyClick(window.article_view, Qt.Key.Key_1)  # 1 = ORG
    shown = [(s["label"], s["annotator"]) for s in window.spans if (s["start"], s["end"]) == (zhang["start"], zhang["end"])]
    assert shown == [("ORG", "ana")] and len(window.article_view.highlighted()) == painted
    assert window.article_view.span_at(zhang["start"])["label"] == "ORG"


@pytest.mark.model
def test_preannotation_starting_on_its_own_says_what_it_does_and_leaves_finished_articles_alone(window, qtbot):
    text = window.doc.text
    manu = next(s for s in window.spans if text[s["start"]:s["end"]] == "Manu")
    window.link_span(manu, "manu_kumar_jain")  # a new entity: every article's suggestions are now out of date
    answer(qtbot, "Mark done")
    press(qtbot, window, Qt.Key.Key_D)
    finished = window.store.spans_of(window.store.document_id(DOC), annotator="model")
    window.start_preannotation(load_settings(window.store.path))
    with qtbot.waitSignal(window.worker.planned, timeout=120_000) as planned:
        pass
    assert planned.args == [4]
    assert "Pre-annotating 4 articles" in window.statusBar().currentMessage()
    window.worker.wait()
    assert window.store.spans_of(window.store.document_id(DOC), annotator="model") == finished


def test_a_lock_held_too_long_says_what_was_not_stored(window, qtbot):
    import sqlite3

    claim = window.current_claim()
    window.store.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(window.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the workspace
    try:
        press(qtbot, window, Qt.Key.Key_X)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "Not stored (rejecting the claim)" in window.statusBar().currentMessage()
    assert "locked" in window.statusBar().currentMessage()
    assert window.current_claim()["status"] == claim["status"] == "suggested"
    assert window.store.claims_of(window.doc.id, annotator="ana") == []


def test_a_bug_in_an_action_reaches_the_window(window, qtbot, monkeypatch):
    def broken(claim_id):
        raise KeyError("slots")

    monkeypatch.setattr(window.curation, "confirm_claim", broken)
    press(qtbot, window, Qt.Key.Key_Return)
    message = window.statusBar().currentMessage()
    assert "Not stored (confirming the claim)" in message and "KeyError" in message


def test_a_worker_that_dies_says_so_instead_of_loading_for_ever(window, qtbot, monkeypatch):
    from annotations.nlp import preannotate

    def broken(*args, **kwargs):
        raise MemoryError("the model does not fit")

    monkeypatch.setattr(preannotate.Preannotator, "from_settings", broken)
    window.start_preannotation(load_settings(window.store.path))
    # the worker may fail before a waitSignal could connect: wait for what the curator sees
    qtbot.waitUntil(lambda: "Pre-annotation stopped" in window.statusBar().currentMessage(), timeout=60_000)
    window.worker.wait()
    assert "MemoryError: the model does not fit" in window.statusBar().currentMessage()


def test_a_read_only_workspace_opens_with_a_banner_and_stores_nothing(qtbot, suggested_db, monkeypatch):
    from annotations.store import os as store_os

    real_access = store_os.access
    # as root every file is writable; this is what a curator without write permission gets
    monkeypatch.setattr(store_os, "access", lambda path, mode: False if mode == store_os.W_OK else real_access(path, mode))
    window = make_window(qtbot, suggested_db)
    window.open_document(window.store.document_id(DOC))
    banner = next(label for label in window.findChildren(QLabel) if label.text().startswith("Read-only"))
    assert banner.isVisible() and str(suggested_db) in banner.text()
    reactivate(qtbot, window)
    press(qtbot, window, Qt.Key.Key_X)
    assert "Not stored (rejecting the claim)" in window.statusBar().currentMessage()
    assert "read-only" in window.statusBar().currentMessage()
    window.store.close()


def test_done_says_what_it_stores_and_asks_once_while_claims_are_undecided(window, qtbot):
    doc_id = window.doc.id
    spans, undecided = window.curation.done_preview(doc_id)
    seen = []
    answer(qtbot, "Go back to the claims", seen)
    press(qtbot, window, Qt.Key.Key_D)
    assert f"{undecided} claims are still undecided" in seen[0] and f"{spans} entity suggestions" in seen[0]
    assert window.doc.id == doc_id and window.store.list_documents("ana", [doc_id])[0]["status"] == "in_progress"
    reactivate(qtbot, window)
    answer(qtbot, "Mark done", seen)
    press(qtbot, window, Qt.Key.Key_D)
    assert len(seen) == 2 and window.store.list_documents("ana", [doc_id])[0]["status"] == "done"
    assert f"{spans} entity suggestions you left alone become your accepted spans; {undecided} claims left undecided" in (
        window.statusBar().currentMessage())


def test_enter_in_the_search_box_opens_the_first_hit_and_confirms_nothing(window, qtbot):
    first = window.doc.id
    window.search.setFocus()
    qtbot.keyClicks(window.search, "japan")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.doc.id == window.store.document_id("001_cba5bfa5a200e696") and window.claim_list.hasFocus()
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, Qt.Key.Key_X)  # a letter in the article list is the list's, not "reject"
    qtbot.keyClick(window.status_filter, Qt.Key.Key_Return)
    assert window.store.claims_of(first, annotator="ana") == []
    assert window.store.claims_of(window.doc.id, annotator="ana") == []


def test_linking_a_mention_to_a_new_entity_with_enter(window, qtbot):
    text = window.doc.text
    manu = next(s for s in window.spans if text[s["start"]:s["end"]] == "Manu")

    def type_new_id():
        dialog = QApplication.activeModalWidget()
        dialog.choice.lineEdit().selectAll()
        qtbot.keyClicks(dialog.choice.lineEdit(), "manu_kumar_jain")
        qtbot.keyClick(dialog.choice.lineEdit(), Qt.Key.Key_Return)

    QTimer.singleShot(0, type_new_id)
    window._link(manu, "Manu")
    linked = next(s for s in window.spans if text[s["start"]:s["end"]] == "Manu")
    assert (linked["kb_id"], linked["annotator"]) == ("manu_kumar_jain", "ana")
    assert ("Manu", "manu_kumar_jain") in window.store.kb_additions()[1]


def test_tab_goes_through_the_slots_of_the_side_panel_in_the_schemas_order(window, qtbot):
    new_claim(qtbot, window, "market entry")
    press(qtbot, window, Qt.Key.Key_E)
    order = []
    for _ in window.panel.rows:
        focused = QApplication.focusWidget()
        order.append(next(name for name, row in window.panel.rows.items() if row.widget().isAncestorOf(focused)
                          or row.widget() is focused))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert order == list(window.schema.claim_types["market_entry"].slots)


def test_typing_japan_stays_japan_and_enter_stores_it(window, qtbot):
    window.open_document(window.store.document_id("001_cba5bfa5a200e696"))
    text = window.doc.text
    japanese = text.index("Japanese")
    select_words(window, japanese, japanese + len("Japanese"))  # the claim is about here: "Japanese" is the nearest GPE
    new_claim(qtbot, window, "market entry")
    type_into(qtbot, window, "subject", "Xiaomi")
    type_into(qtbot, window, "market", "Japan")
    [added] = window.store.claims_of(window.doc.id, annotator="ana")
    assert [v["text"] for v in added["slots"]["market"]] == ["Japan"]


def test_a_claim_added_without_a_selection_takes_the_sentence_at_the_cursor(window, qtbot):
    text = window.doc.text
    start = text.index("TikTok was banned in India this year.")
    cursor = window.article_view.textCursor()
    cursor.setPosition(window.article_view.positions.to_qt(start + 3))
    window.article_view.setTextCursor(cursor)
    new_claim(qtbot, window, "regulatory")
    [added] = window.store.claims_of(window.doc.id, annotator="ana")
    evidence = added["evidence"]
    assert text[evidence["start"]:evidence["end"]] == "TikTok was banned in India this year."
    assert window.article_view.hasFocus()  # to select the claim's words, then S


def test_the_help_overlay_lists_every_key_the_window_binds(window, qtbot):
    from PySide6.QtGui import QKeySequence

    press(qtbot, window, Qt.Key.Key_F1)
    assert window.help.isVisible()
    shown = window.help.text()
    assert "Return or Enter\tconfirm the claim, and on to the next" in shown and "Ctrl+Z\tundo your last decision, however old" in shown
    bound = {action.text().lower(): [k.toString() for k in action.shortcuts()] for action in window.actions()}
    for key in window.key_table:
        assert (key.written in shown) and ((key.group or key.does) in shown)
        if key.run is not None:
            assert bound[key.does.lower()] == [QKeySequence(k).toString() for k in key.keys]
    from gui.frame import keys_markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert keys_markdown(window.key_table) in readme, "README.md's key table is not the window's:\n" + keys_markdown(window.key_table)
    qtbot.keyClick(window.help, Qt.Key.Key_J)  # any key closes it, and does nothing else
    assert not window.help.isVisible()
    press(qtbot, window, Qt.Key.Key_Question)
    assert window.help.isVisible()
    qtbot.keyClick(window.help, Qt.Key.Key_Escape)
    assert not window.help.isVisible()
