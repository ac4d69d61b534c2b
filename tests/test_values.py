from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.nlp.values import load_values

VALUES = load_values()
ENGLISH = VALUES.for_language("en")


def only(text, lang="en", published=None):
    found = VALUES.for_language(lang).find(text, published)
    assert len(found) == 1, found
    return found[0].value


def test_rupees_in_crore():
    assert only("Rs 22.37 crore") == {"kind": "money", "value": 223700000.0, "currency": "INR", "qualifier": "exact", "text": "Rs 22.37 crore"}


def test_money_currencies_and_scales():
    assert only("38.6 billion yuan")["currency"] == "CNY"
    assert only("₹5 lakh")["value"] == 500000.0
    assert only("€2.5bn") == {"kind": "money", "value": 2.5e9, "currency": "EUR", "qualifier": "exact", "text": "€2.5bn"}
    assert only("about $75 billion")["qualifier"] == "approx"


def test_currency_prefixes_suffixes_and_abbreviated_scales():
    assert only("£600m") == {"kind": "money", "value": 6e8, "currency": "GBP", "qualifier": "exact", "text": "£600m"}
    assert only("$3.3bn")["value"] == 3.3e9
    assert (only("18.3bn euros")["value"], only("18.3bn euros")["currency"]) == (18.3e9, "EUR")
    assert only("HK$5.2 billion")["currency"] == "HKD"  # not US dollars
    assert only("NT$79.99 billion")["currency"] == "TWD"
    assert only("US$3.86 billion")["currency"] == "USD"
    assert only("NOK 23.952 billion")["value"] == 23.952e9
    assert only("Rs 7,379 crore")["value"] == 73_790_000_000
    # a code glued to its number is still the currency, but not the end of a word before a number
    assert (only("CNY18.4 billion")["currency"], only("Rs22 crore")["value"]) == ("CNY", 2.2e8)
    assert [v.kind for v in ENGLISH.find("Mrs 5 votes")] == ["count"]
    # Indian digit groups: lakh and crore
    assert (only("1,28,953 units")["value"], only("Rs 1,23,456 crore")["value"], only("Rs 500cr")["value"]) == (128953, 1.23456e12, 5e9)
    assert only("1,234,567 users")["value"] == 1234567


def test_a_conversion_in_brackets_is_one_value_with_both_amounts():
    value = only("£600m ($1.1bn)")
    assert (value["value"], value["currency"], value["converted"]) == (6e8, "GBP", {"value": 1.1e9, "currency": "USD"})
    assert value["text"] == "£600m ($1.1bn)"
    # the wire services' way: "NT$79.99 billion, or about $2.51 billion"
    value = only("NT$79.99 billion, or about $2.51 billion")
    assert (value["value"], value["currency"], value["converted"]) == (79.99e9, "TWD", {"value": 2.51e9, "currency": "USD"})
    # the same currency after ", or" is a second figure, not a conversion
    assert [v.value["value"] for v in ENGLISH.find("$41 million, or $2 million more")] == [41e6, 2e6]


def test_a_money_range_written_with_both_amounts_is_one_value_and_a_change_between_levels_is_two():
    forecast = only("315 million pounds to 320 million pounds ($495 million to $503 million)")
    assert (forecast["value"], forecast["high"], forecast["currency"], forecast["qualifier"]) == (315e6, 320e6, "GBP", "at_least")
    assert forecast["converted"] == {"value": 495e6, "currency": "USD"}
    assert [v.value["value"] for v in ENGLISH.find("profit rose from $5m to $7m")] == [5e6, 7e6]


def test_fractions_and_multiples_are_percent():
    assert only("a fifth of the market")["value"] == 20
    assert only("a quarter of its sales")["value"] == 25
    assert only("profit doubled")["value"] == 100
    assert (only("almost double")["value"], only("almost double")["qualifier"]) == (100, "approx")
    assert only("a six-fold rise")["value"] == 500
    assert only("three-fold")["value"] == 200
    assert only("the first half of 2019")["kind"] == "period"  # "half of" a year is a period, not 50 %


def test_ranges_keep_both_bounds_and_levels_stay_apart():
    assert only("between 10 and 12 percent") == {"kind": "percent", "value": 10.0, "qualifier": "at_least", "high": 12.0,
                                                 "text": "between 10 and 12 percent"}
    assert only("2-3 percent")["high"] == 3.0
    assert only("490-520 million euro")["high"] == 520e6
    assert only("315 to 320 million pounds")["value"] == 315e6
    levels = VALUES.for_language("en").find("users grew from 10 to 12 million")
    assert [(m.text, m.value["value"]) for m in levels] == [("10", 10_000_000), ("12 million", 12_000_000)]


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
    assert only("the second quarter of 2019") == {"kind": "period", "value": "2019-Q2", "start": "2019-04-01", "end": "2019-06-30",
                                                  "text": "the second quarter of 2019"}
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


