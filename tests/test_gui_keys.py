"""Issue #18 in the real window, driven by keys (pytest-qt, offscreen): the place is kept, the claims
read as facts, the side panel edits in place, spans are worked from the keyboard, colours and
nested spans show, all occurrences are labelled at once, time is kept, and every failure reaches
the window through the one runner (#17 item 4). The key counts of the README are measured here."""

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from annotations.curation import whole_word_places
from annotations.palette import SLOT_MARK
from tests.conftest import DOC2, make_window, open_new_article

pytestmark = pytest.mark.gui
ALT, CTRL, SHIFT = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


class Keyboard:
    """The curator's hands: each key goes to the widget with the focus, as it would, and is counted;
    typed words are counted apart, as characters."""

    def __init__(self, qtbot):
        self.qtbot, self.keys, self.typed = qtbot, 0, 0

    def __call__(self, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.keys += 1
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifier)

    def type(self, text: str) -> None:
        self.typed += len(text)
        self.qtbot.keyClicks(QApplication.focusWidget(), text)

    def in_dialog(self, then, focus: bool = True) -> None:
        """Keys for the dialog the next key opens (it runs its own loop), once it has the focus."""
        def when_open():
            self.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None and QApplication.activeModalWidget().isVisible())
            dialog = QApplication.activeModalWidget()
            if focus:
                dialog.activateWindow()  # what the window manager does
                self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isAncestorOf(QApplication.focusWidget()))
            then()

        QTimer.singleShot(0, when_open)

    def count(self) -> tuple[int, int]:
        counted, self.keys, self.typed = (self.keys, self.typed), 0, 0
        return counted


@pytest.fixture
def keys(qtbot):
    return Keyboard(qtbot)


def reactivate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def select_claim(window, test) -> dict:
    row = next(i for i in range(window.claims.rowCount()) if test(window.claims.claim(i)))
    window.claim_list.setCurrentIndex(window.claims.index(row))
    window.claim_list.setFocus()
    return window.claims.claim(row)


def caret_at(window, offset: int) -> None:
    """The cursor in the article, as arrow keys or a click would leave it."""
    window.article_view.reveal(offset)
    window.article_view.setFocus()


def link_with_keys(qtbot, window, keys, kb_id: str) -> None:
    """Ctrl+L on the selected span, the entity picked in the dialog, Enter."""
    def link():
        dialog = QApplication.activeModalWidget()
        dialog.choice.setCurrentIndex(dialog.choice.findData(kb_id))
        keys(Qt.Key.Key_Return)

    keys.in_dialog(link)
    keys(Qt.Key.Key_L, CTRL)
    reactivate(qtbot, window)


