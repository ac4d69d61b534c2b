"""Bringing other curators' work into a workspace, for review: `import-annotations`.

A bundle is a JSONL export (one document per line) or another workspace database. Documents are
matched by SHA-256 and the missing ones come along; every span and claim keeps its annotator,
status and origin. The whole bundle is checked first (every field against the declared shape,
schemas/bundle.schema.json; claim types and slots against the schema; offsets and texts against
the document; claims against the workspace's) and stored in one transaction, or refused with every
problem named: nothing from a bad bundle is stored. A bundle is read twice, a document at a time
(once to check it, once to store it), so its size is not bounded by memory. Importing the same
bundle twice adds nothing: claims keep their ids, spans are recognised by position, label,
annotator and status, and a suggestion equal to one already in the workspace is mapped onto it
instead of being copied. A curator's newer bundle updates their own earlier rows (audited); a
bundle never changes another curator's, and something that differs is never "already here".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from annotations import jsontext
from annotations.claims import claim_signature
from annotations.errors import InputRefused
from annotations.exports import document_records
from annotations.files import is_sqlite_file
from annotations.ingest import MAX_TEXT
from annotations.model import MODEL_ANNOTATOR, Claim, Origin, Progress, Status, as_list
from annotations.nlp.kb import KnowledgeBase
from annotations.schema import ClaimSchema, EntityFile
from annotations.settings import SCHEMA_DIR, load_settings
from annotations.store import Store, now
from annotations.workspace import open_workspace


@dataclass
class BundleReport:
    documents_added: int = 0
    spans: int = 0
    claims: int = 0
    already_present: int = 0
    updated: int = 0  # a curator's decisions that changed since their last bundle


SHOWN_PROBLEMS = 20  # a refusal names this many problems, then counts the rest
SHAPE = SCHEMA_DIR / "bundle.schema.json"


def check_bundle(path: Path, schema: ClaimSchema, store: Store | None = None, checked: set[bytes] | None = None) -> int:
    """Read the whole bundle once and return how many documents it holds, or refuse it
    (InputRefused) naming its problems: JSON, the shape of every field, claim types and slots,
    offsets and texts; and, against the workspace `store`, a claim of one curator arriving as
    another's or a document under the name of a different one. `checked` collects a digest of each
    line, so that storing it need not check its shape again."""
    problems, count, names = [], 0, {}
    for number, record, problem, digest in _records(Path(path), schema):
        found = [problem] if problem else record_problems(record, schema, f"line {number}")
        if not found and store is not None:
            found = workspace_problems(store, record, f"line {number}", names)
        if not found and checked is not None and digest is not None:
            checked.add(digest)
        problems += found
        count += 1
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise InputRefused(str(path), "; ".join(problems[:SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else ""))
    if not count:
        raise InputRefused(str(path), "the bundle holds no documents")
    return count


def _records(path: Path, schema: ClaimSchema) -> Iterator[tuple[int, dict | None, str | None, bytes | None]]:
    """(line number, record, None, digest of the line) or (line number, None, what is wrong with the
    line, None), one document at a time, so that a bundle of any size is read in little memory."""
    if not path.is_file():
        raise InputRefused(str(path), "no such file")
    if is_sqlite_file(path):
        with open_workspace(load_settings(path)) as other:
            for number, record in enumerate(document_records(other, KnowledgeBase.build(EntityFile(1, {}, "", "")), schema), 1):
                yield number, record, None, None
        return
    with path.open(encoding="utf-8-sig", errors="strict") as f:
        try:
            for number, line, record in jsontext.numbered_lines(f):
                if isinstance(record, jsontext.NotJson):
                    yield number, None, f"line {number}: {record}", None
                    continue
                yield number, record, None, hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        except UnicodeDecodeError as e:
            raise InputRefused(str(path), f"not UTF-8 text ({e.reason} at byte {e.start})") from None


@cache
def _shape() -> Draft202012Validator:
    """The declared shape of a bundle line, with the vocabulary filled in from the code's one place.
    Its $refs are written out in place: the validator resolves a $ref at each use, which took half
    its time on a bundle's thousands of spans."""
    shape = json.loads(SHAPE.read_text(encoding="utf-8"))
    shape["$defs"]["status"]["enum"] = [str(status) for status in Status]
    shape["$defs"]["origin"]["enum"] = [str(origin) for origin in Origin]
    shape["properties"]["text"]["maxLength"] = MAX_TEXT
    Draft202012Validator.check_schema(shape)
    return Draft202012Validator(_inline(shape, shape.pop("$defs")))


