"""The JSONL contract (docs/design.md), one line per document, built by SQLite.

Exports read millions of spans, claims and slot values; turning each row into Python objects and
back into JSON cost more than everything else in an export together (bench/README.md). Here
SQLite's JSON functions build each span, claim and slot value in C, a document at a time, and
Python only joins four strings per document. Every export format reads these lines: JSONL writes
them as they are, the other formats parse them.

Decisions kept here:
- Spans are ordered by start, end and id; claims by evidence start and id; slot values by slot
  name and position (an ordered subquery feeds each aggregate, so the order is kept).
- A slot declared `multiple` in the schema, or holding more than one value, is a list.
- `confidence` is written with SQLite's 15 significant digits.
- `lead_time` holds each curator's active seconds on the document (annotations/progress.py), one
  decimal; an export of one annotator's work holds theirs only.
- A document is written when any of its spans or claims passes the filter.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import NamedTuple

from annotations.errors import EnvironmentProblem
from annotations.nlp.kb import KnowledgeBase
from annotations.schema import ClaimSchema
from annotations.store import Store, row_filter

DOCUMENTS_PER_QUERY = 500


class Line(NamedTuple):
    name: str
    sha256: str
    text: str


def _object(*pairs: tuple[str, str]) -> str:
    """SQL for a JSON object from (key, SQL expression) pairs, in that key order."""
    return "json_object(" + ", ".join(f"'{key}', {expression}" for key, expression in pairs) + ")"


def _array(select: str) -> str:
    """SQL for a JSON array of the first column of an ordered SELECT (NULL when it has no rows)."""
    return f"(SELECT '[' || group_concat(item, ',') || ']' FROM ({select}))"


def _text_at(start: str, end: str) -> str:
    """The document's text between two character offsets (SQLite counts characters, as Python does)."""
    return f"substr(d.text, {start} + 1, {end} - {start})"


def _canonical(kb_id: str) -> str:
    """The knowledge base's name for an entity id (a subquery: measured twice as fast as a join here)."""
    return f"(SELECT canonical FROM temp.export_names WHERE kb_id = {kb_id})"


_SPAN = _object(("start", "s.start"), ("end", 's."end"'), ("text", _text_at("s.start", 's."end"')), ("label", "s.label"),
                ("kb_id", "s.kb_id"), ("canonical", _canonical("s.kb_id")), ("status", "s.status"), ("annotator", "s.annotator"),
                ("origin", "s.origin"))

_PLACE = (("text", "cs.text"), ("start", "cs.start"), ("end", 'cs."end"'))
_ENTITY = (("label", "cs.label"), ("kb_id", "cs.kb_id"), ("canonical", _canonical("cs.kb_id")))
_VALUE = (("value", "json(cs.value)"),)
_SLOT_VALUE = (f"CASE WHEN cs.label IS NULL AND cs.value IS NULL THEN {_object(*_PLACE)} "
               f"WHEN cs.value IS NULL THEN {_object(*_PLACE, *_ENTITY)} "
               f"WHEN cs.label IS NULL THEN {_object(*_PLACE, *_VALUE)} "
               f"ELSE {_object(*_PLACE, *_ENTITY, *_VALUE)} END")

_SLOTS = ("(SELECT '{' || group_concat(json_quote(slot) || ':' || item, ',') || '}' FROM ("
          "SELECT v.slot, CASE WHEN count(*) > 1 OR EXISTS (SELECT 1 FROM temp.export_lists l WHERE l.type = c.type AND l.slot = v.slot) "
          "THEN '[' || group_concat(v.value, ',') || ']' ELSE group_concat(v.value, ',') END AS item FROM ("
          f"SELECT cs.slot, {_SLOT_VALUE} AS value FROM claim_slots cs WHERE cs.claim_id = c.id ORDER BY cs.slot, cs.position) v "
          "GROUP BY v.slot))")

_EVIDENCE = (f"CASE WHEN c.evidence_start IS NULL THEN NULL ELSE "
             f"{_object(('start', 'c.evidence_start'), ('end', 'c.evidence_end'), ('text', _text_at('c.evidence_start', 'c.evidence_end')))} END")

