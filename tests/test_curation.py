"""A curator's decisions through the core (annotations.curation), on the seeds with hand-written
suggestions (tests/conftest.py, write_suggestions): no spaCy model is needed."""

import pytest

from annotations.claims import claim_signature
from annotations.curation import Curation, snap_to_tokens
from annotations.errors import InvalidAction
from annotations.nlp.preannotate import Preannotator
from annotations.settings import load_settings
from annotations.store import Store
from tests.conftest import DOC


@pytest.fixture
def desk(suggested_db):
    store = Store(suggested_db)
    yield Curation.open(load_settings(suggested_db), store, "ana"), store, store.document_id(DOC)
    store.close()


def market_share(curation, doc_id):
    return next(c for c in curation.claims(doc_id) if c["type"] == "market_share" and c["slots"]["share"][0]["value"]["value"] == 28.7)


def test_confirming_a_suggestion_stores_the_curators_own_row(desk):
    curation, store, doc_id = desk
    suggestion = market_share(curation, doc_id)
    change = curation.confirm_claim(suggestion["id"])
    [mine] = store.claims_of(doc_id, annotator="ana")
    assert change.claims == {mine["id"]}
    assert (mine["status"], mine["based_on"]) == ("accepted", suggestion["id"])
    assert claim_signature(mine) == claim_signature(suggestion)
    assert store.claims_of(doc_id, statuses=("suggested",), annotator="model")  # the suggestion is untouched
    shown = [c for c in curation.claims(doc_id) if c["type"] == "market_share" and c["slots"]["share"][0]["value"]["value"] == 28.7]
    assert [c["id"] for c in shown] == [mine["id"]]


def test_a_claim_missing_a_required_slot_cannot_be_confirmed(desk):
    curation, store, doc_id = desk
    claim_id = next(iter(curation.set_slot(market_share(curation, doc_id)["id"], "share", []).claims))
    claim = next(c for c in curation.claims(doc_id) if c["id"] == claim_id)
    assert claim["status"] == "corrected" and claim["problems"] == ["share is missing"]
    with pytest.raises(InvalidAction, match="share is missing"):
        curation.confirm_claim(claim_id)


