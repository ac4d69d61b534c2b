"""Phrasings in claims.yaml: placeholders for slots, {any} for a name not kept, "..." for a few words."""

from dataclasses import dataclass

import pytest
import yaml

from annotations.phrasings import Marked, compile_phrasing
from tests.conftest import ROOT

KINDS = {"investor": "entity", "target": "entity", "stake": "percent", "parties": "entity"}


@dataclass
class Item:
    start: int
    end: int


def marked(text: str, *names: str, values: tuple[str, ...] = ()) -> Marked:
    def where(word):
        start = text.index(word)
        return Item(start, start + len(word))
    return Marked.of(text, 0, len(text), [where(n) for n in names], [where(v) for v in values])


def spans(filled: dict, text: str) -> dict:
    return {slot: [text[i.start:i.end] for i in items] for slot, items in filled.items()}


def test_a_phrasing_binds_each_placeholder_to_the_name_in_its_place():
    text = "Facebook-owned photo sharing service Instagram revealed numbers."
    found = list(marked(text, "Facebook", "Instagram").matches(compile_phrasing("{investor}-owned ...{target}", KINDS)))
    assert [spans(f, text) for f in found] == [{"investor": ["Facebook"], "target": ["Instagram"]}]


def test_any_name_is_passed_over_and_the_curly_apostrophe_reads_as_straight():
    text = "Maruti, controlled by Japan’s Suzuki Motor, has had orders."
    pattern = compile_phrasing("{target}, controlled by {any}'s {investor}", KINDS)
    assert [spans(f, text) for f in marked(text, "Maruti", "Japan", "Suzuki Motor").matches(pattern)] == [
        {"target": ["Maruti"], "investor": ["Suzuki Motor"]}]


def test_the_few_words_are_lowercase_and_at_most_four():
    pattern = compile_phrasing("{investor}-owned ...{target}", KINDS)
    assert not list(marked("Facebook-owned very popular photo sharing service Instagram", "Facebook", "Instagram").matches(pattern))
    assert not list(marked("Facebook-owned Photo Service Instagram", "Facebook", "Instagram").matches(pattern))


def test_values_and_a_slot_said_twice():
    text = "Tencent holds a 40% stake in Epic Games; a joint venture between Sony and Honda."
    stake = compile_phrasing("{investor} holds a {stake} stake in {target}", KINDS)
    venture = compile_phrasing("joint venture between {parties} and {parties}", KINDS)
    m = marked(text, "Tencent", "Epic Games", "Sony", "Honda", values=("40%",))
    assert [spans(f, text) for f in m.matches(stake)] == [{"investor": ["Tencent"], "stake": ["40%"], "target": ["Epic Games"]}]
    assert [spans(f, text) for f in m.matches(venture)] == [{"parties": ["Sony", "Honda"]}]


@pytest.mark.parametrize("phrasing, reason", [
    ("{buyer} bought {target}", "{buyer} is not one of the slots"),
    ("{investor} (bought {target}", "not a regular expression"),
])
def test_a_broken_phrasing_says_why(phrasing, reason):
    with pytest.raises(ValueError, match=reason.replace("{", r"\{").replace("}", r"\}")):
        compile_phrasing(phrasing, KINDS)


def test_stock_tickers_are_passed_over_and_the_few_words_may_hold_values():
    text = "Maruti Suzuki India Ltd ( MRTI.NS ) launched a new version of its Alto model."
    launch = compile_phrasing("{investor} launched (?:a |an |its |the )?(?:new )?...{target}", KINDS)
    assert [spans(f, text) for f in marked(text, "Maruti Suzuki India Ltd", "Alto").matches(launch)] == [
        {"investor": ["Maruti Suzuki India Ltd"], "target": ["Alto"]}]
    text = "The club signed a 7-year sponsorship deal with General Motors."
    deal = compile_phrasing("{parties} signed (?:a |an )?...deal with {parties}", KINDS)
    found = list(marked(text, "The club", "General Motors", values=("7",)).matches(deal))
    assert [spans(f, text) for f in found] == [{"parties": ["The club", "General Motors"]}]


def test_what_a_phrasing_needs_counts_only_placeholders_outside_groups():
    needs = compile_phrasing(r"{investor}(?:'s)? (?:{stake} )?stake (?:of (?:{any} )?)?in \({target}\)", KINDS)
    assert (needs.names, needs.values) == (2, 0)  # a stake without a number matches too
    text = "Its stake in (Supercell)."
    assert [spans(f, text) for f in marked(text, "Supercell").matches(needs)] == []  # one name only: ruled out


@pytest.mark.parametrize("phrasing, words", [
    ("{investor}-(?:owned|backed) ...{target}", {"owned", "backed"}),      # one of them is in any match
    ("valu(?:es|ed) {target} at {stake}", set()),                         # parts of a word are no words
    ("{investor} (?:has )?bought {target}", {"bought"}),                  # an optional group holds none
    ("{investor}(?:'s| holds) stake in {target}", {"stake"}),             # "'s" has no word: "holds" is not needed
])
def test_a_phrasing_is_tried_only_where_one_of_its_needed_words_is(phrasing, words):
    assert compile_phrasing(phrasing, KINDS).words == words


