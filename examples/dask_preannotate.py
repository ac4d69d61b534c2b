"""Pre-annotate a large corpus on many cores, or many machines, with Dask; then import the result.

    python examples/dask_preannotate.py 'corpus/*.jsonl' out/ [--workers 2] [--blocksize 4MB]
    python main.py import-annotations --db team.db out/*.jsonl

The input is JSONL as `import` reads it ({"text": ..., "meta": {...}} per line). Each partition is
pre-annotated by `bundle_records`, the same pure function `preannotate-file` runs, and written as
an export-format bundle. This uses dask.bag's local process scheduler; pointed at a
dask.distributed Client (`Client("tcp://scheduler:8786")`) the same code runs on a cluster.
Each worker process loads the spaCy model once.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@lru_cache(maxsize=1)
def preannotator():
    from annotations.nlp.preannotate import Preannotator
    from annotations.settings import load_settings

    return Preannotator.from_settings(load_settings())


def annotate_partition(lines: list[str]) -> list[str]:
    """JSONL lines of texts in, JSONL lines of bundle records out (bad lines are skipped and named)."""
    from annotations.errors import InputRefused
    from annotations.ingest import make_document
    from annotations.nlp.preannotate import bundle_records

    documents = []
    for line in lines:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            meta = item.get("meta") or {}
            documents.append(make_document(item["text"], str(meta.get("name") or ""), "dask", meta))
        except (ValueError, KeyError, TypeError, InputRefused) as e:
            print(f"skipped a line: {e}", file=sys.stderr)
    for document in documents:
        document["name"] = document["name"] or document["sha256"][:16]
    return [json.dumps(record, ensure_ascii=False) for record in bundle_records(preannotator(), documents)]


def run(source: str, out: str, workers: int = 2, blocksize: str | int = "4MB") -> list[str]:
    import dask.bag as db

    Path(out).mkdir(parents=True, exist_ok=True)
    bag = db.read_text(source, blocksize=blocksize).map_partitions(annotate_partition)
    return bag.to_textfiles(str(Path(out) / "*.jsonl"), compute=True,
                            compute_kwargs={"scheduler": "processes", "num_workers": workers})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="JSONL file(s), a glob allowed")
    parser.add_argument("out", help="folder for the bundles")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blocksize", default="4MB")
    args = parser.parse_args()
    written = run(args.source, args.out, args.workers, args.blocksize)
    print(f"wrote {len(written)} bundles to {args.out}")
