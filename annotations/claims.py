"""What a claim is, independent of where it is stored: its identity for de-duplication."""

from __future__ import annotations

import json

from annotations.model import Claim, accepted_kinds
from annotations.schema import ClaimSchema


def claim_signature(claim: Claim) -> tuple:
    """What makes two claims the same claim: type, and each slot's position and value."""
    def key(value: dict) -> tuple:
        normal = value.get("value")
        return (value.get("start"), value.get("end"), value.get("kb_id"),
                json.dumps(normal, sort_keys=True) if normal is not None else None)

    return (claim["type"], tuple(sorted((slot, tuple(key(v) for v in values)) for slot, values in claim["slots"].items())))


def claim_problems(schema: ClaimSchema, claim: Claim) -> list[str]:
    """What keeps a claim from being confirmed: missing required slots, values of the wrong kind or label."""
    claim_type = schema.claim_types.get(claim["type"])
    if claim_type is None:
        return [f"{claim['type']} is not a claim type of the schema"]
    problems = [f"{name} is not a slot of {claim['type']}" for name in claim["slots"] if name not in claim_type.slots]
    for slot in claim_type.slots.values():
        values = claim["slots"].get(slot.name) or []
        if slot.required and not values:
            problems.append(f"{slot.name} is missing")
        if len(values) > 1 and not slot.multiple:
            problems.append(f"{slot.name} holds {len(values)} values, and takes one")
        for value in values:
            problem = _value_problem(slot, value)
            if problem:
                problems.append(f"{slot.name}: {problem}")
    return problems


def _value_problem(slot, value: dict) -> str | None:
    text = value.get("text", "")
    if slot.kind == "entity":
        label = value.get("label")
        return None if label and slot.accepts_label(label) else f"{text!r} is a {label or 'plain text'}, not {' or '.join(slot.labels)}"
    if slot.kind == "text":
        return None if text.strip() else "empty"
    normal = value.get("value") or {}
    if slot.kind == "choice":
        return None if normal.get("value") in slot.choices else f"{text!r} is none of {', '.join(slot.choices)}"
    if normal.get("kind") not in accepted_kinds(slot.kind) or normal.get("value") is None:
        return f"{text!r} is not a {slot.kind}"
    return None
