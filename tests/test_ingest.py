import json

from annotations.ingest import import_paths
from tests.conftest import SEEDS, run_cli


def test_seeds_import_once_with_their_languages(store):
    report = import_paths(store, [SEEDS])
    assert len(report.added) == 5 and report.ok
    assert store.stats()["documents"] == {"en": 4, "nl": 1}
    again = import_paths(store, [SEEDS])
    assert again.added == [] and len(again.present) == 5
    assert store.count_documents() == 5


def test_import_command_reports_counts_and_is_idempotent(db_path, capsys):
    assert run_cli("import", SEEDS, "--db", db_path) == 0
    assert "imported 5 documents" in capsys.readouterr().out
    assert run_cli("import", SEEDS, "--db", db_path) == 0
    out = capsys.readouterr().out
    assert "imported 0 documents" in out and "5 already in the workspace" in out


def test_bad_files_are_named_and_the_good_one_is_imported(tmp_path, db_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Xiaomi shipped 10.2 million phones in India.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "latin1.txt").write_bytes("Café Müller opened in Zürich.".encode("latin-1"))
    assert run_cli("import", folder, "--db", db_path) == 1
    captured = capsys.readouterr()
    assert "imported 1 document, refused 3" in captured.out
    assert f"refused {folder / 'empty.txt'}: the file is empty" in captured.err
    assert f"refused {folder / 'binary.txt'}: binary data" in captured.err
    assert f"refused {folder / 'latin1.txt'}: not valid UTF-8 (byte 0xe9 at offset 3)" in captured.err
    assert "--encoding" in captured.err


def test_encoding_flag_imports_latin1(tmp_path, store):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café Müller opened in Zürich.".encode("latin-1"))
    report = import_paths(store, [path], encoding="latin-1")
    assert report.ok and store.document(store.document_id("latin1")).text == "Café Müller opened in Zürich."


def test_bom_and_crlf_are_not_part_of_the_text(tmp_path, store):
    path = tmp_path / "win.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle line\r\nXiaomi entered Japan.\rEnd.\r\n")
    import_paths(store, [path])
    doc = store.document(store.document_id("win"))
    assert doc.text == "Title line\nXiaomi entered Japan.\nEnd.\n"
    assert doc.title == "Title line"


def test_jsonl_lines_each_checked(tmp_path, db_path, store, capsys):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "Apple sold 40 million iPhones.", "meta": {"title": "Apple", "name": "apple-1", "published": "2024-01-02"}}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "Samsung led the market with a 20% share.", "meta": "oops"}),
        json.dumps({"text": "Samsung led the market with a 20% share."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.added == ["apple-1", "batch-6"]
    assert [(r.source, r.reason) for r in report.refused] == [
        (f"{path}:line 2", "not valid JSON (Expecting property name enclosed in double quotes)"),
        (f"{path}:line 3", 'expected an object with a string "text"'),
        (f"{path}:line 4", 'expected an object with a string "text"'),
        (f"{path}:line 5", '"meta" must be an object'),
    ]
    doc = store.document(store.document_id("apple-1"))
    assert doc.title == "Apple" and doc.published == "2024-01-02" and doc.meta["title"] == "Apple"


def test_missing_path_is_named(tmp_path, db_path, capsys):
    assert run_cli("import", tmp_path / "nope.txt", "--db", db_path) == 1
    assert "nope.txt: no such file or folder" in capsys.readouterr().err


def test_html_is_stored_as_the_characters_it_is(tmp_path, store):
    path = tmp_path / "html.txt"
    text = 'Xiaomi <b>grew</b> <img src="x.png" onerror="alert(1)"> fast.'
    path.write_text(text, encoding="utf-8")
    import_paths(store, [path])
    assert store.document(store.document_id("html")).text == text


def test_stats_on_a_file_that_is_not_a_database(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert run_cli("stats", "--db", path) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: not a SQLite database") and "Traceback" not in err


def test_stats_lists_documents_by_language(db_path, capsys):
    run_cli("import", SEEDS, "--db", db_path)
    capsys.readouterr()
    assert run_cli("stats", "--db", db_path) == 0
    assert capsys.readouterr().out.startswith("documents: 5 (en 4, nl 1)")


def test_a_jsonl_corpus_is_read_a_line_at_a_time_each_line_judged_alone(tmp_path, store):
    path = tmp_path / "corpus.jsonl"
    good = json.dumps({"text": "Apple sold 40 million iPhones."}).encode()
    latin = '{"text": "Nestlé grew 3%."}'.encode("latin-1")
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\r\n" + latin + b"\n" + b"\n")
    report = import_paths(store, [path])
    assert report.added == ["corpus-1"]
    [refused] = report.refused
    assert refused.source == f"{path}:line 2" and "not valid UTF-8" in refused.reason and "--encoding" in refused.reason
    report = import_paths(store, [path], encoding="latin-1")
    assert report.added == ["corpus-2"] and report.present == ["corpus-1"]
    assert store.document(store.document_id("corpus-2")).text == "Nestlé grew 3%."
    (tmp_path / "empty.jsonl").write_bytes(b"\n \n")
    [refused] = import_paths(store, [tmp_path / "empty.jsonl"]).refused
    assert refused.reason == "the file is empty"