def _inline(node, defs: dict):
    """The schema with each {"$ref": "#/$defs/NAME", ...} replaced by NAME's definition and the rest."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {key: _inline(value, defs) for key, value in node.items() if key != "$ref"}
    return {**_inline(defs[node["$ref"].removeprefix("#/$defs/")], defs), **rest} if "$ref" in node else rest


_SINGULAR = {"spans": "span", "claims": "claim", "done_by": "done_by", "slots": "slot"}


def _field(path) -> str:
    """A place in a record in words: ("claims", 0, "evidence") is "claim 1 evidence"."""
    words, previous = [], None
    for part in path:
        if isinstance(part, int):
            words[-1:] = [f"{_SINGULAR.get(previous, previous)} {part + 1}"]
        else:
            words.append(str(part))
        previous = part
    return " ".join(words) or "the line"


def shape_problems(record, where: str) -> list[str]:
    """Every field of the record that does not have the declared shape (schemas/bundle.schema.json)."""
    problems = []
    for error in sorted(_shape().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]):
        message = error.message if len(error.message) <= 160 else error.message[:150] + "…"
        problems.append(f"{where}: {_field(error.absolute_path)}: {message}")
    return problems


def record_problems(record, schema: ClaimSchema, where: str, shape_checked: bool = False) -> list[str]:
    """Everything wrong with one document record, each naming the line, document and field. A
    record with the declared shape has each claim's single slot values made lists here, the one
    place a bundle comes in: from here on every slot holds a list, as in the workspace."""
    problems = [] if shape_checked else shape_problems(record, where)
    if problems:
        return problems
    for claim in record.get("claims") or []:
        claim["slots"] = {name: as_list(values) for name, values in claim["slots"].items()}
    text = record["text"]
    where = f"{where} ({record.get('name') or 'unnamed'})"
    if record.get("sha256") and hashlib.sha256(text.encode("utf-8")).hexdigest() != record["sha256"]:
        problems.append(f"{where}: sha256 does not match the text")
    if jsontext.too_deep(record.get("meta") or {}):
        problems.append(f"{where}: meta nests objects and lists more than {jsontext.MAX_DEPTH} levels deep")

    def check_piece(what: str, piece: dict) -> None:
        start, end = piece.get("start"), piece.get("end")
        if start is None and end is None:
            return
        if start is None or end is None or not 0 <= start < end <= len(text):
            problems.append(f"{where}: {what} offsets {start}..{end} are outside the text ({len(text)} characters)")
        elif "text" in piece and piece["text"] != text[start:end]:
            problems.append(f"{where}: {what} says {piece['text']!r} but the text at {start}..{end} is {text[start:end]!r}")

    for n, span in enumerate(record.get("spans") or [], start=1):
        if span["label"] not in schema.entity_labels:
            problems.append(f"{where}: span {n} has label {span['label']!r}, unknown to the schema")
        check_piece(f"span {n}", span)
    for n, claim in enumerate(record.get("claims") or [], start=1):
        claim_type = schema.claim_types.get(claim["type"])
        what = f"claim {n} ({claim['type']})"
        if claim_type is None:
            problems.append(f"{where}: claim {n} has type {claim['type']!r}, unknown to the schema")
            continue
        if claim.get("evidence"):
            check_piece(f"{what} evidence", claim["evidence"])
        for slot, values in claim["slots"].items():
            if slot not in claim_type.slots:
                problems.append(f"{where}: {what} has slot {slot!r}, which {claim_type.name} does not have")
                continue
            for value in values:
                check_piece(f"{what} slot {slot}", value)
    return problems


def workspace_problems(store: Store, record: dict, where: str, names: dict[str, str]) -> list[str]:
    """What the record would do wrong to the workspace: store a claim that is one curator's under
    another's name (or a changed suggestion), or add a different text under a name already used.
    `names` collects the bundle's own names, so that two of its lines are compared too."""
    sha = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
    name = record.get("name") or sha[:16]
    where = f"{where} ({name})"
    problems = []
    doc_id = store.document_by_sha256(sha)
    if doc_id is None:
        other = names.get(name) or store.sha256_of_name(name)
        if other is not None and other != sha:
            problems.append(f"{where}: a different document (another text) is already named {name!r}; "
                            "give one of them another name")
    names.setdefault(name, sha)
    known = store.claims_by_id([c["id"] for c in record.get("claims") or [] if c.get("id")])
    for claim in record.get("claims") or []:
        existing = known.get(claim.get("id"))
        if existing is not None:
            verdict = _compare(existing, claim, doc_id)
            if verdict not in ("same", "update"):
                problems.append(f"{where}: claim {claim['id']} {verdict}")
    return problems


