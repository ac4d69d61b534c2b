import pytest

from annotations.settings import load_settings
from annotations.workspace import open_workspace

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, db_path):
    from gui.main_window import MainWindow

    store, report = open_workspace(load_settings(db_path))
    assert report is not None and len(report.added) == 5
    win = MainWindow(store, "ana")
    qtbot.addWidget(win)
    win.show()
    yield win
    store.close()


def test_first_run_opens_on_the_five_seed_articles(window, qtmodeltester):
    assert window.documents.rowCount() == 5
    qtmodeltester.check(window.documents)
    titles = [window.documents.index(i).data() for i in range(5)]
    assert titles[3].startswith("Xiaomi CEO Sold Products On A Livestream")


def test_selecting_an_article_shows_its_text(window):
    doc_id = window.store.document_id("003_03e3dd475b7972c6")
    window.open_document(doc_id)
    assert window.article_view.toPlainText() == window.store.document(doc_id).text


def test_html_in_an_article_is_shown_literally(window, tmp_path):
    from annotations.ingest import import_paths
    path = tmp_path / "html.txt"
    path.write_text('Xiaomi <b>grew</b> <img src="x.png">.', encoding="utf-8")
    import_paths(window.store, [path])
    window.reload_documents()
    window.open_document(window.store.document_id("html"))
    assert window.article_view.toPlainText() == 'Xiaomi <b>grew</b> <img src="x.png">.'


def test_screenshot_command_writes_a_png(tmp_path):
    from tests.conftest import run_cli

    out = tmp_path / "shot.png"
    assert run_cli("gui", "--db", tmp_path / "s.db", "--doc", "003_03e3dd475b7972c6", "--screenshot", out) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.model
def test_preannotation_runs_in_the_background_and_reports(window, qtbot, db_path):
    window.start_preannotation(load_settings(db_path))
    with qtbot.waitSignal(window.worker.done, timeout=120_000) as blocker:
        pass
    window.worker.wait()
    assert blocker.args[0]["documents"] == 5
    assert "Pre-annotated 5 articles" in window.statusBar().currentMessage()
    assert window.store.stats()["claims_by_status"]["suggested"] > 20
