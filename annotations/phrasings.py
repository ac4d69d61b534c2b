"""Phrasings: the set ways business news states a fact, written in claims.yaml with the slots as
placeholders, and matched on a sentence whose names and values are stood in for by markers.

    "{investor}-owned ... {target}"          Facebook-owned photo sharing service Instagram
    "{target}, controlled by {any}'s {investor}"   Maruti, controlled by Japan's Suzuki Motor

A phrasing is a regular expression (case is ignored) with three additions:
- `{slot}`  a name or value that fills that slot of the claim type: a name (or a word pointing back
  to one, "it", "the company": the company the article is about) or a value of a kind the slot
  takes; a slot that holds several names may appear several times;
- `{any}`   any name, not kept ("Japan's" in "controlled by Japan's Suzuki Motor");
- `...`     up to four lowercase words, numbers, values or words pointing back, a comma after any
  ("photo sharing service", "a 7-year sponsorship", "later said they would", "India-based").
A space matches any run of spaces, ’ is read as ' and a stock code in brackets ("( MRTI.NS )") is
passed over. Matching no more than the sentence's words and markers, a phrasing states which name
is which where the order of words says it; the other slots are filled as for any suggestion
(docs/design.md, "Claim schema"). A phrasing is tried only on
sentences that hold enough names and values for it and one of the words it cannot match without.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_MARK, VALUE_MARK, POINTER_MARK = "\u27e6E", "\u27e6V", "\u27e6P"  # ⟦E3⟧ a name, ⟦V0⟧ a value, ⟦P0⟧ "it"
_CLOSE = "\u27e7"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# up to four lowercase words, numbers, values, "they", "India-based": "a 7-year sponsorship", "later said they would"
_WORDS = (r"(?:(?:(?-i:[a-z0-9][\w'-]*|[A-Z][\w.]*-[a-z][\w-]*)|\u27e6[VP]\d+\u27e7[\w-]*|\u27e6E\d+\u27e7-[a-z][\w-]*),?\s+)"
          r"{0,4}?")
_TICKER = re.compile(r"\s*\(\s*(?:[A-Z]+:\s*[A-Z0-9.]{1,8}|[A-Z0-9]{1,6}\.[A-Z]{1,3})\s*\)")  # "( MRTI.NS )", "(NYSE: VZ)"


@dataclass(frozen=True)
class Phrasing:
    """A compiled phrasing and how many names and values a sentence needs for it to match (those of
    its placeholders outside any group)."""

    pattern: re.Pattern
    names: int
    values: int
    words: frozenset[str]  # one of these is in any sentence it matches (empty: no such words known)


def compile_phrasing(phrasing: str, slot_kinds: dict[str, str]) -> Phrasing:
    """A phrasing compiled for a claim type whose slots have these kinds ("entity" or a value kind);
    ValueError names a placeholder that is no slot or a pattern that does not compile."""
    pieces, seen, last, names, values = [], {}, 0, 0, 0
    groups = _groups(phrasing)
    for m in _PLACEHOLDER.finditer(phrasing):
        pieces.append(_plain(phrasing[last:m.start()]))
        name = m.group(1)
        required = not any(g[0] < m.start() < g[1] for g in groups)  # not inside a group, which may be optional
        if name == "any":
            pieces.append(rf"{re.escape(NAME_MARK)}\d+{_CLOSE}")
            names += required
        elif name in slot_kinds:
            seen[name] = seen.get(name, 0) + 1
            entity = slot_kinds[name] == "entity"
            names, values = names + (entity and required), values + (not entity and required)
            mark = "\u27e6[EP]" if entity else re.escape(VALUE_MARK)
            pieces.append(rf"(?P<{name}__{seen[name]}>{mark}\d+{_CLOSE})")
        else:
            raise ValueError(f"{{{name}}} is not one of the slots ({', '.join(slot_kinds)}) nor {{any}}")
        last = m.end()
    pieces.append(_plain(phrasing[last:]))
    try:
        return Phrasing(re.compile("".join(pieces), re.IGNORECASE), names, values, _needed_words(phrasing, groups))
    except re.error as error:
        raise ValueError(f"not a regular expression: {error}") from None


def _needed_words(pattern: str, groups: list) -> frozenset[str]:
    """Whole words of a phrasing one of which is in any sentence it matches: words outside optional
    groups, not parts of words ("valu(?:es|ed)"), and in groups whose every alternative has a word."""
    words = set()
    for m in re.finditer(r"(?<![\\\w{])[a-z]{3,}(?![\w(?*+{}])", pattern):
        around = [g for g in groups if g[0] < m.start() < g[1]]
        if not any(optional or affix or not worded for _, _, optional, affix, worded in around):
            words.add(m.group())
    return frozenset(words)


def _groups(pattern: str) -> list[tuple[int, int, bool, bool, bool]]:
    """Each group of a pattern as (start, end, may be left out, part of a word, every alternative has a word)."""
    found, opened, i, in_class = [], [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            opened.append(i)
        elif c == ")" and opened:
            start = opened.pop()
            after = pattern[i + 1:i + 3]
            optional = after[:1] in ("?", "*") or after == "{0"
            affix = pattern[start - 1:start].isalpha() or after[:1].isalpha()
            body = re.sub(r"^\?(?:[:=!]|<[=!])", "", pattern[start + 1:i])
            worded = all(re.search(r"[a-z]{3,}", _OPTIONAL_GROUP.sub("", alternative)) for alternative in _alternatives(body))
            found.append((start, i, optional, affix, worded))
        i += 1
    return found


_OPTIONAL_GROUP = re.compile(r"\((?:[^()]|\([^()]*\))*\)(?:[?*]|\{0)")


def _alternatives(body: str) -> list[str]:
    """A group's body split at its own "|" (not those of the groups inside it)."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            parts.append(body[last:i])
            last = i + 1
        i += 1
    return parts + [body[last:]]


