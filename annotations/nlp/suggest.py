"""Claim suggestions driven by the schema and the parse: trigger words, then slots read off the sentence.

In every sentence the trigger words of each claim type (claims.yaml, per language) are found by
lemma: a trigger written as a lemma ("jump") matches every form of it ("jumped", "jumps"), one
written as a form ("owned") only that form. A claim type whose first required slot is a number
(share, units, count, amount, change) is anchored on the numbers of that kind: each number goes to
the trigger it hangs together with in the dependency tree (fewest steps; characters apart where
there is no parser), so in "a market share of 28.7% while shipments fell 9.9%" the share and the
fall go to different claims. Other types (roles, partnerships, entries) are anchored on the trigger.

The subject (the first entity slot in the YAML, the actor; in the passive voice the first required
one after it) is read from the parse: the grammatical subject, the agent or the possessor ("Xiaomi's
share") of the words that govern the number. Names that report a figure (after "according to", a
news agency, a research firm) are sources, never subjects; business terms a model tags as names
("YoY", "ARPU") are no one. Where the sentence names no subject, or points back ("the company",
"it"), the subject of the sentences before is carried over, and last the article's main company.
A claim type's set phrasings (claims.yaml, annotations/phrasings.py) say who is who where the
order of words does ("Facebook-owned Instagram"); what a phrasing says, no trigger-based suggestion
says otherwise. A period not stated in the sentence is the one the article has said most so far
(the first its body says counting twice); a figure's market not stated is the place the article
has named most so far, where one has been named twice and more than any other. The remaining slots
take the nearest entity or value of an allowed label or kind. A suggestion is made only when every
required slot is filled. The words are in schemas/cues.yaml; nothing here names a claim type or a
word, so a claim type added to the YAML gets suggestions the same way. Without a parser (Dutch
today) the rules fall back to the order of words in the sentence.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from annotations.calibration import Calibration
from annotations.errors import SchemaError
from annotations.model import ANCHOR_KINDS, VALUE_KINDS, accepted_kinds
from annotations.nlp.values import LanguageValues, ValueMention, phrase_alternation
from annotations.phrasings import Marked, compile_phrasing
from annotations.schema import ClaimSchema, ClaimType, Slot
from annotations.settings import SCHEMA_DIR
from annotations.yamlfile import load_yaml, read_text

CUES_FILE = SCHEMA_DIR / "cues.yaml"
TRIGGER_WINDOW = 60  # how far a trigger-anchored claim (a role, an entry) reaches for its entities
MIN_BARE_COUNT = 1000  # a count or money without a scale word below this ("40 countries", "$599") anchors nothing
MAX_TREE_STEPS = 6
SENTENCE_REACH = 150  # characters: a number this far from every trigger of its kind belongs to none
ADJACENT = 30  # characters: an entity this close to a trigger belongs to it  # a number further than this from every trigger in the parse belongs to none
SUBJECT_DEPS = ("nsubj", "nsubjpass", "agent", "poss")
FAR = 1000


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
    # how it was found: what it is anchored on (a number or a trigger) and where its first required
    # name came from (the parse, nearby words, an earlier sentence, the article's main company);
    # the calibration table (schemas/calibration.yaml) turns type and basis into a confidence
    basis: str = ""

    def content(self, names: tuple[str, ...] | None = None) -> tuple:
        """What the claim says (in the slots named, or all), wherever it is said: repeated statements count once."""
        return (self.type, tuple(sorted(
            (name, tuple(v.get("kb_id") or (json.dumps(v["value"].get("value")) if v.get("value") else v["text"].lower()) for v in values))
            for name, values in self.slots.items() if names is None or name in names
        )))


def entity_slot(m: Mention) -> dict:
    return {"start": m.start, "end": m.end, "text": m.text, "label": m.label, "kb_id": m.kb_id, "canonical": m.canonical}


def value_slot(v: ValueMention) -> dict:
    return {"start": v.start, "end": v.end, "text": v.text, "value": dict(v.value)}


# -- the words ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cues:
    """One language's words from cues.yaml, compiled."""

    source_before: re.Pattern
    source_after: re.Pattern
    reporters: frozenset[str]
    not_names: frozenset[str]
    reporting_verbs: frozenset[str]
    price_words: frozenset[str]
    passive_marker: re.Pattern
    agent_marker: re.Pattern
    anaphor: re.Pattern
    anaphor_heads: frozenset[str]  # "company" of "the company": "the home-improvement retailer" points back too
    person_cue: re.Pattern
    org_before: re.Pattern
    org_after: re.Pattern
    place_after: re.Pattern
    per_unit: re.Pattern
    employer_preps: tuple[str, ...]  # "an analyst with Morningstar", "chief executive of Geely"
    org_heads: frozenset[str]  # the last word of a name that makes it an organisation: "Manchester United", "Singapore Airlines"
    legal_forms: tuple[str, ...]  # "Inc", "Ltd": "Facebook Inc" in the lead makes every "Facebook" the company
    title_lead: tuple[str, ...]  # words between a name and its title: "Tim Cook, the former chief executive"
    decrease: frozenset[str]  # words of a fall: a signed figure near one is negative
    joined: re.Pattern  # what stands between two trigger words said as one: "chairman, CEO and president"
    launched: re.Pattern  # a name after these is a product: "launched the Galaxy Note 9", "the launch of Disney+"
    market_words: frozenset[str]  # a figure whose subject has one of these and no name is a whole market's
    figure_with: re.Pattern  # "Reliance Jio with 138.62 million": the words joining a name to its figure
    listener: re.Pattern  # a name after these is told the news ("told Reuters"), no party to a claim


def _ending(words) -> re.Pattern:
    return re.compile(rf"{phrase_alternation(words)}[\W_]*(?:\w+[\W_]+){{0,3}}$", re.IGNORECASE)


def _starting(words) -> re.Pattern:
    return re.compile(rf"[^\w\n]{{0,3}}{phrase_alternation(words)}", re.IGNORECASE)


