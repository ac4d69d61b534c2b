"""Normalised values: percentages, money, counts, periods, dates and ordinals found in text.

Every value keeps the text it came from and a normalised form (docs/design.md, "Normalised values"):
    {"kind": "money", "value": 223700000.0, "currency": "INR", "qualifier": "exact", "text": "Rs 22.37 crore"}
The words (scales, qualifiers, currencies, months, relative periods) come from schemas/values.yaml,
one block per language; this module holds only the shapes of the expressions. Nothing here raises
on odd text: what cannot be read is simply not a value.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from annotations.errors import SchemaError
from annotations.model import accepted_kinds
from annotations.settings import SCHEMA_DIR
from annotations.yamlfile import load_yaml, read_text

VALUES_FILE = SCHEMA_DIR / "values.yaml"


NUMERIC_TICKER = re.compile(r"\(\s*\d{3,6}\.[A-Z]{1,2}\s*\)")


@dataclass(frozen=True)
class ValueMention:
    start: int
    end: int
    kind: str
    value: dict

    @property
    def text(self) -> str:
        return self.value["text"]


def phrase_alternation(words, boundary: bool = True) -> str:
    """A regex alternation of literal words, longest first, with word edges where the word has them.

    Shaped for speed, as Python's re tries an alternation at every position of a text: the next
    character is first checked against the words' first letters, and the word-start check is made
    once for all words rather than once per word (six times faster on the seeds).
    """
    words = sorted({str(w) for w in words if str(w)}, key=len, reverse=True)
    if not words:
        return "(?!x)x"

    def piece(word: str) -> str:
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        return escaped + r"(?![\w])" if boundary and word[-1].isalnum() else escaped

    edged = [w for w in words if boundary and w[0].isalnum()]
    loose = [w for w in words if w not in edged]
    groups = []
    if edged:
        groups.append(r"(?<![\w])(?:" + "|".join(map(piece, edged)) + ")")
    if loose:
        groups.append("(?:" + "|".join(map(piece, loose)) + ")")
    firsts = "".join(sorted({c for w in words for c in w[0] + w[0].lower() + w[0].upper()}))
    return f"(?=[{re.escape(firsts)}])(?:" + "|".join(groups) + ")"


class Occupied:
    """Which characters of a text are taken by a span: overlap checks in time linear in the span,
    not in the number of spans (a long article has tens of thousands)."""

    def __init__(self, length: int, spans=()):
        self.chars = bytearray(length)
        for start, end in spans:
            self.mark(start, end)

    def mark(self, start: int, end: int) -> None:
        self.chars[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self.chars.find(1, start, end) == -1


class LanguageValues:
    """The value expressions of one language, compiled from its block in values.yaml."""

    def __init__(self, lang: str, spec: dict):
        self.lang = lang
        dec, thou = re.escape(spec["decimal"]), re.escape(spec["thousands"])
        self.decimal, self.thousands = spec["decimal"], spec["thousands"]
        self.number_words = {str(k).lower(): float(v) for k, v in (spec.get("number_words") or {}).items()}
        self.scale_only_words = {str(k).lower(): float(v) for k, v in (spec.get("scale_only_words") or {}).items()}
        words = phrase_alternation([*self.number_words, *self.scale_only_words])
        # "1,28,953": Indian digit groups (lakh and crore) before the usual thousands
        number = rf"\d{{1,2}}(?:{thou}\d{{2}})+{thou}\d{{3}}(?:{dec}\d+)?|\d{{1,3}}(?:{thou}\d{{3}})+(?:{dec}\d+)?|\d+(?:{dec}\d+)?|{words}"
        self.scales = {str(k).lower(): float(v) for k, v in spec["scales"].items()}
        long_scales = [s for s in self.scales if len(s) > 1]
        short_scales = [s for s in self.scales if len(s) == 1]
        self.qualifier_of = {w.lower(): q for q, words in spec["qualifiers"].items() for w in words}
        self.currency_of = {w.lower(): code for code, words in spec["currencies"].items() for w in words}
        self.months = {str(k).lower(): int(v) for k, v in spec["months"].items()}
        self.fiscal_year_ends = {str(code): int(month) for code, month in (spec.get("fiscal_year_ends") or {}).items()}
        self.ordinals = {str(k).lower(): int(v) for k, v in spec["ordinals"].items()}
        self.relative_of = {w.lower(): r for r, words in spec["relative"].items() for w in words}
        self.comparisons = frozenset(str(w).lower() for w in spec.get("comparisons") or [])
        self.relative_of.update(dict.fromkeys(self.comparisons, "last_year"))
        fiscal = phrase_alternation(spec.get("fiscal_words") or [], boundary=False)
        self.fiscal_before = re.compile(rf"{fiscal}[\s-]*$", re.IGNORECASE)
        self.fiscal_after = re.compile(rf"[\s-]*{fiscal}", re.IGNORECASE)  # "Q2 FY26"
        self.reached_marker = re.compile(rf"{phrase_alternation(spec.get('reached_markers', []))}\s*$", re.IGNORECASE)
        self.since = re.compile(rf"{phrase_alternation(spec.get('since_words') or [])}\s+$", re.IGNORECASE)
        # "up 36 percent from 2018", "over the corresponding period in 2018": the point compared with
        self.compared_with = re.compile(rf"{phrase_alternation(spec['compared_with'])}\s+$", re.IGNORECASE) if spec.get("compared_with") else None
        self.stretch_to = re.compile(rf"\s+{phrase_alternation(spec.get('until_words') or ['to'])}\s", re.IGNORECASE)
        self.level_marker = re.compile(rf"{phrase_alternation(spec.get('level_markers', []))}\s*$", re.IGNORECASE)

        self.month_counts = {str(k).lower(): int(v) for k, v in (spec.get("month_counts") or {}).items()}
        self.fractions = {str(k).lower(): float(v) for k, v in (spec.get("fractions") or {}).items()}
        self.multiples = {str(k).lower(): float(v) for k, v in (spec.get("multiples") or {}).items()}
        self.fold_words = {str(k).lower(): int(v) for k, v in (spec.get("fold_words") or {}).items()}
        # a qualifier ("about $75 billion") is looked for just before a number rather than matched with
        # it: a pattern opening on an optional group is tried at every character (values took 45% longer)
        self.qualifier_before = re.compile(rf"(?:{phrase_alternation(self.qualifier_of)})\s+$", re.IGNORECASE)
        scale = (rf"(?:\s*(?P<scale>{phrase_alternation(long_scales, boundary=False)})(?![\w])"
                 rf"|(?P<sscale>{phrase_alternation(short_scales, boundary=False)})(?![\w]))?")
        # "2-3 percent", "490-520 million", "between 10 and 12 percent", "315 to 320 million pounds"
        between = rf"(?:(?P<between>{phrase_alternation(spec.get('range_start') or [])})\s+)?"
        between_bounds = rf"(?:\s*[-\u2013]\s*|\s+(?:{phrase_alternation(spec.get('range_words') or [])})\s+)"
        self.range_between = re.compile(between_bounds, re.IGNORECASE)
        upto = rf"{between_bounds}(?P<num2>{number})"
        num = rf"{between}(?P<num>{number})(?:{upto})?"
        # Symbols and codes ("$", "Rs", "EUR") may stand before the number; lowercase words only after it.
        currency_words = [str(w) for words in spec["currencies"].values() for w in words]
        # a code glued to its number ("CNY18.4 billion", "Rs22 crore") is still the currency
        codes = [w for w in currency_words if not w.islower()]
        cur_before = (rf"(?:(?<![\w])(?:{phrase_alternation([w for w in codes if w[0].isalnum()], boundary=False)})"
                      rf"|{phrase_alternation([w for w in codes if not w[0].isalnum()])})")
        cur_after = phrase_alternation(currency_words)
        pct = phrase_alternation(spec["percent_words"])
        flags = re.IGNORECASE
        self.money = [
            re.compile(rf"(?P<cur>{cur_before})\s?{num}{scale}", flags),
            re.compile(rf"{num}{scale}\s?(?P<cur>{cur_after})", flags),
        ]
        self.minus_words = frozenset(w.lower() for w in spec.get("minus_words") or [])
        minus = phrase_alternation(self.minus_words) if self.minus_words else "(?!x)x"
        # "a 14.6 market share": a share written without its percent sign is in percent all the same
        share = rf"|(?=\s+(?:{phrase_alternation(spec['share_words'])})(?![\w]))" if spec.get("share_words") else ""
        self.percent = re.compile(rf"(?P<sign>[-+−]|\(?{minus}\)?\s+)?{num}(?:\s?(?P<pct>{pct}){share})", flags)  # "(minus) 7%"
        # a number followed by a unit is no count ("2 hours", "12 MP", "5000 mAh")
        units = phrase_alternation(spec.get("units") or [])
        unit_stop = rf"(?!\s*(?:-?\s*{units}|[-.,]?\d))"
        self.count = re.compile(rf"{num}{scale}{unit_stop}", flags)
        self.fraction = re.compile(rf"(?P<fraction>{phrase_alternation(self.fractions)})(?=\s+of\b)", flags)
        fold = rf"(?:{phrase_alternation(spec.get('fold') or [], boundary=False)})(?![\w])"  # "six-fold", "6x"
        self.multiple = re.compile(rf"(?:(?P<multiple>{phrase_alternation(self.multiples)})(?![-\w])"
                                   rf"|(?<![\w.])(?P<times>{phrase_alternation(self.fold_words, boundary=False)})\s*-?\s*{fold})", flags)
        # "£600m ($1.1bn)": the amount in brackets is the same money converted, not a second value
        about = phrase_alternation([w for w, q in self.qualifier_of.items() if q == "approx"])
        # "NT$79.99 billion, or about $2.51 billion": the same, when the currencies differ
        self.conversion = re.compile(rf"\s*(?:(?P<bracket>[(\[])|,\s*or\s)\s*(?P<about>(?:{about})\s*|~)?")

        month = phrase_alternation(self.months)
        q_ord = phrase_alternation([w for w, n in self.ordinals.items() if n <= 4])
        h_ord = phrase_alternation([w for w, n in self.ordinals.items() if n <= 2])
        quarter, half = phrase_alternation(spec["quarter_words"]), phrase_alternation(spec["half_words"])
        rel_year = phrase_alternation([w for w, r in self.relative_of.items() if r.endswith("_year")])
        year = r"(?P<year>(?:19|20)\d{2})"
        year_or_rel = rf"(?:{year}|(?P<relyear>{rel_year}))"
        of = r"(?:\s+(?:of|in|van|in\s+het)\s+|\s+)"
        the = r"(?:(?:the|het)\s+)?"
        fiscal_year = rf"(?<![A-Za-z])(?:{phrase_alternation(spec.get('fiscal_year_words') or [], boundary=False)})"
        quarterly = phrase_alternation(spec.get("quarterly_words") or [])
        self.periods = [
            # "fiscal 2010/11", "2009/10": a company's own year, named by the year it ends in
            ("split_year", re.compile(rf"(?:{fiscal_year}\s*)?(?<![\d/]){year}\s*/\s*(?P<y2>\d{{2}})(?![\d%/])", flags)),
            # "fiscal year 2019", "fiscal 2012", "FY2012", "FY26": the company's own year, its months unknown
            ("fiscal_year", re.compile(rf"(?:(?:{the}(?P<ord>{q_ord})[\s-]+{quarter}(?:\s+of)?|(?<![\w])Q(?P<q>[1-4]))\s+)?"
                                       rf"{fiscal_year}[\s-]*(?P<fy>(?:19|20)\d{{2}}|\d{{2}}(?![\d%]))(?![\w]|[.,]\d)", flags)),
            ("quarter", re.compile(rf"{the}(?P<ord>{q_ord}|[1-4](?:st|nd|rd|th|e|de)?)\s+{quarter}{of}{year_or_rel}", flags)),
            ("quarter", re.compile(rf"(?<![\w])Q(?P<q>[1-4])(?:\s+of)?\s*'?{year}", flags)),
            ("quarter", re.compile(rf"{year}\s*,?\s*Q(?P<q>[1-4])(?![\w])", flags)),
            ("half", re.compile(rf"{the}(?P<ord>{h_ord})\s+{half}{of}{year_or_rel}", flags)),
            ("half", re.compile(rf"(?<![\w])H(?P<h>[12])\s*'?{year}", flags)),
            ("half", re.compile(rf"{year}\s*H(?P<h>[12])(?![\w])", flags)),
            # "the fourth quarter", "third-quarter profit", "Q3", "first-half": the one nearest the article's date
            ("quarter", re.compile(rf"{the}(?P<ord>{q_ord})[\s-]+{quarter}(?![\w])", flags)),
            ("quarter", re.compile(r"(?<![\w])Q(?P<q>[1-4])(?![\w])", flags)),
            ("half", re.compile(rf"{the}(?P<ord>{h_ord})[\s-]+{half}(?![\w])", flags)),
            *self._stretch_patterns(spec, month, year, the, flags),
            # "the July-September quarter", "Jul-Sep", "April-September": the months from one to the other
            ("months", re.compile(rf"(?<![\w-])(?P<month1>{month})\.?\s*[-\u2013/]\s*(?P<month>{month})\.?(?![\w-])(?:\s+{year})?", flags)),
            # "the September quarter": the quarter that ends in that month
            *([("months", re.compile(rf"{the}(?P<month>{month})\s+(?:{quarter})(?![\w])(?:\s+(?:of\s+)?{year})?", flags))]),
            ("day", re.compile(rf"(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d])(?:,?\s+{year})?", flags)),
            ("day", re.compile(rf"(?<![\w])(?P<day>\d{{1,2}})(?:st|nd|rd|th|e)?\s+(?P<month>{month})(?:\s+{year})?", flags)),
            ("month", re.compile(rf"(?P<month>{month})\s+{year}", flags)),
            # "in September", "the month of September": that month, the one nearest the article's date
            *([("month", re.compile(rf"(?<![\w])(?:{phrase_alternation(spec['month_words'], boundary=False)})\s+"
                                    rf"(?P<at>(?-i:(?P<month>{'|'.join(m.capitalize() for m in self.months if len(m) > 3)})))(?![\w])", flags))]
              if spec.get("month_words") else []),
            # "at end-September", "by the end of March": that month, the one nearest the article's date
            *([("month", re.compile(rf"(?<![\w-])(?:{phrase_alternation(spec['month_end_words'], boundary=False)})\s*(?P<month>{month})"
                                    rf"(?![\w])(?:\s+{year})?", flags))] if spec.get("month_end_words") else []),
            ("relative", re.compile(rf"(?P<rel>{phrase_alternation(self.relative_of)})", flags)),
            # "quarterly profit": the last quarter ended by the article's date, the one results report on
            ("reported_quarter", re.compile(quarterly, flags)),
            ("year", re.compile(rf"(?<![\w.,$€£¥-]){year}(?![\w%]|[.,]\d)", flags)),
        ]
        self.ordinal = re.compile(rf"(?<![\w])(?:(?P<word>{phrase_alternation(self.ordinals)})|(?P<n>\d{{1,2}})(?:st|nd|rd|th))(?![\w])", flags)

    # -- numbers ----------------------------------------------------------------------------------

    def number(self, text: str) -> float | None:
        word = _words(text)
        if word in self.number_words or word in self.scale_only_words:
            return self.number_words.get(word) or self.scale_only_words[word]
        cleaned = text.replace(self.thousands, "").replace(self.decimal, ".")
        try:
            return float(cleaned)
        except ValueError:
            return None

    def _scaled(self, match: re.Match, group: str = "num") -> float | None:
        value = self.number(match.group(group)) if match.group(group) else None
        if value is None:
            return None
        scale = match.groupdict().get("scale") or match.groupdict().get("sscale")
        if scale:
            value *= self.scales.get(re.sub(r"\s+", " ", scale.lower()), 1.0)
        return value

    def _qualified(self, text: str, start: int) -> tuple[int, str]:
        """Where a value starting at start starts with its qualifier, and the qualifier."""
        m = self.qualifier_before.search(text, max(0, start - 24), start)
        if m is None:
            return start, "exact"
        return m.start(), self.qualifier_of.get(re.sub(r"\s+", " ", m.group().strip().lower()), "exact")

    def _numbers(self, text: str, match: re.Match, scaled: bool = True) -> list[tuple[int, int, dict]]:
        """The values one match of a number shape holds, as (start, end, value): one, or for a range
        its first bound with the upper one kept as "high"; "from 10 to 12 million" is two levels."""
        value = self._scaled(match) if scaled else self.number(match.group("num"))
        has_scale = match.groupdict().get("scale") or match.groupdict().get("sscale")
        if value is None or (_words(match.group("num")) in self.scale_only_words and not has_scale):
            return []
        if not match.group("num2"):
            start, qualifier = self._qualified(text, match.start())
            return [(start, match.end(), {"value": value, "qualifier": qualifier})]
        high = self._scaled(match, "num2") if scaled else self.number(match.group("num2"))
        if high is None or high <= value:  # "3-2", "2019-2018": not a range
            if high is not None and YEAR.fullmatch(match.group("num")) and not YEAR.fullmatch(match.group("num2")):
                # "rose 8 percent in 2010 to 7.528 million": a year, then the number
                return [(match.start("num2"), match.end(), {"value": high, "qualifier": "exact"})]
            return []
        if not match.group("between") and self.level_marker.search(text, max(0, match.start() - 12), match.start()):
            return [(match.start("num"), match.end("num"), {"value": value, "qualifier": "exact"}),
                    (match.start("num2"), match.end(), {"value": high, "qualifier": "exact"})]
        return [(self._qualified(text, match.start())[0], match.end(), {"value": value, "qualifier": "at_least", "high": high})]

    # -- finding ----------------------------------------------------------------------------------

    def find(self, text: str, published: date | None = None) -> list[ValueMention]:
        """Every value in the text, non-overlapping, in text order; earlier kinds win overlaps."""
        taken = Occupied(len(text))
        for m in NUMERIC_TICKER.finditer(text):  # "Daihatsu Motor Co ( 7262.T )": a stock code, no number
            taken.mark(m.start(), m.end())
        found: list[ValueMention] = []

        def free(start: int, end: int) -> bool:
            return taken.free(start, end)

        def add(start: int, end: int, kind: str, value: dict | None) -> None:
            if value is None or not free(start, end):
                return
            value = {"kind": kind, **value, "text": text[start:end]}
            taken.mark(start, end)
            found.append(ValueMention(start, end, kind, value))

        money = []
        for pattern in self.money:
            for m in pattern.finditer(text):
                code = self.currency_of.get(re.sub(r"\s+", " ", m.group("cur")).lower())
                if code:
                    money += [(start, end, {**value, "currency": code}) for start, end, value in self._numbers(text, m)]
        money = self._money_ranges(text, sorted(money, key=lambda found: found[0]))
        for n, (start, end, value) in enumerate(money):
            converted = self._conversion(text, end, value, money[n + 1:n + 2])
            if converted:
                end, value = converted[0], {**value, "converted": converted[1]}
            add(start, end, "money", value)
        for m in self.percent.finditer(text):
            if not m.group("pct") and (YEAR.fullmatch(m.group("num")) or not 0 < (self.number(m.group("num")) or 0) <= 100):
                continue  # "the 2019 market share": no share without its sign but a plain one
            for start, end, value in self._numbers(text, m, scaled=False):
                if m.group("sign") and (m.group("sign").strip() in ("-", "−") or m.group("sign").strip(" ()").lower() in self.minus_words):
                    value["value"] = -value["value"]
                add(start, end, "percent", value)
        for shape, pattern in self.periods:
            for m in pattern.finditer(text):
                period = self._period(shape, m, published)
                if period is not None and self.since.search(text, max(0, m.start() - 8), m.start()):
                    period = {**period, "since": True}  # "since 1984": where a stretch starts, not its period
                elif (period is not None and shape != "day" and self.compared_with is not None
                      and self.compared_with.search(text, max(0, m.start() - 40), m.start()) and not self.stretch_to.match(text, m.end())):
                    period = {**period, "compared": True}  # the period of the figure compared with, not of the claim
                if period is not None:  # "in September": the month, not the word before it
                    add(m.start("at") if m.groupdict().get("at") else m.start(), m.end(), "date" if shape == "day" else "period", period)
        for m in self.fraction.finditer(text):
            start, qualifier = self._qualified(text, m.start())
            add(start, m.end(), "percent", {"value": self.fractions[_words(m.group("fraction"))], "qualifier": qualifier})
        for m in self.multiple.finditer(text):
            change = (self.multiples[_words(m.group("multiple"))] if m.group("multiple")
                      else (self.fold_words[_words(m.group("times"))] - 1) * 100.0)
            start, qualifier = self._qualified(text, m.start())
            add(start, m.end(), "percent", {"value": change, "qualifier": qualifier, "multiple": True})
        for m in self.count.finditer(text):
            if _looks_like_year(m) or (not m.group("num")[0].isdigit() and not (m.group("scale") or m.group("sscale"))):
                continue  # "one of the", "five stores": words are numbers only with a scale ("five million")
            for start, end, value in self._numbers(text, m):
                add(start, end, "count", {k: _whole(v) if k in ("value", "high") else v for k, v in value.items()})
        for m in self.ordinal.finditer(text):
            n = self.ordinals.get(m.group("word").lower()) if m.group("word") else int(m.group("n"))
            add(m.start(), m.end(), "ordinal", {"value": n})
        found.sort(key=lambda v: v.start)
        return _on_the_fiscal_calendar(self._same_currency(text, found), self.fiscal_year_ends, published)

    def _same_currency(self, text: str, found: list[ValueMention]) -> list[ValueMention]:
        """"a profit of 967.8 million yuan versus 219.94 million a year earlier": an amount compared
        with money, its currency left unsaid, is money in that currency."""
        if self.compared_with is None:
            return found
        kept = []
        for n, v in enumerate(found):
            previous = next((p for p in reversed(found[:n]) if p.kind in ("money", "count", "percent")), None)
            if (v.kind == "count" and previous is not None and previous.kind == "money" and re.search(r"\d\s*[a-zA-Z]", v.text)
                    and self.compared_with.search(text, previous.end, v.start) and "." not in text[previous.end:v.start].replace("$", "")
                    and v.start - previous.end < 80 and not COUNTED.match(text, v.end)):
                value = {**v.value, "kind": "money", "currency": previous.value["currency"]}
                v = ValueMention(v.start, v.end, "money", value)
            kept.append(v)
        return kept

    def _money_ranges(self, text: str, money: list) -> list:
        """"315 million pounds to 320 million pounds": one amount from the first bound, the second
        kept as "high", as for a range written once ("315 to 320 million pounds"); "from $5m to $7m"
        stays two levels."""
        joined = []
        for start, end, value in money:
            if joined:
                first_start, first_end, first = joined[-1]
                if (self.range_between.fullmatch(text, first_end, start) and first.get("currency") == value.get("currency")
                        and not self._from_level(text, first_start)
                        and "high" not in first and value["value"] > first["value"]):
                    joined[-1] = (first_start, end, {**first, "qualifier": "at_least", "high": value["value"]})
                    continue
            joined.append((start, end, value))
        return joined

    def _from_level(self, text: str, start: int) -> bool:
        """Whether the number at start is the level a change started from ("from $5m to $7m")."""
        before = (text, max(0, start - 12), start)
        return bool(self.level_marker.search(*before)) and not self.reached_marker.search(*before)

    def _conversion(self, text: str, end: int, before: dict, following: list) -> tuple[int, dict] | None:
        """Where money is followed by the same money converted, in brackets or after ", or", the end
        of the conversion and the converted amount."""
        opening = self.conversion.match(text, end)
        if not opening or not following or following[0][0] not in (opening.end(), opening.start("about")):
            return None
        start, inner_end, value = following[0]
        if not opening.group("bracket"):
            return (inner_end, {"value": value["value"], "currency": value["currency"]}) if value["currency"] != before["currency"] else None
        close = re.match(r"\s*[)\]]", text[inner_end:])
        if not close:
            return None
        return inner_end + close.end(), {"value": value["value"], "currency": value["currency"]}

    def first_full_date(self, text: str) -> date | None:
        """The first date with day, month and year in the text (only the date shapes are tried)."""
        found = []
        for shape, pattern in self.periods:
            if shape == "day":
                found += [(m.start(), m) for m in pattern.finditer(text) if m.group("year")]
        for _, m in sorted(found, key=lambda f: f[0]):
            day = self._period("day", m, None)
            if day and day.get("value"):
                return parse_date(day["value"])
        return None

    def normalise(self, kind: str, text: str, published: date | None = None) -> dict | None:
        """The normalised value of a curator-typed text for a slot of this kind, or None."""
        mentions = [m for m in self.find(text, published) if m.kind in accepted_kinds(kind)]
        if not mentions:
            return None
        best = max(mentions, key=lambda m: (m.end - m.start, m.kind == kind))
        return {**best.value, "kind": kind}

    # -- periods ----------------------------------------------------------------------------------

    def _period(self, shape: str, m: re.Match, published: date | None) -> dict | None:
        groups = m.groupdict()
        year = int(groups["year"]) if groups.get("year") else None
        if groups.get("relyear"):
            year = self._relative_year(groups["relyear"], published)
            if year is None:
                return {"value": None, "qualifier": "unresolved"}
        if shape in ("quarter", "half"):
            n = int(groups.get("q") or groups.get("h") or 0) or self._ordinal_number(groups["ord"])
            months = 3 if shape == "quarter" else 6
            if not n or not 1 <= n <= 12 // months:
                return None
            if year is None:
                if self.fiscal_before.search(m.string, max(0, m.start() - 16), m.start()) or self.fiscal_after.match(m.string, m.end()):
                    return None  # a company's fiscal quarter without its year: the calendar cannot say which
                if published is None:
                    return {"value": None, "qualifier": "unresolved"}
                label = f"{_nearest_year(published, months * n)}-{'Q' if shape == 'quarter' else 'H'}{n}"
                return {**_span(label, *_period_dates(label)), "unyeared": n}  # the company's own, where its year is known
            label = f"{year}-{'Q' if shape == 'quarter' else 'H'}{n}"
            return _span(label, date(year, months * (n - 1) + 1, 1), _month_end(year, months * n))
        if shape == "month":
            month = self.months[groups["month"].lower().rstrip(".")]
            if year is None:
                if published is None:
                    return {"value": None, "qualifier": "unresolved"}
                year = _nearest_year(published, month)
            return _span(f"{year}-{month:02d}", date(year, month, 1), _month_end(year, month))
        if shape == "day":
            month = self.months.get(groups["month"].lower().rstrip("."))
            day = int(groups["day"])
            if month is None or not 1 <= day <= 31:
                return None
            if year is None:
                if published is None:
                    return {"value": None, "qualifier": "unresolved"}
                year = published.year
            try:
                day_date = date(year, month, day)
            except ValueError:
                return None
            return {"value": day_date.isoformat(), "start": day_date.isoformat(), "end": day_date.isoformat()}
        if shape == "relative":
            relative = self._relative(groups["rel"], published)
            return {**relative, "comparison": True} if _words(groups["rel"]) in self.comparisons else relative
        if shape == "year":
            return _span(str(year), date(year, 1, 1), date(year, 12, 31))
        if shape == "split_year":
            return {"value": f"FY{year + 1}", "fiscal": True} if int(groups["y2"]) == (year + 1) % 100 else None
        if shape == "fiscal_year":
            fy = int(groups["fy"])
            fy = fy if fy > 99 else 2000 + fy
            n = int(groups.get("q") or 0) or self._ordinal_number(groups.get("ord"))
            return {"value": f"FY{fy}-Q{n}"} if n else {"value": f"FY{fy}", "fiscal": True}
        if shape == "reported_quarter":
            if published is None:
                return {"value": None, "qualifier": "unresolved"}
            q = (published.month - 1) // 3  # the quarter before the one the article's date is in
            y, q = (published.year - 1, 4) if q == 0 else (published.year, q)
            return _span(f"{y}-Q{q}", date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
        if shape == "months":
            return self._months(groups, published)
        if shape in ("stretch", "first", "final"):
            return self._stretch(shape, groups, published)
        return None

    def _stretch_patterns(self, spec: dict, month: str, year: str, the: str, flags) -> list[tuple[str, re.Pattern]]:
        """Stretches of months: "the three months to December", "the year ended March 31, 2014", "the
        first nine months of 2019"; none where the language's block does not name their words."""
        if not self.month_counts:
            return []
        counts, months = phrase_alternation(self.month_counts), phrase_alternation(spec["months_words"])
        until, years = phrase_alternation(spec["until_words"]), phrase_alternation(spec["year_words"])
        last = rf"(?:(?P<last>{phrase_alternation(spec['last_words'])})\s+)?" if spec.get("last_words") else ""
        ending = rf"\s+(?:{until})\s+{last}(?P<month>{month})(?:\s+\d{{1,2}}(?!\d))?(?:,?\s+{year})?"
        return [("stretch", re.compile(rf"{the}(?P<n>{counts})\s+{months}{ending}", flags)),
                ("stretch", re.compile(rf"{the}(?P<fy>{years}){ending}", flags)),
                *(("first" if key == "first_words" else "final",
                   re.compile(rf"{the}(?:{phrase_alternation(spec[key])})\s+(?P<n>{counts})\s+{months}\s+"
                              rf"(?:of\s+)?(?:{year}|(?P<thisyear>{phrase_alternation(spec.get('current_year_words') or [])}))", flags))
                  for key in ("first_words", "final_words") if spec.get(key))]

    def _stretch(self, shape: str, groups: dict, published: date | None) -> dict | None:
        n = 12 if groups.get("fy") else self.month_counts.get(groups["n"].lower(), 0)
        if shape in ("first", "final"):  # "the first nine months of 2019", "the last three months of 2012"
            if groups.get("thisyear") and published is None:
                return {"value": None, "qualifier": "unresolved"}
            year, last = int(groups["year"]) if groups.get("year") else published.year, n if shape == "first" else 12
        else:
            last = self.months[groups["month"].lower().rstrip(".")]
            if groups.get("year"):
                year = int(groups["year"])
            elif published is not None and groups.get("last"):  # "the year to last August": the August before the article
                year = published.year if last < published.month else published.year - 1
            elif published is not None:
                year = _nearest_year(published, last)
            else:
                return {"value": None, "qualifier": "unresolved"}
        if not 1 <= n <= 12:
            return None
        first_month = (last - n) % 12 + 1
        first_year = year if first_month <= last else year - 1
        start, end = date(first_year, first_month, 1), _month_end(year, last)
        if n == 3 and last % 3 == 0:
            return _span(f"{year}-Q{last // 3}", start, end)
        if n == 6 and last % 6 == 0:
            return _span(f"{year}-H{last // 6}", start, end)
        if n == 12 and last == 12:
            return _span(str(year), start, end)
        return _span(f"{first_year}-{first_month:02d}/{year}-{last:02d}", start, end)

    def _months(self, groups: dict, published: date | None) -> dict | None:
        """From one month to another ("July-September"), or the three months to one ("the September
        quarter"): its year said, else the one nearest the article's date."""
        last = self.months[groups["month"].lower().rstrip(".")]
        first = self.months[groups["month1"].lower().rstrip(".")] if groups.get("month1") else (last - 3) % 12 + 1
        if groups.get("year"):
            year = int(groups["year"])
        elif published is not None:
            year = _nearest_year(published, last)
        else:
            return {"value": None, "qualifier": "unresolved"}
        n = (last - first) % 12 + 1
        if n < 2:
            return None
        first_year = year if first <= last else year - 1
        start, end = date(first_year, first, 1), _month_end(year, last)
        if n == 3 and last % 3 == 0:
            return _span(f"{year}-Q{last // 3}", start, end)
        if n == 6 and last % 6 == 0:
            return _span(f"{year}-H{last // 6}", start, end)
        return _span(f"{first_year}-{first:02d}/{year}-{last:02d}", start, end)

    def _ordinal_number(self, word: str | None) -> int | None:
        if not word:
            return None
        digits = re.match(r"\d", word)
        return int(digits.group()) if digits else self.ordinals.get(word.lower())

    def _relative_year(self, words: str, published: date | None) -> int | None:
        if published is None:
            return None
        offset = {"this_year": 0, "last_year": -1, "next_year": 1}[self.relative_of[re.sub(r"\s+", " ", words.lower())]]
        return published.year + offset

    def _relative(self, words: str, published: date | None) -> dict:
        which = self.relative_of[re.sub(r"\s+", " ", words.lower())]
        if published is None:
            return {"value": None, "qualifier": "unresolved"}
        y, mo = published.year, published.month
        if which.endswith("_year"):
            year = self._relative_year(words, published)
            return _span(str(year), date(year, 1, 1), date(year, 12, 31))
        if which.endswith("_month"):
            if which == "last_month":
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            return _span(f"{y}-{mo:02d}", date(y, mo, 1), _month_end(y, mo))
        q = (mo - 1) // 3 + 1
        if which == "last_quarter":
            y, q = (y - 1, 4) if q == 1 else (y, q - 1)
        return _span(f"{y}-Q{q}", date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


COUNTED = re.compile(r"\s+(?!(?:a|an|in|the|last|for|during|at|on|and|or|over|year|earlier|ago|previously|before)\b)[a-z]")  # "3 million users"


def _on_the_fiscal_calendar(found: list[ValueMention], year_ends: dict[str, int], published: date | None) -> list[ValueMention]:
    """The company's fiscal years and quarters as months, where the article says when its year ends
    (after "the year to last August", "fiscal 2010/11" is September 2010 to August 2011), or where
    the country its money is in keeps one fiscal year (India's ends in March: "Q2 FY26" is 2025-Q3,
    and "the second quarter" without a year is the company's too)."""
    year_end = next((int(v.value["end"][5:7]) for v in found if v.kind == "period" and "/" in str(v.value.get("value"))
                     and _months_between(v.value["start"], v.value["end"]) == 12), None)
    currencies = Counter(v.value.get("currency") for v in found if v.kind == "money")
    if year_end is None and currencies:
        year_end = year_ends.get(currencies.most_common(1)[0][0])
    kept = []
    for v in found:
        value = {k: x for k, x in v.value.items() if k != "unyeared"}
        if year_end is not None and year_end != 12 and v.kind == "period":
            if FISCAL.fullmatch(str(value.get("value"))):
                value = {"kind": v.kind, "text": value["text"], **_fiscal_months(value["value"], year_end)}
            elif v.value.get("unyeared") and published is not None and "Q" in value["value"]:
                value = {"kind": v.kind, "text": value["text"], **_fiscal_quarter(v.value["unyeared"], year_end, published)}
        kept.append(ValueMention(v.start, v.end, v.kind, value) if value != v.value else v)
    return kept


def _fiscal_quarter(n: int, year_end: int, published: date) -> dict:
    """The company's nth quarter nearest the article's date, for a year ending in that month."""
    last_month = (year_end + 3 * n - 1) % 12 + 1
    year = _nearest_year(published, last_month)
    first_month, first_year = (last_month - 3) % 12 + 1, year if last_month > 2 else year - 1
    start, end = date(first_year, first_month, 1), _month_end(year, last_month)
    if last_month % 3 == 0:
        return _span(f"{year}-Q{last_month // 3}", start, end)
    return _span(f"{first_year}-{first_month:02d}/{year}-{last_month:02d}", start, end)


FISCAL = re.compile(r"FY(?P<year>\d{4})(?:-Q(?P<q>[1-4]))?")


def _months_between(start: str, end: str) -> int:
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1


def _fiscal_months(value: str, year_end: int) -> dict:
    """A fiscal year or quarter ("FY2011", "FY2026-Q2") of a year ending in that month, as the
    calendar's months: a quarter where it is one ("2025-Q3"), else "2010-09/2011-08"."""
    m = FISCAL.fullmatch(value)
    year, quarter = int(m.group("year")), int(m.group("q") or 0)
    first = year * 12 + year_end - 12 + 3 * max(quarter - 1, 0)  # months since year 0 of its first month
    last = first + (3 if quarter else 12) - 1
    start, end = date(first // 12, first % 12 + 1, 1), _month_end(last // 12, last % 12 + 1)
    if quarter and end.month % 3 == 0:
        return _span(f"{end.year}-Q{end.month // 3}", start, end)
    return _span(f"{start.year}-{start.month:02d}/{end.year}-{end.month:02d}", start, end)


def _nearest_year(published: date, last_month: int) -> int:
    """The year whose end of that month is nearest the article's date, before or after it: "the
    fourth quarter" in an article of January 2013 is 2012's."""
    return min((published.year - 1, published.year, published.year + 1), key=lambda y: abs((_month_end(y, last_month) - published).days))


def _period_dates(label: str) -> tuple[date, date]:
    """The first and last day of "2019-Q3" or "2019-H1"."""
    year, months, n = int(label[:4]), 3 if label[5] == "Q" else 6, int(label[6])
    return date(year, months * (n - 1) + 1, 1), _month_end(year, months * n)


def _span(value: str, start: date, end: date) -> dict:
    return {"value": value, "start": start.isoformat(), "end": end.isoformat()}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _whole(value: float) -> float | int:
    return int(value) if value == int(value) and abs(value) < 1e18 else value


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


YEAR = re.compile(r"(?:19|20)\d{2}")


def _looks_like_year(m: re.Match) -> bool:
    return bool(YEAR.fullmatch(m.group("num"))) and not (m.groupdict().get("scale") or m.groupdict().get("sscale"))


class Values:
    """All languages of values.yaml; a language without a block uses English number shapes."""

    def __init__(self, languages: dict[str, LanguageValues]):
        self.languages = languages

    def for_language(self, lang: str) -> LanguageValues:
        return self.languages.get(lang) or self.languages["en"]

    def normalise(self, kind: str, text: str, lang: str = "en", published: date | None = None) -> dict | None:
        return self.for_language(lang).normalise(kind, text, published)


def parse_values(text: str, source: str) -> Values:
    data = load_yaml(text, source)
    problems = []
    languages = {}
    required = ("decimal", "thousands", "scales", "qualifiers", "currencies", "months", "ordinals",
                "quarter_words", "half_words", "relative", "percent_words")
    for lang, spec in (data.get("languages") or {}).items():
        missing = [key for key in required if key not in (spec or {})]
        if missing:
            problems.append(f"{source}, line {data['languages'].line_of(lang)}: language {lang!r} is missing {', '.join(missing)}")
            continue
        try:
            languages[str(lang)] = LanguageValues(str(lang), spec)
        except (TypeError, ValueError, KeyError, AttributeError, re.error) as e:
            problems.append(f"{source}, line {data['languages'].line_of(lang)}: language {lang!r} cannot be read ({e})")
    if "en" not in languages and not problems:
        problems.append(f"{source}, line 1: an 'en' block is required (it is the fallback for other languages)")
    if problems:
        raise SchemaError(problems)
    return Values(languages)


@lru_cache(maxsize=4)
def load_values(path: Path = VALUES_FILE) -> Values:
    return parse_values(read_text(path), str(path))


def parse_date(text: str | None) -> date | None:
    """An ISO date (or the date part of a timestamp), else None."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def find_publication_date(text: str, lang: str, values: Values | None = None) -> date | None:
    """A full date (day, month and year) in the first lines of an article, such as a by-line."""
    head = "\n".join(text.split("\n")[:4])[:400]
    return (values or load_values()).for_language(lang).first_full_date(head)
