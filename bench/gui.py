"""Article switch time in the real window, and the time until the window is usable.

Run by hand: .venv/bin/python bench/gui.py [--switches 40]
Offscreen unless QT_QPA_PLATFORM says otherwise. A switch is showing another article with its
highlights and claims, including the paint. The large article is generated: 50,000 words with
5,000 highlighted spans. Bars (the product's quality bars): median 50 ms for a seed article, 300 ms for the large
one; usable within 1.5 s of launch.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def large_article(words: int = 50_000, spans: int = 5_000) -> tuple[str, list[dict]]:
    """A long article in paragraphs of about 100 words, with `spans` entity spans spread over it."""
    sentence = "Millet shipped 10.2 million phones in India in the second quarter of 2019 , analysts said today ."
    pieces = sentence.split()
    text_words = [pieces[i % len(pieces)] + ("\n\n" if i % 102 == 101 else " ") for i in range(words)]
    text = "".join(text_words)
    found = []
    for name, label in (("Millet", "ORG"), ("India", "GPE")):
        start = text.find(name)
        while start >= 0:
            found.append({"start": start, "end": start + len(name), "label": label, "kb_id": None, "origin": "model"})
            start = text.find(name, start + 1)
    found.sort(key=lambda s: s["start"])
    step = len(found) / spans
    return text, [found[int(i * step)] for i in range(min(spans, len(found)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=40)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from annotations.curation import Curation
    from annotations.ingest import make_document
    from annotations.settings import load_settings
    from annotations.workspace import add_seeds_if_empty, open_workspace
    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        settings = load_settings(db)
        store = open_workspace(settings)
        window = MainWindow(store, Curation.open(settings, store, "bench"))
        window.show()
        app.processEvents()
        usable = time.perf_counter() - START
        add_seeds_if_empty(store)
        text, spans = large_article()
        [big] = store.add_documents([make_document(text, "large", "bench", lang="en")])[0]
        store.record_schema("claims", window.schema)
        store.replace_suggestions(big["id"], spans, [], window.schema.hash, "bench", "bench")
        window.reload_documents()
        seeds = [row["id"] for row in store.list_documents() if row["name"] != "large"]

        def switch_times(doc_ids: list[int]) -> list[float]:
            times = []
            for n in range(args.switches):
                target = doc_ids[n % len(doc_ids)]
                window._show_article(seeds[-1] if target == window.doc.id else target)  # always a real switch
                started = time.perf_counter()
                window._show_article(target)
                window.article_view.viewport().repaint()
                app.processEvents()
                times.append(time.perf_counter() - started)
            return times

        window._show_article(seeds[0])
        seed_times = switch_times(seeds[:4])
        large_times = switch_times([big["id"]])
        words = len(text.split())
        store.close()
    print(f"window usable after launch: {usable * 1000:7.0f} ms   (bar: 1500 ms; from the interpreter's first line)")
    for name, times, bar in (("seed article", seed_times, 50), (f"large article ({words} words, {len(spans)} spans)", large_times, 300)):
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"switch to {name}: median {statistics.median(times) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms (bar: median {bar} ms)")


if __name__ == "__main__":
    main()