def _decision(claim: Claim) -> tuple:
    """What a curator decides about a claim, to tell their newer version from an earlier one (the
    confidence is the model's and based_on is renamed on the way in, so neither counts)."""
    evidence = claim.get("evidence") or {}
    return (claim["type"], claim["status"], claim["origin"], claim.get("note"), evidence.get("start"), evidence.get("end"),
            sorted((name, [(v.get("text"), v.get("start"), v.get("end"), v.get("label"), v.get("kb_id"),
                            json.dumps(v.get("value"), sort_keys=True)) for v in values]) for name, values in claim["slots"].items()))


def _compare(existing: Claim, claim: Claim, doc_id: int | None) -> str:
    """"same", "update" (the same curator's newer version), or why a bundle may not bring it."""
    if doc_id is not None and existing["doc_id"] != doc_id:
        return "is a claim of another document in the workspace"
    if existing["annotator"] != claim["annotator"]:
        return (f"is {existing['annotator']}'s in the workspace and {claim['annotator']}'s in the bundle; "
                "a bundle never changes another curator's claim")
    if _decision(existing) == _decision(claim):
        return "same"
    if claim["annotator"] == MODEL_ANNOTATOR:
        return "is a suggestion that differs from the workspace's; suggestions change only through preannotate"
    return "update"


