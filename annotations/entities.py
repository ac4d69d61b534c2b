"""The entity spans an export writes: one per stretch of text, chosen by a documented rule.

Formats such as doc.ents, CoNLL BIO and most NER trainers take no overlapping entities, while a
workspace holds several curators' spans, nested spans and suggestions. Per document, spans are
taken longest first; on equal length the higher status wins (model.PRECEDENCE: gold, corrected,
accepted, then suggested), then the earlier start. A span overlapping one already taken is left
out and counted. Rejected spans are never entities. A span that is kept keeps its exact
characters: nothing is widened (docbin.py splits tokens at span edges instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.model import PRECEDENCE, Status

STATUS_RANK = {status: rank for rank, status in enumerate(PRECEDENCE)}


@dataclass
class Dropped:
    """Spans an export left out, by reason (today only "overlapping another span"), for the dataset card."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, reason: str, n: int = 1) -> None:
        if n:
            self.counts[reason] = self.counts.get(reason, 0) + n


def non_overlapping(spans: list[dict], dropped: Dropped | None = None) -> list[dict]:
    """The spans an entity layer can hold, in text order (see the module's rule)."""
    candidates = [s for s in spans if s.get("status") != Status.REJECTED]
    ordered = sorted(candidates, key=lambda s: (-(s["end"] - s["start"]), STATUS_RANK.get(s.get("status"), len(STATUS_RANK)), s["start"]))
    kept: list[dict] = []
    for span in ordered:
        if any(span["start"] < k["end"] and k["start"] < span["end"] for k in kept):
            if dropped is not None and not any((k["start"], k["end"], k["label"]) == (span["start"], span["end"], span["label"]) for k in kept):
                dropped.add("overlapping another span")
            continue
        kept.append(span)
    return sorted(kept, key=lambda s: s["start"])
