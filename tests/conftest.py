import os
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

SEEDS = ROOT / "seeds"


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
    from annotations.preannotate import Annotator, preannotate

    path = tmp_path_factory.mktemp("template") / "seeds.db"
    with Store(path) as store:
        import_paths(store, [SEEDS])
        preannotate(store, Annotator.from_settings(load_settings(path), store))
    return path


@pytest.fixture
def seeded_db(preannotated_template, tmp_path) -> Path:
    """A fresh copy of the pre-annotated seeds for one test."""
    path = tmp_path / "seeded.db"
    shutil.copy(preannotated_template, path)
    return path


# -- two curators and a reviewer ----------------------------------------------------------------

DOC, DOC2 = "000_0757fb7f7850cbb7", "001_cba5bfa5a200e696"


def is_market_share(claim):
    return claim["type"] == "market_share" and claim["slots"]["share"][0]["value"]["value"] == 28.7


def text_of(store, doc_id, span):
    return store.document(doc_id).text[span["start"]:span["end"]]


def curate_as_team(template: Path, root: Path) -> dict:
    """ana and bo curate copies of one pre-annotated workspace, differently, and finish two articles;
    ana's work is exported to ana.jsonl, bo's stays in bo.db. Also builds the README's review picture."""
    root = Path(root)
    plans = {
        "ana": {"confirm": [0, 1, 2], "reject": [3, 4], "relabel": ("Indian", "NORP"), "period": "Q3 2019"},
        "bo": {"confirm": [0, 2, 4], "reject": [1, 3], "reject_span": "bytebeats", "period": None},
    }
    decided = {}
    for name, plan in plans.items():
        path = root / f"{name}.db"
        shutil.copy(template, path)
        with Store(path) as store:
            curation = Curation.open(load_settings(path), store, name)
            doc_id = store.document_id(DOC)
            claims = [c for c in curation.claims(doc_id) if not is_market_share(c)][:5]
            share = next(c for c in curation.claims(doc_id) if is_market_share(c))
            for n in plan["confirm"]:
                curation.confirm_claim(claims[n]["id"])
            for n in plan["reject"]:
                curation.reject_claim(claims[n]["id"])
            if plan["period"]:
                doc = store.document(doc_id)
                curation.set_slot(share["id"], "period", [curation.slot_value_from_text(doc, "market_share", "period", plan["period"])])
            else:
                curation.confirm_claim(share["id"])
            spans = curation.spans(doc_id)
            if "relabel" in plan:
                mention, label = plan["relabel"]
                curation.relabel_span(next(s for s in spans if text_of(store, doc_id, s) == mention)["id"], label)
            if "reject_span" in plan:
                curation.reject_span(next(s for s in spans if text_of(store, doc_id, s) == plan["reject_span"])["id"])
            curation.mark_done(doc_id)
            curation.mark_done(store.document_id(DOC2))
            decided[name] = {"claims": [c["id"] for c in claims], "share": share["id"]}
    assert decided["ana"] == decided["bo"]  # the same suggestions, as both started from one workspace
    assert run_cli("export", "--db", root / "ana.db", "--status", "all", "--annotator", "ana", "--out", root / "ana.jsonl") == 0
    return decided["ana"]


@pytest.fixture(scope="session")
def team(tmp_path_factory, preannotated_template):
    root = tmp_path_factory.mktemp("team")
    return root, curate_as_team(preannotated_template, root)


@pytest.fixture
def review_db(team, preannotated_template, tmp_path):
    root, _ = team
    path = tmp_path / "review.db"
    shutil.copy(preannotated_template, path)
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
        slot = lambda slot, typed: [curation.slot_value_from_text(doc, "market_share", slot, typed)]
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
