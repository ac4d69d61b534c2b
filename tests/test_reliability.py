"""What Claimdesk promises about a curator's data: crashes, two processes, hostile input, backups."""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from annotations.errors import SchemaError
from annotations.schema import load_claim_schema
from annotations.settings import SCHEMA_DIR, load_settings
from annotations.store import Store
from tests.conftest import ROOT, SEEDS, run_cli

CURATOR = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from annotations.curation import Curation
    from annotations.settings import load_settings
    from annotations.store import Store

    path, name = sys.argv[1], sys.argv[2]
    store = Store(path)
    curation = Curation.open(load_settings(path), store, name)
    doc = store.document(store.document_languages()[0][0])
    words = [(i, i + 6) for i in range(0, len(doc.text) - 6, 7) if doc.text[i:i + 6].strip().isalpha()]
    for n in range(int(sys.argv[3])):
        start, end = words[n % len(words)]
        if n % 2:
            value = curation.slot_value_from_text(doc, "valuation", "subject", "Xiaomi")
            change = curation.add_claim(doc.id, "valuation", {{"subject": [value]}})
            print("claim", next(iter(change.claims)), flush=True)
        else:
            change = curation.add_span(doc.id, start, end, "ORG")
            print("span", next(iter(change.spans)), flush=True)
""").format(root=str(ROOT))


@pytest.fixture
def seeded_workspace(tmp_path):
    path = tmp_path / "w.db"
    assert run_cli("import", SEEDS, "--db", path) == 0
    return path


def curator_process(path, name, count):
    return subprocess.Popen([sys.executable, "-c", CURATOR, str(path), name, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check_whole(path):
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # a claim with no slot rows would be half-written: every curator claim here has a subject
        assert db.execute("SELECT count(*) FROM claims c WHERE c.origin = 'curator' AND NOT EXISTS "
                          "(SELECT 1 FROM claim_slots s WHERE s.claim_id = c.id)").fetchone()[0] == 0
        # every action has its audit entry, and the other way round
        return db


def test_killing_a_curator_at_random_moments_loses_no_reported_decision(seeded_workspace):
    rng = random.Random(5)
    reported = {"claim": set(), "span": set()}
    for _ in range(35):
        process = curator_process(seeded_workspace, "ana", 400)
        time.sleep(rng.uniform(0.3, 1.2))  # start-up is about 0.3 s; then decisions stream
        process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        for line in out.split("\n")[:-1]:  # a line the kill cut short was not reported
            kind, ident = line.split()
            reported[kind].add(ident)
        check_whole(seeded_workspace)
    with Store(seeded_workspace) as store:
        claims = {r[0] for r in store.db.execute("SELECT id FROM claims WHERE annotator = 'ana'")}
        spans = {str(r[0]) for r in store.db.execute("SELECT id FROM spans WHERE annotator = 'ana'")}
        audited = dict(store.db.execute("SELECT action, count(*) FROM audit WHERE annotator = 'ana' GROUP BY action").fetchall())
    assert reported["claim"] <= claims and reported["span"] <= spans
    assert len(reported["claim"]) + len(reported["span"]) > 50  # the trials did real work
    # each stored row has the audit entry that added it (labelling words labelled before relabels them)
    assert audited.pop("add claim") + audited.pop("add span") == len(claims) + len(spans)
    assert set(audited) <= {"relabel span"}


def test_killing_an_import_leaves_all_or_nothing_and_a_rerun_completes(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for n in range(300):
        (folder / f"t{n}.txt").write_text(f"Report {n}. Xiaomi shipped {n} thousand phones in India.\n" * 20, encoding="utf-8")
    path = tmp_path / "w.db"
    rng = random.Random(9)
    for _ in range(15):
        process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "import", str(folder), "--db", str(path), "--lang", "en"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if path.exists():
            with sqlite3.connect(path) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                assert count in (0, 300)  # one transaction: never a part of the folder
                fts = db.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
                assert fts == count
    assert run_cli("import", folder, "--db", path, "--lang", "en") == 0
    with Store(path) as store:
        assert store.count_documents() == 300


def test_two_curators_and_an_export_on_one_file_lose_nothing(seeded_workspace, tmp_path):
    first, second = curator_process(seeded_workspace, "ana", 150), curator_process(seeded_workspace, "bo", 150)
    exports = 0
    while first.poll() is None or second.poll() is None:
        assert run_cli("export", "--db", seeded_workspace, "--status", "all", "--out", tmp_path / "out.jsonl") == 0
        exports += 1
    outputs = [p.communicate() for p in (first, second)]
    for (out, err), process in zip(outputs, (first, second)):
        assert process.returncode == 0 and "locked" not in err, err
        assert len(out.splitlines()) == 150
    with Store(seeded_workspace) as store:
        for name in ("ana", "bo"):
            stored = store.db.execute("SELECT count(*) FROM claims WHERE annotator = ?", [name]).fetchone()[0]
            stored += store.db.execute("SELECT count(*) FROM spans WHERE annotator = ?", [name]).fetchone()[0]
            assert stored == 150
    assert exports >= 1


def test_a_schema_that_would_orphan_stored_claims_is_refused(seeded_workspace, tmp_path):
    with Store(seeded_workspace) as store:
        from annotations.curation import Curation
        curation = Curation.open(load_settings(seeded_workspace), store, "ana")
        doc = store.document(store.document_ids()[0])
        curation.add_claim(doc.id, "valuation", {"subject": [curation.slot_value_from_text(doc, "valuation", "subject", "Xiaomi")]})
    text = (SCHEMA_DIR / "claims.yaml").read_text(encoding="utf-8")
    start = text.index("  valuation:")
    without = text[:start] + text[text.index("  investment:"):]
    changed = tmp_path / "claims.yaml"
    changed.write_text(without, encoding="utf-8")
    schema = load_claim_schema(changed)
    with Store(seeded_workspace) as store, pytest.raises(SchemaError, match="1 claims of type valuation"):
        store.record_schema("claims", schema)
    with Store(seeded_workspace) as store:
        assert store.db.execute("SELECT count(*) FROM claims WHERE type = 'valuation'").fetchone()[0] == 1


def test_hostile_text_is_stored_and_exported_as_the_characters_it_is(tmp_path):
    article = tmp_path / "hostile.txt"
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> =cmd|" /C calc"!A0 Xiaomi'
    article.write_text(hostile, encoding="utf-8")
    db = tmp_path / "w.db"
    assert run_cli("import", article, "--db", db, "--lang", "en") == 0
    with Store(db) as store:
        assert store.document(store.document_ids()[0]).text == hostile


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"), (b"\x00\x01\x02binary", "NUL"), ("caf\xe9 latin-1".encode("latin-1"), "UTF-8"),
])
def test_bad_files_are_refused_by_name_and_nothing_is_stored(tmp_path, capsys, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    db = tmp_path / "w.db"
    assert run_cli("import", bad, "--db", db) == 1
    assert "bad.txt" in capsys.readouterr().err
    with Store(db) as store:
        assert store.count_documents() == 0


def test_an_enormous_article_is_refused_with_its_size(tmp_path, capsys):
    huge = tmp_path / "huge.jsonl"
    huge.write_text(json.dumps({"text": "word " * 1_100_000}) + "\n", encoding="utf-8")
    assert run_cli("import", huge, "--db", tmp_path / "w.db") == 1
    assert "5,000,000 is the most" in capsys.readouterr().err


def test_backup_is_a_whole_copy_even_while_a_curator_writes(seeded_workspace, tmp_path):
    writer = curator_process(seeded_workspace, "ana", 200)
    time.sleep(0.5)
    assert run_cli("backup", "--db", seeded_workspace, "--to", tmp_path / "copy.db") == 0
    writer.communicate()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    with Store(tmp_path / "copy.db") as restored:  # restoring is opening the copy (or copying it back)
        assert restored.count_documents() == 5
    assert run_cli("backup", "--db", seeded_workspace, "--to", seeded_workspace) == 1


@pytest.mark.model
def test_killing_preannotation_then_running_it_again_completes_the_work(seeded_workspace, preannotated_template):
    rng = random.Random(3)
    for _ in range(5):
        process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "preannotate", "--db", str(seeded_workspace)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(seeded_workspace) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            # a document is pre-annotated wholly or not at all: suggestions only where it is marked done
            assert db.execute("SELECT count(*) FROM claims WHERE annotator = 'model' AND doc_id NOT IN "
                              "(SELECT doc_id FROM preannotated)").fetchone()[0] == 0
    assert run_cli("preannotate", "--db", seeded_workspace) == 0
    with Store(seeded_workspace) as done, Store(preannotated_template) as clean:
        assert done.stats()["claims_by_type"] == clean.stats()["claims_by_type"]
