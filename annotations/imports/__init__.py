"""Readers of other annotation tools' files, into the bundle records of bundles.py.

Each format is one module with a `read(path)` generator behind the `Reader` protocol: it yields a
`Source` per document and annotator (where in the file it is, the tool's text, entity spans,
relations and events) and knows nothing of claims or the workspace. `record` turns a source into a
bundle record: offsets are converted to characters of the stored text however the tool counted
them (offsets.py: CR LF, byte-order mark, UTF-16 units), or refused as drifted, naming each span;
spans come in as they are (status accepted, origin import, the tool's annotator) unless the file
is one of Claimdesk's own exports, whose notes say status and annotator; relations and events
become claims through the user's mapping (relation label -> claim type, head and tail -> slots;
event type -> claim type, roles -> slots), and an event typed with a claim type of the schema whose
roles are its slots needs no mapping. The bundle checks (bundles.record_problems: labels, claim
types and slots, offsets, a span's text against the text) then run on every record, naming the
file and the tool's place, before anything is stored.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotations.errors import InputRefused
from annotations.imports.offsets import TOOL_DEFAULT, Counting, Place, convert, cuts, resolve
from annotations.model import SLOT_KINDS
from annotations.schema import ClaimSchema
from annotations.yamlfile import load_yaml, read_text

FORMATS = ("label-studio", "doccano", "prodigy", "brat", "xmi")
STATUS_KEPT = ("accepted", "corrected", "rejected", "gold", "suggested")  # statuses Claimdesk's own exports carry


@dataclass
class Piece:
    """A stretch of text a tool marked. `start` is None for a slot value typed without a place
    (Claimdesk's own exports keep those); `fragments` holds brat's discontinuous pieces."""

    start: int | None
    end: int | None
    label: str
    text: str | None = None  # what the tool says is there, when it says so (checked against the text)
    fragments: list[tuple[int, int]] | None = None
    # what Claimdesk's own exports say about the piece (None: the tool's defaults apply)
    status: str | None = None
    annotator: str | None = None
    kb_id: str | None = None
    value: dict | None = None  # a slot's normalised value

    @property
    def placed(self) -> bool:
        return self.start is not None and self.end is not None

    def place(self) -> Place:
        return Place(self.fragments or [(self.start, self.end)], self.text)


@dataclass
class Event:
    """A brat event, a Label Studio or INCEpTION structure with roles: a type, an evidence span
    (the trigger), and arguments by role."""

    label: str
    evidence: Piece | None
    arguments: list[tuple[str, Piece]]
    where: str = ""
    id: str | None = None  # Claimdesk's own exports keep the claim's id, status, annotator and note
    status: str | None = None
    annotator: str | None = None
    note: str | None = None
    without_evidence: bool = False  # Claimdesk's own export says the claim had none (else the arguments' stretch is taken)


@dataclass
class Source:
    where: str  # "line 3", "task 87 annotation 22", "report.ann": how refusals name it
    text: str  # as the tool holds it: newlines and byte-order mark as they are
    annotator: str
    name: str | None = None
    spans: list[Piece] = field(default_factory=list)
    relations: list[tuple[str, Piece, Piece]] = field(default_factory=list)  # (label, head, tail)
    events: list[Event] = field(default_factory=list)
    counting: Counting = TOOL_DEFAULT  # how the tool counts offsets, as far as its documentation says
    left_out: list[str] = field(default_factory=list)  # what the reader read and does not bring in
    seconds: float | None = None  # time the annotator spent, when the tool says (Label Studio's lead_time)


class Reader(Protocol):
    def __call__(self, path: Path, mapping: Mapping) -> Iterator[Source]: ...


def reader(fmt: str) -> Reader:
    """The format's reader: the module of its name (imported only when used: xmi needs dkpro-cassis)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}")
    return importlib.import_module(f"annotations.imports.{fmt.replace('-', '_')}").read


@dataclass(frozen=True)
class Mapping:
    """What the user's MAP.yaml says: relation label -> (claim type, slot of the head, slot of the
    tail); event type -> (claim type, role -> slot); entity labels renamed or left out (None); the
    tools' user ids -> names; the annotator of a file that names none; whether brat's discontinuous
    spans are joined or refused; the Label Studio data field that holds the text."""

    relations: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    events: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    entities: dict[str, str | None] = field(default_factory=dict)
    annotators: dict[str, str] = field(default_factory=dict)
    annotator: str | None = None
    discontinuous: str = "refuse"
    text_field: str | None = None
    source: str = "the mapping"

    KEYS = ("relations", "events", "entities", "annotators", "annotator", "discontinuous", "text_field")

    @classmethod
    def load(cls, path: Path | None) -> Mapping:
        if path is None:
            return cls()
        data = load_yaml(read_text(Path(path)), str(path)) or {}
        problems = []
        if not isinstance(data, dict):
            raise InputRefused(str(path), "a mapping is a YAML object (relations:, events:, entities:, …)")
        problems += [f"unknown key {key!r} (known: {', '.join(cls.KEYS)})" for key in data if key not in cls.KEYS]
        relations, events = {}, {}
        for label, target in (data.get("relations") or {}).items():
            if not isinstance(target, dict) or set(target) != {"claim", "head", "tail"}:
                problems.append(f"relation {label!r}: give claim, head and tail (the slots they fill)")
                continue
            relations[str(label)] = (str(target["claim"]), str(target["head"]), str(target["tail"]))
        for label, target in (data.get("events") or {}).items():
            if not isinstance(target, dict) or "claim" not in target or not set(target) <= {"claim", "roles"} \
                    or not isinstance(target.get("roles") or {}, dict):
                problems.append(f"event {label!r}: give claim and roles (role: slot)")
                continue
            events[str(label)] = (str(target["claim"]), {str(r): str(s) for r, s in (target.get("roles") or {}).items()})
        entities = data.get("entities") or {}
        annotators = data.get("annotators") or {}
        if not isinstance(entities, dict) or not isinstance(annotators, dict):
            problems.append("entities and annotators map names to names (or an entity label to null, to leave it out)")
            entities, annotators = {}, {}
        discontinuous = data.get("discontinuous", "refuse")
        if discontinuous not in ("refuse", "join"):
            problems.append(f"discontinuous: {discontinuous!r}; give refuse or join")
        if problems:
            raise InputRefused(str(path), "; ".join(problems))
        return cls(relations, events, {str(k): (None if v is None else str(v)) for k, v in entities.items()},
                   {str(k): str(v) for k, v in annotators.items()}, data.get("annotator"), discontinuous,
                   data.get("text_field"), str(path))

    def problems(self, schema: ClaimSchema) -> list[str]:
        """Claim types, slots and labels the mapping names that the schema does not have."""
        found = []
        targets = [(f"relation {label!r}", claim, [head, tail]) for label, (claim, head, tail) in self.relations.items()]
        targets += [(f"event {label!r}", claim, list(roles.values())) for label, (claim, roles) in self.events.items()]
        for what, claim, slots in targets:
            if claim not in schema.claim_types:
                found.append(f"{what}: claim type {claim!r} is not in the schema")
                continue
            found += [f"{what}: {claim} has no slot {slot!r}" for slot in slots if slot not in schema.claim_types[claim].slots]
        found += [f"entities: {label!r} is not an entity label of the schema" for label in self.entities.values()
                  if label is not None and label not in schema.entity_labels]
        return found

    def who(self, annotator: str) -> str:
        return self.annotators.get(str(annotator), str(annotator))


@dataclass
class Built:
    """One source as a bundle record, with what was left out, refused and corrected, by place."""

    record: dict | None
    left_out: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)