def select_words(window, start: int, end: int) -> None:
    cursor = window.article_view.textCursor()
    cursor.setPosition(window.article_view.positions.to_qt(start))
    cursor.setPosition(window.article_view.positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    window.article_view.setTextCursor(cursor)


def shown_spans(window, words):
    return [s for s in window.spans if window.doc.text[s["start"]:s["end"]] == words]


def facts(window, row=None) -> str:
    row = window.claim_list.currentIndex().row() if row is None else row
    return window.claims.data(window.claims.index(row, window.claims.FACTS))


# -- the key counts in the README ------------------------------------------------------------------

def test_key_counts_on_the_seed_article(window, qtbot, keys):
    """Each of DESIGN.md's curator-effort bars, measured on the first seed article. Moving to the
    claim or into the sentence is navigation and not counted; every other key is."""
    counts = {}
    text = window.doc.text

    # confirm a claim: 1 key
    claim = select_claim(window, lambda c: c["type"] == "growth")
    keys(Qt.Key.Key_Return)
    counts["confirm"] = keys.count()
    assert window.store.claims_of(window.doc.id, annotator="ana")[0]["based_on"] == claim["id"]

    # fix an entity slot: Alt and the slot's letter, ↓ to the next span that fits, Enter
    select_claim(window, lambda c: c["type"] == "role" and c["slots"]["organization"][0]["text"] == "Twitter")
    keys(Qt.Key.Key_O, ALT)
    keys(Qt.Key.Key_Down)
    keys(Qt.Key.Key_Return)
    counts["fix an entity slot"] = keys.count()
    fixed = window.current_claim()
    assert fixed["status"] == "corrected" and fixed["slots"]["organization"][0]["text"] != "Twitter"

    # fix a value slot: Alt and the letter, the value, Enter
    select_claim(window, lambda c: c["type"] == "market_share" and c["slots"]["share"][0]["text"] == "nearly 40%")
    keys(Qt.Key.Key_H, ALT)
    keys.type("about 41%")
    keys(Qt.Key.Key_Return)
    counts["fix a value slot"] = keys.count()
    share = window.current_claim()["slots"]["share"][0]["value"]
    assert (share["value"], share["qualifier"]) == (41.0, "approx")

    # add a three-slot claim from selections: N, its type, Enter, then ] and S for each slot
    caret_at(window, text.index("In 2014, Xiaomi set up"))

    def pick_type():
        keys.type("entry")
        keys(Qt.Key.Key_Return)

    keys.in_dialog(pick_type)
    keys(Qt.Key.Key_N)
    reactivate(qtbot, window)
    for _ in range(3):
        keys(Qt.Key.Key_BracketRight)
        keys(Qt.Key.Key_S)
    counts["add a three-slot claim from selections"] = keys.count()
    [added] = [c for c in window.store.claims_of(window.doc.id, annotator="ana") if c["type"] == "market_entry"]
    assert {name: values[0]["text"] for name, values in added["slots"].items()} == {"date": "2014", "subject": "Xiaomi", "market": "India"}

    # label a selection with a label beyond the nine numbered ones: L, its name, Enter
    start = text.index("gold rush")
    select_words(window, start, start + len("gold rush"))
    keys.in_dialog(lambda: (keys.type("event"), keys(Qt.Key.Key_Return)))
    keys(Qt.Key.Key_L)
    reactivate(qtbot, window)
    counts["label a selection with any label"] = keys.count()
    assert [s["label"] for s in shown_spans(window, "gold rush")] == ["EVENT"]

    # relabel a span (] reaches it): its number; reject another: Delete
    caret_at(window, text.index("Zhang Yiming") - 1)
    keys.count()  # ] is navigation
    window.step_span(1)
    keys(Qt.Key.Key_2)  # 2 = PERSON
    counts["relabel a span"] = keys.count()
    window.step_span(1)
    rejected = window.article_view.selected_span()
    keys(Qt.Key.Key_Delete)
    counts["reject a span"] = keys.count()
    assert [s["label"] for s in shown_spans(window, "Zhang Yiming")] == ["PERSON"]
    assert [s["status"] for s in window.spans if (s["start"], s["end"]) == (rejected["start"], rejected["end"])] == ["rejected"]

    assert counts == {"confirm": (1, 0), "fix an entity slot": (3, 0), "fix a value slot": (2, 9),
                      "add a three-slot claim from selections": (8, 5), "label a selection with any label": (2, 5),
                      "relabel a span": (1, 0), "reject a span": (1, 0)}


# -- keep the place ---------------------------------------------------------------------------------

def test_labelling_linking_and_rejecting_never_move_the_article(window, qtbot, keys):
    view = window.article_view
    text = window.doc.text
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = list(whole_word_places(text, "Xiaomi"))[-1]
    select_words(window, *last)
    before = bar.value()
    window.claim_list.setFocus()
    keys(Qt.Key.Key_1)  # label: ORG
    keys(Qt.Key.Key_Delete)  # reject it
    keys(Qt.Key.Key_3)  # label it again, as GPE
    keys(Qt.Key.Key_A)  # and every other "Xiaomi" in the article
    keys(Qt.Key.Key_Z, CTRL)
    assert bar.value() == before > 0 and view.selected_range() == last


def test_the_app_reopens_on_the_curators_last_article_and_claim(qtbot, seeded_db):
    first = make_window(qtbot, seeded_db)
    first.open_document(first.store.document_id(DOC2))
    qtbot.keyClick(first.claim_list, Qt.Key.Key_J)
    qtbot.keyClick(first.claim_list, Qt.Key.Key_J)
    where = first.current_claim()
    first.close()  # stores the place, as a closing app does
    first.store.close()
    again = make_window(qtbot, seeded_db)
    assert again.open_last_place()
    assert again.doc.name == DOC2 and again.current_claim()["id"] == where["id"]
    assert make_window(qtbot, seeded_db, "bo").open_last_place() is False  # every curator their own place
    again.close()
    again.store.close()


# -- the claim list ----------------------------------------------------------------------------------

def test_the_claim_list_reads_as_facts_with_confidence_order_and_threshold(window, qtbot, keys, qtmodeltester):
    qtmodeltester.check(window.claims)
    rows = [facts(window, n) for n in range(window.claims.rowCount())]
    assert any("subject=TikTok" in r and "count=more than 500 million" in r and "period=2017" in r for r in rows)
    assert any("share=28.7%" in r and "period=Q2 2019" in r for r in rows)
    # two partnerships naming TikTok and Xiaomi differ in their evidence, which each row quotes
    twins = [r for r in rows if r.startswith("parties=TikTok + Xiaomi") or r.startswith("parties=Xiaomi + TikTok")]
    assert len(twins) == 2 and twins[0].splitlines()[1] != twins[1].splitlines()[1]
    confidences = [window.claims.claim(n)["confidence"] for n in range(window.claims.rowCount())]
    bar = window.claims.index(0, window.claims.CONFIDENCE)
    assert bar.data() == f"{confidences[0]:.2f}"
    window.claim_list.setFocus()
    keys(Qt.Key.Key_O)
    by_confidence = [window.claims.claim(n)["confidence"] for n in range(window.claims.rowCount())]
    assert by_confidence == sorted(confidences, reverse=True) and "by confidence" in window.claims_title.text()
    # the first threshold (steps of 0.1) that hides some suggestions and not all
    steps = next(n for n in range(1, 10) if 0 < sum(c < n / 10 for c in confidences) < len(confidences))
    below = sum(c < steps / 10 for c in confidences)
    for _ in range(steps):
        keys(Qt.Key.Key_Plus)  # the suggestions under the threshold go
    shown = [window.claims.claim(n) for n in range(window.claims.rowCount())]
    assert all(c["confidence"] >= steps / 10 for c in shown) and window.claims.hidden() == below
    assert f"{below} under the threshold hidden" in window.claims_title.text()
    for _ in range(steps):
        keys(Qt.Key.Key_Minus)
    assert window.claims.hidden() == 0


def test_u_goes_to_the_next_undecided_claim_and_on_into_the_next_article(window, qtbot, keys):
    window.claim_list.setFocus()
    keys(Qt.Key.Key_Return)  # the first decided: on to the second
    keys(Qt.Key.Key_K)  # back to the decided one
    keys(Qt.Key.Key_U)
    assert window.claim_list.currentIndex().row() == 1
    everything = [c["id"] for c in window.claims.claims()]
    window.runner.run("accepting", lambda: window.curation.accept_all(window.doc.id, everything))
    first = window.doc.id
    keys(Qt.Key.Key_U)
    assert window.doc.id != first and window.current_claim()["status"] == "suggested"


def test_accept_all_shown_is_one_step_that_one_undo_takes_back(window, qtbot, keys):
    for _ in range(6):
        keys(Qt.Key.Key_Plus)  # threshold 0.6: only the surer suggestions are shown, and accepted
    shown = {c["id"] for c in window.claims.claims()}
    keys(Qt.Key.Key_Return, CTRL)
    mine = window.store.claims_of(window.doc.id, annotator="ana")
    assert {c["based_on"] for c in mine} == shown and all(c["status"] == "accepted" for c in mine)
    assert f"accepted {len(shown)} claims" in window.statusBar().currentMessage()
    keys(Qt.Key.Key_Z, CTRL)
    assert window.store.claims_of(window.doc.id, annotator="ana") == []


# -- the side panel ---------------------------------------------------------------------------------

def test_the_side_panel_edits_in_place_normalising_as_you_type(window, qtbot, keys):
    select_claim(window, lambda c: c["type"] == "user_metric")
    panel = window.panel
    assert panel.isVisible() and list(panel.rows) == list(window.schema.claim_types["user_metric"].slots)
    assert panel.rows["count"].feedback.text().startswith("more than")
    # a choice slot is a pick list: ↓ moves through it storing nothing, Enter stores
    keys(Qt.Key.Key_E)  # E: the first slot, as none has a problem
    assert panel.editor("subject").hasFocus()
    keys(Qt.Key.Key_Tab)
    metric = panel.editor("metric")
    assert metric.hasFocus() and metric.currentData() == "monthly_active_users"
    keys(Qt.Key.Key_Down)
    assert window.store.claims_of(window.doc.id, annotator="ana") == []
    keys(Qt.Key.Key_Return)
    assert window.current_claim()["slots"]["metric"][0]["value"]["value"] == "daily_active_users"
    assert window.claim_list.hasFocus()
    # typing is read as it is typed; Esc leaves without storing
    select_claim(window, lambda c: c["type"] == "market_share" and c["slots"]["share"][0]["text"] == "28.7%")
    keys(Qt.Key.Key_H, ALT)
    keys.type("about $75 billion")
    assert "cannot be read as a percent" in panel.rows["share"].feedback.text()
    keys(Qt.Key.Key_A, CTRL)
    keys.type("more than 40%")
    assert panel.rows["share"].feedback.text() == "→ more than 40% — not in the text"
    keys(Qt.Key.Key_Escape)
    assert window.claim_list.hasFocus() and window.current_claim()["status"] == "suggested"


def test_a_selection_goes_into_a_slot_with_s(window, qtbot, keys):
    text = window.doc.text
    select_claim(window, lambda c: c["type"] == "market_share" and c["slots"]["share"][0]["text"] == "28.7%")
    start = text.index("Indian smartphone market")
    select_words(window, start, start + len("Indian smartphone market"))
    keys(Qt.Key.Key_M, ALT)  # into the market slot, then back to the article's selection
    keys(Qt.Key.Key_Escape)
    keys(Qt.Key.Key_S)
    assert "market: “Indian smartphone market”" not in facts(window)
    # the selection snapped to whole words went where the curator last was: market
    assert window.current_claim()["slots"]["market"][0]["text"] == "Indian smartphone market"


def test_relative_periods_are_read_against_the_articles_date_which_ctrl_d_sets(window, qtbot, keys):
    select_claim(window, lambda c: c["type"] == "market_share" and c["slots"]["share"][0]["text"] == "28.7%")
    keys(Qt.Key.Key_P, ALT)
    keys(Qt.Key.Key_A, CTRL)
    keys.type("this year")
    assert "Ctrl+D" in window.panel.rows["period"].feedback.text()
    keys(Qt.Key.Key_Escape)

    def date():
        dialog = QApplication.activeModalWidget()
        dialog.setTextValue("26 August 2019")
        dialog.accept()

    keys.in_dialog(date, focus=False)
    keys(Qt.Key.Key_D, CTRL)
    reactivate(qtbot, window)
    assert window.doc.published == "2019-08-26" and "Published 2019-08-26" in window.panel.dated.text()
    keys(Qt.Key.Key_P, ALT)
    keys(Qt.Key.Key_A, CTRL)
    keys.type("this year")
    assert window.panel.rows["period"].feedback.text() == "→ 2019 (“this year”)"
    keys(Qt.Key.Key_Return)
    assert window.current_claim()["slots"]["period"][0]["value"]["value"] == "2019"
    keys(Qt.Key.Key_Z, CTRL)
    keys(Qt.Key.Key_Z, CTRL)
    assert window.store.document(window.doc.id).published is None


# -- spans from the keyboard --------------------------------------------------------------------------

def test_spans_are_walked_relabelled_linked_and_named_from_the_keyboard(window, qtbot, keys):
    text = window.doc.text
    caret_at(window, 0)
    keys(Qt.Key.Key_BracketRight)
    assert window.article_view.selected_span()["start"] == 0 and "“India” GPE" in window.statusBar().currentMessage()
    keys(Qt.Key.Key_BracketRight)
    keys(Qt.Key.Key_BracketLeft)
    assert window.article_view.selected_range() == (0, 5)
    # every label from the palette, narrowed by typing
    keys.in_dialog(lambda: (keys.type("nor"), keys(Qt.Key.Key_Return)))
    keys(Qt.Key.Key_L)
    reactivate(qtbot, window)
    assert window.article_view.selected_span()["label"] == "NORP"
    # linking: Ctrl+L, the entity, Enter
    link_with_keys(qtbot, window, keys, "india")
    assert window.article_view.selected_span()["kb_id"] == "india"
    # hovering names the label
    view = window.article_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(2)
    point = view.cursorRect(cursor).center()
    shown = []
    from PySide6.QtWidgets import QToolTip
    original = QToolTip.showText
    QToolTip.showText = staticmethod(lambda where, words, *rest: shown.append(words))
    try:
        view.viewportEvent(QHelpEvent(QHelpEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)))
    finally:
        QToolTip.showText = original
    assert shown and shown[0].startswith("“India” NORP (Nationality, religious or political group), linked to India")
    # label names as tags: T; the lines make room for them
    height = view.cursorRect(cursor).height()
    keys(Qt.Key.Key_T)
    assert view.tags_shown and view.cursorRect(cursor).height() > height
    view.viewport().grab()  # painted with the tags, without error
    keys(Qt.Key.Key_T)
    assert not view.tags_shown and text == view.toPlainText()


