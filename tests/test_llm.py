"""The LLM recommender against a small OpenAI-compatible server that the tests start on 127.0.0.1.

The stub answers as such endpoints do: good JSON, quotes that differ from the text in whitespace,
case or curly quotes, invented quotes, malformed JSON, slow answers, HTTP 429 and 500. Nothing
leaves the machine. No spaCy model is needed: the article's spans and the rules' suggestions are
written with the store's own suggestion writer.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotations.curation import Curation
from annotations.evaluate import evaluate, read_facts
from annotations.llm import (
    LLMUnavailable,
    Recommender,
    answer_schema,
    pieces,
    recommend,
    system_prompt,
)
from annotations.nlp.kb import KnowledgeBase
from annotations.nlp.values import load_values
from annotations.schema import load_claim_schema, load_entity_file, parse_claim_schema
from annotations.settings import LLMSettings, load_llm_settings, load_settings
from tests.conftest import run_cli

TEXT = ("Xiaomi leads India's smartphone market\n\n"
        "Xiaomi held a 28.7% share of India's smartphone market in the second quarter of 2019, according to Strategy Analytics.\n\n"
        "The company shipped 10.2 million phones in India in the quarter.\n\n"
        "TikTok has more than 500 million monthly active users worldwide.")
SHARE = "Xiaomi held a 28.7% share of India's smartphone market in the second quarter of 2019, according to Strategy Analytics."


class Stub:
    """An OpenAI-compatible chat endpoint on 127.0.0.1. Each request takes the next scripted
    answer (the last one repeats): (status, body, headers, delay in seconds)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                status, payload, headers, delay = stub.answers[min(len(stub.requests), len(stub.answers)) - 1]
                time.sleep(delay)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for key, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (the timeout tests)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def answer(self, *answers) -> None:
        self.answers = [a if isinstance(a, tuple) else (200, completion(a), {}, 0) for a in answers]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def completion(content) -> dict:
    text = content if isinstance(content, str) else json.dumps(content)
    return {"id": "x", "object": "chat.completion", "model": "stub",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}


def share_claim(**slots) -> dict:
    base = {"subject": "Xiaomi", "market": "India", "share": "28.7%", "period": "the second quarter of 2019",
            "source": "Strategy Analytics", "rank": None}
    return {"type": "market_share", "evidence": SHARE, "confidence": 0.9, "slots": {**base, **slots}}


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


def place(words: str, n: int = 1) -> tuple[int, int]:
    """Where the n-th occurrence of the words is in TEXT."""
    start = -1
    for _ in range(n):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def workspace(store):
    """One article with the spans a model would have found and one suggestion of the rules."""
    added, _ = store.add_documents([{"name": "xiaomi", "title": "Xiaomi leads", "text": TEXT, "sha256": "s1", "lang": "en",
                                     "published": "2019-08-01"}])
    doc_id = added[0]["id"]
    spans = [{"start": a, "end": b, "label": label, "kb_id": None, "origin": "model"} for (a, b), label in (
        (place("Xiaomi", 2), "ORG"), (place("India", 2), "GPE"), (place("Strategy Analytics"), "ORG"), (place("TikTok"), "ORG"))]
    units = place("10.2 million")
    rules = [{"type": "shipments", "origin": "model", "confidence": 0.7, "evidence": None,
              "slots": {"subject": [{"start": place("Xiaomi", 2)[0], "end": place("Xiaomi", 2)[1], "text": "Xiaomi", "label": "ORG", "kb_id": None}],
                        "units": [{"start": units[0], "end": units[1], "text": "10.2 million",
                                   "value": {"kind": "count", "value": 10200000, "qualifier": "exact"}}]}}]
    store.replace_suggestions(doc_id, spans, rules, None, "rules-key", "test")
    return store, doc_id


