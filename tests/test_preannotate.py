"""Pre-annotation on the seeds with the real English model (loaded once for the module)."""

import json
import textwrap

import pytest

from annotations.errors import SchemaError
from annotations.ingest import import_paths
from annotations.nlp.preannotate import Preannotator, consistent_names, preannotate
from annotations.settings import Settings, load_settings
from annotations.store import Store
from tests.conftest import ROOT, SEEDS, run_cli

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("pre") / "seeds.db"
    with Store(path) as store:
        import_paths(store, [SEEDS])
        annotator = Preannotator.from_settings(load_settings(path), store)
        report = preannotate(store, annotator)
    return path, annotator, report


def claims(store, name, ctype):
    doc_id = store.document_id(name)
    return [c for c in store.claims_of(doc_id) if c["type"] == ctype]


def test_millet_and_xiaomi_are_orgs_linked_to_xiaomi(seeded):
    path, _, _ = seeded
    with Store(path) as store:
        doc = store.document(store.document_id("000_0757fb7f7850cbb7"))
        spans = {(doc.text[s["start"]:s["end"]], s["label"], s["kb_id"]) for s in store.spans_of(doc.id)}
    assert ("Millet", "ORG", "xiaomi") in spans and ("millet", "ORG", "xiaomi") in spans and ("Xiaomi", "ORG", "xiaomi") in spans


def test_strategy_analytics_market_share(seeded):
    path, _, _ = seeded
    with Store(path) as store:
        found = [c for c in claims(store, "000_0757fb7f7850cbb7", "market_share") if c["slots"]["share"][0]["value"]["value"] == 28.7]
    assert len(found) == 1
    slots = found[0]["slots"]
    assert slots["subject"][0]["kb_id"] == "xiaomi" and slots["market"][0]["kb_id"] == "india"
    assert slots["period"][0]["value"]["value"] == "2019-Q2" and slots["source"][0]["kb_id"] == "strategy_analytics"
    assert found[0]["status"] == "suggested" and found[0]["annotator"] == "model"


def test_rupees_and_monthly_active_users(seeded):
    path, _, _ = seeded
    with Store(path) as store:
        money = [s["amount"][0]["value"] for c in claims(store, "003_03e3dd475b7972c6", "financial_result") for s in [c["slots"]]]
        users = [c["slots"] for c in claims(store, "000_0757fb7f7850cbb7", "user_metric")]
    # "$30 million (Rs 22.37 crore)" is one amount with its conversion, not two facts
    assert {"kind": "money", "value": 30000000.0, "currency": "USD", "qualifier": "exact", "text": "$30 million (Rs 22.37 crore)",
            "converted": {"value": 223700000.0, "currency": "INR"}} in money
    assert {"kind": "money", "value": 223700000.0, "currency": "INR", "qualifier": "more_than", "text": "over Rs 22.37 crore"} in money
    mau = [s for s in users if s["count"][0]["value"]["value"] == 500000000]
    assert mau and mau[0]["count"][0]["value"]["qualifier"] == "more_than" and mau[0]["metric"][0]["value"]["value"] == "monthly_active_users"


def test_evidence_and_slot_offsets_point_at_their_text(seeded):
    path, _, _ = seeded
    with Store(path) as store:
        for doc_id in store.document_ids():
            text = store.document(doc_id).text
            for claim in store.claims_of(doc_id):
                ev = claim["evidence"]
                for values in claim["slots"].values():
                    for v in values:
                        assert text[v["start"]:v["end"]] == v["text"]
                        assert ev["start"] <= v["start"] and v["end"] <= ev["end"]


def test_dutch_runs_without_the_english_model(seeded):
    path, annotator, report = seeded
    assert annotator.pipelines["nl"].model is None and "ner" not in annotator.pipelines["nl"].nlp.pipe_names
    assert any("'nl'" in n for n in report["notices"])
    with Store(path) as store:
        doc_id = store.document_id("004_295428edb6b84db4")
        labels = {s["label"] for s in store.spans_of(doc_id)}
        origins = {s["origin"] for s in store.spans_of(doc_id)}
        share = [c for c in store.claims_of(doc_id) if c["type"] == "market_share"]
    assert origins <= {"kb", "rules"} and "ORG" in labels
    assert share and share[0]["slots"]["share"][0]["value"]["qualifier"] == "less_than"


def test_quality_bar_on_the_seed_gold(seeded, capsys):
    path, _, _ = seeded
    assert run_cli("evaluate", "--db", path, "--gold", ROOT / "tests/data/seed_gold.jsonl", "--json") == 0
    overall = json.loads(capsys.readouterr().out)["claims"]["overall"]
    assert overall["recall"] >= 0.7 and overall["precision"] >= 0.5


