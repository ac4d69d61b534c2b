"""Pre-annotation without a workspace: preannotate-file, and the same function over Dask partitions."""

import json
import subprocess
import sys

import pytest

from annotations.claims import claim_signature
from annotations.model import MODEL_ANNOTATOR, as_list
from annotations.store import Store
from tests.conftest import ROOT, SEEDS, run_cli

pytestmark = pytest.mark.model


@pytest.fixture
def corpus(tmp_path):
    """The seeds as JSONL texts, as a team would hand them over; one line is broken."""
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"text": p.read_text(encoding="utf-8"), "meta": {"name": p.stem}}) for p in sorted(SEEDS.glob("*.txt"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_preannotate_file_gives_the_same_suggestions_as_the_workspace(corpus, tmp_path, preannotated_template):
    out = tmp_path / "bundle.jsonl"
    assert run_cli("preannotate-file", corpus, out) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["name"] for r in records] == [p.stem for p in sorted(SEEDS.glob("*.txt"))]
    assert all(c["status"] == "suggested" and c["annotator"] == "model" for r in records for c in r["claims"])
    with Store(preannotated_template) as store:
        expected = {store.document(d).sha256: (sorted(claim_signature(c) for c in store.claims_of(d, annotator=MODEL_ANNOTATOR)),
                                               sorted((s["start"], s["end"], s["label"], s["kb_id"]) for s in store.spans_of(d)))
                    for d, _ in store.document_languages()}
    bundled = {r["sha256"]: (sorted(claim_signature({"type": c["type"], "slots": {name: as_list(v) for name, v in c["slots"].items()}})
                                    for c in r["claims"]),
                             sorted((s["start"], s["end"], s["label"], s["kb_id"]) for s in r["spans"])) for r in records}
    assert bundled == expected and all(claims for claims, _ in expected.values())
    fresh = tmp_path / "fresh.db"
    assert run_cli("import-annotations", "--db", fresh, out) == 0
    with Store(fresh) as store:
        assert store.count_documents() == 5
        assert store.stats()["claims_by_status"] == {"suggested": sum(len(claims) for claims, _ in expected.values())}


def test_dask_partitions_produce_bundles_that_import(corpus, tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(ROOT / "examples/dask_preannotate.py"), str(corpus), str(out),
                           "--workers", "2", "--blocksize", "6kB"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    bundles = sorted(out.glob("*.jsonl"))
    assert len(bundles) >= 2  # more than one partition, so more than one process did work
    db = tmp_path / "team.db"
    assert run_cli("import-annotations", "--db", db, *bundles) == 0
    with Store(db) as store:
        assert store.count_documents() == 5
        assert store.stats()["claims_by_status"]["suggested"] > 40
