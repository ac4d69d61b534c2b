"""What the LLM recommender costs apart from the model: a stub OpenAI-compatible server on
127.0.0.1 answers at once, so the time is Claimdesk's own (prompt, HTTP, checking the answer,
grounding, storing) and what is sent is measured exactly. Run by hand:

    .venv/bin/python bench/llm_stub.py [--rounds 3]

The stub answers each piece with the claim a model would give for its first sentence holding a
percentage (its first name as the subject), so grounding has work to do. The seeds and the
development articles are the articles; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.corpus import corpus_documents  # noqa: E402
from annotations.ingest import import_paths  # noqa: E402
from annotations.llm import Recommender, recommend  # noqa: E402
from annotations.settings import SEEDS_DIR, LLMSettings, load_settings  # noqa: E402
from annotations.store import Store  # noqa: E402

SENT = {"requests": 0, "bytes": 0, "system": 0, "user": 0}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        body = json.loads(raw)
        SENT["requests"] += 1
        SENT["bytes"] += len(raw)
        SENT["system"] += len(body["messages"][0]["content"])
        SENT["user"] += len(body["messages"][1]["content"])
        article = body["messages"][1]["content"].split("\n\n", 1)[-1]
        claims = []
        for sentence in re.split(r"(?<=[.!?])\s+", article):
            share, name = re.search(r"\d+(?:\.\d+)?%", sentence), re.search(r"\b[A-Z][a-z]+\b", sentence)
            if share and name:
                claims.append({"type": "market_share", "evidence": sentence, "confidence": 0.8,
                               "slots": {"subject": name.group(), "share": share.group()}})
                break
        content = json.dumps({"claims": claims})
        data = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                        "finish_reason": "stop"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    llm = LLMSettings(url=f"http://127.0.0.1:{server.server_address[1]}/v1", model="stub")
    best_first, best_cached = float("inf"), float("inf")
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "w.db") as store:
            import_paths(store, [SEEDS_DIR])
            store.add_documents(corpus_documents(ROOT / "tests" / "data" / "realnews" / "dev"))
            recommender = Recommender.from_settings(llm, load_settings(store.path), store)
            articles = len(store.document_ids())
            SENT.update(requests=0, bytes=0, system=0, user=0)
            started = time.perf_counter()
            first = recommend(store, recommender)
            best_first = min(best_first, time.perf_counter() - started)
            sent = dict(SENT)
            started = time.perf_counter()
            recommend(store, recommender, force=True)  # every answer from the cache, grounded and stored again
            best_cached = min(best_cached, time.perf_counter() - started)
    server.shutdown()
    print(f"{articles} articles, {sent['requests']} requests ({sent['requests'] / articles:.2f} an article), "
          f"{first['suggested']} claims suggested, {first['not_suggested']} not suggested")
    print(f"sent per request: system prompt {sent['system'] / sent['requests']:,.0f} characters, article piece "
          f"{sent['user'] / sent['requests']:,.0f} characters, request body {sent['bytes'] / sent['requests']:,.0f} bytes "
          f"(about {(sent['system'] + sent['user']) / sent['requests'] / 4:,.0f} tokens at 4 characters a token)")
    print(f"Claimdesk's own time, best of {args.rounds}: {best_first / articles * 1000:.1f} ms an article asking the stub, "
          f"{best_cached / articles * 1000:.1f} ms an article from the cache")
    return 0


if __name__ == "__main__":
    sys.exit(main())