def test_quality_bar_on_articles_the_team_wrote_for_the_tests(tmp_path, capsys):
    """Four business-news articles in ordinary English written by the team, gold written before the
    pipeline ran on them: the product's bar (0.65 recall and precision, 0.5 strict recall) holds."""
    path = tmp_path / "heldout.db"
    assert run_cli("import", ROOT / "tests/data/heldout", "--db", path) == 0
    assert run_cli("preannotate", "--db", path) == 0
    capsys.readouterr()
    assert run_cli("evaluate", "--db", path, "--gold", ROOT / "tests/data/heldout_gold.jsonl", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    lenient, strict = figures["claims"]["overall"], figures["strict"]["overall"]
    assert lenient["recall"] >= 0.65 and lenient["precision"] >= 0.65 and strict["recall"] >= 0.5


def test_quality_on_real_news_nobody_here_wrote_does_not_fall_back(capsys):
    """The test part of the real-news corpus (tests/data/realnews/test: 12 articles, 133 facts whose gold
    was written blind; never tuned on). The product's bar is 0.65 / 0.65 / 0.5 strict recall and is not
    met yet (README, "How good the suggestions are"); this holds the figures reached so that a change
    that makes them worse fails."""
    assert run_cli("evaluate", "--corpus", ROOT / "tests/data/realnews/test", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    lenient, strict = figures["claims"]["overall"], figures["strict"]["overall"]
    assert lenient["recall"] >= 0.53 and lenient["precision"] >= 0.59 and strict["recall"] >= 0.40
    # confidence means something: suggestions at 0.7 or more are right more often than those under 0.6
    bands = figures["reliability"]
    high = [b for b in bands if b["from"] >= 0.7]
    low = [b for b in bands if b["to"] <= 0.6]
    share = lambda part: sum(b["right"] for b in part) / sum(b["suggestions"] for b in part)
    assert share(high) > share(low)


def test_a_name_keeps_one_label_throughout_an_article(tmp_path):
    """The model tags "Mistral AI" ORG, then GPE, then misses it: a curator sees one ORG everywhere."""
    path = tmp_path / "w.db"
    with Store(path) as store:
        import_paths(store, [ROOT / "tests/data/heldout/h3_funding.txt"])
        preannotate(store, Preannotator.from_settings(load_settings(path), store))
        doc = store.document(store.document_ids()[0])
        spans = [s for s in store.spans_of(doc.id) if doc.text[s["start"]:s["end"]] == "Mistral AI"]
    assert len(spans) == doc.text.count("Mistral AI")
    assert {(s["label"], s["kb_id"]) for s in spans} == {("ORG", "mistral_ai")}


def test_names_the_model_tagged_differently_or_missed_get_its_most_frequent_label():
    text = "Acme Robotics grew. Acme Robotics hired. Investors like Acme Robotics and Acmes."
    first, second = text.index("Acme"), text.index("Acme", 5)
    spans = [{"start": first, "end": first + 13, "label": "ORG", "kb_id": None, "origin": "model"},
             {"start": second, "end": second + 13, "label": "GPE", "kb_id": None, "origin": "model"}]
    result = consistent_names(text, spans)
    assert [(text[s["start"]:s["end"]], s["label"], s["origin"]) for s in result] == [
        ("Acme Robotics", "ORG", "model"), ("Acme Robotics", "ORG", "model"), ("Acme Robotics", "ORG", "rules")]


def test_rerun_is_idempotent_and_keeps_curator_decisions(tmp_path):
    path = tmp_path / "w.db"
    with Store(path) as store:
        import_paths(store, [SEEDS / "002_9324ed07dc731aed.txt"])
        annotator = Preannotator.from_settings(load_settings(path), store)
        preannotate(store, annotator)
        before = store.stats()
        doc_id = store.document_ids()[0]
        suggestion = store.claims_of(doc_id)[0]
        # a curator accepts it: their own row, pointing at the suggestion
        with store.write():
            store.insert_claims([{**suggestion, "id": None, "doc_id": doc_id, "status": "accepted", "annotator": "ana",
                                   "origin": suggestion["origin"], "based_on": suggestion["id"]}], "2024-01-01")
        assert preannotate(store, annotator)["documents"] == 0
        preannotate(store, annotator, force=True)
        after = store.stats()
        assert after["claims_by_status"] == {**before["claims_by_status"], "accepted": 1}
        assert store.db.execute("SELECT count(*) FROM claims WHERE id = ?", [suggestion["id"]]).fetchone()[0] == 1


def claims_under_added_type(tmp_path, extra_yaml: str, claim_type: str, text: str) -> list[dict]:
    """The claims of one type suggested in an English article under the shipped schema plus a type."""
    schema = tmp_path / "claims.yaml"
    schema.write_text((ROOT / "schemas/claims.yaml").read_text() + textwrap.indent(extra_yaml, "  "))
    article = tmp_path / "article.txt"
    article.write_text(text)
    db = tmp_path / "w.db"
    with Store(db) as store:
        import_paths(store, [article], lang="en")
        preannotate(store, Preannotator.from_settings(Settings(db_path=db, claims_schema=schema), store))
        return [c for c in store.claims_of(store.document_ids()[0]) if c["type"] == claim_type]


def test_a_claim_type_added_to_the_yaml_gets_suggestions(tmp_path):
    extra = textwrap.dedent("""
      store_opening:
        description: A company opens stores.
        triggers: {en: ["stores", "opened"], nl: ["winkels"]}
        slots:
          company: {kind: entity, labels: [ORG], required: true}
          stores: {kind: count, required: true}
          market: {kind: entity, labels: [GPE, LOC]}
          reporter: {kind: entity, labels: [ORG], reports: true}
    """)
    found = claims_under_added_type(tmp_path, extra, "store_opening", "Apple opened 1,200 new stores in India last year, according to IDC.")
    assert len(found) == 1
    assert found[0]["slots"]["company"][0]["kb_id"] == "apple"
    assert found[0]["slots"]["stores"][0]["value"]["value"] == 1200
    assert found[0]["slots"]["market"][0]["kb_id"] == "india"
    assert found[0]["slots"]["reporter"][0]["text"] == "IDC"  # whoever reports it, under the slot's own name


def test_a_broken_schema_stops_before_anything_runs(tmp_path, capsys):
    schema = tmp_path / "claims.yaml"
    schema.write_text((ROOT / "schemas/claims.yaml").read_text().replace("kind: percent", "kind: percnt", 1))
    with pytest.raises(SchemaError, match="unknown kind 'percnt'"):
        Preannotator.from_settings(Settings(claims_schema=schema))


def test_export_jsonl_follows_the_contract(seeded, tmp_path, capsys):
    path, _, _ = seeded
    out = tmp_path / "out.jsonl"
    assert run_cli("export", "--db", path, "--format", "jsonl", "--out", out, "--status", "suggested") == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 5
    for record in records:
        assert set(record) >= {"name", "title", "lang", "sha256", "text", "meta", "spans", "claims"}
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
        for claim in record["claims"]:
            assert record["text"][claim["evidence"]["start"]:claim["evidence"]["end"]] == claim["evidence"]["text"]
            if claim["type"] == "partnership":
                assert isinstance(claim["slots"]["parties"], list)
    millet = next(s for r in records for s in r["spans"] if s["text"] == "Millet")
    assert millet["canonical"] == "Xiaomi" and millet["status"] == "suggested" and millet["annotator"] == "model"
    assert run_cli("export", "--db", path, "--out", tmp_path / "gold.jsonl") == 0  # default: gold, of which there is none yet
    assert (tmp_path / "gold.jsonl").read_text() == ""


def test_an_article_longer_than_spacy_takes_is_preannotated_in_pieces_with_its_offsets(tmp_path):
    """spaCy stops at 1,000,000 characters; the workspace takes 5,000,000. A 1.2 M-character article gets
    its spans and claims, at the right offsets, even past the first million."""
    paragraph = ("Xiaomi verkocht in het tweede kwartaal van 2019 ruim 10 miljoen toestellen in India, "
                 "volgens onderzoeksbureau Canalys. " * 3).strip()
    text = "\n\n".join([paragraph] * 4300)
    assert len(text) > 1_200_000
    article = tmp_path / "lang.txt"
    article.write_text(text, encoding="utf-8")
    db = tmp_path / "w.db"
    with Store(db) as store:
        import_paths(store, [article], lang="nl")
        report = preannotate(store, Preannotator.from_settings(load_settings(db), store))
        doc_id = store.document_ids()[0]
        spans = store.spans_of(doc_id)
        claims = store.claims_of(doc_id)
    assert report["documents"] == 1 and not report["failed"]
    late = [s for s in spans if s["start"] > 1_100_000]
    assert {text[s["start"]:s["end"]] for s in late if s["kb_id"]} == {"Xiaomi", "India", "Canalys"}
    assert all(text[s["start"]:s["end"]] == "Xiaomi" for s in late if s["kb_id"] == "xiaomi")
    assert any(c["type"] == "shipments" for c in claims)


def test_one_article_that_fails_is_named_and_the_others_are_preannotated(tmp_path, monkeypatch, capsys):
    for name, words in (("a_first", "Xiaomi sold 10 million phones in India."), ("b_broken", "Apple sold 5 million phones."),
                        ("c_last", "Samsung sold 8 million phones in India.")):
        (tmp_path / f"{name}.txt").write_text(words, encoding="utf-8")
    db = tmp_path / "w.db"
    assert run_cli("import", tmp_path, "--db", db, "--lang", "en") == 0
    original = Preannotator.annotate

    def breaks_on_apple(self, doc, lang, published):
        if doc.text.startswith("Apple"):
            raise RuntimeError("a bug")
        return original(self, doc, lang, published)

    monkeypatch.setattr(Preannotator, "annotate", breaks_on_apple)
    capsys.readouterr()
    assert run_cli("preannotate", "--db", db) == 1
    err = capsys.readouterr().err
    assert "b_broken: not pre-annotated (RuntimeError: a bug)" in err
    with Store(db) as store:
        annotated = {store.document_name(doc_id) for doc_id in store.preannotation_keys()}
    assert annotated == {"a_first", "c_last"}


def test_rerunning_after_curators_worked_changes_nothing_they_decided_nor_finished_articles(seeded_db):
    from annotations.curation import Curation
    from tests.conftest import DOC, DOC2

    def content(claim):  # what a claim says, whether or not its names are linked yet
        return (claim["type"], tuple(sorted((slot, tuple((v["start"], v["end"], json.dumps(v.get("value"), sort_keys=True))
                                                         for v in values)) for slot, values in claim["slots"].items())))

    def rows(doc_id, who):
        return (store.db.execute("SELECT * FROM spans WHERE doc_id = ? AND annotator LIKE ? ORDER BY id", [doc_id, who]).fetchall(),
                store.db.execute("SELECT c.*, s.* FROM claims c JOIN claim_slots s ON s.claim_id = c.id "
                                 "WHERE c.doc_id = ? AND c.annotator LIKE ? ORDER BY c.id, s.id", [doc_id, who]).fetchall())

    settings = load_settings(seeded_db)
    with Store(seeded_db) as store:
        ana = Curation.open(settings, store, "ana")
        doc_id, finished_id = store.document_id(DOC), store.document_id(DOC2)
        doc = store.document(doc_id)
        for claim in ana.claims(doc_id):
            if claim["type"] == "market_share" and not claim["problems"]:
                ana.set_slot(claim["id"], "period", [ana.slot_value_from_text(doc, "market_share", "period", "Q3 2019")])
            elif claim["problems"]:
                ana.reject_claim(claim["id"])
            else:
                ana.confirm_claim(claim["id"])
        manu = next(s for s in ana.spans(doc_id) if doc.text[s["start"]:s["end"]] == "Manu")
        ana.link_span(manu["id"], "manu_kumar_jain")  # the knowledge base changes: the next run redoes every article
        ana.mark_done(finished_id)
        decided = {content(c) for c in ana.claims(doc_id)} | {
            content(store.claims_of(doc_id)[[c["id"] for c in store.claims_of(doc_id)].index(c["based_on"])])
            for c in ana.claims(doc_id) if c["based_on"]}
        mine, finished, suggested = rows(doc_id, "ana"), rows(finished_id, "%"), rows(finished_id, "model")

        for _ in range(2):
            report = preannotate(store, Preannotator.from_settings(settings, store))
            reopened = [c for c in ana.claims(doc_id) if c["status"] == "suggested"]
            assert not [c for c in reopened if content(c) in decided]
            my_places = {(s["start"], s["end"]) for s in ana.spans(doc_id) if s["annotator"] == "ana"}
            assert not [s for s in ana.spans(doc_id) if s["annotator"] == "model" and (s["start"], s["end"]) in my_places]
            assert rows(doc_id, "ana") == mine and rows(finished_id, "%") == finished
        assert report["finished"] == 1

        report = preannotate(store, Preannotator.from_settings(settings, store), include_done=True)
        assert report["documents"] == 1 and rows(finished_id, "model") != suggested  # asked: the finished article is redone


def preannotated_article(tmp_path, text: str):
    """One English article pre-annotated in a workspace of its own: its document, claims and spans."""
    article = tmp_path / "article.txt"
    article.write_text(text)
    db = tmp_path / "w.db"
    with Store(db) as store:
        import_paths(store, [article], lang="en")
        preannotate(store, Preannotator.from_settings(load_settings(db), store))
        doc = store.document(store.document_ids()[0])
        return doc, store.claims_of(doc.id), store.spans_of(doc.id)


def test_roles_take_the_person_beside_the_title_and_the_employer_the_sentence_names(tmp_path):
    """Quotes from analysts and executives as wire stories write them: the organisation is the one
    the title belongs to, even one the model missed or took for a person, not the article's company."""
    doc, claims, spans = preannotated_article(tmp_path,
        "Netflix results beat forecasts\n\n"
        "\"It could be challenging to justify such multiples,\" Ken Perkins, an analyst with Morningstar said. "
        "\"They did surprisingly well,\" Lazard Capital Markets analyst Barton Crockett said. "
        "The season was strong, CEO Reed Hastings and CFO David Wells said in a letter to investors. "
        "\"Today represents a milestone in the history of Geely,\" Geely chairman Li Shufu told a news conference.")
    roles = {(c["slots"]["person"][0]["text"], c["slots"]["title"][0]["text"], c["slots"]["organization"][0]["text"])
             for c in claims if c["type"] == "role"}
    people = {doc.text[s["start"]:s["end"]] for s in spans if s["label"] == "PERSON"}
    assert {("Ken Perkins", "analyst", "Morningstar"), ("Barton Crockett", "analyst", "Lazard Capital Markets"),
            ("Reed Hastings", "CEO", "Netflix"), ("David Wells", "CFO", "Netflix"), ("Li Shufu", "chairman", "Geely")} <= roles
    assert "David Wells" in people and "Morningstar" not in people


def test_a_change_over_a_year_is_year_on_year_and_a_quarter_without_its_year_is_the_articles(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Alibaba results\n\nHONG KONG, March 19, 2008 - Alibaba said revenue grew "
                                       "59 percent to 2.16 billion yuan in 2007. Netflix reported $8 million in net income for the fourth quarter.")
    growth = next(c for c in found if c["type"] == "growth")
    assert growth["slots"]["basis"][0]["value"]["value"] == "yoy"
    assert growth["slots"]["period"][0]["value"]["value"] == "2007"
    income = next(c for c in found if c["type"] == "financial_result" and c["slots"]["subject"][0]["text"] == "Netflix")
    assert income["slots"]["period"][0]["value"]["value"] == "2007-Q4"


def test_a_capitalised_word_said_once_is_not_a_company(tmp_path):
    """The model tags "Combined" ORG; it must not become the company the figures are said of."""
    doc, claims, spans = preannotated_article(tmp_path, "Manchester United files for IPO\n\n"
        "The Glazers will keep 89.8 percent of the Combined class A and B shares. "
        "Revenue for the fiscal year 2012 is expected to be 315 million pounds, the company said.")
    assert "Combined" not in {doc.text[s["start"]:s["end"]] for s in spans}
    assert "Combined" not in {v["text"] for c in claims for vs in c["slots"].values() for v in vs}


def test_a_name_ending_like_a_company_is_one_whatever_the_model_says(tmp_path):
    """The model tags "Manchester United" PERSON; a club's revenue must still be the club's."""
    doc, claims, spans = preannotated_article(tmp_path, "Manchester United files for IPO\n\n"
        "Manchester United has been struggling with a hefty debt burden. "
        "Manchester United said revenue fell 3 percent in 2012.")
    assert {s["label"] for s in spans if doc.text[s["start"]:s["end"]] == "Manchester United"} == {"ORG"}
    growth = next(c for c in claims if c["type"] == "growth")
    assert growth["slots"]["subject"][0]["text"] == "Manchester United"


def test_a_figure_without_its_period_takes_the_period_the_article_is_about(tmp_path):
    """A year said once in passing ("the 2016 iPhone") is not what the next figures are of."""
    _, found, _ = preannotated_article(tmp_path, "TSMC profit rises in the fourth quarter of 2014\n\n"
        "TSMC announced record profits in the fourth quarter of 2014. Analysts expect orders for the 2016 iPhone. "
        "TSMC said revenue rose 53 percent from a year earlier.")
    growth = next(c for c in found if c["type"] == "growth")
    assert growth["slots"]["period"][0]["value"]["value"] == "2014-Q4"


def test_set_phrasings_say_who_owns_whom(tmp_path):
    """Word order says the owner here; the nearest name to "controlled" is the company owned."""
    _, found, _ = preannotated_article(tmp_path, "Maruti launches new Alto\n\n"
        "Maruti, controlled by Japan's Suzuki Motor, has had over 10,000 pre-orders for the Alto. "
        "Facebook-owned photo sharing service Instagram revealed its numbers. "
        "Invesco is a minor shareholder in Swiggy, owning barely 2% of the company.")
    owned = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]) for c in found if c["type"] == "investment"}
    assert owned == {("Suzuki Motor", "Maruti"), ("Facebook", "Instagram"), ("Invesco", "Swiggy")}
    # the knowledge base knows Facebook the product; as an investor it takes a label the slot accepts,
    # so that the claim can be accepted as it is
    assert {v["label"] for c in found if c["type"] == "investment" for v in c["slots"]["investor"]} <= {"ORG", "PERSON"}