def record(source: Source, mapping: Mapping, schema: ClaimSchema) -> Built:
    """The bundle record of one source document (see the module's docstring)."""
    where = source.where
    built = Built(None, list(source.left_out))
    pieces = [p for p in source.spans if p.placed]
    pieces += [p for _, head, tail in source.relations for p in (head, tail) if p.placed]
    pieces += [p for e in source.events for p in ([e.evidence] if e.evidence else []) + [a for _, a in e.arguments] if p.placed]
    resolution = resolve(source.text, [p.place() for p in pieces], source.counting)
    text = resolution.stored
    if resolution.counting is None:
        for n in resolution.misfits:
            built.refused.append(f"{where}: {_describe(pieces[n], text, resolution.table)}")
        built.refused.append(f"{where}: no way of counting (characters or UTF-16 units, CR LF as one or two, the byte-order mark "
                             "counted or not) makes these spans read as the tool says: the offsets have drifted")
        return built
    if resolution.corrected:
        built.corrected.append(f"{where}: {resolution.corrected}")
    places: dict[int, tuple[int, int]] = {}
    for piece in pieces:
        fragments = convert(piece.place(), resolution.table)
        if fragments is None:
            built.refused.append(f"{where}: {_describe(piece, text, resolution.table)}")
            continue
        gaps = [text[a:b] for (_, a), (b, _) in zip(fragments, fragments[1:])]
        if any(gap.strip() for gap in gaps) and mapping.discontinuous != "join":
            built.refused.append(f"{where}: span {piece.label} in {len(fragments)} discontinuous pieces "
                                 f"({', '.join(f'{a}..{b}' for a, b in fragments)}) is refused; "
                                 "`discontinuous: join` in the mapping joins such pieces into one span")
            continue
        places[id(piece)] = (fragments[0][0], fragments[-1][1])
        if piece.text is None and not piece.fragments and cuts(text, *places[id(piece)]):
            a, b = places[id(piece)]
            built.refused.append(f"{where}: span ({piece.label}) at {a}..{b} is {text[a:b]!r}, which cuts a word or starts "
                                 "or ends with a space: are the offsets drifted?")
    if built.refused:
        return built

    who = mapping.who(source.annotator)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    spans = []
    for piece in source.spans:
        label = mapping.entities.get(piece.label, piece.label)
        if label is None:
            built.left_out.append(f"{where}: span {piece.label} at {piece.start}..{piece.end} left out (entities: {piece.label}: null)")
            continue
        start, end = places[id(piece)]
        spans.append({"start": start, "end": end, "text": text[start:end], "label": label,
                      "status": piece.status or "accepted", "annotator": mapping.who(piece.annotator or who), "origin": "import",
                      **({"kb_id": piece.kb_id} if piece.kb_id else {})})

    claims = []
    for label, head, tail in source.relations:
        if label not in mapping.relations:
            built.left_out.append(f"{where}: relation {label!r} is not in the mapping; left out")
            continue
        claim_type, head_slot, tail_slot = mapping.relations[label]
        arguments = [(head_slot, head), (tail_slot, tail)]
        key = f"{sha}:{who}:{label}:" + ":".join(f"{places[id(p)][0]}:{places[id(p)][1]}" for p in (head, tail))
        claims.append(_claim(claim_type, None, arguments, places, text, schema, who, key))
    for event in source.events:
        target = _event_target(event, mapping, schema)
        if target is None:
            built.left_out.append(f"{where}: {event.where or 'event'} of type {event.label!r} is not in the mapping (events:) "
                                  "nor a claim type of the schema; left out")
            continue
        claim_type, roles = target
        arguments = []
        for role, piece in event.arguments:
            slot = roles.get(role) or _slot_of_role(role, schema.claim_types[claim_type])
            if slot is None:
                built.left_out.append(f"{where}: {event.where or 'event'} role {role!r} is not a slot of {claim_type}; left out")
                continue
            arguments.append((slot, piece))
        annotator = mapping.who(event.annotator or who)
        key = f"{sha}:{annotator}:{event.label}:" + ":".join(
            f"{role}:{places[id(p)]}" if p.placed else f"{role}:{p.text}" for role, p in arguments)
        if event.evidence is not None:
            key += f":{places[id(event.evidence)]}"
        claims.append(_claim(claim_type, event.evidence, arguments, places, text, schema, annotator, key,
                             event.id, event.status, event.note, event.without_evidence))

    rec = {"text": text, "spans": spans, "claims": claims}
    if source.name:
        rec["name"] = source.name
    built.record = rec
    return built


