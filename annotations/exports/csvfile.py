"""CSV export: one row per claim, a pair of columns per slot (its text and its normalised value).

Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage return as a formula, so
such a cell is written with a leading apostrophe (OWASP's advice), except a plain number such as
-9.6, which a spreadsheet reads as the number it is. Multiple values of a slot are joined by " | ".
Offsets (document, evidence and slot start/end) are character offsets into the document text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from annotations.model import as_list
from annotations.schema import ClaimSchema

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _value_text(value: dict) -> str:
    if value.get("kb_id"):
        return value["kb_id"]
    normal = value.get("value") or {}
    if normal.get("value") is None:
        return ""
    extra = [normal[k] for k in ("currency", "qualifier") if normal.get(k) and normal[k] != "exact"]
    return " ".join(str(x) for x in [normal["value"], *extra])


class CsvWriter:
    def __init__(self, out: Path, schema: ClaimSchema, types: tuple[str, ...] | None = None):
        self.out = Path(out)
        names: list[str] = []
        for claim_type in schema.claim_types.values():
            if types is None or claim_type.name in types:
                names += [n for n in claim_type.slots if n not in names]
        self.slot_names = names

    def header(self) -> list[str]:
        fixed = ["document", "sha256", "claim_id", "type", "status", "annotator", "origin", "confidence",
                 "evidence_start", "evidence_end", "evidence", "note"]
        return fixed + [f"{name}{part}" for name in self.slot_names for part in ("", "_value", "_start", "_end")]

    def write(self, records: Iterable[dict]) -> int:
        count = 0
        with self.out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.header())
            for record in records:
                for claim in record["claims"]:
                    writer.writerow([safe_cell(cell) for cell in self.row(record, claim)])
                count += 1
        return count

    def row(self, record: dict, claim: dict) -> list:
        evidence = claim.get("evidence") or {}
        cells = [record["name"], record["sha256"], claim["id"], claim["type"], claim["status"], claim["annotator"],
                 claim["origin"], claim.get("confidence"), evidence.get("start"), evidence.get("end"),
                 evidence.get("text"), claim.get("note")]
        for name in self.slot_names:
            values = as_list(claim["slots"].get(name) or [])
            cells += [" | ".join(v.get("text", "") for v in values), " | ".join(_value_text(v) for v in values),
                      " | ".join(str(v.get("start")) for v in values if v.get("start") is not None),
                      " | ".join(str(v.get("end")) for v in values if v.get("end") is not None)]
        return cells
