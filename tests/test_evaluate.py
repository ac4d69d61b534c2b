"""How `evaluate` decides that a suggestion states a gold fact: a judge reads names as a curator would."""

import pytest

from annotations.evaluate import Fact, as_fact, matches
from annotations.schema import load_claim_schema
from tests.conftest import ROOT

SCHEMA = load_claim_schema(ROOT / "schemas/claims.yaml")


def gold(subject: str, amount: float = 19.2e9, currency: str = "USD") -> Fact:
    return Fact("d", "financial_result", {"subject": [frozenset({subject})], "amount": [{"value": amount, "currency": currency}]})


def suggested(subject: str, amount: float = 19.2e9, currency: str = "USD") -> Fact:
    claim = {"type": "financial_result", "slots": {
        "subject": [{"text": subject, "label": "ORG"}],
        "amount": [{"text": "x", "value": {"kind": "money", "value": amount, "currency": currency}}]}}
    return as_fact("d", claim, SCHEMA)


@pytest.mark.parametrize("gold_name, name", [
    ("taiwan semiconductor manufacturing co.", "TSMC"),          # initials with the legal form
    ("international business machines corp", "IBM"),            # initials without it
    ("ryanair holdings", "Ryanair"),                             # one name inside the other
    ("the glazers", "Glazers"),
])
def test_a_name_matches_its_longer_form_or_its_initials(gold_name, name):
    assert matches(gold(gold_name), suggested(name), SCHEMA)


@pytest.mark.parametrize("gold_name, name", [
    ("tata steel", "TSMC"),
    ("general motors", "GE"),
    ("apple", "Applebee's"),
    ("samsung", "S"),
])
def test_a_different_name_does_not_match(gold_name, name):
    assert not matches(gold(gold_name), suggested(name), SCHEMA)


def test_strict_scoring_needs_the_gold_currency():
    assert matches(gold("tsmc", currency="TWD"), suggested("TSMC"), SCHEMA)
    assert not matches(gold("tsmc", currency="TWD"), suggested("TSMC"), SCHEMA, strict=True)
    assert not matches(gold("tsmc"), suggested("TSMC", amount=20e9), SCHEMA)


def test_money_said_in_two_currencies_matches_gold_written_in_either():
    claim = {"type": "financial_result", "slots": {
        "subject": [{"text": "TSMC", "label": "ORG"}],
        "amount": [{"text": "NT$79.99 billion, or about $2.51 billion", "value": {
            "kind": "money", "value": 79.99e9, "currency": "TWD", "converted": {"value": 2.51e9, "currency": "USD"}}}]}}
    fact = as_fact("d", claim, SCHEMA)
    assert matches(gold("tsmc", 2.51e9, "USD"), fact, SCHEMA, strict=True)
    assert matches(gold("tsmc", 79.99e9, "TWD"), fact, SCHEMA, strict=True)
    assert not matches(gold("tsmc", 2.51e9, "TWD"), fact, SCHEMA, strict=True)