def _describe(piece: Piece, text: str, table: list[int | None]) -> str:
    """What is wrong with a piece under the tool's own way of counting, in words."""
    where = ";".join(f"{a}..{b}" for a, b in piece.place().fragments)
    found = convert(piece.place(), table)
    if found is None:
        return f"span {piece.label} at {where} is outside the text ({len(table) - 1} positions) or splits a character"
    shown = " ".join(text[a:b] for a, b in found)
    return f"span {piece.label} at {where} says {piece.text!r} but the text there is {shown!r}"


def _event_target(event: Event, mapping: Mapping, schema: ClaimSchema) -> tuple[str, dict[str, str]] | None:
    if event.label in mapping.events:
        return mapping.events[event.label]
    if event.label in schema.claim_types:
        return event.label, {}
    return None


def _slot_of_role(role: str, claim_type) -> str | None:
    """A role named as the slot is, or numbered as brat numbers repeated roles (parties2)."""
    for name in (role, re.sub(r"\d+$", "", role)):
        if name in claim_type.slots:
            return name
    return None


def _claim(claim_type: str, evidence: Piece | None, arguments: list[tuple[str, Piece]], places: dict, text: str,
           schema: ClaimSchema, annotator: str, key: str, claim_id: str | None = None, status: str | None = None,
           note: str | None = None, without_evidence: bool = False) -> dict:
    slots: dict[str, list[dict]] = {}
    for slot, piece in arguments:
        if piece.placed:
            start, end = places[id(piece)]
            value = {"text": text[start:end], "start": start, "end": end}
        else:
            value = {"text": piece.text or "", "start": None, "end": None}
        if _is_entity(schema, claim_type, slot) and piece.label and piece.label not in SLOT_KINDS:
            value["label"] = piece.label
            if piece.kb_id:
                value["kb_id"] = piece.kb_id
        if piece.value is not None:
            value["value"] = piece.value
        slots.setdefault(slot, []).append(value)
    declared = schema.claim_types.get(claim_type)
    shaped = {slot: values if len(values) > 1 or (declared and slot in declared.slots and declared.slots[slot].multiple) else values[0]
              for slot, values in slots.items()}
    placed = [places[id(p)] for _, p in arguments if p.placed]
    if evidence is not None:
        span = places[id(evidence)]
    elif placed and not without_evidence:
        span = (min(a for a, _ in placed), max(b for _, b in placed))
    else:
        span = None
    claim = {"id": claim_id or "import-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest(),
             "type": claim_type, "status": status if status in STATUS_KEPT else "accepted", "annotator": annotator,
             "origin": "import", "evidence": {"start": span[0], "end": span[1]} if span else None, "slots": shaped}
    if note:
        claim["note"] = note
    return claim


