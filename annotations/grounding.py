"""Grounding an LLM's claims in the article: every slot value must be words of the text.

A language model quotes the words it read a value from; those words are looked up in the article,
first exactly, then with case, whitespace, curly quotes and dashes made plain, then (RapidFuzz)
fuzzily within the evidence sentence, where the digits must still be the same ones. A value slot
that is words for the same number in the sentence ("28.7 per cent" for "28.7%") is tied to that
number's place. The value is then read from the aligned text by the project's own value code
(values.py), never taken from the model.

A slot whose words are nowhere in the text keeps the model's words with no place: the curator
sees it as "not in the text" and must fix it before confirming. A claim whose required slot is not
found is not suggested at all; it is kept in the run's `not_suggested` list, which `evaluate`
counts. Nothing here invents an offset.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from annotations.curation import SENTENCE_END, WORD, sentence_around
from annotations.model import VALUE_KINDS
from annotations.nlp.kb import KnowledgeBase
from annotations.nlp.suggest import cues_for
from annotations.nlp.values import Values
from annotations.schema import ClaimSchema, ClaimType, Slot

PLAIN = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
         "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"}
FUZZY_SLOT = 80  # RapidFuzz score (0-100) for a slot's words within the evidence sentence
FUZZY_EVIDENCE = 85  # for the evidence sentence among the sentences of the piece
# how far each way of finding the words lowers the model's own confidence
QUALITY = {"exact": 1.0, "normalised": 0.97, "value": 0.95}
UNPLACED = 0.85  # for each optional slot whose words are not in the text
DIGITS = re.compile(r"\d")
NOT_FOUND = "not found in the text"


@dataclass(frozen=True)
class Alignment:
    start: int
    end: int
    how: str  # exact, normalised, value or fuzzy
    quality: float


class Plain:
    """A stretch of text lowercased, with quotes and dashes made plain and each run of whitespace
    one space, remembering for each of its characters the offset of the character it came from."""

    def __init__(self, text: str, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        chars, offsets, space = [], [], False
        for i in range(start, end):
            c = text[i]
            if c.isspace():
                if not space:
                    chars.append(" ")
                    offsets.append(i)
                space = True
                continue
            space = False
            for p in PLAIN.get(c, c).lower():  # "İ".lower() is two characters
                chars.append(p)
                offsets.append(i)
        self.text, self.offsets = "".join(chars), offsets

    def place(self, i: int, j: int) -> tuple[int, int]:
        """The original offsets of plain characters i..j."""
        return self.offsets[i], self.offsets[j - 1] + 1


def plain(words: str) -> str:
    return Plain(words.strip()).text.strip()


def _nearest(starts: list[int], near: int) -> int:
    return min(starts, key=lambda s: (abs(s - near), s))


def align(text: str, words: str, region: tuple[int, int], near: int, sentence: tuple[int, int] | None = None,
          fuzzy_min: int = FUZZY_SLOT) -> Alignment | None:
    """Where in text[region] the words are (nearest to `near`): exact, else normalised, else fuzzy
    within the sentence; None when they are not there."""
    words = words.strip()
    if not words:
        return None
    lo, hi = region
    places = [m.start() for m in re.finditer(re.escape(words), text[lo:hi])]
    if places:
        start = lo + _nearest(places, near - lo)
        return Alignment(start, start + len(words), "exact", QUALITY["exact"])
    needle = plain(words)
    if not needle:
        return None
    haystack = Plain(text, lo, hi)
    places = [m.start() for m in re.finditer(re.escape(needle), haystack.text)]
    if places:
        best = min(places, key=lambda i: abs(haystack.offsets[i] - near))
        start, end = haystack.place(best, best + len(needle))
        return Alignment(start, end, "normalised", QUALITY["normalised"])
    if sentence is None or len(needle) < 3:
        return None
    inside = Plain(text, *sentence)
    if not inside.text:
        return None
    found = fuzz.partial_ratio_alignment(needle, inside.text, score_cutoff=fuzzy_min)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start, end = _whole_words(text, *inside.place(found.dest_start, found.dest_end))
    if DIGITS.findall(text[start:end]) != DIGITS.findall(words):
        return None  # "10.3 million" is not "10.2 million", however alike they look
    return Alignment(start, end, "fuzzy", round(found.score / 100 * 0.95, 3))


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen to whole words, without edge spaces or punctuation other than a value's % or currency sign."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text, max(0, start - 64), min(len(text), end + 64))
             if m.end() > start and m.start() < end]
    if not words:
        return start, end
    first, last = words[0][0], words[-1][1]
    if first > 0 and text[first - 1] in "$€£¥₹" and start < first:
        first -= 1
    if last < len(text) and text[last] == "%" and end > last:
        last += 1
    return first, last


def sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The sentences (and lines) of text[lo:hi], as the curator's evidence sentences are cut."""
    cuts, start = [], lo
    for m in SENTENCE_END.finditer(text, lo, hi):
        end = m.start() if m.group() == "\n" else m.end()
        if text[start:end].strip():
            cuts.append(_trimmed(text, start, end))
        start = m.end()
    if text[start:hi].strip():
        cuts.append(_trimmed(text, start, hi))
    return cuts


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Grounder:
    """Turns the claims an LLM gave for one article into storable claims with exact offsets."""

    def __init__(self, text: str, lang: str, published: date | None, schema: ClaimSchema, values: Values,
                 kb: KnowledgeBase, spans: list[dict]):
        self.text, self.lang, self.published = text, lang, published
        self.schema, self.values, self.kb = schema, values.for_language(lang), kb
        self.cues = cues_for(lang)
        self.spans = [s for s in spans if s.get("status") != "rejected"]
        self.aliases = kb.aliases()

    def claim(self, raw: dict, region: tuple[int, int]) -> tuple[dict | None, str | None]:
        """(the storable claim, None) or (None, why it is not suggested)."""
        claim_type = self.schema.claim_types.get(raw.get("type"))
        if claim_type is None:
            return None, f"{raw.get('type')!r} is not a claim type of the schema"
        evidence = self._evidence(str(raw.get("evidence") or ""), region)
        near = evidence[0] if evidence else region[0]
        slots, quality, missing = {}, 1.0, []
        given = raw.get("slots") if isinstance(raw.get("slots"), dict) else {}
        for name, slot in claim_type.slots.items():
            items = _items(given.get(name), slot)
            values = []
            for words, choice in items:
                value, alignment = self._value(claim_type, slot, words, choice, region, evidence, near)
                if value is None:
                    continue
                if alignment is None:
                    quality *= UNPLACED
                else:
                    quality *= alignment.quality
                values.append(value)
            if slot.required and not any(v.get("start") is not None and _readable(slot, v) for v in values):
                shown = "; ".join(f"“{w}”" for w, _ in items) or "nothing"
                missing.append(f"{name} {shown} {NOT_FOUND}" if items else f"no {name} given")
            if values:
                slots[name] = values
        if missing:
            return None, "; ".join(missing)
        if evidence is None:  # the sentence around the required values
            placed = [(v["start"], v["end"]) for n in claim_type.required_slots for v in slots[n]]
            evidence = sentence_around(self.text, min(s for s, _ in placed), max(e for _, e in placed))
        stated = _confidence(raw.get("confidence"))
        return {"type": claim_type.name, "confidence": round(stated * quality, 3), "slots": slots,
                "evidence": {"start": evidence[0], "end": evidence[1], "text": self.text[evidence[0]:evidence[1]]}}, None

    def _evidence(self, words: str, region: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence the model quoted as its evidence: found exactly, normalised, or as the
        sentence of the piece most like it."""
        found = align(self.text, words, region, region[0])
        if found is not None:
            return sentence_around(self.text, found.start, found.end)
        needle = plain(words)
        if len(needle) < 12:
            return None
        scored = [(fuzz.ratio(needle, Plain(self.text, a, b).text), (a, b)) for a, b in sentences(self.text, *region)]
        best = max(scored, default=(0, None))
        return best[1] if best[0] >= FUZZY_EVIDENCE else None

    def _value(self, claim_type: ClaimType, slot: Slot, words: str, choice, region, evidence, near) -> tuple[dict | None, Alignment | None]:
        if not words.strip() and not choice:
            return None, None
        found = align(self.text, words, evidence, near, evidence) if evidence else None
        found = found or align(self.text, words, region, near)
        if found is None and evidence and slot.kind in VALUE_KINDS:
            found = self._same_number(slot, words, evidence)
        place = {"start": found.start, "end": found.end} if found else {"start": None, "end": None}
        shown = self.text[found.start:found.end] if found else words.strip()
        if slot.kind == "entity":
            return {**place, "text": shown, **self._entity(slot, found, shown)}, found
        if slot.kind == "text":
            return {**place, "text": shown}, found
        if slot.kind == "choice":
            key = choice if choice in slot.choices else _choice_of(slot, shown) or _choice_of(slot, words)
            return {**place, "text": shown, "value": {"kind": "choice", "value": key} if key else None}, found
        value = self._number(slot, shown, found)
        if value is None and found is not None:
            # words that are not a value themselves ("a 28.7% share"): the value inside them
            inner = [m for m in self.values.find(shown, self.published) if _kind_fits(slot.kind, m.kind)]
            if inner:
                best = max(inner, key=lambda m: m.end - m.start)
                found = Alignment(found.start + best.start, found.start + best.end, found.how, found.quality)
                place, shown = {"start": found.start, "end": found.end}, self.text[found.start:found.end]
                value = self._number(slot, shown, found)
        return {**place, "text": shown, "value": value}, found

    def _same_number(self, slot: Slot, words: str, evidence: tuple[int, int]) -> Alignment | None:
        """The place in the evidence of the value the words stand for, read both ways by values.py."""
        wanted = self.values.normalise(slot.kind, words, self.published)
        if not wanted or wanted.get("value") is None:
            return None
        for m in self.values.find(self.text[evidence[0]:evidence[1]], self.published):
            if _kind_fits(slot.kind, m.kind) and m.value.get("value") == wanted["value"] \
                    and m.value.get("currency") == wanted.get("currency"):
                return Alignment(evidence[0] + m.start, evidence[0] + m.end, "value", QUALITY["value"])
        return None

    def _number(self, slot: Slot, shown: str, found: Alignment | None) -> dict | None:
        value = self.values.normalise(slot.kind, shown, self.published)
        if value is None or value.get("value") is None:
            return None
        if slot.signed and isinstance(value["value"], (int, float)) and value["value"] > 0 and found is not None:
            before = self.text[max(0, found.start - 40):found.end].lower()
            if any(w in self.cues.decrease for w in re.findall(r"[\w-]+", before)):
                value = {**value, "value": -value["value"]}
        return value

    def _entity(self, slot: Slot, found: Alignment | None, shown: str) -> dict:
        """The label and canonical link of a name: from the article's span at its place, else the
        knowledge base, else the first label the slot takes."""
        span = None
        if found is not None:
            overlapping = [s for s in self.spans if s["start"] < found.end and found.start < s["end"] and slot.accepts_label(s["label"])]
            span = min(overlapping, key=lambda s: (abs(s["start"] - found.start) + abs(s["end"] - found.end)), default=None)
        kb_id = (span or {}).get("kb_id") or self.aliases.get(shown) or self.aliases.get(shown.strip())
        known = self.kb.entities.get(kb_id) if kb_id else None
        label = span["label"] if span else known.label if known and slot.accepts_label(known.label) else \
            (slot.labels[0] if slot.labels else "ORG")
        return {"label": label, "kb_id": kb_id if kb_id and (known is None or slot.accepts_label(known.label)) else None}


def _items(given, slot: Slot) -> list[tuple[str, str | None]]:
    """A slot's answer as (words, choice) pairs: a string, {"quote", "choice"}, or a list of them."""
    if given is None:
        return []
    given = given if isinstance(given, list) else [given]
    items = []
    for item in given:
        if isinstance(item, dict):
            words, choice = item.get("quote") or item.get("text") or "", item.get("choice")
        else:
            words, choice = item, None
        if isinstance(words, (int, float)) and not isinstance(words, bool):
            words = str(words)
        if isinstance(words, str) and (words.strip() or choice):
            items.append((words, choice if isinstance(choice, str) else None))
    return items if slot.multiple else items[:1]


def _kind_fits(slot_kind: str, value_kind: str) -> bool:
    return value_kind == slot_kind or {slot_kind, value_kind} == {"period", "date"}


def _choice_of(slot: Slot, words: str) -> str | None:
    lowered = words.strip().lower()
    for choice, phrases in slot.choices.items():
        if lowered == choice or lowered in (p.lower() for p in phrases):
            return choice
    return None


def _readable(slot: Slot, value: dict) -> bool:
    """A required value must be read (a number, a choice), not only placed."""
    return slot.kind in ("entity", "text") or (value.get("value") or {}).get("value") is not None


def _confidence(stated) -> float:
    """The model's own confidence, 0.5 when it gave none; a percentage is read as one."""
    if isinstance(stated, bool) or not isinstance(stated, (int, float)) or not math.isfinite(stated):
        return 0.5
    if 1 < stated <= 100:
        stated /= 100
    return min(max(float(stated), 0.05), 1.0)
