"""Review mode in the real window: agreed claims become gold, differences are resolved from the keyboard."""

import pytest
from PySide6.QtCore import Qt

from annotations.review import ClaimGroup, Review, SpanGroup
from annotations.settings import load_settings
from annotations.store import Store
from tests.conftest import DOC, DOC2, record_conflicting_shares

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, review_db):
    from gui.review_window import ReviewWindow

    store = Store(review_db)
    win = ReviewWindow(store, Review.open(load_settings(review_db), store, "rev"))
    qtbot.addWidget(win)
    win.show()
    win.open_document(store.document_id(DOC))
    yield win
    store.close()


def groups(window):
    return [window.groups.group(i) for i in range(window.groups.rowCount())]


def test_opening_an_article_turns_agreement_into_gold_and_lists_differences_first(window, qtmodeltester):
    qtmodeltester.check(window.documents)
    qtmodeltester.check(window.groups)
    qtmodeltester.check(window.comparison)
    shown = groups(window)
    assert not shown[0].agreed  # differences come first
    assert sum(1 for g in shown if isinstance(g, ClaimGroup) and g.gold and g.gold["status"] == "gold") == 2
    assert "now gold" in window.statusBar().currentMessage()
    share = next(g for g in shown if isinstance(g, ClaimGroup) and g.type == "market_share")
    window.group_list.setCurrentIndex(window.groups.index(shown.index(share)))
    period_row = window.comparison.rows.index("period")
    assert [window.comparison.index(period_row, c).data() for c in range(2)] == ["Q3 2019", "Q2 2019"]
    assert window.comparison.headerData(0, Qt.Orientation.Horizontal) == "1 ana"