def test_a_phrasing_added_to_the_yaml_gets_suggestions(tmp_path):
    extra = textwrap.dedent("""
      supply:
        description: One company supplies another.
        phrasings: {en: ["{supplier}, (?:a|the) ...supplier (?:to|of) {customer}"]}
        slots:
          supplier: {kind: entity, labels: [ORG], required: true}
          customer: {kind: entity, labels: [ORG], required: true}
    """)
    found = claims_under_added_type(tmp_path, extra, "supply", "Foxconn, the main assembler and supplier to Apple, hired more workers in May.")
    assert [(c["slots"]["supplier"][0]["text"], c["slots"]["customer"][0]["text"]) for c in found] == [("Foxconn", "Apple")]


def test_a_name_never_runs_over_a_line_break(tmp_path):
    """The model tags "Alto\\n\\nMaruti" (the headline's last word and the paragraph's first) as one ORG."""
    doc, _, spans = preannotated_article(tmp_path, "Maruti launches new Alto\n\nMaruti, controlled by Japan's Suzuki Motor, has orders.")
    names = [doc.text[s["start"]:s["end"]] for s in spans]
    assert not [n for n in names if "\n" in n]
    assert names.count("Maruti") == 2


def test_titles_said_together_are_one_role(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "China Telecom results\n\n"
        "Ke Ruiwen, chairman and CEO of China Telecom, said the group was happy. "
        "Scott Price, president and chief executive officer for Wal-Mart Asia, said in the statement.")
    roles = sorted((c["slots"]["person"][0]["text"], c["slots"]["title"][0]["text"]) for c in found if c["type"] == "role")
    assert roles == [("Ke Ruiwen", "chairman and CEO"), ("Scott Price", "president and chief executive officer")]


