"""Claim suggestions driven by the schema: trigger words, then slots filled from the same sentence.

For every sentence, the trigger words of each claim type (claims.yaml, per language) are found.
A claim type whose first required slot is a number (share, units, count, amount, change) is
anchored on each number of that kind in the sentence, and each number goes to the claim type whose
trigger stands nearest to it, so "9.9% year-on-year" is growth while "a market share of 28.7%" is
market_share. Other types (roles, partnerships, market entries, ...) are anchored on their
trigger. The claim's subject (the first entity slot in the YAML, the actor; in the passive voice
the first required one after it) takes the entity before the focus, preferring the parser's
grammatical subject; an anaphor ("the company") or a sentence with no such entity carries the
subject over from the sentences before. The remaining slots take the nearest entity or value of
an allowed label or kind. A suggestion is made only when every required slot is filled. Nothing here is specific to a claim
type: a type added to the YAML gets suggestions the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from annotations.schema import ANCHOR_KINDS, VALUE_KINDS, ClaimSchema, ClaimType, Slot
from annotations.values import LanguageValues, ValueMention, phrase_alternation

SOURCE_WINDOW = 40  # characters between a source cue ("according to") and the source's name
TRIGGER_WINDOW = 60  # how far a trigger-anchored claim (a role, an entry) reaches for its entities
MIN_BARE_COUNT = 1000  # a count without a scale word below this ("40 countries") anchors nothing


@dataclass(frozen=True)
class Mention:
    """An entity span as suggestion sees it."""

    start: int
    end: int
    text: str
    label: str
    kb_id: str | None = None
    canonical: str | None = None
    is_subject: bool = False  # the grammatical subject of its sentence, where a parser says so

    @property
    def identity(self) -> str:
        return self.kb_id or self.text.lower()


@dataclass
class Suggestion:
    type: str
    evidence: tuple[int, int]
    confidence: float
    slots: dict[str, list[dict]] = field(default_factory=dict)

    def content(self) -> tuple:
        """What the claim says, wherever in the text it is said: repeated statements count once."""
        return (self.type, tuple(sorted(
            (name, tuple((v.get("kb_id") or v["text"].lower(), json.dumps((v.get("value") or {}).get("value"))) for v in values))
            for name, values in self.slots.items()
        )))


def entity_slot(m: Mention) -> dict:
    return {"start": m.start, "end": m.end, "text": m.text, "label": m.label, "kb_id": m.kb_id, "canonical": m.canonical}


def value_slot(v: ValueMention) -> dict:
    return {"start": v.start, "end": v.end, "text": v.text, "value": dict(v.value)}


def _trigger_patterns(schema: ClaimSchema, lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    patterns = []
    for claim_type in schema.claim_types.values():
        words = claim_type.triggers.get(lang) or ()
        if words:
            patterns.append((claim_type.name, re.compile(phrase_alternation(words), re.IGNORECASE)))
    return tuple(patterns)


def _choice_patterns(slot: Slot) -> list[tuple[str, re.Pattern]]:
    return [(choice, re.compile(phrase_alternation(phrases), re.IGNORECASE)) for choice, phrases in slot.choices.items() if phrases]


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


class Suggester:
    """Suggests claims for one language under one schema."""

    def __init__(self, schema: ClaimSchema, lang: str, values: LanguageValues):
        self.schema = schema
        self.lang = lang
        self.values = values
        self.triggers = _trigger_patterns(schema, lang)
        self.choices = {(t.name, s.name): _choice_patterns(s) for t in schema.claim_types.values()
                        for s in t.slots.values() if s.kind == "choice"}
        self.source_cue = re.compile(phrase_alternation(values.source_cues), re.IGNORECASE)

    def suggest(self, text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
                values: list[ValueMention]) -> list[Suggestion]:
        found: dict[tuple, Suggestion] = {}
        previous_subjects: list[Mention] = []
        for start, end in sentences:
            sentence_mentions = [m for m in mentions if m.start >= start and m.end <= end]
            sentence_values = [v for v in values if v.start >= start and v.end <= end]
            for suggestion in self._sentence(text, start, end, sentence_mentions, sentence_values, previous_subjects):
                found.setdefault(suggestion.content(), suggestion)
            subjects = [m for m in sentence_mentions if m.label in ("ORG", "PRODUCT")]
            if subjects:
                previous_subjects = subjects
        return list(found.values())

    def _sentence(self, text, start, end, mentions, values, previous_subjects) -> list[Suggestion]:
        sentence = text[start:end]
        hits = [(name, (start + m.start(), start + m.end())) for name, pattern in self.triggers for m in pattern.finditer(sentence)]
        if not hits:
            return []
        suggestions = []
        # Numbers go to the nearest trigger of a type anchored on their kind.
        inside_entity = lambda v: any(m.start <= v.start and v.end <= m.end for m in mentions)  # "Redmi Note 3"
        for value in values:
            if value.kind not in ANCHOR_KINDS or inside_entity(value) or self._bare_small_count(value):
                continue
            level = bool(self.values.level_marker.search(text[max(start, value.start - 12):value.start]))
            candidates = [(_distance((value.start, value.end), span), name, span) for name, span in hits
                          if (anchor := self.schema.claim_types[name].anchor_slot) and anchor.kind == value.kind
                          and not (anchor.signed and level)]
            if not candidates:
                continue
            distance, name, trigger = min(candidates)
            claim_type = self.schema.claim_types[name]
            suggestion = self._fill(claim_type, text, (start, end), trigger, value, mentions, values, previous_subjects)
            if suggestion:
                suggestion.confidence = round(max(0.3, 0.95 - distance / 200), 2)
                suggestions.append(suggestion)
        # Types with no number to anchor on are anchored on their first trigger in the sentence.
        for name, trigger in hits:
            claim_type = self.schema.claim_types[name]
            if claim_type.anchor_slot:
                continue
            near = [m for m in mentions if _distance((m.start, m.end), trigger) <= TRIGGER_WINDOW]
            suggestion = self._fill(claim_type, text, (start, end), trigger, None, near, values, previous_subjects)
            if suggestion:
                suggestion.confidence = 0.6
                suggestions.append(suggestion)
        return suggestions

    def _fill(self, claim_type: ClaimType, text, sentence, trigger, anchor: ValueMention | None,
              mentions: list[Mention], values: list[ValueMention], previous_subjects) -> Suggestion | None:
        focus = (anchor.start, anchor.end) if anchor else trigger
        slots: dict[str, list[dict]] = {}
        used_mentions: set[tuple[int, int]] = set()
        used_values: set[tuple[int, int]] = {(anchor.start, anchor.end)} if anchor else set()
        carried = False
        anchor_slot = claim_type.anchor_slot
        if anchor and anchor_slot:
            slot_value = value_slot(anchor)
            if anchor_slot.signed and self._is_decrease(text, trigger, focus):
                slot_value["value"]["value"] = -abs(slot_value["value"]["value"])
            slots[anchor_slot.name] = [slot_value]
        # Sources first: "according to X" must not become the subject.
        subject = self._subject_slot(claim_type, self._passive(text, trigger))
        order = sorted(claim_type.slots.values(), key=lambda s: (s.name != "source", s is not subject, not s.required))
        for slot in order:
            if slot.name in slots:
                continue
            if slot.kind == "entity":
                chosen = self._entity_for(slot, slot is subject, text, sentence, focus, mentions, used_mentions)
                # "The company entered Brazil": a subject referred to by an anaphor before the focus, or a
                # required party not named in the sentence at all, is the company the text was just about.
                subject_after = (slot is subject and chosen and chosen[0].start >= focus[1]
                                 and self.values.anaphor.search(text, sentence[0], focus[0]))
                if slot.required and not slot.multiple and (not chosen or subject_after):
                    earlier = [m for m in previous_subjects if slot.accepts_label(m.label)][-1:]
                    if earlier:
                        chosen, carried = earlier, True
                if chosen:
                    slots[slot.name] = [entity_slot(m) for m in chosen]
                    used_mentions.update((m.start, m.end) for m in chosen)
            elif slot.kind in VALUE_KINDS:
                kinds = {"date": ("date", "period"), "period": ("period", "date")}.get(slot.kind, (slot.kind,))
                pool = [v for v in values if v.kind in kinds and (v.start, v.end) not in used_values and v.value.get("value") is not None]
                if slot.kind == "ordinal":  # a rank stands close to its number
                    pool = [v for v in pool if _distance((v.start, v.end), focus) <= 40]
                if pool:
                    # on a tie the value after the number wins: "from 13.1% in 2018 to 9% in 2019"
                    best = min(pool, key=lambda v: (_distance((v.start, v.end), focus), v.start < focus[0], kinds.index(v.kind)))
                    slots[slot.name] = [value_slot(best)]
                    used_values.add((best.start, best.end))
            elif slot.kind == "choice":
                choice = self._choice_for(claim_type, slot, text, sentence, focus)
                if choice:
                    slots[slot.name] = [choice]
            elif slot.kind == "text" and slot.required:
                slots[slot.name] = [{"start": trigger[0], "end": trigger[1], "text": text[trigger[0]:trigger[1]]}]
        missing = [s.name for s in claim_type.slots.values() if s.required and s.name not in slots]
        multiple_short = [s.name for s in claim_type.slots.values() if s.multiple and s.required and len(slots.get(s.name, [])) < 2]
        if missing or multiple_short:
            return None
        # a subject carried over from the sentence before widens the evidence to include it
        starts = [v["start"] for vs in slots.values() for v in vs]
        ends = [v["end"] for vs in slots.values() for v in vs]
        evidence = (min([sentence[0], *starts]), max([sentence[1], *ends]))
        confidence = 0.5 if carried else 0.8
        return Suggestion(claim_type.name, evidence, confidence, slots)

    @staticmethod
    def _subject_slot(claim_type: ClaimType, passive: bool) -> Slot | None:
        """The slot whose entity stands before the trigger: the first entity slot in the YAML (the actor:
        an authority, an investor), or in the passive voice the first required one after it."""
        slots = [s for s in claim_type.slots.values() if s.kind == "entity" and not s.multiple and s.name != "source"]
        if passive:
            return next((s for s in slots[1:] if s.required), slots[0] if slots else None)
        return slots[0] if slots else None

    def _passive(self, text: str, trigger: tuple[int, int]) -> bool:
        """"TikTok was banned", "a round led by": the entity before the trigger is acted upon."""
        before = text[max(0, trigger[0] - 12):trigger[0]]
        return bool(self.values.passive_marker.search(before) or self.values.agent_marker.search(text, trigger[0], trigger[1] + 4))

    def _entity_for(self, slot: Slot, is_subject: bool, text, sentence, focus, mentions, used) -> list[Mention]:
        pool = [m for m in mentions if slot.accepts_label(m.label) and (m.start, m.end) not in used]
        if slot.name == "source":
            return [m for m in pool if self._after_source_cue(text, sentence[0], m)][:1]
        if not pool:
            return []
        if slot.multiple:
            distinct: dict[str, Mention] = {}
            for m in pool:
                distinct.setdefault(m.identity, m)
            return list(distinct.values())
        # The subject usually comes before the number or trigger; other slots take the nearest.
        before = [m for m in pool if m.end <= focus[0]]
        if is_subject and before:
            subjects = [m for m in before if m.is_subject]
            return [max(subjects or before, key=lambda m: m.end)]
        return [min(pool, key=lambda m: _distance((m.start, m.end), focus))]

    @staticmethod
    def _bare_small_count(value: ValueMention) -> bool:
        return value.kind == "count" and abs(value.value["value"]) < MIN_BARE_COUNT and value.text.strip().isdigit()

    def _after_source_cue(self, text: str, sentence_start: int, m: Mention) -> bool:
        window = text[max(sentence_start, m.start - SOURCE_WINDOW):m.start]
        after = text[m.end:m.end + 25]
        return bool(self.source_cue.search(window)) or bool(re.match(r"\W*(?:statistics|data|figures|report|cijfers)", after, re.IGNORECASE))

    def _choice_for(self, claim_type: ClaimType, slot: Slot, text, sentence, focus) -> dict | None:
        best = None
        for choice, pattern in self.choices[(claim_type.name, slot.name)]:
            for m in pattern.finditer(text, sentence[0], sentence[1]):
                distance = _distance((m.start(), m.end()), focus)
                if best is None or distance < best[0]:
                    best = (distance, {"start": m.start(), "end": m.end(), "text": m.group(), "value": {"kind": "choice", "value": choice}})
        return best[1] if best else None

    def _is_decrease(self, text: str, trigger: tuple[int, int], focus: tuple[int, int]) -> bool:
        lo, hi = min(trigger[0], focus[0]), max(trigger[1], focus[1])
        words = re.findall(r"[\w-]+", text[max(0, lo - 30):hi].lower())
        return any(w in self.values.decrease for w in words)
