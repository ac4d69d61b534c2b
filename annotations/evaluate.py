"""Suggestions against gold: precision, recall and F1 per claim type (and per entity label).

A suggestion is right when it has the gold fact's type and every slot the gold fact gives that
the schema marks required matches: an entity by its kb_id (or its text, lower-cased), a number
within 1%, a period, date or choice exactly, a text when one contains the other. Each gold fact is
matched at most once. Gold comes from the workspace (status gold) or from a facts file such as
tests/data/seed_gold.jsonl: {"doc": NAME, "type": TYPE, "slots": {SLOT: value or kb_id}}.

Only the documents gold covers are scored: with the workspace's gold, those a reviewer resolved
(they hold a gold span or claim); with a facts file, those it names. Suggestions on articles nobody
has resolved yet are neither right nor wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from annotations.errors import InputRefused, NotFound
from annotations.schema import ClaimSchema, Slot
from annotations.store import Store

TOLERANCE = 0.01


def _identity(value: dict) -> str:
    return (value.get("kb_id") or value.get("text", "")).lower()


def _plain(value: dict, slot: Slot):
    """A stored slot value in the facts file's terms."""
    if slot.kind == "entity":
        return _identity(value)
    if slot.kind == "text":
        return value.get("text", "").lower()
    return (value.get("value") or {}).get("value")


def claim_as_fact(doc: str, claim: dict, schema: ClaimSchema) -> dict:
    claim_type = schema.claim_types.get(claim["type"])
    slots = {}
    for name, values in claim["slots"].items():
        slot = claim_type.slots.get(name) if claim_type else None
        if slot is None:
            continue
        values = values if isinstance(values, list) else [values]
        plain = [_plain(v, slot) for v in values]
        slots[name] = plain if slot.multiple else plain[0]
    return {"doc": doc, "type": claim["type"], "slots": slots}


def _same(expected, got, slot: Slot) -> bool:
    if got is None:
        return False
    if slot.multiple:
        return {str(e).lower() for e in expected} == {str(g).lower() for g in got}
    if slot.kind in ("percent", "money", "count", "ordinal"):
        try:
            e, g = float(expected), float(got)
        except (TypeError, ValueError):
            return False
        return abs(e - g) <= TOLERANCE * max(abs(e), 1e-9)
    if slot.kind == "text":
        e, g = str(expected).lower(), str(got).lower()
        return e in g or g in e
    return str(expected).lower() == str(got).lower()


def matches(gold: dict, fact: dict, schema: ClaimSchema) -> bool:
    if gold["doc"] != fact["doc"] or gold["type"] != fact["type"]:
        return False
    claim_type = schema.claim_types[gold["type"]]
    return all(_same(expected, fact["slots"].get(name), claim_type.slots[name])
               for name, expected in gold["slots"].items() if claim_type.slots[name].required)


def evaluate(store: Store, schema: ClaimSchema, gold_facts: list[dict] | None = None) -> dict:
    """Claims (and, with the workspace's gold, entity spans) of the model against gold, on the
    documents gold covers."""
    if gold_facts is None:
        documents = store.documents_with_gold()
    else:
        documents = []
        for name in sorted({fact["doc"] for fact in gold_facts}):
            try:
                documents.append((store.document_id(name), name))
            except NotFound:
                continue  # its gold facts count as missed
    suggested, gold, suggested_spans, gold_spans = [], [], [], []
    for doc_id, name in documents:
        suggested += [claim_as_fact(name, c, schema) for c in store.claims_of(doc_id, ("suggested",), "model")]
        if gold_facts is None:
            gold += [claim_as_fact(name, c, schema) for c in store.claims_of(doc_id, ("gold",))]
            spans = [(name, s["start"], s["end"], s["label"]) for s in store.spans_of(doc_id, ("gold",))]
            if spans:  # entities are scored where the reviewer resolved them
                gold_spans += spans
                suggested_spans += [(name, s["start"], s["end"], s["label"]) for s in store.spans_of(doc_id, ("suggested",), "model")]
    return {"claims": score(gold if gold_facts is None else gold_facts, suggested, schema),
            "entities": score_entities(gold_spans, suggested_spans) if gold_spans else None}


def score(gold: list[dict], suggested: list[dict], schema: ClaimSchema) -> dict:
    """Per claim type and overall: tp, fp, fn, precision, recall, f1. A suggestion is matched
    against the gold of its own document only."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    unmatched: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        unmatched[g["doc"]].append(g)
    for fact in suggested:
        candidates = unmatched[fact["doc"]]
        hit = next((g for g in candidates if matches(g, fact, schema)), None)
        if hit is not None:
            candidates.remove(hit)
            counts[fact["type"]]["tp"] += 1
        else:
            counts[fact["type"]]["fp"] += 1
    for g in (g for candidates in unmatched.values() for g in candidates):
        counts[g["type"]]["fn"] += 1
    total = {"tp": 0, "fp": 0, "fn": 0}
    for c in counts.values():
        for k in total:
            total[k] += c[k]
    result = {name: _figures(c) for name, c in sorted(counts.items())}
    result["overall"] = _figures(total)
    return result


def _figures(c: dict) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {**c, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def read_facts(path: Path, schema: ClaimSchema) -> list[dict]:
    """A facts file; every line is checked against the schema and all problems reported at once."""
    facts, problems = [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fact = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {number}: not valid JSON ({e.msg})")
            continue
        claim_type = schema.claim_types.get(fact.get("type")) if isinstance(fact, dict) else None
        if claim_type is None:
            problems.append(f"line {number}: unknown claim type {fact.get('type') if isinstance(fact, dict) else fact!r}")
            continue
        unknown = set(fact.get("slots", {})) - set(claim_type.slots)
        if unknown:
            problems.append(f"line {number}: {fact['type']} has no slot {', '.join(sorted(unknown))}")
            continue
        facts.append(fact)
    if problems:
        raise InputRefused(str(path), "; ".join(problems))
    return facts


def score_entities(gold: list[tuple], suggested: list[tuple]) -> dict:
    """Entity spans as (document, start, end, label), matched exactly: per label and overall."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    gold_set, suggested_set = set(gold), set(suggested)
    for span in suggested_set:
        counts[span[3]]["tp" if span in gold_set else "fp"] += 1
    for span in gold_set - suggested_set:
        counts[span[3]]["fn"] += 1
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    result = {label: _figures(c) for label, c in sorted(counts.items())}
    result["overall"] = _figures(total)
    return result