def test_differences_resolved_from_the_keyboard_are_stored_as_gold_by_the_reviewer(window, qtbot, review_db):
    first = groups(window)[0]
    qtbot.keyClick(window.group_list, Qt.Key.Key_2)  # take bo's version
    share_row = next(i for i, g in enumerate(groups(window)) if isinstance(g, ClaimGroup) and g.type == "market_share")
    window.group_list.setCurrentIndex(window.groups.index(share_row))
    window.table.setCurrentIndex(window.comparison.index(window.comparison.rows.index("period"), 0))
    qtbot.keyClick(window.group_list, Qt.Key.Key_S)  # ana's period into the gold
    span_row = next(i for i, g in enumerate(groups(window)) if isinstance(g, SpanGroup) and not g.agreed)
    window.group_list.setCurrentIndex(window.groups.index(span_row))
    qtbot.keyClick(window.group_list, Qt.Key.Key_X)
    qtbot.keyClick(window.group_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.group_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window.store.close()
    with Store(review_db) as store:
        doc_id = store.document_id(DOC)
        mine = store.claims_of(doc_id, annotator="rev")
        gold = [c for c in mine if c["status"] == "gold"]
        rejected_spans = store.spans_of(doc_id, ("rejected",), "rev")
    [decision] = [c for c in mine if c["based_on"] in {v["id"] for v in first.versions.values() if v}]
    assert decision["status"] == ("rejected" if first.versions["bo"]["status"] == "rejected" else "gold")
    share = next(c for c in gold if c["type"] == "market_share")
    assert share["slots"]["period"][0]["value"]["value"] == "2019-Q3"
    assert len(rejected_spans) == 1


def test_the_automatic_gold_can_be_undone_and_a_note_kept(window, qtbot, review_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    doc_id = window.doc.id
    assert len(window.store.claims_of(doc_id, ("gold",), "rev")) == 2
    qtbot.keyClick(window.group_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.claims_of(doc_id, ("gold",), "rev") == []
    qtbot.keyClick(window.group_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    gold = next(i for i, g in enumerate(groups(window)) if isinstance(g, ClaimGroup) and g.gold)
    window.group_list.setCurrentIndex(window.groups.index(gold))

    def type_note():
        dialog = QApplication.activeModalWidget()
        dialog.setTextValue("checked against the source")
        dialog.accept()

    QTimer.singleShot(0, type_note)
    qtbot.keyClick(window.group_list, Qt.Key.Key_N)
    notes = [c["note"] for c in window.store.claims_of(doc_id, ("gold",), "rev")]
    assert "checked against the source" in notes


def test_conflicts_across_articles_are_found_behind_the_open_window(qtbot, review_db):
    from annotations.curation import Curation
    from gui.review_window import CONFLICT_LINES, ReviewWindow

    with Store(review_db) as store:
        record_conflicting_shares(Curation.open(load_settings(review_db), store, "ana"))
    store = Store(review_db)
    win = ReviewWindow(store, Review.open(load_settings(review_db), store, "rev"))
    qtbot.addWidget(win)
    assert win.across.item(0).text().startswith("Looking for")  # the window does not wait for it
    qtbot.waitUntil(lambda: "across articles" in win.status.text() and "looking" not in win.status.text(), timeout=20_000)
    found = [win.across.item(i).text() for i in range(win.across.count())]
    xiaomi = next(text for text in found if text.startswith("market_share of xiaomi (india, 2019-Q2)"))
    assert "28.7 in " + DOC in xiaomi and "30.0 in " + DOC2 in xiaomi
    many = {"type": "shipments", "identity": {"subject": "xiaomi", "market": None, "period": None},
            "claims": [{"value": n, "doc": f"doc{n}", "annotator": "ana", "evidence": "…"} for n in range(CONFLICT_LINES + 3)]}
    win._show_conflicts([many])
    assert win.across.item(0).text().splitlines()[-1] == "   … and 3 more in 3 articles" and "1 conflict across" in win.status.text()
    store.close()


def test_the_count_and_the_next_article_cover_every_article_to_review_not_the_first_page(qtbot, tmp_path):
    from annotations.ingest import make_document
    from gui.models import IdRole
    from gui.review_window import ReviewWindow

    with Store(tmp_path / "w.db") as store:
        ids = [d["id"] for d in store.add_documents(make_document(f"Report {n}", f"d{n}", "t", lang="en") for n in range(205))[0]]
        store.db["document_progress"].insert_all({"doc_id": i, "annotator": who, "status": "done", "updated_at": "t"}
                                                 for i in ids for who in ("ana", "bo"))
    store = Store(tmp_path / "w.db")
    win = ReviewWindow(store, Review.open(load_settings(store.path), store, "rev"))
    qtbot.addWidget(win)
    assert win.documents.rowCount() == 200 and "205 articles to review" in win.status.text()
    with qtbot.waitActive(win):  # the keys are the window's shortcuts
        win.show()
        win.activateWindow()
    win.open_document(ids[201])  # beyond the first page of the list
    qtbot.keyClick(win.group_list, Qt.Key.Key_D)
    assert win.doc.id == ids[202] and win.article_list.currentIndex().data(IdRole) == ids[202]
    win.open_document(ids[204])
    qtbot.keyClick(win.group_list, Qt.Key.Key_D)  # the last one: round to the first not yet reviewed
    assert win.doc.id == ids[0] and store.finished_by(ids[204]) == ["ana", "bo", "rev"]
    store.close()


def test_across_articles_says_so_when_there_is_nothing(window, qtbot):
    qtbot.waitUntil(lambda: "across articles" in window.status.text() and "looking" not in window.status.text(), timeout=20_000)
    window._show_conflicts([])
    assert window.across.count() == 1 and window.across.item(0).text().startswith("No fact has different values")


def test_a_failure_in_the_core_reaches_the_review_window_and_changes_nothing(window, qtbot, monkeypatch):
    """#17 item 4: every reviewer action goes through the window's one runner."""
    def broken(*args, **kwargs):
        raise ZeroDivisionError("no curators")

    monkeypatch.setattr(window.review, "pick_version", broken)
    first = next(g for g in groups(window) if isinstance(g, ClaimGroup) and not g.agreed)
    window.group_list.setCurrentIndex(window.groups.index(groups(window).index(first)))
    qtbot.keyClick(window.group_list, Qt.Key.Key_1)
    message = window.statusBar().currentMessage()
    assert "Not stored (the version taken into gold)" in message and "ZeroDivisionError: no curators" in message


def test_a_decision_on_a_span_reads_the_span_groups_again_not_the_claims(window, qtbot, monkeypatch):
    read = []
    for name in ("claim_groups", "span_groups"):
        real = getattr(window.review, name)
        monkeypatch.setattr(window.review, name, lambda doc_id, real=real, name=name: read.append(name) or real(doc_id))
    text = window.article_view.toPlainText()
    span_row = next(i for i, g in enumerate(groups(window)) if isinstance(g, SpanGroup) and not g.agreed)
    place = (groups(window)[span_row].start, groups(window)[span_row].end)
    window.group_list.setCurrentIndex(window.groups.index(span_row))
    qtbot.keyClick(window.group_list, Qt.Key.Key_X)
    assert read == ["span_groups"] and window.article_view.toPlainText() == text
    [rejected] = [g for g in groups(window) if isinstance(g, SpanGroup) and (g.start, g.end) == place]
    assert rejected.gold["status"] == "rejected"