def recommender(stub, **changes) -> Recommender:
    settings = load_settings()
    schema = load_claim_schema(settings.claims_schema)
    kb = KnowledgeBase.build(load_entity_file(settings.entities_schema, schema.entity_labels))
    llm = replace(LLMSettings(url=stub.url, model="stub-model", retries=2, backoff=0.01, timeout=2.0), **changes)
    return Recommender(llm, schema, load_values(), kb)


def llm_claims(store, doc_id):
    return [c for c in store.claims_of(doc_id) if c["origin"] == "llm"]


def test_claims_from_a_good_answer_are_stored_with_exact_offsets_origin_model_and_confidence(stub, workspace):
    store, doc_id = workspace
    stub.answer({"claims": [share_claim()]})
    report = recommend(store, recommender(stub))
    assert report["suggested"] == 1 and report["requests"] == 1 and not report["failed"]
    (claim,) = llm_claims(store, doc_id)
    for values in claim["slots"].values():
        for value in values:
            assert TEXT[value["start"]:value["end"]] == value["text"]
    assert claim["slots"]["share"][0]["value"] | {"text": None} == {"kind": "percent", "value": 28.7, "qualifier": "exact", "text": None}
    assert claim["slots"]["period"][0]["value"]["value"] == "2019-Q2"
    assert TEXT[claim["evidence"]["start"]:claim["evidence"]["end"]] == SHARE
    assert claim["status"] == "suggested" and claim["annotator"] == "model" and 0 < claim["confidence"] <= 0.9
    assert store.db.execute("SELECT model FROM claims WHERE id = ?", [claim["id"]]).fetchone()[0] == "stub-model"
    # what was asked: a JSON Schema built from the claim types, at temperature 0, the article's words
    body = stub.requests[0]["body"]
    assert stub.requests[0]["path"] == "/v1/chat/completions" and body["model"] == "stub-model" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    assert "market_share" in json.dumps(body["response_format"]["json_schema"]["schema"])
    assert "Strategy Analytics" in body["messages"][1]["content"]


def test_quotes_differing_in_whitespace_case_and_curly_quotes_are_aligned_to_the_text(stub, workspace):
    store, doc_id = workspace
    curly = SHARE.replace("India's", "India\u2019s").replace("28.7% share", "28.7%  share")
    stub.answer({"claims": [{**share_claim(subject="XIAOMI", period="the second  quarter of\n2019", source="strategy analytics",
                                           market="india"), "evidence": curly}]})
    recommend(store, recommender(stub))
    (claim,) = llm_claims(store, doc_id)
    slots = {name: TEXT[v[0]["start"]:v[0]["end"]] for name, v in claim["slots"].items()}
    assert slots == {"subject": "Xiaomi", "market": "India", "share": "28.7%", "period": "the second quarter of 2019",
                     "source": "Strategy Analytics"}
    assert TEXT[claim["evidence"]["start"]:claim["evidence"]["end"]] == SHARE


def test_words_a_little_off_are_found_fuzzily_within_the_evidence_sentence_but_never_another_number(stub, workspace):
    store, doc_id = workspace
    stub.answer({"claims": [share_claim(source="Stratgy Analytics", share="28.7 per cent")]})
    recommend(store, recommender(stub))
    (claim,) = llm_claims(store, doc_id)
    assert claim["slots"]["source"][0]["text"] == "Strategy Analytics"  # fuzzy, widened to whole words
    assert claim["slots"]["share"][0]["text"] == "28.7%"  # the same number, read by values.py both ways
    stub.answer({"claims": [share_claim(share="28.2%")]})
    report = recommend(store, recommender(stub, model="another"))
    assert report["suggested"] == 0 and report["not_suggested"] == 1  # 28.2% is not in the text
    assert llm_claims(store, doc_id) == []  # the other model's run replaced the first one's suggestion