def _is_entity(schema: ClaimSchema, claim_type: str, slot: str) -> bool:
    """Whether the slot holds an entity (a value slot keeps the text only: the label is the tool's)."""
    declared = schema.claim_types.get(claim_type)
    return declared is None or slot not in declared.slots or declared.slots[slot].kind == "entity"


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) of a JSONL file, read strictly; a line that is not a JSON object is refused by number."""
    from annotations import jsontext

    if not Path(path).is_file():
        raise InputRefused(str(path), "no such file")
    with Path(path).open(encoding="utf-8-sig") as f:
        for number, _, item in jsontext.numbered_lines(f):
            if isinstance(item, jsontext.NotJson):
                raise InputRefused(str(path), f"line {number}: {item}")
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise InputRefused(str(path), f"line {number}: not an object with a text")
            yield number, item


@dataclass
class Plan:
    """What an import would bring: the bundle records, and what it refuses, leaves out or corrects, by place."""

    records: list[dict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per annotator, as the tool measured it


def plan(path: Path, fmt: str, schema: ClaimSchema, mapping: Mapping) -> Plan:
    """Read the tool's file and check every record as a bundle line is checked (bundles.py)."""
    from annotations.bundles import record_problems

    problems = mapping.problems(schema)
    if problems:
        raise InputRefused(mapping.source, "; ".join(problems))
    result = Plan()
    if not Path(path).exists():
        raise InputRefused(str(path), "no such file or folder")
    for source in reader(fmt)(Path(path), mapping):
        if not (source.spans or source.relations or source.events):  # a cancelled task, a model's predictions
            result.left_out += source.left_out or [f"{source.where}: nothing annotated; left out"]
            continue
        built = record(source, mapping, schema)
        result.left_out += built.left_out
        result.corrected += built.corrected
        problems = built.refused or record_problems(built.record, schema, source.where)
        result.refused += problems
        if not problems:
            result.records.append(built.record)
            if source.seconds is not None:
                who = mapping.who(source.annotator)
                result.seconds[who] = result.seconds.get(who, 0.0) + source.seconds
    return result
