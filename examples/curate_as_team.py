"""Two curators and the start of a review, through the core's API: what the README's review
picture shows, and the workspace the review tests start from.

    python examples/curate_as_team.py WORKSPACE FOLDER

ana and bo each curate a copy of WORKSPACE (pre-annotated: the first seed's claims suggested),
differently, and finish the first two seed articles. ana's work is exported to FOLDER/ana.jsonl,
bo's stays in FOLDER/bo.db; `import-annotations` brings both into a review workspace.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.curation import Curation
from annotations.settings import load_settings
from annotations.workspace import open_workspace

DOC, DOC2 = "000_0757fb7f7850cbb7", "001_cba5bfa5a200e696"


def is_market_share(claim):
    return claim["type"] == "market_share" and claim["slots"]["share"][0]["value"]["value"] == 28.7


def text_of(store, doc_id, span):
    return store.document(doc_id).text[span["start"]:span["end"]]


def curate_as_team(template: Path, root: Path) -> dict:
    """ana and bo curate copies of one pre-annotated workspace, differently, and finish two articles;
    ana's work is exported to ana.jsonl, bo's stays in bo.db. Returns the ids of the claims they
    decided on (the same suggestions for both)."""
    root = Path(root)
    plans = {
        "ana": {"confirm": [0, 1, 2], "reject": [3, 4], "relabel": ("Indian", "NORP"), "period": "Q3 2019"},
        "bo": {"confirm": [0, 2, 4], "reject": [1, 3], "reject_span": "bytebeats", "period": None},
    }
    decided = {}
    for name, plan in plans.items():
        path = root / f"{name}.db"
        shutil.copy(template, path)
        with open_workspace(load_settings(path)) as store:
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
    if decided["ana"] != decided["bo"]:
        raise RuntimeError("ana and bo decided on different suggestions, though both started from one workspace")
    from main import main

    if main(["export", "--db", str(root / "ana.db"), "--status", "all", "--annotator", "ana", "--out", str(root / "ana.jsonl")]):
        raise RuntimeError("ana's work could not be exported")
    return decided["ana"]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    curate_as_team(Path(sys.argv[1]), Path(sys.argv[2]))
