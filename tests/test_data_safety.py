"""What Claimdesk promises about the user's data at its edges: exports, bundles, odd files and
full disks (issue #15). Real workspaces and files on disk; a full or read-only disk is a real small
tmpfs mounted for the test (skipped, saying why, where this process may not mount one)."""

import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotations.curation import Curation
from annotations.exports import FORMATS
from annotations.settings import SCHEMA_DIR, load_settings
from annotations.store import Store
from tests.conftest import ROOT, SEEDS, run_cli


def strict_json(line: str):
    """What any JSON reader accepts: no NaN, no Infinity, no number that overflows a float."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    value = json.loads(line, parse_constant=refuse)
    numbers = [value]
    while numbers:
        item = numbers.pop()
        if isinstance(item, float):
            assert math.isfinite(item), line[:200]
        elif isinstance(item, dict):
            numbers += item.values()
        elif isinstance(item, list):
            numbers += item
    return value


@pytest.fixture
def ana_db(tmp_path) -> Path:
    """The seed articles, where ana has added a valuation claim and marked "Xiaomi" an ORG."""
    path = tmp_path / "ana.db"
    assert run_cli("import", SEEDS, "--db", path) == 0
    with Store(path) as store:
        curation = Curation.open(load_settings(path), store, "ana")
        doc = store.document(store.document_ids()[0])
        subject = curation.slot_value_from_text(doc, "valuation", "subject", "Xiaomi")
        curation.add_claim(doc.id, "valuation", {"subject": [subject]})
        start = doc.text.index("Xiaomi")
        curation.add_span(doc.id, start, start + len("Xiaomi"), "ORG")
    return path


def ana_decisions(path: Path):
    """ana's claims and spans in a workspace, as (status, ...) for the test to compare."""
    with Store(path) as store:
        doc_id = store.document_ids()[0]
        claims = [(c["type"], c["status"]) for c in store.claims_of(doc_id, annotator="ana")]
        spans = [(s["label"], s["status"]) for s in store.spans_of(doc_id, annotator="ana")]
        return claims, spans


def export_bundle(db: Path, out: Path) -> Path:
    assert run_cli("export", "--db", db, "--status", "all", "--annotator", "ana", "--out", out) == 0
    return out


def no_traceback(err: str) -> str:
    assert "Traceback" not in err and (err.startswith("error:") or "refused" in err), err
    return err


# -- 1. nothing overwrites the workspace -------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_onto_the_workspace_or_any_sqlite_file_is_refused_before_any_work(ana_db, tmp_path, capsys, fmt):
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.db").symlink_to(ana_db)
    other = tmp_path / "other.db"
    Store(other).close()
    before = ana_db.read_bytes(), other.read_bytes(), ana_decisions(ana_db)
    spellings = [ana_db, tmp_path / "sub" / ".." / "ana.db", tmp_path / "link.db", tmp_path / "ANA.db",
                 Path(f"{ana_db}-wal"), Path(f"{ana_db}-shm"), other]
    for out in spellings:
        assert run_cli("export", "--db", ana_db, "--format", fmt, "--status", "all", "--out", out) == 1, out
        err = no_traceback(capsys.readouterr().err)
        assert f"--out {out}:" in err and ("destroy it" in err or "SQLite database" in err)
    assert (ana_db.read_bytes(), other.read_bytes(), ana_decisions(ana_db)) == before
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob("*.card.json"))


