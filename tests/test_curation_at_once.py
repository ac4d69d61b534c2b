"""Curating many things at once and keeping time, through the core (no Qt, no spaCy model): accept
all shown, label all occurrences in an article and in the workspace, selections into slots, the
article's date, active time and the progress figures, and values written as a curator writes them."""

import json

import pytest

from annotations.curation import Curation, whole_word_places
from annotations.errors import InvalidAction
from annotations.ingest import make_document
from annotations.progress import ActiveClock, curator_progress
from annotations.settings import load_settings
from annotations.store import Store
from annotations.wording import claim_words, duration_words, value_words

TEXT = ("Millet shipped 10.2 million phones in India in the second quarter of 2019, a market share of 28.7%.\n\n"
        "Analysts said Millet grew this year. MilletPhone is not Millet. Xiaomi India is a company.\n\n"
        "Millet was valued at about $75 billion.")
OTHER = "Millet opened a store in Jakarta. Millets are grains; Millet sells phones."


def suggestion(text, claim_type, confidence, slots, evidence=None):
    """A suggested claim with its values read from `text`, as pre-annotation stores them."""
    out = {}
    for name, (words, extra) in slots.items():
        start = text.index(words)
        out[name] = [{"start": start, "end": start + len(words), "text": words, **extra}]
    return {"type": claim_type, "origin": "rules", "confidence": confidence, "slots": out,
            "evidence": evidence or {"start": 0, "end": text.index("\n")}}


@pytest.fixture
def desk(tmp_path):
    """Two articles with the store's own suggestion writer: no model needed."""
    path = tmp_path / "w.db"
    store = Store(path)
    added, _ = store.add_documents([make_document(TEXT, "a", "a.txt", lang="en", meta={"published": "2019-08-26"}),
                                    make_document(OTHER, "b", "b.txt", lang="en")])
    a, b = (d["id"] for d in added)
    curation = Curation.open(load_settings(path), store, "ana")
    millet = {"label": "ORG", "kb_id": None}
    places = whole_word_places(TEXT, "Millet")  # four; the model missed the third
    spans = [{"start": s, "end": e, "label": "ORG", "kb_id": None, "origin": "model"} for s, e in places[:2] + places[3:]]
    spans.append({"start": TEXT.index("India"), "end": TEXT.index("India") + 5, "label": "GPE", "kb_id": "india", "origin": "kb"})
    share = {"value": {"kind": "percent", "value": 28.7, "qualifier": "exact"}}
    claims = [
        suggestion(TEXT, "market_share", 0.9, {"subject": ("Millet", millet), "share": ("28.7%", share)}),
        suggestion(TEXT, "shipments", 0.4, {"subject": ("Millet", millet),
                                             "units": ("10.2 million", {"value": {"kind": "count", "value": 10200000, "qualifier": "exact"}})}),
        suggestion(TEXT, "valuation", 0.8, {"subject": ("Millet", millet)}),  # no amount: a problem
    ]
    store.replace_suggestions(a, spans, claims, curation.schema.hash, "key", "test")
    yield curation, store, a, b
    store.close()


def own_claims(store, doc_id):
    return store.claims_of(doc_id, annotator="ana")


def test_accept_all_takes_the_shown_suggestions_in_one_undoable_step(desk):
    curation, store, a, _ = desk
    shown = [c["id"] for c in curation.claims(a)]
    change = curation.accept_all(a, shown)
    assert "accepted 2 claims; 1 left undecided" in change.summary
    assert sorted(c["type"] for c in own_claims(store, a)) == ["market_share", "shipments"]
    assert all(c["status"] == "accepted" for c in own_claims(store, a))
    assert curation.undo().action == "undo:accept all" and own_claims(store, a) == []
    with pytest.raises(InvalidAction, match="a problem to fix first"):
        curation.accept_all(a, [c["id"] for c in curation.claims(a) if c["type"] == "valuation"])


