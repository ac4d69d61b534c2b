"""Two curators' work brought together: bundles, agreement figures, review into gold."""

import json

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotations.agreement import agreement
from annotations.bundles import check_bundle, import_bundle
from annotations.curation import Curation
from annotations.errors import InputRefused
from annotations.review import Review, cross_document_conflicts
from annotations.settings import load_settings
from annotations.store import Store
from tests.conftest import DOC, DOC2, record_conflicting_shares, run_cli


def test_bundles_keep_who_decided_what_and_import_only_once(review_db, team, capsys):
    root, ids = team
    with Store(review_db) as store:
        before = store.stats()
        mine = {c["based_on"]: c["status"] for c in store.claims_of(store.document_id(DOC), annotator="ana")}
        assert [mine[i] for i in ids["claims"]] == ["accepted", "accepted", "accepted", "rejected", "rejected"]
        assert sorted(store.finished_by(store.document_id(DOC))) == ["ana", "bo"]
    assert run_cli("import-annotations", "--db", review_db, root / "ana.jsonl", root / "bo.db") == 0
    assert "0 claims and 0 spans added" in capsys.readouterr().out
    with Store(review_db) as store:
        assert store.stats() == before


def test_documents_missing_from_the_target_come_along(team, tmp_path):
    root, _ = team
    with Store(tmp_path / "empty.db") as store:
        schema = Review.open(load_settings(store.path), store, "rev").schema
        assert check_bundle(root / "ana.jsonl", schema) == 2
        report = import_bundle(store, root / "ana.jsonl", schema)
        assert report.documents_added == 2 and store.count_documents() == 2
        assert store.claims_of(store.document_id(DOC), annotator="ana")


def test_a_bundle_that_does_not_fit_is_refused_whole(team, review_db, tmp_path):
    root, _ = team
    lines = (root / "ana.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["spans"][0]["text"] = "Xiaomi!"
    record["claims"][0]["type"] = "rumour"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([lines[1], json.dumps(record)]) + "\n", encoding="utf-8")
    with Store(review_db) as store:
        before = store.stats()
        schema = Review.open(load_settings(review_db), store, "rev").schema
        with pytest.raises(InputRefused) as refused:
            check_bundle(bad, schema)
        assert store.stats() == before
    assert "line 2" in str(refused.value) and "span 1 says 'Xiaomi!'" in str(refused.value)
    assert "type 'rumour', unknown to the schema" in str(refused.value)
    assert run_cli("import-annotations", "--db", review_db, bad) == 1


def test_a_bundle_that_changes_between_its_check_and_its_import_leaves_nothing(team, tmp_path):
    root, _ = team
    bundle = tmp_path / "ana.jsonl"
    bundle.write_bytes((root / "ana.jsonl").read_bytes())
    with Store(tmp_path / "w.db") as store:
        schema = Review.open(load_settings(store.path), store, "rev").schema
        assert check_bundle(bundle, schema) == 2
        lines = bundle.read_text(encoding="utf-8").splitlines()
        bundle.write_text(lines[0] + "\n" + lines[1].replace('"start":', '"start":-', 1) + "\n", encoding="utf-8")
        imported = []
        with pytest.raises(InputRefused, match="changed while it was imported: line 2"):
            import_bundle(store, bundle, schema, progress=imported.append)
        assert imported == [1] and store.count_documents() == 0 and store.stats()["claims_by_status"] == {}


