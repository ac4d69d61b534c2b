"""The optional LLM recommender: claims suggested by any OpenAI-compatible chat endpoint.

Off unless configured (settings.LLMSettings): nothing leaves the machine otherwise. For each article
the prompt is built from the claim schema (each type's description, guidelines and slots, with
kinds, labels and choices) and a few of the workspace's gold claims of each type, and the article
is sent in pieces of paragraphs that overlap by one paragraph. The answer's shape is a JSON Schema
built from the claim types: asked for as structured output (`response_format` json_schema) where
the endpoint takes it, else as JSON mode, else by the prompt alone; it is validated either way,
and an answer that does not follow it is sent back once for repair.

Every slot value comes with the words it was read from, and grounding.py ties those words to the
text; claims are stored as suggestions with origin `llm`, the model's name and a confidence, after
those the rules or a curator already made (counted once). Answers are cached in the workspace per
(document hash, schema hash, model, prompt, piece): a second run sends no request. Timeouts,
refused connections, HTTP 429 and 5xx are retried with backoff; an endpoint that stays down stops
the run with a message saying so, an answer that is garbage is named with its article and skipped.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import jsonschema

from annotations import jsontext
from annotations.errors import ClaimdeskError, EnvironmentProblem
from annotations.evaluate import as_fact, same_fact
from annotations.grounding import Grounder
from annotations.model import LLM_MODEL_FIELD
from annotations.nlp.kb import KnowledgeBase
from annotations.nlp.values import Values, parse_date
from annotations.schema import ClaimSchema, ClaimType, Slot
from annotations.settings import LLMSettings
from annotations.store import Store

MAX_WAIT = 60.0  # seconds: the longest pause before a retry, whatever a Retry-After header asks
MODES = ("json_schema", "json_object", "none")  # how the answer's shape is asked for, best first
FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class LLMUnavailable(EnvironmentProblem):
    """The endpoint cannot be used now (down, too slow, refusing): the run stops."""


class LLMAnswerError(ClaimdeskError):
    """The endpoint answered something that is not what was asked for, even after one repair."""


class Stopped(Exception):
    """The person asked to stop (the window's Cancel)."""


# -- what is sent -----------------------------------------------------------------------------------

def pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Stretches of at most about `size` characters made of whole paragraphs, each starting with
    the last paragraph of the one before (a fact across a paragraph break is seen whole once);
    a paragraph longer than `size` is cut at sentence ends."""
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text) if m.group().strip()]
    if not paragraphs:
        return [(0, len(text))] if text else []
    units = []
    for a, b in paragraphs:
        while b - a > size:
            cut = max(text.rfind(". ", a, a + size), text.rfind("\n", a, a + size))
            cut = cut + 1 if cut > a + size // 2 else a + size
            units.append((a, cut))
            a = cut
        units.append((a, b))
    found, first = [], 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1][1] - units[first][0] <= size:
            last += 1
        found.append((units[first][0], units[last][1]))
        if last + 1 >= len(units):
            break
        first = last if last > first else last + 1  # the next piece starts with this one's last paragraph
    return found


def _slot_line(slot: Slot, labels: dict) -> str:
    kind = slot.kind
    if kind == "entity":
        names = ", ".join(f"{label} ({labels[label].description})" if label in labels and labels[label].description else label
                          for label in slot.labels) or "any name"
        what = f"the name of a {names}"
    elif kind == "choice":
        what = 'one of these, as {"quote": the words of the article, "choice": the key}: ' + "; ".join(
            f"{key} ({', '.join(phrases[:4])})" if phrases else key for key, phrases in slot.choices.items())
    elif kind == "percent":
        what = "a percentage, the words giving it (\"28.7%\", \"nearly a third\")" \
            + (" (a fall is negative: quote the words of the fall too)" if slot.signed else "")
    elif kind == "money":
        what = "an amount of money with its currency, the words giving it (\"Rs 22.37 crore\", \"$1.2bn\")"
    elif kind == "count":
        what = "a number of things or people, the words giving it (\"more than 500 million\")"
    elif kind in ("period", "date"):
        what = f"a {kind}, the words giving it (\"the second quarter of 2019\", \"last year\")"
    elif kind == "ordinal":
        what = "a rank (\"second\", \"No. 1\")"
    else:
        what = "words of the article"
    flags = [flag for flag, on in (("required", slot.required), ("several allowed: a list", slot.multiple)) if on]
    note = f" {slot.description}" if slot.description else ""
    return f"  - {slot.name}{' (' + ', '.join(flags) + ')' if flags else ''}: {what}.{note}"


def _example(claim: dict, evidence: str, claim_type: ClaimType) -> dict:
    slots: dict = {}
    for name, slot in claim_type.slots.items():
        values = claim["slots"].get(name) or []
        items = [{"quote": v.get("text", ""), "choice": (v.get("value") or {}).get("value")} if slot.kind == "choice"
                 else v.get("text", "") for v in values]
        slots[name] = items if slot.multiple else (items[0] if items else None)
    return {"type": claim["type"], "evidence": evidence, "confidence": 1.0, "slots": slots}


def system_prompt(schema: ClaimSchema, examples: dict[str, list[tuple[dict, str]]]) -> str:
    """What the model is told: the task, the rules of quoting, every claim type, and examples."""
    lines = [
        "You read a news article and list the facts (claims) it states, for a dataset that people check.",
        'Answer with one JSON object and nothing else: {"claims": [...]}, an empty list when the article states none.',
        ("Each claim has: \"type\" (one of the claim types below), \"evidence\" (the sentence of the article stating it, "
         "copied exactly), \"confidence\" (0 to 1: how sure you are) and \"slots\"."),
        ("For every slot give the words of the article it is read from, copied character for character: do not "
         "translate, paraphrase, convert numbers or expand abbreviations. Use null for a slot the article does not state. "
         "Never use knowledge from outside the article."),
        ("A fact the article gives as a forecast or a plan is a claim too. One claim per fact: a fact repeated in the "
         "article is listed once."),
        "",
        "Claim types:",
    ]
    for claim_type in schema.claim_types.values():
        lines.append(f"- {claim_type.name}: {claim_type.description}")
        if claim_type.guidelines:
            lines.append("  Guidelines: " + " ".join(claim_type.guidelines.split()))
        lines.append("  Slots:")
        lines += [_slot_line(slot, schema.entity_labels) for slot in claim_type.slots.values()]
    shown = [json.dumps(_example(claim, evidence, schema.claim_types[name]), ensure_ascii=False)
             for name, found in examples.items() for claim, evidence in found if name in schema.claim_types]
    if shown:
        lines += ["", "Examples of claims as curators recorded them in other articles:", *shown]
    return "\n".join(lines)


def user_prompt(title: str, published: str | None, text: str, number: int, count: int) -> str:
    part = f", part {number} of {count} (parts overlap by a paragraph)" if count > 1 else ""
    date = f", published {published}" if published else ""
    return f"Article “{title}”{date}{part}:\n\n{text}"


def _slot_shape(slot: Slot) -> dict:
    if slot.kind == "choice":
        item = {"type": "object", "properties": {"quote": {"type": "string"}, "choice": {"type": "string", "enum": list(slot.choices)}},
                "required": ["quote", "choice"], "additionalProperties": False}
    else:
        item = {"type": "string"}
    shape = {"type": "array", "items": item} if slot.multiple else item
    return shape if slot.required else {"anyOf": [shape, {"type": "null"}]}


def answer_schema(schema: ClaimSchema, strict: bool = True) -> dict:
    """The JSON Schema of an answer, from the claim types. Strict, it is what is asked for as
    structured output, written so that OpenAI's strict mode takes it (every property required,
    optional slots nullable, no unknown properties); not strict, it is what an answer is checked
    against: optional slots and the confidence may also be left out."""
    types = []
    for claim_type in schema.claim_types.values():
        slots = {name: _slot_shape(slot) for name, slot in claim_type.slots.items()}
        types.append({"type": "object", "additionalProperties": False,
                      "required": ["type", "evidence", "confidence", "slots"] if strict else ["type", "evidence", "slots"],
                      "properties": {"type": {"type": "string", "enum": [claim_type.name]}, "evidence": {"type": "string"},
                                     "confidence": {"type": "number"} if strict else {"type": ["number", "null"]},
                                     "slots": {"type": "object", "properties": slots,
                                               "required": list(slots) if strict else list(claim_type.required_slots),
                                               "additionalProperties": False}}})
    return {"type": "object", "additionalProperties": False, "required": ["claims"],
            "properties": {"claims": {"type": "array", "items": {"anyOf": types}}}}


# -- the endpoint -----------------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(f"HTTP {status}: {detail}")
        self.status, self.detail = status, detail


@dataclass
class ChatClient:
    """Sends chat requests to an OpenAI-compatible endpoint with urllib (no SDK), retrying what
    may pass (timeouts, refused connections, 429, 5xx) with exponential backoff."""

    llm: LLMSettings
    stop: Callable[[], bool] | None = None
    sleep: Callable[[float], None] = time.sleep
    modes: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    def __post_init__(self):
        if not self.modes:
            self.modes = list(MODES) if self.llm.structured == "auto" else [self.llm.structured]
        url = (self.llm.url or "").rstrip("/")
        self.endpoint = url if url.endswith("/chat/completions") else f"{url}/chat/completions"
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ClaimdeskError(f"the LLM's URL {self.llm.url!r} is not an http:// or https:// address")
        # an endpoint on this machine is reached directly, never through a proxy of the environment
        local = parts.hostname == "localhost" or parts.hostname.startswith("127.") or parts.hostname == "::1"
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({})) if local else urllib.request.build_opener()

    @property
    def where(self) -> str:
        return f"the LLM at {self.endpoint}"

    def ask(self, messages: list[dict], shape: dict) -> str:
        """The text of the model's answer. A 400 or 422 while asking for a structured answer is
        taken as "not supported here": the next way of asking is tried, and kept for the session."""
        while True:
            try:
                return self._post(self._body(messages, shape, self.modes[0]))
            except _Refused as e:
                if len(self.modes) > 1:
                    self.modes.pop(0)
                    continue
                raise LLMAnswerError(f"{self.where} refused the request ({e}); perhaps the article piece is longer than "
                                     "the model's context (lower piece_chars)") from None

    def _body(self, messages: list[dict], shape: dict, mode: str) -> dict:
        body = {LLM_MODEL_FIELD: self.llm.model, "messages": messages, "temperature": 0, "stream": False}
        if mode == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {"name": "claims", "strict": True, "schema": shape}}
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def _post(self, body: dict) -> str:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        tries = self.llm.retries + 1
        problem = ""
        for attempt in range(tries):
            self._check_stop()
            headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "claimdesk"}
            key = os.environ.get(self.llm.api_key_env)
            if key:
                headers["Authorization"] = f"Bearer {key}"
            request = urllib.request.Request(self.endpoint, data=data, headers=headers, method="POST")
            wait = self.llm.backoff * 2 ** attempt
            started = time.monotonic()
            try:
                with self.opener.open(request, timeout=self.llm.timeout) as response:
                    raw = response.read()
                return self._content(raw)
            except urllib.error.HTTPError as e:
                detail = _detail(e)
                if e.code in (400, 422):
                    raise _Refused(e.code, detail) from None
                if e.code in (401, 403):
                    raise LLMUnavailable(f"{self.where} refused the request (HTTP {e.code}: {detail}); an API key is read from "
                                         f"${self.llm.api_key_env}, which is {'set' if key else 'not set'}") from None
                if e.code == 404:
                    raise LLMUnavailable(f"{self.where} answered HTTP 404 ({detail}): the URL should be the API's base "
                                         "(http://localhost:11434/v1 for Ollama, http://localhost:8080/v1 for llama.cpp) "
                                         f"and the model {self.llm.model!r} must be there") from None
                if e.code != 429 and e.code < 500:
                    raise LLMUnavailable(f"{self.where} answered HTTP {e.code} ({detail})") from None
                problem = ("kept answering HTTP 429 Too Many Requests (its rate limit)" if e.code == 429
                           else f"kept failing with HTTP {e.code} ({detail})")
                wait = _retry_after(e) or wait
            except TimeoutError:
                problem = f"did not answer within {self.llm.timeout:g} s"
            except urllib.error.URLError as e:
                if isinstance(e.reason, TimeoutError):
                    problem = f"did not answer within {self.llm.timeout:g} s"
                else:
                    problem = f"cannot be reached ({getattr(e.reason, 'strerror', None) or e.reason}); is the server running?"
            except (ConnectionError, http.client.HTTPException) as e:
                problem = f"broke the connection ({type(e).__name__}: {e})"
            finally:
                self.requests += 1
                self.seconds += time.monotonic() - started
            if attempt + 1 < tries:
                self._wait(min(wait, MAX_WAIT))
        raise LLMUnavailable(f"{self.where} {problem} ({tries} {'try' if tries == 1 else 'tries'})")

    def _content(self, raw: bytes) -> str:
        try:
            answer = jsontext.parse(raw)
            choice = answer["choices"][0]
            content = choice["message"]["content"]
        except (jsontext.NotJson, KeyError, IndexError, TypeError):
            shown = raw[:120].decode("utf-8", "replace")
            raise LLMAnswerError(f"{self.where} answered something that is not a chat completion: {shown!r}") from None
        if not isinstance(content, str):
            raise LLMAnswerError(f"{self.where} answered a chat completion without text (finish_reason "
                                 f"{choice.get('finish_reason')!r})")
        if choice.get("finish_reason") == "length":
            raise LLMAnswerError(f"{self.where} stopped at its output limit before the answer was complete; "
                                 "give the model a larger context or lower piece_chars")
        return content

    def _check_stop(self) -> None:
        if self.stop and self.stop():
            raise Stopped

    def _wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self._check_stop()
            self.sleep(min(left, 0.1))


def _detail(e: urllib.error.HTTPError) -> str:
    try:
        body = e.read(300).decode("utf-8", "replace")
    except OSError:
        body = ""
    try:
        message = json.loads(body)["error"]
        body = message.get("message", body) if isinstance(message, dict) else str(message)
    except (ValueError, KeyError, TypeError):
        pass
    return " ".join(f"{e.reason or ''} {body}".split())[:200] or "no detail"


def _retry_after(e: urllib.error.HTTPError) -> float | None:
    try:
        return max(float(e.headers.get("Retry-After", "")), 0.0)
    except (TypeError, ValueError):
        return None


class AnswerCheck:
    """What in an answer does not follow the asked shape, each claim checked against its own
    type's shape (so that the message says which slot is wrong, not only "none of the types")."""

    def __init__(self, schema: ClaimSchema):
        lenient = answer_schema(schema, strict=False)
        per_type = lenient["properties"]["claims"]["items"]["anyOf"]
        self.root = jsonschema.Draft202012Validator(
            {**lenient, "properties": {"claims": {"type": "array", "items": {"type": "object"}}}})
        self.types = {shape["properties"]["type"]["enum"][0]: jsonschema.Draft202012Validator(shape) for shape in per_type}

    def problems(self, answer) -> list[str]:
        errors = [(list(e.absolute_path), e.message) for e in self.root.iter_errors(answer)]
        if not errors:
            for n, claim in enumerate(answer["claims"]):
                checker = self.types.get(claim.get("type"))
                if checker is None:
                    errors.append((["claims", n, "type"], f"{claim.get('type')!r} is not one of {', '.join(self.types)}"))
                    continue
                errors += [(["claims", n, *e.absolute_path], e.message) for e in checker.iter_errors(claim)]
        return [("".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "the answer")
                + f": {message[:160]}" for path, message in errors[:8]]

    def valid_claim(self, claim) -> bool:
        return isinstance(claim, dict) and claim.get("type") in self.types and self.types[claim["type"]].is_valid(claim)


