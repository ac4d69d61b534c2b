"""Review: the curators' versions of each claim and span side by side, resolved into gold.

On an article that two or more curators finished, their claims are grouped: decisions on the same
suggestion form one group, and claims they added are grouped by type and required slots. A group
on which every curator agrees (same slots, none rejected) becomes gold automatically, as one
undoable action. For the others the reviewer picks a curator's version, or a single slot from
one, edits, or rejects, with an optional note. Gold rows are the reviewer's own, `based_on` the
curator version they came from, so the curators' versions stay as they were. Spans likewise, by
position. All actions are Curation actions (one transaction, one audit entry, undo and redo).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from annotations.claims import claim_signature
from annotations.curation import Change, Curation
from annotations.errors import InvalidAction
from annotations.evaluate import claim_as_fact
from annotations.model import CURATOR_STATUSES, DECIDED_STATUSES, MODEL_ANNOTATOR, Claim, SlotValue, Status
from annotations.store import now


@dataclass
class ClaimGroup:
    """One claim as each curator has it (None: that curator does not have it)."""

    type: str
    versions: dict[str, Claim | None]
    gold: Claim | None = None  # the reviewer's gold (or rejected) row for the group
    slots: list[str] = field(default_factory=list)  # the type's slots, in schema order

    @property
    def agreed(self) -> bool:
        present = list(self.versions.values())
        return all(present) and len({claim_signature(v) for v in present}) == 1 and \
            len({v["status"] == Status.REJECTED for v in present}) == 1

    @property
    def rejected_by_all(self) -> bool:
        return self.agreed and next(iter(self.versions.values()))["status"] == Status.REJECTED

    def differing_slots(self) -> list[str]:
        """The slots whose values the curators' versions do not share."""
        def values(version, slot):
            if version is None or version["status"] == Status.REJECTED:
                return None
            return tuple(sorted(claim_signature({"type": "", "slots": {slot: version["slots"].get(slot, [])}})[1]))
        return [s for s in self.slots if len({values(v, s) for v in self.versions.values()}) > 1]

    def first_version(self) -> Claim:
        """The first curator's version that is not a rejection, else the first version."""
        present = [v for v in self.versions.values() if v]
        return next((v for v in present if v["status"] != Status.REJECTED), present[0])


@dataclass
class SpanGroup:
    start: int
    end: int
    labels: dict[str, str | None]  # curator -> label, Status.REJECTED, or None (not marked)
    spans: dict[str, dict]
    gold: dict | None = None

    @property
    def agreed(self) -> bool:
        return len(set(self.labels.values())) == 1 and None not in self.labels.values()


