"""`train` on the seeds and the development articles, for the README's figures. Run by hand:

    .venv/bin/python bench/train_gold.py --db /tmp/train.db --out /tmp/ner-trained [--iterations 20]

Nobody has curated the entity spans of these articles, but their gold facts name the entities a
curator recorded, with the slot that says what each is (a subject is a company or a product, a
market a place). The workspace is curated from them as a curator would: the pipeline's spans are
accepted, and every occurrence of a name the gold facts give is labelled as the knowledge base
knows it, else as the pipeline labelled it where that fits the slot, else as the slot's first
label; the result is stored as a reviewer's gold. Then `python main.py train` runs as a person
would run it. Never point it at tests/data/realnews/test.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.corpus import corpus_documents  # noqa: E402
from annotations.ingest import import_paths  # noqa: E402
from annotations.nlp.kb import KnowledgeBase  # noqa: E402
from annotations.nlp.preannotate import Preannotator, preannotate  # noqa: E402
from annotations.schema import load_claim_schema, load_entity_file  # noqa: E402
from annotations.settings import SEEDS_DIR, load_settings  # noqa: E402
from annotations.store import Store, now  # noqa: E402
from main import main  # noqa: E402

DEV = ROOT / "tests" / "data" / "realnews" / "dev"
GOLD = [ROOT / "tests" / "data" / "seed_gold.jsonl", *sorted(DEV.glob("gold*.jsonl"))]


def names_of(value, kb: KnowledgeBase) -> list[str]:
    """The ways an entity slot's gold value is written: a knowledge-base id's name and aliases, or the name."""
    entity = kb.entities.get(str(value))
    return [entity.name, *entity.aliases] if entity else [str(value)]


def curated(text: str, spans: list[dict], wanted: dict[str, tuple[str, ...]], kb: KnowledgeBase) -> list[dict]:
    aliases = kb.aliases()
    spans = [dict(s) for s in spans]
    for name, labels in sorted(wanted.items(), key=lambda item: -len(item[0])):
        places = [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        if not places:
            continue
        known = kb.entities.get(aliases.get(name) or "")
        at = [s["label"] for s in spans if (s["start"], s["end"]) in places and s["label"] in labels]
        label = known.label if known and known.label in labels else at[0] if at else labels[0]
        spans = [s for s in spans if not any(s["start"] < b and a < s["end"] for a, b in places)]
        spans += [{"start": a, "end": b, "label": label, "kb_id": known.kb_id if known else None} for a, b in places]
    return sorted(spans, key=lambda s: s["start"])


def main_(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args(argv)
    if args.db.exists():
        args.db.unlink()
    settings = load_settings(args.db)
    schema = load_claim_schema(settings.claims_schema)
    kb = KnowledgeBase.build(load_entity_file(settings.entities_schema, schema.entity_labels))
    started = time.monotonic()
    with Store(args.db) as store:
        import_paths(store, [SEEDS_DIR])
        store.add_documents(corpus_documents(DEV))
        preannotate(store, Preannotator.from_settings(settings, store))
        wanted: dict[str, dict[str, tuple[str, ...]]] = {}
        for path in GOLD:
            for line in path.read_text(encoding="utf-8").splitlines():
                fact = json.loads(line)
                claim_type = schema.claim_types[fact["type"]]
                for slot_name, value in fact["slots"].items():
                    slot = claim_type.slots[slot_name]
                    if slot.kind != "entity":
                        continue
                    for item in value if isinstance(value, list) else [value]:
                        for name in names_of(item, kb):
                            wanted.setdefault(fact["doc"], {}).setdefault(name, slot.labels or ("ORG",))
        rows, relabelled = [], 0
        for doc_id in store.document_ids():
            doc = store.document(doc_id)
            if doc.name not in wanted or doc.lang != "en":
                continue
            suggested = store.spans_of(doc_id, ("suggested",), "model")
            spans = curated(doc.text, suggested, wanted[doc.name], kb)
            relabelled += len({(s["start"], s["end"], s["label"]) for s in spans} - {(s["start"], s["end"], s["label"]) for s in suggested})
            rows += [{"doc_id": doc_id, "start": s["start"], "end": s["end"], "label": s["label"], "kb_id": s.get("kb_id"),
                      "origin": "curator", "status": "gold", "annotator": "bench", "created_at": now(), "updated_at": now()}
                     for s in spans]
        with store.write():
            store.db["spans"].insert_all(rows)
        articles = len({r["doc_id"] for r in rows})
    print(f"curated {articles} articles from their gold facts: {len(rows)} gold spans, {relabelled} of them not as the pipeline "
          f"suggested ({time.monotonic() - started:.0f} s)", flush=True)
    started = time.monotonic()
    status = main(["train", "--db", str(args.db), "--out", str(args.out), "--iterations", str(args.iterations)])
    print(f"train took {time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main_())
