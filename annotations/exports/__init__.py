"""Exports. Every format is written from the lines of the JSONL contract (docs/design.md) that SQLite
builds (annotations/exports/jsonl.py): JSONL writes them as they are, with three fields more for moving work
between workspaces: `done_by` (the curators who finished the document), and a claim's `based_on`
(the suggestion it decides on) and `note`; the other formats parse them. An export reads the
workspace in one transaction, so the file and its dataset card describe one moment even while
curators go on working; documents stream a chunk at a time, so memory does not grow with the
workspace. The file and its card are written to temporary names and renamed at the end
(annotations/files.py): nothing half-written is left.

`span_record` and `claim_record` give the same shape to pre-annotations that never were in a
workspace (`preannotate-file`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from annotations.errors import OutputRefused
from annotations.exports import jsonl
from annotations.files import check_output, staged
from annotations.model import Status
from annotations.nlp.kb import KnowledgeBase
from annotations.schema import ClaimSchema
from annotations.store import Store

STATUSES = tuple(str(status) for status in Status)  # what --status can name


def document_records(store: Store, kb: KnowledgeBase, schema: ClaimSchema, statuses: tuple[str, ...] | None = None,
                     types: tuple[str, ...] | None = None, annotator: str | None = None) -> Iterator[dict]:
    """The workspace as export records (the JSONL contract, docs/design.md), one document at a time."""
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


class Writer(Protocol):
    """A format other than JSONL. Made with (path to write, schema, claim types), it writes the
    records of the JSONL contract and returns how many documents it wrote. It may count in
    `dropped` what the format cannot hold, and a folder format names in `FOLDER_FILES` the files it
    owns (an earlier export's folder is replaced only if it holds nothing else)."""

    def write(self, records: Iterable[dict]) -> int: ...


# Each format's writer, imported when used (spaCy and cassis take a while to load). JSONL has none:
# its lines are written as SQLite builds them.
WRITERS = {"spacy": "docbin.DocBinWriter", "conll": "conll.ConllWriter", "csv": "csvfile.CsvWriter",
           "brat": "brat.BratWriter", "xmi": "xmi.XmiWriter"}
FORMATS = ("jsonl", *WRITERS)


def export(store: Store, kb: KnowledgeBase, schema: ClaimSchema, fmt: str, out: Path, statuses: tuple[str, ...] | None = None,
           types: tuple[str, ...] | None = None, annotator: str | None = None,
           progress: Callable[[int], None] | None = None, argv: list[str] | None = None) -> dict:
    """Write one export and its dataset card; return what was written and what could not be.

    Refused before any work: an output path that is the workspace or any SQLite file, a folder
    that is not an earlier export of this format, and a schema that would orphan stored claims. The export and its card are written
    under temporary names; the card is renamed into place first, then the export, so a full disk
    or a kill never leaves a truncated card or a new export beside an old card."""
    from annotations.exports.card import Tally, card_paths, write_card

    out = Path(out)
    check_output(out, store.path)
    writer = _writer(fmt)
    _check_folder(out, fmt, getattr(writer, "FOLDER_FILES", None))
    store.refuse_orphaning(schema)  # else claims of a renamed type or slot would be left out unsaid
    with store.reading(), staged() as files:
        data = files.path(out)
        tally = Tally.of(store, statuses, types, annotator)
        lines = _noted(jsonl.lines(store, kb, schema, statuses, types, annotator), tally, progress)
        if writer is None:
            documents, dropped = write_lines((line.text for line in lines), data), {}
        else:
            target = writer(data, schema, types)
            documents = target.write(json.loads(line.text) for line in lines)
            dropped = target.dropped.counts if hasattr(target, "dropped") else {}
        filters = {"status": list(statuses) if statuses else "all", "types": list(types) if types else "all", "annotator": annotator or "all"}
        inside = data.is_dir()
        card, readme = card_paths(data if inside else out, inside)
        write_card(store, schema, tally, card if inside else files.path(card), readme if inside else files.path(readme),
                   out.name, fmt, filters, dropped, argv)
        if not inside:
            files.move_in(card, readme)
    if out.is_dir():  # a folder holds its card: an earlier one-file export's card beside it is stale
        for stale in card_paths(out, inside=False):
            stale.unlink(missing_ok=True)
    return {"documents": documents, "claims": sum(tally.claims.values()), "spans": sum(tally.spans.values()),
            "dropped": dropped, "card": card_paths(out, out.is_dir())[0]}


def _writer(fmt: str) -> type[Writer] | None:
    """The writer class of a format (see WRITERS); None for JSONL."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "jsonl":
        return None
    module, name = WRITERS[fmt].split(".")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def _check_folder(out: Path, fmt: str, owned) -> None:
    """An export replaces an existing folder only when it is empty or an earlier export of this
    format: its card.json says so and it holds nothing but what the format writes."""
    if not out.is_dir():
        return
    entries = [item.name for item in out.iterdir()]
    if not entries:
        return
    try:
        card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        card = None
    foreign = [name for name in entries if owned is None or not owned.fullmatch(name)]
    if not isinstance(card, dict) or card.get("format") != fmt or foreign:
        why = (f"it holds {', '.join(sorted(foreign)[:3])}" + (" and more" if len(foreign) > 3 else "") if foreign
               else f"it is not an earlier {fmt} export of Claimdesk (no card.json saying so)")
        raise OutputRefused(f"--out {out}: is a folder that an export would replace, and {why}; give --out a new name")


def _noted(lines: Iterator[jsonl.Line], tally, progress: Callable[[int], None] | None) -> Iterator[jsonl.Line]:
    """The lines, each document entered in the card's tally and reported to the progress bar."""
    for line in lines:
        tally.documents[line.name] = line.sha256
        yield line
        if progress:
            progress(1)


def write_lines(lines: Iterable[str], out: Path) -> int:
    """JSONL lines to a file (the caller stages it under a temporary name)."""
    count = 0
    with Path(out).open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(line)
            f.write("\n")
            count += 1
    return count


def write_jsonl(records: Iterator[dict], out: Path) -> int:
    """A bundle of records, written under a temporary name and renamed when complete."""
    with staged() as files:
        return write_lines((json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
                            for record in records), files.path(out))