def test_invented_quotes_are_visibly_not_in_the_text_and_a_claim_without_its_required_value_is_not_suggested(stub, workspace):
    store, doc_id = workspace
    stub.answer({"claims": [share_claim(source="Counterpoint Research"), share_claim(subject="Samsung")]})
    report = recommend(store, recommender(stub))
    assert report["suggested"] == 1 and report["not_suggested"] == 1
    (claim,) = llm_claims(store, doc_id)
    source = claim["slots"]["source"][0]
    assert source["start"] is None and source["end"] is None and source["text"] == "Counterpoint Research"
    curation = Curation.open(load_settings(store.path), store, "ana")
    shown = next(c for c in curation.claims(doc_id) if c["id"] == claim["id"])
    assert any("Counterpoint Research" in n and "not in the text" in n for n in shown["notices"])
    run = store.llm_run(doc_id)
    assert "subject “Samsung” not found in the text" in run["not_suggested"][0]["reason"]
    assert not any("Samsung" in json.dumps(c) for c in store.claims_of(doc_id))


def test_a_claim_the_rules_already_suggested_counts_once(stub, workspace, tmp_path):
    store, doc_id = workspace
    shipments = {"type": "shipments", "evidence": "The company shipped 10.2 million phones in India in the quarter.",
                 "confidence": 0.8, "slots": {"subject": "Xiaomi", "units": "10.2 million", "market": "India"}}
    stub.answer({"claims": [share_claim(), shipments]})
    report = recommend(store, recommender(stub))
    assert report["claims"] == 2 and report["suggested"] == 1 and report["duplicates"] == 1
    assert [c["type"] for c in store.claims_of(doc_id, ("suggested",))].count("shipments") == 1
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(f) for f in (
        {"doc": "xiaomi", "type": "market_share", "slots": {"subject": "Xiaomi", "share": 28.7}},
        {"doc": "xiaomi", "type": "shipments", "slots": {"subject": "Xiaomi", "units": 10200000}},
        {"doc": "xiaomi", "type": "user_metric", "slots": {"subject": "TikTok", "count": 500000000}})))
    schema = load_claim_schema(load_settings().claims_schema)
    sources = evaluate(store, schema, read_facts(gold, schema))["sources"]
    overall = {name: sources[name]["claims"]["overall"] for name in ("rules", "llm", "merged")}
    assert (overall["rules"]["tp"], overall["rules"]["fp"]) == (1, 0)
    assert (overall["llm"]["tp"], overall["llm"]["fp"]) == (2, 0)
    assert (overall["merged"]["tp"], overall["merged"]["fp"], overall["merged"]["fn"]) == (2, 0, 1)  # the shipments once


def test_a_second_run_sends_no_request_and_reuses_the_cache(stub, workspace):
    store, doc_id = workspace
    stub.answer({"claims": [share_claim()]})
    first = recommend(store, recommender(stub))
    second = recommend(store, recommender(stub))
    forced = recommend(store, recommender(stub), force=True)  # grounded again, from the cache
    assert len(stub.requests) == 1 and first["requests"] == 1
    assert second["requests"] == 0 and second["skipped"] == 1
    assert forced["requests"] == 0 and forced["cached"] == 1 and len(llm_claims(store, doc_id)) == 1
    # rules re-run (which drop the LLM's suggestions): the LLM's are put back from the cache
    store.replace_suggestions(doc_id, [], [], None, "other-key", "test")
    again = recommend(store, recommender(stub))
    assert again["requests"] == 0 and again["cached"] == 1 and len(llm_claims(store, doc_id)) == 1
    # another model, or a changed prompt, is another question
    recommend(store, recommender(stub, model="other-model"))
    assert len(stub.requests) == 2


def test_malformed_json_is_sent_back_once_for_repair(stub, workspace):
    store, doc_id = workspace
    stub.answer('{"claims": [{"type": "market_share", "evidence": ', f"```json\n{json.dumps({'claims': [share_claim()]})}\n```")
    report = recommend(store, recommender(stub))
    assert report["suggested"] == 1 and report["requests"] == 2 and len(llm_claims(store, doc_id)) == 1
    repair = stub.requests[1]["body"]["messages"]
    assert repair[-2]["role"] == "assistant" and "does not follow the required JSON shape" in repair[-1]["content"]


