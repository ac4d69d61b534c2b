"""Pre-annotation: entities, normalised values, canonical links and claim suggestions for documents.

Documents are grouped by language; each language runs its own pipeline (pipeline.py) through
`nlp.pipe` in batches. What a document gets is decided by a key (pipeline, schema, knowledge base,
value words): a document already pre-annotated under the same key is skipped, so running the
command again does nothing, and a changed schema or knowledge base re-does exactly what changed.
Curator decisions are never touched (Store.replace_suggestions).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from annotations.calibration import CALIBRATION_FILE, Calibration, load_calibration
from annotations.model import MODEL_ANNOTATOR, VALUE_LABEL_KINDS, VALUE_LABELS, Origin, Status
from annotations.nlp.kb import KnowledgeBase
from annotations.nlp.pipeline import Pipeline, load_pipeline
from annotations.nlp.suggest import CUES_FILE, Cues, Mention, Suggester, Suggestion, cues_for
from annotations.nlp.values import VALUES_FILE, Occupied, ValueMention, Values, load_values, parse_date, phrase_alternation
from annotations.schema import ClaimSchema, load_claim_schema, load_entity_file
from annotations.settings import Settings
from annotations.store import Store

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NEWLINES = re.compile(r"\n\s*")
GLUED = re.compile(r"(?<=[a-z%\u201d\")])[.!?](?=[A-Z\u201c])")


@dataclass
class Preannotator:
    """Everything needed to annotate texts: schema, knowledge base, values, one pipeline per language."""

    schema: ClaimSchema
    kb: KnowledgeBase
    values: Values
    models: dict[str, tuple[str, ...]]
    calibration: Calibration | None = None
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    title_patterns: dict[str, Titles] = field(default_factory=dict)
    suggesters: dict[str, Suggester] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, store: Store | None = None) -> Preannotator:
        schema = load_claim_schema(settings.claims_schema)
        entity_file = load_entity_file(settings.entities_schema, schema.entity_labels)
        extra = store.kb_additions() if store else ((), ())
        return cls(schema, KnowledgeBase.build(entity_file, *extra), load_values(VALUES_FILE), settings.models, load_calibration())

    def pipeline(self, lang: str) -> Pipeline:
        if lang not in self.pipelines:
            self.pipelines[lang] = load_pipeline(lang, self.models, self.kb)
        return self.pipelines[lang]

    def key(self, lang: str) -> str:
        parts = (self.pipeline(lang).name, self.schema.hash, self.kb.hash, str(VALUES_FILE.stat().st_mtime_ns),
                 str(CUES_FILE.stat().st_mtime_ns), str(CALIBRATION_FILE.stat().st_mtime_ns if CALIBRATION_FILE.exists() else 0))
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def annotate(self, doc: Doc, lang: str, published: str | None) -> tuple[list[dict], list[dict]]:
        """Spans and suggested claims (as storable dicts) for one processed document."""
        text = doc.text
        language_values = self.values.for_language(lang)
        values = language_values.find(text, parse_date(published))
        cues = cues_for(lang)
        parsed = doc.has_annotation("DEP")  # looks at every token: once per document
        tagged = doc.has_annotation("POS")
        spans = [{"start": start, "end": end, "label": ent.label_, "kb_id": ent.ent_id_ or None,
                  "origin": Origin.KB if ent.ent_id_ else Origin.MODEL,
                  "is_subject": parsed and ent.root.dep_ in SUBJECT_DEPS and start <= ent.root.idx < end}
                 for ent in doc.ents if not (tagged and _capitalised_word(ent, text)) and not _ticker(ent, text)
                 for start, end in _lines(text, ent.start_char, ent.end_char)]
        amounts = Occupied(len(text), ((v.start, v.end) for v in values if v.kind in ("money", "percent")))
        spans = [s for s in spans if s["kb_id"] or amounts.free(s["start"], s["end"]) or not _value_overlaps(s, values)]
        titles = self.titles(lang)
        spans = titled_people(doc, completed_names(doc, spans, titles), titles)
        # "Senior" of "Senior Managing Director Takahiko Ijichi", taken alone for a name, is a word of a title
        spans = [s for s in spans if s["kb_id"] or text[s["start"]:s["end"]].lower() not in cues.title_lead]
        spans = consistent_names(text, short_forms(text, launched_products(text, relabelled(text, spans, cues, titles), cues), cues))
        mentions = [Mention(s["start"], s["end"], text[s["start"]:s["end"]], s["label"], s["kb_id"], self.kb.canonical(s["kb_id"]),
                            s.pop("is_subject")) for s in spans if s["label"] not in VALUE_LABEL_KINDS]
        for s in spans:
            s.pop("is_subject", None)
            s.pop("sure", None)
        covered = Occupied(len(text), ((s["start"], s["end"]) for s in spans))
        for value in values:
            if covered.free(value.start, value.end):
                spans.append({"start": value.start, "end": value.end, "label": VALUE_LABELS[value.kind], "kb_id": None, "origin": Origin.RULES})
        spans.sort(key=lambda s: (s["start"], s["end"]))
        sentences = [piece for s in doc.sents for piece in split_glued(text, s.start_char, s.end_char)]
        if lang not in self.suggesters:
            nlp = self.pipeline(lang).nlp
            lemmatise = lambda phrase: [(t.lower_, t.lemma_.lower()) for t in nlp(phrase)]
            calibration = self.calibration if self.calibration is not None and self.calibration.lang == lang else None
            self.suggesters[lang] = Suggester(self.schema, lang, language_values, lemmatise, cues, calibration)
        claims = [_claim_dict(s, text) for s in self.suggesters[lang].suggest(doc, sentences, mentions, values, published)]
        return spans, claims

    def titles(self, lang: str) -> Titles:
        """The trigger words of claim types about a person (a role's titles), compiled once per language."""
        if lang not in self.title_patterns:
            words = [w for t in self.schema.claim_types.values()
                     if any(s.kind == "entity" and s.required and s.labels == ("PERSON",) for s in t.slots.values())
                     for w in t.triggers.get(lang, ())]
            cues = cues_for(lang)
            self.title_patterns[lang] = Titles.of(phrase_alternation(words), phrase_alternation(cues.employer_preps),
                                                  phrase_alternation(cues.title_lead, boundary=False))
        return self.title_patterns[lang]


@dataclass(frozen=True)
class Titles:
    """A role title alone ("Chief"), right before a name ("Chief Executive Tim Cook") or right after
    one ("Tim Cook, chief executive"): a name next to one is a person; a name after a title and a
    preposition ("an analyst with Morningstar") is the person's employer."""

    word: re.Pattern
    before: re.Pattern
    after: re.Pattern
    leading: re.Pattern  # "CFO " of a name the model took with its title ("CFO David Wells")
    employer: re.Pattern
    employs: re.Pattern  # " analyst Arvind Bhatia" after a name: that name is the employer ("Sterne Agee")

    @classmethod
    def of(cls, alternation: str, preps: str, lead: str) -> Titles:
        return cls(re.compile(alternation, re.IGNORECASE), re.compile(rf"(?:{alternation})\s+$", re.IGNORECASE),
                   re.compile(rf"\s*,\s*(?:(?:{lead})\s*)*(?:{alternation})", re.IGNORECASE),
                   re.compile(rf"(?:{alternation})\s+(?=[A-Z])"),
                   re.compile(rf"(?:{alternation})\s+{preps}\s+(?:the\s+)?$", re.IGNORECASE),
                   re.compile(rf"\s+(?:{alternation})\s+(?-i:[A-Z][a-z])", re.IGNORECASE))


STOCK_CODE = re.compile(r"(?:[A-Z]+\s*:\s*)[A-Z0-9.]{1,8}|[A-Z0-9]{1,6}\.[A-Z]{1,3}")
TICKER = re.compile(r"\s*\(\s*(?:[A-Z]+\s*:\s*)?[A-Z0-9]{1,6}(?:\.[A-Z]{1,3})?\s*\)")
NOT_NAME_POS = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "PUNCT", "AUX", "PART", "NUM", "SYM"}
NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}")


