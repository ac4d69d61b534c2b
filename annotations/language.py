"""Offline language detection (langdetect, Google's language-detection profiles), made repeatable."""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect

# langdetect is randomised by default; a fixed seed makes the same text always get the same language.
DetectorFactory.seed = 0

UNKNOWN = "xx"
SAMPLE = 5000


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "xx" when it cannot be told (too short, no letters)."""
    try:
        return detect(text[:SAMPLE])
    except LangDetectException:
        return UNKNOWN
