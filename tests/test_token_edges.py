"""Issue #16: the spaCy and CoNLL exports write every span with exactly its stored characters.

Tokens are split wherever a span's edge falls inside one, so a span is never widened to the
tokens it touches ("Xiaomi" ORG stays "Xiaomi", not "Xiaomi-telefoons"). Built by hand as spaCy's
own tests build docs: real blank pipelines, no workspace and no model.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities
from spacy.tokens import DocBin

from annotations.entities import non_overlapping
from annotations.exports.conll import ConllWriter
from annotations.exports.docbin import DocBinWriter

# the awkward cases: curly apostrophes, hyphenated compounds, digits glued to letters, emoji
PIECES = ["Xiaomi-telefoons", "Xiaomi’s", "l’Oréal", "5Gphones", "Q2’19", "28.7%", "Rs22crore", "😀Apple",
          "Apple😀", "co-founder", "ByteDance", "India", "—", "(Jio)", "\n\n", "e-commerce-platform", "3x", "👍🏽"]


def record(text, spans, claims=(), lang="en"):
    return {"name": "doc", "sha256": "0" * 64, "lang": lang, "text": text, "spans": spans, "claims": list(claims)}


def span(text, word, label="ORG", status="gold", nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return {"start": start, "end": start + len(word), "text": word, "label": label, "status": status}


def exported_entities(tmp_path, rec):
    """(start, end, label) of each entity as the DocBin and the CoNLL export write it."""
    out = tmp_path / "x.spacy"
    writer = DocBinWriter(out)
    writer.write([rec])
    doc = next(DocBin().from_disk(out).get_docs(writer.pipelines[rec["lang"]].vocab))
    from_docbin = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    conll = tmp_path / "x.conll"
    ConllWriter(conll).write([rec])
    from_conll, position = set(), 0
    sentences, sentence = [], []
    for line in conll.read_text(encoding="utf-8").splitlines()[2:] + [""]:
        if line:
            sentence.append(line.rsplit(" ", 3))
        elif sentence:
            sentences.append(sentence)
            sentence = []
    for sentence in sentences:
        offsets = []
        for token, *_ in sentence:
            start = rec["text"].index(token, position)
            offsets.append((start, start + len(token)))
            position = start + len(token)
        for label, first, last in get_entities([tag for *_, tag in sentence]):
            from_conll.add((offsets[first][0], offsets[last][1], label))
    return doc, from_docbin, from_conll


def test_a_span_inside_a_token_is_exported_with_exactly_its_characters(tmp_path):
    text = "Xiaomi-telefoons verkochten 5Gphones in India’s steden 😀Apple."
    spans = [span(text, "Xiaomi"), span(text, "5G", "PRODUCT"), span(text, "India", "GPE"), span(text, "Apple")]
    claim = {"id": "c1", "type": "market_share", "evidence": {"start": 0, "end": len(text) - 1},
             "slots": {"subject": {"start": 0, "end": 6, "text": "Xiaomi", "label": "ORG"},
                       "market": {"start": spans[2]["start"], "end": spans[2]["end"], "text": "India", "label": "GPE"}}}
    rec = record(text, spans, [claim], lang="nl")
    doc, from_docbin, from_conll = exported_entities(tmp_path, rec)
    wanted = {(s["start"], s["end"], s["label"]) for s in spans}
    assert from_docbin == from_conll == wanted
    assert [e.text for e in doc.ents] == ["Xiaomi", "5G", "India", "Apple"]
    assert [(s.text, s.label_) for s in doc.spans["slots"]] == [("Xiaomi", "market_share.subject"), ("India", "market_share.market")]
    assert doc.spans["claims"][0].text == text[:-1]


def test_no_widening_is_counted_any_more(tmp_path):
    text = "Xiaomi-telefoons en Xiaomi Mi 9 in 24th place"
    spans = [span(text, "Xiaomi"), span(text, "Xiaomi Mi 9", "PRODUCT"), span(text, "Xiaomi", nth=1), span(text, "24", "ORDINAL")]
    writer = DocBinWriter(tmp_path / "x.spacy")
    writer.write([record(text, spans, lang="nl")])
    assert writer.dropped.counts == {"overlapping another span": 1}  # nothing "widened to token edges"


@st.composite
def documents(draw):
    words = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
    glue = draw(st.lists(st.sampled_from([" ", "", "  ", "-", "’", "\n"]), min_size=len(words), max_size=len(words)))
    text = "".join(w + g for w, g in zip(words, glue)).strip() or "India"
    solid = [i for i, c in enumerate(text) if not c.isspace()]
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        a, b = sorted(draw(st.lists(st.sampled_from(solid), min_size=2, max_size=2)))
        spans.append({"start": a, "end": b + 1, "text": text[a:b + 1], "label": draw(st.sampled_from(["ORG", "GPE", "PERCENT"])),
                      "status": draw(st.sampled_from(["gold", "accepted", "suggested"]))})
    return record(text, spans, lang=draw(st.sampled_from(["en", "nl"])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rec=documents())
def test_every_exported_entity_is_a_stored_span_to_the_character(tmp_path, rec):
    _, from_docbin, from_conll = exported_entities(tmp_path, rec)
    stored = {(s["start"], s["end"], s["label"]) for s in rec["spans"]}
    assert from_docbin <= stored and from_conll <= stored
    assert from_docbin == from_conll == {(s["start"], s["end"], s["label"]) for s in non_overlapping(rec["spans"])}
