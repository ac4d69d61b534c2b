"""spaCy DocBin export (.spacy): trains with `spacy train` as it is.

Entities become doc.ents (one layer, see entities.py for the overlap rule). Claims go to
doc.spans["claims"] (the evidence, labelled with the claim type) and doc.spans["slots"] (each slot
value, labelled "type.slot"), and in full to doc.user_data["claims"]. Texts are tokenised with
spacy.blank(lang), so no model is needed, and a token is split wherever a span's edge falls inside
it ("Xiaomi" in "Xiaomi-telefoons", "5G" in "5Gphones"): every span is written with exactly its
characters, never widened to the tokens it touches.

A DocBin is built in memory and copied about four times over when written (3,000 generated
articles: 108 MB of token arrays, 460 MB more while writing). An export of up to TOKENS_PER_PART
tokens is one .spacy file; a bigger one is a folder of that name holding part-00001.spacy, ... of
at most that many tokens each, written as they fill. `spacy train --paths.train PATH` reads either
as it is; in Python, read the parts of a folder in name order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

from annotations.entities import Dropped, non_overlapping
from annotations.ingest import MAX_TEXT
from annotations.model import as_list
from annotations.nlp.pipeline import blank

TOKENS_PER_PART = 250_000
PART_NAME = "part-{:05d}.spacy"


class DocBinWriter:
    """Writes to the path it is given (the export stages it under a temporary name): one .spacy
    file, or a folder of parts once the documents pass TOKENS_PER_PART tokens."""

    FOLDER_FILES = re.compile(r"part-\d+\.spacy|card\.json|README\.md")

    def __init__(self, out: Path, schema=None, types=None):
        self.out = Path(out)
        self.docbin = DocBin(store_user_data=True)
        self.tokens = 0
        self.parts = 0
        self.pipelines: dict[str, spacy.Language] = {}
        self.dropped = Dropped()

    def write(self, records: Iterable[dict]) -> int:
        count = 0
        for record in records:
            doc = self.doc(record)
            self.docbin.add(doc)
            self.tokens += len(doc)
            count += 1
            if self.tokens >= TOKENS_PER_PART:
                self._write_part()
        if not self.parts:
            self.docbin.to_disk(self.out)
        elif len(self.docbin):
            self._write_part()
        return count

    def _write_part(self) -> None:
        """The documents so far as the next part of the folder, and a fresh DocBin for the rest."""
        if not self.parts:
            self.out.mkdir()
        self.parts += 1
        self.docbin.to_disk(self.out / PART_NAME.format(self.parts))
        self.docbin, self.tokens = DocBin(store_user_data=True), 0

    def doc(self, record: dict):
        doc = entity_doc(self.pipelines, record, self.dropped)
        claims, slots = [], []
        for claim in record["claims"]:
            evidence = claim.get("evidence")
            if evidence:
                claims.append(_span(doc, evidence, claim["type"]))
            for name, value in slot_values(claim):
                slots.append(_span(doc, value, f"{claim['type']}.{name}"))
        doc.spans["claims"] = claims
        doc.spans["slots"] = slots
        doc.user_data["name"] = record["name"]
        doc.user_data["sha256"] = record["sha256"]
        doc.user_data["claims"] = record["claims"]
        return doc


def slot_values(claim: dict) -> Iterator[tuple[str, dict]]:
    """(slot name, value) of each slot value of a claim that has a place in the text."""
    for name, values in claim["slots"].items():
        for value in as_list(values):
            if value.get("start") is not None:
                yield name, value


def entity_doc(pipelines: dict, record: dict, dropped: Dropped, sentences: bool = False) -> Doc:
    """The record's text as a spaCy Doc with its entities as doc.ents: tokens of the blank pipeline
    of its language, split at every edge of a span, a slot value or an evidence (see the module)."""
    lang = record.get("lang") or "xx"
    if lang not in pipelines:
        nlp = blank(lang)
        nlp.max_length = MAX_TEXT  # spaCy's 1,000,000 guards the parser's memory; a blank tokenizer needs none
        nlp.add_pipe("sentencizer")
        pipelines[lang] = nlp
    nlp = pipelines[lang]
    pieces = record["spans"] + [c["evidence"] for c in record["claims"] if c.get("evidence")] \
        + [v for c in record["claims"] for _, v in slot_values(c)]
    doc = nlp.make_doc(record["text"])
    if sentences:  # found before splitting: a piece split off ("." of "28.7") must not end a sentence
        starts = {sentence.start_char for sentence in nlp.get_pipe("sentencizer")(doc).sents}
    doc = split_at(doc, {p["start"] for p in pieces}, {p["end"] for p in pieces})
    if sentences:
        for token in doc:
            token.is_sent_start = token.idx in starts
    doc.ents = [_span(doc, span, span["label"]) for span in non_overlapping(record["spans"], dropped)]
    return doc


def split_at(doc: Doc, starts: set[int], ends: set[int]) -> Doc:
    """The doc with each token that a span's edge falls inside split there; the pieces keep the
    text and the token's trailing space goes to the last of them, or becomes a token of its own
    when a span starts or ends at it. A doc no edge falls inside is kept as it is."""
    inside = sorted(starts | ends)
    pieces = []
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        cuts = inside[bisect_right(inside, start):bisect_left(inside, end)]
        detach = bool(token.whitespace_) and (end in starts or end + 1 in ends)
        pieces.append((token, [start, *cuts, end], detach))
    if all(len(points) == 2 and not detach for _, points, detach in pieces):
        return doc
    words, spaces = [], []
    for token, points, detach in pieces:
        for a, b in zip(points, points[1:]):
            words.append(doc.text[a:b])
            spaces.append(False)
        if detach:
            words.append(token.whitespace_)
            spaces.append(False)
        else:
            spaces[-1] = bool(token.whitespace_)
    return Doc(doc.vocab, words=words, spaces=spaces)


def _span(doc: Doc, piece: dict, label: str) -> Span:
    span = doc.char_span(piece["start"], piece["end"], label=label, alignment_mode="strict")
    if span is None:  # split_at puts a token edge at every edge, so this is a bug
        raise AssertionError(f"no tokens at {piece['start']}..{piece['end']} after splitting at span edges")
    return span