def test_shares_said_one_after_another_are_each_a_market_share_and_a_stake_is_not_one(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Smartphones in India\n\n"
        "Samsung's market share rose to 22.3% in the third quarter, while Xiaomi held a 18% share and Vivo had 15% "
        "of the market, according to IDC. Tencent has a 40% share in Epic Games.")
    said = sorted((c["type"], c["slots"].get("subject", c["slots"].get("investor"))[0]["text"],
                   c["slots"].get("share", c["slots"].get("stake"))[0]["value"]["value"]) for c in found)
    assert said == [("investment", "Tencent", 40.0), ("market_share", "Samsung", 22.3), ("market_share", "Vivo", 15.0),
                    ("market_share", "Xiaomi", 18.0)]


def test_moves_of_shares_and_stock_indices_are_not_company_facts(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Home Depot results\n\n"
        "Home Depot said revenue rose 3.5 percent. Home Depot shares are up 39 percent year-to-date while the S&P 500 is "
        "up 24.5 percent. Its stock had fallen by more than 44 percent, lagging a 24 percent fall in the benchmark Hang Seng Index. "
        "The results sent its shares 34 percent higher. Zomato's shares more than doubled in 2023 and are up 6.3% so far this year.")
    changes = sorted(c["slots"]["change"][0]["value"]["value"] for c in found if c["type"] == "growth")
    assert changes == [3.5]


