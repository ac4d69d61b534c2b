"""The workspace database: one SQLite file, opened through sqlite-utils.

WAL mode, foreign keys on, a busy timeout, versioned migrations, and every multi-row write in one
`BEGIN IMMEDIATE` transaction (`Store.write()`), so two processes on one file queue instead of
failing and a killed process leaves nothing half-written.

Curators never overwrite a suggestion: a decision on a suggested span or claim creates the
curator's own row that points at it (`based_on`), so who decided what is always recoverable; every
change is also appended to the audit log with its before and after.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import ClassVar, NamedTuple

import sqlite_utils
from sqlite_utils.migrations import Migrations

from annotations.claims import claim_signature
from annotations.errors import DatabaseError, EnvironmentProblem, InvalidAction, NotFound, SchemaError
from annotations.files import SQLITE_HEADER, check_output, environment_problem, staged
from annotations.model import LLM_MODEL_FIELD, MODEL_ANNOTATOR, Claim, Origin, Progress, SlotValue, Status, check_in

MIGRATION_SET = "claimdesk"
migrations = Migrations(MIGRATION_SET)
# The origins the first migration allowed; m008 widened the CHECK to Origin.LLM in place. A migration
# keeps the words it was written with, so a new workspace goes through the same steps as an old one.
FIRST_ORIGINS = (Origin.MODEL, Origin.RULES, Origin.KB, Origin.CURATOR, Origin.IMPORT)

RARE_CLAIMS = 5000  # fewer claims of a type than this, and the article list finds them from the claims
KEY_SEP = "\x1f"  # joins the columns of a compound key in the audit log
SPAN_COLUMNS = ("id", "start", "end", "label", "kb_id", "status", "annotator", "origin", "based_on")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """The tables. Their CHECK constraints are written from annotations/model.py, so a new
    workspace takes exactly the statuses and origins the code declares; a workspace made earlier
    keeps the constraints it was made with (the same words today: a new word needs a migration)."""
    db.executescript(
        f"""
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            lang TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{{}}',
            published TEXT,
            source TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX documents_name ON documents(name);
        CREATE INDEX documents_lang ON documents(lang);

        CREATE TABLE document_progress (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            status TEXT NOT NULL {check_in('status', (Progress.IN_PROGRESS, Progress.DONE))},
            updated_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator)
        );

        CREATE TABLE schemas (
            hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            source TEXT NOT NULL,
            text TEXT NOT NULL,
            first_used_at TEXT NOT NULL
        );

        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            kb_id TEXT,
            origin TEXT NOT NULL {check_in('origin', FIRST_ORIGINS)},
            status TEXT NOT NULL {check_in('status', Status)},
            annotator TEXT NOT NULL,
            based_on INTEGER REFERENCES spans(id),
            schema_hash TEXT REFERENCES schemas(hash),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX spans_doc ON spans(doc_id, start);
        CREATE INDEX spans_status ON spans(status);
        CREATE INDEX spans_annotator ON spans(annotator);
        CREATE INDEX spans_based_on ON spans(based_on);

        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            origin TEXT NOT NULL {check_in('origin', FIRST_ORIGINS)},
            status TEXT NOT NULL {check_in('status', Status)},
            annotator TEXT NOT NULL,
            based_on TEXT REFERENCES claims(id),
            evidence_start INTEGER,
            evidence_end INTEGER,
            confidence REAL,
            note TEXT,
            schema_hash TEXT REFERENCES schemas(hash),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX claims_doc ON claims(doc_id);
        CREATE INDEX claims_status ON claims(status);
        CREATE INDEX claims_annotator ON claims(annotator);
        CREATE INDEX claims_type ON claims(type);
        CREATE INDEX claims_based_on ON claims(based_on);

        CREATE TABLE claim_slots (
            id INTEGER PRIMARY KEY,
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            slot TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            start INTEGER,
            "end" INTEGER,
            text TEXT NOT NULL,
            label TEXT,
            kb_id TEXT,
            value TEXT
        );
        CREATE INDEX claim_slots_claim ON claim_slots(claim_id);

        CREATE TABLE kb_entities (
            kb_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            label TEXT NOT NULL,
            annotator TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE kb_aliases (
            alias TEXT NOT NULL,
            kb_id TEXT NOT NULL,
            annotator TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (alias, kb_id)
        );

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            annotator TEXT NOT NULL,
            action TEXT NOT NULL,
            doc_id INTEGER,
            item TEXT NOT NULL,
            item_id TEXT NOT NULL,
            before TEXT,
            after TEXT,
            undone_by INTEGER
        );
        CREATE INDEX audit_annotator ON audit(annotator, id);
        """
    )


@migrations()
def m002_preannotated(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE preannotated (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            pipeline TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )


@migrations()
def m003_search(db: sqlite_utils.Database) -> None:
    """Full-text search over titles and texts (documents never change, so inserts and deletes suffice),
    and the indexes the article list's filters use."""
    db.executescript(
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents;
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE INDEX document_progress_annotator ON document_progress(annotator, status, doc_id);
        CREATE INDEX claims_doc_type ON claims(doc_id, type);
        """
    )


@migrations()
def m004_export_counts(db: sqlite_utils.Database) -> None:
    """The status indexes also hold what an export's dataset card counts (label or type, and
    annotator), so the card's figures come from the index instead of sorting every row (14 s for a
    million claims)."""
    db.executescript(
        """
        DROP INDEX spans_status;
        DROP INDEX claims_status;
        CREATE INDEX spans_status ON spans(status, label, annotator);
        CREATE INDEX claims_status ON claims(status, type, annotator);
        """
    )


@migrations()
def m005_finite_numbers(db: sqlite_utils.Database) -> None:
    """NaN, Infinity and numbers too large for a float got in through bundles and JSONL meta before
    they were refused at the door, and made every later export fail on "malformed JSON". They
    become null (a non-finite number says nothing), so that every export line parses as JSON."""
    db.execute("UPDATE claims SET confidence = NULL WHERE abs(confidence) > 1.7976931348623157e308")
    for table, column, empty in (("documents", "meta", "{}"), ("claim_slots", "value", None)):
        rows = db.execute(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND NOT json_valid({column})").fetchall()
        for row_id, text in rows:
            try:
                repaired = json.dumps(_finite(json.loads(text)), ensure_ascii=False)
            except ValueError:
                repaired = empty
            db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [repaired, row_id])


def _finite(value):
    """A JSON value with its non-finite numbers made null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


