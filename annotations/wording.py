"""Slot values as a curator writes them: "more than 40%", "about $75 bn", "Q2 2019", "Xiaomi".

The claim list and the side panel show a claim as name=value pairs read from these phrases, so a
qualifier, a currency or a resolved period is never hidden behind a bare number ("40.0",
"75,000,000,000.0"). Only the stored, normalised value is read here; nothing is parsed.
"""

from __future__ import annotations

import calendar
import math

QUALIFIER_WORDS = {"approx": "about", "more_than": "more than", "less_than": "less than",
                   "at_least": "at least", "at_most": "at most"}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}
MONEY_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
COUNT_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def number_words(number: float, scales=COUNT_SCALES) -> str:
    """A number with a scale word where it is large, at most three decimals: 10.2 million, 15,000."""
    for size, word in scales:
        if abs(number) >= size:
            return f"{_short(number / size)} {word}"
    return _short(number)


def _short(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return f"{int(number):,}"
    return f"{number:,.3f}".rstrip("0").rstrip(".")


def value_words(value: dict | None) -> str:
    """A normalised value (percent, money, count, period, date, ordinal, choice) in words."""
    if not value:
        return ""
    kind, number = value.get("kind"), value.get("value")
    if number is None:
        return "unresolved"
    if kind == "choice":
        return str(number).replace("_", " ")
    if kind in ("period", "date"):
        return period_words(value)
    if not isinstance(number, (int, float)) or isinstance(number, bool) or not math.isfinite(number):
        return str(number)
    if kind == "ordinal":
        return _ordinal(int(number))
    high = value.get("high")
    qualifier = value.get("qualifier") or "exact"
    if kind == "percent":
        shown = f"{_short(number)}–{_short(high)}%" if high is not None else f"{_short(number)}%"
    elif kind == "money":
        sign = CURRENCY_SIGNS.get(value.get("currency") or "", "")
        code = "" if sign or not value.get("currency") else f"{value['currency']} "
        amount = (f"{number_words(number, MONEY_SCALES)}" if high is None else
                  _range(number, high, MONEY_SCALES))
        shown = f"{code}{sign}{amount}"
        if value.get("converted"):
            shown += f" ({value_words({'kind': 'money', **value['converted']})})"
    else:
        shown = number_words(number) if high is None else _range(number, high, COUNT_SCALES)
    if high is not None and qualifier == "at_least":  # a range: "2–3%" says it all
        qualifier = "exact"
    words = QUALIFIER_WORDS.get(qualifier)
    return f"{words} {shown}" if words else shown


def _range(low: float, high: float, scales) -> str:
    for size, word in scales:
        if abs(high) >= size:
            return f"{_short(low / size)}–{_short(high / size)} {word}"
    return f"{_short(low)}–{_short(high)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def period_words(value: dict) -> str:
    """2019-Q2 as Q2 2019, 2019-06 as June 2019, 2019-06-30 as 30 June 2019, a stretch of months
    as Apr 2012–Mar 2013; a comparison period ("a year earlier") says so."""
    code = str(value.get("value"))
    shown = _period_code(code)
    return f"{shown} (comparison)" if value.get("comparison") else shown


def _period_code(code: str) -> str:
    if "/" in code:
        return "–".join(_period_code(part) for part in code.split("/", 1))
    fiscal = code.startswith("FY")
    year, _, rest = code.removeprefix("FY").partition("-")
    year = f"FY{year}" if fiscal else year
    if not rest:
        return year
    if rest[:1] in "QH":
        return f"{rest} {year}"
    parts = rest.split("-")
    try:
        month = calendar.month_name[int(parts[0])]
    except (ValueError, IndexError):
        return code
    if len(parts) == 2:
        return f"{int(parts[1])} {month} {year}"
    return f"{month} {year}"


def slot_value_words(value: dict) -> str:
    """One slot value: an entity's canonical name (else its text), a number or period in words,
    else the text; a value the text does not hold says so."""
    if value.get("canonical"):
        shown = value["canonical"]
    elif value.get("value") and value["value"].get("value") is not None:
        shown = value_words(value["value"])
    else:
        shown = value.get("text", "")
    return shown


def claim_words(claim: dict, slot_order: list[str]) -> str:
    """A claim's slots as name=value pairs in the schema's order: "subject=Xiaomi · share=more than 40%"."""
    names = [n for n in slot_order if claim["slots"].get(n)] + [n for n in claim["slots"] if n not in slot_order and claim["slots"][n]]
    return " · ".join(f"{name}={' + '.join(slot_value_words(v) for v in claim['slots'][name])}" for name in names)


def duration_words(seconds: float) -> str:
    """Active time as a person says it: 45 s, 3 min 20 s, 2 h 5 min."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