def test_agreement_figures_equal_the_reference_packages(review_db, team):
    _, ids = team
    with Store(review_db) as store:
        figures = agreement(store, Review.open(load_settings(review_db), store, "rev").schema)
        positions = {}
        for doc_id in (store.document_id(DOC), store.document_id(DOC2)):
            for name in ("ana", "bo"):
                for span in store.spans_of(doc_id, annotator=name):
                    positions.setdefault((doc_id, span["start"], span["end"]), {})[name] = "O" if span["status"] == "rejected" else span["label"]
    [pair] = figures["pairs"]
    assert pair["curators"] == ["ana", "bo"] and pair["documents"] == 2
    # decisions on the same six suggestions: the five claims, and the market share (corrected = accepted)
    ana = ["accept", "accept", "accept", "reject", "reject", "accept"]
    bo = ["accept", "reject", "accept", "reject", "accept", "accept"]
    overall = pair["decisions"]["overall"]
    assert overall["items"] == 6 and overall["agreed"] == 4
    assert overall["kappa"] == pytest.approx(cohen_kappa_score(ana, bo))
    # claims: ana confirmed c0 c1 c2 and the share, bo c0 c2 c4 and the share
    claims = pair["claims"]["overall"]
    assert (claims["tp"], claims["fp"], claims["fn"]) == (3, 1, 1)
    # entities: every span position either marked; ana relabelled "Indian", bo rejected "bytebeats"
    labels = sorted({label for unit in positions.values() for label in unit.values()})
    data = np.array([[labels.index(unit.get(name, "O")) for unit in positions.values()] for name in ("ana", "bo")], dtype=float)
    assert pair["entities"]["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert pair["entities"]["units"] == len(positions) and pair["entities"]["agreed"] == len(positions) - 2


def test_review_resolves_every_difference_into_gold(review_db, team, tmp_path):
    _, ids = team
    with Store(review_db) as store:
        review = Review.open(load_settings(review_db), store, "rev")
        doc_id = store.document_id(DOC)
        assert review.documents() == [doc_id, store.document_id(DOC2)]
        agreed = review.auto_gold(doc_id)
        groups = review.claim_groups(doc_id)
        by_suggestion = {next(v for v in g.versions.values() if v)["based_on"]: g for g in groups}
        golden = {g.first_version()["based_on"] for g in groups if g.gold}
        assert golden == {ids["claims"][0], ids["claims"][2]}  # both accepted; c3 both rejected: no gold
        assert by_suggestion[ids["claims"][3]].rejected_by_all
        assert by_suggestion[ids["share"]].differing_slots() == ["period"]
        review.pick_version(by_suggestion[ids["claims"][1]], "ana", note="ana read it right")
        review.reject_group(by_suggestion[ids["claims"][4]])
        review.pick_slot(by_suggestion[ids["share"]], "period", "ana")
        indian = next(g for g in review.span_groups(doc_id) if not g.agreed and g.labels.get("ana") == "NORP")
        review.pick_span_label(indian, "ana")
        assert review.undo().action == "undo:pick span" and review.redo().action == "redo:pick span"
        assert len(agreed.claims) == 2
    out = tmp_path / "gold.jsonl"
    assert run_cli("export", "--db", review_db, "--status", "gold", "--out", out) == 0
    record = next(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if json.loads(line)["name"] == DOC)
    assert {c["annotator"] for c in record["claims"]} == {"rev"} and len(record["claims"]) == 4
    share = next(c for c in record["claims"] if c["type"] == "market_share")
    assert share["slots"]["period"]["value"]["value"] == "2019-Q3" and share["slots"]["share"]["value"]["value"] == 28.7
    assert any(c["note"] == "ana read it right" for c in record["claims"])
    assert ("Indian", "NORP") in {(s["text"], s["label"]) for s in record["spans"]}


def test_the_same_fact_with_different_values_in_two_articles_is_listed(suggested_db):
    with Store(suggested_db) as store:
        curation = Curation.open(load_settings(suggested_db), store, "ana")
        record_conflicting_shares(curation)
        [conflict] = cross_document_conflicts(store, curation.schema)
    assert (conflict["type"], conflict["identity"]) == ("market_share", {"subject": "xiaomi", "market": "india", "period": "2019-Q2"})
    assert sorted(c["value"] for c in conflict["claims"]) == [28.7, 30.0]
    assert {c["doc"] for c in conflict["claims"]} == {DOC, DOC2}


def test_marking_an_article_reviewed_copies_no_model_span_into_the_reviewers_own(review_db):
    with Store(review_db) as store:
        review = Review.open(load_settings(review_db), store, "rev")
        doc_id = store.document_id(DOC)
        review.auto_gold(doc_id)
        before = store.spans_of(doc_id, annotator="rev")
        review.mark_done(doc_id)
        assert store.spans_of(doc_id, annotator="rev") == before  # gold only, as the reviewer resolved it
        assert store.finished_by(doc_id) == ["ana", "bo", "rev"]
