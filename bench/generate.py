"""A synthetic workspace: N news-like articles with entity spans and claims, written straight into
a database (no pipeline), for the scale benchmarks.

Run by hand: .venv/bin/python bench/generate.py --db /tmp/big.db --articles 100000
Articles are 80 to 1,500 words (most near 200), with one of 50,000 words per 20,000; about ten claims per article
(so 100,000 articles hold about a million), each with its slots pointing at spans of the text.
Seeded, so the same command makes the same workspace.
"""

import argparse
import hashlib
import json
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.store import Store, now

COMPANIES = ["Xiaomi", "Samsung", "Apple", "Oppo", "Vivo", "Realme", "Huawei", "Lenovo", "Tencent", "ByteDance",
             "Alibaba", "Spotify", "Uber", "BYD", "Tesla", "Nvidia", "Sony", "Netflix", "Meituan", "Flipkart"]
MARKETS = ["India", "China", "Japan", "Brazil", "Indonesia", "Germany", "Kenya", "Vietnam", "Mexico", "Turkey"]
SOURCES = ["Canalys", "IDC", "Counterpoint", "Strategy Analytics", "Gartner"]
FILLER = ("The company said demand stayed strong across its main product lines and that it expects "
          "further growth as new models reach stores in the coming months .").split()


class Article:
    """Builds a text piece by piece, remembering where each entity and value went."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict] = []

    def add(self, text: str, label: str | None = None) -> dict | None:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if label is None:
            return None
        span = {"start": start, "end": start + len(text), "text": text, "label": label}
        self.spans.append(span)
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def market_share_sentence(article: Article, rng: random.Random) -> dict:
    start = article.length
    subject = article.add(rng.choice(COMPANIES), "ORG")
    article.add(" held a market share of ")
    share = rng.choice([round(rng.uniform(1, 45), 1)])
    share_span = article.add(f"{share}%", "PERCENT")
    article.add(" in ")
    market = article.add(rng.choice(MARKETS), "GPE")
    article.add(" in the second quarter, according to ")
    source = article.add(rng.choice(SOURCES), "ORG")
    article.add(". ")
    slots = {"subject": [subject], "share": [{**share_span, "value": {"kind": "percent", "value": share, "qualifier": "exact"}}],
             "market": [market], "source": [source]}
    return {"type": "market_share", "evidence": (start, article.length - 1), "slots": slots}


def shipments_sentence(article: Article, rng: random.Random) -> dict:
    start = article.length
    subject = article.add(rng.choice(COMPANIES), "ORG")
    article.add(" shipped ")
    units = round(rng.uniform(0.5, 60), 1)
    units_span = article.add(f"{units} million", "CARDINAL")
    article.add(" phones in ")
    market = article.add(rng.choice(MARKETS), "GPE")
    article.add(". ")
    slots = {"subject": [subject], "units": [{**units_span, "value": {"kind": "count", "value": int(units * 1e6), "qualifier": "exact"}}],
             "market": [market]}
    return {"type": "shipments", "evidence": (start, article.length - 1), "slots": slots}


def make_article(n: int, rng: random.Random, words: int) -> tuple[str, str, list[dict], list[dict]]:
    article = Article()
    title = f"{rng.choice(COMPANIES)} and {rng.choice(COMPANIES)} in {rng.choice(MARKETS)}: report {n}"
    article.add(title + "\n\n")
    claims, written = [], 0
    while written < words:
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.55 and len(claims) < 14:
                claims.append(rng.choice([market_share_sentence, shipments_sentence])(article, rng))
            else:
                article.add(" ".join(FILLER[: rng.randint(8, len(FILLER))]) + " ")
        article.add("\n\n")
        written = article.length // 6
    return title, article.text, article.spans, claims


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started, stamp = time.perf_counter(), now()
    totals = {"articles": 0, "spans": 0, "claims": 0, "words": 0}
    with Store(args.db) as store:
        schema_hash = None
        batch_docs, batch_spans, batch_claims, batch_slots = [], [], [], []

        def flush():
            # plain executemany: sqlite-utils' insert_all checks every value's type, which is most of the time here
            with store.write():
                for table, rows in (("documents", batch_docs), ("spans", batch_spans), ("claims", batch_claims),
                                    ("claim_slots", batch_slots)):
                    if rows:
                        columns = list(rows[0])
                        store.db.conn.executemany(
                            f"INSERT INTO {table} ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})",
                            [tuple(row[c] for c in columns) for row in rows])
            for batch in (batch_docs, batch_spans, batch_claims, batch_slots):
                batch.clear()

        first_id = (store.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]) + 1
        for n in range(args.articles):
            words = 50_000 if n % 20_000 == 19_999 else int(rng.lognormvariate(5.2, 0.5)) % 1500 + 80
            title, text, spans, claims = make_article(n, rng, words)
            doc_id = first_id + n
            batch_docs.append({"id": doc_id, "name": f"synthetic_{n:06d}", "title": title, "text": text,
                               "sha256": hashlib.sha256(text.encode()).hexdigest(), "lang": "en", "meta": "{}",
                               "published": "2024-07-15", "source": "bench/generate.py", "imported_at": stamp})
            batch_spans += [{"doc_id": doc_id, "start": s["start"], "end": s["end"], "label": s["label"], "kb_id": None,
                             "origin": "model", "status": "suggested", "annotator": "model", "schema_hash": schema_hash,
                             "created_at": stamp, "updated_at": stamp} for s in spans]
            for claim in claims:
                claim_id = uuid.UUID(int=rng.getrandbits(128)).hex
                batch_claims.append({"id": claim_id, "doc_id": doc_id, "type": claim["type"], "origin": "model", "status": "suggested",
                                     "annotator": "model", "based_on": None, "evidence_start": claim["evidence"][0],
                                     "evidence_end": claim["evidence"][1], "confidence": 0.8, "note": None,
                                     "schema_hash": schema_hash, "created_at": stamp, "updated_at": stamp})
                for slot, values in claim["slots"].items():
                    for position, value in enumerate(values):
                        batch_slots.append({"claim_id": claim_id, "slot": slot, "position": position, "start": value["start"],
                                            "end": value["end"], "text": value["text"], "label": value.get("label") if "value" not in value else None,
                                            "kb_id": None, "value": json.dumps(value["value"]) if "value" in value else None})
            totals["articles"] += 1
            totals["spans"] += len(spans)
            totals["claims"] += len(claims)
            totals["words"] += len(text.split())
            if len(batch_docs) >= 2000:
                flush()
                print(f"\r{totals['articles']:,} articles", end="", file=sys.stderr)
        flush()
    elapsed = time.perf_counter() - started
    print(f"\n{totals['articles']:,} articles, {totals['words']:,} words, {totals['spans']:,} spans, "
          f"{totals['claims']:,} claims in {elapsed:.0f} s -> {args.db}")


if __name__ == "__main__":
    main()