def test_slot_marks_keep_the_label_colour_and_nested_spans_both_show(window, qtbot, keys):
    text, view = window.doc.text, window.article_view
    claim = select_claim(window, lambda c: c["type"] == "partnership" and [v["text"] for v in c["slots"]["parties"]] == ["TikTok", "Xiaomi"])
    xiaomi = claim["slots"]["parties"][1]
    marked = view.format_at(xiaomi["start"])
    assert marked.background().color() == QColor(window.schema.color("ORG")) and marked.underlineColor() == QColor(SLOT_MARK)
    # "Xiaomi India" as one ORG over the suggested GPE "India": both show
    start = text.index("Xiaomi India")
    select_words(window, start, start + len("Xiaomi India"))
    keys(Qt.Key.Key_1)
    inner = start + len("Xiaomi ")
    shown = view.format_at(inner + 1)
    assert shown.background().color() == QColor(window.schema.color("GPE"))
    assert shown.underlineColor() == QColor(window.schema.color("ORG")).darker(200)
    assert view.format_at(start + 1).background().color() == QColor(window.schema.color("ORG"))
    # the inner span rejected: struck through, on the outer span's colour
    select_words(window, inner, inner + len("India"))
    keys(Qt.Key.Key_Delete)
    struck = view.format_at(inner + 1)
    assert struck.fontStrikeOut() and struck.background().color() == QColor(window.schema.color("ORG"))


