"""Bringing other curators' work into a workspace, for review: `import-annotations`.

A bundle is a JSONL export (one document per line) or another workspace database. Documents are
matched by SHA-256 and the missing ones come along; every span and claim keeps its annotator,
status and origin. The whole bundle is checked first (claim types and slots against the schema,
offsets and texts against the document) and stored in one transaction, or refused with every
problem named: nothing from a bad bundle is stored. A bundle is read twice, a document at a time
(once to check it, once to store it), so its size is not bounded by memory. Importing the same
bundle twice adds nothing: claims keep their ids, spans are recognised by position, label,
annotator and status, and a suggestion equal to one already in the workspace is mapped onto it
instead of being copied.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotations.claims import claim_signature
from annotations.errors import InputRefused
from annotations.export import STATUSES, document_records
from annotations.kb import KnowledgeBase
from annotations.schema import ClaimSchema, EntityFile
from annotations.store import Store, is_sqlite_file, now

ORIGINS = ("model", "rules", "kb", "curator", "import")


@dataclass
class BundleReport:
    documents_added: int = 0
    spans: int = 0
    claims: int = 0
    already_present: int = 0


SHOWN_PROBLEMS = 20  # a refusal names this many problems, then counts the rest


def check_bundle(path: Path, schema: ClaimSchema) -> int:
    """Read the whole bundle once and return how many documents it holds, or refuse it
    (InputRefused) naming its problems: JSON, claim types and slots, offsets and texts."""
    problems, count = [], 0
    for number, record, problem in _records(Path(path), schema):
        problems += [problem] if problem else record_problems(record, schema, f"line {number}")
        count += 1
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise InputRefused(str(path), "; ".join(problems[:SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else ""))
    if not count:
        raise InputRefused(str(path), "the bundle holds no documents")
    return count


def _records(path: Path, schema: ClaimSchema) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record, None) or (line number, None, what is wrong with the line), one document
    at a time, so that a bundle of any size is read in little memory."""
    if not path.is_file():
        raise InputRefused(str(path), "no such file")
    if is_sqlite_file(path):
        with Store(path) as other:
            for number, record in enumerate(document_records(other, KnowledgeBase.build(EntityFile(1, {}, "", "")), schema), 1):
                yield number, record, None
        return
    with path.open(encoding="utf-8-sig", errors="strict") as f:
        try:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line), None
                except json.JSONDecodeError as e:
                    yield number, None, f"line {number}: not valid JSON ({e.msg})"
        except UnicodeDecodeError as e:
            raise InputRefused(str(path), f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def record_problems(record, schema: ClaimSchema, where: str) -> list[str]:
    """Everything wrong with one document record, each naming the line, document and field."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return [f"{where}: a document needs a text"]
    text = record["text"]
    where = f"{where} ({record.get('name') or 'unnamed'})"
    problems = []
    if record.get("sha256") and hashlib.sha256(text.encode("utf-8")).hexdigest() != record["sha256"]:
        problems.append(f"{where}: sha256 does not match the text")

    def check_piece(what: str, piece, needs_text: bool = True) -> None:
        if not isinstance(piece, dict):
            problems.append(f"{where}: {what} is not an object")
            return
        start, end = piece.get("start"), piece.get("end")
        if start is None and end is None:
            return
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{where}: {what} offsets {start}..{end} are outside the text ({len(text)} characters)")
        elif needs_text and "text" in piece and piece["text"] != text[start:end]:
            problems.append(f"{where}: {what} says {piece['text']!r} but the text at {start}..{end} is {text[start:end]!r}")

    def check_row(what: str, row: dict) -> None:
        if not isinstance(row.get("status"), str) or row["status"] not in STATUSES:
            problems.append(f"{where}: {what} has status {row.get('status')!r}, not one of {', '.join(STATUSES)}")
        if not isinstance(row.get("annotator"), str) or not row["annotator"].strip():
            problems.append(f"{where}: {what} has no annotator")
        if not isinstance(row.get("origin"), str) or row["origin"] not in ORIGINS:
            problems.append(f"{where}: {what} has origin {row.get('origin')!r}, not one of {', '.join(ORIGINS)}")

    for key in ("spans", "claims"):
        if not isinstance(record.get(key) or [], list):
            problems.append(f"{where}: {key} is not a list")
            return problems
    for n, span in enumerate(record.get("spans") or [], start=1):
        what = f"span {n}"
        if not isinstance(span, dict):
            problems.append(f"{where}: {what} is not an object")
            continue
        if not isinstance(span.get("label"), str) or span["label"] not in schema.entity_labels:
            problems.append(f"{where}: {what} has label {span.get('label')!r}, unknown to the schema")
        check_row(what, span)
        check_piece(what, span)
    for n, claim in enumerate(record.get("claims") or [], start=1):
        if not isinstance(claim, dict) or not isinstance(claim.get("slots") or {}, dict):
            problems.append(f"{where}: claim {n} is not an object with a slots object")
            continue
        claim_type = schema.claim_types.get(claim.get("type")) if isinstance(claim.get("type"), str) else None
        what = f"claim {n} ({claim.get('type')})"
        if claim_type is None:
            problems.append(f"{where}: claim {n} has type {claim.get('type')!r}, unknown to the schema")
            continue
        check_row(what, claim)
        if claim.get("evidence"):
            check_piece(f"{what} evidence", claim["evidence"])
        for slot, values in (claim.get("slots") or {}).items():
            if slot not in claim_type.slots:
                problems.append(f"{where}: {what} has slot {slot!r}, which {claim_type.name} does not have")
                continue
            for value in values if isinstance(values, list) else [values]:
                check_piece(f"{what} slot {slot}", value)
    return problems


def import_bundle(store: Store, path: Path, schema: ClaimSchema, progress: Callable[[int], None] | None = None) -> BundleReport:
    """Store a bundle that check_bundle passed, in one transaction, reading it a second time a
    document at a time. A record that has gone bad since (the file changed under us) undoes it all."""
    report = BundleReport()
    stamp = now()
    with store.write():
        for number, record, problem in _records(Path(path), schema):
            problems = [problem] if problem else record_problems(record, schema, f"line {number}")
            if problems:
                raise InputRefused(str(path), f"changed while it was imported: {problems[0]}")
            doc_id = _document(store, record, str(path), report)
            _spans(store, doc_id, record.get("spans") or [], stamp, report)
            _claims(store, doc_id, record.get("claims") or [], stamp, report)
            for curator in record.get("done_by") or []:
                store.db["document_progress"].insert(
                    {"doc_id": doc_id, "annotator": curator, "status": "done", "updated_at": stamp}, replace=True)
            if progress:
                progress(1)
    return report


def _document(store: Store, record: dict, source: str, report: BundleReport) -> int:
    sha = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
    added, present = store.add_documents([{
        "name": record.get("name") or sha[:16], "title": record.get("title") or record["text"].strip().split("\n", 1)[0][:200],
        "text": record["text"], "sha256": sha, "lang": record.get("lang") or "xx", "meta": record.get("meta") or {},
        "published": record.get("published"), "source": source,
    }])
    report.documents_added += len(added)
    return (added or present)[0]["id"]


def _spans(store: Store, doc_id: int, spans: list[dict], stamp: str, report: BundleReport) -> None:
    existing = {tuple(r) for r in store.db.execute(
        'SELECT start, "end", label, kb_id, annotator, status FROM spans WHERE doc_id = ?', [doc_id])}
    rows = []
    for span in spans:
        key = (span["start"], span["end"], span["label"], span.get("kb_id"), span["annotator"], span["status"])
        if key in existing:
            report.already_present += 1
            continue
        existing.add(key)
        rows.append({"doc_id": doc_id, "start": span["start"], "end": span["end"], "label": span["label"],
                     "kb_id": span.get("kb_id"), "origin": span["origin"], "status": span["status"],
                     "annotator": span["annotator"], "created_at": stamp, "updated_at": stamp})
    store.db["spans"].insert_all(rows)
    report.spans += len(rows)


def _claims(store: Store, doc_id: int, claims: list[dict], stamp: str, report: BundleReport) -> None:
    known_ids = {r[0] for r in store.db.execute("SELECT id FROM claims WHERE doc_id = ?", [doc_id])}
    suggestions = {claim_signature(c): c["id"] for c in store.claims_of(doc_id, annotator="model")}
    renamed: dict[str, str] = {}
    in_bundle = {c.get("id") for c in claims}
    pending = list(claims)
    while pending:
        # a claim goes in once what it is based on is in (gold on a curator's claim on a suggestion)
        ready = [c for c in pending if c.get("based_on") is None or c["based_on"] not in in_bundle
                 or c["based_on"] in known_ids or c["based_on"] in renamed]
        if not ready:  # a cycle cannot come from an export; take the rest as they are
            ready = pending
        pending = [c for c in pending if all(c is not r for r in ready)]
        batch = []
        for claim in ready:
            slots = {name: values if isinstance(values, list) else [values] for name, values in claim["slots"].items()}
            if claim.get("id") in known_ids:
                report.already_present += 1
                continue
            signature = claim_signature({"type": claim["type"], "slots": slots})
            if claim["annotator"] == "model" and signature in suggestions:
                renamed[claim["id"]] = suggestions[signature]
                report.already_present += 1
                continue
            based_on = renamed.get(claim.get("based_on"), claim.get("based_on"))
            if based_on is not None and based_on not in known_ids:
                based_on = None  # its suggestion is in neither workspace: the decision stands on its own
            evidence = claim.get("evidence") or None
            batch.append({**claim, "doc_id": doc_id, "slots": slots, "based_on": based_on,
                          "evidence": {"start": evidence["start"], "end": evidence["end"]} if evidence else None})
            if claim.get("id"):
                known_ids.add(claim["id"])  # the same id again in this bundle is already here
        known_ids.update(store.insert_claims(batch, stamp))  # a round's claims do not depend on each other
        report.claims += len(batch)
