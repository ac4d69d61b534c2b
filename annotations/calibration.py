"""Confidence that means something: the share of such suggestions that were right on real news.

schemas/calibration.yaml holds, per claim type and basis (what a suggestion is anchored on, a
number or a trigger word, and where its first required name came from: the parse, the words
nearby, an earlier sentence, the article's main company), the precision measured on the
development part of the real-news corpus, and the confidence below which nothing is suggested
(chosen there where the lower of precision and recall is highest, as the product is held to
both; ties go to the better F1). It holds for the language it was measured on (English); other
languages keep the rules' own figures and get every suggestion. A suggestion's confidence is that precision: of suggestions shown
at 0.7, about seven in ten are right, which `evaluate` checks with its reliability curve.

    python main.py evaluate --corpus tests/data/realnews/dev --calibrate schemas/calibration.yaml

measures it again. Calibrate on a development part only: a test part that was calibrated on no
longer measures anything.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from annotations.errors import SchemaError
from annotations.settings import SCHEMA_DIR
from annotations.yamlfile import load_yaml, read_text

CALIBRATION_FILE = SCHEMA_DIR / "calibration.yaml"
PRIOR = 3.0  # how many suggestions' worth the type's (or all types') precision weighs in a thin cell


@dataclass(frozen=True)
class Calibration:
    # claim type -> basis -> precision; "*" for the type as a whole, and a "*" type for each basis over all types
    precision: dict[str, dict[str, float]]
    min_confidence: float
    lang: str = "en"  # measured on articles of this language: others keep their heuristic figures

    def confidence(self, claim_type: str, basis: str, raw: float) -> float:
        by_type = self.precision.get(claim_type)
        if by_type is None:  # a type added to the YAML since: its own heuristic figure
            return raw
        # a basis never seen for this type (a phrasing it had no chance to use): the basis over all types
        return by_type.get(basis, self.precision.get("*", {}).get(basis, by_type.get("*", raw)))


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    if not path.exists():
        return None
    data = load_yaml(read_text(path), str(path))
    try:
        precision = {str(t): {str(b): float(p) for b, p in bases.items()} for t, bases in data["precision"].items()}
        return Calibration(precision, float(data["min_confidence"]), str(data.get("lang", "en")))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise SchemaError([f"{path}, line 1: calibration cannot be read ({e}); make it again with evaluate --calibrate"]) from e


def fit(judged: list[tuple[str, str, float, bool]], gold_count: int, lang: str = "en") -> Calibration:
    """From (claim type, basis, raw confidence, right) of every suggestion on development gold: each
    cell's precision, shrunk towards its type's (and that towards all types') where it is thin, and the
    threshold where the lower of precision and recall is highest."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for claim_type, basis, _, right in judged:
        for key in (basis, "*"):
            counts[claim_type][key][0] += right
            counts[claim_type][key][1] += 1
    overall = sum(r for *_, r in judged) / len(judged) if judged else 0.5
    precision = {}
    for claim_type, bases in counts.items():
        right, n = bases["*"]
        type_p = (right + PRIOR * overall) / (n + PRIOR)
        precision[claim_type] = {basis: round((r + PRIOR * type_p) / (m + PRIOR), 2) if basis != "*" else round(type_p, 2)
                                 for basis, (r, m) in sorted(bases.items())}
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, basis, _, right in judged:
        pooled[basis][0] += right
        pooled[basis][1] += 1
    precision["*"] = {basis: round((r + PRIOR * overall) / (m + PRIOR), 2) for basis, (r, m) in sorted(pooled.items())}
    scored = sorted(((precision[t].get(b, precision[t]["*"]), right) for t, b, _, right in judged), reverse=True)
    # the threshold where the lower of precision and recall is highest: the product is held to both
    best, threshold, right_so_far = (-1.0, -1.0), 0.0, 0
    for n, (confidence, right) in enumerate(scored, start=1):
        right_so_far += right
        precision_, recall = right_so_far / n, right_so_far / gold_count if gold_count else 0.0
        score = (min(precision_, recall), 2 * right_so_far / (n + gold_count) if gold_count else 0.0)
        if score > best and (n == len(scored) or scored[n][0] < confidence):
            best, threshold = score, confidence
    return Calibration(precision, threshold, lang)


def write_calibration(path: Path, calibration: Calibration, made_from: str) -> None:
    header = (f"# Written by `python main.py evaluate --corpus ... --calibrate`: {made_from}.\n"
              "# precision: of the suggestions of that claim type and basis, the share that were right on development\n"
              "# gold; it is their confidence. Nothing below min_confidence is suggested. See annotations/calibration.py.\n")
    body = yaml.safe_dump({"version": 1, "lang": calibration.lang, "min_confidence": calibration.min_confidence,
                           "precision": calibration.precision},
                          sort_keys=False, allow_unicode=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(header + body, encoding="utf-8")
    partial.replace(path)
