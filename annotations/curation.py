"""What a curator does to an article: every decision is one call here, stored at once.

A curator never changes a suggestion in place. Confirming, correcting or rejecting a suggested
claim or span writes the curator's own row that points at it (`based_on`); their later changes
edit that row. Each call runs in one transaction and appends one entry to the audit log with the
rows it touched before and after, which is what undo and redo replay. Each call returns a
`Change` naming the document and the ids it changed, so a view knows what to refresh.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from annotations.claims import claim_problems, claim_signature
from annotations.errors import InvalidAction
from annotations.model import MODEL_ANNOTATOR, VALUE_KINDS, Claim, Origin, Progress, SlotValue, Status
from annotations.nlp.kb import KnowledgeBase
from annotations.nlp.values import VALUES_FILE, Values, load_values, parse_date
from annotations.schema import ClaimSchema, EntityFile, Slot, load_claim_schema, load_entity_file
from annotations.settings import Settings
from annotations.store import KEY_SEP, AuditEntry, Document, Store, now

SENTENCE_END = re.compile(r"\n|[.!?](?=\s)|(?<=[a-z%\d\u201d\")])[.!?](?=[A-Z\u201c\"])")
LIST_SEPARATOR = re.compile(r"\s*[,;]\s*")  # between the values typed into a slot that takes several
# A word for snapping a selection: an abbreviation (U.S.), a number with separators (10.2, 1,000),
# or letters and digits, hyphenated or not (e-commerce). A full stop between two words is not part
# of either: machine translation often drops the space after it ("South America.Ranked").
WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,]\d+)+|\w+(?:-\w+)*")


@dataclass
class Change:
    """What one action changed (Anki's OpChanges): the document, the ids of the claims and spans it
    touched, and whether it touched the knowledge base, a done mark or an article's publication
    date, so that each view refreshes only what it shows of these."""

    doc_id: int | None
    claims: set[str] = field(default_factory=set)
    spans: set[int] = field(default_factory=set)
    action: str = ""
    kb: bool = False
    progress: bool = False
    published: bool = False
    documents: set[int] = field(default_factory=set)  # every article it touched
    summary: str = ""  # what it did in a sentence, where the action's name says too little

    def __post_init__(self) -> None:
        if self.doc_id is not None:
            self.documents.add(self.doc_id)


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words ("illet " -> "Millet"), leaving out the punctuation and
    spaces at its edges (">Apple" -> "Apple"), except a value's sign selected with its number
    ("$10", "66%")."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text, max(0, start - 64), min(len(text), end + 64))
             if m.end() > start and m.start() < end]
    if not words:
        raise InvalidAction("the selection holds no word")
    (first, _), (_, last) = words[0], words[-1]
    if start < first and unicodedata.category(text[first - 1]) == "Sc" and text[first].isdigit():
        first -= 1
    if end > last and text[last] in "%‰" and text[last - 1].isdigit():
        last += 1
    return first, last


class Curation:
    """One curator's work in one workspace."""

    def __init__(self, store: Store, schema: ClaimSchema, entity_file: EntityFile, values: Values | None, annotator: str):
        if not annotator or not annotator.strip() or annotator.strip() == MODEL_ANNOTATOR:
            raise InvalidAction(f"{annotator!r} cannot be a curator's name")
        self.store, self.schema, self.entity_file, self._values = store, schema, entity_file, values
        self.annotator = annotator.strip()
        self.kb = KnowledgeBase.build(entity_file, *store.kb_additions())
        store.record_schema("claims", schema)

    @classmethod
    def open(cls, settings: Settings, store: Store, annotator: str) -> Curation:
        schema = load_claim_schema(settings.claims_schema)
        return cls(store, schema, load_entity_file(settings.entities_schema, schema.entity_labels),
                   None, annotator)

    @property
    def values(self) -> Values:
        """The value words and patterns, compiled when a typed value first needs them (not at launch)."""
        if self._values is None:
            self._values = load_values(VALUES_FILE)
        return self._values

    # -- what the curator sees -------------------------------------------------------------------

    def spans(self, doc_id: int) -> list[dict]:
        """The curator's own spans and the suggestions they have not decided on, rejected ones included."""
        return self._view(self.store.spans_of(doc_id, annotator=self.annotator),
                          self.store.spans_of(doc_id, statuses=(Status.SUGGESTED,), annotator=MODEL_ANNOTATOR))

    def claims(self, doc_id: int) -> list[dict]:
        """Like spans(); each claim also carries its `problems` against the schema."""
        claims = self._view(self.store.claims_of(doc_id, annotator=self.annotator),
                            self.store.claims_of(doc_id, statuses=(Status.SUGGESTED,), annotator=MODEL_ANNOTATOR))
        for claim in claims:
            claim["problems"] = claim_problems(self.schema, claim)
            claim["notices"] = [f"{name}: “{v.get('text', '')}” is not in the text" for name, values in claim["slots"].items()
                                for v in values if v.get("start") is None]
            self._named(claim)
        return sorted(claims, key=lambda c: ((c["evidence"] or {}).get("start") or 0, c["type"]))

    def _named(self, claim: dict) -> dict:
        """The claim with each linked slot value's canonical name (the store keeps only the kb id)."""
        for values in claim["slots"].values():
            for value in values:
                if value.get("kb_id"):
                    value["canonical"] = self.kb.canonical(value["kb_id"])
        return claim

    @staticmethod
    def _view(own: list[dict], suggested: list[dict]) -> list[dict]:
        decided = {row["based_on"] for row in own if row.get("based_on") is not None}
        return own + [row for row in suggested if row["id"] not in decided]

    # -- claims ----------------------------------------------------------------------------------

    def confirm_claim(self, claim_id: str) -> Change:
        claim = self._claim(claim_id)
        problems = claim_problems(self.schema, claim)
        if problems:
            raise InvalidAction(f"this {claim['type']} claim cannot be confirmed: {'; '.join(problems)}")
        if claim["annotator"] == self.annotator:
            status = Status.CORRECTED if claim["based_on"] and self._differs_from_base(claim) else Status.ACCEPTED
            return self._set_claim_status(claim, status, "confirm claim")
        return self._decide(claim, Status.ACCEPTED, claim["slots"], "confirm claim")

    def reject_claim(self, claim_id: str) -> Change:
        claim = self._claim(claim_id)
        if claim["annotator"] == self.annotator:
            return self._set_claim_status(claim, Status.REJECTED, "reject claim")
        return self._decide(claim, Status.REJECTED, claim["slots"], "reject claim")

    def set_slot(self, claim_id: str, slot_name: str, values: list[SlotValue]) -> Change:
        """Correct one slot (an empty list clears it). A suggestion becomes the curator's corrected claim."""
        claim = self._claim(claim_id)
        slot = self._slot(claim["type"], slot_name)
        if len(values) > 1 and not slot.multiple:
            raise InvalidAction(f"slot {slot_name} of {claim['type']} takes one value")
        slots = {**claim["slots"], slot_name: values}
        if not values:
            del slots[slot_name]
        if claim["annotator"] != self.annotator:
            return self._decide(claim, Status.CORRECTED, slots, "correct slot")
        status = (Status.GOLD if claim["status"] == Status.GOLD else Status.ACCEPTED if claim["origin"] == Origin.CURATOR
                  else Status.CORRECTED)
        with self._recorded("correct slot", claim["doc_id"]) as change:
            change.touch_claim(claim_id)
            self.store.replace_claim_slots(claim_id, slots)
            self.store.update_claim(claim_id, status=status)
        return change.result

    def add_to_slot(self, claim_id: str, slot_name: str, value: SlotValue) -> Change:
        """Put one value in a slot: a slot that takes several values (partnership parties) gets it
        after the ones it has, any other slot has its value replaced."""
        claim = self._claim(claim_id)
        slot = self._slot(claim["type"], slot_name)
        if not slot.multiple:
            return self.set_slot(claim_id, slot_name, [value])
        values = claim["slots"].get(slot_name, [])
        if any(_same_value(value, v) for v in values):
            raise InvalidAction(f"{slot_name} already holds “{value.get('text', '')}”; nothing was added")
        return self.set_slot(claim_id, slot_name, [*values, value])

    def remove_from_slot(self, claim_id: str, slot_name: str, value: SlotValue) -> Change:
        """Take one value out of a slot (the others keep their order)."""
        claim = self._claim(claim_id)
        values = claim["slots"].get(slot_name, [])
        kept = [v for v in values if not _same_value(value, v)]
        if len(kept) == len(values):
            raise InvalidAction(f"{slot_name} does not hold “{value.get('text', '')}”; nothing was removed")
        return self.set_slot(claim_id, slot_name, kept)

    def add_claim(self, doc_id: int, claim_type: str, slots: dict[str, list[SlotValue]],
                  evidence: tuple[int, int] | None = None) -> Change:
        """A claim the pipeline missed. It is stored even when incomplete; its problems are shown."""
        if claim_type not in self.schema.claim_types:
            raise InvalidAction(f"unknown claim type {claim_type!r}")
        for name in slots:
            self._slot(claim_type, name)
        slots = {name: values for name, values in slots.items() if values}
        text = self.store.document(doc_id).text
        if evidence is None:
            spans = [(v["start"], v["end"]) for vs in slots.values() for v in vs if v.get("start") is not None]
            evidence = sentence_around(text, min(s for s, _ in spans), max(e for _, e in spans)) if spans else None
        claim_id = uuid.uuid4().hex
        with self._recorded("add claim", doc_id) as change:
            change.create_claim(claim_id)
            self.store.insert_claims([{
                "id": claim_id, "doc_id": doc_id, "type": claim_type, "origin": Origin.CURATOR, "status": Status.ACCEPTED,
                "annotator": self.annotator, "schema_hash": self.schema.hash, "slots": slots,
                "evidence": {"start": evidence[0], "end": evidence[1]} if evidence else None,
            }], now())
        return change.result

    def sentence_at(self, doc_id: int, offset: int) -> tuple[int, int]:
        """The sentence at a place in the article: the evidence of a claim added without a selection."""
        text = self.store.document(doc_id).text
        offset = min(max(offset, 0), len(text))
        return sentence_around(text, offset, offset)

    def slot_value_from_span(self, doc: Document, claim_type: str, slot_name: str, span: dict) -> SlotValue:
        """The value a slot gets from a highlighted span (an entity, or a number read from its text)."""
        slot = self._slot(claim_type, slot_name)
        text = doc.text[span["start"]:span["end"]]
        if slot.kind == "entity":
            kb_id = span.get("kb_id")
            return {"start": span["start"], "end": span["end"], "text": text, "label": span["label"], "kb_id": kb_id,
                    "canonical": self.kb.canonical(kb_id)}
        value = self._normalised(doc, slot, text)
        return {"start": span["start"], "end": span["end"], "text": text, "value": value}

    def slot_value_from_text(self, doc: Document, claim_type: str, slot_name: str, typed: str,
                             near: int = 0) -> SlotValue:
        """The value of a slot typed by the curator, normalised now; an error says why it cannot be read.

        An entity is looked up in the knowledge base; a typed name or number that occurs in the
        article is tied to its occurrence nearest to `near` (usually the evidence).
        """
        slot = self._slot(claim_type, slot_name)
        typed = typed.strip()
        if not typed:
            raise InvalidAction(f"{slot_name}: nothing typed")
        place = _nearest_occurrence(doc.text, typed, near)
        where = {"start": place[0], "end": place[1]} if place else {"start": None, "end": None}
        if slot.kind == "entity":
            kb_id = self.kb.aliases().get(typed) or next(
                (k for k, e in self.kb.entities.items() if e.name.lower() == typed.lower() or k == typed.lower()), None)
            label = self.kb.entities[kb_id].label if kb_id else (slot.labels[0] if slot.labels else self.schema.default_entity_label)
            if not slot.accepts_label(label):
                raise InvalidAction(f"{slot_name}: {typed} is a {label}, and this slot takes {', '.join(slot.labels)}")
            return {**where, "text": typed, "label": label, "kb_id": kb_id, "canonical": self.kb.canonical(kb_id)}
        if slot.kind == "text":
            return {**where, "text": typed}
        return {**where, "text": typed, "value": self._normalised(doc, slot, typed)}

    def slot_values_from_text(self, doc: Document, claim_type: str, slot_name: str, typed: str,
                              near: int = 0) -> list[SlotValue]:
        """What a curator typed into a slot, as its values: a slot that takes several values reads
        a list ("Xiaomi, SK Telecom; Korea Telecom"), any other slot one value."""
        slot = self._slot(claim_type, slot_name)
        parts = [p for p in LIST_SEPARATOR.split(typed) if p.strip()] if slot.multiple else [typed]
        return [self.slot_value_from_text(doc, claim_type, slot_name, part, near) for part in parts or [typed]]

    def choice_value(self, doc: Document, claim_type: str, slot_name: str, choice: str, evidence: dict | None = None) -> dict:
        """A choice picked from a list, tied to the words of the evidence that name it ("banned"
        for ban) when it has some, else to the choice's name."""
        slot = self._slot(claim_type, slot_name)
        if choice not in slot.choices:
            raise InvalidAction(f"{slot_name}: {choice!r} is none of {', '.join(slot.choices)}")
        start, end = ((evidence or {}).get("start"), (evidence or {}).get("end"))
        if start is not None:
            sentence = doc.text[start:end]
            for phrase in sorted(slot.choices[choice], key=len, reverse=True):
                found = whole_word_places(sentence, phrase, ignore_case=True)
                if found:
                    at, to = found[0]
                    return {"start": start + at, "end": start + to, "text": sentence[at:to], "value": {"kind": "choice", "value": choice}}
        return {"start": None, "end": None, "text": choice, "value": {"kind": "choice", "value": choice}}

    def _normalised(self, doc: Document, slot: Slot, text: str) -> dict:
        if slot.kind == "choice":
            lowered = text.lower()
            for choice, phrases in slot.choices.items():
                if lowered == choice or lowered in (p.lower() for p in phrases):
                    return {"kind": "choice", "value": choice}
            raise InvalidAction(f"{slot.name}: {text!r} is none of {', '.join(slot.choices)}")
        if slot.kind in VALUE_KINDS:
            value = self.values.normalise(slot.kind, text, doc.lang, parse_date(doc.published))
            if value is None or value.get("value") is None:
                raise InvalidAction(f"{slot.name}: {text!r} cannot be read as a {slot.kind}")
            return value
        return {"kind": slot.kind, "value": text}

    # -- spans -----------------------------------------------------------------------------------

    def add_span(self, doc_id: int, start: int, end: int, label: str) -> Change:
        """A span from a selection, snapped to whole tokens. Words that already carry a span the
        curator sees (a suggestion, or their own) are not labelled twice: that span is relabelled,
        and a suggestion given its own label is accepted."""
        if label not in self.schema.entity_labels:
            raise InvalidAction(f"unknown label {label!r}")
        text = self.store.document(doc_id).text
        start, end = snap_to_tokens(text, start, end)
        there = sorted((s for s in self.spans(doc_id) if (s["start"], s["end"]) == (start, end)),
                       key=lambda s: s["annotator"] != self.annotator)
        if there:
            agreed = there[0]["annotator"] != self.annotator and there[0]["label"] == label
            return self._change_span(there[0]["id"], "relabel span", label=label, **({"status": Status.ACCEPTED} if agreed else {}))
        with self._recorded("add span", doc_id) as change:
            change.create_span(self.store.insert_span(self._span_row(doc_id, start, end, label, None, Origin.CURATOR, Status.ACCEPTED)))
        return change.result

    def relabel_span(self, span_id: int, label: str) -> Change:
        if label not in self.schema.entity_labels:
            raise InvalidAction(f"unknown label {label!r}")
        return self._change_span(span_id, "relabel span", label=label)

    def reject_span(self, span_id: int) -> Change:
        return self._change_span(span_id, "reject span", status=Status.REJECTED)

    def link_span(self, span_id: int, kb_id: str, name: str | None = None) -> Change:
        """Link a mention to a canonical entity; a new name becomes an alias, a new id a new entity."""
        span = self._span(span_id)
        mention = self.store.document(span["doc_id"]).text[span["start"]:span["end"]]
        kb_id = kb_id.strip()
        if not re.fullmatch(r"[a-z0-9_]+", kb_id):
            raise InvalidAction(f"{kb_id!r}: a canonical id is lowercase letters, digits and _")
        with self._recorded("link span", span["doc_id"]) as change:
            if kb_id not in self.kb.entities and not self.store.has_kb_entity(kb_id):
                change.touch("kb_entities", kb_id)
                self.store.add_kb_entity(kb_id, name or mention, span["label"], self.annotator)
            if self.kb.aliases().get(mention) != kb_id:
                change.touch("kb_aliases", f"{mention}{KEY_SEP}{kb_id}")
                self.store.set_kb_alias(mention, kb_id, self.annotator)
            self._change_span(span_id, "link span", change=change, kb_id=kb_id)
        self.kb = KnowledgeBase.build(self.entity_file, *self.store.kb_additions())
        return change.result

    def _change_span(self, span_id: int, action: str, change=None, **updates) -> Change:
        span = self._span(span_id)
        if change is None:
            with self._recorded(action, span["doc_id"]) as change:
                self._change_span(span_id, action, change, **updates)
            return change.result
        if span["annotator"] == self.annotator:
            change.touch("spans", span_id)
            status = updates.pop("status", None) or (Status.ACCEPTED if span["origin"] == Origin.CURATOR else Status.CORRECTED)
            self.store.update_span(span_id, **updates, status=status)
        else:
            status = updates.pop("status", Status.CORRECTED)
            row = self._span_row(span["doc_id"], span["start"], span["end"], updates.get("label", span["label"]),
                                 updates.get("kb_id", span["kb_id"]), span["origin"], status)
            change.create_span(self.store.insert_span({**row, "based_on": span_id}))
        return change.result

    def _span_row(self, doc_id, start, end, label, kb_id, origin, status) -> dict:
        stamp = now()
        return {"doc_id": doc_id, "start": start, "end": end, "label": label, "kb_id": kb_id, "origin": origin,
                "status": status, "annotator": self.annotator, "schema_hash": self.schema.hash,
                "created_at": stamp, "updated_at": stamp}

    # -- articles --------------------------------------------------------------------------------

    def mark_done(self, doc_id: int) -> Change:
        """The article is done: the entity suggestions the curator left alone become their accepted spans.

        Claims are not accepted wholesale: a suggested claim the curator did not decide on stays
        undecided (the article list counts them), as a fact needs a look of its own.
        """
        with self._recorded("mark done", doc_id) as change:
            self._set_progress(doc_id, Progress.DONE, change)
            for span in self._untouched_spans(doc_id):
                row = self._span_row(doc_id, span["start"], span["end"], span["label"], span["kb_id"], span["origin"], Status.ACCEPTED)
                change.create_span(self.store.insert_span({**row, "based_on": span["id"]}))
        return change.result

    def done_preview(self, doc_id: int) -> tuple[int, int]:
        """What marking the article done would do: (entity suggestions it accepts as the curator's,
        suggested claims it leaves undecided)."""
        undecided = sum(1 for claim in self.claims(doc_id) if claim["status"] == Status.SUGGESTED)
        return len(self._untouched_spans(doc_id)), undecided

    def _untouched_spans(self, doc_id: int) -> list[dict]:
        return [span for span in self.spans(doc_id) if span["annotator"] == MODEL_ANNOTATOR]

    def start(self, doc_id: int) -> None:
        """Opening an article marks it in progress (not an undoable decision, and never over done;
        nothing in a read-only workspace)."""
        if not self.store.read_only:
            self.store.mark_in_progress(doc_id, self.annotator)

    def _set_progress(self, doc_id: int, status: Progress, change) -> None:
        change.touch("document_progress", f"{doc_id}{KEY_SEP}{self.annotator}")
        self.store.set_progress(doc_id, self.annotator, status)

    # -- many at once ----------------------------------------------------------------------------

    def accept_all(self, doc_id: int, claim_ids: list[str]) -> Change:
        """Accept these suggested claims (those the curator sees) as they are, in one undoable step.
        A suggestion with a problem (a required slot missing, a value of the wrong kind) is left
        undecided, and the summary says how many were."""
        shown = {c["id"]: c for c in self.claims(doc_id)}
        chosen = [shown[i] for i in claim_ids if i in shown and shown[i]["status"] == "suggested"
                  and shown[i]["annotator"] != self.annotator]
        ready = [c for c in chosen if not c["problems"]]
        left = len(chosen) - len(ready)
        if not ready:
            raise InvalidAction("no suggestion shown can be accepted as it is" +
                                (f": {left} have a problem to fix first" if left else ": none is undecided"))
        with self._recorded("accept all", doc_id) as change:
            for claim in ready:
                self._insert_decision(change, {**claim, "doc_id": doc_id}, "accepted", claim["slots"])
        change.result.summary = f"accepted {len(ready)} claim{'s' if len(ready) != 1 else ''}" + (
            f"; {left} left undecided (a required slot is missing or a value is of the wrong kind)" if left else "")
        return change.result

    def label_all(self, span_id: int) -> Change:
        """Give every other whole-word occurrence of a span's words in its article the span's label
        and link, in one undoable step. An occurrence the curator rejected is left alone, and so is
        one inside or across another span (Xiaomi in "Xiaomi India")."""
        span = self._span(span_id)
        if span["status"] == "rejected":
            raise InvalidAction("a rejected span has no label to give to the other occurrences")
        text = self.store.document(span["doc_id"]).text
        mention = text[span["start"]:span["end"]]
        places = [p for p in whole_word_places(text, mention) if p != (span["start"], span["end"])]
        plan = self._label_plan(span["doc_id"], places, span["label"], span["kb_id"])
        if not plan:
            raise InvalidAction(f"no other occurrence of “{mention}” in this article needs the label {span['label']}")
        with self._recorded("label all", span["doc_id"]) as change:
            self._apply_label_plan(span["doc_id"], plan, span["label"], span["kb_id"], change)
        change.result.summary = f"“{mention}” labelled {_label_words(span)} in {len(plan)} more place{'s' if len(plan) != 1 else ''}"
        return change.result

    def occurrences_everywhere(self, span_id: int) -> Occurrences:
        """Where labelling a span's words everywhere would label (the documents the search finds
        for them, whole words only), without storing anything: what the curator is asked about."""
        span = self._span(span_id)
        if span["status"] == "rejected":
            raise InvalidAction("a rejected span has no label to give to the other occurrences")
        mention = self.store.document(span["doc_id"]).text[span["start"]:span["end"]]
        found = Occurrences(mention, span["label"], span["kb_id"], self.kb.canonical(span["kb_id"]))
        ids = self.store.search_document_ids(mention)
        for doc_id, text, _ in self.store.texts_of(ids):
            places = [p for p in whole_word_places(text, mention) if (doc_id, *p) != (span["doc_id"], span["start"], span["end"])]
            plan = self._label_plan(doc_id, places, span["label"], span["kb_id"]) if places else []
            if plan:
                found.plans[doc_id] = plan
        return found

    def label_everywhere(self, span_id: int) -> Change:
        """Label every whole-word occurrence of a span's words in the workspace as the span is
        (label and link), in one undoable step; the same rules as label_all in each article."""
        found = self.occurrences_everywhere(span_id)
        if not found.plans:
            raise InvalidAction(f"no other occurrence of “{found.mention}” in the workspace needs the label {found.label}")
        with self._recorded("label everywhere", None) as change:
            for doc_id, plan in found.plans.items():
                self._apply_label_plan(doc_id, plan, found.label, found.kb_id, change)
        change.result.documents |= set(found.plans)
        change.result.summary = f"“{found.mention}” labelled {found.label} in {found.count} places in {len(found.plans)} articles"
        return change.result

    def _label_plan(self, doc_id: int, places: list[tuple[int, int]], label: str, kb_id: str | None) -> list[tuple[int, int, dict | None]]:
        """For each place, the span the curator sees there to relabel (or None: a new span), leaving
        out places already so, places the curator rejected and places inside or across other spans."""
        visible = self.spans(doc_id)
        at: dict[tuple[int, int], list[dict]] = {}
        for s in visible:
            at.setdefault((s["start"], s["end"]), []).append(s)
        taken = sorted((s["start"], s["end"]) for s in visible if s["status"] != "rejected")
        plan = []
        for start, end in places:
            here = sorted(at.get((start, end), []), key=lambda s: s["annotator"] != self.annotator)
            if here:
                span = here[0]
                if span["status"] == "rejected" or (span["annotator"] == self.annotator and
                                                    (span["label"], span["kb_id"]) == (label, kb_id)):
                    continue
                plan.append((start, end, span))
            elif not any(s < end and start < e for s, e in taken):
                plan.append((start, end, None))
        return plan

    def _apply_label_plan(self, doc_id: int, plan, label: str, kb_id: str | None, change) -> None:
        for start, end, span in plan:
            if span is None:
                change.create_span(self.store.insert_span(self._span_row(doc_id, start, end, label, kb_id, "curator", "accepted")))
            else:
                agreed = span["annotator"] != self.annotator and (span["label"], span["kb_id"]) == (label, kb_id)
                self._change_span(span["id"], "label all", change=change, label=label, kb_id=kb_id,
                                  **({"status": "accepted"} if agreed else {}))

    # -- selections into slots --------------------------------------------------------------------

    def use_selection(self, claim_id: str, start: int, end: int, slot_name: str | None = None) -> Change:
        """Put the selected words into a slot of the claim: the one named, else the slot they fit
        (slot_for_selection). A slot that takes several values gets them added."""
        claim = self._claim(claim_id)
        doc = self.store.document(claim["doc_id"])
        start, end = snap_to_tokens(doc.text, start, end)
        span = self._span_at(doc.id, start, end)
        name = slot_name or self.slot_for_selection(claim, doc, start, end)
        if span and self._slot(claim["type"], name).kind != "text":
            value = self.slot_value_from_span(doc, claim["type"], name, span)
        else:
            value = self.slot_value_from_text(doc, claim["type"], name, doc.text[start:end], start)
        change = self.add_to_slot(claim_id, name, value)
        change.summary = f"{name} = {doc.text[start:end]}"
        return change

    def slot_for_selection(self, claim: dict, doc: Document, start: int, end: int) -> str:
        """The slot of a claim that selected words fit, empty slots first, in the schema's order:
        an entity slot that takes the label of the span there (or of the knowledge base's entity;
        words with neither fit when they are written as a name),
        a number, period or date slot that can read them, a choice slot one of whose words they are."""
        text = doc.text[start:end]
        span = self._span_at(doc.id, start, end)
        label = span["label"] if span else self._kb_label(text)
        slots = self.schema.claim_types[claim["type"]].slots

        def fits(slot: Slot) -> bool:
            if slot.kind == "entity":
                return slot.accepts_label(label) if label else text[:1].isupper() and not any(c.isdigit() for c in text)
            if slot.kind in VALUE_KINDS or slot.kind == "choice":
                try:
                    self._normalised(doc, slot, text)
                except InvalidAction:
                    return False
                return True
            return False

        fitting = [name for name, slot in slots.items() if fits(slot)]
        empty = [name for name in fitting if not claim["slots"].get(name)]
        several = [name for name in fitting if slots[name].multiple]
        chosen = empty or several or fitting
        if not chosen:
            raise InvalidAction(f"“{text}” fits no slot of {claim['type']}: go to the slot (Alt and its letter), then S")
        return chosen[0]

    def _span_at(self, doc_id: int, start: int, end: int) -> dict | None:
        """The span the curator sees exactly at a place (their own first), not a rejected one."""
        there = sorted((s for s in self.spans(doc_id) if (s["start"], s["end"]) == (start, end) and s["status"] != "rejected"),
                       key=lambda s: s["annotator"] != self.annotator)
        return there[0] if there else None

    def _kb_label(self, text: str) -> str | None:
        kb_id = self.kb.aliases().get(text)
        return self.kb.entities[kb_id].label if kb_id in self.kb.entities else None

    # -- the article's date, and time ----------------------------------------------------------------

    def set_published(self, doc_id: int, typed: str) -> Change:
        """The article's publication date, against which relative periods ("this year") are read:
        a day as 2019-07-15 or as the article's language writes it; empty clears it. Undoable."""
        doc = self.store.document(doc_id)
        typed = typed.strip()
        day = None
        if typed:
            try:
                day = date.fromisoformat(typed).isoformat()
            except ValueError:
                value = self.values.normalise("date", typed, doc.lang) or {}
                if not value.get("start") or value.get("start") != value.get("end"):
                    raise InvalidAction(f"“{typed}” is not a day: type a date such as 2019-07-15") from None
                day = value["start"]
        if day == doc.published:
            raise InvalidAction(f"the article's date is already {day or 'unknown'}")
        with self._recorded("set publication date", doc_id) as change:
            change.touch(Store.PUBLISHED, doc_id)
            self.store.set_published(doc_id, day)
        change.result.summary = f"publication date {day}" if day else "publication date cleared"
        return change.result

    def add_active_time(self, doc_id: int, seconds: float, claim_id: str | None = None) -> None:
        """The curator's active seconds on an article (progress.ActiveClock measures them) and the
        claim they are on. Not a decision: nothing to undo, and nothing in a read-only workspace."""
        if self.store.read_only or (seconds <= 0 and claim_id is None):
            return
        with self.store.write():
            self.store.add_active_time(doc_id, self.annotator, seconds, claim_id)

    def last_place(self) -> tuple[int, str | None] | None:
        """The article and claim this curator was on last, where the app reopens."""
        return self.store.last_place(self.annotator)

    # -- undo and redo ---------------------------------------------------------------------------

    def undo(self) -> Change | None:
        """Revert the curator's latest action not yet undone; None when there is nothing to undo."""
        entry = self.store.last_undoable(self.annotator)
        return self._replay(entry, "undo") if entry else None

    def redo(self) -> Change | None:
        """Re-apply the latest undo, if nothing new was done since."""
        entry = self.store.last_redoable(self.annotator)
        return self._replay(entry, "redo") if entry else None

    def _replay(self, entry: AuditEntry, kind: str) -> Change:
        """Put back the rows an audit entry had before, provided each is still as the entry left it:
        a row someone else has changed since (an alias another curator re-linked) is never touched,
        and nothing of the entry is replayed."""
        entry_id, action, doc_id, before, after = entry
        base = action.split(":", 1)[1] if ":" in action else action
        with self.store.write():
            for table, rows in json.loads(after).items():
                for key, left in rows.items():
                    found = self.store.row_snapshot(table, key)
                    if json.loads(json.dumps(found, ensure_ascii=False)) != left:
                        raise InvalidAction(f"nothing was {kind}ne: {_row_name(table, key)} was "
                                            f"{'deleted' if found is None else 'changed by ' + found.get('annotator', 'someone')} "
                                            f"after your “{base}”, and {kind} touches only rows as you left them")
            with self._recorded(f"{kind}:{base}", doc_id) as change:
                state = json.loads(before)
                for table, rows in state.items():
                    for key in rows:
                        change.touch(table, key)
                for table, rows in state.items():
                    for key, row in rows.items():
                        self.store.restore_row(table, key, row)
            self.store.mark_undone(entry_id, by=change.entry_id)
        self.kb = KnowledgeBase.build(self.entity_file, *self.store.kb_additions())
        # an action over several articles (labelling everywhere) names them in its rows
        change.result.documents |= {row["doc_id"] for rows in (*state.values(), *json.loads(after).values())
                                    for row in rows.values() if row and row.get("doc_id") is not None}
        return change.result

    # -- helpers ---------------------------------------------------------------------------------

    @contextmanager
    def _recorded(self, action: str, doc_id: int | None):
        change = _Recording(self.store, doc_id, action)
        with self.store.write():
            yield change
            change.entry_id = self.store.append_audit(self.annotator, action, doc_id, change.before, change.after())

    def _decide(self, claim: Claim, status: Status, slots: dict[str, list[SlotValue]], action: str) -> Change:
        with self._recorded(action, claim["doc_id"]) as change:
            self._insert_decision(change, claim, status, slots)
        return change.result

    def _insert_decision(self, change, claim: Claim, status: Status, slots: dict[str, list[SlotValue]]) -> str:
        """The curator's own row deciding on someone else's claim (a suggestion), pointing at it."""
        claim_id = uuid.uuid4().hex
        change.create_claim(claim_id)
        self.store.insert_claims([{**claim, "id": claim_id, "status": status, "annotator": self.annotator,
                                   "based_on": claim["id"], "slots": slots, "schema_hash": self.schema.hash,
                                   "created_at": now(), "updated_at": now()}], now())
        return claim_id

    def _set_claim_status(self, claim: Claim, status: Status, action: str) -> Change:
        if claim["status"] == status:  # nothing to store, nothing to undo
            return Change(claim["doc_id"], {claim["id"]}, action=action)
        with self._recorded(action, claim["doc_id"]) as change:
            change.touch_claim(claim["id"])
            self.store.update_claim(claim["id"], status=status)
        return change.result

    def _differs_from_base(self, claim: Claim) -> bool:
        base = self._claim(claim["based_on"])
        return claim_signature(base) != claim_signature(claim)

    def _claim(self, claim_id: str) -> Claim:
        return self.store.claim(claim_id)

    def _span(self, span_id: int) -> dict:
        return self.store.span(span_id)

    def _slot(self, claim_type: str, slot_name: str) -> Slot:
        known = self.schema.claim_types.get(claim_type)
        if known is None:
            raise InvalidAction(f"unknown claim type {claim_type!r}")
        if slot_name not in known.slots:
            raise InvalidAction(f"{claim_type} has no slot {slot_name!r} (it has {', '.join(known.slots)})")
        return known.slots[slot_name]


class _Recording:
    """The rows an action touches, with their state before it, for the audit log."""

    def __init__(self, store: Store, doc_id: int | None, action: str):
        self.store = store
        self.before: dict[str, dict] = {}
        self.entry_id: int | None = None
        self.result = Change(doc_id, action=action)

    def touch(self, table: str, key) -> None:
        rows = self.before.setdefault(table, {})
        if str(key) not in rows:
            rows[str(key)] = self.store.row_snapshot(table, str(key))
        self._note(table, key)

    def touch_claim(self, claim_id: str) -> None:
        self.touch("claims", claim_id)

    def create_claim(self, claim_id: str) -> None:
        self.before.setdefault("claims", {})[claim_id] = None
        self._note("claims", claim_id)

    def create_span(self, span_id: int) -> None:
        self.before.setdefault("spans", {})[str(span_id)] = None
        self._note("spans", span_id)

    def _note(self, table: str, key) -> None:
        if table == "claims":
            self.result.claims.add(str(key))
        elif table == "spans":
            self.result.spans.add(int(key))
        elif table in ("kb_entities", "kb_aliases"):
            self.result.kb = True
        elif table == "document_progress":
            self.result.progress = True
        elif table == Store.PUBLISHED:
            self.result.published = True

    def after(self) -> dict:
        return {table: {key: self.store.row_snapshot(table, key) for key in rows} for table, rows in self.before.items()}


def _row_name(table: str, key: str) -> str:
    """A row of the audit log in the curator's words: span 12, the alias “Millet” of xiaomi."""
    parts = key.split(KEY_SEP)
    return {"spans": lambda: f"span {key}", "claims": lambda: f"claim {key[:8]}",
            "document_progress": lambda: "the article's done mark",
            Store.PUBLISHED: lambda: "the article's publication date",
            "kb_entities": lambda: f"the canonical entity {key}",
            "kb_aliases": lambda: f"the alias “{parts[0]}” of {parts[-1]}"}[table]()


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or the line) around a stretch of text, for a claim's evidence: it ends at a
    full stop before a space, at one machine translation glued to the next sentence ("2020.Last
    month"), or at a line break."""
    left = 0
    for found in SENTENCE_END.finditer(text, 0, start):
        left = found.end()
    found = SENTENCE_END.search(text, end)
    right = (found.start() if found.group() == "\n" else found.end()) if found else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def _same_value(a: dict, b: dict) -> bool:
    """The same slot value: the same place in the text, or, typed, the same words."""
    if a.get("start") is not None or b.get("start") is not None:
        return (a.get("start"), a.get("end")) == (b.get("start"), b.get("end"))
    return a.get("text", "").strip().lower() == b.get("text", "").strip().lower()


def _nearest_occurrence(text: str, needle: str, near: int) -> tuple[int, int] | None:
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    if not starts:
        return None
    best = min(starts, key=lambda s: abs(s - near))
    return best, best + len(needle)


@dataclass
class Occurrences:
    """Where labelling a mention everywhere would label: per article, the places and the span the
    curator sees at each (None: a new span)."""

    mention: str
    label: str
    kb_id: str | None
    canonical: str | None
    plans: dict[int, list[tuple[int, int, dict | None]]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(plan) for plan in self.plans.values())


def whole_word_places(text: str, mention: str, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Every place a mention occurs in a text as whole words, with its case ("Apple", not "apple")
    unless told to ignore it."""
    if not mention.strip():
        return []
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", text, re.IGNORECASE if ignore_case else 0)]


def _label_words(span: dict) -> str:
    return f"{span['label']}, linked to {span['kb_id']}" if span.get("kb_id") else span["label"]
