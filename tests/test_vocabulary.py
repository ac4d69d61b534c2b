"""The domain's words are declared once (annotations/model.py) and what the rest of Claimdesk says
about statuses, origins, slot kinds and value labels follows from them."""

import ast
import json
import sqlite3
from pathlib import Path

import pytest

from annotations.bundles import record_problems, shape_problems
from annotations.claims import claim_problems
from annotations.entities import Dropped, non_overlapping
from annotations.exports import STATUSES
from annotations.model import (
    MODEL_ANNOTATOR,
    PRECEDENCE,
    VALUE_KINDS,
    VALUE_LABEL_KINDS,
    VALUE_LABELS,
    Origin,
    Status,
    accepted_kinds,
    label_fits_slot,
)
from annotations.nlp.values import VALUES_FILE, load_values
from annotations.schema import load_claim_schema
from annotations.settings import SCHEMA_DIR
from annotations.store import Store, now
from tests.conftest import ROOT

SCHEMA = load_claim_schema(SCHEMA_DIR / "claims.yaml")


def test_a_new_workspace_takes_exactly_the_declared_statuses_and_origins(store):
    [doc] = store.add_documents([{"name": "d", "title": "d", "text": "Xiaomi leads.", "sha256": "x", "lang": "en"}])[0]

    def span(status, origin):
        store.insert_span({"doc_id": doc["id"], "start": 0, "end": 6, "label": "ORG", "origin": origin, "status": status,
                           "annotator": "ana", "created_at": now(), "updated_at": now()})

    with store.write():
        for status in Status:
            for origin in Origin:
                span(status, origin)
    for status, origin in (("approved", Origin.CURATOR), (Status.GOLD, "llm-ish")):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"), store.write():
            span(status, origin)
    assert len(store.spans_of(doc["id"])) == len(Status) * len(Origin)


def test_the_export_filter_and_the_bundle_shape_know_the_same_words():
    assert tuple(s.value for s in Status) == STATUSES
    record = {"name": "d", "text": "Xiaomi leads.", "spans": [
        {"start": 0, "end": 6, "text": "Xiaomi", "label": "ORG", "status": status, "annotator": "ana", "origin": origin}
        for status in Status for origin in Origin]}
    assert shape_problems(json.loads(json.dumps(record)), "line 1") == []
    record["spans"][0]["status"] = "approved"
    assert "'approved' is not one of ['suggested', 'accepted', 'corrected', 'rejected', 'gold']" in shape_problems(record, "line 1")[0]


def test_overlapping_spans_keep_the_status_that_comes_first_in_the_precedence():
    spans = [{"start": 0, "end": 6, "label": label, "status": status} for label, status in zip("ABCD", reversed(PRECEDENCE))]
    dropped = Dropped()
    assert [s["status"] for s in non_overlapping(spans, dropped)] == [PRECEDENCE[0]]
    assert dropped.counts == {"overlapping another span": len(PRECEDENCE) - 1}
    assert non_overlapping([{"start": 0, "end": 6, "label": "ORG", "status": Status.REJECTED}]) == []


def test_every_status_has_a_mark_and_a_colour_in_the_claim_list():
    pytest.importorskip("PySide6")
    from gui.models import CLAIM_COLOR, CLAIM_MARK

    assert set(CLAIM_MARK) == set(CLAIM_COLOR) == set(Status)


# -- dates and periods: one rule ------------------------------------------------------------------------

def test_a_date_slot_takes_a_period_and_a_period_slot_a_date():
    assert accepted_kinds("date") == ("date", "period") and accepted_kinds("period") == ("period", "date")
    assert accepted_kinds("money") == ("money",)
    valuation = {"type": "valuation", "slots": {
        "subject": [{"text": "Xiaomi", "label": "ORG"}], "amount": [{"text": "$1bn", "value": {"kind": "money", "value": 1e9}}],
        "date": [{"text": "2019", "value": {"kind": "period", "value": "2019"}}]}}
    assert claim_problems(SCHEMA, valuation) == []
    valuation["slots"]["date"] = [{"text": "2019", "value": {"kind": "money", "value": 2019}}]
    assert claim_problems(SCHEMA, valuation) == ["date: '2019' is not a date"]


