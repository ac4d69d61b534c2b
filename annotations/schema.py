"""The claim schema (schemas/claims.yaml) and the entity knowledge base file (schemas/entities.yaml).

Both load with yaml.safe_load semantics into frozen dataclasses. Validation collects every problem
before raising, and each problem names the file and the line, so a curator who extends the schema
can fix all of it in one go. Nothing runs on a half-loaded schema: loading either succeeds whole
or raises SchemaError.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotations.errors import SchemaError
from annotations.model import ANCHOR_KINDS, SLOT_KINDS
from annotations.phrasings import compile_phrasing
from annotations.yamlfile import LineDict, load_yaml, read_text

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class EntityLabel:
    name: str
    color: str
    description: str = ""


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str
    labels: tuple[str, ...] = ()
    required: bool = False
    multiple: bool = False
    signed: bool = False  # a number that is negative when the text says it fell
    # choice slots: each choice with the phrases (any language) that name it in text
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    over_a_year: str | None = None  # the choice a whole-year period implies when the text names none ("grew 59% in 2007": yoy)
    reports: bool = False  # an entity slot for who reports the figure (a research firm), never what it is about

    def accepts_label(self, label: str) -> bool:
        return not self.labels or label in self.labels


@dataclass(frozen=True)
class ClaimType:
    name: str
    description: str
    slots: dict[str, Slot]
    triggers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # set ways of stating the fact, per language, with the slots as placeholders (annotations/phrasings.py)
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    guidelines: str = ""  # how curators decide borderline cases; also given to the LLM recommender
    # the slots that say which fact a claim is about (subject, market, period): two claims with the
    # same values there and different numbers, in different articles, are a conflict for review
    identity: tuple[str, ...] = ()

    @property
    def source_slot(self) -> Slot | None:
        """The slot naming who reports the claim's figure ("according to IDC"), if the type has one."""
        return next((slot for slot in self.slots.values() if slot.reports), None)

    @property
    def required_slots(self) -> tuple[str, ...]:
        return tuple(name for name, slot in self.slots.items() if slot.required)

    @property
    def anchor_slot(self) -> Slot | None:
        """The first required number (share, units, amount, change): what the claim states."""
        return next((s for s in self.slots.values() if s.required and s.kind in ANCHOR_KINDS), None)


@dataclass(frozen=True)
class ClaimSchema:
    version: int
    entity_labels: dict[str, EntityLabel]
    claim_types: dict[str, ClaimType]
    text: str
    source: str
    default_entity_label: str = ""  # a typed name the knowledge base does not know, for a slot naming no labels

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def color(self, label: str) -> str:
        known = self.entity_labels.get(label)
        return known.color if known else "#dddddd"


@dataclass(frozen=True)
class Entity:
    """A canonical entity: "xiaomi" is Xiaomi, an ORG, also written Millet or Xiaomi Inc."""

    kb_id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityFile:
    version: int
    entities: dict[str, Entity]
    text: str
    source: str


class _Problems:
    """Collects problems as "file, line N: sentence" while a file is checked."""

    def __init__(self, source: str):
        self.source = source
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.source}, line {line}: {message}")

    def unknown_keys(self, mapping: LineDict, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(mapping.line_of(key), f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})")

    def mapping(self, parent: LineDict, key: str, what: str, required: bool = True) -> LineDict | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.add(parent.line_of(key), f"{what} is missing {key!r}")
            return None
        if not isinstance(value, dict):
            self.add(parent.line_of(key), f"{key!r} in {what} must be a mapping")
            return None
        return value

    def raise_if_any(self) -> None:
        if self.items:
            raise SchemaError(self.items)


def _string_list(value, line: int, what: str, problems: _Problems) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(line, f"{what} must be a list of non-empty strings")
        return ()
    return tuple(value)


def _version(data: LineDict, problems: _Problems) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.add(data.line_of("version"), "'version' must be a whole number of at least 1")
        return 0
    return version


def parse_claim_schema(text: str, source: str = "claims.yaml") -> ClaimSchema:
    data = load_yaml(text, source)
    problems = _Problems(source)
    problems.unknown_keys(data, {"version", "entity_labels", "default_entity_label", "claim_types"}, "the schema")
    version = _version(data, problems)
    labels = _parse_labels(problems.mapping(data, "entity_labels", "the schema"), problems)
    default_label = data.get("default_entity_label", next(iter(labels), ""))
    if labels and (not isinstance(default_label, str) or default_label not in labels):
        problems.add(data.line_of("default_entity_label"), f"default_entity_label {default_label!r} is not one of the entity labels")
    types = {}
    raw_types = problems.mapping(data, "claim_types", "the schema")
    for name, raw in (raw_types or {}).items():
        line = raw_types.line_of(name)
        if not isinstance(name, str) or not _NAME.match(name):
            problems.add(line, f"claim type name {name!r} must be a plain identifier (letters, digits, _)")
            continue
        if not isinstance(raw, dict):
            problems.add(line, f"claim type {name!r} must be a mapping with 'slots'")
            continue
        types[name] = _parse_claim_type(name, raw, labels, problems)
    problems.raise_if_any()
    return ClaimSchema(version, labels, types, text, source, default_label)