def test_the_level_a_change_reached_is_of_the_period_at_hand_not_of_the_comparison(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "TSMC says quarterly profit $8.8 billion\n\n"
        "TAIPEI, October 13, 2022 (AP) - TSMC said Thursday that its quarterly profit rose 79.7% over a year earlier to $8.8 billion.")
    profit = next(c for c in found if c["type"] == "financial_result")
    assert profit["slots"]["period"][0]["value"]["value"] == "2022-Q3"


def test_phrasings_find_stakes_fines_and_partners_said_in_passing(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Netflix shares soar after surprise profit\n\n"
        "Netflix Inc added nearly 4 million customers. The company also attracted interest from activist investor "
        "Carl Icahn, who bought nearly 10 percent of the company. JPMorgan paid $1.1 billion to settle charges by U.S. "
        "regulators. Netflix has started cooperating with Walt Disney Co on films.")
    facts = {(c["type"], *(v[0]["text"] for k, v in sorted(c["slots"].items()) if k in ("investor", "target", "parties")))
             for c in found if c["type"] in ("investment", "regulatory_action", "partnership")}
    assert ("investment", "Carl Icahn", "Netflix") in facts  # "the company": the one the article is about
    assert ("regulatory_action", "JPMorgan") in facts
    assert any(f[0] == "partnership" for f in facts)


def test_a_wire_story_company_its_analysts_and_the_names_in_passing(tmp_path):
    """Reuters names the company once with its legal form; the knowledge base knows "Facebook" the product."""
    _, found, spans = preannotated_article(tmp_path, "Facebook shares soar as users, mobile ads climb\n\n"
        "SAN FRANCISCO (Reuters) - Facebook Inc delivered strong evidence it can thrive on smartphones. "
        "The world's No. 1 social network, which is battling upstarts like WhatsApp, grew mobile advertising revenue 76 percent "
        "to $656 million from the previous quarter. Facebook, like rivals Google Inc and Yahoo Inc, credited new formats. "
        "CEO Mark Zuckerberg told analysts on a conference call that ads work. "
        "Sterne Agee analyst Arvind Bhatia said the results were strong.")
    growth = next(c for c in found if c["type"] == "growth")
    assert growth["slots"]["subject"][0]["text"].startswith("Facebook")
    roles = {(c["slots"]["person"][0]["text"], c["slots"]["title"][0]["text"], c["slots"]["organization"][0]["text"])
             for c in found if c["type"] == "role"}
    assert ("Arvind Bhatia", "analyst", "Sterne Agee") in roles
    assert not [r for r in roles if r[1] == "analysts"]


def test_money_spent_on_a_stake_is_the_investment_and_no_result(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Intel buys into ASML\n\n"
        "SAN FRANCISCO (Reuters) - Intel Corp will spend more than $4 billion to buy a stake in ASML and bankroll its research.")
    assert "Intel Corp" in {doc.text[s["start"]:s["end"]] for s in spans}  # the model tags "Intel"
    assert [(c["type"], c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"], c["slots"]["amount"][0]["value"]["value"])
            for c in found] == [("investment", "Intel Corp", "ASML", 4e9)]


def test_a_research_firm_reports_and_a_price_is_no_result(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Apple's ranking in China smartphone market falls to No.6: IDC\n\n"
        "Apple saw its third-quarter ranking by market share fall two notches, IDC said. Its market share by shipments "
        "was under 10 percent in the third quarter, the research firm added. IDC's announcement comes a day after "
        "Apple's shares fell. Apple will sell the iPhone for $599 in China.")
    share = [c for c in found if c["type"] == "market_share"]
    assert [(c["slots"]["subject"][0]["text"], c["slots"]["share"][0]["value"]["value"]) for c in share] == [("Apple", 10.0)]
    assert not [c for c in found if c["type"] == "financial_result"]
    assert "IDC" not in {v["text"] for c in found for name, vs in c["slots"].items() if name != "source" for v in vs}


def test_up_in_make_up_is_no_rise(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Facebook results\n\n"
        "Facebook said ads make up about 5 percent of the stories on the newsfeed. Facebook revenue was up 53 percent.")
    assert [c["slots"]["change"][0]["value"]["value"] for c in found if c["type"] == "growth"] == [53.0]


def test_stock_codes_nationalities_and_the_dateline_agency_are_no_parties(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Apple chooses O2 as iPhone carrier in UK\n\n"
        "LONDON (Reuters) - Spanish-owned O2 UK ( TEF.MC ) and mobile phone retailer Carphone Warehouse ( CPW.L ) have "
        "clinched a long-awaited deal to bring Apple Inc's (AAPL.O) coveted iPhone handsets to Britain. "
        "Chips come from Taiwan Semiconductor Manufacturing Co. (TSMC), whose profit rose 5 percent.")
    names = {v["text"] for c in found for vs in c["slots"].values() for v in vs if v.get("label")}
    assert not names & {"Reuters", "Spanish", "TEF.MC", "CPW.L", "AAPL.O"}
    labelled = {doc.text[s["start"]:s["end"]]: s["label"] for s in spans}
    assert not {"TEF.MC", "CPW.L", "AAPL.O"} & set(labelled) and labelled.get("Spanish") != "ORG"
    assert labelled.get("TSMC") == "ORG"  # an abbreviation in brackets is a name, not a stock code



def test_a_company_acquired_by_another_is_its_target(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "AT&T to buy T-Mobile USA\n\n"
        "AT&T Inc struck a $39 billion deal to buy Deutsche Telekom AG's T-Mobile USA. "
        "Instagram was acquired by Facebook in 2012.")
    bought = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]) for c in found if c["type"] == "investment"}
    assert ("Facebook", "Instagram") in bought