def test_label_all_gives_every_whole_word_occurrence_the_label_and_link_in_one_step(desk):
    curation, store, a, _ = desk
    first = next(s for s in curation.spans(a) if TEXT[s["start"]:s["end"]] == "Millet")
    linked = curation.link_span(first["id"], "xiaomi")
    mine = next(iter(linked.spans))
    # one occurrence the curator rejected stays rejected; one new place (no suggestion) gets a span
    last = [s for s in curation.spans(a) if TEXT[s["start"]:s["end"]] == "Millet"][-1]
    curation.reject_span(last["id"])
    change = curation.label_all(mine)
    spans = {(s["start"], s["end"]): s for s in store.spans_of(a, annotator="ana")}
    places = whole_word_places(TEXT, "Millet")
    assert [(spans[p]["label"], spans[p]["kb_id"], spans[p]["status"]) for p in places[:-1]] == [
        ("ORG", "xiaomi", "corrected"), ("ORG", "xiaomi", "corrected"), ("ORG", "xiaomi", "accepted")]
    assert spans[places[-1]]["status"] == "rejected"
    assert (TEXT.index("MilletPhone"), TEXT.index("MilletPhone") + 6) not in spans  # not a whole word
    assert change.action == "label all" and len(change.spans) == 2 and "in 2 more places" in change.summary
    assert curation.undo().action == "undo:label all"
    assert [p for p in places if p in {(s["start"], s["end"]) for s in store.spans_of(a, annotator="ana")}] == [places[0], places[-1]]
    curation.redo()
    with pytest.raises(InvalidAction, match="no other occurrence of “Millet” in this article needs the label ORG"):
        curation.label_all(mine)


def test_label_everywhere_counts_first_then_labels_every_article_in_one_undoable_step(desk):
    curation, store, a, b = desk
    india = next(s for s in curation.spans(a) if s["label"] == "GPE")
    millet = next(iter(curation.relabel_span(next(s["id"] for s in curation.spans(a) if TEXT[s["start"]:s["end"]] == "Millet"),
                                             "ORG").spans))
    found = curation.occurrences_everywhere(millet)
    assert (found.mention, found.count, sorted(found.plans)) == ("Millet", 5, [a, b])  # 3 more in a, 2 in b ("Millets" is not)
    assert store.spans_of(b) == []  # nothing stored by counting
    change = curation.label_everywhere(millet)
    assert change.documents == {a, b} and "in 5 places in 2 articles" in change.summary
    assert [OTHER[s["start"]:s["end"]] for s in store.spans_of(b, annotator="ana")] == ["Millet", "Millet"]
    undone = curation.undo()
    assert undone.documents == {a, b} and store.spans_of(b) == []
    assert india["kb_id"] == "india"


def test_a_selection_goes_into_the_slot_it_fits(desk):
    curation, store, a, _ = desk
    added = curation.add_claim(a, "market_share", {}, (0, TEXT.index("\n")))
    claim_id = next(iter(added.claims))
    at = lambda words: (TEXT.index(words), TEXT.index(words) + len(words))
    for words in ("India", "28.7%", "Millet", "the second quarter of 2019"):
        claim_id = next(iter(curation.use_selection(claim_id, *at(words)).claims))
    [claim] = own_claims(store, a)
    assert {name: values[0]["text"] for name, values in claim["slots"].items()} == {
        "market": "India", "share": "28.7%", "subject": "Millet", "period": "the second quarter of 2019"}
    assert claim["slots"]["market"][0]["kb_id"] == "india" and claim["slots"]["period"][0]["value"]["value"] == "2019-Q2"
    # named, the slot is the curator's choice; a selection in the middle of a word snaps to it
    curation.use_selection(claim_id, TEXT.index("Millet") + 2, TEXT.index("Millet") + 4, "source")
    assert own_claims(store, a)[0]["slots"]["source"][0]["text"] == "Millet"
    with pytest.raises(InvalidAction, match="fits no slot"):
        curation.use_selection(claim_id, *at("phones"))


def test_relative_periods_follow_the_articles_date_which_the_curator_may_change(desk):
    curation, store, a, b = desk
    doc = store.document(a)
    assert doc.published == "2019-08-26"
    assert curation.slot_value_from_text(doc, "market_share", "period", "this year")["value"]["value"] == "2019"
    change = curation.set_published(a, "3 January 2021")
    assert change.published and store.document(a).published == "2021-01-03"
    assert curation.slot_value_from_text(store.document(a), "market_share", "period", "this year")["value"]["value"] == "2021"
    with pytest.raises(InvalidAction, match="not a day"):
        curation.set_published(a, "July 2019")
    other = Curation.open(load_settings(store.path), store, "bo")
    other.set_published(a, "2021-01-04")  # another curator changed it since: ana's undo is refused, by name
    with pytest.raises(InvalidAction, match="the article's publication date was changed by"):
        curation.undo()
    other.undo()
    curation.undo()
    assert store.document(a).published == "2019-08-26"
    assert store.document(b).published is None
    with pytest.raises(InvalidAction, match="cannot be read as a period"):
        curation.slot_value_from_text(store.document(b), "market_share", "period", "this year")