_CLAIM = _object(("id", "c.id"), ("type", "c.type"), ("status", "c.status"), ("annotator", "c.annotator"), ("origin", "c.origin"),
                 ("confidence", "c.confidence"), ("based_on", "c.based_on"), ("note", "c.note"), ("evidence", _EVIDENCE),
                 ("slots", f"json(coalesce({_SLOTS}, '{{}}'))"))

_DONE_BY = ("json((SELECT json_group_array(annotator) FROM (SELECT annotator FROM document_progress p "
            "WHERE p.doc_id = d.id AND p.status = 'done' ORDER BY annotator)))")

# Each curator's active seconds on the document, as Label Studio exports an annotation's lead_time.
_LEAD_TIME = ("json(coalesce((SELECT json_group_object(annotator, seconds) FROM (SELECT annotator, round(seconds, 1) AS seconds "
              "FROM active_time a WHERE a.doc_id = d.id{only} ORDER BY annotator)), '{{}}'))")


def _header(annotator: str | None) -> str:
    return _object(("name", "d.name"), ("title", "d.title"), ("lang", "d.lang"), ("sha256", "d.sha256"), ("text", "d.text"),
                   ("meta", "json(d.meta)"), ("published", "d.published"), ("done_by", _DONE_BY),
                   ("lead_time", _LEAD_TIME.format(only=" AND a.annotator = ?" if annotator else "")))


def lines(store: Store, kb: KnowledgeBase, schema: ClaimSchema, statuses: tuple[str, ...] | None = None,
          types: tuple[str, ...] | None = None, annotator: str | None = None) -> Iterator[Line]:
    """Every document with a span or claim that passes the filter, as a JSONL line, in id order.
    Read DOCUMENTS_PER_QUERY documents per query; call inside Store.reading() for one consistent state."""
    _load_names(store, kb, schema)
    span_filter, span_params = row_filter(statuses, annotator, None, "s.")
    claim_filter, claim_params = row_filter(statuses, annotator, types, "c.")
    spans = _array(f'SELECT {_SPAN} AS item FROM spans s WHERE s.doc_id = d.id{span_filter} ORDER BY s.start, s."end", s.id')
    claims = _array(f"SELECT {_CLAIM} AS item FROM claims c WHERE c.doc_id = d.id{claim_filter} ORDER BY c.evidence_start, c.id")
    sql = f"SELECT d.name, d.sha256, {_header(annotator)}, {spans}, {claims} FROM documents d WHERE d.id BETWEEN ? AND ?"
    header_params = [annotator] if annotator else []
    last = store.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    for low in range(0, last + 1, DOCUMENTS_PER_QUERY):
        bounds = [low, low + DOCUMENTS_PER_QUERY - 1]
        for name, sha256, header, span_array, claim_array in store.db.execute(sql, header_params + span_params + claim_params + bounds):
            if span_array is None and claim_array is None:
                continue
            yield Line(name, sha256, f'{header[:-1]},"spans":{span_array or "[]"},"claims":{claim_array or "[]"}}}')


def _load_names(store: Store, kb: KnowledgeBase, schema: ClaimSchema) -> None:
    """The knowledge base's canonical names and the schema's list slots, as temporary tables on
    this connection for the export queries to look up."""
    db = store.db.conn
    try:
        db.execute("SELECT json_object('a', json('[]'))").fetchone()
    except sqlite3.OperationalError:
        raise EnvironmentProblem(f"exports need SQLite's JSON functions (SQLite 3.38 or newer); this Python has SQLite "
                                 f"{sqlite3.sqlite_version} without them") from None
    db.execute("CREATE TEMP TABLE IF NOT EXISTS export_names (kb_id TEXT PRIMARY KEY, canonical TEXT NOT NULL)")
    db.execute("CREATE TEMP TABLE IF NOT EXISTS export_lists (type TEXT NOT NULL, slot TEXT NOT NULL, PRIMARY KEY (type, slot))")
    db.execute("DELETE FROM temp.export_names")
    db.execute("DELETE FROM temp.export_lists")
    db.executemany("INSERT INTO temp.export_names VALUES (?, ?)", [(e.kb_id, e.name) for e in kb.entities.values()])
    db.executemany("INSERT INTO temp.export_lists VALUES (?, ?)",
                   [(t.name, s.name) for t in schema.claim_types.values() for s in t.slots.values() if s.multiple])