def read_answer(content: str, check: AnswerCheck) -> tuple[dict | None, list[str]]:
    """The answer as JSON (a ```json fence around it is allowed) and what in it does not follow
    the asked shape."""
    fenced = FENCE.match(content)
    text = fenced.group(1) if fenced else content.strip()
    try:
        answer = jsontext.parse(text)
    except jsontext.NotJson as e:
        return None, [f"{e} in {text[:80]!r}"]
    return answer, check.problems(answer)


# -- one article --------------------------------------------------------------------------------------

def _content(claim: dict) -> tuple:
    """What a grounded claim says, wherever it is said (overlapping pieces repeat facts)."""
    def key(v: dict):
        value = (v.get("value") or {}).get("value")
        return v.get("kb_id") or (json.dumps(value) if value is not None else v.get("text", "").strip().lower())
    return claim["type"], tuple(sorted((name, tuple(key(v) for v in values)) for name, values in claim["slots"].items()))


def same_claim(a: dict, b: dict, schema: ClaimSchema) -> bool:
    """Whether two claims state one fact: evaluate's match (type, subject, main value) either way."""
    return same_fact(as_fact("", a, schema), as_fact("", b, schema), schema)


class Recommender:
    """Claims for one article from the configured LLM, grounded, deduplicated and stored."""

    def __init__(self, llm: LLMSettings, schema: ClaimSchema, values: Values, kb: KnowledgeBase):
        if not llm.enabled:
            raise ClaimdeskError("no LLM is configured: give --llm URL --llm-model NAME, or set CLAIMDESK_LLM_URL and "
                                 "CLAIMDESK_LLM_MODEL (the README says how to run one locally)")
        self.llm, self.schema, self.values, self.kb = llm, schema, values, kb
        self.shape = answer_schema(schema)
        self.check = AnswerCheck(schema)
        self.schema_hash = schema.hash
        self.client = ChatClient(llm)
        self._recorded = None

    @classmethod
    def from_settings(cls, llm: LLMSettings, settings, store: Store | None = None) -> Recommender:
        from annotations.nlp.values import VALUES_FILE, load_values
        from annotations.schema import load_claim_schema, load_entity_file

        schema = load_claim_schema(settings.claims_schema)
        entity_file = load_entity_file(settings.entities_schema, schema.entity_labels)
        extra = store.kb_additions() if store else ((), ())
        return cls(llm, schema, load_values(VALUES_FILE), KnowledgeBase.build(entity_file, *extra))

    def examples(self, store: Store, doc_id: int) -> dict[str, list[tuple[dict, str]]]:
        if self.llm.examples <= 0:
            return {}
        return {name: found for name in self.schema.claim_types if (found := store.gold_examples(name, self.llm.examples, doc_id))}

    def suggest(self, store: Store, doc_id: int, force: bool = False, stop: Callable[[], bool] | None = None,
                progress: Callable[[int, int], None] | None = None) -> dict:
        """Ask about one article (answers from the cache where there are some), ground the claims
        and store them; a report of what was sent and suggested. Nothing is stored when stopped."""
        self.client.stop = stop
        if self._recorded != store.path:  # the schema the claims are made under, once per workspace
            store.record_schema("claims", self.schema)
            self._recorded = store.path
        doc = store.document(doc_id)
        system = system_prompt(self.schema, self.examples(store, doc_id))
        prompt_hash = hashlib.sha256(system.encode("utf-8")).hexdigest()
        cuts = pieces(doc.text, self.llm.piece_chars)
        run_key = _key(doc.sha256, self.schema_hash, self.llm.model, prompt_hash, str(self.llm.piece_chars))
        report = {"doc": doc.name, "requests": 0, "cached": 0, "claims": 0, "suggested": 0, "duplicates": 0,
                  "not_suggested": 0, "seconds": 0.0, "skipped": False}
        last = store.llm_run(doc_id)
        if not force and last and last["key"] == run_key and not last["redo"]:
            report["skipped"] = True
            return report
        grounder = Grounder(doc.text, doc.lang, parse_date(doc.published), self.schema, self.values, self.kb, store.spans_of(doc_id))
        grounded, refused = [], []
        for number, (lo, hi) in enumerate(cuts, start=1):
            if stop and stop():
                raise Stopped
            messages = [{"role": "system", "content": system},
                        {"role": "user", "content": user_prompt(doc.title, doc.published, doc.text[lo:hi], number, len(cuts))}]
            key = _key(doc.sha256, self.schema_hash, self.llm.model, prompt_hash, f"{lo}-{hi}")
            answer = self._answer(store, key, messages, doc, prompt_hash, number, report)
            for raw in answer.get("claims", []):
                if not isinstance(raw, dict):
                    continue
                claim, reason = grounder.claim(raw, (lo, hi))
                if claim is None:
                    refused.append({"type": raw.get("type"), "reason": reason, "evidence": str(raw.get("evidence") or "")[:300]})
                else:
                    grounded.append(claim)
            if progress:
                progress(number, len(cuts))
        unique: dict[tuple, dict] = {}
        for claim in sorted(grounded, key=lambda c: -c["confidence"]):
            unique.setdefault(_content(claim), claim)
        grounded = list(unique.values())
        if stop and stop():
            raise Stopped

        def new_claims(existing: list[dict]) -> list[dict]:
            fresh = [c for c in grounded if not any(same_claim(c, e, self.schema) for e in existing)]
            report["duplicates"] = len(grounded) - len(fresh)
            return [{**c, LLM_MODEL_FIELD: self.llm.model} for c in fresh]

        run = {LLM_MODEL_FIELD: self.llm.model, "key": run_key, "claims": grounded, "not_suggested": refused}
        report["suggested"] = len(store.replace_llm_suggestions(doc_id, new_claims, run, self.schema_hash))
        report.update(claims=len(grounded), not_suggested=len(refused))
        return report

    def _answer(self, store: Store, key: str, messages: list[dict], doc, prompt_hash: str, number: int, report: dict) -> dict:
        cached = store.llm_answer(key)
        if cached is not None:
            report["cached"] += 1
            answer, _ = read_answer(cached, self.check)
            return answer if isinstance(answer, dict) else {"claims": []}
        before, seconds = self.client.requests, self.client.seconds
        try:
            content = self.client.ask(messages, self.shape)
            answer, problems = read_answer(content, self.check)
            if problems:  # one repair: the answer and what is wrong with it go back
                repair = [*messages, {"role": "assistant", "content": content[:20_000]},
                          {"role": "user", "content": "That answer does not follow the required JSON shape: " + "; ".join(problems)
                           + '. Answer again with the corrected JSON object only: {"claims": [...]}.'}]
                content = self.client.ask(repair, self.shape)
                answer, problems = read_answer(content, self.check)
        finally:
            report["requests"] += self.client.requests - before
            report["seconds"] += self.client.seconds - seconds
        if not isinstance(answer, dict) or not isinstance(answer.get("claims"), list):
            raise LLMAnswerError(f"the LLM's answer is not the JSON asked for, even after a request to repair it "
                                 f"({'; '.join(problems[:2])})")
        if problems:  # the claims that follow the shape are used; the others are left out by grounding or here
            answer = {"claims": [c for c in answer["claims"] if self.check.valid_claim(c)]}
            content = json.dumps(answer, ensure_ascii=False)
        store.cache_llm_answer(key, doc.sha256, self.schema_hash, self.llm.model, prompt_hash, number, content,
                               self.client.seconds - seconds)
        return answer


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# -- many articles ----------------------------------------------------------------------------------