def test_typed_values_for_date_and_period_slots_follow_the_same_rule():
    values = load_values(VALUES_FILE).for_language("en")
    assert values.normalise("date", "Q2 2019") == {**values.normalise("period", "Q2 2019"), "kind": "date"}
    assert values.normalise("period", "3 May 2019")["value"] == "2019-05-03"
    assert values.normalise("percent", "Q2 2019") is None


# -- spaCy labels and value kinds: one map ----------------------------------------------------------------

def test_each_value_kind_has_the_label_rules_give_it_and_each_value_label_a_kind():
    assert set(VALUE_LABELS) == VALUE_KINDS
    for kind, label in VALUE_LABELS.items():
        assert kind in accepted_kinds(VALUE_LABEL_KINDS[label])
    assert set(VALUE_LABEL_KINDS.values()) <= VALUE_KINDS
    assert label_fits_slot("QUANTITY", "count") and label_fits_slot("DATE", "date") and label_fits_slot("DATE", "period")
    assert not label_fits_slot("ORG", "count") and not label_fits_slot("CARDINAL", "percent")


def test_the_slot_dialog_offers_the_spans_the_map_says_fit():
    pytest.importorskip("PySide6")
    from gui.dialogs import candidate_spans

    spans = [{"start": n * 10, "end": n * 10 + 5, "label": label, "status": Status.SUGGESTED}
             for n, label in enumerate(["QUANTITY", "CARDINAL", "DATE", "ORG", "PRODUCT"])]
    slots = SCHEMA.claim_types["shipments"].slots
    labels = lambda slot: [s["label"] for s in candidate_spans(slot, None, spans, near=0)]
    assert labels(slots["units"]) == ["QUANTITY", "CARDINAL"]
    assert labels(slots["period"]) == ["DATE"] and labels(SCHEMA.claim_types["valuation"].slots["date"]) == ["DATE"]
    assert labels(slots["subject"]) == ["ORG", "PRODUCT"]


# -- a single slot value becomes a list where a bundle comes in ------------------------------------------

def test_a_bundle_claims_single_values_become_lists_once_checked():
    record = {"name": "d", "text": "Xiaomi has 28.7%.", "claims": [{
        "type": "market_share", "status": "accepted", "annotator": "ana", "origin": "curator",
        "slots": {"subject": {"text": "Xiaomi", "start": 0, "end": 6, "label": "ORG"},
                  "share": [{"text": "28.7%", "start": 11, "end": 16, "value": {"kind": "percent", "value": 28.7}}]}}]}
    assert record_problems(record, SCHEMA, "line 1") == []
    assert {name: [v["text"] for v in values] for name, values in record["claims"][0]["slots"].items()} == {
        "subject": ["Xiaomi"], "share": ["28.7%"]}


# -- "model" is the pipeline's name in one place -------------------------------------------------------

def test_no_module_but_the_vocabulary_writes_the_pipelines_name():
    """The annotator "model" (and the origin of the same spelling) is written once, in model.py;
    `getattr(args, "model")` reads a command-line option and does not count."""
    found = []
    for path in sorted([*(ROOT / "annotations").rglob("*.py"), *(ROOT / "gui").rglob("*.py")]):
        if path.name == "model.py" and path.parent.name == "annotations":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        options = {id(call.args[1]) for call in ast.walk(tree) if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "getattr"
                   and len(call.args) > 1}
        found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and node.value == MODEL_ANNOTATOR and id(node) not in options]
    assert found == []


def test_nobody_can_curate_under_the_pipelines_name(tmp_path):
    from annotations.curation import Curation
    from annotations.errors import InvalidAction
    from annotations.settings import load_settings

    with Store(tmp_path / "w.db") as store, pytest.raises(InvalidAction):
        Curation.open(load_settings(store.path), store, f" {MODEL_ANNOTATOR} ")


def test_the_vocabulary_module_imports_nothing_of_claimdesk():
    tree = ast.parse(Path(ROOT / "annotations" / "model.py").read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in imported if m and m.startswith(("annotations", "gui"))]