def completed_names(doc: Doc, spans: list[dict], titles: Titles) -> list[dict]:
    """A place name the model cut out of a company's name ("China" of "China Telecom", "Singapore"
    of "Singapore Airlines") is widened over the capitalised proper nouns after it, as an organisation."""
    taken = Occupied(len(doc.text), ((s["start"], s["end"]) for s in spans))
    for span in spans:
        if span["kb_id"] or span["label"] not in ("GPE", "NORP", "LOC"):
            continue
        end = span["end"]
        following = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if following is None:
            continue
        n = following.end
        while n < len(doc) and n - following.end < 3:
            token = doc[n]
            if (token.pos_ != "PROPN" or not token.is_title or token.is_sent_start or not taken.free(token.idx, token.idx + 1)
                    or titles.word.fullmatch(token.text) or token.idx != end + (1 if doc[n - 1].whitespace_ else 0)):
                break
            end = token.idx + len(token)
            n += 1
        if end > span["end"]:
            span["end"], span["label"], span["sure"] = end, "ORG", True
    return spans


def titled_people(doc: Doc, spans: list[dict], titles: Titles) -> list[dict]:
    """A person named with a title is the name alone: "CFO David Wells" tagged as one PERSON is the
    title "CFO" and the person "David Wells". An unrecognised capitalised name right before the title
    ("Geely chairman Li Shufu") is the person's employer, an organisation."""
    text = doc.text
    taken = Occupied(len(text), ((s["start"], s["end"]) for s in spans))
    added = []
    for span in spans:
        if span["label"] != "PERSON" or span["kb_id"]:
            continue
        title = titles.leading.match(text, span["start"], span["end"])
        if title and NAME.fullmatch(text, title.end(), span["end"]):
            span["start"] = title.end()
        said = titles.before.search(text, max(0, span["start"] - 40), span["start"])
        if said is None:
            continue
        before = doc.char_span(said.start(), span["start"], alignment_mode="expand")
        if before is None:
            continue
        n, start = before.start, said.start()
        while n > 0 and before.start - n < 3:
            token = doc[n - 1]
            if (token.pos_ in NOT_NAME_POS or token.is_sent_start or not (token.is_title or token.is_upper)
                    or not taken.free(token.idx, token.idx + len(token))
                    or token.idx + len(token) + len(token.whitespace_) != start):
                break
            start, n = token.idx, n - 1
        if start < said.start():
            added.append({"start": start, "end": doc[before.start - 1].idx + len(doc[before.start - 1]), "label": "ORG",
                          "kb_id": None, "origin": "rules", "is_subject": False, "sure": True})
    return sorted(spans + added, key=lambda s: (s["start"], s["end"]))


