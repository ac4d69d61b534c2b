"""Prodigy's JSONL (`prodigy db-out`) of ner.manual, spans.manual or rel.manual: one task a line,
`{"text", "spans": [{"start", "end", "label", "text"?}], "relations": [{"head_span", "child_span",
"label"}], "answer", "_annotator_id"}` (shape from Prodigy's docs, prodi.gy/docs/api-interfaces:
relations and ner_manual). Only accepted tasks come in; the annotator is `_annotator_id`
("dataset-name" style ids are kept as they are), or "prodigy".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotations.errors import InputRefused
from annotations.imports import Mapping, Piece, Source, json_lines


def _piece(span: dict) -> Piece:
    return Piece(span["start"], span["end"], span["label"], span.get("text"))


def read(path: Path, mapping: Mapping) -> Iterator[Source]:
    for number, item in json_lines(path):
        try:
            if item.get("answer", "accept") != "accept":
                continue
            relations = [(r["label"], _piece(r["head_span"]), _piece(r["child_span"])) for r in item.get("relations") or []]
            name = (item.get("meta") or {}).get("name")
            yield Source(f"line {number}", item["text"], str(item.get("_annotator_id") or mapping.annotator or "prodigy"), name,
                         [_piece(s) for s in item.get("spans") or []], relations)
        except (KeyError, TypeError, ValueError) as e:
            raise InputRefused(str(path), f"line {number}: not the shape {__name__.rsplit('.', 1)[1]} writes ({type(e).__name__}: {e})") from None
