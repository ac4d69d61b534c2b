"""CoNLL-2003 style BIO export: one token per line (token, two placeholder columns, tag),
-DOCSTART- between documents, a blank line between sentences.

Tokens and sentences come from spacy.blank(lang) with a sentencizer, tokens split wherever a span's
edge falls inside one, and entities from the same rule as the DocBin export (entities.py,
docbin.entity_doc), so both formats agree on every tag and every entity has exactly its characters.
Whitespace tokens (paragraph breaks) are left out: CoNLL has no way to write them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotations.entities import Dropped
from annotations.exports.docbin import entity_doc


class ConllWriter:
    def __init__(self, out: Path, schema=None, types=None):
        self.out = Path(out)
        self.pipelines: dict = {}
        self.dropped = Dropped()

    def write(self, records: Iterable[dict]) -> int:
        count = 0
        with self.out.open("w", encoding="utf-8") as f:
            for record in records:
                doc = entity_doc(self.pipelines, record, self.dropped, sentences=True)
                f.write("-DOCSTART- -X- -X- O\n\n")
                for sentence in doc.sents:
                    tokens = [t for t in sentence if not t.is_space]
                    if not tokens:
                        continue
                    for token in tokens:
                        tag = "O" if token.ent_iob_ in ("O", "") else f"{token.ent_iob_}-{token.ent_type_}"
                        f.write(f"{token.text} -X- _ {tag}\n")
                    f.write("\n")
                count += 1
        return count
