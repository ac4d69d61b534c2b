from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.values import load_values

VALUES = load_values()


def only(text, lang="en", published=None):
    found = VALUES.find(text, lang, published)
    assert len(found) == 1, found
    return found[0].value


def test_rupees_in_crore():
    assert only("Rs 22.37 crore") == {"kind": "money", "value": 223700000.0, "currency": "INR", "qualifier": "exact", "text": "Rs 22.37 crore"}


def test_money_currencies_and_scales():
    assert only("38.6 billion yuan")["currency"] == "CNY"
    assert only("₹5 lakh")["value"] == 500000.0
    assert only("€2.5bn") == {"kind": "money", "value": 2.5e9, "currency": "EUR", "qualifier": "exact", "text": "€2.5bn"}
    assert only("about $75 billion")["qualifier"] == "approx"


def test_counts_with_qualifiers():
    assert only("more than 500 million") == {"kind": "count", "value": 500000000, "qualifier": "more_than", "text": "more than 500 million"}
    assert only("nearly 4.5 million")["qualifier"] == "approx"
    assert only("less than 3 million")["qualifier"] == "less_than"


def test_dutch_numbers_scales_and_qualifiers():
    assert only("ruim 7 miljoen", "nl") == {"kind": "count", "value": 7000000, "qualifier": "more_than", "text": "ruim 7 miljoen"}
    assert only("200.000", "nl")["value"] == 200000
    assert only("minder dan 3 procent", "nl") == {"kind": "percent", "value": 3.0, "qualifier": "less_than", "text": "minder dan 3 procent"}
    assert only("2 miljard euro", "nl")["value"] == 2e9


def test_percent_in_points():
    assert only("28.7%") == {"kind": "percent", "value": 28.7, "qualifier": "exact", "text": "28.7%"}
    assert only("12 per cent")["value"] == 12.0


def test_periods():
    assert only("the second quarter of 2019") == {"kind": "period", "value": "2019-Q2", "start": "2019-04-01", "end": "2019-06-30", "text": "the second quarter of 2019"}
    assert only("Q2 2019")["value"] == "2019-Q2"
    assert only("H1 2019")["value"] == "2019-H1"
    assert only("the first half of 2019")["end"] == "2019-06-30"
    assert only("2019")["value"] == "2019"
    assert only("het tweede kwartaal van 2019", "nl")["value"] == "2019-Q2"


def test_dates_and_relative_periods_need_the_publication_date():
    published = date(2019, 8, 26)
    assert only("August 25", published=published)["value"] == "2019-08-25"
    assert only("August 25")["value"] is None  # unresolved, text kept
    assert only("August 25")["text"] == "August 25"
    assert only("last month", published=published)["value"] == "2019-07"
    assert only("this year", published=published)["value"] == "2019"
    assert only("the third quarter of this year", published=published)["value"] == "2019-Q3"
    assert only("this year")["qualifier"] == "unresolved"


def test_durations_and_years_are_not_counts():
    assert VALUES.find("The livestream lasted for 2 hours", "en") == []
    assert [v.kind for v in VALUES.find("In 2014, Xiaomi", "en")] == ["period"]


def test_curator_typed_values_are_normalised():
    assert VALUES.normalise("money", "Rs 22.37 crore")["value"] == 223700000.0
    assert VALUES.normalise("period", "Q3 2019")["value"] == "2019-Q3"
    assert VALUES.normalise("percent", "no number") is None


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from(["en", "nl", "de"]))
def test_never_raises_and_offsets_point_at_the_text(text, lang):
    for mention in VALUES.find(text, lang, date(2020, 1, 1)):
        assert text[mention.start:mention.end] == mention.text
