"""The domain's words, declared once: statuses, origins, the pipeline's annotator name, the shapes
of a claim and a slot value, the slot kinds and the value kinds each accepts, and which spaCy
entity labels hold values.

Everything else refers to these: the tables' CHECK constraints, the export's status list, the
bundle checks, the overlap rule of exports, the GUI's claim marks. A status or origin written as a
string literal in a second module is a bug waiting to happen (docs/design.md, "Vocabulary").
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypedDict

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # Python 3.10: the same behaviour for what Claimdesk uses (str values, str() is the value)
    from enum import Enum

    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return self.value


class Status(StrEnum):
    """Where a span or claim stands. Declared in the order a row usually moves through them."""

    SUGGESTED = "suggested"  # proposed by the pipeline (or an imported tool), nobody decided yet
    ACCEPTED = "accepted"  # a curator confirmed it as suggested, or added it
    CORRECTED = "corrected"  # a curator changed it before confirming
    REJECTED = "rejected"  # a curator (or a reviewer) said it is wrong
    GOLD = "gold"  # a reviewer resolved it: what the dataset says


class Origin(StrEnum):
    """What first proposed a span or claim."""

    MODEL = "model"  # the statistical pipeline
    RULES = "rules"  # value patterns and name rules
    KB = "kb"  # the knowledge base of canonical entities
    CURATOR = "curator"  # a person, in the app
    IMPORT = "import"  # another tool's file
    LLM = "llm"  # a language model asked through annotations/llm.py (allowed since migration m008)


class Progress(StrEnum):
    """Where a curator is with an article. NEW is never stored: it is the absence of a row."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


MODEL_ANNOTATOR = "model"
# The field naming the model an OpenAI-compatible endpoint runs: in the request, the LLM settings
# (llm.yaml, CLAIMDESK_LLM_MODEL) and the model column of an LLM's claims. Not the annotator above.
LLM_MODEL_FIELD = "model"
"""The annotator name of every suggestion; no curator may take it."""

CURATOR_STATUSES = (Status.ACCEPTED, Status.CORRECTED, Status.REJECTED)
"""What a curator's own decision on a claim or span can be (review groups them; agreement counts them)."""

CONFIRMED_STATUSES = (Status.ACCEPTED, Status.CORRECTED, Status.GOLD)
"""A claim someone stands behind."""

DECIDED_STATUSES = (Status.GOLD, Status.ACCEPTED, Status.CORRECTED)
"""A claim decided on and not rejected, as the check across articles reads them."""

PRECEDENCE = (Status.GOLD, Status.CORRECTED, Status.ACCEPTED, Status.SUGGESTED)
"""Which of two overlapping spans an export keeps (the first status listed wins); rejected spans are never kept."""


def check_in(column: str, words: Iterable[StrEnum]) -> str:
    """The SQL CHECK constraint that keeps a column to these words (an enumeration, or some of its members)."""
    return f"CHECK ({column} IN ({', '.join(repr(word.value) for word in words)}))"


# -- slot kinds and value kinds -------------------------------------------------------------------

SLOT_KINDS = ("entity", "percent", "money", "count", "period", "date", "ordinal", "choice", "text")
VALUE_KINDS = frozenset(SLOT_KINDS) - {"entity", "choice", "text"}  # normalised by the value rules
ANCHOR_KINDS = ("percent", "money", "count")  # the numbers a claim can be anchored on

_ALSO_ACCEPTED = {"date": ("period",), "period": ("date",)}


def accepted_kinds(slot_kind: str) -> tuple[str, ...]:
    """The value kinds a slot of this kind takes, its own first: a date slot takes a period ("in
    2019") and a period slot a date ("on 3 May 2019"); every other kind only itself."""
    return (slot_kind, *_ALSO_ACCEPTED.get(slot_kind, ()))


VALUE_LABEL_KINDS: dict[str, str] = {
    "MONEY": "money", "PERCENT": "percent", "CARDINAL": "count", "QUANTITY": "count", "DATE": "period", "ORDINAL": "ordinal",
}
"""The spaCy entity labels that hold a value, with the value kind each holds. Such a span is a
value (a slot's number or period), never a name that can fill an entity slot."""

VALUE_LABELS: dict[str, str] = {
    kind: next(label for label, held in VALUE_LABEL_KINDS.items() if kind in accepted_kinds(held)) for kind in sorted(VALUE_KINDS)
}
"""The label a value found by the rules is highlighted with: the first label holding its kind (a count is CARDINAL, a date DATE)."""


def label_fits_slot(label: str, slot_kind: str) -> bool:
    """Whether a span of this label can give a value to a value slot of this kind."""
    return VALUE_LABEL_KINDS.get(label) in accepted_kinds(slot_kind)


# -- shapes ---------------------------------------------------------------------------------------


class SlotValue(TypedDict, total=False):
    """One value of a slot: where it is in the text (None when typed and not found there), and an
    entity's label and link or a normalised value ({"kind", "value", ...}, docs/design.md)."""

    text: str
    start: int | None
    end: int | None
    label: str
    kb_id: str | None
    canonical: str | None
    value: dict


class Claim(TypedDict, total=False):
    """A claim as the store gives it: every slot holds a list of values, even a single one."""

    id: str
    doc_id: int
    type: str
    status: Status | str
    annotator: str
    origin: Origin | str
    evidence: dict | None
    confidence: float | None
    based_on: str | None
    note: str | None
    slots: dict[str, list[SlotValue]]


def as_list(values: list[SlotValue] | SlotValue) -> list[SlotValue]:
    """A slot as the JSONL contract writes it (one object, or a list for a `multiple` slot) as the
    list of values the core works with. Used where records come in (bundles, facts files) and where
    an exporter reads a line; the core's own claims always hold lists."""
    return values if isinstance(values, list) else [values]