def _capitalised_word(ent, text: str) -> bool:
    """A word the model took for a name because of its capital, once in the article: "the Combined
    class A and B shares" (no noun in it; a company called Snap or Square is named more than once)."""
    return (not ent.ent_id_ and ent.label_ in ("ORG", "PERSON", "PRODUCT") and not any(t.pos_ in ("PROPN", "NOUN", "NUM", "X") for t in ent)
            and text.count(ent.text) == 1)


def _value_overlaps(span: dict, values: list[ValueMention]) -> bool:
    """A model's name that is really an amount ("313bn yuan" as ORG, "HK" of "HK$5bn" as GPE)."""
    return any(v.kind in ("money", "percent") and v.start < span["end"] and span["start"] < v.end
               and not (span["start"] <= v.start and v.end <= span["end"] and span["end"] - span["start"] > v.end - v.start)
               for v in values)


def relabelled(text: str, spans: list[dict], cues: Cues, titles: Titles) -> list[dict]:
    """Labels the context makes certain, over the model's guess: a name after "Mr" or next to a role
    title ("Chief Executive Tim Cook", "Tim Cook, chief executive") is a person; a name with a ticker
    ("Ryanair ( RYA.I )"), after "shares in" or "operator", before "said in a statement" or before a
    title and a name ("Sterne Agee analyst Arvind Bhatia") is an organisation; "Oslo-based" is a place; a lone word tagged as a person again and again that is
    nobody's surname in the article ("Telenor") is an organisation.
    The knowledge base's names are left alone. Each corrected span is marked sure, so that it sets
    the label of the name throughout the article."""
    full_names = [text[s["start"]:s["end"]].split() for s in spans if s["label"] == "PERSON"]
    surnames = {words[-1] for words in full_names if len(words) > 1 and not any(w.isupper() and len(w) > 1 for w in words)}
    lone = Counter(words[0] for words in full_names if len(words) == 1)
    for span in spans:
        if span["kb_id"] or span["label"] in VALUE_LABEL_KINDS:
            continue
        name = text[span["start"]:span["end"]]
        before, after = text[max(0, span["start"] - 40):span["start"]], text[span["end"]:span["end"] + 40]
        titled = titles.before.search(before) or titles.after.match(after)
        if NAME.fullmatch(name) and (cues.person_cue.search(before) or titled):
            span["label"], span["sure"] = "PERSON", True  # sure even where the model agreed: "said in a statement" is no company
        elif span["label"] != "ORG" and len(name.split()) > 1 and name.split()[-1] in cues.org_heads:
            span["label"], span["sure"] = "ORG", True
        elif cues.place_after.match(after):
            span["label"], span["sure"] = "GPE", True
        elif span["label"] != "NORP" and (TICKER.match(after) or cues.org_before.search(before) or cues.org_after.match(after)
                                          or titles.employer.search(before) or titles.employs.match(after)):
            span["label"], span["sure"] = "ORG", True  # sure even where the model agreed: it sets the name's label
        elif (span["label"] == "PERSON" and " " not in name.strip() and name not in surnames and lone[name] > 1
              and not cues.person_cue.search(before)):
            span["label"] = "ORG"  # "Telenor": one capitalised word nobody in the article has as a surname
    return spans