def test_a_company_running_stores_in_a_country_has_entered_it(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Wal-Mart India head quits\n\n"
        "Wal-Mart, which has run wholesale stores in India since 2009, lobbied for years. "
        "TSMC announced plans last year to build its first chip factory in Japan.")
    entries = {(c["slots"]["subject"][0]["text"], c["slots"]["market"][0]["text"]) for c in found if c["type"] == "market_entry"}
    assert entries == {("Wal-Mart", "India"), ("TSMC", "Japan")}


def test_each_owner_of_a_list_owns_its_target_and_a_new_clause_is_no_owner(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Verizon talks\n\n"
        "Officials from Verizon Wireless, which is owned by Verizon Communications and Vodafone Group Plc, declined comment. "
        "Aberdeen Asset Management, which holds a stake of about 4 percent in SIA, was cautious. "
        "Google agreed to acquire Motorola and Apple bought Beats.")
    owned = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]) for c in found if c["type"] == "investment"}
    assert {("Verizon Communications", "Verizon Wireless"), ("Vodafone Group Plc", "Verizon Wireless")} <= owned
    assert ("Aberdeen Asset Management", "SIA") in owned
    assert ("Google", "Motorola") in owned and ("Google", "Apple") not in owned


def test_fines_of_one_company_in_different_years_are_different_claims(tmp_path):
    """A headline and its paragraph saying the same fine are one claim; the fines of other years are
    claims of their own, and the year after the amount is the fine's."""
    _, found, _ = preannotated_article(tmp_path, "Qualcomm fined in Taiwan\n\n"
        "The Taiwanese Fair Trade Commission has fined Qualcomm NT$23.4 billion for antitrust violations. "
        "The South Korean antitrust body fined Qualcomm $207 million in 2014 for unfair business practices. "
        "The Chinese antitrust regulator fined Qualcomm $975 million in 2015, saying that Qualcomm abused its position.")
    fines = sorted(str((c["slots"].get("date") or [{"value": {}}])[0]["value"].get("value"))
                   for c in found if c["type"] == "regulatory_action" and c["slots"]["target"][0]["text"] == "Qualcomm")
    assert fines == ["2014", "2015", "None"]


def test_the_period_the_lead_sets_outweighs_one_said_once_in_passing(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "China Telecom overtakes Unicom\n\n"
        "China Telecom posted stable revenue growth in the first nine months of 2019.\n\n"
        "Net profit fell 3.4 per cent year-on-year to CNY18.4 billion, though the comparison is skewed by a one-off "
        "gain booked in the 2018 period.\n\nOperating revenue inched up 0.8 per cent to CNY283 billion.")
    revenue = [c for c in found if c["type"] == "financial_result" and c["slots"]["amount"][0]["value"]["value"] == 283e9]
    assert [c["slots"]["period"][0]["value"]["value"] for c in revenue] == ["2019-01/2019-09"]


def test_partners_said_with_numbers_abbreviations_and_they_and_the_seller_is_no_buyer(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Manchester United sets IPO terms\n\n"
        "Manchester United set the terms for its IPO on Monday. It was revealed that the club had signed a 7-year "
        "sponsorship deal with General Motors Co to have the Chevrolet brand on their shirts. TSMC plans a factory. "
        "Toyota and Sony Corp. later said they would jointly invest $7 billion in the facility. "
        "Verizon announced that it had reached an agreement with Vodafone to purchase its 45% stake in Verizon Wireless.")
    partners = {tuple(p["text"] for p in c["slots"]["parties"]) for c in found if c["type"] == "partnership"}
    assert {("Manchester United", "General Motors Co"), ("Toyota", "Sony Corp")} <= partners
    buyers = {c["slots"]["investor"][0]["text"] for c in found if c["type"] == "investment"}
    assert "Vodafone" not in buyers


def test_funding_rounds_name_each_investor(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Flipkart raises $550m\n\n"
        "Flipkart, the India-based e-commerce company backed by internet holding company Naspers, has raised $550m. "
        "Investment firm Tiger Global Management led the round. The company has now raised approximately $2.95bn "
        "altogether, securing $700m from Tiger Global, Greenoaks Capital and DST Global as recently as December 2014. "
        "Other existing investors in Flipkart include GIC and Morgan Stanley.")
    rounds = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]): c["slots"].get("amount")
              for c in found if c["type"] == "investment"}
    assert {("Naspers", "Flipkart"), ("Tiger Global Management", "Flipkart"), ("Tiger Global", "Flipkart"),
            ("DST Global", "Flipkart"), ("GIC", "Flipkart"), ("Morgan Stanley", "Flipkart")} <= set(rounds)
    assert rounds[("DST Global", "Flipkart")][0]["value"]["value"] == 7e8  # not the $2.95bn raised altogether


def test_an_owner_described_before_its_name_owns_its_target(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "TikTok fined\n\n"
        "TikTok, which is owned by the Chinese company ByteDance, was told to fix its data processing.")
    owned = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]) for c in found if c["type"] == "investment"}
    assert ("ByteDance", "TikTok") in owned