@migrations()
def m006_span_ids_never_reused(db: sqlite_utils.Database) -> None:
    """Span ids come from AUTOINCREMENT: an id freed by an undo or a replaced suggestion is never
    given to another row, as undo and redo put rows back by id (before, a second curator's new span
    took the id of the first one's undone span, and the first one's redo deleted it). The sequence
    starts above every span id the audit log has seen, not only those still stored. Foreign keys
    stay on: `defer_foreign_keys` lets the copy run in any order, checked at commit."""
    q = db.execute
    q("PRAGMA defer_foreign_keys = ON")
    # the table as m001 made it, with AUTOINCREMENT and its self-reference under the new name
    sql = q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spans'").fetchone()[0]
    for old, new in (("CREATE TABLE spans (", "CREATE TABLE spans_new ("),
                     ("id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,"),
                     ("REFERENCES spans(id)", "REFERENCES spans_new(id)")):
        if old not in sql:
            raise DatabaseError(f"the spans table is not as Claimdesk made it (no {old!r}); not upgraded")
        sql = sql.replace(old, new, 1)
    q(sql)
    q("INSERT INTO spans_new SELECT * FROM spans ORDER BY id")
    highest = q("SELECT max(coalesce((SELECT max(id) FROM spans), 0), coalesce((SELECT max(CAST(k.key AS INTEGER)) "
                "FROM audit, json_each(audit.before, '$.spans') k), 0))").fetchone()[0]
    q("DROP TABLE spans")
    q("ALTER TABLE spans_new RENAME TO spans")  # the self-reference of based_on follows the new name
    q("DELETE FROM sqlite_sequence WHERE name = 'spans'")
    q("INSERT INTO sqlite_sequence (name, seq) VALUES ('spans', ?)", [highest])
    for index in ("spans_doc ON spans(doc_id, start)", "spans_status ON spans(status, label, annotator)",
                  "spans_annotator ON spans(annotator)", "spans_based_on ON spans(based_on)"):
        q(f"CREATE INDEX {index}")


@migrations()
def m007_active_time(db: sqlite_utils.Database) -> None:
    """Active time per curator and article: seconds between two of the curator's key presses or
    clicks on it, a gap over a minute not counted (annotations/progress.py), and the claim they
    were on last, where the app reopens. A row of its own rather than a column of
    document_progress, whose rows undo and redo put back: undoing "done" must not take back time."""
    # execute, not executescript: that would commit the migrations' transaction half-way
    db.execute("""
        CREATE TABLE active_time (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            seconds REAL NOT NULL DEFAULT 0 CHECK (seconds >= 0),
            claim_id TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator))""")
    db.execute("CREATE INDEX active_time_annotator ON active_time(annotator, updated_at)")


OLD_ORIGINS = f"origin IN ({', '.join(repr(origin.value) for origin in FIRST_ORIGINS)})"  # as m001's CHECK spells it