def launched_products(text: str, spans: list[dict], cues: Cues) -> list[dict]:
    """A name right after "launched" or "the launch of" is a product ("Samsung launched the Galaxy
    Note 9", "the launch of Disney+", "a new version of its Alto"), though the model tagged it an
    organisation or a person or missed it; places, dates, amounts and the knowledge base's names stay."""
    added, dropped = [], set()
    for m in cues.launched.finditer(text):
        start, end = m.span("name")
        if m.group("name") in cues.not_names:
            continue
        inside = [s for s in spans if start <= s["start"] and s["end"] <= end and s["label"] in VALUE_LABEL_KINDS]  # the "9" of "Note 9"
        at = [s for s in spans if s["start"] < end and start < s["end"] and s not in inside]
        if not at:
            dropped.update(id(s) for s in inside)
            added.append({"start": start, "end": end, "label": "PRODUCT", "kb_id": None, "origin": Origin.RULES,
                          "is_subject": False, "sure": True})
        for span in at:
            if span["start"] >= start and not span["kb_id"] and span["label"] in ("ORG", "PERSON"):
                span["label"], span["sure"] = "PRODUCT", True
    return sorted([s for s in spans if id(s) not in dropped] + added, key=lambda s: (s["start"], s["end"]))


def _ticker(ent, text: str) -> bool:
    """A stock code in brackets the model took for a name: "( TEF.MC )", "(NYSE: VZ)"; not an
    abbreviation, "Taiwan Semiconductor Manufacturing Co. (TSMC)"."""
    return bool(STOCK_CODE.fullmatch(ent.text) and re.search(r"\(\s*$", text[max(0, ent.start_char - 3):ent.start_char])
                and re.match(r"\s*\)", text[ent.end_char:ent.end_char + 3]))


def short_forms(text: str, spans: list[dict], cues: Cues) -> list[dict]:
    """A name said once with its legal form ("Facebook Inc", as wire stories name a company first)
    is that organisation wherever the article says it without ("Facebook"), whatever the model or
    the knowledge base (which knows Facebook the product) makes of the short form. An organisation
    the model tagged without the form that follows it ("Intel" of "Intel Corp") takes it in."""
    legal = re.compile(rf"\s+{phrase_alternation(cues.legal_forms)}\.?$")
    taken = Occupied(len(text), ((s["start"], s["end"]) for s in spans))
    form_after = re.compile(rf"[ \t]+{phrase_alternation(cues.legal_forms)}\.?(?![\w])")
    for span in spans:  # "Intel Corp" where the model tagged "Intel": the name with its form
        m = form_after.match(text, span["end"]) if span["label"] == "ORG" else None
        if m and taken.free(span["end"], m.end()):
            end = m.end() - (text[m.end() - 1] == ".")
            taken.mark(span["end"], end)
            span["end"] = end
    full = {}
    for span in spans:
        name = text[span["start"]:span["end"]]
        m = legal.search(name) if span["label"] == "ORG" else None
        if m and m.start() > 0:
            full.setdefault(name[:m.start()], span)
    for span in spans:
        company = full.get(text[span["start"]:span["end"]])
        if company is not None:
            span["label"], span["kb_id"], span["sure"] = "ORG", company["kb_id"] or span["kb_id"], True
    return spans


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A name never runs over a line break ("Alto\n\nMaruti" from a headline and the paragraph
    under it is two names): the pieces of a span between line breaks, without their spaces."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    pieces = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        piece = m.group()
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            pieces.append((start + m.start() + lead, start + m.start() + lead + len(piece.strip())))
    return pieces