def _plain(piece: str) -> str:
    """A stretch of a phrasing between placeholders: "..." for a few words, spaces for any spaces,
    and "its" also where the sentence's "its" stands marked as pointing back."""
    parts = [re.sub(r"(?<![\\\w])its(?!\w)", rf"(?:its|{re.escape(POINTER_MARK)}\\d+{_CLOSE})", part) for part in piece.split("...")]
    return _WORDS.join(re.sub(r" +", r"\\s+", part.replace("’", "'")) for part in parts).replace(_WORDS + r"\s+", _WORDS)


def _plain_text(piece: str) -> str:
    """The words between markers as phrasings read them: ’ as ', without stock tickers."""
    return _TICKER.sub("", piece.replace("’", "'"))


@dataclass(frozen=True)
class Marked:
    """A sentence with each name and value replaced by a marker, and what each marker stands for."""

    text: str
    names: list
    values: list
    pointers: list
    words: frozenset[str]  # its words, in lower case

    @classmethod
    def of(cls, text: str, start: int, end: int, names: list, values: list, pointers: list = ()) -> Marked:
        """Names, values and words pointing back to a name ("it", "the company") as objects with
        start and end; a value inside a name is the name's."""
        pointers = [p for p in pointers if not any(n.start < p.end and p.start < n.end for n in names)]
        items = [(n.start, n.end, "E", i) for i, n in enumerate(names)] + [(p.start, p.end, "P", i) for i, p in enumerate(pointers)]
        items += [(v.start, v.end, "V", i) for i, v in enumerate(values)
                  if not any(n.start < v.end and v.start < n.end for n in names)]
        out, at = [], start
        for s, e, kind, i in sorted(items):
            if s < at:
                continue
            out.append(_plain_text(text[at:s]))
            out.append(f"\u27e6{kind}{i}{_CLOSE}")
            if text[e - 2:e] in ("'s", "’s"):
                out.append("'s")  # a name the model tagged with its possessive ("Deutsche Telekom AG's")
            elif kind == "E" and text[e - 1:e] == "s" and text[e:e + 1] in ("'", "’") and text[e + 1:e + 2].isspace():
                out.append("'s")  # "Delta Air Lines' plan": the possessive of a name ending in s
                e += 1
            if kind == "E" and re.match(r"\.\s+[a-z]", text[e:e + 3]):
                e += 1  # "Sony Corp. later said": the full stop of an abbreviation the model left out
            at = e
        out.append(_plain_text(text[at:end]))
        marked = "".join(out)
        return cls(marked, names, values, pointers, frozenset(re.findall(r"[a-z]+", marked.lower())))

    def matches(self, phrasing: Phrasing) -> list[dict[str, list]]:
        """For each match: slot name -> the names, values or pointers the placeholders took, in text order."""
        # most phrasings match nothing: say so cheaply
        if (phrasing.names > len(self.names) + len(self.pointers) or phrasing.values > len(self.values)
                or (phrasing.words and not phrasing.words & self.words) or phrasing.pattern.search(self.text) is None):
            return []
        found = phrasing.pattern.finditer(self.text)
        kinds = {NAME_MARK: self.names, VALUE_MARK: self.values, POINTER_MARK: self.pointers}
        filled = []
        for m in found:
            slots: dict[str, list] = {}
            for group, marker in m.groupdict().items():
                if marker is not None:
                    slots.setdefault(group.rsplit("__", 1)[0], []).append(kinds[marker[:2]][int(marker[2:-1])])
            filled.append(slots)
        return filled
