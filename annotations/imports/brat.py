"""brat standoff: a folder of NAME.txt and NAME.ann (or one .ann beside its .txt), as brat's
documentation describes it (brat.nlplab.org/standoff.html): `T1<TAB>Label 0 5;10 15<TAB>text` for
a text-bound annotation (fragments separated by `;`, their texts joined by a space), `R1<TAB>Label
Arg1:T1 Arg2:T2` for a relation, `E1<TAB>Type:T3 Role:T1 Role2:T2` for an event and its trigger,
`A1<TAB>Name E1 [Value]` (and the older `M`) for attributes, `N1<TAB>Reference T1 DB:ID<TAB>text`
for normalisations, `#1<TAB>AnnotatorNotes T1<TAB>note` and `*<TAB>Equiv T1 T2`.

brat reads its files in Python and counts characters of the text as it is, CR and byte-order mark
included; every T line carries its text, so offsets.py checks and, if need be, converts them.
Relations and events become claims through the mapping; an event typed with a claim type whose
roles are its slots (as Claimdesk's brat export writes them) needs none. A T line in pieces whose
gaps are only line breaks (brat's way of marking a span across lines) is one span; other
discontinuous spans are refused by name unless the mapping says `discontinuous: join`. Attributes,
normalisations, equivalences and events nested as arguments are listed as left out.

Claimdesk's own export is read back whole: its notes give each span's status, annotator and
knowledge-base id, each claim's id, status, annotator, note and typed values, and each slot's
normalised value (annotations/exports/brat.py writes them). In such a document the spans are the T lines
that carry a span's note; a T line that only serves as a trigger or a typed value is not a span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from annotations.errors import InputRefused
from annotations.exports.brat import note_fields
from annotations.imports import Event, Mapping, Piece, Source
from annotations.imports.offsets import raw_text

TEXTBOUND = re.compile(r"(?P<label>\S+) (?P<where>\d+ \d+(?:;\d+ \d+)*)")
ARGUMENT = re.compile(r"(?P<role>[^:\s]+):(?P<target>[TERAMN#*]\d*)")


def read(path: Path, mapping: Mapping) -> Iterator[Source]:
    if path.is_dir():
        files = sorted(path.rglob("*.ann"))
        if not files:
            raise InputRefused(str(path), "holds no brat .ann files")
        base = path
    elif path.suffix == ".ann":
        files, base = [path], path.parent
    else:
        raise InputRefused(str(path), "give a folder of brat .txt and .ann files, or one .ann file beside its .txt")
    for ann in files:
        yield _document(ann, base, mapping)


def _document(ann: Path, base: Path, mapping: Mapping) -> Source:
    where = str(ann.relative_to(base))
    txt = ann.with_suffix(".txt")
    if not txt.is_file():
        raise InputRefused(str(ann), f"has no {txt.name} beside it")
    text = raw_text(txt.read_bytes(), str(txt))
    name = "/".join(unquote(part) for part in ann.relative_to(base).with_suffix("").parts)
    source = Source(where, text, mapping.annotator or "brat", name)
    lines = raw_text(ann.read_bytes(), str(ann)).lstrip("\ufeff").split("\n")
    textbound: dict[str, Piece] = {}
    notes: dict[str, list[str]] = {}
    structured = []  # R and E lines, read once every T line is known
    problems = []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            body, _, shown = rest.partition("\t")
            match = TEXTBOUND.fullmatch(body)
            if not match:
                problems.append(f"{where} line {number}: {ident} is not `Label START END` (brat's text-bound shape)")
                continue
            fragments = [tuple(int(x) for x in piece.split()) for piece in match["where"].split(";")]
            textbound[ident] = Piece(fragments[0][0], fragments[-1][1], match["label"], shown,
                                     fragments if len(fragments) > 1 else None)
        elif kind == "#":
            body, _, content = rest.partition("\t")
            target = body.split(" ")[1] if " " in body else ""
            notes.setdefault(target, []).append(content)
        elif kind in "RE":
            structured.append((number, ident, rest))
        elif kind in "AMN*":
            what = "an attribute" if kind in "AM" else "a normalisation" if kind == "N" else "an equivalence"
            source.left_out.append(f"{where} line {number}: {rest.split(chr(9))[0]} ({what}) left out")
        else:
            problems.append(f"{where} line {number}: {ident!r} is not a brat annotation id (T, R, E, A, M, N, # or *)")

    own = any("status" in note_fields(note) and "annotator" in note_fields(note)
              for target, found in notes.items() if target in textbound for note in found)
    triggers = set()
    for number, ident, rest in structured:
        head, *arguments = rest.split("\t")[0].split(" ")
        if ident.startswith("E"):
            label, _, trigger = head.partition(":")
            if trigger not in textbound:
                problems.append(f"{where} line {number}: event {ident} has no trigger T line ({trigger or 'none given'})")
                continue
            triggers.add(trigger)
            source.events.append(_event(ident, label, textbound[trigger], arguments, textbound, notes, own, where, number, source))
        else:
            pairs = dict(ARGUMENT.fullmatch(a).group("role", "target") for a in arguments if ARGUMENT.fullmatch(a))
            ends = [pairs.get("Arg1"), pairs.get("Arg2")]
            if not all(end in textbound for end in ends):
                problems.append(f"{where} line {number}: relation {ident} does not join two T lines (Arg1:T… Arg2:T…)")
                continue
            source.relations.append((head, *(_argument(textbound[end], end, notes, own) for end in ends)))
    for ident, piece in textbound.items():
        if own:
            for note in notes.get(ident, []):
                fields = note_fields(note)
                if "status" in fields and "annotator" in fields:
                    exact = _exactly(piece, fields, text)
                    source.spans.append(Piece(exact.start, exact.end, piece.label, exact.text, exact.fragments,
                                              fields["status"], fields["annotator"], fields.get("kb_id")))
        elif ident not in triggers:
            source.spans.append(piece)
    if problems:
        raise InputRefused(str(ann), "; ".join(problems))
    return source


def _exactly(piece: Piece, fields: dict[str, str], text: str) -> Piece:
    """The piece at the exact place a Claimdesk note gives (`at=START..END`: the line breaks at its
    edges that a T line cannot hold), else as the T line has it."""
    exact = re.fullmatch(r"(\d+)\.\.(\d+)", fields.get("at", ""))
    if not exact:
        return piece
    start, end = int(exact[1]), int(exact[2])
    return Piece(start, end, piece.label, text[start:end])


def _argument(piece: Piece, ident: str, notes: dict[str, list[str]], own: bool) -> Piece:
    """An argument's piece, with the normalised value or knowledge-base id a Claimdesk note gives it."""
    if not own:
        return piece
    for note in notes.get(ident, []):
        try:
            found = json.loads(note)
        except ValueError:
            continue
        if isinstance(found, dict) and "kind" in found:
            return Piece(piece.start, piece.end, piece.label, piece.text, piece.fragments, value=found)
        if isinstance(found, dict) and "kb_id" in found:
            return Piece(piece.start, piece.end, piece.label, piece.text, piece.fragments, kb_id=found["kb_id"])
    return piece