def test_garbage_twice_names_the_article_and_the_others_go_on(stub, workspace):
    store, doc_id = workspace
    store.add_documents([{"name": "other", "title": "Other", "text": "Nothing to see.", "sha256": "s2", "lang": "en"}])
    stub.answer("this is not JSON", "still not JSON", {"claims": []})
    report = recommend(store, recommender(stub))
    assert len(report["failed"]) == 1 and report["failed"][0].startswith("xiaomi: ") and "not the JSON asked for" in report["failed"][0]
    assert report["documents"] == 1 and report["stopped"] is None and llm_claims(store, doc_id) == []
    assert store.llm_run(doc_id) is None  # nothing recorded, nothing cached: a rerun asks again


def test_an_answer_that_is_not_a_chat_completion_is_told_as_such(stub, workspace):
    store, _ = workspace
    stub.answer((200, b"<html>proxy error</html>", {"Content-Type": "text/html"}, 0))
    report = recommend(store, recommender(stub))
    assert "not a chat completion" in report["failed"][0] and "proxy error" in report["failed"][0]


def test_a_slot_of_the_wrong_shape_is_repaired_or_left_out(stub, workspace):
    store, doc_id = workspace
    wrong = share_claim(share=28.7)
    wrong["slots"]["share"] = {"value": 28.7}
    stub.answer({"claims": [wrong, share_claim()]}, {"claims": [wrong, share_claim()]})
    report = recommend(store, recommender(stub))
    assert report["requests"] == 2 and "claims[0].slots.share" in stub.requests[1]["body"]["messages"][-1]["content"]
    assert report["suggested"] == 1 and not report["failed"] and llm_claims(store, doc_id)[0]["slots"]["share"][0]["text"] == "28.7%"


def test_timeouts_are_retried_with_backoff_then_stop_the_run_with_a_message(stub, workspace):
    store, _ = workspace
    stub.answer((200, completion({"claims": []}), {}, 1.0))
    started = time.monotonic()
    report = recommend(store, recommender(stub, timeout=0.2, retries=1))
    assert len(stub.requests) == 2 and time.monotonic() - started < 5
    assert "did not answer within 0.2 s (2 tries)" in report["stopped"]


def test_http_429_is_retried_after_the_servers_pause_and_then_answers(stub, workspace):
    store, doc_id = workspace
    stub.answer((429, {"error": {"message": "slow down"}}, {"Retry-After": "0.05"}, 0), {"claims": [share_claim()]})
    report = recommend(store, recommender(stub))
    assert len(stub.requests) == 2 and report["suggested"] == 1 and not report["failed"] and len(llm_claims(store, doc_id)) == 1


def test_http_500_that_persists_stops_the_run_saying_so(stub, workspace):
    store, _ = workspace
    stub.answer((500, {"error": {"message": "CUDA out of memory"}}, {}, 0))
    report = recommend(store, recommender(stub, retries=2))
    assert len(stub.requests) == 3
    assert "kept failing with HTTP 500" in report["stopped"] and "CUDA out of memory" in report["stopped"]


def test_an_endpoint_that_is_not_running_is_told_plainly(workspace):
    store, _ = workspace
    server = Stub()
    server.close()  # nothing listens on its port any more
    report = recommend(store, recommender(server, retries=0))
    assert "cannot be reached" in report["stopped"] and "is the server running?" in report["stopped"]


def test_an_endpoint_without_structured_output_is_asked_for_json_mode(stub, workspace):
    store, _ = workspace
    stub.answer((400, {"error": {"message": "response_format json_schema is not supported"}}, {}, 0), {"claims": [share_claim()]})
    rec = recommender(stub)
    report = recommend(store, rec)
    assert report["suggested"] == 1
    assert stub.requests[1]["body"]["response_format"] == {"type": "json_object"} and rec.client.modes[0] == "json_object"


