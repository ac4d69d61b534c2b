"""Exports. JSONL, one document per line, as DESIGN.md's contract (also the bundle format that
import-annotations reads), with three fields more for moving work between workspaces: `done_by`
(the curators who finished the document), and a claim's `based_on` (the suggestion it decides on)
and `note`. Documents are streamed one at a time, so memory does not grow
with the workspace; a document is written when any of its spans or claims matches the filter.
The file is written to a temporary name and renamed at the end: nothing half-written is left.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from annotations.kb import KnowledgeBase
from annotations.schema import ClaimSchema
from annotations.store import Store

STATUSES = ("suggested", "accepted", "corrected", "rejected", "gold")


def document_records(store: Store, kb: KnowledgeBase, schema: ClaimSchema, statuses: tuple[str, ...] | None = None,
                     types: tuple[str, ...] | None = None, annotator: str | None = None) -> Iterator[dict]:
    """The workspace as export records (DESIGN.md's JSONL contract), one document at a time, read from
    the store a chunk of documents per query (Store.annotated_documents)."""
    for doc, spans, claims, done_by in store.annotated_documents(statuses, annotator, types):
        text = doc.text
        yield {
            "name": doc.name, "title": doc.title, "lang": doc.lang, "sha256": doc.sha256, "text": text,
            "meta": doc.meta, "published": doc.published, "done_by": done_by,
            "spans": [span_record(s, text, kb) for s in spans],
            "claims": [claim_record(c, text, kb, schema) for c in claims],
        }


def span_record(span: dict, text: str, kb: KnowledgeBase) -> dict:
    return {"start": span["start"], "end": span["end"], "text": text[span["start"]:span["end"]], "label": span["label"],
            "kb_id": span["kb_id"], "canonical": kb.canonical(span["kb_id"]), "status": span["status"],
            "annotator": span["annotator"], "origin": span["origin"]}


def claim_record(claim: dict, text: str, kb: KnowledgeBase, schema: ClaimSchema) -> dict:
    claim_type = schema.claim_types.get(claim["type"])
    evidence = claim["evidence"]
    if evidence:
        evidence = {**evidence, "text": text[evidence["start"]:evidence["end"]]}
    slots = {}
    for name, values in claim["slots"].items():
        records = []
        for value in values:
            record = {"text": value["text"], "start": value["start"], "end": value["end"]}
            if "label" in value:
                record.update(label=value["label"], kb_id=value["kb_id"], canonical=kb.canonical(value["kb_id"]))
            if "value" in value:
                record["value"] = value["value"]
            records.append(record)
        multiple = claim_type is not None and name in claim_type.slots and claim_type.slots[name].multiple
        slots[name] = records if multiple or len(records) > 1 else records[0]
    return {"id": claim["id"], "type": claim["type"], "status": claim["status"], "annotator": claim["annotator"],
            "origin": claim["origin"], "confidence": claim["confidence"], "based_on": claim["based_on"], "note": claim["note"],
            "evidence": evidence, "slots": slots}


FORMATS = ("jsonl", "spacy", "conll", "csv", "brat")


def export(store: Store, kb: KnowledgeBase, schema: ClaimSchema, fmt: str, out: Path, statuses: tuple[str, ...] | None = None,
           types: tuple[str, ...] | None = None, annotator: str | None = None,
           progress: Callable[[int], None] | None = None, argv: list[str] | None = None) -> dict:
    """Write one export and its dataset card; return what was written and what could not be."""
    from annotations.brat import BratWriter
    from annotations.card import Tally, write_card
    from annotations.conll import ConllWriter
    from annotations.csvexport import CsvWriter
    from annotations.docbin import DocBinWriter

    tally = Tally()
    records = tally.watch(document_records(store, kb, schema, statuses, types, annotator))
    if progress:
        records = _reporting(records, progress)
    writer = {"spacy": lambda: DocBinWriter(out), "conll": lambda: ConllWriter(out), "csv": lambda: CsvWriter(out, schema, types),
              "brat": lambda: BratWriter(out, schema)}.get(fmt)
    if fmt == "jsonl":
        documents, dropped = write_jsonl(records, out), {}
    elif writer is None:
        raise ValueError(f"unknown export format {fmt!r}")
    else:
        target = writer()
        documents = target.write(records)
        dropped = target.dropped.counts if hasattr(target, "dropped") else {}
    filters = {"status": list(statuses) if statuses else "all", "types": list(types) if types else "all", "annotator": annotator or "all"}
    card, _ = write_card(store, schema, tally, Path(out), fmt, filters, dropped, argv)
    return {"documents": documents, "claims": sum(tally.claims.values()), "spans": sum(tally.spans.values()),
            "dropped": dropped, "card": card}


def _reporting(records: Iterator[dict], progress: Callable[[int], None]) -> Iterator[dict]:
    for record in records:
        yield record
        progress(1)


def write_lines(lines: Iterator[str], out: Path) -> int:
    """JSONL to a temporary name, renamed when complete: nothing half-written is left."""
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    count = 0
    with tmp.open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
            count += 1
    os.replace(tmp, out)
    return count


def write_jsonl(records: Iterator[dict], out: Path) -> int:
    return write_lines((json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in records), out)
