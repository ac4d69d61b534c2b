"""doccano's JSONL export of a sequence-labelling project with relations: one document a line,
`{"id", "text", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations":
[{"id", "from_id", "to_id", "type"}]}`, and the older `"label": [[start, end, "LABEL"], ...]`
(shape from doccano's own docs and export code: doccano/doccano docs/tutorial.md and its
data_export DoccanoEntity/relation dataclasses). The annotator is the line's `user` (a name or an
id), or "doccano" when the export has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotations.errors import InputRefused
from annotations.imports import Mapping, Piece, Source, json_lines


def read(path: Path, mapping: Mapping) -> Iterator[Source]:
    for number, item in json_lines(path):
        try:
            entities = {e.get("id"): Piece(e["start_offset"], e["end_offset"], e["label"]) for e in item.get("entities") or []}
            spans = list(entities.values()) + [Piece(a, b, label) for a, b, label in item.get("label") or []]
            relations = [(r["type"], entities[r["from_id"]], entities[r["to_id"]]) for r in item.get("relations") or []
                         if r.get("from_id") in entities and r.get("to_id") in entities]
            name = item.get("name") or (f"{Path(path).stem}-{item['id']}" if item.get("id") is not None else None)
            yield Source(f"line {number}", item["text"], str(item.get("user") or mapping.annotator or "doccano"), name, spans, relations)
        except (KeyError, TypeError, ValueError) as e:
            raise InputRefused(str(path), f"line {number}: not the shape {__name__.rsplit('.', 1)[1]} writes ({type(e).__name__}: {e})") from None