def _parse_labels(raw: LineDict | None, problems: _Problems) -> dict[str, EntityLabel]:
    labels = {}
    for name, spec in (raw or {}).items():
        line = raw.line_of(name)
        if not isinstance(name, str) or not _NAME.match(name):
            problems.add(line, f"entity label {name!r} must be a plain identifier")
            continue
        if not isinstance(spec, dict):
            problems.add(line, f"entity label {name!r} must be a mapping with 'color'")
            continue
        problems.unknown_keys(spec, {"color", "description"}, f"entity label {name!r}")
        color = spec.get("color")
        if not isinstance(color, str) or not _COLOR.match(color):
            problems.add(spec.line_of("color"), f"entity label {name!r} needs a color like \"#8ecae6\", got {color!r}")
            color = "#dddddd"
        labels[name] = EntityLabel(name, color, str(spec.get("description") or ""))
    return labels


def _parse_claim_type(name: str, raw: LineDict, labels: dict, problems: _Problems) -> ClaimType:
    what = f"claim type {name!r}"
    problems.unknown_keys(raw, {"description", "triggers", "phrasings", "slots", "guidelines", "identity"}, what)
    guidelines = raw.get("guidelines", "")
    if not isinstance(guidelines, str) or ("guidelines" in raw and not guidelines.strip()):
        problems.add(raw.line_of("guidelines"), f"'guidelines' of {what} must be text (a YAML string, | for several lines)")
        guidelines = ""
    triggers = {}
    raw_triggers = problems.mapping(raw, "triggers", what, required=False)
    for lang, words in (raw_triggers or {}).items():
        triggers[str(lang)] = _string_list(words, raw_triggers.line_of(lang), f"triggers of {what} for {lang!r}", problems)
    slots = {}
    raw_slots = problems.mapping(raw, "slots", what)
    if raw_slots is not None and not raw_slots:
        problems.add(raw.line_of("slots"), f"{what} has no slots")
    for slot_name, spec in (raw_slots or {}).items():
        line = raw_slots.line_of(slot_name)
        if not isinstance(slot_name, str) or not _NAME.match(slot_name):
            problems.add(line, f"slot name {slot_name!r} of {what} must be a plain identifier")
            continue
        if not isinstance(spec, dict):
            problems.add(line, f"slot {slot_name!r} of {what} must be a mapping with 'kind'")
            continue
        slots[slot_name] = _parse_slot(slot_name, spec, what, labels, problems)
    identity: tuple[str, ...] = ()
    if "identity" in raw:
        line = raw.line_of("identity")
        identity = _string_list(raw["identity"], line, f"identity of {what}", problems)
        for slot_name in identity:
            if raw_slots is not None and slot_name not in slots:
                problems.add(line, f"identity of {what} names {slot_name!r}, which is not one of its slots")
        if not any(s.required and s.kind in ANCHOR_KINDS for s in slots.values()):
            problems.add(line, f"{what} has an identity but no required {', '.join(ANCHOR_KINDS)} slot whose values could differ")
    phrasings = {}
    raw_phrasings = problems.mapping(raw, "phrasings", what, required=False)
    for lang, written in (raw_phrasings or {}).items():
        line = raw_phrasings.line_of(lang)
        phrasings[str(lang)] = _string_list(written, line, f"phrasings of {what} for {lang!r}", problems)
        for phrasing in phrasings[str(lang)]:
            try:
                compile_phrasing(phrasing, {n: s.kind for n, s in slots.items()})
            except ValueError as error:
                problems.add(line, f"phrasing {phrasing!r} of {what}: {error}")
    return ClaimType(name, str(raw.get("description") or ""), slots, triggers=triggers, phrasings=phrasings,
                     guidelines=guidelines.strip(), identity=identity)