def test_active_time_leaves_out_pauses_over_a_minute_and_is_stored_with_the_place():
    clock = ActiveClock()
    for at in (0, 10, 40, 100, 300, 305):  # 10 + 30 + 60, then 200 s away, then 5
        clock.activity(at)
    assert clock.take() == 105 and clock.take() == 0


def test_active_time_is_kept_per_curator_and_article_and_read_by_the_figures(desk, tmp_path):
    curation, store, a, b = desk
    curation.add_active_time(a, 95.5, "c1")
    curation.add_active_time(a, 30)
    curation.add_active_time(b, 200, "c2")
    assert store.active_seconds("ana", a) == 125.5 and store.active_seconds("ana") == 325.5
    assert curation.last_place() == (b, "c2")
    curation.accept_all(a, [c["id"] for c in curation.claims(a)])
    curation.mark_done(a)
    curation.undo()  # undoing done does not take time back
    curation.mark_done(a)
    ana = curator_progress(store)["ana"]
    assert (ana.articles_done, ana.articles_timed, ana.median_seconds_per_article, ana.claims_decided) == (1, 2, 125.5, 2)
    assert ana.claims_per_hour == pytest.approx(2 / (325.5 / 3600))
    assert list(ana.done_per_day.values()) == [1]


def test_lead_time_goes_out_in_the_export_and_its_card_and_comes_back_in(desk, tmp_path, capsys):
    from annotations.bundles import import_bundle
    from tests.conftest import run_cli

    curation, store, a, _ = desk
    curation.add_active_time(a, 61.25)
    assert run_cli("stats", "--db", store.path) == 0
    assert "ana: 0 articles done, active 1 min 1 s over 1 articles" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert run_cli("export", "--db", store.path, "--status", "all", "--out", out) == 0
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if json.loads(x)["name"] == "a"]
    assert line["lead_time"] == {"ana": 61.2} or line["lead_time"] == {"ana": 61.3}
    card = json.loads((tmp_path / "out.jsonl.card.json").read_text(encoding="utf-8"))
    assert card["active_time"]["ana"]["active_seconds"] == 61.2 or card["active_time"]["ana"]["active_seconds"] == 61.3
    assert "Active time of ana: 1 min 1 s over 1 articles" in (tmp_path / "out.jsonl.README.md").read_text(encoding="utf-8")
    with Store(tmp_path / "other.db") as other:
        for _ in range(2):  # twice: the time is kept, not added up
            import_bundle(other, out, curation.schema)
        assert other.active_seconds("ana") == line["lead_time"]["ana"]


def test_values_are_written_as_a_curator_writes_them():
    money = {"kind": "money", "value": 75_000_000_000.0, "currency": "USD", "qualifier": "approx"}
    assert value_words(money) == "about $75 bn"
    assert value_words({"kind": "percent", "value": 40.0, "qualifier": "more_than"}) == "more than 40%"
    assert value_words({"kind": "count", "value": 500_000_000, "qualifier": "more_than"}) == "more than 500 million"
    assert value_words({"kind": "money", "value": 3.2e9, "currency": "NOK", "qualifier": "exact"}) == "NOK 3.2 bn"
    assert value_words({"kind": "percent", "value": 2.0, "high": 3.0, "qualifier": "at_least"}) == "2–3%"
    assert value_words({"kind": "period", "value": "2019-Q2"}) == "Q2 2019"
    assert value_words({"kind": "period", "value": "2012-04/2013-03"}) == "April 2012–March 2013"
    assert value_words({"kind": "date", "value": "2019-06-30"}) == "30 June 2019"
    assert value_words({"kind": "period", "value": None, "qualifier": "unresolved"}) == "unresolved"
    assert value_words({"kind": "ordinal", "value": 2}) == "2nd" and value_words({"kind": "choice", "value": "lift_ban"}) == "lift ban"
    claim = {"slots": {"share": [{"text": "over 40%", "value": {"kind": "percent", "value": 40.0, "qualifier": "more_than"}}],
                       "subject": [{"text": "Millet", "label": "ORG", "kb_id": "xiaomi", "canonical": "Xiaomi"}]}}
    assert claim_words(claim, ["subject", "share"]) == "subject=Xiaomi · share=more than 40%"
    assert (duration_words(45), duration_words(200), duration_words(7500)) == ("45 s", "3 min 20 s", "2 h 5 min")
