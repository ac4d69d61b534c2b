"""Exports. Every format is written from the lines of DESIGN.md's JSONL contract that SQLite
builds (annotations/jsonl.py): JSONL writes them as they are, with three fields more for moving work
between workspaces: `done_by` (the curators who finished the document), and a claim's `based_on`
(the suggestion it decides on) and `note`; the other formats parse them. An export reads the
workspace in one transaction, so the file and its dataset card describe one moment even while
curators go on working; documents stream a chunk at a time, so memory does not grow with the
workspace. The file is written to a temporary name and renamed at the end: nothing half-written
is left.

`span_record` and `claim_record` give the same shape to pre-annotations that never were in a
workspace (`preannotate-file`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from annotations import jsonl
from annotations.kb import KnowledgeBase
from annotations.schema import ClaimSchema
from annotations.store import Store

STATUSES = ("suggested", "accepted", "corrected", "rejected", "gold")


def document_records(store: Store, kb: KnowledgeBase, schema: ClaimSchema, statuses: tuple[str, ...] | None = None,
                     types: tuple[str, ...] | None = None, annotator: str | None = None) -> Iterator[dict]:
    """The workspace as export records (DESIGN.md's JSONL contract), one document at a time."""
    with store.reading():
        for line in jsonl.lines(store, kb, schema, statuses, types, annotator):
            yield json.loads(line.text)


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

    writer = {"spacy": lambda: DocBinWriter(out), "conll": lambda: ConllWriter(out), "csv": lambda: CsvWriter(out, schema, types),
              "brat": lambda: BratWriter(out, schema)}.get(fmt)
    if fmt != "jsonl" and writer is None:
        raise ValueError(f"unknown export format {fmt!r}")
    with store.reading():
        tally = Tally.of(store, statuses, types, annotator)
        lines = _noted(jsonl.lines(store, kb, schema, statuses, types, annotator), tally, progress)
        if fmt == "jsonl":
            documents, dropped = write_lines((line.text for line in lines), out), {}
        else:
            target = writer()
            documents = target.write(json.loads(line.text) for line in lines)
            dropped = target.dropped.counts if hasattr(target, "dropped") else {}
    filters = {"status": list(statuses) if statuses else "all", "types": list(types) if types else "all", "annotator": annotator or "all"}
    card, _ = write_card(store, schema, tally, Path(out), fmt, filters, dropped, argv)
    return {"documents": documents, "claims": sum(tally.claims.values()), "spans": sum(tally.spans.values()),
            "dropped": dropped, "card": card}


def _noted(lines: Iterator[jsonl.Line], tally, progress: Callable[[int], None] | None) -> Iterator[jsonl.Line]:
    """The lines, each document entered in the card's tally and reported to the progress bar."""
    for line in lines:
        tally.documents[line.name] = line.sha256
        yield line
        if progress:
            progress(1)


def write_lines(lines: Iterable[str], out: Path) -> int:
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