class Review(Curation):
    """A reviewer's work: everything a curator can do, plus resolving groups into gold."""

    def documents(self) -> list[int]:
        """Articles two or more curators (not this reviewer) finished."""
        return self.store.documents_to_review(self.annotator)

    def next_to_review(self, after: int) -> int | None:
        """The next article to review (in list order, wrapping round) this reviewer has not marked done."""
        return self.store.next_to_review(self.annotator, after)

    def curators_of(self, doc_id: int) -> list[str]:
        return [name for name in self.store.finished_by(doc_id) if name not in (MODEL_ANNOTATOR, self.annotator)]

    def _untouched_spans(self, doc_id: int) -> list[dict]:
        """A reviewed article's gold is what the reviewer resolved: the model's spans nobody
        decided on are not copied into it (a curator's done accepts them for that curator)."""
        return []

    # -- claims ----------------------------------------------------------------------------------

    def claim_groups(self, doc_id: int) -> list[ClaimGroup]:
        names = self.curators_of(doc_id)
        groups: dict[tuple, ClaimGroup] = {}
        by_version: dict[str, ClaimGroup] = {}
        for name in names:
            for claim in self.store.claims_of(doc_id, CURATOR_STATUSES, name):
                key = ("suggestion", claim["based_on"]) if claim["based_on"] else ("added", *self._identity(claim))
                while key in groups and groups[key].versions.get(name) is not None:
                    key = (*key, "again")  # the same curator twice: a group of its own
                if key not in groups:
                    groups[key] = ClaimGroup(claim["type"], dict.fromkeys(names), slots=list(self.schema.claim_types[claim["type"]].slots))
                groups[key].versions[name] = {**self._named(claim), "doc_id": doc_id}
                by_version[claim["id"]] = groups[key]
        for mine in self.store.claims_of(doc_id, annotator=self.annotator):
            if mine["based_on"] in by_version:
                by_version[mine["based_on"]].gold = {**mine, "doc_id": doc_id}
        return sorted(groups.values(), key=lambda g: (g.agreed, (g.first_version().get("evidence") or {}).get("start") or 0))

    def _identity(self, claim: dict) -> tuple:
        fact = claim_as_fact("", claim, self.schema)
        required = self.schema.claim_types[claim["type"]].required_slots
        return (claim["type"], *(str(fact["slots"].get(name)).lower() for name in required))

    def auto_gold(self, doc_id: int) -> Change | None:
        """Every group all curators agree on and that has no gold yet becomes gold (one undoable action)."""
        agreed = [g for g in self.claim_groups(doc_id) if g.agreed and not g.rejected_by_all and g.gold is None]
        spans = [g for g in self.span_groups(doc_id) if g.agreed and g.gold is None and Status.REJECTED not in g.labels.values()]
        if not agreed and not spans:
            return None
        with self._recorded("agreed into gold", doc_id) as change:
            for group in agreed:
                self._insert_gold(group.first_version(), group.first_version()["slots"], change, note="agreed")
            for group in spans:
                self._insert_gold_span(next(iter(group.spans.values())), change)
        return change.result

    def pick_version(self, group: ClaimGroup, curator: str, note: str | None = None) -> Change:
        version = group.versions.get(curator)
        if version is None:
            raise InvalidAction(f"{curator} has no version of this claim")
        if version["status"] == Status.REJECTED:
            return self.reject_group(group, note or f"as {curator}")
        with self._recorded("pick version", version["doc_id"]) as change:
            self._drop_gold(group, change)
            self._insert_gold(version, version["slots"], change, note)
        return change.result

    def pick_slot(self, group: ClaimGroup, slot: str, curator: str) -> Change:
        """Take one slot from a curator's version into the gold (made from the first version if none yet)."""
        version = group.versions.get(curator)
        if version is None or version["status"] == Status.REJECTED:
            raise InvalidAction(f"{curator} has no {slot} for this claim")
        gold = group.gold if group.gold and group.gold["status"] == Status.GOLD else None
        source = _source(group, gold) if gold else group.first_version()
        slots = dict((gold or source)["slots"])
        if version["slots"].get(slot):
            slots[slot] = version["slots"][slot]
        else:
            slots.pop(slot, None)
        with self._recorded("pick slot", version["doc_id"]) as change:
            self._drop_gold(group, change)
            self._insert_gold(source, slots, change, gold.get("note") if gold else None)
        return change.result

    def reject_group(self, group: ClaimGroup, note: str | None = None) -> Change:
        version = next(v for v in group.versions.values() if v)
        with self._recorded("reject claim", version["doc_id"]) as change:
            self._drop_gold(group, change)
            self._insert_gold(version, version["slots"], change, note, status=Status.REJECTED)
        return change.result

    def set_note(self, claim_id: str, note: str) -> Change:
        claim = self._claim(claim_id)
        with self._recorded("note", claim["doc_id"]) as change:
            change.touch_claim(claim_id)
            self.store.update_claim(claim_id, note=note.strip() or None)
        return change.result

    def _insert_gold(self, version: Claim, slots: dict[str, list[SlotValue]], change, note: str | None = None,
                     status: Status = Status.GOLD) -> None:
        claim_id = uuid.uuid4().hex
        change.create_claim(claim_id)
        self.store.insert_claims([{**version, "id": claim_id, "status": status, "annotator": self.annotator,
                                   "based_on": version["id"], "slots": slots, "note": note,
                                   "schema_hash": self.schema.hash, "created_at": now(), "updated_at": now()}], now())

    def _drop_gold(self, group: ClaimGroup, change) -> None:
        if group.gold:
            change.touch_claim(group.gold["id"])
            self.store.delete_claim(group.gold["id"])

    # -- spans -----------------------------------------------------------------------------------

    def span_groups(self, doc_id: int) -> list[SpanGroup]:
        names = self.curators_of(doc_id)
        groups: dict[tuple[int, int], SpanGroup] = {}
        for name in names:
            for span in self.store.spans_of(doc_id, CURATOR_STATUSES, name):
                group = groups.setdefault((span["start"], span["end"]),
                                          SpanGroup(span["start"], span["end"], dict.fromkeys(names), {}))
                group.labels[name] = Status.REJECTED if span["status"] == Status.REJECTED else span["label"]
                group.spans[name] = span
        for mine in self.store.spans_of(doc_id, annotator=self.annotator):
            if (mine["start"], mine["end"]) in groups:
                groups[(mine["start"], mine["end"])].gold = mine
        return sorted(groups.values(), key=lambda g: (g.agreed, g.start))

    def pick_span_label(self, group: SpanGroup, curator: str) -> Change:
        span = group.spans.get(curator)
        if span is None:
            raise InvalidAction(f"{curator} did not mark this span")
        with self._recorded("pick span", self._span(span["id"])["doc_id"]) as change:
            if group.gold:
                change.touch("spans", group.gold["id"])
                self.store.delete_span(group.gold["id"])
            self._insert_gold_span(span, change, status=Status.REJECTED if group.labels[curator] == Status.REJECTED else Status.GOLD)
        return change.result

    def _insert_gold_span(self, span: dict, change, status: Status = Status.GOLD) -> None:
        full = self._span(span["id"])
        row = self._span_row(full["doc_id"], full["start"], full["end"], full["label"], full["kb_id"], full["origin"], status)
        change.create_span(self.store.insert_span({**row, "based_on": full["id"]}))


