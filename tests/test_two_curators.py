"""Two curators on one workspace file: each one's undo and redo touch only their own rows."""

import subprocess
import sys
import textwrap

import pytest

from annotations.curation import Curation
from annotations.errors import InvalidAction
from annotations.settings import load_settings
from annotations.store import Store
from tests.conftest import ROOT, SEEDS, run_cli


@pytest.fixture
def shared(tmp_path):
    """One workspace file holding the seeds (no pre-annotation needed), as two curators share it."""
    path = tmp_path / "shared.db"
    assert run_cli("import", SEEDS, "--db", path) == 0
    return path


def open_as(path, name):
    store = Store(path)
    return Curation.open(load_settings(path), store, name)


def labelled(store, doc_id):
    """Every curator span as (annotator, text, label)."""
    text = store.document(doc_id).text
    return sorted((s["annotator"], text[s["start"]:s["end"]], s["label"]) for s in store.spans_of(doc_id))


def word(text, w):
    start = text.index(w)
    return start, start + len(w)


def test_redo_never_deletes_another_curators_span(shared):
    ana, bo = open_as(shared, "ana"), open_as(shared, "bo")
    doc_id = ana.store.document_ids()[0]
    text = ana.store.document(doc_id).text
    mine = next(iter(ana.add_span(doc_id, *word(text, "Xiaomi"), "ORG").spans))
    ana.undo()
    theirs = next(iter(bo.add_span(doc_id, *word(text, "India"), "GPE").spans))
    assert theirs != mine  # an id is never given out twice
    ana.redo()
    assert labelled(bo.store, doc_id) == [("ana", "Xiaomi", "ORG"), ("bo", "India", "GPE")]


def test_undo_refuses_a_row_someone_else_changed_since(shared):
    ana, bo = open_as(shared, "ana"), open_as(shared, "bo")
    doc_id = ana.store.document_ids()[0]
    text = ana.store.document(doc_id).text
    ana_span = next(iter(ana.add_span(doc_id, *word(text, "Xiaomi"), "ORG").spans))
    bo_span = next(iter(bo.add_span(doc_id, *word(text, "Xiaomi"), "ORG").spans))
    ana.link_span(ana_span, "xiaomi_mobile", "Xiaomi Mobile")
    bo.link_span(bo_span, "xiaomi_mobile", "Xiaomi Mobile")  # bo's alias row now stands where ana's was
    with pytest.raises(InvalidAction, match=r"nothing was undone.*bo"):
        ana.undo()
    assert ("Xiaomi", "xiaomi_mobile") in bo.store.kb_additions()[1]  # bo's link is still there
    assert ana.store.spans_of(doc_id, annotator="ana")[0]["kb_id"] == "xiaomi_mobile"  # and ana's too, whole


TWO_PROCESSES = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from annotations.curation import Curation
    from annotations.settings import load_settings
    from annotations.store import Store

    path, name = sys.argv[1], sys.argv[2]
    store = Store(path)
    curation = Curation.open(load_settings(path), store, name)
    doc_id = store.document_languages()[0][0]
    text = store.document(doc_id).text
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "label":
            start = text.index(rest[0])
            curation.add_span(doc_id, start, start + len(rest[0]), rest[1])
        else:
            getattr(curation, command)()
        print("ok", flush=True)
""").format(root=str(ROOT))


def test_two_curator_processes_interleaving_labels_undo_and_redo_keep_each_ones_intent(shared):
    processes = {name: subprocess.Popen([sys.executable, "-c", TWO_PROCESSES, str(shared), name], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True) for name in ("ana", "bo")}

    def do(name, command):
        process = processes[name]
        process.stdin.write(command + "\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "ok"

    for name, command in [("ana", "label Xiaomi ORG"), ("ana", "label India GPE"), ("ana", "undo"),
                          ("bo", "label Twitter ORG"), ("ana", "redo"), ("bo", "undo"), ("ana", "label Twitter ORG"),
                          ("bo", "redo"), ("bo", "label Xiaomi PRODUCT"), ("ana", "undo"), ("bo", "undo"), ("ana", "redo")]:
        do(name, command)
    for process in processes.values():
        process.stdin.close()
        process.wait(timeout=30)
    with Store(shared) as store:
        doc_id = store.document_ids()[0]
        assert labelled(store, doc_id) == [("ana", "India", "GPE"), ("ana", "Twitter", "ORG"), ("ana", "Xiaomi", "ORG"),
                                           ("bo", "Twitter", "ORG")]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
