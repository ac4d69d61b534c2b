"""The dataset card written beside every export: what is inside, and how far to trust it.

card.json holds the figures; a short README.md says the same for people. Both are written after
the export itself, from counts read in the export's own transaction, under temporary names that
are renamed into place before the export is (annotations/exports/__init__.py).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections import Counter
from pathlib import Path

from annotations.agreement import agreement
from annotations.progress import curator_progress
from annotations.schema import ClaimSchema
from annotations.store import Store, now
from annotations.wording import duration_words


class Tally:
    """What an export holds: its documents (name to text SHA-256, filled as they are written) and
    its claims and spans counted by status, type, label and annotator."""

    def __init__(self):
        self.documents: dict[str, str] = {}
        self.claims: Counter = Counter()
        self.claim_types: Counter = Counter()
        self.spans: Counter = Counter()
        self.labels: Counter = Counter()
        self.annotators: set[str] = set()

    @classmethod
    def of(cls, store: Store, statuses: tuple[str, ...] | None = None, types: tuple[str, ...] | None = None,
           annotator: str | None = None) -> Tally:
        """The counts for an export with these filters, read in the export's own transaction so that
        they describe exactly what it writes."""
        tally = cls()
        for status, claim_type, who, count in store.claim_counts(statuses, types, annotator):
            tally.claims[status] += count
            tally.claim_types[claim_type] += count
            tally.annotators.add(who)
        for status, label, who, count in store.span_counts(statuses, annotator):
            tally.spans[status] += count
            tally.labels[label] += count
            tally.annotators.add(who)
        return tally


def card_paths(out: Path, inside: bool) -> tuple[Path, Path]:
    """Where an export's card.json and README.md go: inside a folder export, beside a file export."""
    out = Path(out)
    return ((out / "card.json", out / "README.md") if inside
            else (out.with_name(f"{out.name}.card.json"), out.with_name(f"{out.name}.README.md")))


def write_card(store: Store, schema: ClaimSchema, tally: Tally, card_path: Path, readme_path: Path, output: str, fmt: str,
               filters: dict, dropped: dict[str, int], argv: list[str] | None = None) -> None:
    """The card of the export named `output`, as card.json and README.md at these paths (temporary
    names: the export renames them into place)."""
    card = {
        "created_at": now(),
        "command": shlex.join(argv if argv is not None else sys.argv),
        "format": fmt,
        "output": output,
        "filters": filters,
        "documents": len(tally.documents),
        "claims_by_status": dict(sorted(tally.claims.items())),
        "claims_by_type": dict(sorted(tally.claim_types.items())),
        "spans_by_status": dict(sorted(tally.spans.items())),
        "spans_by_label": dict(sorted(tally.labels.items())),
        "annotators": sorted(tally.annotators),
        "spans_left_out": dropped,
        "schema": {"source": schema.source, "version": schema.version, "sha256": schema.hash},
        "agreement": agreement(store, schema) if len(store.curators()) >= 2 else None,
        "active_time": active_time(store, None if filters.get("annotator", "all") == "all" else filters["annotator"]),
        "document_sha256": tally.documents,
    }
    Path(card_path).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    Path(readme_path).write_text(readme(card), encoding="utf-8")


def active_time(store: Store, annotator: str | None = None) -> dict[str, dict]:
    """Each curator's active time in the workspace (annotations/progress.py), or the one annotator's
    an export is limited to: in seconds, over how many articles, the median per article they
    finished, and claims per hour."""
    figures = curator_progress(store)
    return {name: person.as_dict() for name, person in figures.items()
            if person.articles_timed and annotator in (None, name)}


def readme(card: dict) -> str:
    counts = lambda d: ", ".join(f"{k} {v}" for k, v in d.items()) or "none"
    lines = [
        f"# Claimdesk export: {card['output']}",
        "",
        f"Made {card['created_at']} by `{card['command']}` ({card['format']}; filters: {json.dumps(card['filters'])}).",
        "",
        f"- Documents: {card['documents']} (SHA-256 of each text in card.json)",
        f"- Claims by status: {counts(card['claims_by_status'])}",
        f"- Claims by type: {counts(card['claims_by_type'])}",
        f"- Entity spans by label: {counts(card['spans_by_label'])}",
        f"- Annotators: {', '.join(card['annotators']) or 'none'}",
        f"- Claim schema: {card['schema']['source']}, version {card['schema']['version']}, sha256 {card['schema']['sha256'][:16]}…",
    ]
    for name, figures in (card.get("active_time") or {}).items():
        median = figures["median_seconds_per_article"]
        lines.append(f"- Active time of {name}: {duration_words(figures['active_seconds'])} over {figures['articles_timed']} articles"
                     + (f", median {duration_words(median)} per finished article" if median is not None else "")
                     + (f", {figures['claims_per_hour']:.0f} claims an hour" if figures["claims_per_hour"] is not None else ""))
    if card["spans_left_out"]:
        lines.append(f"- Entity spans left out, as the format takes no overlapping entities: {counts(card['spans_left_out'])} "
                     "(every other span keeps its exact characters)")
    if card["agreement"]:
        lines += ["", "## Agreement between curators", ""]
        for pair in card["agreement"]["pairs"]:
            claims, decisions, entities = pair["claims"]["overall"], pair["decisions"]["overall"], pair["entities"]
            fmt = lambda x: "n/a" if x is None else f"{x:.2f}"
            lines.append(f"- {' and '.join(pair['curators'])} ({pair['documents']} articles): claims F1 {fmt(claims['f1'])}, "
                         f"decision kappa {fmt(decisions['kappa'])} over {decisions['items']}, "
                         f"entity alpha {fmt(entities['alpha'])} over {entities['units']} spans")
    else:
        lines += ["", "Agreement: fewer than two curators have finished articles in this workspace; no figures."]
    return "\n".join(lines) + "\n"
