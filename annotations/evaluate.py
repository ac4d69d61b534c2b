"""Suggestions against gold: precision and recall per claim type, scored two ways, and per entity label.

A suggestion is right when it states the gold fact: its type, and every slot the gold fact gives
that the schema marks required (the subject and the main value: a share, an amount, a count, a
change; a role's person, title and organisation). Scored **strictly**, the market, the period, the
basis and the money's currency must be right too wherever the gold states them. Each gold fact is
matched at most once, the most confident suggestions first.

How slots compare: an entity by any of its names (as written, canonical, kb_id), equal or one
inside the other as whole words ("Ryanair" is "Ryanair Holdings"), or one the other's initials
("TSMC" is "Taiwan Semiconductor Manufacturing Co."); a number within 1% (money said in two
currencies, "£600m ($1.1bn)", by either amount); a period or
date exactly, or one a prefix of the other ("2013-03" and "2013-03-15"); a choice exactly; a text
when one contains the other.

Gold comes from the workspace (status gold) or from a facts file, one fact a line:
    {"doc": NAME, "type": TYPE, "slots": {SLOT: value}, "evidence": "...", "note": "forecast"}
where a value slot holds a number or {"value", "qualifier", "currency"}, an entity slot a name (a
list for multiple slots), a period "2019-Q2". Facts marked as forecasts are claims too: a curator
records what the article states.

Only the documents gold covers are scored: with the workspace's gold, those a reviewer resolved
(they hold a gold span or claim); with a facts file, those it names. Suggestions on articles nobody
has resolved yet are neither right nor wrong. The reliability curve says, per band of confidence,
how many suggestions were right: what a curator sorting by confidence can expect.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from annotations.errors import InputRefused, NotFound
from annotations.model import MODEL_ANNOTATOR, Origin, Status, as_list
from annotations.schema import ClaimSchema, Slot
from annotations.store import Store

TOLERANCE = 0.01
STRICT_SLOTS = ("market", "period", "basis")  # and the currency of money
NUMBER_KINDS = ("percent", "money", "count", "ordinal")
CONFIDENCE_BANDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass(frozen=True)
class Fact:
    """A claim reduced to what scoring compares: each slot's values in one shape, gold or suggested."""

    doc: str
    type: str
    slots: dict
    confidence: float | None = None


def _names(value: dict) -> frozenset[str]:
    return frozenset(_name(n) for n in (value.get("text"), value.get("canonical"), value.get("kb_id")) if n)


def _name(name: str) -> str:
    name = re.sub(r"['’]s$", "", str(name).strip().lower())
    return re.sub(r"^the\s+", "", name)


def _stored_value(value: dict, slot: Slot):
    """A stored slot value in the compared shape."""
    if slot.kind == "entity":
        return _names(value)
    if slot.kind == "text":
        return value.get("text", "").lower()
    normalised = value.get("value") or {}
    return normalised.get("value") if slot.kind in ("choice", "period", "date") else normalised


def _gold_value(value, slot: Slot):
    """A facts file's slot value in the compared shape."""
    if slot.kind == "entity":
        return frozenset({_name(value)})
    if slot.kind in NUMBER_KINDS:
        return value if isinstance(value, dict) else {"value": value}
    return str(value).lower() if slot.kind == "text" else value


def as_fact(doc: str, claim: dict, schema: ClaimSchema) -> Fact:
    """A stored claim (as Store.claims_of gives it) as a Fact."""
    claim_type = schema.claim_types.get(claim["type"])
    slots = {}
    for name, values in claim["slots"].items():
        slot = claim_type.slots.get(name) if claim_type else None
        if slot is not None:
            slots[name] = [_stored_value(v, slot) for v in values]
    return Fact(doc, claim["type"], slots, claim.get("confidence"))


def claim_as_fact(doc: str, claim: dict, schema: ClaimSchema) -> dict:
    """A stored claim in plain terms (an entity's kb_id or text, a number, a period), for comparing
    curators' versions of a claim with each other."""
    claim_type = schema.claim_types.get(claim["type"])
    slots = {}
    for name, values in claim["slots"].items():
        slot = claim_type.slots.get(name) if claim_type else None
        if slot is None:
            continue
        plain = [(v.get("kb_id") or v.get("text", "")).lower() if slot.kind == "entity"
                 else v.get("text", "").lower() if slot.kind == "text" else (v.get("value") or {}).get("value") for v in values]
        slots[name] = plain if slot.multiple else plain[0]
    return {"doc": doc, "type": claim["type"], "slots": slots}


