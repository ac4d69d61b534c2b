"""brat standoff export: a folder with NAME.txt and NAME.ann per document, and annotation.conf.

NAME is the document's name, percent-encoded and made unique (`file_name`). The folder is written
whole under a temporary name and swapped in: no file of an earlier export stays in it.

Spans are T lines (brat shows overlaps, so every non-rejected span is written, with its status and
annotator in a note; two curators' spans of one place and label are one T line with a note each).
A claim is an event: its trigger is the evidence, a T line of its own typed with the claim type,
and each slot value with offsets is an argument. An argument points at the entity's T line when a
span of the same place and label is written; only a slot with no such span (a typed value, a
choice) gets a T line of its own, typed as annotation.conf declares it (the entity label, or the
value kind). No two T lines share type and offsets, so tools that merge duplicates (bratly) keep
every event whole; two claims of one type on the same evidence therefore share their trigger. A
repeated slot is numbered, parties, parties2, …. Normalised values, slot values typed without
a place in the text, and a span's or evidence's exact place when a T line leaves out line breaks at its edges, are
AnnotatorNotes (read back by annotations/imports/brat.py). A span that crosses a line break is written as
fragments, as brat requires.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from annotations.model import SLOT_KINDS
from annotations.schema import ClaimSchema

MAX_STEM = 200  # characters of a file name before .txt or .ann; file systems allow 255 bytes


def fragments(text: str, start: int, end: int) -> str:
    """brat offsets for a stretch of text, split where it crosses a line break."""
    pieces, position = [], start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append(f"{position} {position + len(line)}")
        position += len(line) + 1
    return ";".join(pieces)


NOTE_FIELD = re.compile(r"""(\w+)=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|.*?)(?=\s\w+=|$)""")


def note_fields(content: str) -> dict[str, str]:
    """The fields of a note this writer makes (`status=gold annotator=rev kb_id=xiaomi`, an event's
    `id=… status=… annotator=… period='Q3 2019' note='…'`): a quoted value is read as the Python
    string literal it was written as, an unquoted one runs to the next field."""
    fields = {}
    for key, value in NOTE_FIELD.findall(content.strip()):
        if value[:1] in ("'", '"'):
            with contextlib.suppress(ValueError, SyntaxError):
                value = ast.literal_eval(value)
        fields.setdefault(key, value)
    return fields


def file_name(name: str, sha256: str, taken: set[str]) -> str:
    """A document's file name (without .txt or .ann): its name percent-encoded, so that
    `urllib.parse.unquote` gives the name back; a name already taken in the folder (two documents
    named `report`, or `Report` and `report` on a disk that ignores case) or too long for a file
    system gets `@` and the start of the text's SHA-256 (an encoded name never holds `@`)."""
    stem = quote(name, safe="") or "%00"
    if stem.startswith("."):
        stem = "%2E" + stem[1:]
    if len(stem) > MAX_STEM or stem.casefold() in taken:
        stem = f"{stem[:MAX_STEM]}@{sha256[:12]}"
    taken.add(stem.casefold())
    return stem


class BratWriter:
    """Writes a new folder at the path it is given (the export stages it under a temporary name and
    swaps it in whole)."""

    FOLDER_FILES = re.compile(r"[^/]+\.(txt|ann)|annotation\.conf|card\.json|README\.md")

    def __init__(self, out: Path, schema: ClaimSchema, types=None):
        self.out = Path(out)
        self.schema = schema

    def write(self, records: Iterable[dict]) -> int:
        self.out.mkdir()
        (self.out / "annotation.conf").write_text(self.conf(), encoding="utf-8")
        count, taken = 0, set()
        for record in records:
            name = file_name(record["name"], record["sha256"], taken)
            (self.out / f"{name}.txt").write_text(record["text"], encoding="utf-8")
            (self.out / f"{name}.ann").write_text(self.ann(record), encoding="utf-8")
            count += 1
        return count

    def ann(self, record: dict) -> str:
        text, lines = record["text"], []
        counters = {"T": 0, "E": 0, "#": 0}
        written: dict[tuple[str, int, int], str | None] = {}  # (type, start, end) -> its T line

        def new(kind: str) -> str:
            counters[kind] += 1
            return f"{kind}{counters[kind]}"

        def textbound(label: str, start: int, end: int) -> str | None:
            if (label, start, end) not in written:
                written[label, start, end] = _new_textbound(label, start, end)
            return written[label, start, end]

        def _new_textbound(label: str, start: int, end: int) -> str | None:
            where = fragments(text, start, end)
            if not where:
                return None
            tid = new("T")
            shown = " ".join(text[int(a):int(b)] for a, b in (piece.split() for piece in where.split(";")))
            lines.append(f"{tid}\t{label} {where}\t{shown}")
            return tid

        def exact(start: int, end: int) -> str:
            """` at=START..END` when line breaks at the edges leave the T line shorter than the stretch."""
            pieces = fragments(text, start, end).split(";")
            return "" if (int(pieces[0].split()[0]), int(pieces[-1].split()[1])) == (start, end) else f" at={start}..{end}"

        noted: set[tuple[str, str]] = set()

        def note(target: str, content: str) -> None:
            if (target, content) not in noted:  # a T line shared by several claims is noted once
                noted.add((target, content))
                lines.append(f"{new('#')}\tAnnotatorNotes {target}\t{content}")

        for span in record["spans"]:
            if span["status"] == "rejected":
                continue
            tid = textbound(span["label"], span["start"], span["end"])
            if tid:
                note(tid, f"status={span['status']} annotator={span['annotator']}" + (f" kb_id={span['kb_id']}" if span.get("kb_id") else "")
                     + exact(span["start"], span["end"]))
        for claim in record["claims"]:
            evidence = claim.get("evidence")
            trigger = textbound(claim["type"], evidence["start"], evidence["end"]) if evidence else None
            if trigger is None:
                continue  # brat events need a trigger in the text
            arguments, unplaced, unplaced_values = [], [], {}
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
                        kept = {key: value[key] for key in ("label", "kb_id", "value") if value.get(key) is not None}
                        if kept:
                            unplaced_values[role] = kept
            eid = new("E")
            lines.append(f"{eid}\t{claim['type']}:{trigger}" + "".join(f" {a}" for a in arguments))
            meta = f"id={claim['id']} status={claim['status']} annotator={claim['annotator']}" + exact(evidence["start"], evidence["end"])
            if unplaced_values:  # before the claim's note, which a reader keeping one note per line sees
                note(eid, json.dumps(unplaced_values, ensure_ascii=False))
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