def _parse_slot(name: str, spec: LineDict, owner: str, labels: dict, problems: _Problems) -> Slot:
    what = f"slot {name!r} of {owner}"
    problems.unknown_keys(spec, {"kind", "labels", "required", "multiple", "signed", "choices", "description", "over_a_year", "reports"}, what)
    kind = spec.get("kind")
    if kind not in SLOT_KINDS:
        problems.add(spec.line_of("kind"), f"{what} has unknown kind {kind!r} (known kinds: {', '.join(SLOT_KINDS)})")
    slot_labels: tuple[str, ...] = ()
    if "labels" in spec:
        slot_labels = _string_list(spec["labels"], spec.line_of("labels"), f"labels of {what}", problems)
        if kind != "entity":
            problems.add(spec.line_of("labels"), f"{what} has 'labels' but only entity slots take labels")
        for label in slot_labels:
            if label not in labels:
                problems.add(spec.line_of("labels"), f"{what} names unknown entity label {label!r}")
    choices: dict[str, tuple[str, ...]] = {}
    raw_choices = spec.get("choices")
    if kind == "choice":
        if isinstance(raw_choices, list) and raw_choices and all(isinstance(c, str) for c in raw_choices):
            choices = {c: (c.replace("_", " "),) for c in raw_choices}
        elif isinstance(raw_choices, dict) and raw_choices:
            for choice, phrases in raw_choices.items():
                phrases = [] if phrases is None else phrases
                choices[str(choice)] = (_string_list(phrases, raw_choices.line_of(choice), f"phrases of choice {choice!r} in {what}", problems)
                                        if phrases else ())
        else:
            problems.add(spec.line_of("choices") if "choices" in spec else spec.line, f"{what} is a choice slot without choices")
    elif raw_choices is not None:
        problems.add(spec.line_of("choices"), f"{what} has 'choices' but only choice slots take choices")
    if spec.get("reports") and kind != "entity":
        problems.add(spec.line_of("reports"), f"{what} has 'reports' but only an entity slot can name who reports a figure")
    over_a_year = spec.get("over_a_year")
    if over_a_year is not None and str(over_a_year) not in choices:
        problems.add(spec.line_of("over_a_year"), f"'over_a_year' of {what} must be one of its choices, not {over_a_year!r}")
        over_a_year = None
    flags = {}
    for flag in ("required", "multiple", "signed", "reports"):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            problems.add(spec.line_of(flag), f"'{flag}' of {what} must be true or false")
            value = False
        flags[flag] = value
    return Slot(name, kind if kind in SLOT_KINDS else "text", slot_labels, flags["required"], flags["multiple"],
                flags["signed"], choices, str(spec.get("description") or ""), None if over_a_year is None else str(over_a_year),
                flags["reports"] and kind == "entity")


def parse_entity_file(text: str, source: str = "entities.yaml", labels: dict | None = None) -> EntityFile:
    """Parse the knowledge base file; with `labels`, every entity's label must be one of them."""
    data = load_yaml(text, source)
    problems = _Problems(source)
    problems.unknown_keys(data, {"version", "entities"}, "the entity file")
    version = _version(data, problems)
    entities: dict[str, Entity] = {}
    alias_owner: dict[str, str] = {}
    raw = problems.mapping(data, "entities", "the entity file")
    for kb_id, spec in (raw or {}).items():
        line = raw.line_of(kb_id)
        if not isinstance(spec, dict):
            problems.add(line, f"entity {kb_id!r} must be a mapping with 'name' and 'label'")
            continue
        what = f"entity {kb_id!r}"
        problems.unknown_keys(spec, {"name", "label", "aliases"}, what)
        name, label = spec.get("name"), spec.get("label")
        if not isinstance(name, str) or not name.strip():
            problems.add(spec.line_of("name"), f"{what} is missing 'name'")
            name = str(kb_id)
        if not isinstance(label, str) or (labels is not None and label not in labels):
            problems.add(spec.line_of("label"), f"{what} has unknown label {label!r}")
        aliases = _string_list(spec.get("aliases", []), spec.line_of("aliases"), f"aliases of {what}", problems) if spec.get("aliases") else ()
        for alias in (name, *aliases):
            owner = alias_owner.setdefault(alias, str(kb_id))
            if owner != str(kb_id):
                problems.add(spec.line_of("aliases"), f"alias {alias!r} of {what} already belongs to entity {owner!r}")
        entities[str(kb_id)] = Entity(str(kb_id), name, str(label), aliases)
    problems.raise_if_any()
    return EntityFile(version, entities, text, source)


def load_claim_schema(path: Path) -> ClaimSchema:
    return parse_claim_schema(read_text(path), str(path))


def load_entity_file(path: Path, labels: dict | None = None) -> EntityFile:
    return parse_entity_file(read_text(path), str(path), labels)


def check(paths: list[Path]) -> list[str]:
    """Every problem in the given schema files ("ok" is an empty list); a file is recognised by its top key."""
    problems: list[str] = []
    labels = None
    for path in paths:
        try:
            text = read_text(path)
            data = load_yaml(text, str(path))
            if "entities" in data and "claim_types" not in data:
                parse_entity_file(text, str(path), labels)
            elif "languages" in data:  # values.yaml (number shapes) or cues.yaml (suggestion words)
                from annotations.nlp.suggest import parse_cues
                from annotations.nlp.values import parse_values

                blocks = [b for b in (data["languages"] or {}).values() if isinstance(b, dict)]
                (parse_values if any("decimal" in b for b in blocks) else parse_cues)(text, str(path))
            else:
                labels = parse_claim_schema(text, str(path)).entity_labels
        except SchemaError as e:
            problems.extend(e.problems)
    return problems