LEGAL_FORMS = {"co", "corp", "corporation", "inc", "ltd", "plc", "llc", "group", "holdings", "company", "sa", "ag", "nv"}


def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if not short:
        return False
    return re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None or _abbreviates(short, long)


def _abbreviates(short: str, long: str) -> bool:
    """"tsmc" for "taiwan semiconductor manufacturing co.", "ibm" for "international business
    machines corp": one word made of the other's initials, with or without its legal form."""
    if len(short) < 2 or not short.isalnum():
        return False
    words = re.findall(r"\w+", long)
    while len(words) > 1:
        if short == "".join(w[0] for w in words):
            return True
        if words[-1] not in LEGAL_FORMS:
            return False
        words = words[:-1]
    return False


def _same(slot: Slot, expected, got, strict: bool) -> bool:
    if got is None:
        return False
    if slot.kind == "entity":
        return any(_same_name(e, g) for e in expected for g in got)
    if slot.kind in NUMBER_KINDS:
        # money said in two currencies ("£600m ($1.1bn)") is either amount
        return any(_same_number(slot, expected, amount, strict) for amount in (got, got.get("converted")) if amount)
    if slot.kind == "text":
        return expected in got or got in expected
    if slot.kind in ("period", "date"):
        e, g = str(expected), str(got)
        return e == g or e.startswith(g + "-") or g.startswith(e + "-")
    return str(expected).lower() == str(got).lower()


def _same_number(slot: Slot, expected: dict, got: dict, strict: bool) -> bool:
    try:
        e, g = float(expected["value"]), float(got["value"])
    except (TypeError, ValueError, KeyError):
        return False
    if strict and slot.kind == "money" and expected.get("currency") and expected["currency"] != got.get("currency"):
        return False
    return abs(e - g) <= TOLERANCE * max(abs(e), 1e-9)


def _slot_matches(slot: Slot, expected: list, got: list | None, strict: bool) -> bool:
    if not got:
        return False
    if slot.multiple:  # the same values, in any order
        return (all(any(_same(slot, e, g, strict) for g in got) for e in expected)
                and all(any(_same(slot, e, g, strict) for e in expected) for g in got))
    return any(_same(slot, expected[0], g, strict) for g in got)


def matches(gold: Fact, fact: Fact, schema: ClaimSchema, strict: bool = False) -> bool:
    """Whether the suggested fact states the gold one (see the module's docstring)."""
    if gold.doc != fact.doc or gold.type != fact.type:
        return False
    claim_type = schema.claim_types[gold.type]
    for name, expected in gold.slots.items():
        slot = claim_type.slots[name]
        if (slot.required or (strict and (name in STRICT_SLOTS or slot.kind == "money"))) \
                and not _slot_matches(slot, expected, fact.slots.get(name), strict):
            return False
    return True


def evaluate(store: Store, schema: ClaimSchema, gold_facts: list[Fact] | None = None) -> dict:
    """Claims (and, with the workspace's gold, entity spans) of the model against gold, on the
    documents gold covers: both ways of scoring claims, and the reliability curve."""
    if gold_facts is None:
        documents = store.documents_with_gold()
    else:
        documents = []
        for name in sorted({fact.doc for fact in gold_facts}):
            try:
                documents.append((store.document_id(name), name))
            except NotFound:
                continue  # its gold facts count as missed
    suggested, gold, suggested_spans, gold_spans = [], [], [], []
    for doc_id, name in documents:
        suggested += [as_fact(name, c, schema) for c in store.claims_of(doc_id, (Status.SUGGESTED,), MODEL_ANNOTATOR)]
        if gold_facts is None:
            gold += [as_fact(name, c, schema) for c in store.claims_of(doc_id, (Status.GOLD,))]
            spans = [(name, s["start"], s["end"], s["label"]) for s in store.spans_of(doc_id, (Status.GOLD,))]
            if spans:  # entities are scored where the reviewer resolved them
                gold_spans += spans
                suggested_spans += [(name, s["start"], s["end"], s["label"]) for s in store.spans_of(doc_id, (Status.SUGGESTED,), MODEL_ANNOTATOR)]
    gold = gold if gold_facts is None else gold_facts
    return {"claims": score(gold, suggested, schema),
            "strict": score(gold, suggested, schema, strict=True),
            "reliability": reliability(gold, suggested, schema),
            "entities": score_entities(gold_spans, suggested_spans) if gold_spans else None,
            "sources": by_source(store, schema, documents, gold)}