def test_a_quarter_without_its_year_is_the_one_nearest_the_article_date():
    january = date(2013, 1, 24)
    assert only("for the fourth quarter", published=january)["value"] == "2012-Q4"
    assert only("third-quarter profit", published=january)["value"] == "2012-Q3"
    assert only("Q3 results", published=january)["value"] == "2012-Q3"
    assert only("het vierde kwartaal", "nl", published=january)["value"] == "2012-Q4"
    assert only("the fourth quarter")["qualifier"] == "unresolved"
    # a company's fiscal quarter is not a calendar one: no period rather than a wrong one
    assert [v for v in ENGLISH.find("its fiscal third quarter", january) if v.kind == "period"] == []
    assert [v.kind for v in ENGLISH.find("a quarter of the market", january)] == ["percent"]

def test_a_company_fiscal_year_and_its_quarters_keep_the_fiscal_calendar():
    january = date(2013, 1, 24)
    for text, value in [("fiscal year 2019", "FY2019"), ("fiscal 2012", "FY2012"), ("FY26", "FY2026"), ("FY 2020", "FY2020"),
                        ("Q2 FY26", "FY2026-Q2"), ("the second quarter of FY26", "FY2026-Q2"),
                        ("the third quarter of fiscal 2019", "FY2019-Q3")]:
        assert only(text, published=january)["value"] == value, text
    assert only("the second quarter of 2019")["value"] == "2019-Q2"


def test_a_split_year_is_the_fiscal_year_it_ends_in_and_the_article_tells_its_months():
    assert only("the fiscal 2010/11 year")["value"] == "FY2011"
    assert only("In 2009/10, net profit")["value"] == "FY2010"
    assert [v.value["value"] for v in ENGLISH.find("from 2009/12 on") if v.kind == "period"] == ["2009"]  # not a split year
    # once the article says when the company's year ends, its fiscal years and quarters are months
    found = ENGLISH.find("IKEA posted a record profit for the fiscal 2010/11 year. Profit rose in the year to last "
                         "August. In 2009/10, net profit was up 6 percent.", date(2012, 1, 20))
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2010-09/2011-08", "2010-09/2011-08", "2009-09/2010-08"]
    found = ENGLISH.find("Profit for the year ended March 31, 2025 rose. In Q2 FY26 profit rose 12.8%.")
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2024-04/2025-03", "2025-Q3"]


def test_a_year_before_a_number_is_no_range_and_a_stock_code_is_no_number():
    found = ENGLISH.find("Toyota's sales rose 8 percent in 2010 to 7.528 million vehicles, a double-digit gain")
    assert [(v.kind, v.text) for v in found] == [("percent", "8 percent"), ("period", "2010"), ("count", "7.528 million")]
    assert ENGLISH.find("minivehicle unit Daihatsu Motor Co ( 7262.T ) and Geely ( 0175.HK )") == []
    assert [v.text for v in ENGLISH.find("profit doubled")] == ["doubled"]
    assert [(v.kind, v.value["value"]) for v in ENGLISH.find("registering a 6x growth")] == [("percent", 500.0)]
    assert only("Apple’s (minus) 7%")["value"] == -7.0
    assert [v.kind for v in ENGLISH.find("a 6xl shirt")] == ["count"]


def test_since_a_year_is_where_a_stretch_starts_not_a_period():
    assert only("Since 1984, Maruti's models have outsold")["since"] is True
    assert "since" not in only("In 1984, Maruti's models outsold")


def test_the_first_and_last_months_of_the_year_are_of_the_article_year():
    assert only("in the opening nine months of the year", published=date(2019, 10, 28))["value"] == "2019-01/2019-09"
    assert only("in the last three months of 2012", published=date(2013, 1, 28))["value"] == "2012-Q4"
    assert only("the final six months of the year", published=date(2019, 10, 28))["value"] == "2019-H2"
    # a count at a month's end is of that month; "end" before a month in other senses is no period
    assert [v.value["value"] for v in ENGLISH.find("at end-September", date(2019, 10, 28))] == ["2019-09"]
    assert [v.value["value"] for v in ENGLISH.find("by the end of March 2019")] == ["2019-03"]
    assert ENGLISH.find("he will end March talks", date(2019, 10, 28)) == []