def test_a_name_tagged_with_its_possessive_reads_as_possessive():
    text = "AT&T struck a deal to buy Deutsche Telekom AG's T-Mobile USA."
    buy = compile_phrasing("{investor} ...(?:to )?buy {target}(?!'s)", KINDS)
    assert list(marked(text, "AT&T", "Deutsche Telekom AG's").matches(buy)) == []  # the seller, not the target


def test_its_in_a_phrasing_reads_the_sentence_its_and_a_few_words_may_hold_a_comma():
    text = "Resso, its streaming service, was released in India last month."
    released = compile_phrasing("{investor}, (?:its |a |the )?...(?:was|were) released in {target}", KINDS)
    m = marked(text, "Resso", "India")
    pointed = Marked.of(text, 0, len(text), m.names, [], [Item(text.index("its"), text.index("its") + 3)])
    assert [spans(f, text) for f in pointed.matches(released)] == [{"investor": ["Resso"], "target": ["India"]}]


def test_a_name_ending_in_s_takes_its_possessive_and_an_abbreviation_keeps_its_full_stop():
    pattern = compile_phrasing("{investor}'s ...plan to buy {stake} of {target}", KINDS)
    text = "Regulators approved Delta Air Lines' plan to buy almost half of Virgin Atlantic."
    assert [spans(f, text) for f in marked(text, "Delta Air Lines", "Virgin Atlantic", values=("almost half",)).matches(pattern)] == [
        {"investor": ["Delta Air Lines"], "stake": ["almost half"], "target": ["Virgin Atlantic"]}]
    pattern = compile_phrasing("{parties} and {parties} ...jointly invest", KINDS)
    text = "Toyota and Sony Corp. later said they would jointly invest in it."
    they = Item(text.index("they"), text.index("they") + 4)
    assert [spans(f, text) for f in Marked.of(text, 0, len(text), [Item(0, 6), Item(11, 20)], [], [they]).matches(pattern)] == [
        {"parties": ["Toyota", "Sony Corp"]}]


def test_a_few_words_may_be_numbers_and_words_tied_to_a_name_by_a_hyphen():
    pattern = compile_phrasing("{investor} signed ...deal with {target}", KINDS)
    text = "Manchester United signed a 7-year sponsorship deal with General Motors Co."
    assert [spans(f, text) for f in marked(text, "Manchester United", "General Motors Co").matches(pattern)] == [
        {"investor": ["Manchester United"], "target": ["General Motors Co"]}]
    pattern = compile_phrasing("{target}, the ...company backed by ...{investor}", KINDS)
    text = "Flipkart, the India-based e-commerce company backed by internet holding company Naspers, raised money."
    for names in (("Flipkart", "Naspers"), ("Flipkart", "India", "Naspers")):  # the model may or may not tag "India"
        assert [spans(f, text) for f in marked(text, *names).matches(pattern)] == [{"target": ["Flipkart"], "investor": ["Naspers"]}]


def test_partners_of_a_joint_venture_named_with_their_owner_or_after_the_deal():
    phrasings = yaml.safe_load((ROOT / "schemas/claims.yaml").read_text())["claim_types"]["partnership"]["phrasings"]["en"]
    text = "The service, a joint venture between Coinstar Inc's Redbox and Verizon, grew."
    names = marked(text, "Coinstar Inc", "Redbox", "Verizon")
    found = [spans(f, text) for p in phrasings for f in names.matches(compile_phrasing(p, KINDS))]
    assert {"parties": ["Redbox", "Verizon"]} in found
    text = "Turns out the partnership Sony and Funimation forged was no one-off."
    found = [spans(f, text) for p in phrasings for f in marked(text, "Sony", "Funimation").matches(compile_phrasing(p, KINDS))]
    assert {"parties": ["Sony", "Funimation"]} in found


def test_a_bid_for_a_described_rival_and_a_takeover_of_a_described_target():
    phrasings = yaml.safe_load((ROOT / "schemas/claims.yaml").read_text())["claim_types"]["investment"]["phrasings"]["en"]
    kinds = {**KINDS, "amount": "money"}
    found = lambda text, *names: [spans(f, text) for p in phrasings for f in marked(text, *names).matches(compile_phrasing(p, kinds))]
    text = "Ryanair is confident regulators would approve Ryanair's bid for Irish rival Aer Lingus by March."
    assert {"investor": ["Ryanair's"], "target": ["Aer Lingus"]} in found(text, "Ryanair's", "Irish", "Aer Lingus")  # as the model tags it
    text = "Moynihan joined when BoA took over his employer FleetBoston Financial in 2004."
    assert {"investor": ["BoA"], "target": ["FleetBoston Financial"]} in found(text, "BoA", "FleetBoston Financial")