def parse_cues(text: str, source: str) -> dict[str, Cues]:
    data = load_yaml(text, source)
    required = ("source_cues", "source_after", "reporters", "not_names", "reporting_verbs", "price_words", "passive_markers", "agent_markers", "anaphora",
                "person_cues", "org_before", "org_after", "place_after", "per_unit", "employer_preps",
                "org_heads", "title_lead", "decrease", "joiners", "legal_forms", "product_before", "market_words", "figure_with", "listener_before")
    languages, problems = {}, []
    for lang, spec in (data.get("languages") or {}).items():
        missing = [key for key in required if key not in (spec or {})]
        if missing:
            problems.append(f"{source}, line {data['languages'].line_of(lang)}: language {lang!r} is missing {', '.join(missing)}")
            continue
        words = {key: [str(w) for w in (spec[key] or [])] for key in required}
        languages[str(lang)] = Cues(
            source_before=_ending(words["source_cues"]),
            source_after=_starting(words["source_after"]),
            reporters=frozenset(w.lower() for w in words["reporters"]),
            not_names=frozenset(words["not_names"]),
            reporting_verbs=frozenset(w.lower() for w in words["reporting_verbs"]),
            price_words=frozenset(w.lower() for w in words["price_words"]),
            passive_marker=re.compile(rf"{phrase_alternation(words['passive_markers'])}\s*$", re.IGNORECASE),
            agent_marker=re.compile(rf"\s*{phrase_alternation(words['agent_markers'])}", re.IGNORECASE),
            anaphor=re.compile(phrase_alternation(words["anaphora"]), re.IGNORECASE),
            anaphor_heads=frozenset(w.split()[-1].lower() for w in words["anaphora"] if len(w.split()) > 1),
            person_cue=re.compile(rf"{phrase_alternation(words['person_cues'])}\s+$"),
            org_before=re.compile(rf"{phrase_alternation(words['org_before'])}\s+$", re.IGNORECASE),
            org_after=re.compile(rf"\s*,?\s*{phrase_alternation(words['org_after'])}"),
            place_after=re.compile(phrase_alternation(words["place_after"])),
            per_unit=re.compile(rf"\s*{phrase_alternation(words['per_unit'])}", re.IGNORECASE),
            employer_preps=tuple(words["employer_preps"]),
            org_heads=frozenset(words["org_heads"]),
            legal_forms=tuple(words["legal_forms"]),
            title_lead=tuple(words["title_lead"]),
            decrease=frozenset(w.lower() for w in words["decrease"]),
            joined=re.compile(rf"\s*(?:{phrase_alternation(words['joiners'])}\s*)+", re.IGNORECASE),
            market_words=frozenset(w.lower() for w in words["market_words"]),
            listener=re.compile(rf"(?:{phrase_alternation(words['listener_before'])})\s+(?:the\s+|de\s+)?$", re.IGNORECASE),
            figure_with=re.compile(rf"\s+(?:{phrase_alternation(words['figure_with'])})\s+(?:[^,;()]{{1,30}}?\s+(?:and|,)\s+)?", re.IGNORECASE),
            launched=re.compile(rf"(?:{phrase_alternation(words['product_before'])})\s+(?:(?:the|a|an|its|their|new|latest|first|version|of)\s+)*"
                                r"(?P<name>[A-Z][\w.+-]*\+?(?:[ \t]+(?:[A-Z][\w.+-]*\+?|\d[\w+]*))*)(?!\w|'s|’s)"),
        )
    if "en" not in languages and not problems:
        problems.append(f"{source}, line 1: an 'en' block is required (it is the fallback for other languages)")
    if problems:
        raise SchemaError(problems)
    return languages


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> dict[str, Cues]:
    return parse_cues(read_text(path), str(path))


def cues_for(lang: str, path: Path = CUES_FILE) -> Cues:
    cues = load_cues(path)
    return cues.get(lang) or cues["en"]


# -- triggers -------------------------------------------------------------------------------------

Lemmatise = Callable[[str], list[tuple[str, str]]]  # a phrase -> each word as (lower form, lemma)


class Triggers:
    """The trigger words of every claim type in one language, matched on tokens by form or lemma."""

    def __init__(self, schema: ClaimSchema, lang: str, lemmatise: Lemmatise):
        self.by_first: dict[str, list[tuple[str, tuple[tuple[str, bool], ...]]]] = {}
        for claim_type in schema.claim_types.values():
            for phrase in claim_type.triggers.get(lang) or ():
                # a word written as its lemma matches every form of it; a form matches only itself
                words = tuple((lower, not lemma or lemma == lower) for lower, lemma in lemmatise(phrase))
                if words:
                    self.by_first.setdefault(words[0][0], []).append((claim_type.name, words))
        for phrases in self.by_first.values():
            phrases.sort(key=lambda p: -len(p[1]))

    @staticmethod
    def _keys(token: Token) -> tuple[str, str]:
        return token.lower_, token.lemma_.lower() if token.lemma_ else token.lower_

    def find(self, tokens) -> list[tuple[str, int, int, int]]:
        """(claim type, start char, end char, index of the phrase's head token) for every trigger."""
        tokens = list(tokens)
        found, taken = [], set()
        for i, token in enumerate(tokens):
            lower, lemma = self._keys(token)
            for key in {lower, lemma}:
                for name, words in self.by_first.get(key, ()):
                    if i + len(words) > len(tokens) or (name, i) in taken:
                        continue
                    if len(words) == 1 and token.dep_ == "prt":
                        continue  # "up" of "make up", "down" of "shut down": part of another verb
                    if all(self._matches(tokens[i + n], word, by_lemma) for n, (word, by_lemma) in enumerate(words)):
                        span = tokens[i:i + len(words)]
                        head = min(span, key=lambda t: sum(1 for a in t.ancestors if a in span))
                        found.append((name, span[0].idx, span[-1].idx + len(span[-1]), head.i))
                        taken.add((name, i))
        # "executive" inside "chief executive" is the same trigger
        return [hit for hit in found if not any(other is not hit and other[0] == hit[0] and other[1] <= hit[1] and hit[2] <= other[2]
                                                and other[2] - other[1] > hit[2] - hit[1] for other in found)]

    def _matches(self, token: Token, word: str, by_lemma: bool) -> bool:
        lower, lemma = self._keys(token)
        return lower == word or (by_lemma and lemma == word)


# -- the parse ------------------------------------------------------------------------------------

def _year_before(period: ValueMention, said: ValueMention) -> ValueMention:
    """The period a year before the one the article is about, at the words that said so."""
    value = dict(period.value)
    for key in ("value", "start", "end"):
        year = re.match(r"(FY)?(\d{4})", value[key]) if isinstance(value.get(key), str) else None
        if year:
            value[key] = f"{year[1] or ''}{int(year[2]) - 1}{value[key][year.end():]}"
    value["text"] = said.text
    return ValueMention(said.start, said.end, period.kind, value)