@migrations()
def m008_llm_cache(db: sqlite_utils.Database) -> None:
    """The LLM recommender (annotations/llm.py): origin `llm` is allowed for spans and claims, a
    claim keeps the name of the model that suggested it, answers are cached per (document, schema,
    model, prompt, piece) so a rerun sends no request, and each article's last run keeps every
    claim the LLM made (those the rules also made included, for `evaluate`) and those not suggested.

    The origin CHECK is widened in place (SQLite's documented way of loosening a constraint,
    "writable_schema" and a new schema version, inside the migration's transaction): rebuilding the
    claims table would cascade-delete every slot through claim_slots' foreign key."""
    q = db.execute
    version = q("PRAGMA schema_version").fetchone()[0]
    q("PRAGMA writable_schema = ON")
    try:
        for table in ("spans", "claims"):
            sql = q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
            if OLD_ORIGINS not in sql:
                raise DatabaseError(f"the {table} table is not as Claimdesk made it (no {OLD_ORIGINS!r}); not upgraded")
            q("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
              [sql.replace(OLD_ORIGINS, OLD_ORIGINS[:-1] + ", 'llm')"), table])
        q(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        q("PRAGMA writable_schema = OFF")
    q("ALTER TABLE claims ADD COLUMN model TEXT")
    q("""CREATE TABLE llm_cache (
        key TEXT PRIMARY KEY,
        doc_sha256 TEXT NOT NULL,
        schema_hash TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        piece INTEGER NOT NULL,
        response TEXT NOT NULL,
        seconds REAL,
        created_at TEXT NOT NULL)""")
    q("""CREATE TABLE llm_runs (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        key TEXT NOT NULL,
        claims TEXT NOT NULL,
        not_suggested TEXT NOT NULL,
        at TEXT NOT NULL)""")


@dataclass(frozen=True)
class ArticleQuery:
    """What the article list shows: words to search for, and filters. Empty means everything."""

    words: str = ""
    status: str = ""  # new, in_progress or done, for the curator
    lang: str = ""
    claim_type: str = ""

    def match(self) -> str:
        """The words as an FTS5 query: every word must occur, as a word or the start of one."""
        words = re.findall(r"\w+", self.words)
        return " ".join(f'"{w}"*' for w in words)


class AuditEntry(NamedTuple):
    """One entry of the audit log, as undo and redo replay it (before and after are JSON text)."""

    id: int
    action: str
    doc_id: int | None
    before: str
    after: str


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    title: str
    text: str
    sha256: str
    lang: str
    meta: dict
    published: str | None


class Store:
    """An open workspace database. One per thread; open another for a worker."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 10_000):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        _refuse_non_sqlite(self.path)
        # A file (or folder: WAL writes beside it) the user may not write to is opened for reading
        # only, and every write is refused by name instead of failing deep inside SQLite.
        self.read_only = self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        try:
            if self.read_only:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                       timeout=busy_timeout_ms / 1000)
            else:
                conn = sqlite3.connect(str(self.path), timeout=busy_timeout_ms / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if not self.read_only:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as e:
            raise environment_problem(e, self.path) or DatabaseError(f"{self.path}: cannot open as a SQLite database ({e})") from None
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, taken with BEGIN IMMEDIATE so that no read inside it can turn
        into a lock error at commit; nested calls become savepoints."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        if self.read_only:
            raise EnvironmentProblem(f"{self.path} is read-only for you (file permissions), so nothing can be stored in it")
        with self._told():
            for attempt in range(5):
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as e:
                    if ("locked" not in str(e) and "busy" not in str(e)) or attempt == 4:
                        raise
                    time.sleep(0.2 * (attempt + 1))
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:  # SQLite has already rolled back after a full disk
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _told(self) -> Iterator[None]:
        """SQLite's complaints about the machine (a full disk, a lock held too long, a file turned
        read-only) as an EnvironmentProblem in words; anything else is a bug and goes on as it is."""
        try:
            yield
        except sqlite3.OperationalError as e:
            told = environment_problem(e, self.path)
            if told is None:
                raise
            raise told from e

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction: every query inside sees the workspace as it was when the first one
        ran, while curators go on writing (WAL). Exports run inside one."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    def _migrate(self) -> None:
        try:
            tables = set(self.db.table_names())
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"{self.path}: the file is not a usable SQLite database ({e})") from None
        applied = {m.name for m in migrations.applied(self.db)} if Migrations.migrations_table in tables else set()
        if tables - {Migrations.migrations_table} and not applied:
            raise DatabaseError(f"{self.path}: this SQLite file is not a Claimdesk database (it has tables {', '.join(sorted(tables)[:5])})")
        known = {m.name for m in migrations.pending(sqlite_utils.Database(memory=True))}  # all of them: an empty database needs each
        if applied - known:
            raise DatabaseError(
                f"{self.path}: written by a newer version of Claimdesk (migrations {', '.join(sorted(applied - known))}); "
                "upgrade Claimdesk to open it"
            )
        if migrations.pending(self.db):
            if self.read_only:
                raise DatabaseError(f"{self.path}: made by an older Claimdesk and needs upgrading, but it is read-only for you")
            with self.write():
                migrations.apply(self.db)

    # -- documents ----------------------------------------------------------------------------

    def add_documents(self, docs: Iterable[dict]) -> tuple[list[dict], list[dict]]:
        """Insert documents in one transaction; return (those added, those already present), with ids.
        A document is already present when a document with the same text (SHA-256) is."""
        docs = list(docs)
        added, present = [], []
        with self.write():
            existing: dict[str, tuple[int, str]] = {}
            for n in range(0, len(docs), 500):
                hashes = [d["sha256"] for d in docs[n:n + 500]]
                existing.update((sha, (doc_id, name)) for doc_id, name, sha in self.db.execute(
                    f"SELECT id, name, sha256 FROM documents WHERE sha256 IN ({','.join('?' * len(hashes))})", hashes))
            rows, stamp = [], now()
            for doc in docs:
                if doc["sha256"] in existing:
                    doc_id, name = existing[doc["sha256"]]
                    present.append({**doc, "id": doc_id, "existing_name": name})
                    continue
                existing[doc["sha256"]] = (None, doc["name"])  # the same text twice in one batch: once
                rows.append({**doc, "meta": json.dumps(doc.get("meta") or {}, ensure_ascii=False), "imported_at": stamp})
                added.append(doc)
            first = (self.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]) + 1
            self.db["documents"].insert_all([{**row, "id": first + n} for n, row in enumerate(rows)], batch_size=200)
            added = [{**doc, "id": first + n} for n, doc in enumerate(added)]
            present = [p if p["id"] is not None else {**p, "id": next(a["id"] for a in added if a["sha256"] == p["sha256"])}
                       for p in present]
        return added, present

    def document(self, doc_id: int) -> Document:
        row = self.db.execute(
            "SELECT id, name, title, text, sha256, lang, meta, published FROM documents WHERE id = ?", [doc_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        return Document(*row[:6], json.loads(row[6]), row[7])

    def document_by_sha256(self, sha256: str) -> int | None:
        row = self.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def sha256_of_name(self, name: str) -> str | None:
        """The text hash of the first document with this name, if any."""
        row = self.db.execute("SELECT sha256 FROM documents WHERE name = ? ORDER BY id LIMIT 1", [name]).fetchone()
        return row[0] if row else None

    def document_ids(self) -> list[int]:
        """Every document's id, in import order."""
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]

    def document_id(self, name: str) -> int:
        row = self.db.execute("SELECT id FROM documents WHERE name = ? OR sha256 = ? ORDER BY id LIMIT 1", [name, name]).fetchone()
        if row is None:
            raise NotFound(f"no document named {name!r}")
        return row[0]

    def list_documents(self, annotator: str | None = None, doc_ids: list[int] | None = None,
                       query: ArticleQuery = ArticleQuery(), after: int = 0, limit: int | None = None) -> list[dict]:
        """A page of the article list in import order: id, name, title, language, and for a curator
        their progress (new, in_progress, done) and how many suggested claims they have not decided
        on. Pages are read by id (`after` the last one seen), so each costs the same however deep."""
        where, params = ["d.id > ?"], [after]
        if doc_ids:
            where.append(f"d.id IN ({','.join('?' * len(doc_ids))})")
            params += doc_ids
        if query.match():
            where.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(query.match())
        if query.status == "new":
            where.append("p.status IS NULL")
        elif query.status:  # from the curator's progress rows, not by testing every article in turn
            where.append("d.id IN (SELECT doc_id FROM document_progress WHERE annotator = ? AND status = ?)")
            params += [annotator, query.status]
        if query.lang:
            where.append("d.lang = ?")
            params.append(query.lang)
        if query.claim_type:
            # A rare type is looked up from its claims; a common one by testing articles in order,
            # which fills a page after a few (each way is slow where the other is fast: 0.4 s).
            rare = self.db.execute("SELECT count(*) < ? FROM (SELECT 1 FROM claims WHERE type = ? LIMIT ?)",
                                   [RARE_CLAIMS, query.claim_type, RARE_CLAIMS]).fetchone()[0]
            where.append("d.id IN (SELECT doc_id FROM claims WHERE type = ?)" if rare
                         else "EXISTS (SELECT 1 FROM claims t WHERE t.doc_id = d.id AND t.type = ?)")
            params.append(query.claim_type)
        rows = self.db.execute(
            "SELECT d.id, d.name, d.title, d.lang, coalesce(p.status, ?), "
            "(SELECT count(*) FROM claims c WHERE c.doc_id = d.id AND c.annotator = ? AND c.status = ? "
            " AND NOT EXISTS (SELECT 1 FROM claims o WHERE o.based_on = c.id AND o.annotator = ?)) "
            "FROM documents d LEFT JOIN document_progress p ON p.doc_id = d.id AND p.annotator = ? "
            f"WHERE {' AND '.join(where)} ORDER BY d.id" + (f" LIMIT {int(limit)}" if limit else ""),
            [Progress.NEW, MODEL_ANNOTATOR, Status.SUGGESTED, annotator, annotator, *params])
        return [dict(zip(("id", "name", "title", "lang", "status", "open"), row)) for row in rows]

    def next_unfinished(self, annotator: str, after: int) -> int | None:
        """The next article (in list order, wrapping round) the curator has not finished."""
        for low in (after, 0):
            row = self.db.execute(
                "SELECT d.id FROM documents d LEFT JOIN document_progress p ON p.doc_id = d.id AND p.annotator = ? "
                "WHERE d.id > ? AND d.id != ? AND (p.status IS NULL OR p.status != ?) ORDER BY d.id LIMIT 1",
                [annotator, low, after, Progress.DONE]).fetchone()
            if row:
                return row[0]
        return None

    def progress_counts(self, annotator: str) -> tuple[int, int]:
        """(articles the curator finished, articles in the workspace)."""
        done = self.db.execute("SELECT count(*) FROM document_progress WHERE annotator = ? AND status = ?", [annotator, Progress.DONE])
        return done.fetchone()[0], self.count_documents()

    def next_with_undecided(self, annotator: str, after: int, min_confidence: float = 0.0) -> int | None:
        """The next article (in list order, wrapping round) holding a suggested claim the curator
        has not decided on, with a confidence of at least `min_confidence` (or none given)."""
        for low in (after, 0):
            row = self.db.execute(
                "SELECT DISTINCT c.doc_id FROM claims c WHERE c.doc_id > ? AND c.doc_id != ? AND c.annotator = 'model' "
                "AND c.status = 'suggested' AND coalesce(c.confidence, 1) >= ? "
                "AND NOT EXISTS (SELECT 1 FROM claims o WHERE o.based_on = c.id AND o.annotator = ?) ORDER BY c.doc_id LIMIT 1",
                [low, after, min_confidence, annotator]).fetchone()
            if row:
                return row[0]
        return None

    def search_document_ids(self, words: str) -> list[int]:
        """Every document whose title or text has these words (the article list's search), in id order."""
        match = ArticleQuery(words).match()
        if not match:
            return []
        return [r[0] for r in self.db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid", [match])]

    def set_published(self, doc_id: int, published: str | None) -> None:
        """The article's publication date (ISO), the one thing about a document a curator may change."""
        self.db.execute("UPDATE documents SET published = ? WHERE id = ?", [published, doc_id])

    # -- active time ----------------------------------------------------------------------------

    def add_active_time(self, doc_id: int, annotator: str, seconds: float, claim_id: str | None = None) -> None:
        """Add a curator's active seconds on an article, and note the claim they are on."""
        stamp = now()
        self.db.execute(
            "INSERT INTO active_time (doc_id, annotator, seconds, claim_id, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_id, annotator) DO UPDATE SET seconds = seconds + excluded.seconds, "
            "claim_id = coalesce(excluded.claim_id, claim_id), updated_at = excluded.updated_at",
            [doc_id, annotator, max(0.0, float(seconds)), claim_id, stamp, stamp])

    def keep_active_time(self, doc_id: int, annotator: str, seconds: float) -> None:
        """A curator's active time on an article as another workspace recorded it: the larger of the
        two is kept, so importing a bundle twice adds nothing."""
        stamp = now()
        self.db.execute(
            "INSERT INTO active_time (doc_id, annotator, seconds, started_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_id, annotator) DO UPDATE SET seconds = max(seconds, excluded.seconds)",
            [doc_id, annotator, max(0.0, float(seconds)), stamp, stamp])

    def active_seconds(self, annotator: str, doc_id: int | None = None) -> float:
        """A curator's active seconds on one article, or on all."""
        where, params = "annotator = ?", [annotator]
        if doc_id is not None:
            where, params = where + " AND doc_id = ?", params + [doc_id]
        return self.db.execute(f"SELECT coalesce(sum(seconds), 0) FROM active_time WHERE {where}", params).fetchone()[0]

    def last_place(self, annotator: str) -> tuple[int, str | None] | None:
        """(article, claim) where the curator was last active, or None."""
        row = self.db.execute("SELECT doc_id, claim_id FROM active_time WHERE annotator = ? ORDER BY updated_at DESC LIMIT 1",
                              [annotator]).fetchone()
        return (row[0], row[1]) if row else None

    def active_time_rows(self) -> list[tuple[str, int, float, bool]]:
        """(curator, article, active seconds, whether they finished it) for every article someone worked on."""
        return self.db.execute(
            "SELECT a.annotator, a.doc_id, a.seconds, EXISTS (SELECT 1 FROM document_progress p WHERE p.doc_id = a.doc_id "
            "AND p.annotator = a.annotator AND p.status = 'done') FROM active_time a ORDER BY a.annotator, a.doc_id").fetchall()

    def done_per_day(self) -> list[tuple[str, str, int]]:
        """(curator, day, articles they marked done that day), by curator and day."""
        return self.db.execute(
            "SELECT annotator, substr(updated_at, 1, 10), count(*) FROM document_progress WHERE status = 'done' "
            "GROUP BY 1, 2 ORDER BY 1, 2").fetchall()

    def decisions_per_curator(self) -> dict[str, int]:
        """How many claims each curator or reviewer has decided (accepted, corrected, added, rejected or made gold)."""
        return dict(self.db.execute("SELECT annotator, count(*) FROM claims WHERE annotator != 'model' GROUP BY 1 ORDER BY 1").fetchall())

    def lead_times(self, doc_id: int) -> dict[str, float]:
        """Each curator's active seconds on one article."""
        return dict(self.db.execute("SELECT annotator, seconds FROM active_time WHERE doc_id = ? ORDER BY annotator", [doc_id]).fetchall())

    def languages(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT lang FROM documents ORDER BY lang")]

    def finished_by(self, doc_id: int) -> list[str]:
        """The curators who marked the document done."""
        return [r[0] for r in self.db.execute(
            "SELECT annotator FROM document_progress WHERE doc_id = ? AND status = ? ORDER BY annotator", [doc_id, Progress.DONE])]

    def document_name(self, doc_id: int) -> str:
        row = self.db.execute("SELECT name FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        return row[0]

    def documents_with_gold(self) -> list[tuple[int, str]]:
        """(id, name) of the documents a reviewer resolved: those holding a gold span or claim."""
        return self.db.execute(
            "SELECT id, name FROM documents WHERE id IN (SELECT doc_id FROM spans WHERE status = ? "
            "UNION SELECT doc_id FROM claims WHERE status = ?) ORDER BY id", [Status.GOLD, Status.GOLD]).fetchall()

    def count_documents(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    # -- schema in force -----------------------------------------------------------------------

    def record_schema(self, kind: str, schema) -> str:
        """Store the schema text and hash the first time it is used; return the hash.

        A claims schema that would orphan stored claims (a claim type or slot they use is gone) is
        refused with what it would orphan: stored work is never silently dropped."""
        if kind == "claims":
            self.refuse_orphaning(schema)
        if self.read_only:  # recorded by the next one who writes
            return schema.hash
        with self.write():
            self.db.execute(
                "INSERT OR IGNORE INTO schemas (hash, kind, version, source, text, first_used_at) VALUES (?, ?, ?, ?, ?, ?)",
                [schema.hash, kind, schema.version, schema.source, schema.text, now()],
            )
        return schema.hash

    def refuse_orphaning(self, schema) -> None:
        """SchemaError when the claims schema lacks a claim type or slot that stored claims use (a
        schema already recorded in the workspace has passed this)."""
        if self.db.execute("SELECT 1 FROM schemas WHERE hash = ?", [schema.hash]).fetchone():
            return
        orphans = self.schema_orphans(schema)
        if orphans:
            raise SchemaError([f"{schema.source}: the workspace {self.path} holds {o}; put it back in the schema "
                               "(a renamed slot under its old name too) to use this workspace with it" for o in orphans])

    def schema_orphans(self, schema) -> list[str]:
        """What stored claims use that the schema does not have, in words."""
        orphans = []
        for claim_type, count in self.db.execute("SELECT type, count(*) FROM claims GROUP BY type ORDER BY type"):
            if claim_type not in schema.claim_types:
                orphans.append(f"{count} claims of type {claim_type}, which the schema no longer has")
        for claim_type, slot, count in self.db.execute(
                "SELECT c.type, s.slot, count(*) FROM claim_slots s JOIN claims c ON c.id = s.claim_id "
                "GROUP BY c.type, s.slot ORDER BY c.type, s.slot"):
            known = schema.claim_types.get(claim_type)
            if known is not None and slot not in known.slots:
                orphans.append(f"{count} values of slot {slot} of {claim_type}, which the schema no longer has")
        return orphans

    def backup(self, target: str | Path) -> Path:
        """A consistent copy of the workspace through SQLite's backup API, safe while others write;
        written to a temporary name and renamed, so a target is never half a database. The target
        may be an older backup, never the workspace or its -wal and -shm files."""
        target = Path(target)
        check_output(target, self.path, what="--to", replaces_sqlite=True)
        with staged() as files:
            copy = sqlite3.connect(files.path(target))
            try:
                self.db.conn.backup(copy)
            finally:
                copy.close()
        return target

    # -- pre-annotation ------------------------------------------------------------------------------

    def kb_additions(self) -> tuple[list[tuple], list[tuple]]:
        """Entities and aliases curators added: ([(kb_id, name, label)], [(alias, kb_id)])."""
        entities = self.db.execute("SELECT kb_id, name, label FROM kb_entities ORDER BY kb_id").fetchall()
        aliases = self.db.execute("SELECT alias, kb_id FROM kb_aliases ORDER BY alias").fetchall()
        return entities, aliases

    def document_languages(self) -> list[tuple[int, str]]:
        """(id, language) of every document, in id order."""
        return self.db.execute("SELECT id, lang FROM documents ORDER BY id").fetchall()

    def texts_of(self, doc_ids: list[int], chunk: int = 200) -> Iterator[tuple[int, str, str | None]]:
        """(id, text, publication date) of these documents in this order, read a chunk at a time so
        that only a chunk of texts is in memory, and no query is left open between chunks."""
        for start in range(0, len(doc_ids), chunk):
            ids = doc_ids[start:start + chunk]
            rows = {row[0]: row for row in self.db.execute(
                f"SELECT id, text, published FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids)}
            yield from (rows[doc_id] for doc_id in ids)

    def preannotation_keys(self) -> dict[int, str]:
        return dict(self.db.execute("SELECT doc_id, key FROM preannotated").fetchall())

    def finished_documents(self) -> set[int]:
        """The articles someone (a curator or a reviewer) marked done."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM document_progress WHERE status = ?", [Progress.DONE])}

    def replace_suggestions(self, doc_id: int, spans: list[dict], claims: list[dict], schema_hash: str,
                            key: str, pipeline: str) -> None:
        """Store a document's model suggestions in one transaction.

        Suggestions a curator has decided on (some row is `based_on` them) are kept as they are;
        the other old suggestions are replaced. A new suggestion is not added where a curator has
        already decided: a span at the place of a curator's span or of a decided suggestion, a
        claim saying what a curator's claim or a decided suggestion says (its names linked or not,
        so that a new alias does not bring decided claims back). Running this twice with the same
        input therefore changes nothing.
        """
        stamp = now()
        with self.write():
            q = self.db.execute
            old_spans, old_claims = self.spans_of(doc_id), self.claims_of(doc_id)
            decided_spans = {s["based_on"] for s in old_spans if s["based_on"] is not None}
            decided_claims = {c["based_on"] for c in old_claims if c["based_on"]}
            taken_places = {(s["start"], s["end"]) for s in old_spans if s["annotator"] != MODEL_ANNOTATOR or s["id"] in decided_spans}
            said = {_content(c) for c in old_claims if c["annotator"] != MODEL_ANNOTATOR or c["id"] in decided_claims}
            q("DELETE FROM spans WHERE doc_id = ? AND annotator = ? AND status = ? "
              "AND NOT EXISTS (SELECT 1 FROM spans c WHERE c.based_on = spans.id)", [doc_id, MODEL_ANNOTATOR, Status.SUGGESTED])
            q("DELETE FROM claims WHERE doc_id = ? AND annotator = ? AND status = ? "
              "AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.based_on = claims.id)", [doc_id, MODEL_ANNOTATOR, Status.SUGGESTED])
            span_rows = [
                {"doc_id": doc_id, "start": s["start"], "end": s["end"], "label": s["label"], "kb_id": s.get("kb_id"),
                 "origin": s["origin"], "status": Status.SUGGESTED, "annotator": MODEL_ANNOTATOR, "schema_hash": schema_hash,
                 "created_at": stamp, "updated_at": stamp}
                for s in spans if (s["start"], s["end"]) not in taken_places
            ]
            self.db["spans"].insert_all(span_rows)
            self.insert_claims([{**claim, "doc_id": doc_id, "status": Status.SUGGESTED, "annotator": MODEL_ANNOTATOR,
                                  "schema_hash": schema_hash} for claim in claims if _content(claim) not in said], stamp)
            q("INSERT OR REPLACE INTO preannotated (doc_id, key, pipeline, at) VALUES (?, ?, ?, ?)", [doc_id, key, pipeline, stamp])

    # -- the LLM recommender ------------------------------------------------------------------------

    def llm_answer(self, key: str) -> str | None:
        """A cached answer of the LLM (annotations/llm.py says what the key covers), or None."""
        row = self.db.execute("SELECT response FROM llm_cache WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def cache_llm_answer(self, key: str, doc_sha256: str, schema_hash: str, model: str, prompt_hash: str, piece: int,
                         response: str, seconds: float) -> None:
        if self.read_only:
            return
        with self.write():
            self.db.execute("INSERT OR REPLACE INTO llm_cache (key, doc_sha256, schema_hash, model, prompt_hash, piece, response, "
                            "seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [key, doc_sha256, schema_hash, model, prompt_hash, piece, response, seconds, now()])

    def llm_run(self, doc_id: int) -> dict | None:
        """The document's last LLM run: model, key, every claim it made, those not suggested, when;
        `redo` when the rules were re-run after it (which removed its suggestions)."""
        row = self.db.execute(
            "SELECT r.model, r.key, r.claims, r.not_suggested, r.at, coalesce(p.at > r.at, 0) FROM llm_runs r "
            "LEFT JOIN preannotated p ON p.doc_id = r.doc_id WHERE r.doc_id = ?", [doc_id]).fetchone()
        if row is None:
            return None
        return {LLM_MODEL_FIELD: row[0], "key": row[1], "claims": json.loads(row[2]), "not_suggested": json.loads(row[3]),
                "at": row[4], "redo": bool(row[5])}

    def replace_llm_suggestions(self, doc_id: int, new_claims, run: dict, schema_hash: str) -> list[str]:
        """Store a document's LLM suggestions in one transaction: its earlier LLM suggestions nobody
        decided on go, `new_claims(claims already there)` says which claims to add (so that one the
        rules or a curator already made is not added twice), and the run is recorded. Returns the
        ids of the claims added."""
        stamp = now()
        with self.write():
            self.db.execute("DELETE FROM claims WHERE doc_id = ? AND annotator = ? AND status = ? AND origin = ? "
                            "AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.based_on = claims.id)",
                            [doc_id, MODEL_ANNOTATOR, Status.SUGGESTED, Origin.LLM])
            claims = new_claims(self.claims_of(doc_id))
            ids = self.insert_claims([{**claim, "doc_id": doc_id, "origin": Origin.LLM, "status": Status.SUGGESTED, "annotator": MODEL_ANNOTATOR,
                                       "schema_hash": schema_hash} for claim in claims], stamp)
            self.db.execute("INSERT OR REPLACE INTO llm_runs (doc_id, model, key, claims, not_suggested, at) VALUES (?, ?, ?, ?, ?, ?)",
                            [doc_id, run[LLM_MODEL_FIELD], run["key"], json.dumps(run["claims"], ensure_ascii=False, allow_nan=False),
                             json.dumps(run["not_suggested"], ensure_ascii=False, allow_nan=False), stamp])
        return ids

    def gold_examples(self, claim_type: str, limit: int, exclude_doc: int | None = None) -> list[tuple[dict, str]]:
        """Up to `limit` gold claims of a type (with their evidence sentence), from other documents
        than `exclude_doc`, always the same ones for the same gold: examples for the LLM's prompt."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM claims WHERE status = 'gold' AND type = ? AND doc_id != ? AND evidence_start IS NOT NULL "
            "ORDER BY doc_id, evidence_start, id LIMIT ?", [claim_type, -1 if exclude_doc is None else exclude_doc, limit])]
        claims, texts = self.claims_by_id(ids), self.evidence_texts(ids)
        return [(claims[i], texts.get(i, "")) for i in ids if i in claims]

    def insert_claims(self, claims: list[dict], stamp: str) -> list[str]:
        """Insert claims with their slots (two bulk inserts, however many claims); return their ids."""
        claim_rows, slot_rows = [], []
        for claim in claims:
            claim_id = claim.get("id") or uuid.uuid4().hex
            evidence = claim.get("evidence") or {}
            claim_rows.append({
                "id": claim_id, "doc_id": claim["doc_id"], "type": claim["type"], "origin": claim["origin"],
                "status": claim["status"], "annotator": claim["annotator"], "based_on": claim.get("based_on"),
                "evidence_start": evidence.get("start"), "evidence_end": evidence.get("end"),
                "confidence": claim.get("confidence"), "note": claim.get("note"), "schema_hash": claim.get("schema_hash"),
                LLM_MODEL_FIELD: claim.get(LLM_MODEL_FIELD),
                "created_at": claim.get("created_at", stamp), "updated_at": claim.get("updated_at", stamp),
            })
            slot_rows += _slot_rows(claim_id, claim["slots"])
        self.db["claims"].insert_all(claim_rows)
        self.db["claim_slots"].insert_all(slot_rows)
        return [row["id"] for row in claim_rows]

    def insert_claim_slots(self, claim_id: str, slots: dict) -> None:
        self.db["claim_slots"].insert_all(_slot_rows(claim_id, slots))

    # -- decisions: the rows a curator's, reviewer's or bundle's action writes -------------------------
    # Callers run these inside write() (one transaction per action, with its audit entry).

    def insert_span(self, row: dict) -> int:
        """A new span row; returns its id (never one given out before: AUTOINCREMENT)."""
        return self.db["spans"].insert(row).last_pk

    def insert_spans(self, rows: list[dict]) -> None:
        self.db["spans"].insert_all(rows)

    def update_span(self, span_id: int, **fields) -> None:
        self.db["spans"].update(span_id, {**fields, "updated_at": fields.get("updated_at") or now()})

    def delete_span(self, span_id: int) -> None:
        self.db["spans"].delete(span_id)

    def update_claim(self, claim_id: str, **fields) -> None:
        """Change a claim's own columns (status, note, ...); its slots stay."""
        self.db["claims"].update(claim_id, {**fields, "updated_at": fields.get("updated_at") or now()})

    def replace_claim_slots(self, claim_id: str, slots: dict[str, list[SlotValue]]) -> None:
        self.db["claim_slots"].delete_where("claim_id = ?", [claim_id])
        self.insert_claim_slots(claim_id, slots)

    def delete_claim(self, claim_id: str) -> None:
        self.db["claims"].delete(claim_id)

    def set_progress(self, doc_id: int, annotator: str, status: Progress, stamp: str | None = None) -> None:
        self.db["document_progress"].insert(
            {"doc_id": doc_id, "annotator": annotator, "status": status, "updated_at": stamp or now()}, replace=True)

    def mark_in_progress(self, doc_id: int, annotator: str) -> None:
        """The curator has opened the article: in progress, unless already so or done."""
        with self.write():
            self.db.execute("INSERT OR IGNORE INTO document_progress (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                            [doc_id, annotator, Progress.IN_PROGRESS, now()])

    def has_kb_entity(self, kb_id: str) -> bool:
        """Whether a curator has added this canonical entity to the workspace."""
        return bool(self.db["kb_entities"].count_where("kb_id = ?", [kb_id]))

    def add_kb_entity(self, kb_id: str, name: str, label: str, annotator: str) -> None:
        self.db["kb_entities"].insert({"kb_id": kb_id, "name": name, "label": label, "annotator": annotator, "created_at": now()})

    def set_kb_alias(self, alias: str, kb_id: str, annotator: str) -> None:
        self.db["kb_aliases"].insert({"alias": alias, "kb_id": kb_id, "annotator": annotator, "created_at": now()}, replace=True)

    # -- the audit log ---------------------------------------------------------------------------------

    def append_audit(self, annotator: str, action: str, doc_id: int | None, before: dict[str, dict], after: dict[str, dict]) -> int:
        """One entry of the audit log: the rows an action touched ({table: {key: row or None}}) before
        and after it. Returns the entry's id."""
        return self.db["audit"].insert({
            "at": now(), "annotator": annotator, "action": action, "doc_id": doc_id,
            "item": ",".join(sorted(before)), "item_id": ",".join(str(key) for rows in before.values() for key in rows),
            "before": json.dumps(before, ensure_ascii=False), "after": json.dumps(after, ensure_ascii=False),
        }).last_pk

    def last_undoable(self, annotator: str) -> AuditEntry | None:
        """The annotator's latest action that is not an undo and has not been undone."""
        row = self.db.execute(
            "SELECT id, action, doc_id, before, after FROM audit WHERE annotator = ? AND action NOT LIKE 'undo:%' "
            "AND undone_by IS NULL ORDER BY id DESC LIMIT 1", [annotator]).fetchone()
        return AuditEntry(*row) if row else None

    def last_redoable(self, annotator: str) -> AuditEntry | None:
        """The annotator's latest undo not itself undone, provided they have done nothing new since."""
        row = self.db.execute(
            "SELECT id, action, doc_id, before, after FROM audit WHERE annotator = ? AND action LIKE 'undo:%' "
            "AND undone_by IS NULL AND id > (SELECT coalesce(max(id), 0) FROM audit WHERE annotator = ? "
            "AND action NOT LIKE 'undo:%' AND action NOT LIKE 'redo:%') ORDER BY id DESC LIMIT 1",
            [annotator, annotator]).fetchone()
        return AuditEntry(*row) if row else None

    def mark_undone(self, entry_id: int, by: int) -> None:
        """The audit entry `entry_id` was replayed (undone or redone) by the entry `by`."""
        self.db.execute("UPDATE audit SET undone_by = ? WHERE id = ?", [by, entry_id])

    # -- rows as the audit log keeps them --------------------------------------------------------------

    _KEYS: ClassVar[dict[str, tuple[str, ...]]] = {"claims": ("id",), "spans": ("id",), "document_progress": ("doc_id", "annotator"),
             "kb_entities": ("kb_id",), "kb_aliases": ("alias", "kb_id")}
    # The audit log's name for a document's publication date: a column of documents, put back by
    # UPDATE (a document is never deleted and re-inserted, which would take its spans with it).
    PUBLISHED = "document_published"

    def row_snapshot(self, table: str, key: str) -> dict | None:
        """One row as a dict (a claim with its slot rows), or None; compound keys are joined by KEY_SEP."""
        if table == self.PUBLISHED:
            row = self.db.execute("SELECT id, published FROM documents WHERE id = ?", [int(key)]).fetchone()
            return {"id": row[0], "published": row[1]} if row else None
        columns = self._KEYS[table]
        where = " AND ".join(f"{c} = ?" for c in columns)
        rows = list(self.db[table].rows_where(where, key.split(KEY_SEP)))
        if not rows:
            return None
        row = rows[0]
        if table == "claims":
            row["slots"] = [{k: v for k, v in r.items() if k != "id"} for r in self.db["claim_slots"].rows_where(
                "claim_id = ?", [key], order_by="slot, position")]
        return row

    def restore_row(self, table: str, key: str, row: dict | None) -> None:
        """Put a row back as a snapshot had it (None: the row did not exist)."""
        if table == self.PUBLISHED:
            self.set_published(int(key), (row or {}).get("published"))
            return
        columns = self._KEYS[table]
        self.db[table].delete_where(" AND ".join(f"{c} = ?" for c in columns), key.split(KEY_SEP))
        if row is not None:
            row = dict(row)
            slots = row.pop("slots", None)
            self.db[table].insert(row)
            if slots:
                self.db["claim_slots"].insert_all(slots)

    def _claim_signature(self, claim_id: str) -> tuple:
        row = self.db.execute("SELECT type FROM claims WHERE id = ?", [claim_id]).fetchone()
        return claim_signature({"type": row[0], "slots": self.claim_slots(claim_id)})

    def claim_slots(self, claim_id: str) -> dict[str, list[dict]]:
        return _slots_by_claim(self.db.execute(
            f"SELECT claim_id, {_SLOT_COLUMNS} FROM claim_slots WHERE claim_id = ? ORDER BY slot, position", [claim_id])).get(claim_id, {})

    # -- reading annotations -------------------------------------------------------------------------

    def span(self, span_id: int) -> dict:
        """A span's whole row (with doc_id); NotFound when there is none."""
        row = next(self.db["spans"].rows_where("id = ?", [span_id]), None)
        if row is None:
            raise NotFound(f"no span {span_id}")
        return row

    def claim(self, claim_id: str) -> Claim:
        """A claim, shaped as claims_of gives it, plus its doc_id; NotFound when there is none."""
        claim = self.claims_by_id([claim_id]).get(claim_id)
        if claim is None:
            raise NotFound(f"no claim {claim_id}")
        return claim

    def claim_ids_of(self, doc_id: int) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM claims WHERE doc_id = ?", [doc_id])}

    def spans_of(self, doc_id: int, statuses: tuple[str, ...] | None = None, annotator: str | None = None) -> list[dict]:
        where, params = row_filter(statuses, annotator)
        sql = f'SELECT {", ".join(f"[{c}]" for c in SPAN_COLUMNS)} FROM spans WHERE doc_id = ?{where} ORDER BY start, "end", id'
        return [dict(zip(SPAN_COLUMNS, row)) for row in self.db.execute(sql, [doc_id, *params])]

    def claims_of(self, doc_id: int, statuses: tuple[str, ...] | None = None, annotator: str | None = None,
                  types: tuple[str, ...] | None = None) -> list[Claim]:
        where, params = row_filter(statuses, annotator, types)
        slots = _slots_by_claim(self.db.execute(
            f'SELECT claim_id, {_SLOT_COLUMNS} FROM claim_slots WHERE claim_id IN (SELECT id FROM claims WHERE doc_id = ?{where}) '
            "ORDER BY claim_id, slot, position", [doc_id, *params]))
        sql = ("SELECT id, type, status, annotator, origin, evidence_start, evidence_end, confidence, based_on, note "
               f"FROM claims WHERE doc_id = ?{where} ORDER BY evidence_start, id")
        return [_claim_from_row(row, slots.get(row[0], {})) for row in self.db.execute(sql, [doc_id, *params])]

    def decided_claims(self, statuses: tuple[str, ...], chunk: int = 500) -> Iterator[tuple[str, list[dict]]]:
        """(document name, its claims with these statuses) for every document that has some, in
        id order, read a chunk of documents at a time; claims are shaped as claims_of gives them."""
        # "+" keeps SQLite off the status index: without statistics it prefers it to the range of
        # documents and read every decided claim of the workspace once per chunk (the search for
        # conflicts across articles took 129 s instead of 33 s on 533,000 accepted claims).
        claim_filter, claim_params = row_filter(statuses, alias="+c.")
        last = self.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
        for low in range(0, last + 1, chunk):
            bounds = [low, low + chunk - 1]
            slots = _slots_by_claim(self.db.execute(
                f"SELECT cs.claim_id, {_SLOT_COLUMNS.replace('[', 'cs.[')} FROM claim_slots cs JOIN claims c ON c.id = cs.claim_id "
                f"WHERE c.doc_id BETWEEN ? AND ?{claim_filter} ORDER BY cs.claim_id, cs.slot, cs.position", bounds + claim_params))
            claims: dict[int, tuple[str, list]] = {}
            for doc_id, name, *row in self.db.execute(
                    "SELECT c.doc_id, d.name, c.id, c.type, c.status, c.annotator, c.origin, c.evidence_start, c.evidence_end, "
                    f"c.confidence, c.based_on, c.note FROM claims c JOIN documents d ON d.id = c.doc_id "
                    f"WHERE c.doc_id BETWEEN ? AND ?{claim_filter} ORDER BY c.doc_id, c.evidence_start, c.id", bounds + claim_params):
                claims.setdefault(doc_id, (name, []))[1].append(_claim_from_row(row, slots.get(row[0], {})))
            yield from claims.values()

    def claims_by_id(self, claim_ids: list[str]) -> dict[str, Claim]:
        """These claims, wherever they are, shaped as claims_of gives them plus their doc_id."""
        claims = {}
        for start in range(0, len(claim_ids), 500):
            batch = claim_ids[start:start + 500]
            marks = ",".join("?" * len(batch))
            slots = _slots_by_claim(self.db.execute(
                f"SELECT claim_id, {_SLOT_COLUMNS} FROM claim_slots WHERE claim_id IN ({marks}) ORDER BY claim_id, slot, position", batch))
            for doc_id, *row in self.db.execute(
                    "SELECT doc_id, id, type, status, annotator, origin, evidence_start, evidence_end, confidence, based_on, note "
                    f"FROM claims WHERE id IN ({marks})", batch):
                claims[row[0]] = {**_claim_from_row(row, slots.get(row[0], {})), "doc_id": doc_id}
        return claims

    def evidence_texts(self, claim_ids: list[str]) -> dict[str, str]:
        """Each claim's evidence sentence, cut from its document's text."""
        texts = {}
        for start in range(0, len(claim_ids), 500):
            batch = claim_ids[start:start + 500]
            texts.update(self.db.execute(
                "SELECT c.id, coalesce(substr(d.text, c.evidence_start + 1, c.evidence_end - c.evidence_start), '') "
                f"FROM claims c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(batch))})", batch).fetchall())
        return texts

    # -- who finished what -----------------------------------------------------------------------

    def curators(self) -> list[str]:
        """Everyone who finished at least one article, except the pipeline and reviewers (whoever made gold)."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT annotator FROM document_progress WHERE status = ? AND annotator != ? "
            "AND annotator NOT IN (SELECT annotator FROM claims WHERE status = ? "
            "                      UNION SELECT annotator FROM spans WHERE status = ?) ORDER BY 1",
            [Progress.DONE, MODEL_ANNOTATOR, Status.GOLD, Status.GOLD])]

    def finished_by_both(self, a: str, b: str) -> list[int]:
        """The articles both curators marked done."""
        return [r[0] for r in self.db.execute(
            "SELECT doc_id FROM document_progress WHERE status = ? AND annotator = ? "
            "INTERSECT SELECT doc_id FROM document_progress WHERE status = ? AND annotator = ? ORDER BY 1",
            [Progress.DONE, a, Progress.DONE, b])]

    def documents_to_review(self, reviewer: str) -> list[int]:
        """Articles two or more curators (not this reviewer) finished."""
        return [r[0] for r in self.db.execute(
            "SELECT doc_id FROM document_progress WHERE status = ? AND annotator NOT IN (?, ?) "
            "GROUP BY doc_id HAVING count(*) >= 2 ORDER BY doc_id", [Progress.DONE, MODEL_ANNOTATOR, reviewer])]

    def next_to_review(self, reviewer: str, after: int) -> int | None:
        """The next article to review (in list order, wrapping round) this reviewer has not marked done."""
        for low in (after, 0):
            row = self.db.execute(
                "SELECT doc_id FROM document_progress WHERE status = ? AND annotator NOT IN (?, ?) AND doc_id > ? "
                "AND doc_id != ? AND doc_id NOT IN (SELECT doc_id FROM document_progress WHERE annotator = ? AND status = ?) "
                "GROUP BY doc_id HAVING count(*) >= 2 ORDER BY doc_id LIMIT 1",
                [Progress.DONE, MODEL_ANNOTATOR, reviewer, low, after, reviewer, Progress.DONE]).fetchone()
            if row:
                return row[0]
        return None

    # -- figures ---------------------------------------------------------------------------------

    def claim_counts(self, statuses: tuple[str, ...] | None = None, types: tuple[str, ...] | None = None,
                     annotator: str | None = None) -> list[tuple[str, str, str, int]]:
        """(status, type, annotator, how many) of the claims an export with these filters writes."""
        where, params = row_filter(statuses, annotator, types)
        return self.db.execute(f"SELECT status, type, annotator, count(*) FROM claims WHERE 1{where} GROUP BY 1, 2, 3",
                               params).fetchall()

    def span_counts(self, statuses: tuple[str, ...] | None = None, annotator: str | None = None) -> list[tuple[str, str, str, int]]:
        """(status, label, annotator, how many) of the spans an export with these filters writes."""
        where, params = row_filter(statuses, annotator)
        return self.db.execute(f"SELECT status, label, annotator, count(*) FROM spans WHERE 1{where} GROUP BY 1, 2, 3",
                               params).fetchall()

    def stats(self) -> dict:
        q = self.db.execute
        return {
            "documents": dict(q("SELECT lang, count(*) FROM documents GROUP BY lang ORDER BY lang").fetchall()),
            "spans": dict(q("SELECT status, count(*) FROM spans GROUP BY status ORDER BY status").fetchall()),
            "claims_by_status": dict(q("SELECT status, count(*) FROM claims GROUP BY status ORDER BY status").fetchall()),
            "claims_by_type": dict(q("SELECT type, count(*) FROM claims GROUP BY type ORDER BY type").fetchall()),
            "annotators": [r[0] for r in q(
                "SELECT annotator FROM spans UNION SELECT annotator FROM claims "
                "UNION SELECT annotator FROM document_progress ORDER BY 1"
            )],
        }


def _content(claim: dict) -> tuple:
    """What a claim says: its signature with the names' canonical links left out."""
    return claim_signature({"type": claim["type"], "slots": {
        slot: [{**v, "kb_id": None} for v in values]
        for slot, values in claim["slots"].items()}})


def _claim_from_row(row, slots: dict[str, list[SlotValue]]) -> Claim:
    """A claim from its claims row (id, type, status, annotator, origin, evidence start and end, confidence, based_on, note) and slots."""
    cid, ctype, status, who, origin, es, ee, confidence, based_on, note = row
    return {"id": cid, "type": ctype, "status": status, "annotator": who, "origin": origin,
            "evidence": {"start": es, "end": ee} if es is not None else None, "confidence": confidence,
            "based_on": based_on, "note": note, "slots": slots}


_SLOT_COLUMNS = "[slot], [start], [end], [text], [label], [kb_id], [value]"


def _slots_by_claim(rows: Iterable[tuple]) -> dict[str, dict[str, list[dict]]]:
    """claim_slots rows (claim id, then _SLOT_COLUMNS), ordered by claim, slot and position, as
    each claim's slots: {claim id: {slot: [value, ...]}}."""
    slots: dict[str, dict[str, list[dict]]] = {}
    for claim_id, slot, *value in rows:
        slots.setdefault(claim_id, {}).setdefault(slot, []).append(_slot_value(*value))
    return slots


def _slot_value(start, end, text, label, kb_id, value) -> dict:
    """A claim_slots row as a slot value: its place and text, the entity's label, the normalised value."""
    item = {"text": text, "start": start, "end": end}
    if label is not None:
        item.update(label=label, kb_id=kb_id)
    if value is not None:
        item["value"] = json.loads(value)
    return item


def _slot_rows(claim_id: str, slots: dict[str, list[SlotValue]]) -> list[dict]:
    rows = []
    for slot, values in slots.items():
        for position, value in enumerate(values):
            rows.append({
                "claim_id": claim_id, "slot": slot, "position": position, "start": value.get("start"),
                "end": value.get("end"), "text": value.get("text", ""), "label": value.get("label"),
                "kb_id": value.get("kb_id"),
                "value": _value_json(slot, value) if value.get("value") is not None else None,
            })
    return rows


def _value_json(slot: str, value: dict) -> str:
    """A slot's normalised value as stored; a non-finite number (a typed 1e400) never gets in."""
    try:
        return json.dumps(value["value"], ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise InvalidAction(f"{slot}: {value.get('text', '')!r} is too large a number to store") from None


def row_filter(statuses: tuple[str, ...] | None = None, annotator: str | None = None, types: tuple[str, ...] | None = None,
               alias: str = "") -> tuple[str, list]:
    """The " AND ..." conditions (and their parameters) that keep the spans or claims an export or
    a view asks for; `types` applies to claims only."""
    sql, params = "", []
    for column, values in (("status", statuses), ("annotator", (annotator,) if annotator else None), ("type", types)):
        if values:
            sql += f" AND {alias}{column} IN ({','.join('?' * len(values))})"
            params += list(values)
    return sql, params


def _refuse_non_sqlite(path: Path) -> None:
    """A non-empty file that is not SQLite is refused before SQLite can touch it."""
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as f:
            if f.read(16) != SQLITE_HEADER:
                raise DatabaseError(f"{path}: not a SQLite database (the file does not start with the SQLite header)")
