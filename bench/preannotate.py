"""Words per second of `preannotate` against raw `nlp.pipe` of the same model on the same texts.

Run by hand: .venv/bin/python bench/preannotate.py [--copies 20] [--rounds 3]
The seed articles (English ones) are repeated to get a measurable corpus. The two are measured in
alternation and the best round of each is kept, as a 2-core machine's timings wander by 20%.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.ingest import make_document
from annotations.nlp.preannotate import Preannotator, preannotate
from annotations.settings import SEEDS_DIR, load_settings
from annotations.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=1, help="processes for preannotate (raw nlp.pipe always uses one)")
    args = parser.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    texts = [f"{text}\n(copy {i})" for i in range(args.copies) for text in seeds[:4]]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            store.add_documents([make_document(t, f"doc{i}", "bench", lang="en") for i, t in enumerate(texts)])
            annotator = Preannotator.from_settings(load_settings(db), store)
            nlp = annotator.pipeline("en").nlp
            list(nlp.pipe(texts[:8]))  # warm up
            raw, ours = [], []
            for _ in range(args.rounds):
                start = time.perf_counter()
                for _ in nlp.pipe(texts, batch_size=32):
                    pass
                raw.append(time.perf_counter() - start)
                start = time.perf_counter()
                preannotate(store, annotator, batch_size=32, n_process=args.n_process, force=True)
                ours.append(time.perf_counter() - start)
            raw, ours = min(raw), min(ours)
    print(f"{len(texts)} documents, {words} words, model {annotator.pipeline('en').name}")
    print(f"raw nlp.pipe:  {words / raw:8.0f} words/s")
    print(f"preannotate:   {words / ours:8.0f} words/s (--n-process {args.n_process})")
    print(f"ratio:         {raw / ours:8.2f} (bar: 0.80)")


if __name__ == "__main__":
    main()