def import_bundle(store: Store, path: Path, schema: ClaimSchema, progress: Callable[[int], None] | None = None,
                  checked: set[bytes] = frozenset()) -> BundleReport:
    """Store a bundle that check_bundle passed, in one transaction, reading it a second time a
    document at a time. A record that has gone bad since (the file changed under us) undoes it all;
    a line among those check_bundle saw `checked` is not checked for its shape again."""
    report = BundleReport()
    stamp = now()
    with store.write():
        for number, record, problem, digest in _records(Path(path), schema):
            problems = [problem] if problem else record_problems(record, schema, f"line {number}", digest in checked)
            if problems:
                raise InputRefused(str(path), f"changed while it was imported: {problems[0]}")
            doc_id = _document(store, record, str(path), report)
            _spans(store, doc_id, record.get("spans") or [], stamp, report)
            _claims(store, doc_id, record.get("claims") or [], stamp, report, f"{path}: changed while it was imported: line {number}")
            for curator in record.get("done_by") or []:
                store.set_progress(doc_id, curator, Progress.DONE, stamp)
            for curator, seconds in (record.get("lead_time") or {}).items():
                store.keep_active_time(doc_id, curator, seconds)
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
    """Spans have no ids in a bundle: one is already here when the same annotator has a span of the
    same place, label, link and status. A curator's span at a place where the workspace holds their
    span with another label, link or status is their newer decision: that row is updated."""
    existing, mine = set(), {}
    for span in store.spans_of(doc_id):  # in id order at each place
        key = _span_key(span)
        existing.add(key)
        if span["annotator"] != MODEL_ANNOTATOR:
            mine.setdefault((span["start"], span["end"], span["annotator"]), []).append((span["id"], key))
    wanted = {_span_key(span) for span in spans}
    rows = []
    for span in spans:
        key = _span_key(span)
        if key in existing:
            report.already_present += 1
            continue
        earlier = [(span_id, old) for span_id, old in mine.get((span["start"], span["end"], span["annotator"]), []) if old not in wanted]
        if earlier:
            span_id, old = earlier[0]
            mine[(span["start"], span["end"], span["annotator"])].remove(earlier[0])
            before = store.row_snapshot("spans", str(span_id))
            store.update_span(span_id, label=span["label"], kb_id=span.get("kb_id"), status=span["status"], origin=span["origin"],
                              updated_at=stamp)
            _audit(store, span["annotator"], doc_id, "spans", str(span_id), before)
            existing.add(key)
            report.updated += 1
            continue
        existing.add(key)
        rows.append({"doc_id": doc_id, "start": span["start"], "end": span["end"], "label": span["label"],
                     "kb_id": span.get("kb_id"), "origin": span["origin"], "status": span["status"],
                     "annotator": span["annotator"], "created_at": stamp, "updated_at": stamp})
    store.insert_spans(rows)
    report.spans += len(rows)


def _span_key(span: dict) -> tuple:
    return (span["start"], span["end"], span["label"], span.get("kb_id"), span["annotator"], span["status"])


def _claims(store: Store, doc_id: int, claims: list[Claim], stamp: str, report: BundleReport, changed: str) -> None:
    known_ids = store.claim_ids_of(doc_id)
    known = store.claims_by_id([c["id"] for c in claims if c.get("id")])
    suggestions = {claim_signature(c): c["id"] for c in store.claims_of(doc_id, annotator=MODEL_ANNOTATOR)}
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
            slots = claim["slots"]
            if claim.get("id") in known:
                verdict = _compare(known[claim["id"]], claim, doc_id)
                if verdict == "update":
                    _update_claim(store, doc_id, claim, stamp)
                    report.updated += 1
                elif verdict == "same":
                    report.already_present += 1
                else:
                    raise InputRefused(changed, f"claim {claim['id']} {verdict}")
                known_ids.add(claim["id"])
                continue
            if claim.get("id") in known_ids:  # the same id twice in this bundle
                report.already_present += 1
                continue
            signature = claim_signature({"type": claim["type"], "slots": slots})
            if claim["annotator"] == MODEL_ANNOTATOR and signature in suggestions:
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
                known_ids.add(claim["id"])
        known_ids.update(store.insert_claims(batch, stamp))  # a round's claims do not depend on each other
        report.claims += len(batch)


def _update_claim(store: Store, doc_id: int, claim: Claim, stamp: str) -> None:
    """A curator's newer version of their claim replaces the earlier one, recorded in the audit log."""
    before = store.row_snapshot("claims", claim["id"])
    evidence = claim.get("evidence") or {}
    store.replace_claim_slots(claim["id"], claim["slots"])
    store.update_claim(claim["id"], type=claim["type"], status=claim["status"], origin=claim["origin"], note=claim.get("note"),
                       confidence=claim.get("confidence"), evidence_start=evidence.get("start"), evidence_end=evidence.get("end"),
                       updated_at=stamp)
    _audit(store, claim["annotator"], doc_id, "claims", claim["id"], before)


def _audit(store: Store, annotator: str, doc_id: int, table: str, key: str, before: dict | None) -> None:
    """An audit entry for a row a bundle changed, in the shape curation writes (undo can replay it)."""
    store.append_audit(annotator, f"import {table[:-1]} update", doc_id, {table: {key: before}},
                       {table: {key: store.row_snapshot(table, key)}})