def test_the_api_key_comes_from_the_environment_only_and_is_never_stored(stub, workspace, monkeypatch, tmp_path):
    store, _ = workspace
    monkeypatch.setenv("CLAIMDESK_LLM_API_KEY", "sk-secret-123")
    stub.answer({"claims": [share_claim()]})
    recommend(store, recommender(stub))
    assert stub.requests[0]["auth"] == "Bearer sk-secret-123"
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"sk-secret-123" not in store.path.read_bytes()
    (tmp_path / "config" / "claimdesk").mkdir(parents=True)
    (tmp_path / "config" / "claimdesk" / "llm.yaml").write_text("url: http://localhost:11434/v1\napi_key: sk-x\n")
    with pytest.raises(Exception, match=r"llm.yaml, line 2: an API key is never kept in a file"):
        load_llm_settings()


def test_settings_come_from_the_file_then_the_environment_then_the_flags(tmp_path, monkeypatch):
    (tmp_path / "config" / "claimdesk").mkdir(parents=True)
    (tmp_path / "config" / "claimdesk" / "llm.yaml").write_text("url: http://localhost:11434/v1\nmodel: a\ntimeout: 30\n")
    assert load_llm_settings() == LLMSettings(url="http://localhost:11434/v1", model="a", timeout=30.0)
    monkeypatch.setenv("CLAIMDESK_LLM_MODEL", "b")
    assert load_llm_settings().model == "b" and load_llm_settings(model="c").model == "c"
    assert not LLMSettings().enabled  # off unless configured


def test_long_articles_go_in_overlapping_pieces_of_paragraphs_and_a_fact_in_the_overlap_counts_once(stub, workspace):
    store, doc_id = workspace
    cuts = pieces(TEXT, 200)
    assert len(cuts) == 3 and all(b - a <= 200 for a, b in cuts[:-1])
    assert all(TEXT[a] != "\n" and (a == 0 or TEXT[a - 2:a] == "\n\n") for a, _ in cuts)  # whole paragraphs
    assert all(cuts[n + 1][0] < cuts[n][1] for n in range(len(cuts) - 1))  # each starts with the last one's last paragraph
    stub.answer({"claims": [share_claim()]})
    report = recommend(store, recommender(stub, piece_chars=200))
    assert report["requests"] == 3 and report["suggested"] == 1 and len(llm_claims(store, doc_id)) == 1
    assert report["not_suggested"] == 1  # the third piece does not hold the share: the claim said of it is not grounded
    assert "part 1 of 3" in stub.requests[0]["body"]["messages"][1]["content"]


def test_the_prompt_comes_from_the_schema_with_guidelines_and_gold_examples():
    schema = parse_claim_schema(load_settings().claims_schema.read_text().replace(
        "    description: Units a company shipped or sold in a market and period.\n",
        "    description: Units a company shipped or sold in a market and period.\n"
        "    guidelines: |\n      Units sold to shops count.\n      Forecast units are claims too.\n", 1))
    assert schema.claim_types["shipments"].guidelines.startswith("Units sold to shops count.")
    prompt = system_prompt(schema, {"market_share": [({"type": "market_share", "slots": {
        "subject": [{"text": "Apple"}], "share": [{"text": "12%"}]}}, "Apple had 12% of it.")]})
    assert "Guidelines: Units sold to shops count. Forecast units are claims too." in prompt
    assert "Guidelines: One claim per company and period." in prompt  # from claims.yaml itself
    assert '"evidence": "Apple had 12% of it."' in prompt and "share (required): a percentage" in prompt
    strict = answer_schema(schema)["properties"]["claims"]["items"]["anyOf"][0]
    assert strict["properties"]["slots"]["required"] == list(schema.claim_types["market_share"].slots)


def test_guidelines_that_are_not_text_are_reported_with_their_line():
    text = load_settings().claims_schema.read_text().replace(
        "    description: Units a company shipped or sold in a market and period.\n",
        "    description: Units a company shipped or sold in a market and period.\n    guidelines: [1, 2]\n", 1)
    with pytest.raises(Exception) as refused:
        parse_claim_schema(text, "claims.yaml")
    line = text.splitlines().index("    guidelines: [1, 2]") + 1
    assert f"claims.yaml, line {line}: 'guidelines' of claim type 'shipments' must be text" in str(refused.value)


