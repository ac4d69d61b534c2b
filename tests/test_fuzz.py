"""Thousands of odd inputs: the loaders, importers, normaliser and offset conversion only ever refuse
them with the project's own errors, never crash."""

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.bundles import record_problems
from annotations.errors import InputRefused, SchemaError
from annotations.ingest import _read_jsonl, decode, make_document, normalise_text
from annotations.schema import load_claim_schema, parse_claim_schema, parse_entity_file
from annotations.settings import SCHEMA_DIR
from gui.positions import TextPositions

SCHEMA = load_claim_schema(SCHEMA_DIR / "claims.yaml")
YAMLISH = st.text(alphabet=st.sampled_from(list("abc_:- \n\t[]{}!&*'\"#|>0123456789")), max_size=300)
MANY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MANY
@given(st.one_of(YAMLISH, st.text(max_size=300)))
def test_schema_files_are_accepted_or_refused_with_reasons(text):
    for parse in (parse_claim_schema, parse_entity_file):
        try:
            parse(text, "fuzz.yaml")
        except SchemaError as e:
            assert e.problems and all(p.startswith("fuzz.yaml") for p in e.problems)


@MANY
@given(st.binary(max_size=400))
def test_any_bytes_become_a_document_or_a_named_refusal(data):
    try:
        document = make_document(decode(data, "fuzz.txt"), "fuzz", "fuzz.txt")
    except InputRefused as e:
        assert e.source == "fuzz.txt" and e.reason
    else:
        assert document["text"].strip() and len(document["sha256"]) == 64


@MANY
@given(st.lists(st.one_of(st.binary(max_size=80), st.builds(lambda t: json.dumps({"text": t}).encode(), st.text(max_size=80))),
                max_size=6))
def test_jsonl_lines_each_become_a_document_or_a_refusal(lines):
    """Each line that is not blank gives one item, in order: a document holding the line's text, or
    a refusal naming the line."""
    data = b"\n".join(lines)
    items = list(_read_jsonl(Path("fuzz.jsonl"), io.BytesIO(data), "en", None))
    physical = data.split(b"\n")
    physical[0] = physical[0].removeprefix(b"\xef\xbb\xbf")
    wanted = [(number, raw) for number, raw in enumerate(physical, 1) if raw.strip()]
    if not wanted:
        assert [(i.source, i.reason) for i in items] == [("fuzz.jsonl", "the file is empty")]
        return
    assert len(items) == len(wanted)
    for (number, raw), item in zip(wanted, items):
        if isinstance(item, InputRefused):
            assert item.source == f"fuzz.jsonl:line {number}" and item.reason
        else:
            assert item["text"] == normalise_text(json.loads(raw)["text"])


@MANY
@given(st.text(max_size=200))
def test_offsets_convert_both_ways_for_any_text(text):
    positions = TextPositions(text)
    for index in range(len(text) + 1):
        qt = positions.to_qt(index)
        assert qt == len(text[:index].encode("utf-16-le")) // 2
        assert positions.to_python(qt) == index


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["start", "end", "text", "label", "status", "annotator", "origin", "type", "slots",
                                         "evidence", "subject", "share"]), inner, max_size=6), max_leaves=25)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({"text": st.text(max_size=40), "spans": st.lists(JSON, max_size=3), "claims": st.lists(JSON, max_size=3)},
                             optional={"sha256": st.text(max_size=5), "name": JSON}))
def test_any_bundle_record_gets_problems_not_a_crash(record):
    """Problems each name the line; a record with none is one the store can take: every span lies
    within the text and says the words at its offsets."""
    problems = record_problems(record, SCHEMA, "line 1")
    assert all(problem.startswith("line 1") for problem in problems)
    if not problems:
        text = record["text"]
        for span in record["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert span.get("text", text[span["start"]:span["end"]]) == text[span["start"]:span["end"]]