def recommend(store: Store, recommender: Recommender, doc_ids: list[int] | None = None, force: bool = False,
              include_done: bool = False, progress: Callable[[int], None] | None = None,
              stop: Callable[[], bool] | None = None) -> dict:
    """The LLM's suggestions for these articles (default: all but those someone marked done).
    An article whose answer is garbage is named and skipped; an endpoint that is down stops the run."""
    finished = set() if include_done else store.finished_documents()
    wanted = doc_ids if doc_ids is not None else store.document_ids()
    ids = [d for d in wanted if d not in finished]
    total = {"documents": 0, "skipped": 0, "finished": len(wanted) - len(ids), "requests": 0,
             "cached": 0, "claims": 0, "suggested": 0, "duplicates": 0, "not_suggested": 0, "seconds": 0.0, "failed": [],
             "stopped": None}
    for doc_id in ids:
        try:
            report = recommender.suggest(store, doc_id, force=force, stop=stop)
        except LLMAnswerError as e:
            total["failed"].append(f"{store.document_name(doc_id)}: {e}; no LLM suggestions for this article")
        except LLMUnavailable as e:
            total["failed"].append(f"{store.document_name(doc_id)}: {e}")
            total["stopped"] = str(e)
            break
        except Stopped:
            total["stopped"] = "stopped on request"
            break
        else:
            for name in ("requests", "cached", "claims", "suggested", "duplicates", "not_suggested", "seconds"):
                total[name] += report[name]
            total["skipped" if report["skipped"] else "documents"] += 1
        if progress:
            progress(1)
    return total