def test_a_figure_without_its_market_takes_the_place_the_article_is_about(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Smartphone shipments in India\n\n"
        "Smartphone shipments in India grew in the second quarter of 2019, IDC said. Xiaomi led India's market. "
        "Samsung shipped 7.8 million units in the second quarter of 2019.")
    shipped = [c for c in found if c["type"] == "shipments" and c["slots"]["subject"][0]["text"] == "Samsung"]
    assert [c["slots"]["market"][0]["text"] for c in shipped] == ["India"]
    (tmp_path / "two").mkdir()
    _, found, _ = preannotated_article(tmp_path / "two", "Phones in India and China\n\n"
        "Phones sold well in India and in China in 2019. Samsung shipped 7.8 million units in the second quarter of 2019.")
    assert [c["slots"].get("market") for c in found if c["type"] == "shipments"] == [None]  # no place named most


def test_a_name_after_launched_is_a_product_and_a_place_is_none(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Samsung profit\n\n"
        "Samsung Electronics launched the Galaxy Note 9 in August. The Burbank entertainment giant launched Disney+ "
        "last week. It launched in India. Manchester United launched an IPO on Monday.")
    labels = {doc.text[s["start"]:s["end"]]: s["label"] for s in spans}
    assert labels["Galaxy Note 9"] == "PRODUCT" and labels["Disney+"] == "PRODUCT" and labels.get("IPO") != "PRODUCT"
    launches = {(c["slots"]["company"][0]["text"], c["slots"]["product"][0]["text"]) for c in found if c["type"] == "product_launch"}
    assert ("Samsung Electronics", "Galaxy Note 9") in launches
    assert not any(product in ("India", "IPO") for _, product in launches)