def by_source(store: Store, schema: ClaimSchema, documents: list[tuple[int, str]], gold: list[Fact]) -> dict | None:
    """Where the LLM recommender ran: the rules' suggestions, the LLM's claims (those the rules also
    made included) and both merged (a claim both made counted once), scored side by side, and how
    many claims the LLM made that were not suggested because a required value was not in the text."""
    runs = {doc_id: store.llm_run(doc_id) for doc_id, _ in documents}
    if not any(runs.values()):
        return None
    rules, llm, merged, not_suggested = [], [], [], 0
    for doc_id, name in documents:
        own = [as_fact(name, c, schema) for c in store.claims_of(doc_id, (Status.SUGGESTED,), MODEL_ANNOTATOR) if c["origin"] != Origin.LLM]
        run = runs[doc_id] or {"claims": [], "not_suggested": []}
        theirs = [as_fact(name, c, schema) for c in run["claims"]]
        rules += own
        llm += theirs
        merged += own + [f for f in theirs if not any(same_fact(f, r, schema) for r in own)]
        not_suggested += len(run["not_suggested"])
    return {name: {"claims": score(gold, facts, schema), "strict": score(gold, facts, schema, strict=True)}
            for name, facts in (("rules", rules), ("llm", llm), ("merged", merged))} | {"llm_not_suggested": not_suggested}


def same_fact(a: Fact, b: Fact, schema: ClaimSchema) -> bool:
    """Two suggestions that state one fact (type, subject and main value), whichever is taken as gold."""
    return a.type == b.type and (matches(a, b, schema) or matches(b, a, schema))


def match_suggestions(gold: list[Fact], suggested: list[Fact], schema: ClaimSchema, strict: bool) -> tuple[list[tuple[Fact, bool]], list[Fact]]:
    """Each suggestion with whether it matched a gold fact, and the gold facts left unmatched.
    Suggestions are matched most confident first, each against its own document's gold."""
    unmatched: dict[str, list[Fact]] = defaultdict(list)
    for g in gold:
        unmatched[g.doc].append(g)
    judged = []
    for fact in sorted(suggested, key=lambda f: -(f.confidence or 0)):
        candidates = unmatched[fact.doc]
        hit = next((g for g in candidates if matches(g, fact, schema, strict)), None)
        if hit is not None:
            candidates.remove(hit)
        judged.append((fact, hit is not None))
    return judged, [g for candidates in unmatched.values() for g in candidates]


def score(gold: list[Fact], suggested: list[Fact], schema: ClaimSchema, strict: bool = False) -> dict:
    """Per claim type and overall: tp, fp, fn, precision, recall, f1."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    judged, missed = match_suggestions(gold, suggested, schema, strict)
    for fact, right in judged:
        counts[fact.type]["tp" if right else "fp"] += 1
    for g in missed:
        counts[g.type]["fn"] += 1
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    result = {name: _figures(c) for name, c in sorted(counts.items())}
    result["overall"] = _figures(total)
    return result


def reliability(gold: list[Fact], suggested: list[Fact], schema: ClaimSchema) -> list[dict]:
    """Per band of confidence: how many suggestions, and the share of them that were right."""
    judged, _ = match_suggestions(gold, suggested, schema, strict=False)
    bands = []
    for low, high in zip(CONFIDENCE_BANDS, CONFIDENCE_BANDS[1:]):
        inside = [right for fact, right in judged if low <= (fact.confidence or 0) < high]
        if inside:
            bands.append({"from": low, "to": min(high, 1.0), "suggestions": len(inside),
                          "right": sum(inside), "precision": round(sum(inside) / len(inside), 3)})
    return bands


def _figures(c: dict) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {**c, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def read_facts(path: Path, schema: ClaimSchema) -> list[Fact]:
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
        slots = {}
        for name, value in fact["slots"].items():
            slot = claim_type.slots[name]
            slots[name] = [_gold_value(v, slot) for v in as_list(value)]
        facts.append(Fact(str(fact.get("doc")), fact["type"], slots))
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
