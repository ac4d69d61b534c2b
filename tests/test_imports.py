"""import-annotations --from doccano|prodigy: other tools' files, built the way each tool writes
them, into spans and claims with their annotators; drifted offsets refused by line; dry runs store nothing."""

import json

import pytest

from annotations.store import Store
from tests.conftest import run_cli

TEXT = "Xiaomi held 28.7% of the Indian smartphone market, said Canalys."
X, SHARE, INDIA = (0, 6), (12, 17), (25, 31)
MAPPING = "relations:\n  HAS_SHARE: {claim: market_share, head: subject, tail: share}\n"


def write_jsonl(path, items):
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def doccano_line(start=0):
    # doccano's relation-extraction JSONL export (doccano/doccano docs and data_export: entities with
    # id/label/start_offset/end_offset, relations with from_id/to_id/type)
    return {"id": 7, "text": TEXT, "user": "dora",
            "entities": [{"id": 1, "label": "ORG", "start_offset": X[0] + start, "end_offset": X[1] + start},
                         {"id": 2, "label": "PERCENT", "start_offset": SHARE[0], "end_offset": SHARE[1]},
                         {"id": 3, "label": "NORP", "start_offset": INDIA[0], "end_offset": INDIA[1]}],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "HAS_SHARE"}]}


def prodigy_line(start=0):
    # Prodigy's db-out of rel.manual (prodi.gy/docs/api-interfaces, "relations"): spans with start,
    # end, label (and text), relations with head_span/child_span/label, answer, _annotator_id
    head = {"start": X[0] + start, "end": X[1] + start, "label": "ORG", "text": "Xiaomi"}
    child = {"start": SHARE[0], "end": SHARE[1], "label": "PERCENT", "text": "28.7%"}
    return {"text": TEXT, "spans": [head, child], "answer": "accept", "_annotator_id": "news-pete",
            "relations": [{"head": 0, "child": 4, "head_span": head, "child_span": child, "label": "HAS_SHARE"}]}


def imported(db):
    with Store(db) as store:
        doc_id = store.list_documents()[0]["id"]
        text = store.document(doc_id).text
        spans = {(text[s["start"]:s["end"]], s["label"], s["annotator"], s["origin"]) for s in store.db["spans"].rows}
        claims = store.claims_of(doc_id)
    return text, spans, claims


def check_format(tmp_path, capsys, fmt, line, annotator, labels):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    good = write_jsonl(tmp_path / f"{fmt}.jsonl", [line()])
    db = tmp_path / f"{fmt}.db"
    assert run_cli("import-annotations", "--db", db, "--from", fmt, "--mapping", mapping, "--dry-run", good) == 0
    assert "would import 1 documents, " in capsys.readouterr().out
    with Store(db) as store:
        assert store.count_documents() == 0  # the dry run stored nothing
    assert run_cli("import-annotations", "--db", db, "--from", fmt, "--mapping", mapping, good) == 0
    text, spans, claims = imported(db)
    assert text == TEXT
    assert spans == {(word, label, annotator, "import") for word, label in labels}
    [claim] = claims
    assert (claim["type"], claim["annotator"], claim["status"]) == ("market_share", annotator, "accepted")
    assert {name: (v[0]["text"], v[0]["start"], v[0]["end"]) for name, v in claim["slots"].items()} == \
        {"subject": ("Xiaomi", *X), "share": ("28.7%", *SHARE)}
    assert run_cli("import-annotations", "--db", db, "--from", fmt, "--mapping", mapping, good) == 0  # idempotent
    assert len(imported(db)[2]) == 1 and len(imported(db)[1]) == len(labels)

    drifted = write_jsonl(tmp_path / f"{fmt}-drifted.jsonl", [line(), line(start=1)])
    assert run_cli("import-annotations", "--db", tmp_path / "other.db", "--from", fmt, "--mapping", mapping, drifted) == 1
    err = capsys.readouterr().err
    assert f"refused {drifted}" in err and "line 2" in err
    with Store(tmp_path / "other.db") as store:
        assert store.count_documents() == 0  # nothing half-imported


def test_doccano_spans_relations_and_annotator_come_in(tmp_path, capsys):
    # doccano writes no span text: a drifted span is caught by its claim slot, checked against
    # the relation's span text; here the drift puts "iaomi " where "Xiaomi" was
    check_format(tmp_path, capsys, "doccano", doccano_line, "dora", [("Xiaomi", "ORG"), ("28.7%", "PERCENT"), ("Indian", "NORP")])


def test_prodigy_spans_relations_and_annotator_come_in(tmp_path, capsys):
    check_format(tmp_path, capsys, "prodigy", prodigy_line, "news-pete", [("Xiaomi", "ORG"), ("28.7%", "PERCENT")])


