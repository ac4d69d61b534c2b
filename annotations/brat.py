"""brat standoff export: a folder with NAME.txt and NAME.ann per document, and annotation.conf.

Spans are T lines (brat shows overlaps, so every non-rejected span is written, with its status and
annotator in a note). A claim is an event: its trigger is the evidence, typed with the claim
type, and each slot value with offsets is an argument (a T line typed with the entity label or
the value kind; a repeated slot is numbered, parties, parties2, …). Normalised values, and slot
values typed without a place in the text, are AnnotatorNotes. A span that crosses a line break is
written as fragments, as brat requires.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from annotations.schema import SLOT_KINDS, ClaimSchema

SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def fragments(text: str, start: int, end: int) -> str:
    """brat offsets for a stretch of text, split where it crosses a line break."""
    pieces, position = [], start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append(f"{position} {position + len(line)}")
        position += len(line) + 1
    return ";".join(pieces)


class BratWriter:
    def __init__(self, out: Path, schema: ClaimSchema):
        self.out = Path(out)
        self.schema = schema

    def write(self, records: Iterable[dict]) -> int:
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "annotation.conf").write_text(self.conf(), encoding="utf-8")
        count = 0
        for record in records:
            name = SAFE_NAME.sub("_", record["name"]) or record["sha256"][:16]
            (self.out / f"{name}.txt").write_text(record["text"], encoding="utf-8")
            tmp = self.out / f"{name}.ann.partial"
            tmp.write_text(self.ann(record), encoding="utf-8")
            tmp.replace(self.out / f"{name}.ann")
            count += 1
        return count

    def ann(self, record: dict) -> str:
        text, lines = record["text"], []
        counters = {"T": 0, "E": 0, "#": 0}

        def new(kind: str) -> str:
            counters[kind] += 1
            return f"{kind}{counters[kind]}"

        def textbound(label: str, start: int, end: int) -> str | None:
            where = fragments(text, start, end)
            if not where:
                return None
            tid = new("T")
            shown = " ".join(text[int(a):int(b)] for a, b in (piece.split() for piece in where.split(";")))
            lines.append(f"{tid}\t{label} {where}\t{shown}")
            return tid

        def note(target: str, content: str) -> None:
            lines.append(f"{new('#')}\tAnnotatorNotes {target}\t{content}")

        for span in record["spans"]:
            if span["status"] == "rejected":
                continue
            tid = textbound(span["label"], span["start"], span["end"])
            if tid:
                note(tid, f"status={span['status']} annotator={span['annotator']}" + (f" kb_id={span['kb_id']}" if span.get("kb_id") else ""))
        for claim in record["claims"]:
            evidence = claim.get("evidence")
            trigger = textbound(claim["type"], evidence["start"], evidence["end"]) if evidence else None
            if trigger is None:
                continue  # brat events need a trigger in the text
            arguments, unplaced = [], []
            claim_type = self.schema.claim_types.get(claim["type"])
            for slot, values in claim["slots"].items():
                for n, value in enumerate(values if isinstance(values, list) else [values], start=1):
                    role = slot if n == 1 else f"{slot}{n}"
                    kind = claim_type.slots[slot].kind if claim_type and slot in claim_type.slots else "text"
                    label = value.get("label") or kind
                    tid = textbound(label, value["start"], value["end"]) if value.get("start") is not None else None
                    normal = value.get("value")
                    if tid:
                        arguments.append(f"{role}:{tid}")
                        if normal is not None or value.get("kb_id"):
                            note(tid, json.dumps(normal if normal is not None else {"kb_id": value["kb_id"]}, ensure_ascii=False))
                    else:
                        unplaced.append(f"{role}={value.get('text', '')!r}")
            eid = new("E")
            lines.append(f"{eid}\t{claim['type']}:{trigger}" + "".join(f" {a}" for a in arguments))
            meta = f"id={claim['id']} status={claim['status']} annotator={claim['annotator']}"
            note(eid, " ".join([meta, *unplaced] + ([f"note={claim['note']!r}"] if claim.get("note") else [])))
        return "\n".join(lines) + ("\n" if lines else "")

    def conf(self) -> str:
        labels = sorted(self.schema.entity_labels)
        kinds = sorted(set(SLOT_KINDS) - {"entity"})
        events = []
        for claim_type in self.schema.claim_types.values():
            roles = []
            for slot in claim_type.slots.values():
                allowed = "|".join(slot.labels) if slot.kind == "entity" and slot.labels else "<ENTITY>"
                roles.append(f"{slot.name}{'*' if slot.multiple else '?'}:{allowed}")
            events.append(f"{claim_type.name}\t{', '.join(roles)}")
        return "\n".join(["[entities]", *labels, *kinds, "", "[relations]", "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
                          "", "[events]", *events, "", "[attributes]", ""])