def test_preannotate_file_and_backup_never_write_over_a_workspace(ana_db, tmp_path, capsys):
    texts = tmp_path / "in.jsonl"
    texts.write_text(json.dumps({"text": "Xiaomi holds 28% of India."}) + "\n", encoding="utf-8")
    before = ana_db.read_bytes()
    assert run_cli("preannotate-file", texts, ana_db) == 1
    assert "that is a SQLite database" in no_traceback(capsys.readouterr().err)
    assert run_cli("preannotate-file", texts, texts) == 1
    assert "that is the input" in no_traceback(capsys.readouterr().err)
    assert run_cli("backup", "--db", ana_db, "--to", f"{ana_db}-wal") == 1
    assert "the workspace's wal file" in no_traceback(capsys.readouterr().err)
    assert ana_db.read_bytes() == before and texts.read_text(encoding="utf-8").startswith('{"text"')
    assert run_cli("backup", "--db", ana_db, "--to", tmp_path / "old-backup.db") == 0
    assert run_cli("backup", "--db", ana_db, "--to", tmp_path / "old-backup.db") == 0  # an older backup is replaced


# -- 2. a curator's later decisions reach the review workspace --------------------------------------

def test_a_curators_later_decisions_replace_their_earlier_ones_in_the_review_workspace(ana_db, tmp_path, capsys):
    review = tmp_path / "review.db"
    assert run_cli("import-annotations", "--db", review, export_bundle(ana_db, tmp_path / "first.jsonl")) == 0
    assert ana_decisions(review) == ([("valuation", "accepted")], [("ORG", "accepted")])
    capsys.readouterr()
    with Store(ana_db) as store:  # ana changes her mind
        curation = Curation.open(load_settings(ana_db), store, "ana")
        doc_id = store.document_ids()[0]
        curation.reject_claim(store.claims_of(doc_id, annotator="ana")[0]["id"])
        curation.reject_span(store.spans_of(doc_id, annotator="ana")[0]["id"])
    assert run_cli("import-annotations", "--db", review, export_bundle(ana_db, tmp_path / "second.jsonl")) == 0
    out = capsys.readouterr().out
    assert "2 decisions updated" in out and "already here" not in out
    assert ana_decisions(review) == ([("valuation", "rejected")], [("ORG", "rejected")])
    with Store(review) as store:
        entries = store.db.execute("SELECT annotator, before, after FROM audit WHERE action LIKE 'import%' ORDER BY id").fetchall()
    assert [(who, "accepted" in before, "rejected" in after) for who, before, after in entries] == [("ana", True, True)] * 2
    assert run_cli("import-annotations", "--db", review, tmp_path / "second.jsonl") == 0  # once more: nothing differs
    assert "decisions updated" not in capsys.readouterr().out


def test_a_claim_arriving_under_another_curators_name_is_refused_with_its_line(ana_db, tmp_path, capsys):
    review = tmp_path / "review.db"
    bundle = export_bundle(ana_db, tmp_path / "ana.jsonl")
    assert run_cli("import-annotations", "--db", review, bundle) == 0
    record = json.loads(bundle.read_text(encoding="utf-8").splitlines()[0])
    record["claims"][0]["annotator"] = "bo"
    record["claims"][0]["status"] = "rejected"
    forged = tmp_path / "bo.jsonl"
    forged.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = ana_decisions(review)
    assert run_cli("import-annotations", "--db", review, forged) == 1
    err = no_traceback(capsys.readouterr().err)
    assert "line 1" in err and "is ana's in the workspace and bo's in the bundle" in err
    assert ana_decisions(review) == before


# -- 3. non-finite numbers never enter; every export line parses -------------------------------------