def test_months_named_without_their_year_and_quarters_named_by_their_last_month():
    october = date(2019, 10, 7)
    assert [v.value["value"] for v in ENGLISH.find("global sales fell during the July-September quarter", october)] == ["2019-Q3"]
    assert [v.value["value"] for v in ENGLISH.find("sales down 0.7% in Jul-Sep", october) if v.kind == "period"] == ["2019-Q3"]
    assert [v.value["value"] for v in ENGLISH.find("net profit in the September quarter", october)] == ["2019-Q3"]
    assert [(v.value["value"], v.text) for v in ENGLISH.find("Jio added 5.9 million subscribers in the month of September", october)
            if v.kind == "period"] == [("2019-09", "September")]
    assert ENGLISH.find("it may be in may", october) == []  # a month only with its capital


def test_an_indian_company_fiscal_year_ends_in_march():
    found = ENGLISH.find("Jio's profit rose 12.8% to Rs 7,379 crore in Q2 FY26")
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2025-Q3"]
    found = ENGLISH.find("Profit rose 12.8% to $7 billion in Q2 FY26")
    assert [v.value["value"] for v in found if v.kind == "period"] == ["FY2026-Q2"]  # elsewhere the calendar is the company's
    # a quarter said without its year is the company's own where its year is known, never marked as such
    found = ENGLISH.find("Airtel's profit was Rs 763 crore in the second quarter", date(2020, 10, 28))
    assert [v.value for v in found if v.kind == "period"] == [
        {"kind": "period", "text": "the second quarter", "value": "2020-Q3", "start": "2020-07-01", "end": "2020-09-30"}]
    found = ENGLISH.find("Fares rose in the third quarter. Profit for the year to March 2014 will rise.", date(2013, 1, 28))
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2012-Q4", "2013-04/2014-03"]
    found = ENGLISH.find("IKEA's profit in the year to last August rose. Sales rose in the second quarter.", date(2012, 3, 20))
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2010-09/2011-08", "2011-12/2012-02"]  # not a calendar quarter
    found = ENGLISH.find("Profit was $5 billion in the second quarter", date(2020, 7, 28))
    assert [v.value["value"] for v in found if v.kind == "period"] == ["2020-Q2"]
    assert only("the first six months of this year", published=date(2019, 10, 28))["value"] == "2019-H1"
    assert only("the first nine months of the year")["qualifier"] == "unresolved"


def test_quarterly_results_are_of_the_last_quarter_ended_by_the_article_date():
    assert only("quarterly profit", published=date(2022, 10, 13))["value"] == "2022-Q3"
    assert only("quarterly profit", published=date(2013, 1, 23))["value"] == "2012-Q4"
    assert only("quarterly profit")["qualifier"] == "unresolved"


def test_durations_and_years_are_not_counts():
    assert VALUES.for_language("en").find("The livestream lasted for 2 hours") == []
    assert [v.kind for v in VALUES.for_language("en").find("In 2014, Xiaomi")] == ["period"]


def test_curator_typed_values_are_normalised():
    assert VALUES.normalise("money", "Rs 22.37 crore")["value"] == 223700000.0
    assert VALUES.normalise("period", "Q3 2019")["value"] == "2019-Q3"
    assert VALUES.normalise("percent", "no number") is None


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from(["en", "nl", "de"]))
def test_never_raises_and_offsets_point_at_the_text(text, lang):
    for mention in VALUES.for_language(lang).find(text, date(2020, 1, 1)):
        assert text[mention.start:mention.end] == mention.text


def test_a_share_written_without_its_percent_sign_is_a_percentage():
    assert only("helped it capture a 14.6 market share")["value"] == 14.6
    assert [v.kind for v in ENGLISH.find("the 2019 market share")] == ["period"]
    assert [v.kind for v in ENGLISH.find("150 market share")] == ["count"]


def test_a_period_compared_with_is_marked_and_a_stretch_is_not():
    found = ENGLISH.find("revenue rose 17 percent over the corresponding period in 2018, and 36 percent from 2018")
    assert [v.value.get("compared") for v in found if v.kind == "period"] == [True, True]
    assert [v.value.get("compared") for v in ENGLISH.find("from 2018 to 2020") if v.kind == "period"] == [None, None]


def test_an_amount_compared_with_money_takes_its_currency():
    found = ENGLISH.find("a 2007 profit of 967.8 million yuan ($136.7 million) versus 219.94 million a year earlier.")
    assert [(v.kind, v.value.get("currency"), v.value["value"]) for v in found if v.kind in ("money", "count")] == [
        ("money", "CNY", 967.8e6), ("money", "CNY", 219.94e6)]
    assert [v.kind for v in ENGLISH.find("revenue of $5 billion from 3 million users")] == ["money", "count"]