def _whole_year(value: dict | None) -> bool:
    """A period value that is one whole year ("2007", a fiscal year from April to March, "FY2012")."""
    if value and value.get("fiscal"):
        return True
    if not value or not value.get("start") or not value.get("end"):
        return False
    start, end = date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
    return 360 <= (end - start).days <= 370


def _char_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _tree_steps(a: Token, b: Token) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    path = {a.i: 0}
    for n, ancestor in enumerate(a.ancestors, start=1):
        path[ancestor.i] = n
    if b.i in path:
        return path[b.i]
    for n, ancestor in enumerate(b.ancestors, start=1):
        if ancestor.i in path:
            return n + path[ancestor.i]
    return FAR


PLACE_LABELS = ("GPE", "LOC")
POSSESSED = re.compile(r"['’]s\s+(?:\([a-z]+\)\s*)?")  # "Samsung’s 11% and Apple’s (minus) 7%"
BRACKETED = re.compile(r"\s*\(\s*(?:[^(),;]{1,30}(?:,\s*|\s))?")  # "Vodafone (207.37 million, ", "I-PACE (sales of "


def _fuller(suggestion: Suggestion) -> tuple:
    """Of two statements of one fact, the one to keep: a set phrasing's over a trigger's, then the one
    filling more slots, then the surer."""
    return suggestion.basis == "phrasing", len(suggestion.slots), suggestion.confidence


def _values_differ(a: Suggestion, b: Suggestion, claim_type: ClaimType, published: str | None) -> bool:
    """Whether two suggestions state different values in a slot both fill (an amount, a period), or
    different dates: to the month where both say one; a date not said is the article's own, and
    differs from any said where the article has no date."""
    for name, slot in claim_type.slots.items():
        if slot.kind == "date":
            dates = [_said_date(s, name) for s in (a, b)]
            if any(dates) and not all(dates):  # a date not said is the article's, if it has one
                dates = [d or published for d in dates]
            if any(dates) and not (all(dates) and _same_time(*dates)):
                return True
        elif slot.kind in VALUE_KINDS and name in a.slots and name in b.slots and a.content((name,)) != b.content((name,)):
            return True
    return False


def _said_date(suggestion: Suggestion, slot: str) -> str | None:
    values = suggestion.slots.get(slot) or [{}]
    return str((values[0].get("value") or {}).get("value") or "") or None


def _same_time(a: str, b: str) -> bool:
    """"2017-10-10" and "2017-10", or "2017" and "2017-03": the same time as far as both say."""
    length = min(len(a), len(b), 7)
    return a[:length] == b[:length]


def _one_name_a_slot(given: dict[str, list[dict]], claim_type: ClaimType) -> list[dict[str, list[dict]]]:
    """The slots a phrasing filled, once for each name of a list in a slot that holds one name
    ("owned by Verizon Communications and Vodafone": two investments)."""
    filled = [{}]
    for name, values in given.items():
        if claim_type.slots[name].multiple or len(values) == 1:
            filled = [{**one, name: values} for one in filled]
        else:
            filled = [{**one, name: [value]} for one in filled for value in values]
    return filled


def _conj_chain(token: Token, root: Token) -> bool:
    while token.dep_ == "conj" and token.i != root.i:
        token = token.head
    return token.i == root.i


def _verb_after(doc: Doc, end: int) -> bool:
    after = doc.char_span(end, len(doc.text), alignment_mode="expand")
    return after is not None and len(after) > 0 and after[0].pos_ in ("VERB", "AUX")


def _within(items: list, start: int, end: int) -> list:
    """The items (sorted by start) that lie inside [start, end): found by bisection, as a long article
    has thousands of sentences and names."""
    first = bisect_left(items, start, key=lambda item: item.start)
    found = []
    for item in items[first:]:
        if item.start >= end:
            break
        if item.end <= end:
            found.append(item)
    return found