@pytest.mark.parametrize("poison, reason", [
    (lambda c: c["slots"]["subject"].update(value={"kind": "count", "value": float("nan")}), "NaN is not a number JSON allows"),
    (lambda c: c.update(confidence=float("inf")), "Infinity is not a number JSON allows"),
    (lambda c: c.update(confidence="1e400"), "the number 1e400 is too large for a float"),
])
def test_a_bundle_with_a_non_finite_number_is_refused_and_exports_stay_valid_json(ana_db, tmp_path, capsys, poison, reason):
    bundle = export_bundle(ana_db, tmp_path / "ana.jsonl")
    record = json.loads(bundle.read_text(encoding="utf-8").splitlines()[0])
    poison(record["claims"][0])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record).replace('"1e400"', "1e400") + "\n", encoding="utf-8")
    review = tmp_path / "review.db"
    assert run_cli("import-annotations", "--db", review, bad) == 1
    assert f"line 1: {reason}" in no_traceback(capsys.readouterr().err)
    assert run_cli("import-annotations", "--db", review, bundle) == 0
    for fmt in FORMATS:
        assert run_cli("export", "--db", review, "--format", fmt, "--status", "all", "--out", tmp_path / f"out.{fmt}") == 0
    assert [strict_json(line)["name"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]


def test_non_finite_numbers_stored_before_the_fix_no_longer_break_exports(ana_db, tmp_path):
    with sqlite3.connect(ana_db) as db:  # as bundles and JSONL meta let them in before
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_finite_numbers'")
        db.execute("UPDATE documents SET meta = '{\"score\": NaN, \"rank\": Infinity}' WHERE id = 1")
        db.execute("UPDATE claims SET confidence = 9e999")
        db.execute("UPDATE claim_slots SET value = '{\"kind\": \"count\", \"value\": -Infinity}'")
    for fmt in FORMATS:
        assert run_cli("export", "--db", ana_db, "--format", fmt, "--status", "all", "--out", tmp_path / f"out.{fmt}") == 0
    [record] = [strict_json(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["meta"] == {"score": None, "rank": None} and record["claims"][0]["confidence"] is None
    assert record["claims"][0]["slots"]["subject"]["value"] == {"kind": "count", "value": None}


# -- 9. a full disk, a read-only folder, a held lock: messages, and no partial file left ---------------

@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB disk (tmpfs): full and read-only are the kernel's doing, not a mock's."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode:
        pytest.skip(f"cannot mount a small tmpfs here ({result.stderr.strip()}); run as root to test full and read-only disks")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk but for `leave` bytes."""
    stat = os.statvfs(disk)
    (disk / "filler").write_bytes(b"x" * (stat.f_bavail * stat.f_frsize - leave))


def make_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


def corpus(path: Path, articles: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for n in range(articles):
            f.write(json.dumps({"text": f"Article {n}. " + "Xiaomi shipped more phones in India than Samsung. " * 150}) + "\n")
    return path


def test_an_import_that_fills_the_disk_is_a_message_and_the_workspace_stays_whole(small_disk, tmp_path, capsys):
    workspace = small_disk / "w.db"
    assert run_cli("import", corpus(tmp_path / "corpus.jsonl", 300), "--db", workspace, "--lang", "en") == 1
    assert "the disk is full" in no_traceback(capsys.readouterr().err)
    with sqlite3.connect(workspace) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_export_that_fills_the_disk_keeps_the_earlier_export_and_leaves_no_partial_file(ana_db, small_disk, capsys):
    out = small_disk / "gold.jsonl"
    assert run_cli("export", "--db", ana_db, "--status", "all", "--out", out) == 0
    earlier = {p.name: p.read_bytes() for p in small_disk.iterdir()}
    fill(small_disk, leave=0)
    for fmt in FORMATS:
        assert run_cli("export", "--db", ana_db, "--format", fmt, "--status", "all", "--out", small_disk / f"gold.{fmt}") == 1
        assert "the disk is full; no output was replaced, and no partial file is left" in no_traceback(capsys.readouterr().err)
        assert {p.name: p.read_bytes() for p in small_disk.iterdir() if p.name != "filler"} == earlier


def test_a_read_only_folder_is_named_as_such(ana_db, small_disk, capsys):
    workspace = small_disk / "w.db"
    shutil.copy(ana_db, workspace)
    make_read_only(small_disk)
    for command in (["stats"], ["import", SEEDS], ["export", "--status", "all", "--out", small_disk.parent / "x.jsonl"]):
        assert run_cli(*command, "--db", workspace) == 1
        err = no_traceback(capsys.readouterr().err)
        assert f"the folder {small_disk} is read-only" in err and "readonly database" not in err
    assert run_cli("export", "--db", ana_db, "--status", "all", "--out", small_disk / "x.jsonl") == 1
    assert f"--out {small_disk / 'x.jsonl'}: the folder {small_disk} is read-only" in no_traceback(capsys.readouterr().err)


def test_an_out_in_a_missing_folder_is_a_message(ana_db, tmp_path, capsys):
    for fmt in FORMATS:
        assert run_cli("export", "--db", ana_db, "--format", fmt, "--status", "all", "--out", tmp_path / "nowhere" / "x") == 1
        assert f"the folder {tmp_path / 'nowhere'} does not exist" in no_traceback(capsys.readouterr().err)


def test_a_lock_held_past_the_busy_timeout_is_a_message_and_nothing_is_half_done(ana_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMDESK_BUSY_TIMEOUT_MS", "100")
    article = tmp_path / "new.txt"
    article.write_text("Xiaomi opened a factory in Chennai.", encoding="utf-8")
    holder = sqlite3.connect(ana_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert run_cli("import", article, "--db", ana_db) == 1
        assert "kept the workspace locked for longer than the busy timeout" in no_traceback(capsys.readouterr().err)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(ana_db) as store:
        assert store.count_documents() == 5


def test_a_terminated_export_leaves_no_partial_file(ana_db, tmp_path):
    with Store(ana_db) as store:  # enough articles that the export is still writing when it is stopped
        added, _ = store.add_documents([{"name": f"a{n}", "title": "t", "text": f"{n} " + "Xiaomi sells phones. " * 200,
                                         "sha256": f"h{n}", "lang": "en"} for n in range(3000)])
        store.db["spans"].insert_all({"doc_id": d["id"], "start": 0, "end": 1, "label": "CARDINAL", "origin": "curator",
                                      "status": "accepted", "annotator": "ana", "created_at": "", "updated_at": ""} for d in added)
    out = tmp_path / "gold.conll"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "export", "--db", str(ana_db), "--format", "conll",
                                "--status", "all", "--out", str(out)], stderr=subprocess.PIPE, text=True)
    partial = tmp_path / "gold.conll.partial"
    deadline = time.monotonic() + 60
    while not partial.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not partial.exists() and not out.exists()


# -- 10. the dataset card is written whole, and in place before its export ------------------------------

def test_a_disk_with_room_for_the_export_but_not_its_card_changes_nothing(ana_db, small_disk, tmp_path, capsys):
    assert run_cli("export", "--db", ana_db, "--status", "all", "--out", tmp_path / "gold.jsonl") == 0
    pages = -(-(tmp_path / "gold.jsonl").stat().st_size // 4096)
    fill(small_disk, leave=pages * 4096)  # the export fits, its card does not
    out = small_disk / "gold.jsonl"
    assert run_cli("export", "--db", ana_db, "--status", "all", "--out", out) == 1
    assert "the disk is full" in no_traceback(capsys.readouterr().err)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no export without its card, no truncated card


# -- 8. every field of a bundle has its declared shape -------------------------------------------------

def _with(field, value):
    def change(record):
        target = record["claims"][0] if field in ("based_on", "id", "evidence", "confidence") else record
        target[field] = value
    return change


@pytest.mark.parametrize("change, refusal", [
    (_with("done_by", "ana,bo"), "line 1: done_by: 'ana,bo' is not of type 'array'"),
    (_with("done_by", 5), "line 1: done_by: 5 is not of type 'array'"),
    (_with("based_on", {}), "line 1: claim 1 based_on: {} is not of type 'string', 'null'"),
    (_with("id", []), "line 1: claim 1 id: [] is not of type 'string', 'null'"),
    (_with("evidence", {"text": "Xiaomi"}), "line 1: claim 1 evidence: 'start' is a required property"),
    (_with("confidence", 1e30), "line 1: claim 1 confidence: 1e+30 is greater than the maximum of 1"),
    (_with("confidence", 10 ** 30), "line 1: the integer 1000000000"),
    (lambda r: r["spans"][0].pop("annotator"), "line 1: span 1: 'annotator' is a required property"),
    (lambda r: r.update(text="x" * 5_000_001, spans=[], claims=[], sha256=None), "line 1: text: 'xxxxx"),
    (lambda r: r.update(text=r["text"] + " ", sha256=None), "a different document (another text) is already named '"),
])
def test_a_bundle_field_of_the_wrong_shape_is_refused_with_its_line_and_field(ana_db, tmp_path, capsys, change, refusal):
    review = tmp_path / "review.db"
    shutil.copy(ana_db, review)
    record = json.loads(export_bundle(ana_db, tmp_path / "ana.jsonl").read_text(encoding="utf-8").splitlines()[0])
    change(record)
    record = {key: value for key, value in record.items() if value is not None}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Store(review) as store:
        before = store.stats()
    assert run_cli("import-annotations", "--db", review, bad) == 1
    assert refusal in no_traceback(capsys.readouterr().err)
    with Store(review) as store:
        assert store.stats() == before


# -- 7. one bad line or file is named and skipped; the rest goes in -------------------------------------

def test_odd_lines_and_file_names_are_refused_by_name_and_the_rest_imported(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = ['{"text": "Xiaomi leads India."}', '{"text": "lone \\ud800 surrogate"}',
             '{"text": "deep", "meta": ' + "[" * 5000 + "]" * 5000 + "}", '{"text": "deep meta", "meta": {"a": ' + "[" * 40 + "]" * 40 + "}}",
             '{"text": "NaN", "meta": {"score": NaN}}', '{"text": "Samsung follows."}']
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "good.txt").write_text("Vivo is third.", encoding="utf-8")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as f:  # a name in Latin-1, as an old Windows share gives it
        f.write(b"Oppo is fourth.")
    db = tmp_path / "w.db"
    assert run_cli("import", folder, "--db", db, "--lang", "en") == 1
    err = no_traceback(capsys.readouterr().err)
    assert "news.jsonl:line 2: a string holds a lone surrogate (\\ud800)" in err
    assert "news.jsonl:line 3: nested too deeply" in err
    assert 'news.jsonl:line 4: "meta" nests objects and lists more than 32 levels deep' in err
    assert "news.jsonl:line 5: NaN is not a number JSON allows" in err
    assert "caf\\xe9.txt: the file name is not UTF-8" in err
    with Store(db) as store:
        assert sorted(store.document(i).text for i in store.document_ids()) == ["Samsung follows.", "Vivo is third.", "Xiaomi leads India."]


# -- 5. an export refuses a schema that would orphan stored claims --------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_under_a_schema_that_renamed_a_slot_is_refused(ana_db, tmp_path, monkeypatch, capsys, fmt):
    text = (SCHEMA_DIR / "claims.yaml").read_text(encoding="utf-8")
    start, end = text.index("  valuation:"), text.index("  investment:")
    block = text[start:end].replace("      subject:", "      company:").replace("identity: [subject]", "identity: [company]")
    renamed = text[:start] + block.replace("{subject}", "{company}") + text[end:]  # its phrasings follow the new name
    (tmp_path / "claims.yaml").write_text(renamed, encoding="utf-8")
    monkeypatch.setenv("CLAIMDESK_CLAIMS_SCHEMA", str(tmp_path / "claims.yaml"))
    out = tmp_path / f"gold.{fmt}"
    assert run_cli("export", "--db", ana_db, "--format", fmt, "--status", "all", "--out", out) == 1
    assert "1 values of slot subject of valuation, which the schema no longer has" in no_traceback(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gold")) == []


# -- 6. brat: a new folder swapped in whole, foreign folders refused, names unique and reversible ---------

def test_brat_export_names_are_unique_and_reversible_and_the_folder_is_replaced_whole(ana_db, tmp_path, capsys):
    from urllib.parse import unquote

    with Store(ana_db) as store:
        added, _ = store.add_documents([{"name": name, "title": name, "text": f"{text} Xiaomi.", "sha256": f"h{n}", "lang": "en"}
                                        for n, (name, text) in enumerate([("report", "2019"), ("report", "2020"),
                                                                          ("Report", "caps"), ("2019/report", "path"),
                                                                          ("..", "dots")])])
        store.db["spans"].insert_all({"doc_id": d["id"], "start": 0, "end": 4, "label": "DATE", "origin": "curator",
                                      "status": "accepted", "annotator": "ana", "created_at": "", "updated_at": ""} for d in added)
    out = tmp_path / "brat"
    assert run_cli("export", "--db", ana_db, "--format", "brat", "--status", "all", "--out", out) == 0
    assert "wrote 6 documents" in capsys.readouterr().out
    texts = {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    assert len(texts) == len(list(out.glob("*.ann"))) == 6
    names = sorted(unquote(stem.split("@")[0]) for stem in texts)
    assert names.count("report") == 2 and {"Report", "2019/report", ".."} <= set(names)
    assert len({stem.casefold() for stem in texts}) == 6  # one file each, even on a disk that ignores case
    assert run_cli("export", "--db", ana_db, "--format", "brat", "--status", "gold", "--out", out) == 0  # nothing is gold
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "annotation.conf", "card.json"]  # no file of the earlier export


def test_brat_export_refuses_a_folder_that_is_not_an_earlier_brat_export(ana_db, tmp_path, capsys):
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "README.md").write_text("my notes", encoding="utf-8")
    (mine / "card.json").write_text('{"mine": true}', encoding="utf-8")
    assert run_cli("export", "--db", ana_db, "--format", "brat", "--status", "all", "--out", mine) == 1
    assert "give --out a new name" in no_traceback(capsys.readouterr().err)
    assert (mine / "README.md").read_text(encoding="utf-8") == "my notes" and sorted(p.name for p in mine.iterdir()) == ["README.md", "card.json"]


# -- 11. UTF-16 with a byte-order mark, a YAML alias bomb, bidirectional controls ------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_file_with_a_utf16_or_utf32_byte_order_mark_is_read_as_such(tmp_path, encoding):
    article = tmp_path / "article.txt"
    article.write_bytes("\ufeffXiaomi 小米 holds 28% of India.\r\nSecond line.".encode(encoding))
    db = tmp_path / "w.db"
    assert run_cli("import", article, "--db", db, "--lang", "en") == 0
    assert run_cli("import", article, "--db", db, "--lang", "en", "--encoding", "utf-16") == 0  # the same text: no-op
    with Store(db) as store:
        assert [store.document(i).text for i in store.document_ids()] == ["Xiaomi 小米 holds 28% of India.\nSecond line."]


def test_a_yaml_alias_bomb_in_a_schema_file_is_refused_at_once(tmp_path, capsys):
    lines = ["version: 1", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    lines += ["entity_labels:", "  ORG: {color: '#8ecae6', description: *a8}", "claim_types: {}"]
    bomb = tmp_path / "claims.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    assert run_cli("schema", "check", bomb) == 1
    assert time.monotonic() - started < 5
    assert "claims.yaml, line 7: its YAML aliases (*name) expand to more than 100,000 values" in capsys.readouterr().out


@pytest.mark.gui
def test_bidirectional_controls_in_an_article_are_shown_not_obeyed(qtbot):
    from annotations.schema import load_claim_schema
    from gui.article_view import ArticleView

    view = ArticleView(load_claim_schema(SCHEMA_DIR / "claims.yaml"))
    qtbot.addWidget(view)
    text = "Invoice for \u202eelbaT\u202c Xiaomi"
    view.show_article(text, [{"start": text.index("Xiaomi"), "end": len(text), "label": "ORG", "status": "accepted"}])
    shown = view.toPlainText()
    assert len(shown) == len(text) and not {"\u202e", "\u202c"} & set(shown)
    assert shown == "Invoice for ↔elbaT↔ Xiaomi" and shown.endswith("Xiaomi")  # offsets still meet the same words
