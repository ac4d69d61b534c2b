"""Other tools' offsets, turned into characters of the text Claimdesk stores.

A document's stored text is the tool's text with its byte-order mark dropped and CR LF (and a lone
CR) made LF (ingest.normalise_text). Tools count their offsets differently: Python tools in
characters of the text as they hold it (CR and byte-order mark included), JavaScript and Java ones
(Label Studio, older doccano, UIMA) in UTF-16 units, where an emoji counts two; a browser shows CR LF
as one line break, so offsets taken from a page count it once. `Counting` names one such way and
`Counting.table` maps each offset the tool can give to a character offset of the stored text.

`resolve` finds the way a document's offsets were counted: the tool's own first, then the others
that differ for this text (only a text with an emoji, a CR LF or a byte-order mark can be counted
differently). Spans whose text the tool wrote decide: every one must read the same under the way
chosen. Without any such text, a way under which no span cuts a word or starts or ends with a
space is taken. When only another way fits, the offsets are converted and the correction is named;
when none fits, the offsets have drifted and each span that does not fit is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from annotations.ingest import normalise_text

BOM = "\ufeff"


@dataclass(frozen=True)
class Counting:
    utf16: bool = False  # UTF-16 units (JavaScript, Java) instead of characters
    crlf_once: bool = False  # a CR LF counted as one line break (as a browser shows it)
    bom_counted: bool = True  # a byte-order mark at the start counted as a character

    def describe(self) -> str:
        words = ["UTF-16 units" if self.utf16 else "characters"]
        words.append("with CR LF as one" if self.crlf_once else "with CR LF as two")
        words.append("the byte-order mark counted" if self.bom_counted else "the byte-order mark not counted")
        return ", ".join(words)

    def table(self, raw: str) -> list[int | None]:
        """For each offset 0..N the tool can give in the raw text, the offset in the stored text
        (None inside a character: between the two UTF-16 units of an emoji)."""
        table: list[int | None] = []
        i, j, n = 0, 0, len(raw)
        while i < n and raw[i] == BOM:  # normalise_text drops every leading byte-order mark
            if self.bom_counted:
                table.append(0)
            i += 1
        while i < n:
            c = raw[i]
            if c == "\r" and i + 1 < n and raw[i + 1] == "\n":
                if not self.crlf_once:
                    table.append(j)  # the CR and the LF after it both stand before the one LF kept
                i += 1
                continue
            table.append(j)
            if self.utf16 and ord(c) > 0xFFFF:
                table.append(None)
            i += 1
            j += 1
        table.append(j)
        return table


TOOL_DEFAULT = Counting()
UTF16 = Counting(utf16=True)


def candidates(raw: str, first: Counting) -> list[Counting]:
    """The ways of counting that give different offsets for this text, the tool's own first."""
    astral = any(ord(c) > 0xFFFF for c in raw)
    crlf = "\r\n" in raw
    bom = raw.startswith(BOM)
    found = [first]
    for utf16, crlf_once, bom_counted in product((first.utf16, not first.utf16) if astral else (first.utf16,),
                                                 (first.crlf_once, not first.crlf_once) if crlf else (first.crlf_once,),
                                                 (first.bom_counted, not first.bom_counted) if bom else (first.bom_counted,)):
        counting = Counting(utf16, crlf_once, bom_counted)
        if counting not in found:
            found.append(counting)
    return found


def same_text(text: str) -> str:
    """A span's text as the tool wrote it, compared after the stored text's newline rule."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cuts(text: str, start: int, end: int) -> bool:
    """Whether a span without a text of its own looks drifted: it cuts a word in two or starts or
    ends with a space."""
    cut = lambda at: 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()
    shown = text[start:end]
    return shown != shown.strip() or cut(start) or cut(end)


@dataclass
class Place:
    """A piece of text a tool marked: its offsets (or fragments) as the tool counts them, and what
    the tool says is there, when it says so."""

    fragments: list[tuple[int, int]]
    text: str | None = None  # the tool's own text of the piece (brat joins fragments with a space)


def convert(place: Place, table: list[int | None]) -> list[tuple[int, int]] | None:
    """The place's fragments in stored-text offsets, or None when a fragment falls outside the
    text, inside a character or on nothing."""
    result = []
    for start, end in place.fragments:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end < len(table)):
            return None
        a, b = table[start], table[end]
        if a is None or b is None or a >= b:
            return None
        result.append((a, b))
    return result


def fits(place: Place, table: list[int | None], stored: str) -> bool:
    found = convert(place, table)
    if found is None:
        return False
    shown = " ".join(stored[a:b] for a, b in found)
    if place.text is not None:
        return shown == same_text(place.text)
    return not any(cuts(stored, a, b) for a, b in found)


@dataclass
class Resolution:
    counting: Counting | None  # None: no way of counting fits
    stored: str
    table: list[int | None]
    corrected: str | None = None  # what was converted, in words, when it was not the tool's own way
    misfits: list[int] | None = None  # indexes of the places that do not fit the tool's own way


def resolve(raw: str, places: list[Place], first: Counting = TOOL_DEFAULT) -> Resolution:
    """How this document's offsets were counted (see the module's docstring)."""
    stored = normalise_text(raw)
    with_text = [p for p in places if p.text is not None]
    judged = with_text or places
    tables = {}
    for counting in candidates(raw, first):
        table = tables[counting] = counting.table(raw)
        if all(fits(p, table, stored) for p in judged) and all(convert(p, table) is not None for p in places):
            corrected = None if counting == first else f"offsets counted in {counting.describe()}, not {first.describe()}: converted"
            return Resolution(counting, stored, table, corrected)
    table = tables[first]
    if not with_text:  # nothing written to judge by: keep the tool's own way; the drift check names what looks wrong
        return Resolution(first, stored, table)
    misfits = [n for n, p in enumerate(places) if not fits(p, table, stored)]
    return Resolution(None, stored, table, misfits=misfits)


def raw_text(data: bytes, source: str) -> str:
    """A file's text as a tool reads it: UTF-8 (a byte-order mark kept as the character it is, since
    Python tools such as brat count it), or UTF-16 or UTF-32 as their byte-order mark says; refused
    by name when it is neither."""
    from annotations.errors import InputRefused
    from annotations.ingest import BOMS

    marked = next((codec for bom, codec in BOMS if data.startswith(bom)), None)
    try:
        return data.decode(marked or "utf-8")
    except UnicodeDecodeError as e:
        raise InputRefused(source, f"not {(marked or 'utf-8').upper()} text ({e.reason} at byte {e.start})") from None
