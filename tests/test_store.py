import sqlite3

import pytest

from annotations.errors import DatabaseError
from annotations.store import Store, migrations


def test_new_file_gets_every_migration_and_safe_pragmas(db_path):
    with Store(db_path) as store:
        applied = [m.name for m in migrations.applied(store.db)]
        assert applied == [m.name for m in migrations._migrations]
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert {"documents", "spans", "claims", "claim_slots", "kb_entities", "kb_aliases", "audit", "schemas"} <= set(store.db.table_names())


def test_reopening_applies_nothing_twice(db_path):
    Store(db_path).close()
    with Store(db_path) as store:
        assert len(migrations.applied(store.db)) == len(migrations._migrations)


def test_document_round_trip_keeps_text_and_meta(store):
    text = "Xiaomi 😀 shipped 10.2 million units.\nSecond line."
    added, present = store.add_documents([{
        "name": "a", "title": "Xiaomi", "text": text, "sha256": "h1", "lang": "en",
        "meta": {"url": "https://example.com", "tags": ["x"]}, "published": "2019-08-26",
    }])
    assert present == []
    doc = store.document(added[0]["id"])
    assert doc.text == text and doc.meta == {"url": "https://example.com", "tags": ["x"]}
    assert doc.published == "2019-08-26" and store.document_id("a") == doc.id


def test_same_text_twice_is_stored_once(store):
    doc = {"name": "a", "title": "t", "text": "x", "sha256": "h", "lang": "en", "meta": {}, "published": None}
    store.add_documents([doc])
    added, present = store.add_documents([{**doc, "name": "b"}])
    assert added == [] and present[0]["existing_name"] == "a"
    assert store.count_documents() == 1


def test_texts_for_preannotation_come_a_chunk_at_a_time_in_the_order_asked(store):
    docs = [{"name": f"d{n}", "title": "t", "text": f"text {n}", "sha256": f"h{n}", "lang": "en" if n % 2 else "nl",
             "meta": {}, "published": None} for n in range(5)]
    ids = [d["id"] for d in store.add_documents(docs)[0]]
    assert store.document_languages() == [(i, "en" if n % 2 else "nl") for n, i in enumerate(ids)]
    chunks = store.texts_of(ids[::-1], chunk=2)
    assert [next(chunks)[1], next(chunks)[1]] == ["text 4", "text 3"]
    store.db.execute("UPDATE documents SET published = '2020-01-01'")  # nothing is left open between chunks
    assert [row[1:] for row in chunks] == [("text 2", "2020-01-01"), ("text 1", "2020-01-01"), ("text 0", "2020-01-01")]


def test_failed_batch_stores_nothing(store):
    good = {"name": "a", "title": "t", "text": "x", "sha256": "h1", "lang": "en", "meta": {}, "published": None}
    bad = {**good, "sha256": "h2", "text": None}  # NOT NULL violation in the middle of the batch
    with pytest.raises(sqlite3.IntegrityError):
        store.add_documents([good, bad])
    assert store.count_documents() == 0


def test_text_file_is_refused_as_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        Store(path)
    assert path.read_text() == "these are my notes, not a database"


def test_other_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a Claimdesk database"):
        Store(path)


def test_database_from_a_newer_version_is_refused(db_path):
    with Store(db_path) as store:
        store.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('claimdesk', 'm999_future', 'x')")
    with pytest.raises(DatabaseError, match="newer version"):
        Store(db_path)


