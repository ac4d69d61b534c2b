import os
import re
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.curation import Curation  # noqa: E402
from annotations.settings import load_settings  # noqa: E402
from annotations.store import Store  # noqa: E402
from examples.curate_as_team import DOC, DOC2, curate_as_team  # noqa: E402

SEEDS = ROOT / "seeds"


def pytest_collection_modifyitems(items):
    """A test that needs the spaCy model (the workspace pre-annotated by it) is marked `model`,
    whatever its file says, so that `pytest -m "not model"` never asks for the model."""
    for item in items:
        if "preannotated_template" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.model)


@pytest.fixture(autouse=True)
def own_config_dir(tmp_path, monkeypatch):
    """No test reads or writes the real user's remembered curator name."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "work.db"


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        yield s


def run_cli(*argv: str) -> int:
    from main import main

    return main([str(a) for a in argv])


@pytest.fixture(scope="session")
def preannotated_template(tmp_path_factory) -> Path:
    """The seeds imported and pre-annotated with the real model, once per test session."""
    from annotations.ingest import import_paths
    from annotations.nlp.preannotate import Preannotator, preannotate

    path = tmp_path_factory.mktemp("template") / "seeds.db"
    with Store(path) as store:
        import_paths(store, [SEEDS])
        preannotate(store, Preannotator.from_settings(load_settings(path), store))
    return path


# -- the tier that needs no spaCy model ----------------------------------------------------------

# What the pipeline would suggest on the seeds, written by hand: names (label, knowledge-base id)
# marked at every occurrence, and per document claims as (type, where the evidence sentence is,
# {slot: [(the slot's words, the words right before them in the sentence)]}).
SUGGESTED_NAMES = {
    "Xiaomi": ("ORG", "xiaomi"), "Millet": ("ORG", "xiaomi"), "millet": ("ORG", "xiaomi"), "India": ("GPE", "india"),
    "Indian": ("GPE", "india"), "TikTok": ("PRODUCT", "tiktok"), "bytebeats": ("ORG", "bytedance"), "Bytes": ("ORG", "bytedance"),
    "Zhang Yiming": ("PERSON", None), "Manu": ("PERSON", None), "StrategyAnalytics": ("ORG", "strategy_analytics"),
    "Samsung": ("ORG", "samsung"), "OPPO": ("ORG", "oppo"), "vivo": ("ORG", "vivo"), "Micromax": ("ORG", "micromax"),
    "Twitter": ("ORG", "twitter"), "Google Play": ("PRODUCT", "google_play"), "Huawei": ("ORG", "huawei"),
    "ByteDance": ("ORG", "bytedance"),
}
SUGGESTED_CLAIMS = {DOC: [
    ("partnership", "which revealed Xiaomi", {"parties": [("TikTok", "international version of "), ("Xiaomi", "which revealed ")]}),
    ("user_metric", "Since the global launch", {"subject": [("TikTok", "2017, ")], "metric": [("monthly active users", "")],
                                                "count": [("more than 500 million", "")]}),
    ("user_metric", "Since the global launch", {"subject": [("TikTok", "2017, ")], "metric": [("monthly lives", "")],
                                                "count": [("more than 120 million", "")], "market": [("India", "monthly lives in ")]}),
    ("regulatory_action", "TikTok was banned", {"target": [("TikTok", "")], "action": [("banned", "")],
                                                "authority": [("India", "banned in ")]}),
    ("market_share", "Market research firm", {"subject": [("millet", "shipment of ")], "market": [("Indian", "2019, the ")],
                                              "share": [("28.7%", "")], "period": [("the second quarter of 2019", "")],
                                              "source": [("StrategyAnalytics", "")]}),
    ("shipments", "Market research firm", {"subject": [("millet", "shipment of ")], "market": [("Indian", "2019, the ")],
                                           "units": [("10.2 million units", "")], "period": [("the second quarter of 2019", "")]}),
    ("growth", "In 2019, Q2 India", {"subject": [("India", "Q2 ")], "measure": [("shipments", "")], "change": [("9.9%", "")],
                                     "basis": [("year-on-year", "")]}),
], DOC2: [
    ("market_share", "Huawei took the lead", {"subject": [("Huawei", "")], "share": [("42.4%", "")]}),
], "002_9324ed07dc731aed": [
    ("valuation", "Apart from TikTok", {"subject": [("ByteDance", "owned by ")], "amount": [("about $75 billion", "valuation of ")]}),
]}


def write_suggestions(store: Store) -> None:
    """Suggestions as SUGGESTED_NAMES and SUGGESTED_CLAIMS say, and on every seed the values the
    rules find, all stored by the store's own suggestion writer (Store.replace_suggestions)."""
    from annotations.curation import sentence_around
    from annotations.model import VALUE_LABELS, Origin
    from annotations.nlp.values import VALUES_FILE, load_values
    from annotations.schema import load_claim_schema

    settings = load_settings(store.path)
    schema, values = load_claim_schema(settings.claims_schema), load_values(VALUES_FILE)
    for doc_id, lang in store.document_languages():
        text = store.document(doc_id).text
        spans = [{"start": m.start(), "end": m.end(), "label": label, "kb_id": kb_id, "origin": Origin.KB if kb_id else Origin.MODEL}
                 for name, (label, kb_id) in SUGGESTED_NAMES.items() for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
        taken = {i for s in spans for i in range(s["start"], s["end"])}
        spans += [{"start": v.start, "end": v.end, "label": VALUE_LABELS[v.kind], "kb_id": None, "origin": Origin.RULES}
                  for v in values.for_language(lang).find(text) if not taken & set(range(v.start, v.end))]
        claims = []
        for claim_type, evidence, slots in SUGGESTED_CLAIMS.get(store.document_name(doc_id), []):
            sentence = sentence_around(text, text.index(evidence), text.index(evidence))
            filled = {}
            for name, found in slots.items():
                slot = schema.claim_types[claim_type].slots[name]
                filled[name] = []
                for words, before in found:
                    start = text.index(before + words, sentence[0]) + len(before)
                    value = {"text": words, "start": start, "end": start + len(words)}
                    if slot.kind == "entity":
                        value.update(label=SUGGESTED_NAMES[words][0], kb_id=SUGGESTED_NAMES[words][1])
                    elif slot.kind == "choice":
                        value["value"] = {"kind": "choice", "value": next(c for c, phrases in slot.choices.items()
                                                                         if words.lower() in (p.lower() for p in phrases))}
                    else:
                        value["value"] = values.normalise(slot.kind, words, lang)
                    filled[name].append(value)
            claims.append({"type": claim_type, "origin": Origin.MODEL, "confidence": 0.8, "slots": filled,
                           "evidence": {"start": sentence[0], "end": sentence[1]}})
        store.replace_suggestions(doc_id, spans, claims, store.record_schema("claims", schema), "by hand", "written by hand")


@pytest.fixture(scope="session")
def suggested_template(tmp_path_factory) -> Path:
    """The seeds imported, with suggestions written by hand (write_suggestions) instead of by a spaCy
    model: the workspace of the tests that need no model (`pytest -m "not model"`)."""
    from annotations.ingest import import_paths

    path = tmp_path_factory.mktemp("suggested") / "seeds.db"
    with Store(path) as store:
        import_paths(store, [SEEDS])
        write_suggestions(store)
    return path


@pytest.fixture
def suggested_db(suggested_template, tmp_path) -> Path:
    """A fresh copy of the seeds with hand-written suggestions for one test."""
    path = tmp_path / "suggested.db"
    shutil.copy(suggested_template, path)
    return path


@pytest.fixture
def seeded_db(preannotated_template, tmp_path) -> Path:
    """A fresh copy of the pre-annotated seeds for one test."""
    path = tmp_path / "seeded.db"
    shutil.copy(preannotated_template, path)
    return path


# -- two curators and a reviewer ----------------------------------------------------------------



@pytest.fixture(scope="session")
def team(tmp_path_factory, suggested_template):
    root = tmp_path_factory.mktemp("team")
    return root, curate_as_team(suggested_template, root)


@pytest.fixture
def review_db(team, suggested_template, tmp_path):
    root, _ = team
    path = tmp_path / "review.db"
    shutil.copy(suggested_template, path)
    assert run_cli("import-annotations", "--db", path, root / "ana.jsonl", root / "bo.db") == 0
    return path




@pytest.fixture
def reviewed_db(review_db) -> Path:
    """The review workspace with every difference resolved (the first curator's version wins), plus one
    accepted claim whose title starts with "=" (a formula, if a spreadsheet were careless)."""
    from annotations.review import ClaimGroup, Review

    with Store(review_db) as store:
        review = Review.open(load_settings(review_db), store, "rev")
        for doc_id in review.documents():
            review.auto_gold(doc_id)
            for group in review.claim_groups(doc_id) + review.span_groups(doc_id):
                if group.gold is None and not (isinstance(group, ClaimGroup) and group.rejected_by_all):
                    first = next(name for name, v in (group.versions if isinstance(group, ClaimGroup) else group.spans).items() if v)
                    (review.pick_version if isinstance(group, ClaimGroup) else review.pick_span_label)(group, first)
            review.mark_done(doc_id)
        doc = store.document(store.document_id(DOC))
        typed = lambda slot, text: [review.slot_value_from_text(doc, "role", slot, text)]
        review.add_claim(doc.id, "role", {"person": typed("person", "Zhang Yiming"), "organization": typed("organization", "ByteDance"),
                                          "title": typed("title", "=HYPERLINK(\"http://evil\",\"CEO\")")})
    return review_db


def record_conflicting_shares(curation) -> None:
    """The curator records Xiaomi's share of India in 2019-Q2 as 28.7% in DOC and as 30% in DOC2."""
    store = curation.store
    for name, share in ((DOC, "28.7%"), (DOC2, "30%")):
        doc = store.document(store.document_id(name))
        slot = lambda slot, typed, doc=doc: [curation.slot_value_from_text(doc, "market_share", slot, typed)]
        curation.add_claim(doc.id, "market_share", {"subject": slot("subject", "Xiaomi"), "market": slot("market", "India"),
                                                     "share": slot("share", share), "period": slot("period", "Q2 2019")})


# -- the curation window, driven by keys ----------------------------------------------------------

def make_window(qtbot, path, name="ana"):
    from annotations.workspace import open_workspace
    from gui.main_window import MainWindow

    store = open_workspace(load_settings(path))
    window = MainWindow(store, Curation.open(load_settings(path), store, name))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # as a window manager does; keys and focus need an active window
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


@pytest.fixture
def window(qtbot, seeded_db):
    """The curation window on a fresh copy of the pre-annotated seeds, on the first seed article."""
    win = make_window(qtbot, seeded_db)
    win.open_document(win.store.document_id(DOC))
    yield win
    win.close()
    win.store.close()


def open_new_article(window, folder, name: str, text: str) -> None:
    """Import an article written for the test into the window's workspace and open it."""
    from annotations.ingest import import_paths

    article = Path(folder) / f"{name}.txt"
    article.write_text(text, encoding="utf-8")
    import_paths(window.store, [article])
    window.reload_documents()
    window.open_document(window.store.document_id(name))