def consistent_names(text: str, spans: list[dict]) -> list[dict]:
    """One label per name within an article, and every occurrence of a recognised name marked.

    The statistical model may tag "Mistral AI" ORG in the headline, GPE in the body and miss it a
    third time; a curator reads one entity throughout. A name takes the knowledge base's label if
    the knowledge base knows it, else its most frequent label (the first seen on a tie), and its
    unmarked occurrences elsewhere in the text are added with origin "rules".
    """
    names: dict[str, list[dict]] = defaultdict(list)
    for span in spans:
        name = text[span["start"]:span["end"]]
        if span["label"] not in VALUE_LABEL_KINDS and len(name) > 1 and name[0].isupper():
            names[name].append(span)
    if not names:
        return spans
    identity = {}
    for name, seen in names.items():
        known = next((s for s in seen if s["kb_id"] or s.get("sure")), None)
        labels = [s["label"] for s in seen]
        label = known["label"] if known else max(labels, key=lambda label: (labels.count(label), -labels.index(label)))
        identity[name] = (label, known["kb_id"] if known else None)
        for s in seen:
            s["label"], s["kb_id"] = identity[name]
    taken = Occupied(len(text), ((s["start"], s["end"]) for s in spans))
    pattern = re.compile(phrase_alternation(identity))
    added = []
    for m in pattern.finditer(text):
        if taken.free(m.start(), m.end()):
            label, kb_id = identity[m.group()]
            added.append({"start": m.start(), "end": m.end(), "label": label, "kb_id": kb_id, "origin": Origin.RULES, "is_subject": False})
    return sorted(spans + added, key=lambda s: (s["start"], s["end"]))


def split_glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence where machine translation glued two together ("market.According to"), and at
    line breaks: a headline is never one sentence with the paragraph under it."""
    cuts = sorted({start, end, *(m.end() for m in GLUED.finditer(text, start, end)),
                   *(start + m.end() for m in NEWLINES.finditer(text[start:end]))})
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def _claim_dict(suggestion: Suggestion, text: str) -> dict:
    start, end = suggestion.evidence
    origin = Origin.KB if any(v.get("kb_id") for vs in suggestion.slots.values() for v in vs) else Origin.MODEL
    return {"type": suggestion.type, "origin": origin, "confidence": suggestion.confidence,
            "evidence": {"start": start, "end": end, "text": text[start:end]}, "slots": suggestion.slots, "basis": suggestion.basis}


PIECE = 100_000  # characters: a longer article is parsed in pieces of paragraphs (spaCy stops at 1,000,000)


def parsed(nlp, items, batch_size: int = 32, n_process: int = 1):
    """(Doc or the exception that stopped it, context) for each (text, context), in order. Articles
    longer than PIECE are parsed in pieces cut at paragraph ends and joined back into one Doc whose
    offsets are the article's; one article that fails is given back as its error, the rest go on."""
    buffer: list[tuple[str, object]] = []

    def flush():
        try:
            yield from nlp.pipe(list(buffer), as_tuples=True, batch_size=batch_size, n_process=n_process)
        except Exception:  # one article broke the batch: parse them one by one to find it
            for text, context in buffer:
                yield _one(nlp, text), context
        buffer.clear()

    for text, context in items:
        if len(text) <= PIECE:
            buffer.append((text, context))
            if len(buffer) >= batch_size * 4:
                yield from flush()
            continue
        yield from flush()
        yield _one(nlp, text), context
    yield from flush()


def _one(nlp, text: str):
    try:
        if len(text) <= PIECE:
            return nlp(text)
        return Doc.from_docs([nlp(text[a:b]) for a, b in pieces(text, PIECE)], ensure_whitespace=False)
    except Exception as e:  # named and skipped by the caller
        return e


def pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Consecutive stretches of at most `size` characters covering the text, cut after a paragraph
    break where there is one (else a line break, else a space, else anywhere)."""
    cuts, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = next((window.rfind(mark) + len(mark) for mark in ("\n\n", "\n", " ") if window.rfind(mark) > size // 2), size)
        cuts.append((start, start + cut))
        start += cut
    cuts.append((start, len(text)))
    return cuts


def preannotate(store: Store, annotator: Preannotator, batch_size: int = 32, n_process: int = 1,
                progress: Callable[[int], None] | None = None, force: bool = False,
                stop: Callable[[], bool] | None = None, include_done: bool = False,
                announce: Callable[[int], None] | None = None) -> dict:
    """Pre-annotate every document that needs it; return counts per language, the notices and the
    articles that could not be pre-annotated (each named with the reason; the others go on).

    An article someone marked done is left alone unless `include_done`. `announce` is told how
    many documents will be pre-annotated once that is known (after the pipelines load), before
    the first; `stop` is asked between documents: each document is stored whole, so stopping
    loses nothing."""
    store.record_schema("claims", annotator.schema)
    done = store.preannotation_keys()
    finished = set() if include_done else store.finished_documents()
    by_lang: dict[str, list[int]] = defaultdict(list)
    for doc_id, lang in store.document_languages():
        by_lang[lang].append(doc_id)
    report = {"documents": 0, "skipped": 0, "finished": 0, "notices": [], "failed": []}
    plan = []
    for lang, doc_ids in sorted(by_lang.items()):
        pipeline = annotator.pipeline(lang)
        if pipeline.notice:
            report["notices"].append(pipeline.notice)
        key = annotator.key(lang)
        open_ids = [doc_id for doc_id in doc_ids if doc_id not in finished]
        todo = [doc_id for doc_id in open_ids if force or done.get(doc_id) != key]
        report["finished"] += len(doc_ids) - len(open_ids)
        report["skipped"] += len(open_ids) - len(todo)
        plan.append((lang, pipeline, key, todo))
    if announce:
        announce(sum(len(todo) for *_, todo in plan))
    for lang, pipeline, key, todo in plan:
        texts = ((text, (doc_id, published)) for doc_id, text, published in store.texts_of(todo))
        for doc, (doc_id, published) in parsed(pipeline.nlp, texts, batch_size, n_process):
            try:
                if isinstance(doc, Exception):
                    raise doc
                spans, claims = annotator.annotate(doc, lang, published)
                store.replace_suggestions(doc_id, spans, claims, annotator.schema.hash, key, pipeline.name)
                report["documents"] += 1
            except Exception as e:  # one article's failure must not stop the others
                failure = f"{store.document_name(doc_id)}: not pre-annotated ({type(e).__name__}: {e})"
                report["failed"].append(failure)
                report["notices"].append(failure)
            if progress:
                progress(1)
            if stop and stop():
                report["stopped"] = True
                return report
    return report


def bundle_records(annotator: Preannotator, documents: list[dict]) -> list[dict]:
    """Pre-annotation as a pure function, no database: documents (ingest.make_document) in, records
    in the JSONL export's shape out (suggestions by the pipeline's annotator), in the same order.

    This is what `preannotate-file` and the Dask example run; `import-annotations` brings the
    result into a workspace.
    """
    from annotations.exports import claim_record, span_record

    by_lang: dict[str, list[int]] = defaultdict(list)
    for n, document in enumerate(documents):
        by_lang[document["lang"]].append(n)
    records: list[dict | None] = [None] * len(documents)
    for lang, numbers in by_lang.items():
        nlp = annotator.pipeline(lang).nlp
        texts = (documents[n]["text"] for n in numbers)
        for n, doc in zip(numbers, nlp.pipe(texts, batch_size=32)):
            document = documents[n]
            spans, claims = annotator.annotate(doc, lang, document.get("published"))
            text = document["text"]
            suggestion = {"status": Status.SUGGESTED, "annotator": MODEL_ANNOTATOR}
            records[n] = {
                "name": document["name"], "title": document["title"], "lang": lang, "sha256": document["sha256"],
                "text": text, "meta": document.get("meta") or {}, "published": document.get("published"), "done_by": [],
                "spans": [span_record({**span, **suggestion}, text, annotator.kb) for span in spans],
                "claims": [claim_record({**claim, **suggestion, "id": uuid.uuid4().hex, "based_on": None, "note": None,
                                         "slots": claim["slots"]}, text, annotator.kb, annotator.schema) for claim in claims],
            }
    return records
