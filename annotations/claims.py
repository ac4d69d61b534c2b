"""What a claim is, independent of where it is stored: its identity for de-duplication."""

from __future__ import annotations

import json


def claim_signature(claim: dict) -> tuple:
    """What makes two claims the same claim: type, and each slot's position and value."""
    def key(value: dict) -> tuple:
        normal = value.get("value")
        return (value.get("start"), value.get("end"), value.get("kb_id"),
                json.dumps(normal, sort_keys=True) if normal is not None else None)

    return (claim["type"], tuple(sorted((slot, tuple(key(v) for v in (values if isinstance(values, list) else [values])))
                                        for slot, values in claim["slots"].items())))