class Sentence:
    """One sentence: its text range, its mentions and values, and its tokens where parsed."""

    def __init__(self, doc: Doc, text: str, start: int, end: int, mentions: list[Mention], values: list[ValueMention],
                 parsed: bool):
        self.doc, self.text, self.start, self.end = doc, text, start, end  # doc.text is rebuilt at every call
        self.mentions = _within(mentions, start, end)
        self.values = _within(values, start, end)
        span = doc.char_span(start, end, alignment_mode="expand")
        self.tokens = list(span) if span is not None else []
        self.parsed = parsed and bool(self.tokens)

    def root_of(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def steps(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        """How far apart two stretches of the sentence are: edges in the parse, else characters."""
        if not self.parsed:
            return _char_distance(a, b)
        ra, rb = self.root_of(*a), self.root_of(*b)
        return _tree_steps(ra, rb) if ra is not None and rb is not None else FAR

    def listed_with(self, mention: Mention) -> list[Mention]:
        """The names said in one list with this one ("co-owned by News Corp, Walt Disney Co and NBC
        Universal"), itself included, in text order: joined to it in the parse; a name a verb follows
        starts a clause of its own ("to acquire Motorola and Apple bought Beats")."""
        root = self.root_of(mention.start, mention.end)
        if not self.parsed or root is None:
            return [mention]
        while root.dep_ == "conj":
            root = root.head
        joined = {t.i for t in root.subtree if t.i == root.i or (t.dep_ == "conj" and _conj_chain(t, root))}
        listed = [m for m in self.mentions if m.label == mention.label or m is mention]
        listed = [m for m in listed if (r := self.root_of(m.start, m.end)) is not None and r.i in joined
                  and (m is mention or not _verb_after(self.doc, m.end))]
        return listed if mention in listed else [mention]


# -- suggesting -----------------------------------------------------------------------------------

@dataclass
class Context:
    """What the article said before the sentence at hand: its subjects, the period it is about (the
    one said most so far), its main company."""

    subjects: list[Mention] = field(default_factory=list)
    period: ValueMention | None = None
    said: dict[str, ValueMention] = field(default_factory=dict)
    times_said: Counter = field(default_factory=Counter)
    topic: Mention | None = None
    places: Counter = field(default_factory=Counter)  # places named so far, by identity
    place: dict[str, Mention] = field(default_factory=dict)

    @property
    def market(self) -> Mention | None:
        """The place the article has named most so far, if named at least twice and more than any other."""
        ranked = self.places.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return self.place[ranked[0][0]]


class Suggester:
    """Suggests claims for one language under one schema."""

    def __init__(self, schema: ClaimSchema, lang: str, values: LanguageValues, lemmatise: Lemmatise, cues: Cues | None = None,
                 calibration: Calibration | None = None):
        self.schema = schema
        self.calibration = calibration
        self.lang = lang
        self.values = values
        self.cues = cues or cues_for(lang)
        self.triggers = Triggers(schema, lang, lemmatise)
        # types said of one person (a role): their trigger words in the plural name no one
        self.personal = {t.name for t in schema.claim_types.values()
                         if (subject := self._subject_slot(t, False)) is not None and subject.labels == ("PERSON",)}
        self.phrasings = [(t, compile_phrasing(p, {n: s.kind for n, s in t.slots.items()}))
                          for t in schema.claim_types.values() for p in t.phrasings.get(lang) or ()]
        # what a figure is said of ("the company" later in the article): the labels the subjects of
        # claim types anchored on a number take (ORG and PRODUCT in the shipped schema)
        self.actor_labels = frozenset(label for t in schema.claim_types.values()
                                      if t.anchor_slot and (subject := self._subject_slot(t, False)) for label in subject.labels)
        self.choices = {(t.name, s.name): [(c, re.compile(phrase_alternation(p), re.IGNORECASE)) for c, p in s.choices.items() if p]
                        for t in schema.claim_types.values() for s in t.slots.values() if s.kind == "choice"}

    def suggest(self, doc: Doc, sentences: list[tuple[int, int]], mentions: list[Mention],
                values: list[ValueMention], published: str | None = None) -> list[Suggestion]:
        # a name has a capital or a digit ("millet" for Xiaomi is known to the knowledge base)
        # ... and a news agency's credit in a dateline, "LONDON (Reuters) -", is in no claim
        text = doc.text
        dateline = lambda m: text[m.start - 1:m.start] == "(" and text[m.end:m.end + 1] == ")" and m.text.lower() in self.cues.reporters
        mentions = sorted((m for m in mentions if m.text not in self.cues.not_names and not dateline(m)
                    and (m.kb_id or any(c.isupper() or c.isdigit() for c in m.text))), key=lambda m: (m.start, m.end))
        values = sorted(values, key=lambda v: (v.start, v.end))
        # a name the article cites as a source most times it names it ("according to Sensor Tower") is
        # never what it is about, even where it is named without a cue ("Sensor Tower notes that")
        cited, named = Counter(m.identity for m in mentions if self._reports(text, 0, m)), Counter(m.identity for m in mentions)
        sources = {identity for identity, n in cited.items() if 2 * n >= named[identity]}
        context = Context(topic=self._topic(text, [m for m in mentions if m.identity not in sources]))
        parsed = doc.has_annotation("DEP")  # looks at every token: once per document
        found: dict[tuple, list[Suggestion]] = {}
        body = text.find("\n\n") + 1  # after the headline
        for start, end in sentences:
            sentence = Sentence(doc, text, start, end, mentions, values, parsed)
            for suggestion in self._sentence(sentence, context):
                # the same fact said twice (a headline and its paragraph) is one claim: the fuller statement;
                # the same company fined in 2014 and in 2016 (or now, where no date is said) is two
                claim_type = self.schema.claim_types[suggestion.type]
                same = found.setdefault(suggestion.content(claim_type.required_slots), [])
                known = next((k for k in same if not _values_differ(k, suggestion, claim_type, published)), None)
                if known is None:
                    same.append(suggestion)
                elif _fuller(known) < _fuller(suggestion):
                    same[same.index(known)] = suggestion
            for m in sentence.mentions:
                if m.label in PLACE_LABELS:
                    context.places[m.identity] += 1
                    context.place.setdefault(m.identity, m)
            actors = [m for m in sentence.mentions if m.label in self.actor_labels and m.identity not in sources]
            if actors:
                context.subjects = actors
            periods = [v for v in sentence.values if v.kind == "period" and v.value.get("value")
                       and not v.value.get("comparison") and not v.value.get("compared") and not v.value.get("since")]
            # the body's first period sets the article's time frame: it counts twice
            lead = start >= body and not context.said
            for period in periods:
                context.said[period.value["value"]] = period
                context.times_said[period.value["value"]] += 2 if lead else 1
            if periods:  # the period said most so far; of those, the one said last
                context.period = max(context.said.values(), key=lambda p: (context.times_said[p.value["value"]], p.start))
        if self.calibration is not None:
            for suggestion in (s for same in found.values() for s in same):
                suggestion.confidence = self.calibration.confidence(suggestion.type, suggestion.basis, suggestion.confidence)
        kept = [s for same in found.values() for s in same if self.calibration is None or s.confidence >= self.calibration.min_confidence]
        return sorted(kept, key=lambda s: s.evidence)

    def _topic(self, text: str, mentions: list[Mention]) -> Mention | None:
        """The article's main company: the organisation named most, a name in the headline counting twice."""
        headline_end = text.find("\n")
        counts: Counter = Counter()
        first: dict[str, Mention] = {}
        for m in mentions:
            if m.label == "ORG" and m.text.lower() not in self.cues.reporters:
                counts[m.identity] += 2 if 0 <= m.start < headline_end else 1
                first.setdefault(m.identity, m)
        if not counts:
            return None
        identity, n = counts.most_common(1)[0]
        return first[identity] if n >= 2 else None

    def _sentence(self, sentence: Sentence, context: Context) -> list[Suggestion]:
        hits = self.triggers.find(sentence.tokens)
        phrased, bound = self._phrased(sentence, context)
        suggestions = []
        if not hits:
            return phrased
        text = sentence.text
        inside_entity = lambda v: any(m.start <= v.start and v.end <= m.end and (m.end - m.start) > (v.end - v.start)
                                      for m in sentence.mentions)  # "Redmi Note 3"
        for value in sentence.values:
            if (value.kind not in ANCHOR_KINDS or inside_entity(value) or self._bare_small(value)
                    or self.cues.per_unit.match(text, value.end) or self._about_prices(sentence, value)):
                continue
            level = bool(self.values.level_marker.search(text[max(sentence.start, value.start - 12):value.start]))
            candidates = []
            for name, t_start, t_end, _ in hits:
                anchor = self.schema.claim_types[name].anchor_slot
                if anchor and anchor.kind == value.kind and not (anchor.signed and level):
                    # beyond a few steps the parse is often wrong ("of NT$80bn" hung on a date): characters decide
                    steps = min(sentence.steps((value.start, value.end), (t_start, t_end)), MAX_TREE_STEPS + 1)
                    candidates.append((steps, _char_distance((value.start, value.end), (t_start, t_end)), name, (t_start, t_end)))
            if not candidates:
                continue
            steps, chars, name, trigger = min(candidates)
            if chars > SENTENCE_REACH:
                continue
            suggestion = self._fill(self.schema.claim_types[name], sentence, trigger, value, sentence.mentions, context)
            if suggestion:
                suggestion.confidence = round(suggestion.confidence * (1.0 - 0.06 * min(steps if sentence.parsed else chars / 25, 6)), 2)
                suggestions.append(suggestion)
        # Types with no number to anchor on are anchored on their triggers.
        for name, t_start, t_end, head in self._joined(hits, text):
            claim_type = self.schema.claim_types[name]
            if claim_type.anchor_slot or (name in self.personal and sentence.doc[head].tag_ in ("NNS", "NNPS")):
                continue  # "told analysts": a title in the plural is nobody's
            near = [m for m in sentence.mentions if _char_distance((m.start, m.end), (t_start, t_end)) <= TRIGGER_WINDOW]
            suggestion = self._fill(claim_type, sentence, (t_start, t_end), None, near, context)
            if suggestion:
                suggestion.confidence = round(suggestion.confidence * 0.75, 2)
                suggestions.append(suggestion)
        # a set phrasing says who is who better than the words near a trigger: no trigger-based
        # suggestion of its type says again what it says, nor puts one of its names or values elsewhere
        def places(suggestion: Suggestion) -> set:
            required = self.schema.claim_types[suggestion.type].required_slots
            return {(suggestion.type, v.get("start")) for name in required for v in suggestion.slots.get(name, ())}
        phrased_places = set().union(*map(places, phrased))
        # and a number a phrasing put in a slot ("a 40% share in Epic Games": a stake) is that slot's alone
        return phrased + [s for s in suggestions if not places(s) & phrased_places
                          and not any(v.get("start") in bound for vs in s.slots.values() for v in vs if "value" in v)]

    def _joined(self, hits: list, text: str) -> list:
        """Trigger words of one type said together ("chairman, CEO and president") as one."""
        joined: list = []
        for hit in sorted(hits, key=lambda h: h[1]):
            last = joined[-1] if joined else None
            if last and last[0] == hit[0] and last[2] <= hit[1] and self.cues.joined.fullmatch(text, last[2], hit[1]):
                joined[-1] = (hit[0], last[1], hit[2], last[3])
            else:
                joined.append(hit)
        return joined

    def _phrased(self, sentence: Sentence, context: Context) -> tuple[list[Suggestion], set[int]]:
        """Suggestions from the claim types' set phrasings ("Facebook-owned Instagram"), and where
        the values they put in slots start."""
        if not self.phrasings:
            return [], set()
        pointers = [Mention(m.start(), m.end(), m.group(), "") for m in self.cues.anaphor.finditer(sentence.text, sentence.start, sentence.end)]
        marked = Marked.of(sentence.text, sentence.start, sentence.end, sentence.mentions, sentence.values, pointers)
        # "it": the company the article is about, else the last one named (a place is no "it" of a phrasing)
        pointed = context.topic or next((m for m in reversed(context.subjects) if m.label not in PLACE_LABELS), None)
        found, bound = [], set()
        for claim_type, phrasing in self.phrasings:
            for filled in marked.matches(phrasing):
                given = {}
                for name, items in filled.items():
                    slot = claim_type.slots[name]
                    if slot.kind == "entity":  # the phrasing says what the name is, whatever the model labelled it
                        said = [m for m in items if m not in pointers]  # names said here, not "it"
                        items = [(pointed or self._named_before(sentence, m)) if m in pointers else m for m in items]
                        if None not in items:  # "co-owned by News Corp, Walt Disney Co and NBC Universal"
                            items = list(dict.fromkeys(listed for m in items for listed in sentence.listed_with(m)))
                        # a company or product the model labelled otherwise ("Facebook" the product as an
                        # investor) takes the slot's label; a nationality or a place ("Spanish-owned") fills nothing
                        if (None in items or any(self._reports(sentence.text, sentence.start, m) for m in said)
                                or not all(slot.accepts_label(m.label) or (m.label in self.actor_labels and m.label not in PLACE_LABELS)
                                           for m in items)):
                            break
                        given[name] = [{**entity_slot(m), "label": m.label if slot.accepts_label(m.label) else slot.labels[0]}
                                       for m in items]
                    elif all(v.kind in accepted_kinds(slot.kind) for v in items):
                        given[name] = [value_slot(v) for v in items[:1]]
                    else:
                        break
                else:
                    for one in _one_name_a_slot(given, claim_type):
                        places = [(v["start"], v["end"]) for vs in one.values() for v in vs]
                        said = (min(p[0] for p in places), max(p[1] for p in places))
                        suggestion = self._fill(claim_type, sentence, said, None, sentence.mentions, context, one)
                        if suggestion:
                            found.append(suggestion)
                            # its figures (given, or filled in: "$4 billion to buy a stake") are no other claim's
                            bound.update(v["start"] for vs in suggestion.slots.values() for v in vs
                                         if (v.get("value") or {}).get("kind") in ANCHOR_KINDS)
        return found, bound

    def _named_before(self, sentence: Sentence, pointer: Mention) -> Mention | None:
        """Where the article has no company of its own, the company "it" stands for: the last one its
        sentence named before it ("Verizon Communications Inc. announced that it has received")."""
        text = sentence.text
        before = [m for m in sentence.mentions if m.end <= pointer.start and m.label in self.actor_labels
                  and m.label not in PLACE_LABELS and not self._reports(text, sentence.start, m)
                  and text.rfind("(", sentence.start, m.start) <= text.rfind(")", sentence.start, m.start)]  # not "(NYSE, Nasdaq: VZ)"
        return before[-1] if before else None

    def _fill(self, claim_type: ClaimType, sentence: Sentence, trigger, anchor: ValueMention | None,
              mentions: list[Mention], context: Context, given: dict[str, list[dict]] | None = None) -> Suggestion | None:
        text = sentence.text
        focus = (anchor.start, anchor.end) if anchor else trigger
        slots: dict[str, list[dict]] = dict(given or {})
        used_mentions = {(v["start"], v["end"]) for vs in slots.values() for v in vs}
        used_values: set[tuple[int, int]] = {(anchor.start, anchor.end)} if anchor else set(used_mentions)
        confidence = 0.9
        basis = "phrasing" if given else ""
        over_a_year: list[Slot] = []
        anchor_slot = claim_type.anchor_slot
        if anchor and anchor_slot:
            slot_value = value_slot(anchor)
            if anchor_slot.signed and self._is_decrease(text, trigger, focus):
                slot_value["value"]["value"] = -abs(slot_value["value"]["value"])
            slots[anchor_slot.name] = [slot_value]
        subject = self._subject_slot(claim_type, self._passive(sentence, trigger))
        # Sources first: "according to X" must not become the subject.
        order = sorted(claim_type.slots.values(), key=lambda s: (not s.reports, s is not subject, not s.required))
        for slot in order:
            if slot.name in slots:
                continue
            if slot.kind == "entity":
                chosen, how = self._entity_for(slot, slot is subject, sentence, trigger, focus, mentions, used_mentions, context,
                                               sourced=claim_type.source_slot is not None)
                confidence *= {"parse": 1.0, "near": 0.85, "carried": 0.7, "topic": 0.6}.get(how, 1.0) if slot.required else 1.0
                if slot.required and not basis:
                    basis = f"{'number' if anchor else 'trigger'}/{how}"
                market = context.market
                if (not chosen and not slot.required and market is not None and slot.accepts_label(market.label)
                        and claim_type.anchor_slot is not None
                        and not any(v.get("text") == market.text for vs in slots.values() for v in vs)):
                    chosen = [market]  # a figure's market not said again: the one the article is about
                if chosen:
                    slots[slot.name] = [entity_slot(m) for m in chosen]
                    used_mentions.update((m.start, m.end) for m in chosen)
            elif slot.kind in VALUE_KINDS:
                best = self._value_for(slot, sentence, focus, used_values, claim_type)
                if best is not None and best.value.get("comparison"):
                    # "up 8% from a year earlier": a change is of the period at hand; a level next to it
                    # ("from NOK 24.6bn a year earlier") is of the same period a year before
                    if anchor_slot is not None and anchor_slot.signed:
                        best = context.period
                    elif context.period is not None:
                        best = _year_before(context.period, best)
                elif best is None and slot.kind == "period" and context.period is not None:
                    best = context.period  # "in the quarter": the period the article is about
                if best is not None:
                    slots[slot.name] = [value_slot(best)]
                    used_values.add((best.start, best.end))
            elif slot.kind == "choice":
                choice = self._choice_for(claim_type, slot, text, (sentence.start, sentence.end), focus)
                if choice:
                    slots[slot.name] = [choice]
                elif slot.over_a_year:
                    over_a_year.append(slot)
            elif slot.kind == "text" and slot.required:
                slots[slot.name] = [{"start": trigger[0], "end": trigger[1], "text": text[trigger[0]:trigger[1]]}]
        for slot in over_a_year:  # "revenue grew 59% in 2007": a change over a whole year is year-on-year
            year = next((v for name, vs in slots.items() if claim_type.slots[name].kind == "period"
                         for v in vs if _whole_year(v.get("value"))), None)
            if year is not None:
                slots[slot.name] = [{"start": year["start"], "end": year["end"], "text": year["text"],
                                     "value": {"kind": "choice", "value": slot.over_a_year}}]
        missing = [s.name for s in claim_type.slots.values() if s.required and s.name not in slots]
        multiple_short = [s.name for s in claim_type.slots.values() if s.multiple and s.required and len(slots.get(s.name, [])) < 2]
        if missing or multiple_short:
            return None
        names = {s.name: [v.get("kb_id") or v["text"].lower() for v in slots.get(s.name, [])]
                 for s in claim_type.slots.values() if s.kind == "entity" and not s.multiple}
        source = claim_type.source_slot
        others = [n for name, found in names.items() if source is None or name != source.name for n in found]
        if len(others) != len(set(others)):
            return None  # one name in two roles: "Carrefour invests in Carrefour"
        if source is not None and source.name in slots and set(names[source.name]) & set(others):
            del slots[source.name]  # a company reporting its own figures is not their source
        # evidence: the sentence, widened to a subject or period carried over from before it
        starts = [v["start"] for vs in slots.values() for v in vs]
        ends = [v["end"] for vs in slots.values() for v in vs]
        evidence = (min([sentence.start, *starts]), max([sentence.end, *ends]))
        return Suggestion(claim_type.name, evidence, confidence, slots, basis)

    @staticmethod
    def _subject_slot(claim_type: ClaimType, passive: bool) -> Slot | None:
        """The slot whose entity acts: the first entity slot in the YAML (an authority, an investor),
        or in the passive voice the first required one after it."""
        slots = [s for s in claim_type.slots.values() if s.kind == "entity" and not s.multiple and not s.reports]
        if passive:
            return next((s for s in slots[1:] if s.required), slots[0] if slots else None)
        return slots[0] if slots else None

    def _passive(self, sentence: Sentence, trigger: tuple[int, int]) -> bool:
        """"TikTok was banned", "a round led by": the entity before the trigger is acted upon."""
        text = sentence.text
        if self.cues.agent_marker.match(text, trigger[1]):
            return True
        if sentence.parsed:  # "is buying" is not passive: the parse knows, the words before do not
            head = sentence.root_of(*trigger)
            return head is not None and any(c.dep_ in ("auxpass", "agent") for c in head.children)
        return bool(self.cues.passive_marker.search(text[max(0, trigger[0] - 12):trigger[0]]))

    def _reports(self, text: str, since: int, m: Mention) -> bool:
        """Whether the name reports figures here ("according to IDC", "told Reuters", "IDC data"),
        looking back no further than since (the sentence's start)."""
        if m.text.lower() in self.cues.reporters or (m.canonical or "").lower() in self.cues.reporters:
            return True
        before = text[max(since, m.start - 40):m.start]
        if before.rstrip().endswith(":") and text[m.end:m.end + 1] in ("\n", ""):
            return True  # a headline's "...: IDC"
        return bool(self.cues.source_before.search(before) or self.cues.source_after.match(text, m.end))

    def _entity_for(self, slot: Slot, is_subject: bool, sentence: Sentence, trigger, focus, mentions, used,
                    context: Context, sourced: bool = True) -> tuple[list[Mention], str]:
        text = sentence.text
        anchor_is_trigger = focus == trigger
        pool = [m for m in mentions if slot.accepts_label(m.label) and (m.start, m.end) not in used
                and not self.cues.listener.search(text, max(0, m.start - 30), m.start)]  # "told Reuters": who hears, not who acts
        if slot.reports:
            return [m for m in pool if self._reports(text, sentence.start, m)][:1], "source"
        if sourced:  # a claim with a source: the name reporting it is not what it is about
            pool = [m for m in pool if not self._reports(text, sentence.start, m)]
        if slot.multiple:
            distinct: dict[str, Mention] = {}
            for m in pool:
                distinct.setdefault(m.identity, m)
            return list(distinct.values()), "near"
        chosen, how = [], "near"
        if is_subject and anchor_is_trigger and slot.labels == ("PERSON",):
            # "CFO David Wells", "David Wells, CFO": the person a title stands next to
            after = [m for m in pool if 0 <= m.start - trigger[1] <= 2]
            before = [m for m in pool if 0 <= trigger[0] - m.end <= 6 and "," in text[m.end:trigger[0]]]
            if after or before:
                return (after or before)[:1], "parse"
        if is_subject and not anchor_is_trigger:
            beside = self._named_with(sentence, focus, pool)
            if beside is not None:
                return [beside], "parse"
        if is_subject:
            governing = self._governing_subject(sentence, focus, trigger, pool, company=slot.accepts_label("ORG"))
            if governing == "market":
                return [], "market"
            if governing == "anaphor":
                chosen, how = [], "anaphor"
            elif governing is not None:
                return [governing], "parse"
            else:
                before = [m for m in pool if m.end <= focus[0]]
                if before:
                    subjects = [m for m in before if m.is_subject]
                    return [max(subjects or before, key=lambda m: m.end)], "near"
                anaphor_before = self.cues.anaphor.search(text, sentence.start, focus[0])
                if pool and not anaphor_before:
                    return [min(pool, key=lambda m: _char_distance((m.start, m.end), focus))], "near"
        elif pool:
            # "Davy stockbrokers analyst Stephen Furlong", "chairman of China Telecom": right by the trigger
            beside = [m for m in pool if _char_distance((m.start, m.end), trigger) <= ADJACENT] if anchor_is_trigger else []
            if beside:
                return [min(beside, key=lambda m: _char_distance((m.start, m.end), trigger))], "near"
            inside = self._in_subtree(sentence, trigger, pool) if sentence.parsed else []
            if inside or not slot.required or not sentence.parsed:
                return [min(inside or pool, key=lambda m: _char_distance((m.start, m.end), focus))], "near"
            topic = context.topic
            if topic is not None and slot.accepts_label(topic.label) and (topic.start, topic.end) not in used:
                return [topic], "topic"
            return [min(pool, key=lambda m: _char_distance((m.start, m.end), focus))], "near"
        topic = context.topic
        if slot.required and topic is not None and slot.accepts_label(topic.label) and (topic.start, topic.end) not in used:
            return [topic], "carried"  # "the company", "it": the one the article is about
        if slot.required:
            earlier = [m for m in context.subjects if slot.accepts_label(m.label) and (m.start, m.end) not in used]
            main = [m for m in earlier if context.topic is not None and m.identity == context.topic.identity]
            if earlier:  # "the company" is the one the article is about, if it was just named, else the last named
                return (main or earlier)[-1:], "carried"
            if context.topic is not None and slot.accepts_label(context.topic.label) and (context.topic.start, context.topic.end) not in used:
                return [context.topic], "topic"
        return chosen, how

    def _named_with(self, sentence: Sentence, focus, pool: list[Mention]) -> Mention | None:
        """The name a figure is bracketed with, given "with" or owned by ("followed by Oppo (31.1 million);
        Realme (15.1 million)", "Vodafone (207.37 million, 17.53 per cent)", "Reliance Jio with 138.62
        million and 11.72 per cent market share", "Samsung’s 11%"): each figure is its own name's,
        whatever the parse joins."""
        text = sentence.text
        for m in sorted((m for m in pool if m.end <= focus[0]), key=lambda m: -m.end):
            between = text[m.end:focus[0]]
            if any(m.end <= other.start < focus[0] for other in sentence.mentions):
                return None
            possessive = POSSESSED.fullmatch(between) or (m.text.endswith(("'s", "’s")) and POSSESSED.fullmatch("'s" + between))
            if BRACKETED.fullmatch(between) or self.cues.figure_with.fullmatch(between) or possessive:
                return m
            return None
        return None

    def _governing_subject(self, sentence: Sentence, focus, trigger, pool: list[Mention], company: bool = True):
        """The name that the words governing the number (or trigger) are said of: the subject, agent
        or possessor of the nearest governing word that has one; "anaphor" for "it" or "the company"."""
        if not sentence.parsed:
            return None
        start = sentence.root_of(*focus)
        if start is None:
            return None
        speaker, came_from = None, start
        for step, node in enumerate((start, *start.ancestors)):
            reported = node.lemma_.lower() in self.cues.reporting_verbs and came_from.i != node.i and came_from.dep_ != "nsubj"
            came_from = node
            for child in node.children:
                if child.dep_ not in SUBJECT_DEPS or (child.dep_ == "poss" and step > 2 and node.pos_ != "VERB"):
                    continue  # "continued its slide ... with a 20 percent share": not the share's possessor
                holder = child.subtree if child.dep_ != "agent" else (t for c in child.children for t in c.subtree)
                holder = list(holder)
                lo, hi = holder[0].idx, holder[-1].idx + len(holder[-1])
                # not a name in a clause about the subject ("the network, which is battling upstarts like WhatsApp")
                clauses = [(c[0].idx, c[-1].idx + len(c[-1])) for c in (list(t.subtree) for t in holder if t.dep_ in ("relcl", "acl"))]
                inside = [m for m in pool if lo <= m.start and m.end <= hi
                          and not any(a <= m.start < b for a, b in clauses)
                          and not self.cues.place_after.match(sentence.text, m.end)]  # not "Stockholm-based"
                if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ == "WDT" and node.dep_ == "relcl":
                    # "Reliance Jio, which hit 355 million at end-September": the name the clause is about
                    named = [m for m in pool if m.start <= node.head.idx < m.end]
                    if named:
                        return named[0]
                if company and child.dep_ in ("nsubj", "nsubjpass", "poss") and self._points_back(child):
                    return "anaphor"  # "it", "its", "the Stockholm-based company": the one the article is about
                if (company and child.dep_ in ("nsubj", "nsubjpass") and not any(lo <= m.start < hi for m in pool)
                        and any(t.lower_ in self.cues.market_words for t in holder) and not any(t.pos_ == "PRON" for t in holder)):
                    return "market"  # "Global smartphone shipments grew 1%": the market's figure, no company's
                if inside and reported:  # "Gartner reckons that ...": the one who speaks, if no one else
                    speaker = speaker or min(inside, key=lambda m: abs(m.start - child.idx))
                    continue
                if inside:  # a company of the subject before a place in it ("Bharti Airtel’s customer base in India")
                    return min(inside, key=lambda m: (m.label in PLACE_LABELS, abs(m.start - child.idx)))
            if node.dep_ == "ROOT":
                break
        return speaker

    def _about_prices(self, sentence: Sentence, value: ValueMention) -> bool:
        """Whether the clause the number stands in is about a market price ("Shares of X jumped 12%")."""
        if not sentence.parsed:
            return False
        node = sentence.root_of(value.start, value.end)
        path = [node] if node is not None else []
        while node is not None and node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
            node = node.head
            path.append(node)
        # "shares jumped 12%", "the S&P 500 is up 24.5%", "a 24% fall in the benchmark Hang Seng Index",
        # "sending its shares 34 percent higher", "shares more than doubled and are up 6.3%"
        verbs = [node, node.head] if node is not None and node.dep_ == "conj" else [node] if node is not None else []
        said_of = [c for v in verbs for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        said_of += [c for n in path[:-1] for c in n.children if c.dep_ == "prep" and c.lower_ in ("in", "of")]
        return any(t.lower_ in self.cues.price_words for c in said_of for t in c.subtree)

    def _points_back(self, token: Token) -> bool:
        """"it", "its", "the company", "the home-improvement retailer": a word for the company just named."""
        if token.pos_ == "PRON":
            return True
        # "the company", "the world's No. 1 social network" (not "Facebook's network")
        return token.lower_ in self.cues.anaphor_heads and any(
            (c.dep_ == "det" and c.lower_ in ("the", "this")) or (c.dep_ == "poss" and c.pos_ != "PROPN") for c in token.children)

    @staticmethod
    def _in_subtree(sentence: Sentence, trigger, pool: list[Mention]) -> list[Mention]:
        head = sentence.root_of(*trigger)
        if head is None:
            return []
        tokens = list(head.subtree)
        lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return [m for m in pool if lo <= m.start and m.end <= hi and not (m.start < trigger[1] and trigger[0] < m.end)]

    def _value_for(self, slot: Slot, sentence: Sentence, focus, used_values, claim_type: ClaimType) -> ValueMention | None:
        kinds = accepted_kinds(slot.kind)
        held = {kind for s in claim_type.slots.values() for kind in accepted_kinds(s.kind)}
        # a level the change reached ("grew 59% to 2.16bn yuan in 2007") shares the change's period
        text = sentence.text
        numbers = [(v.start, v.end) for v in sentence.values if v.kind in ANCHOR_KINDS and v.kind in held and (v.start, v.end) != focus
                   and not self.values.reached_marker.search(text, max(0, v.start - 12), v.start)]
        # a value after another number that follows this one belongs to that number: in "profit was 1.0bn,
        # from 1.6bn in the first quarter of 2009" the quarter is the 1.6bn's (a number of a kind the claim
        # holds: "fined Qualcomm $207 million in 2014" is a fine of 2014); one before them all
        # ("In Q2 2019, shipments were 10.2m, a share of 28.7%") is everyone's
        pool = [v for v in sentence.values if v.kind in kinds and (v.start, v.end) not in used_values and v.value.get("value") is not None
                and not v.value.get("since") and not v.value.get("compared")  # "up 36% from 2018": not the claim's period
                and not (v.start >= focus[1] and any(focus[1] <= start and end <= v.start for start, end in numbers))]
        if self.values.reached_marker.search(text, max(0, focus[0] - 12), focus[0]):
            # "rose 79.7% over a year earlier to $8.8 billion": the comparison is the change's, not the level's
            pool = [v for v in pool if not (v.value.get("comparison") and v.end <= focus[0])]
        if slot.kind == "ordinal":  # a rank stands close to its number
            pool = [v for v in pool if _char_distance((v.start, v.end), focus) <= 40]
        if not pool:
            return None
        # a value of the slot's own kind first (a period over a day: "HONG KONG, March 19, 2008 - revenue grew
        # 59% in 2007"); on a tie the value after the number wins: "from 13.1% in 2018 to 9% in 2019"
        return min(pool, key=lambda v: (kinds.index(v.kind), _char_distance((v.start, v.end), focus), v.start < focus[0]))

    @staticmethod
    def _bare_small(value: ValueMention) -> bool:
        """"40 countries", "$599": a count or an amount of money without a scale word and below
        MIN_BARE_COUNT is a detail or a price, not a figure a claim is about."""
        if value.kind == "count":
            return abs(value.value["value"]) < MIN_BARE_COUNT and value.text.strip().replace(",", "").isdigit()
        return value.kind == "money" and abs(value.value["value"]) < MIN_BARE_COUNT and not re.search(r"\d\s*[a-zA-Z]", value.text)

    def _choice_for(self, claim_type: ClaimType, slot: Slot, text, sentence, focus) -> dict | None:
        best = None
        for choice, pattern in self.choices[(claim_type.name, slot.name)]:
            for m in pattern.finditer(text, sentence[0], sentence[1]):
                distance = _char_distance((m.start(), m.end()), focus)
                if best is None or distance < best[0]:
                    best = (distance, {"start": m.start(), "end": m.end(), "text": m.group(), "value": {"kind": "choice", "value": choice}})
        return best[1] if best else None

    def _is_decrease(self, text: str, trigger: tuple[int, int], focus: tuple[int, int]) -> bool:
        lo, hi = min(trigger[0], focus[0]), max(trigger[1], focus[1])
        words = re.findall(r"[\w-]+", text[max(0, lo - 30):hi].lower())
        return any(w in self.cues.decrease for w in words)