def _event(ident: str, label: str, trigger: Piece, arguments: list[str], textbound: dict[str, Piece],
           notes: dict[str, list[str]], own: bool, where: str, number: int, source: Source) -> Event:
    event = Event(label, trigger, [], f"event {ident}")
    for argument in arguments:
        match = ARGUMENT.fullmatch(argument)
        if match is None or match["target"] not in textbound:
            source.left_out.append(f"{where} line {number}: argument {argument!r} of {ident} is not a T line; left out")
            continue
        event.arguments.append((match["role"], _argument(textbound[match["target"]], match["target"], notes, own)))
    fields = {} if not own else next((f for f in map(note_fields, notes.get(ident, [])) if "id" in f), {})
    if fields:
        event.id, event.status, event.annotator, event.note = fields["id"], fields.get("status"), fields.get("annotator"), fields.get("note")
        event.evidence = _exactly(event.evidence, fields, source.text)
        values = {}
        for note in notes.get(ident, []):
            try:
                found = json.loads(note)
            except ValueError:
                continue
            values.update(found if isinstance(found, dict) else {})
        for role, typed in fields.items():
            if role not in ("id", "status", "annotator", "note", "at"):
                kept = values.get(role) if isinstance(values.get(role), dict) else {}
                value = kept.get("value")
                event.arguments.append((role, Piece(None, None, str(kept.get("label") or ""), typed, kb_id=kept.get("kb_id"),
                                                    value=value if isinstance(value, dict) else None)))
    return event
