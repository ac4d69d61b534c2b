"""Claim suggestions against a gold facts file, article by article: what was missed, what was wrong.

Run by hand on a development set only (never on a test set: once you have read its output, it is
development data):

    .venv/bin/python bench/suggestions.py tests/data/realnews/dev
    .venv/bin/python bench/suggestions.py tests/data/realnews/dev --doc b07_ryanair_q3

It imports the folder's articles (with the publication dates of its published.json) into a
temporary workspace, pre-annotates them and prints the figures `evaluate` prints, then for each
article the gold facts no suggestion matched and the suggestions that matched nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.corpus import load_corpus
from annotations.evaluate import as_fact, match_suggestions, score


def show(fact) -> str:
    parts = []
    for name, values in fact.slots.items():
        shown = []
        for v in values:
            if isinstance(v, frozenset):
                shown.append("/".join(sorted(v)))
            elif isinstance(v, dict):
                shown.append(f"{v.get('value')}{' ' + v['currency'] if v.get('currency') else ''}")
            else:
                shown.append(str(v))
        parts.append(f"{name}={'+'.join(shown)}")
    return f"{fact.type}({', '.join(parts)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--doc", help="only this article")
    parser.add_argument("--strict", action="store_true", help="list what strict scoring misses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(args.folder, Path(tmp) / "corpus.db")
        gold = [g for g in corpus.gold if not args.doc or g.doc == args.doc]
        suggested = [as_fact(name, c, corpus.schema) for name, c in corpus.suggestions() if not args.doc or name == args.doc]
        for strict in (False, True):
            figures = score(gold, suggested, corpus.schema, strict)["overall"]
            print(f"{'strict' if strict else 'lenient'}: P {figures['precision']:.2f} R {figures['recall']:.2f} "
                  f"({figures['tp']} right, {figures['fp']} wrong, {figures['fn']} missed)")
        judged, missed = match_suggestions(gold, suggested, corpus.schema, args.strict)
        for doc in sorted({g.doc for g in gold}):
            print(f"\n== {doc}")
            for g in (g for g in missed if g.doc == doc):
                print(f"  MISSED {show(g)}")
            for fact, right in judged:
                if fact.doc == doc and not right:
                    print(f"  WRONG  {show(fact)} [{fact.confidence}]")


if __name__ == "__main__":
    main()
