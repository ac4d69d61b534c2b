"""Fine-tuning the English pipeline's NER on the team's curated spans (`python main.py train`).

What it learns from is what the spaCy export writes (docbin.entity_doc: exact characters, one
entity layer by the export's overlap rule): per article, the reviewer's gold spans where there are
some, else the spans of the first curator who finished it (marking an article done accepts every
span left alone), else the curators' accepted and corrected spans with the rest of the article
left unknown to the loss. Articles are split by article into training and held-out ones (a fixed
share, chosen by a hash of the article and the seed, held-out only among complete articles); the
held-out figures per label are taken before and after, and a model worse than the base there is
not written unless forced. The written folder is a spaCy pipeline: `preannotate --model DIR`, or
CLAIMDESK_MODELS="en=DIR", runs it, and as its name and version differ from the base's the
pre-annotation key changes, so suggestions are recomputed wherever nobody decided.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotations.errors import ClaimdeskError, EnvironmentProblem, OutputRefused
from annotations.evaluate import score_entities
from annotations.files import check_output, staged
from annotations.nlp.kb import KnowledgeBase
from annotations.schema import ClaimSchema
from annotations.store import Store

CURATED = ("gold", "accepted", "corrected")


@dataclass
class Article:
    name: str
    sha256: str
    record: dict  # the export record with the spans learnt from
    complete: bool  # every entity of the article is marked (gold, or a curator finished it)


@dataclass
class TrainReport:
    base: str
    trained: list[str]
    held_out: list[str]
    before: dict
    after: dict
    written: bool = False
    losses: list[float] = field(default_factory=list)
    message: str = ""

    @property
    def change(self) -> float:
        return round(self.after["overall"]["f1"] - self.before["overall"]["f1"], 3)


def curated_articles(store: Store, kb: KnowledgeBase, schema: ClaimSchema, lang: str = "en") -> list[Article]:
    """The articles of a language with curated spans, each with the spans to learn from."""
    from annotations.exports import document_records

    articles = []
    for record in document_records(store, kb, schema, statuses=CURATED):
        if record["lang"] != lang or not record["spans"]:
            continue
        spans = record["spans"]
        gold = [s for s in spans if s["status"] == "gold"]
        finisher = next((name for name in sorted(record["done_by"]) if any(s["annotator"] == name for s in spans)), None)
        if gold:
            spans, complete = gold, True
        elif finisher:
            spans, complete = [s for s in spans if s["annotator"] == finisher], True
        else:
            complete = False
        articles.append(Article(record["name"], record["sha256"], {**record, "spans": spans, "claims": []}, complete))
    return articles


def split(articles: list[Article], held_out: float, seed: int) -> tuple[list[Article], list[Article]]:
    """(training articles, held-out articles): a share of the complete articles, chosen by a hash
    of the seed and the text, so the same workspace splits the same way every time."""
    complete = sorted((a for a in articles if a.complete),
                      key=lambda a: hashlib.sha256(f"{seed}:{a.sha256}".encode()).hexdigest())
    count = min(max(1, round(len(articles) * held_out)), len(complete), len(articles) - 1)
    test = complete[:count]
    names = {a.name for a in test}
    return [a for a in articles if a.name not in names], test


def _examples(nlp, articles: list[Article]):
    from spacy.training import Example

    from annotations.entities import Dropped
    from annotations.exports.docbin import entity_doc

    pipelines: dict = {}
    examples = []
    for article in articles:
        reference = entity_doc(pipelines, article.record, Dropped())
        if not article.complete:  # what the curators did not mark is unknown, not "no entity"
            reference.set_ents(list(reference.ents), default="missing")
        examples.append(Example(nlp.make_doc(article.record["text"]), reference))
    return examples


def held_out_figures(nlp, articles: list[Article]) -> dict:
    """Per label and overall: the NER's entities on the articles against their curated spans,
    exactly by character (annotations.evaluate.score_entities)."""
    gold, found = [], []
    with nlp.select_pipes(enable=["ner"]):
        for article, doc in zip(articles, nlp.pipe(a.record["text"] for a in articles)):
            gold += [(article.name, s["start"], s["end"], s["label"]) for s in article.record["spans"]]
            found += [(article.name, e.start_char, e.end_char, e.label_) for e in doc.ents]
    return score_entities(gold, found)


def train(store: Store, kb: KnowledgeBase, schema: ClaimSchema, base: str, out: Path, iterations: int = 20,
          held_out: float = 0.2, seed: int = 0, force: bool = False, progress: Callable[[int, float], None] | None = None) -> TrainReport:
    """Fine-tune the base pipeline's NER on the curated spans and write it to `out` when it is not
    worse on the held-out articles than the base (or when forced)."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    check_output(out, store.path, what="--out")
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / "config.cfg").exists())):
        raise OutputRefused(f"--out {out}: exists and is not a spaCy pipeline folder; give a new folder's name")
    articles = curated_articles(store, kb, schema)
    training, test = split(articles, held_out, seed)
    if not test or not training:
        raise ClaimdeskError(f"training needs curated spans in at least two English articles, one of them complete (finished by a "
                             f"curator or resolved by a reviewer) to be held out; the workspace has {len(articles)} with curated "
                             f"spans, {sum(a.complete for a in articles)} complete")
    fix_random_seed(seed)
    nlp = spacy.load(base)
    if "ner" not in nlp.pipe_names:
        raise EnvironmentProblem(f"the pipeline {base} has no NER to fine-tune")
    ner = nlp.get_pipe("ner")
    for label in sorted({s["label"] for a in training for s in a.record["spans"]} - set(ner.labels)):
        ner.add_label(label)
    report = TrainReport(base, [a.name for a in training], [a.name for a in test], held_out_figures(nlp, test), {})
    examples = _examples(nlp, training)
    optimizer = nlp.resume_training()
    shuffle = random.Random(seed)
    with nlp.select_pipes(enable=["ner"]):
        for iteration in range(iterations):
            shuffle.shuffle(examples)
            losses: dict = {}
            for batch in minibatch(examples, size=8):
                nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            report.losses.append(round(losses.get("ner", 0.0), 3))
            if progress:
                progress(iteration + 1, report.losses[-1])
    report.after = held_out_figures(nlp, test)
    before, after = report.before["overall"]["f1"], report.after["overall"]["f1"]
    if after < before and not force:
        report.message = (f"not written: the trained NER is worse than {base} on the {len(test)} held-out articles "
                          f"(F1 {after:.3f} against {before:.3f}, {before - after:.3f} lower); --force writes it anyway")
        return report
    digest = hashlib.sha256("|".join([base, *sorted(a.sha256 + str(a.record["spans"]) for a in training),
                                      str(iterations), str(seed)]).encode()).hexdigest()[:12]
    nlp.meta["name"] = f"{nlp.meta.get('name', 'pipeline')}_claimdesk"
    nlp.meta["version"] = f"{nlp.meta.get('version', '0.0.0')}+claimdesk.{digest}"  # a new pre-annotation key
    nlp.meta["claimdesk"] = {"base": base, "trained_on": report.trained, "held_out": report.held_out,
                             "iterations": iterations, "seed": seed, "held_out_f1": {"before": before, "after": after}}
    with staged() as files:
        nlp.to_disk(files.path(out))
    report.written = True
    report.message = f"wrote {out} (held-out F1 {before:.3f} → {after:.3f}); use it with `preannotate --model {out}`"
    return report