def test_right_to_left_paragraphs_are_aligned_right(window, tmp_path):
    open_new_article(window, tmp_path, "arabic", "Xiaomi sold phones.\n\nباعت شركة شاومي هواتف في الهند\n")
    view = window.article_view
    left, arabic = view.document().findBlockByNumber(0), view.document().findBlockByNumber(2)
    assert left.layout().lineAt(0).naturalTextRect().left() < 10
    line = arabic.layout().lineAt(0)
    assert line.naturalTextRect().right() > line.width() - 10  # its words end at the right edge


# -- all occurrences at once -------------------------------------------------------------------------

def test_a_labels_all_occurrences_in_the_article_and_shift_a_in_the_workspace(window, qtbot, keys):
    text = window.doc.text
    millet = next(s for s in window.spans if text[s["start"]:s["end"]] == "Millet")
    select_words(window, millet["start"], millet["end"])
    window.claim_list.setFocus()
    link_with_keys(qtbot, window, keys, "xiaomi")
    keys(Qt.Key.Key_A)
    places = whole_word_places(text, "Millet")
    linked = [s for s in window.store.spans_of(window.doc.id, annotator="ana") if (s["start"], s["end"]) in places]
    assert len(linked) == len(places) and {(s["label"], s["kb_id"]) for s in linked} == {("ORG", "xiaomi")}
    assert "more place" in window.statusBar().currentMessage()
    # the workspace: the search finds the articles, the count is asked about, Enter labels them all
    xiaomi = next(s for s in window.spans if text[s["start"]:s["end"]] == "Xiaomi")
    select_words(window, xiaomi["start"], xiaomi["end"])
    found = window.curation.occurrences_everywhere(xiaomi["id"])
    elsewhere = set(found.plans) - {window.doc.id}
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        keys(Qt.Key.Key_Return)

    keys.in_dialog(answer)
    keys(Qt.Key.Key_A, SHIFT)
    reactivate(qtbot, window)
    assert window.search.text() == "Xiaomi" and len(elsewhere) >= 3
    assert seen[0].startswith(f"Label {found.count} occurrences of “Xiaomi” in {len(found.plans)} articles as ORG, linked to Xiaomi?")
    for doc_id in elsewhere:
        mine = {(s["start"], s["end"]) for s in window.store.spans_of(doc_id, annotator="ana")}
        assert mine == {(start, end) for start, end, _ in found.plans[doc_id]}
    keys(Qt.Key.Key_Z, CTRL)
    assert all(window.store.spans_of(doc_id, annotator="ana") == [] for doc_id in elsewhere)