def test_evaluate_scores_one_part_of_a_corpus(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    articles = {"a01": "Xiaomi leads\n\nXiaomi held a 28.7% share of India's smartphone market in the second quarter of 2019.",
                "b01": "Samsung results\n\nSamsung Electronics reported revenue of $50 billion in the second quarter of 2019."}
    for name, text in articles.items():
        (corpus / "articles" / f"{name}.txt").write_text(text, encoding="utf-8")
    (corpus / "gold_a.jsonl").write_text(json.dumps({"doc": "a01", "type": "market_share", "slots": {"subject": "Xiaomi", "share": 28.7}}))
    (corpus / "gold_b.jsonl").write_text(json.dumps({"doc": "b01", "type": "financial_result",
                                                      "slots": {"subject": "Samsung Electronics", "amount": {"value": 5e10, "currency": "USD"}}}))
    assert run_cli("evaluate", "--corpus", corpus, "--part", "a", "--json") == 0
    overall = json.loads(capsys.readouterr().out)["claims"]["overall"]
    assert (overall["tp"], overall["fn"], overall["fp"]) == (1, 0, 0)  # b01 is neither scored nor suggested on
    assert run_cli("evaluate", "--corpus", corpus, "--part", "c") == 1
    assert "no gold_c.jsonl for part 'c'" in capsys.readouterr().err


def test_a_whole_market_figure_is_no_company_figure(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Global Smartphone Shipments Grow 1% in Q3 2019; Samsung Leads the Pack\n\n"
        "The global smartphone market witnessed 1% growth in Q3 2019. Samsung shipped 79 million phones.")
    assert [c for c in found if c["type"] == "growth"] == []
    (tmp_path / "spotify").mkdir()
    _, found, _ = preannotated_article(tmp_path / "spotify", "Spotify results\n\n"
        "Spotify Technology reported its results on Tuesday. Total revenue rose by 10.1% to 4.19 billion euros.")
    changes = {(c["slots"]["subject"][0]["text"], c["slots"]["change"][0]["value"]["value"]) for c in found if c["type"] == "growth"}
    assert ("Spotify", 10.1) in changes  # "total revenue" is the company's


def test_a_context_that_says_company_sets_the_name_for_the_whole_article(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Alibaba invests extra US$1b in Lazada to expand in Southeast Asia\n\n"
        "Alibaba said it was investing US$1 billion to increase its stake in Singapore-based e-commerce platform Lazada "
        "to around 83 per cent. Peter Thiel could invest $150 million in Airbnb.")
    assert {s["label"] for s in spans if doc.text[s["start"]:s["end"]] == "Lazada"} == {"ORG"}
    invested = {(c["slots"]["investor"][0]["text"], c["slots"]["target"][0]["text"]) for c in found if c["type"] == "investment"}
    assert {("Alibaba", "Lazada"), ("Peter Thiel", "Airbnb")} <= invested and ("Lazada", "Alibaba") not in invested


def test_each_figure_in_brackets_or_with_a_name_is_that_names(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Canalys data\n\n"
        "Vivo rounded out the top five in Q3 with 31.8 million units shipped, followed by Oppo (31.1 million); "
        "Realme (15.1 million) and Lenovo (10.2 million). Airtel is the largest mobile service provider with 282.2 million "
        "subscribers and 23.84 per cent market share, followed by Vodafone (207.37 million, 17.53 per cent), and "
        "Reliance Jio with 138.62 million and 11.72 per cent market share.")
    said = {(c["type"], c["slots"]["subject"][0]["text"], c["slots"][name][0]["value"]["value"])
            for c in found for name in ("units", "share", "count") if name in c["slots"]}
    assert {("shipments", "Oppo", 31.1e6), ("shipments", "Realme", 15.1e6), ("shipments", "Lenovo", 10.2e6),
            ("market_share", "Vodafone", 17.53), ("user_metric", "Vodafone", 207.37e6),
            ("market_share", "Reliance Jio", 11.72), ("user_metric", "Reliance Jio", 138.62e6)} <= said


def test_shares_given_to_a_company_or_said_of_the_market(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "IDC wearables\n\n"
        "Apple led. The company shipped 29.5 million devices in the quarter, an increase of 195% and giving it a 35% market share.")
    assert {(c["slots"]["subject"][0]["text"], c["slots"]["share"][0]["value"]["value"]) for c in found if c["type"] == "market_share"} \
        == {("Apple", 35.0)}


def test_a_year_a_figure_is_compared_with_is_not_the_articles_period(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Alphabet results\n\n"
        "Alphabet announced its Q4 2019 earnings, reporting revenues of $46.075 billion, a 17 percent increase over the "
        "corresponding period in 2018. Operating income came in at $9.27 billion.")
    income = [c for c in found if c["type"] == "financial_result" and c["slots"]["amount"][0]["value"]["value"] == 9.27e9]
    assert [c["slots"]["period"][0]["value"]["value"] for c in income] == ["2019-Q4"]


def test_its_of_a_word_far_from_the_figure_is_not_the_figures_owner(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Xiaomi leads India\n\n"
        "With a 26 percent market share, Xiaomi continued its dominance in India. "
        "Samsung continued its slide downwards with only a 20 percent marketshare, as its shipments fell 4 percent YoY.")
    shares = {(c["slots"]["subject"][0]["text"], c["slots"]["share"][0]["value"]["value"]) for c in found if c["type"] == "market_share"}
    assert ("Samsung", 20.0) in shares and ("Xiaomi", 20.0) not in shares


def test_the_outlet_told_the_news_is_nobodys_employer(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Ryanair lifts forecast\n\n"
        "Ryanair hiked its full-year profit forecast on Monday. \"We saw strong demand,\" Chief Operating Officer "
        "Michael Cawley told Reuters.")
    roles = {(c["slots"]["person"][0]["text"], c["slots"]["organization"][0]["text"]) for c in found if c["type"] == "role"}
    assert roles == {("Michael Cawley", "Ryanair")}


def test_a_titled_person_who_said_in_a_statement_stays_a_person(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Comcast deal approved\n\n"
        "\"We have adopted strong and fair merger conditions,\" FCC Chairman Julius Genachowski said in a statement.")
    assert {s["label"] for s in spans if doc.text[s["start"]:s["end"]] == "Julius Genachowski"} == {"PERSON"}
    roles = {(c["slots"]["person"][0]["text"], c["slots"]["organization"][0]["text"]) for c in found if c["type"] == "role"}
    assert ("Julius Genachowski", "FCC") in roles


def test_a_word_of_a_title_alone_is_no_name(tmp_path):
    doc, found, spans = preannotated_article(tmp_path, "Toyota results\n\n"
        "Toyota raised its forecast. \"Our operating profits are on a recovery path,\" Senior Managing Director "
        "Takahiko Ijichi said at a news conference in Tokyo.")
    assert "Senior" not in {doc.text[s["start"]:s["end"]] for s in spans}
    assert {(c["slots"]["person"][0]["text"], c["slots"]["organization"][0]["text"]) for c in found if c["type"] == "role"} \
        == {("Takahiko Ijichi", "Toyota")}


def test_a_figure_in_a_clause_about_a_name_is_that_names(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "China Telecom overtakes Unicom\n\n"
        "China Telecom now ranks third behind China Mobile and Reliance Jio, which hit 355 million subscribers at end-September.")
    counts = {(c["slots"]["subject"][0]["text"], c["slots"]["count"][0]["value"]["value"]) for c in found if c["type"] == "user_metric"}
    assert counts == {("Reliance Jio", 355e6)}


def test_shares_of_the_companies_that_came_next(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "India phones\n\n"
        "Xiaomi led the market with a 29% share. Vivo came second with a 17.6% share, and Samsung was third with 16% of the market.")
    shares = {(c["slots"]["subject"][0]["text"], c["slots"]["share"][0]["value"]["value"]) for c in found if c["type"] == "market_share"}
    assert shares == {("Xiaomi", 29.0), ("Vivo", 17.6), ("Samsung", 16.0)}


def test_it_is_the_company_its_sentence_named_where_the_article_has_none(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Verizon wins buyout approval\n\n"
        "\u201cVerizon Communications Inc. (NYSE, Nasdaq: VZ) today announced that it has received the approvals needed "
        "from the Federal Communications Commission to acquire Vodafone\u2019s U.S. group.")
    approvals = {(c["slots"]["target"][0]["text"], c["slots"]["authority"][0]["text"]) for c in found if c["type"] == "regulatory_action"}
    assert ("Verizon Communications Inc.", "the Federal Communications Commission") in approvals


def test_each_possessor_owns_the_figure_after_its_name(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Canalys smartphones\n\n"
        "Huawei grew. It may have witnessed a 29% growth in this quarter, which is considerably higher than "
        "Samsung\u2019s 11% and Apple\u2019s (minus) 7%, but there is still uncertainty looming around the Chinese "
        "giant\u2019s presence in international markets.")
    changes = {(c["slots"]["subject"][0]["text"], c["slots"]["change"][0]["value"]["value"]) for c in found if c["type"] == "growth"}
    assert {("Samsung", 11.0), ("Apple", -7.0)} <= changes


def test_the_company_of_a_subject_comes_before_the_place_in_it(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Airtel results\n\n"
        "Bharti Airtel reported a loss. Bharti Airtel\u2019s customer base in India rose 5.2% to 320.6 million during the quarter.")
    changes = {(c["slots"]["subject"][0]["text"], c["slots"]["change"][0]["value"]["value"]) for c in found if c["type"] == "growth"}
    assert changes == {("Bharti Airtel", 5.2)}


def test_sales_that_advanced_grew(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Samsung profit\n\n"
        "Samsung Electronics said Friday its operating profit hit a record. Sales advanced 4.7 percent to reach 65 trillion won.")
    assert [c["slots"]["change"][0]["value"]["value"] for c in found
            if c["type"] == "growth" and c["slots"]["subject"][0]["text"].startswith("Samsung")] == [4.7]


def test_a_share_that_rose_by_points_to_a_level_is_that_level(tmp_path):
    _, found, _ = preannotated_article(tmp_path, "Xiaomi leads\n\n"
        "Xiaomi's market share rose 3 percentage points to 28% in the quarter, while Samsung's share fell to 24%.")
    shares = {(c["slots"]["subject"][0]["text"], c["slots"]["share"][0]["value"]["value"]) for c in found if c["type"] == "market_share"}
    assert shares == {("Xiaomi", 28.0), ("Samsung", 24.0)}
