"""How far curators agree, pair by pair, on the articles both finished.

- Claims: one curator's confirmed claims scored against the other's, aligned as `evaluate` aligns
  them (type and required slots, numbers within a tolerance): precision, recall and F1.
- Decisions: Cohen's kappa on accept/reject over the suggestions both decided on (a correction is
  an accept with changes).
- Entities: Krippendorff's alpha (nominal) on the label each curator gave every span position
  that either of them marked, "O" where a curator marked nothing or rejected it; computed by the
  krippendorff package.
Each figure comes with the counts behind it. Where a figure is undefined (one category only, no
shared items) it is None, never a made-up 0 or 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import krippendorff
import numpy as np

from annotations.claims import claim_signature
from annotations.evaluate import as_fact, score
from annotations.model import CONFIRMED_STATUSES, CURATOR_STATUSES, MODEL_ANNOTATOR, Status
from annotations.schema import ClaimSchema
from annotations.store import Store

NO_ENTITY = "O"


def agreement(store: Store, schema: ClaimSchema) -> dict:
    pairs = []
    for a, b in combinations(store.curators(), 2):
        docs = store.finished_by_both(a, b)
        if docs:
            pairs.append({"curators": [a, b], "documents": len(docs),
                          "claims": claim_agreement(store, schema, a, b, docs),
                          "decisions": decision_kappa(store, a, b, docs),
                          "entities": entity_alpha(store, a, b, docs)})
    return {"pairs": pairs}


def claim_agreement(store: Store, schema: ClaimSchema, a: str, b: str, docs: list[int]) -> dict:
    """b's claims scored against a's: precision is how many of b's a also has, recall the reverse."""
    facts = {a: [], b: []}
    for doc_id in docs:
        for who in (a, b):
            facts[who] += [as_fact(str(doc_id), c, schema) for c in store.claims_of(doc_id, CONFIRMED_STATUSES, who)]
    return score(facts[a], facts[b], schema)


def decisions(store: Store, curator: str, doc_id: int) -> dict[str, str]:
    """The curator's accept/reject per suggestion id: through based_on, or, for work imported without
    it, through a claim equal to the suggestion."""
    suggestions = store.claims_of(doc_id, annotator=MODEL_ANNOTATOR)
    by_signature = {claim_signature(s): s["id"] for s in suggestions}
    known = {s["id"] for s in suggestions}
    found = {}
    for claim in store.claims_of(doc_id, CURATOR_STATUSES, curator):
        target = claim["based_on"] if claim["based_on"] in known else by_signature.get(claim_signature(claim))
        if target:
            found[target] = "reject" if claim["status"] == Status.REJECTED else "accept"
    return found


def decision_kappa(store: Store, a: str, b: str, docs: list[int]) -> dict:
    pairs_by_type: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc_id in docs:
        types = {c["id"]: c["type"] for c in store.claims_of(doc_id, annotator=MODEL_ANNOTATOR)}
        first, second = decisions(store, a, doc_id), decisions(store, b, doc_id)
        for suggestion in first.keys() & second.keys():
            pairs_by_type[types[suggestion]].append((first[suggestion], second[suggestion]))
    result = {name: _kappa_figures(pairs) for name, pairs in sorted(pairs_by_type.items())}
    result["overall"] = _kappa_figures([p for pairs in pairs_by_type.values() for p in pairs])
    return result


def cohen_kappa(first: list[str], second: list[str]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when chance agreement is total."""
    n = len(first)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(first, second)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[c] * count_b[c] for c in count_a.keys() | count_b.keys()) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def _kappa_figures(pairs: list[tuple[str, str]]) -> dict:
    first, second = [p[0] for p in pairs], [p[1] for p in pairs]
    return {"kappa": cohen_kappa(first, second), "items": len(pairs), "agreed": sum(x == y for x, y in pairs)}


def entity_units(store: Store, a: str, b: str, docs: list[int]) -> list[tuple[str, str]]:
    """(a's label, b's label) for every span position either curator marked."""
    units = []
    for doc_id in docs:
        labels = {a: {}, b: {}}
        for who in (a, b):
            for span in store.spans_of(doc_id, annotator=who):
                labels[who][(span["start"], span["end"])] = NO_ENTITY if span["status"] == Status.REJECTED else span["label"]
        positions = {p for who in (a, b) for p, label in labels[who].items() if label != NO_ENTITY}
        units += [(labels[a].get(p, NO_ENTITY), labels[b].get(p, NO_ENTITY)) for p in sorted(positions)]
    return units


def entity_alpha(store: Store, a: str, b: str, docs: list[int]) -> dict:
    units = entity_units(store, a, b, docs)
    return {"alpha": nominal_alpha(units), "units": len(units), "agreed": sum(x == y for x, y in units)}


def nominal_alpha(units: list[tuple[str, ...]]) -> float | None:
    """Krippendorff's alpha (nominal) over units coded by the same raters; None when undefined."""
    codes = {label: n for n, label in enumerate(sorted({label for unit in units for label in unit}))}
    if len(codes) < 2:
        return None
    data = np.array([[codes[unit[rater]] for unit in units] for rater in range(len(units[0]))], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
