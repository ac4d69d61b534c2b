"""Trigger words the schema lacks, read from the claims curators accepted (`schema suggest-triggers`).

The rules suggest a claim only where one of its type's trigger words stands in the sentence. A
claim a curator accepted, corrected or resolved into gold whose evidence holds none of them is one
the rules could not have found; the words of that evidence that are not part of a slot's value,
not a name or number and not a common word are counted per claim type. Words that come back in
several such claims are reported with their counts and an example sentence, for a person to add to
claims.yaml (nothing is changed here). A listed trigger matches a word it begins ("ship" matches
"shipped"), as the rules match by lemma.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotations.model import MODEL_ANNOTATOR
from annotations.schema import ClaimSchema
from annotations.store import Store

DECIDED = ("accepted", "corrected", "gold")
WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass
class Candidate:
    word: str
    count: int
    examples: list[tuple[str, str]] = field(default_factory=list)  # (document, sentence)


@dataclass
class TypeReport:
    claim_type: str
    claims: int  # decided claims of the type
    without_trigger: int  # of them, those whose evidence holds no listed trigger
    candidates: list[Candidate]


def _specific(key: str, claim_type: str, everywhere: dict[str, Counter], claims: Counter) -> bool:
    """Whether a word is at least twice as frequent in the type's claims as in other types'."""
    others = sum(claims.values()) - claims[claim_type]
    elsewhere = sum(c[key] for t, c in everywhere.items() if t != claim_type)
    return not others or everywhere[claim_type][key] / claims[claim_type] >= 2 * elsewhere / others


def _stem(word: str) -> str:
    """Forms of a word counted together ("ships", "shipped", "shipping" as "ship")."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _stop_words(lang: str) -> frozenset[str]:
    try:
        from spacy.util import get_lang_class

        return frozenset(get_lang_class(lang).Defaults.stop_words)
    except Exception:
        return frozenset()


def _has_trigger(words: list[str], triggers: tuple[str, ...]) -> bool:
    """Whether a listed trigger (one word or several) stands in the words, each word matching a
    word it begins."""
    for trigger in triggers:
        parts = trigger.lower().split()
        for i in range(len(words) - len(parts) + 1):
            if all(words[i + k].startswith(p) for k, p in enumerate(parts)):
                return True
    return False


def suggest_triggers(store: Store, schema: ClaimSchema, min_count: int = 2, most: int = 10, examples: int = 2) -> list[TypeReport]:
    """Per claim type, the words (with counts and example sentences) that curators' claims without a
    listed trigger used, most frequent first. A word is left out when it is part of a listed
    trigger, a reporting verb (cues.yaml) or a common word, or when it is not at least twice as
    frequent in the type's claims as in other types' ("quarter", "company")."""
    from annotations.nlp.suggest import cues_for

    counts: dict[str, Counter] = defaultdict(Counter)  # claims without a trigger using the word, per type
    everywhere: dict[str, Counter] = defaultdict(Counter)  # all decided claims using the word, per type
    forms: dict[tuple[str, str], Counter] = defaultdict(Counter)
    seen: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    claims, without = Counter(), Counter()
    common: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for name, decided in store.decided_claims(DECIDED):
        doc = store.document(store.document_id(name))
        text, lang = doc.text, doc.lang
        if lang not in common:
            common[lang] = (_stop_words(lang), cues_for(lang).reporting_verbs)
        stop, reporting = common[lang]
        said = set()
        for claim in decided:
            claim_type = schema.claim_types.get(claim["type"])
            evidence = claim.get("evidence")
            if claim_type is None or claim["annotator"] == MODEL_ANNOTATOR or not evidence:
                continue
            start, end = evidence["start"], evidence["end"]
            sentence = text[start:end]
            if (claim_type.name, sentence) in said:  # two curators' versions of one claim count once
                continue
            said.add((claim_type.name, sentence))
            claims[claim_type.name] += 1
            triggers = claim_type.triggers.get(lang, ())
            listed = {_stem(w) for t in triggers for w in t.lower().split()}
            taken = [(v["start"], v["end"]) for values in claim["slots"].values() for v in values if v.get("start") is not None]
            used: dict[str, str] = {}
            for m in WORD.finditer(sentence):
                word, at = m.group(), start + m.start()
                key = _stem(word)
                if (not word.islower() or len(word) < 3 or word in stop or key in listed or any(a <= at < b for a, b in taken)
                        or any(key.startswith(verb.rstrip("e")) for verb in reporting)):
                    continue
                used.setdefault(key, word)
            everywhere[claim_type.name].update(used.keys())
            if _has_trigger([m.group().lower() for m in WORD.finditer(sentence)], triggers):
                continue
            without[claim_type.name] += 1
            for key, word in used.items():
                counts[claim_type.name][key] += 1
                forms[(claim_type.name, key)][word] += 1
                if len(seen[(claim_type.name, key)]) < examples:
                    seen[(claim_type.name, key)].append((name, " ".join(sentence.split())))
    reports = []
    for claim_type in schema.claim_types:
        if not claims[claim_type]:
            continue
        candidates = [Candidate(forms[(claim_type, key)].most_common(1)[0][0], count, seen[(claim_type, key)])
                      for key, count in counts[claim_type].most_common()
                      if count >= min_count and _specific(key, claim_type, everywhere, claims)][:most]
        reports.append(TypeReport(claim_type, claims[claim_type], without[claim_type], candidates))
    return reports
