"""The export lines SQLite builds (annotations/exports/jsonl.py) say exactly what the Python record builders
say (annotations/exports/__init__.py, which shape pre-annotations made outside a workspace), for stored work of
any shape; and an export describes one moment of a workspace that curators go on changing."""

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.curation import Curation
from annotations.errors import EnvironmentProblem
from annotations.exports import claim_record, document_records, export, jsonl, span_record
from annotations.ingest import make_document
from annotations.nlp.kb import KnowledgeBase
from annotations.schema import load_claim_schema, load_entity_file
from annotations.settings import SCHEMA_DIR, load_settings
from annotations.store import Store
from tests.conftest import DOC, DOC2

SCHEMA = load_claim_schema(SCHEMA_DIR / "claims.yaml")
KB = KnowledgeBase.build(load_entity_file(SCHEMA_DIR / "entities.yaml", SCHEMA.entity_labels))
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40).map(lambda t: f"Acme {t} 😀 \"q\" <b>")


def python_records(store: Store) -> list[dict]:
    """The reference: each stored document through span_record and claim_record."""
    records = []
    for doc_id in store.document_ids():
        doc, spans, claims = store.document(doc_id), store.spans_of(doc_id), store.claims_of(doc_id)
        if spans or claims:
            records.append({
                "name": doc.name, "title": doc.title, "lang": doc.lang, "sha256": doc.sha256, "text": doc.text, "meta": doc.meta,
                "published": doc.published, "done_by": store.finished_by(doc_id), "lead_time": store.lead_times(doc_id),
                "spans": [span_record(s, doc.text, KB) for s in spans],
                "claims": [claim_record(c, doc.text, KB, SCHEMA) for c in claims]})
    return records


@st.composite
def stored_work(draw):
    """A document's text with spans and claims at random places: shared starts, unknown and known
    knowledge-base ids, list slots holding one or several values, claims with and without evidence."""
    text = draw(TEXT)
    place = st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).map(sorted).filter(lambda p: p[0] < p[1])
    kb_id = st.sampled_from([None, "xiaomi", "not-in-the-kb"])

    def value(start_end, kind):
        start, end = start_end
        item = {"start": start, "end": end, "text": text[start:end]}
        if kind in ("entity", "both"):
            item.update(label=draw(st.sampled_from(["ORG", "GPE"])), kb_id=draw(kb_id))
        if kind in ("value", "both"):
            item["value"] = {"kind": "percent", "value": draw(st.floats(-1e6, 1e6, allow_nan=False)), "qualifier": "exact"}
        return item

    spans = [{"start": s, "end": e, "label": draw(st.sampled_from(["ORG", "GPE", "PERCENT"])), "kb_id": draw(kb_id), "origin": "model"}
             for s, e in draw(st.lists(place, max_size=6))]
    claims = []
    for claim_type in draw(st.lists(st.sampled_from(["partnership", "market_share", "not_a_type"]), max_size=3)):
        slots = {name: [value(p, draw(st.sampled_from(["entity", "value", "both", "place"]))) for p in draw(st.lists(place, min_size=1, max_size=3))]
                 for name in draw(st.lists(st.sampled_from(["parties", "subject", "share"]), unique=True, max_size=3))}
        claims.append({"type": claim_type, "origin": "rules", "slots": slots, "confidence": draw(st.sampled_from([None, 0.5, 0.95])),
                       "evidence": draw(st.one_of(st.none(), place.map(lambda p: {"start": p[0], "end": p[1]})))})
    return text, spans, claims


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(works=st.lists(stored_work(), min_size=1, max_size=3))
def test_the_lines_sqlite_builds_equal_the_python_records(works, tmp_path_factory):
    with Store(tmp_path_factory.mktemp("jsonl") / "w.db") as store:
        added, _ = store.add_documents(make_document(text, f"doc{n}", f"doc{n}.txt", lang="en") for n, (text, _, _) in enumerate(works))
        for document, (_, spans, claims) in zip(added, works):
            store.replace_suggestions(document["id"], spans, claims, None, "key", "test")
        assert list(document_records(store, KB, SCHEMA)) == python_records(store)


def test_an_export_shows_one_moment_while_curators_go_on(suggested_db, tmp_path, monkeypatch):
    """A curator confirms a claim on a later article while the export is half-way: the file and its
    card both show the workspace as it was when the export began."""
    monkeypatch.setattr(jsonl, "DOCUMENTS_PER_QUERY", 1)  # a query per article, as in a big workspace
    with Store(suggested_db) as store, Store(suggested_db) as curator_store:
        curation = Curation.open(load_settings(suggested_db), curator_store, "ana")
        later = curator_store.document_id(DOC2)
        claim = curation.claims(later)[0]
        before = python_records(store)
        confirmed = []

        def curate_once_started(_):
            if not confirmed:
                confirmed.append(curation.confirm_claim(claim["id"]))

        report = export(store, KB, SCHEMA, "jsonl", tmp_path / "all.jsonl", progress=curate_once_started)
        written = [json.loads(line) for line in Path(tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
        card = json.loads((tmp_path / "all.jsonl.card.json").read_text(encoding="utf-8"))
        assert store.document_id(DOC) < later and confirmed
        assert "ana" in {c["annotator"] for c in curation.claims(later)}
        assert written == before
        assert report["claims"] == sum(len(r["claims"]) for r in written) == sum(card["claims_by_status"].values())
        assert card["spans_by_status"] == {"suggested": sum(len(r["spans"]) for r in written)}
        assert "ana" not in card["annotators"]


def test_a_sqlite_without_json_functions_is_named_not_a_traceback(suggested_db, monkeypatch):
    class WithoutJson:  # what an SQLite older than 3.38, built without JSON1, answers
        def __init__(self, conn):
            self.conn = conn

        def execute(self, sql, *args):
            if "json_object" in sql:
                raise sqlite3.OperationalError("no such function: json_object")
            return self.conn.execute(sql, *args)

    with Store(suggested_db) as store:
        monkeypatch.setattr(store.db, "conn", WithoutJson(store.db.conn))
        with pytest.raises(EnvironmentProblem, match="exports need SQLite's JSON functions"):
            list(jsonl.lines(store, KB, SCHEMA))
        monkeypatch.undo()