def test_a_typed_value_is_normalised_and_a_wrong_one_refused(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    value = curation.slot_value_from_text(doc, "market_share", "share", "about 30%")
    assert value["value"]["value"] == 30.0 and value["value"]["qualifier"] == "approx"
    with pytest.raises(InvalidAction, match="cannot be read as a percent"):
        curation.slot_value_from_text(doc, "market_share", "share", "a lot")
    subject = curation.slot_value_from_text(doc, "market_share", "subject", "Millet", near=1200)
    assert subject["kb_id"] == "xiaomi" and doc.text[subject["start"]:subject["end"]] == "Millet"
    with pytest.raises(InvalidAction, match="is a GPE"):
        curation.slot_value_from_text(doc, "market_share", "subject", "India")


def test_an_added_claim_is_stored_even_when_incomplete_and_shows_why(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    xiaomi = curation.slot_value_from_text(doc, "valuation", "subject", "Xiaomi", near=0)
    change = curation.add_claim(doc_id, "valuation", {"subject": [xiaomi]})
    [added] = [c for c in curation.claims(doc_id) if c["id"] in change.claims]
    assert (added["origin"], added["status"], added["annotator"]) == ("curator", "accepted", "ana")
    assert added["problems"] == ["amount is missing"] and added["evidence"]["start"] <= xiaomi["start"]


def test_a_selection_is_snapped_to_whole_words():
    text = "Last month Millet shipped 10.2 million units."
    assert text[slice(*snap_to_tokens(text, 12, 16))] == "Millet"
    assert text[slice(*snap_to_tokens(text, 28, 29))] == "10.2"
    with pytest.raises(InvalidAction):
        snap_to_tokens(text, 4, 5)  # a space only


@pytest.mark.parametrize("selected, stored", [
    ("South Ameri", "South America"),  # machine translation glues sentences: "South America.Ranked first"
    ("merica.Ra", "America.Ranked"),  # across the glue on purpose: both words
    ("66%.T", "66%.The"), ("66", "66"), ("66%", "66%"), ("66%.", "66%"), ("020.", "2020"), ("2020.Last", "2020.Last"),
    (">Apple", "Apple"), ("Apple<", "Apple"), ("b>Apple", "b>Apple"),  # HTML in the text: "<b>Apple</b>"
    ("$10", "$10"), ("10", "10"), ("Samsung", "Samsung"), ("U.S", "U.S."), ("e-comm", "e-commerce"),
])
def test_a_selection_snaps_to_words_and_keeps_punctuation_out_unless_selected(selected, stored):
    text = ("It sold in South America.Ranked first with 66%.The share rose in 2020.Last month <b>Apple</b> paid $10 "
            "for Samsung’s U.S. e-commerce arm.")
    start = text.index(selected)
    assert text[slice(*snap_to_tokens(text, start, start + len(selected)))] == stored


def test_span_decisions_and_a_link_that_the_next_preannotation_uses(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    start = doc.text.index("old rush")
    added = curation.add_span(doc_id, start, start + 6, "PRODUCT")  # "old ru"
    [span] = [s for s in curation.spans(doc_id) if s["id"] in added.spans]
    assert (doc.text[span["start"]:span["end"]], span["label"], span["origin"]) == ("gold rush", "PRODUCT", "curator")
    india = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "Indian")
    relabelled = curation.relabel_span(india["id"], "NORP")
    [mine] = [s for s in curation.spans(doc_id) if s["id"] in relabelled.spans]
    assert (mine["label"], mine["status"], mine["annotator"]) == ("NORP", "corrected", "ana")
    bytes_span = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "bytebeats")
    curation.link_span(bytes_span["id"], "bytedance")
    assert Preannotator.from_settings(load_settings(store.path), store).kb.aliases()["bytebeats"] == "bytedance"


def test_undo_and_redo_walk_the_audit_log_exactly(desk):
    curation, store, doc_id = desk

    def state():
        return (store.db.execute("SELECT id, status, annotator, based_on FROM claims ORDER BY id").fetchall(),
                store.db.execute("SELECT id, label, status, annotator FROM spans ORDER BY id").fetchall(),
                store.db.execute("SELECT * FROM document_progress").fetchall())

    start = state()
    claims = curation.claims(doc_id)
    curation.confirm_claim(claims[0]["id"])
    after_confirm = state()
    curation.reject_claim(claims[1]["id"])
    curation.mark_done(doc_id)
    end = state()
    assert curation.undo().action == "undo:mark done"
    curation.undo()
    assert state() == after_confirm
    curation.undo()
    assert state() == start and curation.undo() is None
    curation.redo(), curation.redo(), curation.redo()
    assert state() == end and curation.redo() is None
    assert store.db.execute("SELECT count(*) FROM audit WHERE annotator = 'ana'").fetchone()[0] == 9


def test_done_accepts_the_entities_left_alone_and_counts_in_the_list(desk):
    curation, store, doc_id = desk
    suggested = len(store.spans_of(doc_id, annotator="model"))
    curation.mark_done(doc_id)
    assert len(store.spans_of(doc_id, statuses=("accepted",), annotator="ana")) == suggested
    [row] = store.list_documents("ana", [doc_id])
    assert row["status"] == "done" and row["open"] == len(store.claims_of(doc_id, statuses=("suggested",)))
    assert store.list_documents("bo", [doc_id])[0]["status"] == "new"


def test_model_is_not_a_curator_name(desk):
    _, store, _ = desk
    with pytest.raises(InvalidAction):
        Curation.open(load_settings(store.path), store, "model")


def test_a_decided_entity_suggestion_is_replaced_by_the_curators_span(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    first = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "Indian")
    curation.relabel_span(first["id"], "NORP")
    at_place = [s for s in curation.spans(doc_id) if (s["start"], s["end"]) == (first["start"], first["end"])]
    assert [(s["label"], s["annotator"]) for s in at_place] == [("NORP", "ana")]


def test_a_slot_taking_several_values_keeps_each_and_shows_a_typed_one_not_in_the_text(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    parties = curation.slot_values_from_text(doc, "partnership", "parties", "Xiaomi, TikTok, Acme Mobile", near=370)
    claim_id = next(iter(curation.add_claim(doc_id, "partnership", {"parties": parties}).claims))
    claim = next(c for c in curation.claims(doc_id) if c["id"] == claim_id)
    assert [(v["text"], v["kb_id"], v["start"] is not None) for v in claim["slots"]["parties"]] == [
        ("Xiaomi", "xiaomi", True), ("TikTok", "tiktok", True), ("Acme Mobile", None, False)]
    assert claim["notices"] == ["parties: “Acme Mobile” is not in the text"]

    bytebeats = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "bytebeats")
    value = curation.slot_value_from_span(doc, "partnership", "parties", bytebeats)
    curation.add_to_slot(claim_id, "parties", value)
    with pytest.raises(InvalidAction, match="already holds “bytebeats”; nothing was added"):
        curation.add_to_slot(claim_id, "parties", value)
    india = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "India")
    curation.add_to_slot(claim_id, "market", curation.slot_value_from_span(doc, "partnership", "market", india))
    curation.add_to_slot(claim_id, "market", curation.slot_value_from_span(doc, "partnership", "market", india))
    [stored] = store.claims_of(doc_id, annotator="ana")
    assert [v["text"] for v in stored["slots"]["parties"]] == ["Xiaomi", "TikTok", "Acme Mobile", "bytebeats"]
    assert [v["text"] for v in stored["slots"]["market"]] == ["India"]  # one value: replaced, not added