# -- time and progress -------------------------------------------------------------------------------

def test_active_time_counts_keys_not_pauses_and_is_shown_and_stored(window, qtbot, keys, monkeypatch):
    clock = [1000.0]
    window.now = lambda: clock[0]
    window.clock.last = None
    window.claim_list.setFocus()
    for pause in (0, 5, 20, 300, 10):  # 35 s of work, then five minutes away, then 10 s
        clock[0] += pause
        keys(Qt.Key.Key_J)
    doc_id = window.doc.id
    window.open_document(window.store.document_id(DOC2))  # switching stores the time of the article left
    assert window.store.active_seconds("ana", doc_id) == pytest.approx(35, abs=0.5)
    assert "in all 35 s" in window.status.text()

    def look():
        dialog = QApplication.activeModalWidget()
        seen.append([dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())])
        dialog.reject()

    seen = []
    keys.in_dialog(look, focus=False)
    keys(Qt.Key.Key_P, CTRL)
    assert seen[0][0] == "ana" and seen[0][2] == "35 s"


# -- one runner for every action (#17 item 4) ------------------------------------------------------------

@pytest.mark.parametrize("method, key, modifier", [
    ("confirm_claim", Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    ("accept_all", Qt.Key.Key_Return, CTRL),
    ("add_span", Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier),
    ("reject_span", Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    ("label_all", Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier),
    ("use_selection", Qt.Key.Key_S, Qt.KeyboardModifier.NoModifier),
    ("undo", Qt.Key.Key_Z, CTRL),
])
def test_any_exception_in_the_core_reaches_the_window_as_a_message(window, qtbot, method, key, modifier):
    def broken(*args, **kwargs):
        raise LookupError(f"{method} broke")

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(window.curation, method, broken)
    try:
        india = window.spans[0]
        select_words(window, india["start"], india["end"])
        qtbot.keyClick(window.claim_list, key, modifier)
    finally:
        monkeypatch.undo()
    message = window.statusBar().currentMessage()
    assert message.startswith("⚠ Not stored (") and f"LookupError: {method} broke" in message


def test_each_part_of_the_window_refreshes_only_what_the_change_names(window, qtbot, keys, monkeypatch):
    read = []
    real = window.curation.claims
    monkeypatch.setattr(window.curation, "claims", lambda doc_id: read.append(doc_id) or real(doc_id))
    text = window.doc.text
    start = text.index("gold rush")
    select_words(window, start, start + len("gold rush"))
    window.claim_list.setFocus()
    keys(Qt.Key.Key_5)  # a new span: the claims are not read again
    assert read == []
    keys(Qt.Key.Key_Return)  # a claim decided: they are
    assert read == [window.doc.id]


def test_a_click_on_a_span_still_opens_its_menu(window, qtbot):
    india = window.spans[0]
    window.article_view.span_clicked.emit(india, window.mapToGlobal(QPoint(10, 10)))
    assert [a.text() for a in window.span_menu.actions()][:3] == [f"Relabel “India” ({india['label']})", "Reject span",
                                                                  "Link to canonical entity…"]
    window.span_menu.close()