def test_preannotate_with_llm_flags_needs_both_and_runs_after_the_rules(stub, workspace, capsys):
    store, _ = workspace
    assert run_cli("preannotate", "--db", store.path, "--llm", stub.url) == 2
    assert "--llm URL needs --llm-model NAME" in capsys.readouterr().err


@pytest.mark.model
def test_preannotate_llm_on_the_command_line_then_evaluate_side_by_side(stub, tmp_path, capsys):
    db = tmp_path / "w.db"
    article = tmp_path / "xiaomi.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli("import", "--db", db, article) == 0
    stub.answer({"claims": [share_claim(), {"type": "user_metric", "evidence": "TikTok has more than 500 million monthly active users worldwide.",
                                            "confidence": 0.8, "slots": {"subject": "TikTok", "count": "more than 500 million",
                                                                         "metric": {"quote": "monthly active users", "choice": "monthly_active_users"}}}]})
    assert run_cli("preannotate", "--db", db, "--llm", stub.url, "--llm-model", "stub-model") == 0
    out = capsys.readouterr().out
    assert "LLM stub-model at" in out and "1 articles asked about (1 requests" in out
    assert run_cli("preannotate", "--db", db, "--llm", stub.url, "--llm-model", "stub-model") == 0
    assert len(stub.requests) == 1 and "1 already up to date" in capsys.readouterr().out
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "xiaomi", "type": "user_metric", "slots": {"subject": "TikTok", "count": 500000000}}))
    assert run_cli("evaluate", "--db", db, "--gold", gold) == 0
    out = capsys.readouterr().out
    assert "rules, LLM and both merged" in out and "user_metric" in out and "not suggested" in out


