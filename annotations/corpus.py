"""A gold corpus: real articles with the facts a curator wrote for them before any pipeline ran.

    FOLDER/articles/NAME.txt   the articles, as published (headline, blank line, body)
    FOLDER/published.json      {"NAME": "YYYY-MM-DD"}: publication dates, for "this year", "the quarter"
    FOLDER/gold*.jsonl         the facts, one a line (the shape evaluate.read_facts reads)

`evaluate --corpus FOLDER` pre-annotates such a folder in a workspace of its own and scores the
suggestions against its gold; tests/data/realnews holds the project's development and test parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from annotations.errors import SchemaError
from annotations.evaluate import Fact, read_facts
from annotations.ingest import decode, make_document
from annotations.model import MODEL_ANNOTATOR, Status
from annotations.schema import ClaimSchema
from annotations.settings import load_settings
from annotations.workspace import open_workspace


@dataclass
class Corpus:
    schema: ClaimSchema
    gold: list[Fact]
    db_path: Path

    def suggestions(self):
        """(document name, suggested claim) for every suggestion in the corpus's workspace."""
        with open_workspace(load_settings(self.db_path)) as store:
            for doc_id, _ in store.document_languages():
                name = store.document_name(doc_id)
                for claim in store.claims_of(doc_id, (Status.SUGGESTED,), MODEL_ANNOTATOR):
                    yield name, claim


def judged_suggestions(folder: Path, db: str | None = None, parts: list[str] | None = None) -> tuple[list[tuple[str, str, float, bool]], int]:
    """Every suggestion the rules make on the corpus, uncalibrated, as (claim type, basis, confidence,
    right), and how many gold facts there are: what calibration.fit learns from."""
    from dataclasses import replace

    from annotations.evaluate import as_fact, match_suggestions
    from annotations.nlp.preannotate import Preannotator

    preannotator = replace(Preannotator.from_settings(load_settings(db)), calibration=None)
    gold = [fact for path in gold_files(folder, parts) for fact in read_facts(path, preannotator.schema)]
    facts, bases = [], {}
    nlp = preannotator.pipeline("en").nlp
    for document in corpus_documents(folder, parts):
        _, claims = preannotator.annotate(nlp(document["text"]), "en", document["published"])
        for claim in claims:
            fact = as_fact(document["name"], claim, preannotator.schema)
            facts.append(fact)
            bases[id(fact)] = claim["basis"]
    judged, _ = match_suggestions(gold, facts, preannotator.schema, strict=False)
    return [(fact.type, bases[id(fact)], fact.confidence or 0.0, right) for fact, right in judged], len(gold)


def gold_files(folder: Path, parts: list[str] | None = None) -> list[Path]:
    """The corpus's gold files: all of them, or those of the parts named ("d" is gold_d.jsonl);
    SchemaError names a part that has no gold file."""
    if not parts:
        return sorted(folder.glob("gold*.jsonl"))
    missing = [part for part in parts if not (folder / f"gold_{part}.jsonl").is_file()]
    if missing:
        raise SchemaError([f"{folder}: no gold_{part}.jsonl for part {part!r}" for part in missing])
    return [folder / f"gold_{part}.jsonl" for part in parts]


def corpus_documents(folder: Path, parts: list[str] | None = None) -> list[dict]:
    """The corpus's articles, or those the facts of the parts named are about."""
    dates_file = folder / "published.json"
    dates = json.loads(dates_file.read_text(encoding="utf-8")) if dates_file.exists() else {}
    named = None
    if parts:
        named = {json.loads(line)["doc"] for path in gold_files(folder, parts)
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    documents = []
    for path in sorted((folder / "articles").glob("*.txt")):
        if named is not None and path.stem not in named:
            continue
        meta = {"published": dates[path.stem]} if path.stem in dates else {}
        documents.append(make_document(decode(path.read_bytes(), str(path)), path.stem, str(path), meta, lang="en"))
    return documents


def load_corpus(folder: Path, db_path: Path, progress=None, parts: list[str] | None = None) -> Corpus:
    """The corpus (or the parts named) imported into a new workspace at db_path and pre-annotated there."""
    from annotations.nlp.preannotate import Preannotator, preannotate

    settings = load_settings(db_path)
    with open_workspace(settings) as store:
        store.add_documents(corpus_documents(folder, parts))
        preannotator = Preannotator.from_settings(settings, store)
        preannotate(store, preannotator, progress=progress)
        gold = [fact for path in gold_files(folder, parts) for fact in read_facts(path, preannotator.schema)]
    return Corpus(preannotator.schema, gold, db_path)