# -- Label Studio ------------------------------------------------------------------------------------

def ls_region(region_id, start, end, text, label):
    # a `labels` result as Label Studio writes it (HumanSignal/label-studio docs/source/guide/task_format:
    # id, from_name, to_name, type, value with start, end, text and labels)
    return {"id": region_id, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def ls_task(text, regions, relations=(), completed_by=1, task_id=7, extra_annotations=(), predictions=()):
    # a task of Label Studio's JSON export (docs/source/guide/task_format and, for relations,
    # docs/source/includes/result_format.md in HumanSignal/label-studio: from_id, to_id, direction, labels)
    result = [ls_region(*r) for r in regions]
    result += [{"from_id": a, "to_id": b, "type": "relation", "direction": direction, "labels": labels}
               for a, b, direction, labels in relations]
    return {"id": task_id, "data": {"text": text}, "meta": {}, "project": 3, "inner_id": 1,
            "annotations": [{"id": 22, "completed_by": completed_by, "result": result, "was_cancelled": False,
                             "ground_truth": False, "created_at": "2024-01-30T02:40:43.893565Z",
                             "updated_at": "2024-01-30T02:40:43.893578Z", "lead_time": 8.65, "task": task_id,
                             "project": 3, "updated_by": completed_by}, *extra_annotations],
            "predictions": list(predictions), "drafts": [], "total_annotations": 1 + len(extra_annotations)}


def ls_file(path, tasks):
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def ls_regions(text, shift=lambda at: at):
    """Xiaomi ORG, 28.7% PERCENT and Indian NORP wherever they are in `text`, with offsets as `shift` counts them."""
    found = []
    for n, (word, label) in enumerate((("Xiaomi", "ORG"), ("28.7%", "PERCENT"), ("Indian", "NORP")), start=1):
        at = text.index(word)
        found.append((f"r{n}", shift(at), shift(at + len(word)), word, label))
    return found


LS_MAPPING = MAPPING + "annotators:\n  1: lena\n  2: kai\n"


def ls_import(tmp_path, capsys, tasks, db_name="ls.db", mapping=LS_MAPPING):
    (tmp_path / "map.yaml").write_text(mapping, encoding="utf-8")
    path = ls_file(tmp_path / f"{db_name}.json", tasks)
    db = tmp_path / db_name
    code = run_cli("import-annotations", "--db", db, "--from", "label-studio", "--mapping", tmp_path / "map.yaml", "--dry-run", path)
    dry = capsys.readouterr()
    assert code == 0
    code = run_cli("import-annotations", "--db", db, "--from", "label-studio", "--mapping", tmp_path / "map.yaml", path)
    return code, dry.out, capsys.readouterr(), db


def test_label_studio_regions_relations_and_annotators_come_in(tmp_path, capsys):
    cancelled = {"id": 23, "completed_by": 2, "result": [ls_region("c1", *X, "Xiaomi", "ORG")], "was_cancelled": True, "lead_time": 2.0}
    second = {"id": 24, "completed_by": 2, "result": [ls_region("k1", *X, "Xiaomi", "PRODUCT")], "was_cancelled": False, "lead_time": 3.5}
    prediction = {"model_version": "m1", "result": [ls_region("p1", *INDIA, "Indian", "GPE")]}
    task = ls_task(TEXT, ls_regions(TEXT), [("r1", "r2", "right", ["HAS_SHARE"]), ("r3", "r1", "right", ["LOCATED"])],
                   extra_annotations=[cancelled, second], predictions=[prediction])
    code, dry, out, db = ls_import(tmp_path, capsys, [task])
    assert code == 0, out.err
    assert "would import 2 documents, 4 spans and 1 claims (annotators: kai, lena)" in dry
    assert "time lena spent, as the tool measured it: 8.7 s" in dry and "time kai spent" in dry
    assert "task 7 annotation 23: cancelled by kai; left out" in dry
    assert "task 7: 1 prediction(s) left out" in dry
    assert "relation 'LOCATED' is not in the mapping; left out" in dry
    text, spans, claims = imported(db)
    assert text == TEXT
    assert spans == {("Xiaomi", "ORG", "lena", "import"), ("28.7%", "PERCENT", "lena", "import"),
                     ("Indian", "NORP", "lena", "import"), ("Xiaomi", "PRODUCT", "kai", "import")}
    [claim] = claims
    assert (claim["type"], claim["annotator"], claim["status"]) == ("market_share", "lena", "accepted")
    assert {name: (v[0]["text"], v[0]["start"], v[0]["end"]) for name, v in claim["slots"].items()} == \
        {"subject": ("Xiaomi", *X), "share": ("28.7%", *SHARE)}
    assert run_cli("import-annotations", "--db", db, "--from", "label-studio", "--mapping", tmp_path / "map.yaml",
                   tmp_path / "ls.db.json") == 0  # idempotent
    assert "0 claims and 0 spans added, 0 new documents, 5 already here" in capsys.readouterr().out


def test_label_studio_direction_left_swaps_head_and_tail(tmp_path, capsys):
    task = ls_task(TEXT, ls_regions(TEXT), [("r2", "r1", "left", ["HAS_SHARE"])])
    code, _, out, db = ls_import(tmp_path, capsys, [task])
    assert code == 0, out.err
    [claim] = imported(db)[2]
    assert claim["slots"]["subject"][0]["text"] == "Xiaomi" and claim["slots"]["share"][0]["text"] == "28.7%"


EMOJI_TEXT = "📈 Big week 🚀🚀: " + TEXT


@pytest.mark.parametrize("raw, shift, said", [
    # older Label Studio counted JavaScript string positions, UTF-16 units (issues #1347, #4988)
    (EMOJI_TEXT, lambda text: lambda at: len(text[:at].encode("utf-16-le")) // 2, "UTF-16 units"),
    # a browser shows CR LF as one line break
    ("Headline\r\n\r\n" + TEXT.replace(", said", ",\r\nsaid"), lambda text: lambda at: at - text[:at].count("\r\n"), "CR LF as one"),
    # a byte-order mark left at the start of the text, not counted
    ("\ufeff" + TEXT, lambda text: lambda at: at - 1, "the byte-order mark not counted"),
])
def test_label_studio_offsets_counted_otherwise_are_converted_and_said(tmp_path, capsys, raw, shift, said):
    task = ls_task(raw, ls_regions(raw, shift(raw)), [("r1", "r2", "right", ["HAS_SHARE"])])
    code, dry, out, db = ls_import(tmp_path, capsys, [task])
    assert code == 0, out.err
    assert "corrected task 7 annotation 22: offsets counted in" in dry and said in dry
    text, spans, claims = imported(db)
    assert text == raw.lstrip("\ufeff").replace("\r\n", "\n")
    assert {(word, label) for word, label, *_ in spans} == {("Xiaomi", "ORG"), ("28.7%", "PERCENT"), ("Indian", "NORP")}
    [claim] = claims
    subject = claim["slots"]["subject"][0]
    assert text[subject["start"]:subject["end"]] == "Xiaomi"


def test_label_studio_drifted_offsets_are_refused_by_task_and_span(tmp_path, capsys):
    good = ls_task(TEXT, ls_regions(TEXT), [("r1", "r2", "right", ["HAS_SHARE"])], task_id=1)
    drifted = ls_task("Update: " + TEXT, ls_regions(TEXT), [("r1", "r2", "right", ["HAS_SHARE"])], task_id=2)
    (tmp_path / "map.yaml").write_text(LS_MAPPING, encoding="utf-8")
    path = ls_file(tmp_path / "drift.json", [good, drifted])
    db = tmp_path / "drift.db"
    assert run_cli("import-annotations", "--db", db, "--from", "label-studio", "--mapping", tmp_path / "map.yaml", path) == 1
    err = capsys.readouterr().err
    assert f"refused {path}" in err
    assert "task 2 annotation 22: span ORG at 0..6 says 'Xiaomi' but the text there is 'Update'" in err
    assert "the offsets have drifted" in err and "task 1" not in err
    with Store(db) as store:
        assert store.count_documents() == 0  # nothing half-imported


# -- brat ----------------------------------------------------------------------------------------------

# brat's standoff format (nlplab/brat wiki "Annotation Data Format", brat.nlplab.org/standoff.html):
# tab-separated lines, T with `Type START END[;START END]` and the text (fragments joined by a space),
# R with Arg1/Arg2, E with `Type:Trigger Role:Id`, A for attributes, # for AnnotatorNotes.
BRAT_ANN = """T1\tOrganization 0 6\tXiaomi
T2\tPercent 12 17\t28.7%
T3\tMarketShare 7 11\theld
E1\tMarketShare:T3 Owner:T1 Value:T2
T4\tPlace 25 31;43 49\tIndian market
T5\tOrganization 56 63\tCanalys
R1\tSOURCE_OF Arg1:T5 Arg2:T2
A1\tConfidence E1 High
#1\tAnnotatorNotes T1\tthe phone maker
"""
BRAT_MAPPING = """annotator: bram
entities: {Organization: ORG, Percent: PERCENT, Place: GPE}
events:
  MarketShare: {claim: market_share, roles: {Owner: subject, Value: share}}
"""


def brat_folder(root, text=TEXT, ann=BRAT_ANN, newline="\n"):
    root.mkdir()
    (root / "report%20one.txt").write_bytes(text.replace("\n", newline).encode("utf-8"))
    (root / "report%20one.ann").write_text(ann, encoding="utf-8")
    return root


def test_brat_entities_events_and_relations_come_in_through_the_mapping(tmp_path, capsys):
    folder = brat_folder(tmp_path / "brat")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(BRAT_MAPPING, encoding="utf-8")
    db = tmp_path / "brat.db"
    assert run_cli("import-annotations", "--db", db, "--from", "brat", "--mapping", mapping, folder) == 1
    err = capsys.readouterr().err
    assert "report%20one.ann: span Place in 2 discontinuous pieces (25..31, 43..49) is refused" in err
    with Store(db) as store:
        assert store.count_documents() == 0

    mapping.write_text(BRAT_MAPPING + "discontinuous: join\n", encoding="utf-8")
    assert run_cli("import-annotations", "--db", db, "--from", "brat", "--mapping", mapping, "--dry-run", folder) == 0
    dry = capsys.readouterr().out
    assert "line 8: Confidence E1 High (an attribute) left out" in dry
    assert "relation 'SOURCE_OF' is not in the mapping; left out" in dry
    assert run_cli("import-annotations", "--db", db, "--from", "brat", "--mapping", mapping, folder) == 0
    text, spans, claims = imported(db)
    assert text == TEXT
    assert spans == {("Xiaomi", "ORG", "bram", "import"), ("28.7%", "PERCENT", "bram", "import"),
                     ("Indian smartphone market", "GPE", "bram", "import"), ("Canalys", "ORG", "bram", "import")}
    [claim] = claims
    assert (claim["type"], claim["annotator"], TEXT[claim["evidence"]["start"]:claim["evidence"]["end"]]) == ("market_share", "bram", "held")
    assert {name: (v[0]["text"], v[0]["start"], v[0]["end"]) for name, v in claim["slots"].items()} == \
        {"subject": ("Xiaomi", *X), "share": ("28.7%", *SHARE)}
    with Store(db) as store:
        assert store.list_documents()[0]["name"] == "report one"  # the file name percent-decoded, as Claimdesk's export writes it


def test_brat_offsets_counting_cr_are_converted_and_drifted_ones_refused_by_file_and_span(tmp_path, capsys):
    text = "Headline\n\n" + TEXT
    shift = len("Headline\r\n\r\n")  # brat reads the file as it is and counts every CR
    ann = "".join(f"T{n}\t{label} {start + shift} {end + shift}\t{word}\n"
                  for n, (label, start, end, word) in enumerate((("ORG", *X, "Xiaomi"), ("PERCENT", *SHARE, "28.7%")), start=1))
    folder = brat_folder(tmp_path / "crlf", text, ann, newline="\r\n")
    db = tmp_path / "crlf.db"
    assert run_cli("import-annotations", "--db", db, "--from", "brat", folder) == 0, capsys.readouterr().err
    stored, spans, _ = imported(db)
    assert stored == text and {(word, label) for word, label, *_ in spans} == {("Xiaomi", "ORG"), ("28.7%", "PERCENT")}

    drifted = brat_folder(tmp_path / "drifted", text, ann.replace(f"{X[0] + shift} {X[1] + shift}", f"{X[0] + shift + 1} {X[1] + shift + 1}"),
                          newline="\r\n")
    assert run_cli("import-annotations", "--db", tmp_path / "d.db", "--from", "brat", drifted) == 1
    err = capsys.readouterr().err
    assert f"report%20one.ann: span ORG at {X[0] + shift + 1}..{X[1] + shift + 1} says 'Xiaomi' but the text there is 'iaomi '" in err
    assert "the offsets have drifted" in err


def test_a_mapping_naming_what_the_schema_lacks_is_refused_before_anything_is_read(tmp_path, capsys):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("relations:\n  HAS_SHARE: {claim: market_shares, head: subject, tail: share}\n"
                       "events:\n  Deal: {claim: investment, roles: {Buyer: buyer}}\nentities: {Org: ORGANISATION}\ncolour: red\n",
                       encoding="utf-8")
    assert run_cli("import-annotations", "--db", tmp_path / "m.db", "--from", "prodigy", "--mapping", mapping,
                   write_jsonl(tmp_path / "p.jsonl", [prodigy_line()])) == 1
    err = capsys.readouterr().err
    assert "unknown key 'colour'" in err
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("colour: red\n", ""), encoding="utf-8")
    assert run_cli("import-annotations", "--db", tmp_path / "m.db", "--from", "prodigy", "--mapping", mapping,
                   tmp_path / "p.jsonl") == 1
    err = capsys.readouterr().err
    assert "relation 'HAS_SHARE': claim type 'market_shares' is not in the schema" in err
    assert "event 'Deal': investment has no slot 'buyer'" in err
    assert "entities: 'ORGANISATION' is not an entity label of the schema" in err