def test_no_llm_no_request(stub, monkeypatch):
    for name in ("CLAIMDESK_LLM_URL", "CLAIMDESK_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    assert not load_llm_settings().enabled
    with pytest.raises(Exception, match="no LLM is configured"):
        Recommender(LLMSettings(), None, None, None)
    assert stub.requests == []


def test_stopping_stores_nothing(stub, workspace):
    store, doc_id = workspace
    stub.answer({"claims": [share_claim()]})
    report = recommend(store, recommender(stub), stop=lambda: True)
    assert report["stopped"] == "stopped on request" and llm_claims(store, doc_id) == [] and stub.requests == []


def test_llm_unavailable_is_an_environment_problem():
    from annotations.errors import EnvironmentProblem

    assert issubclass(LLMUnavailable, EnvironmentProblem)


def test_an_older_workspace_is_upgraded_keeping_every_claim_and_slot(tmp_path):
    import sqlite_utils

    from annotations.store import Store, migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m008_llm_cache")
    db.execute("INSERT INTO documents (id, name, title, text, sha256, lang, imported_at) VALUES (1, 'd', 't', 'Xiaomi', 'h', 'en', 'now')")
    db.execute("INSERT INTO claims (id, doc_id, type, origin, status, annotator, created_at, updated_at) "
               "VALUES ('c', 1, 'role', 'curator', 'accepted', 'ana', 'now', 'now')")
    db.execute("INSERT INTO claim_slots (claim_id, slot, start, [end], text) VALUES ('c', 'person', 0, 6, 'Xiaomi')")
    db.conn.commit()
    db.close()
    with Store(path) as store:
        assert store.claims_of(1)[0]["slots"]["person"][0]["text"] == "Xiaomi"
        store.insert_claims([{"id": "l", "doc_id": 1, "type": "role", "origin": "llm", "status": "suggested", "annotator": "model",
                              "model": "m", "slots": {}}], "now")
        with pytest.raises(Exception, match="CHECK constraint failed"):
            store.insert_claims([{"doc_id": 1, "type": "role", "origin": "guess", "status": "suggested", "annotator": "model",
                                  "slots": {}}], "now")
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def llm_window(qtbot, store, monkeypatch, stub):
    from annotations.workspace import open_workspace
    from gui.main_window import MainWindow

    monkeypatch.setenv("CLAIMDESK_LLM_URL", stub.url)
    monkeypatch.setenv("CLAIMDESK_LLM_MODEL", "stub-model")
    monkeypatch.setenv("CLAIMDESK_LLM_BACKOFF", "0.01")
    settings = load_settings(store.path)
    window = MainWindow(open_workspace(settings), Curation.open(settings, store, "ana"))
    qtbot.addWidget(window)
    window.show()
    window.open_document(store.document_id("xiaomi"))
    return window


@pytest.mark.gui
def test_suggest_with_the_llm_in_the_window_runs_in_a_worker_and_shows_the_claims(qtbot, stub, workspace, monkeypatch):
    store, _ = workspace
    stub.answer((200, completion({"claims": [share_claim(source="Counterpoint Research")]}), {}, 0.3))
    window = llm_window(qtbot, store, monkeypatch, stub)
    before = window.claims.rowCount()
    window.suggest_with_llm()
    assert window.llm_worker.isRunning() and window.llm_progress.isVisible()  # the window is not blocked meanwhile
    qtbot.waitUntil(lambda: "1 claim suggested, 0 already there" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.claims.rowCount() == before + 1 and window.llm_progress is None
    shown = next(window.claims.claim(n) for n in range(window.claims.rowCount()) if window.claims.claim(n)["origin"] == "llm")
    assert any("Counterpoint Research" in n for n in shown["notices"])  # the invented source, visibly not in the text
    window.store.close()


@pytest.mark.gui
def test_cancelling_the_llm_stores_no_suggestion(qtbot, stub, workspace, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    store, doc_id = workspace
    stub.answer((200, completion({"claims": [share_claim()]}), {}, 0.5))
    window = llm_window(qtbot, store, monkeypatch, stub)
    window.suggest_with_llm()
    window.llm_progress.findChild(QPushButton).click()  # Cancel
    qtbot.waitUntil(lambda: not window.llm_worker.isRunning(), timeout=10_000)
    qtbot.waitUntil(lambda: "no suggestion was stored" in window.statusBar().currentMessage())
    assert llm_claims(store, doc_id) == []
    window.store.close()


@pytest.mark.gui
def test_without_an_llm_the_window_says_how_to_configure_one(qtbot, stub, workspace, monkeypatch):
    store, _ = workspace
    window = llm_window(qtbot, store, monkeypatch, stub)
    monkeypatch.delenv("CLAIMDESK_LLM_URL")
    window.suggest_with_llm()
    assert "no LLM is configured" in window.statusBar().currentMessage() and stub.requests == []
    window.store.close()


def test_a_local_endpoint_is_reached_directly_even_with_a_proxy_in_the_environment(stub, workspace, monkeypatch):
    store, doc_id = workspace
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("no_proxy", "")
    stub.answer({"claims": [share_claim()]})
    assert recommend(store, recommender(stub))["suggested"] == 1 and len(llm_claims(store, doc_id)) == 1
    with pytest.raises(Exception, match="not an http:// or https:// address"):
        recommender(stub, url="localhost:11434/v1")


@pytest.mark.model
def test_evaluate_a_gold_corpus_with_the_llm_side_by_side(stub, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / "xiaomi.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "published.json").write_text('{"xiaomi": "2019-08-01"}')
    (corpus / "gold_a.jsonl").write_text(json.dumps({"doc": "xiaomi", "type": "market_share", "slots": {"subject": "Xiaomi", "share": 28.7}}))
    stub.answer({"claims": [share_claim()]})
    assert run_cli("evaluate", "--corpus", corpus, "--llm", stub.url, "--llm-model", "stub-model", "--json") == 0
    sources = json.loads(capsys.readouterr().out)["sources"]
    assert sources["llm"]["claims"]["overall"]["tp"] == 1 and sources["merged"]["claims"]["overall"]["tp"] == 1
    assert len(stub.requests) == 1