def _source(group: ClaimGroup, gold: Claim) -> Claim:
    """The curator version a gold row was made from."""
    return next((v for v in group.versions.values() if v and v["id"] == gold["based_on"]), group.first_version())


def cross_document_conflicts(store, schema, stop: Callable[[], bool] | None = None) -> list[dict]:
    """Claims about the same fact (the same type and the same values in the slots its `identity`
    in claims.yaml names) whose numbers differ between articles, each with its evidence sentence;
    the claims of a conflict in order of value. A conflict is {"type", "identity": {slot: value},
    "claims"}. `stop` is asked between documents; when it says so, nothing is returned."""
    seen: dict[tuple, list[dict]] = {}
    for name, claims in store.decided_claims(DECIDED_STATUSES):
        if stop and stop():
            return []
        for claim in claims:
            claim_type = schema.claim_types.get(claim["type"])
            if claim_type is None or not claim_type.identity or claim_type.anchor_slot is None:
                continue
            anchor = claim_type.anchor_slot
            fact = claim_as_fact(name, claim, schema)["slots"]
            if fact.get(anchor.name) is None:
                continue
            key = (claim["type"], *(_hashable(fact.get(slot)) for slot in claim_type.identity))
            seen.setdefault(key, []).append({"doc": name, "value": fact[anchor.name], "claim_id": claim["id"], "annotator": claim["annotator"]})
    conflicts = []
    for (claim_type, *identity), found in seen.items():
        docs = {f["doc"] for f in found}
        values = {round(float(f["value"]), 6) for f in found}
        if len(docs) > 1 and len(values) > 1:
            found.sort(key=lambda f: (float(f["value"]), f["doc"]))
            names = schema.claim_types[claim_type].identity
            conflicts.append({"type": claim_type, "identity": dict(zip(names, identity)), "claims": found})
    evidence = store.evidence_texts([f["claim_id"] for conflict in conflicts for f in conflict["claims"]])
    for conflict in conflicts:
        for f in conflict["claims"]:
            f["evidence"] = evidence[f["claim_id"]]
    return conflicts


def _hashable(value):
    """A slot's plain value as part of a key: a slot taking several values (a list) as a tuple."""
    return tuple(value) if isinstance(value, list) else value
