"""The one place where Python character offsets and Qt text positions meet.

The core counts code points; Qt counts UTF-16 units, so every character outside the Basic
Multilingual Plane (emoji, some CJK) takes two Qt positions. Everything in gui/ that moves an
offset between the two goes through TextPositions.
"""

from __future__ import annotations

import re
from bisect import bisect_left

ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class TextPositions:
    """Offsets of one text, both ways. Costs nothing for a text without astral characters."""

    def __init__(self, text: str):
        self._astral = [m.start() for m in ASTRAL.finditer(text)]
        # the Qt position of each astral character: every one before it adds one extra unit
        self._astral_qt = [index + n for n, index in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        return index + bisect_left(self._astral, index)

    def to_python(self, position: int) -> int:
        """A Qt position as a character offset; the middle of a surrogate pair counts as its start."""
        return position - bisect_left(self._astral_qt, position)