def test_labelling_the_words_of_a_suggestion_is_a_decision_on_it(desk):
    curation, store, doc_id = desk
    doc = store.document(doc_id)
    place = lambda span: [(s["label"], s["annotator"], s["status"], s["based_on"]) for s in curation.spans(doc_id)
                          if (s["start"], s["end"]) == (span["start"], span["end"])]
    zhang = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "Zhang Yiming")
    curation.add_span(doc_id, zhang["start"], zhang["end"] - 2, "ORG")  # "Zhang Yimi", snapped to the words
    assert place(zhang) == [("ORG", "ana", "corrected", zhang["id"])]
    curation.add_span(doc_id, zhang["start"], zhang["end"], "GPE")  # and again: my own span is relabelled
    assert place(zhang) == [("GPE", "ana", "corrected", zhang["id"])]
    manu = next(s for s in curation.spans(doc_id) if doc.text[s["start"]:s["end"]] == "Manu")
    curation.add_span(doc_id, manu["start"], manu["end"], "PERSON")  # the suggestion's own label: accepted
    assert place(manu) == [("PERSON", "ana", "accepted", manu["id"])]
    curation.mark_done(doc_id)
    mine = store.spans_of(doc_id, annotator="ana")
    assert [s["label"] for s in mine if s["start"] in (zhang["start"], manu["start"])] == ["GPE", "PERSON"]


def test_done_says_beforehand_what_it_will_store(desk):
    curation, store, doc_id = desk
    claims = curation.claims(doc_id)
    curation.confirm_claim(next(c for c in claims if not c["problems"])["id"])
    spans, undecided = curation.done_preview(doc_id)
    assert undecided == len(claims) - 1
    assert spans == len([s for s in curation.spans(doc_id) if s["annotator"] == "model"]) > 50
    change = curation.mark_done(doc_id)
    assert len(change.spans) == spans and curation.done_preview(doc_id) == (0, undecided)


def test_the_sentence_at_a_place_ends_at_a_full_stop_glued_to_the_next_sentence(desk):
    curation, store, doc_id = desk
    text = store.document(doc_id).text
    at = text.index("etc.Other")
    start, end = curation.sentence_at(doc_id, at)
    assert text[start:end] == "The performance of Xiaomi in India leads to OPPO, vivo, etc."