def test_corrupted_database_is_refused(db_path):
    Store(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    with pytest.raises(DatabaseError):
        Store(db_path)


def test_the_article_list_is_read_in_pages_and_searched_with_fts(store, tmp_path):
    from annotations.ingest import make_document
    from annotations.store import ArticleQuery

    store.add_documents([make_document(f"Report {n}: {'Xiaomi' if n % 3 == 0 else 'Samsung'} grew", f"doc{n}", "test", lang="en")
                         for n in range(450)])
    first = store.list_documents("ana", limit=200)
    second = store.list_documents("ana", after=first[-1]["id"], limit=200)
    third = store.list_documents("ana", after=second[-1]["id"], limit=200)
    assert [len(first), len(second), len(third)] == [200, 200, 50]
    assert len({r["id"] for r in first + second + third}) == 450
    found = store.list_documents("ana", query=ArticleQuery(words="xiaom"))  # a word's start, any case
    assert len(found) == 150 and all("Xiaomi" in r["title"] for r in found)
    assert store.list_documents("ana", query=ArticleQuery(words='"; DROP TABLE documents; --')) == []
    assert store.count_documents() == 450
    ids = [r["id"] for r in first]
    store.db["document_progress"].insert_all([{"doc_id": doc_id, "annotator": who, "status": status, "updated_at": "t"}
                                              for doc_id, who, status in ((ids[0], "ana", "done"), (ids[1], "ana", "in_progress"),
                                                                          (ids[2], "bo", "done"))])
    listed = lambda status: [r["id"] for r in store.list_documents("ana", query=ArticleQuery(status=status))]
    assert listed("done") == [ids[0]] and listed("in_progress") == [ids[1]]
    assert len(listed("new")) == 448 and ids[2] in listed("new")  # bo's progress is not ana's


def test_the_article_list_filters_by_claim_type_whether_the_type_is_rare_or_common(store, monkeypatch):
    import annotations.store
    from annotations.ingest import make_document
    from annotations.store import ArticleQuery

    monkeypatch.setattr(annotations.store, "RARE_CLAIMS", 5)
    ids = [d["id"] for d in store.add_documents(make_document(f"Report {n}", f"doc{n}", "test", lang="en") for n in range(30))[0]]
    with store.write():
        store.insert_claims([{"doc_id": doc_id, "type": claim_type, "origin": "rules", "status": "suggested", "annotator": "model", "slots": {}}
                             for claim_type, chosen in (("valuation", ids[7:9]), ("shipments", ids[::3])) for doc_id in chosen], "t")
    listed = lambda claim_type: [r["id"] for r in store.list_documents("ana", query=ArticleQuery(claim_type=claim_type))]
    assert listed("valuation") == ids[7:9] and listed("shipments") == ids[::3] and listed("role") == []


def test_a_workspace_from_before_keeps_its_spans_and_never_reuses_an_id_the_audit_saw(db_path):
    import json

    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    migrations.apply(db, stop_before="m006_span_ids_never_reused")
    db["documents"].insert({"id": 1, "name": "a", "title": "t", "text": "Xiaomi and India", "sha256": "h", "lang": "en",
                            "imported_at": "now"})
    row = {"doc_id": 1, "origin": "curator", "status": "accepted", "annotator": "ana", "created_at": "now", "updated_at": "now"}
    db["spans"].insert_all([{**row, "id": 1, "start": 0, "end": 6, "label": "ORG"},
                            {**row, "id": 2, "start": 11, "end": 16, "label": "GPE", "based_on": 1}])
    # span 3 was added, then undone: only the audit log remembers it
    db["audit"].insert({"at": "now", "annotator": "ana", "action": "add span", "item": "spans", "item_id": "3",
                        "before": json.dumps({"spans": {"3": None}}), "after": json.dumps({"spans": {"3": {"id": 3}}})})
    db.close()
    with Store(db_path) as store:
        assert [(s["id"], s["label"], s["based_on"]) for s in store.spans_of(1)] == [(1, "ORG", None), (2, "GPE", 1)]
        new = store.db["spans"].insert({**row, "start": 7, "end": 10, "label": "ORG"}).last_pk
        assert new == 4
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def entry(n=1):
    return {"at": "now", "annotator": "ana", "action": "test", "item": "x", "item_id": str(n), "before": "x" * 20_000}


def test_a_full_disk_is_told_as_such_and_nothing_is_half_written(db_path):
    from annotations.errors import EnvironmentProblem

    with Store(db_path) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page: a full disk, as SQLite sees it
        with pytest.raises(EnvironmentProblem, match="disk is full"), store.write():
            store.db["audit"].insert(entry())
        assert store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == 0


def test_a_lock_held_too_long_is_told_as_such(db_path):
    from annotations.errors import EnvironmentProblem

    Store(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store(db_path, busy_timeout_ms=50) as store, pytest.raises(EnvironmentProblem, match=r"another program .* locked"), store.write():
            store.db["audit"].insert(entry())
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_read_only_workspace_opens_for_reading_and_refuses_every_write(db_path, monkeypatch):
    from annotations.errors import EnvironmentProblem
    from annotations.store import os as store_os

    with Store(db_path) as store:
        store.add_documents([{"name": "a", "title": "t", "text": "Xiaomi", "sha256": "h", "lang": "en", "meta": {}, "published": None}])
    real_access = store_os.access
    # as root every file is writable; this is what a curator without write permission gets
    monkeypatch.setattr(store_os, "access", lambda path, mode: False if mode == store_os.W_OK else real_access(path, mode))
    with Store(db_path) as store:
        assert store.read_only and store.document(1).text == "Xiaomi"
        with pytest.raises(EnvironmentProblem, match="read-only"), store.write():
            store.db["audit"].insert(entry())
