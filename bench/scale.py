"""Scale figures on a big workspace (make one with bench/generate.py first).

Run by hand: .venv/bin/python bench/scale.py --db /tmp/big.db
Prints, each measured in a fresh process so that memory and start-up are honest:
- time until the window shows the article list: a whole `main.py gui --screenshot` process, from
  spawning the interpreter to its exit after the PNG is written (an upper bound), median of five;
  and inside a process from its first line, with the window's peak memory
- search latency (first page of results) for common, rare and prefix words
- article switch median and p95 over random articles
- JSONL export: claims per second, and the export process's peak memory
- import: documents per second against sqlite-utils insert_all of the same rows (a ratio)
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def window(db: str) -> None:
    """In its own process: open the window on the workspace, then switch between random articles."""
    started = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from annotations.curation import Curation
    from annotations.settings import load_settings
    from annotations.store import ArticleQuery, Store
    from gui.main_window import MainWindow

    app = QApplication([])
    store = Store(db)
    win = MainWindow(store, Curation.open(load_settings(db), store, "bench"))
    win.show()
    app.processEvents()
    shown = time.perf_counter() - started
    rows = win.documents.rowCount()
    total = store.count_documents()
    rng = random.Random(1)
    switches = []
    for doc_id in rng.sample(range(1, total + 1), 40):
        t = time.perf_counter()
        win._show_article(doc_id)
        win.article_view.viewport().repaint()
        app.processEvents()
        switches.append(time.perf_counter() - t)
    searches = {}
    for words in ("Xiaomi", "Spotify Kenya", "report 99999", "Realm", "nothing-like-this"):
        t = time.perf_counter()
        found = store.list_documents("bench", query=ArticleQuery(words=words), limit=200)
        searches[words] = (time.perf_counter() - t, len(found))
    print(json.dumps({"shown": shown, "rows": rows, "total": total, "switches": switches, "searches": searches, "peak_mb": peak_mb()}))


def export(db: str) -> None:
    started = time.perf_counter()
    from annotations.cli import build_parser, run

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "all.jsonl"
        run(build_parser().parse_args(["export", "--db", db, "--status", "all", "--out", str(out)]))
        elapsed = time.perf_counter() - started
        size = out.stat().st_size
    from annotations.store import Store

    with Store(db) as store:
        claims = store.db.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(json.dumps({"seconds": elapsed, "claims": claims, "bytes": size, "peak_mb": peak_mb()}))


def importing(n: int) -> None:
    from annotations.ingest import import_paths, make_document
    from annotations.store import Store, now

    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "texts.jsonl"
        texts = [" ".join(rng.choice(["Xiaomi", "shipped", "phones", "in", "India", "10.2", "million", "said"]) for _ in range(300))
                 + f" ({i})" for i in range(n)]
        source.write_text("".join(json.dumps({"text": t, "meta": {"name": f"t{i}"}}) + "\n" for i, t in enumerate(texts)))
        figures = {}
        for lang in ("en", "auto"):
            with Store(Path(tmp) / f"ours-{lang}.db") as store:
                t = time.perf_counter()
                import_paths(store, [source], lang=lang)
                figures[f"import --lang {lang}"] = time.perf_counter() - t
        rows = [{**make_document(t, f"t{i}", "bench", lang="en"), "meta": "{}", "imported_at": now()} for i, t in enumerate(texts)]
        with Store(Path(tmp) / "raw.db") as store:
            t = time.perf_counter()
            with store.write():
                store.db["documents"].insert_all(rows, batch_size=500)
            figures["raw insert_all"] = time.perf_counter() - t
    print(json.dumps({"documents": n, **figures}))


def launch(db: str, runs: int = 5) -> list[float]:
    """Seconds for whole `main.py gui --screenshot` processes on the workspace, interpreter start to exit."""
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "main.py", "gui", "--db", db, "--annotator", "bench", "--screenshot", str(Path(tmp) / "list.png")],
                           check=True, capture_output=True, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
            seconds.append(time.perf_counter() - t)
    return sorted(seconds)


def child(kind: str, *args) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--import-documents", type=int, default=5000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        {"window": lambda: window(*rest), "export": lambda: export(*rest), "import": lambda: importing(int(rest[0]))}[kind]()
        return
    w = child("window", args.db)
    ordered = sorted(w["switches"])
    print(f"workspace: {w['total']:,} articles")
    runs = launch(args.db)
    print(f"main.py gui --screenshot, whole process: median {statistics.median(runs) * 1000:.0f} ms "
          f"(fastest {runs[0] * 1000:.0f}, slowest {runs[-1] * 1000:.0f})")
    print(f"window shows the list ({w['rows']} rows read) after {w['shown'] * 1000:.0f} ms; window process peak {w['peak_mb']:.0f} MB")
    print(f"article switch: median {statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f} ms")
    for words, (seconds, found) in w["searches"].items():
        print(f"search {words!r}: {seconds * 1000:.1f} ms ({found} on the first page)")
    e = child("export", args.db)
    print(f"export JSONL: {e['claims']:,} claims in {e['seconds']:.1f} s = {e['claims'] / e['seconds']:,.0f} claims/s "
          f"({e['bytes'] / 1e6:.0f} MB written); export process peak {e['peak_mb']:.0f} MB")
    i = child("import", args.import_documents)
    raw = i["raw insert_all"]
    for key in ("import --lang en", "import --lang auto"):
        print(f"{key}: {i['documents'] / i[key]:,.0f} docs/s, ratio to raw insert_all {raw / i[key]:.2f}")


if __name__ == "__main__":
    main()
