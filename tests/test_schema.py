import pytest

from annotations.errors import SchemaError
from annotations.schema import load_claim_schema, parse_claim_schema
from tests.conftest import ROOT, run_cli

DEFAULT_SLOTS = {
    "market_share": ["subject", "market", "share", "period", "source", "rank"],
    "shipments": ["subject", "market", "units", "period", "source"],
    "user_metric": ["subject", "metric", "count", "market", "period", "source"],
    "financial_result": ["subject", "metric", "amount", "period", "market", "source"],
    "growth": ["subject", "measure", "change", "basis", "period", "market", "source"],
    "valuation": ["subject", "amount", "date", "source"],
    "investment": ["investor", "target", "amount", "stake", "date"],
    "partnership": ["parties", "market", "date", "purpose"],
    "market_entry": ["subject", "market", "date"],
    "regulatory_action": ["authority", "target", "action", "date"],
    "role": ["person", "title", "organization"],
    "product_launch": ["company", "product", "date", "price"],
}

MINIMAL = """\
version: 1
entity_labels:
  ORG: {color: "#8ecae6"}
  GPE: {color: "#95d5b2"}
claim_types:
  market_share:
    triggers: {en: ["market share"], nl: ["marktaandeel"]}
    slots:
      subject: {kind: entity, labels: [ORG], required: true}
      share: {kind: percent, required: true}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(SchemaError) as info:
        parse_claim_schema(text, "claims.yaml")
    return info.value.problems


def test_default_schema_has_the_twelve_types_with_the_contract_slots():
    schema = load_claim_schema(ROOT / "schemas" / "claims.yaml")
    assert {name: list(t.slots) for name, t in schema.claim_types.items()} == DEFAULT_SLOTS
    assert schema.claim_types["partnership"].slots["parties"].multiple
    assert schema.claim_types["market_share"].triggers["nl"] == ("marktaandeel", "aandeel van de markt")
    assert all(t.triggers.get("en") and t.triggers.get("nl") for t in schema.claim_types.values())


def test_label_colours_are_readable_behind_black_text():
    schema = load_claim_schema(ROOT / "schemas" / "claims.yaml")
    for label in schema.entity_labels.values():
        r, g, b = (int(label.color[i:i + 2], 16) / 255 for i in (1, 3, 5))
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        assert luminance > 0.45, f"{label.name} {label.color} is too dark for black text"


def test_minimal_schema_loads():
    schema = parse_claim_schema(MINIMAL)
    assert schema.claim_types["market_share"].required_slots == ("subject", "share")


def test_typo_in_slot_kind_names_the_line():
    problems = problems_of(MINIMAL.replace("kind: percent", "kind: percnt"))
    assert problems == ["claims.yaml, line 10: slot 'share' of claim type 'market_share' has unknown kind 'percnt' "
                        "(known kinds: entity, percent, money, count, period, date, ordinal, choice, text)"]


def test_unknown_key_names_the_line():
    problems = problems_of(MINIMAL.replace("required: true}\n      share", "requird: true}\n      share"))
    assert len(problems) == 1 and problems[0].startswith("claims.yaml, line 9: unknown key 'requird'")


def test_a_choice_implied_over_a_year_must_be_one_of_the_choices():
    schema = parse_claim_schema((ROOT / "schemas/claims.yaml").read_text())
    assert schema.claim_types["growth"].slots["basis"].over_a_year == "yoy"
    problems = problems_of((ROOT / "schemas/claims.yaml").read_text().replace("over_a_year: yoy", "over_a_year: yearly"))
    assert len(problems) == 1 and "'over_a_year' of slot 'basis' of claim type 'growth' must be one of its choices" in problems[0]


def test_who_reports_a_figure_is_declared_on_an_entity_slot():
    schema = parse_claim_schema((ROOT / "schemas/claims.yaml").read_text())
    assert schema.claim_types["market_share"].source_slot.name == "source"
    assert schema.claim_types["role"].source_slot is None
    problems = problems_of(MINIMAL.replace("kind: percent", "kind: percent, reports: true"))
    assert len(problems) == 1 and "only an entity slot can name who reports a figure" in problems[0]


def test_a_phrasing_must_name_the_type_own_slots_and_compile():
    with_phrasing = MINIMAL.replace('triggers: {en: ["market share"], nl: ["marktaandeel"]}',
                                    'triggers: {en: ["market share"]}\n    phrasings: {en: ["{subject} holds {share} of the market"]}')
    assert parse_claim_schema(with_phrasing).claim_types["market_share"].phrasings == {"en": ("{subject} holds {share} of the market",)}
    problems = problems_of(with_phrasing.replace("{subject} holds", "{company} holds"))
    assert problems == ["claims.yaml, line 8: phrasing '{company} holds {share} of the market' of claim type 'market_share': "
                        "{company} is not one of the slots (subject, share) nor {any}"]


def test_entity_slot_with_unknown_label():
    problems = problems_of(MINIMAL.replace("labels: [ORG]", "labels: [ORG, COMPANY]"))
    assert problems == ["claims.yaml, line 9: slot 'subject' of claim type 'market_share' names unknown entity label 'COMPANY'"]


def test_duplicate_names_are_reported():
    text = MINIMAL + "  market_share:\n    slots:\n      subject: {kind: text}\n"
    problems = problems_of(text)
    assert problems == ["claims.yaml, line 11: duplicate key 'market_share'"]


def test_choice_slot_without_choices():
    problems = problems_of(MINIMAL + "      basis: {kind: choice}\n")
    assert problems == ["claims.yaml, line 11: slot 'basis' of claim type 'market_share' is a choice slot without choices"]


def test_missing_required_fields():
    problems = problems_of(MINIMAL.replace("  ORG: {color: \"#8ecae6\"}", "  ORG: {description: x}").replace("version: 1\n", ""))
    assert "claims.yaml, line 1: 'version' must be a whole number of at least 1" in problems
    assert any(p.startswith("claims.yaml, line 2: entity label 'ORG' needs a color") for p in problems)


def test_claim_type_without_slots():
    problems = problems_of(MINIMAL + "  valuation:\n    description: worth\n")
    assert problems == ["claims.yaml, line 12: claim type 'valuation' is missing 'slots'"]


def test_every_problem_is_reported_at_once():
    text = MINIMAL.replace("kind: percent", "kind: percnt").replace("labels: [ORG]", "labels: [ORGG]")
    assert len(problems_of(text)) == 2


def test_python_tags_are_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    text = MINIMAL + f"evil: !!python/object/apply:os.system ['touch {marker}']\n"
    problems = problems_of(text)
    assert problems[0].startswith("claims.yaml, line 11: could not determine a constructor") and not marker.exists()


def test_syntax_error_names_the_line():
    problems = problems_of(MINIMAL.replace("share: {kind: percent, required: true}", "share: {kind: percent, required: true"))
    assert problems[0].startswith("claims.yaml, line 1")


def test_schema_check_command(tmp_path, capsys):
    good = tmp_path / "claims.yaml"
    good.write_text(MINIMAL)
    assert run_cli("schema", "check", good) == 0
    assert capsys.readouterr().out.strip() == "ok"
    bad = tmp_path / "typo.yaml"
    bad.write_text(MINIMAL.replace("kind: percent", "kind: percnt"))
    assert run_cli("schema", "check", bad) == 1
    assert f"{bad}, line 10:" in capsys.readouterr().out


def test_shipped_schema_files_pass_the_check(capsys):
    assert run_cli("schema", "check") == 0
    assert capsys.readouterr().out.strip() == "ok"


def test_a_typo_in_the_suggestion_words_is_named_with_its_file_and_line(tmp_path, capsys):
    from annotations.nlp.suggest import CUES_FILE

    bad = tmp_path / "cues.yaml"
    bad.write_text(CUES_FILE.read_text(encoding="utf-8").replace("    person_cues:", "    person_kues:", 1), encoding="utf-8")
    assert run_cli("schema", "check", bad) == 1
    assert f"{bad}, line 6: language 'en' is missing person_cues" in capsys.readouterr().out


def test_identity_slots_and_the_default_label_are_read_and_checked_with_their_lines():
    schema = parse_claim_schema(MINIMAL + "    identity: [subject]\n")
    assert schema.claim_types["market_share"].identity == ("subject",) and schema.default_entity_label == "ORG"
    assert parse_claim_schema(MINIMAL.replace("claim_types:", "default_entity_label: GPE\nclaim_types:")).default_entity_label == "GPE"
    wrong = (MINIMAL.replace("claim_types:", "default_entity_label: PERSON\nclaim_types:")
             + "    identity: [subject, market]\n"
             + "  role:\n    identity: [person]\n    slots:\n      person: {kind: entity, labels: [ORG], required: true}\n")
    assert problems_of(wrong) == [
        "claims.yaml, line 5: default_entity_label 'PERSON' is not one of the entity labels",
        "claims.yaml, line 12: identity of claim type 'market_share' names 'market', which is not one of its slots",
        "claims.yaml, line 14: claim type 'role' has an identity but no required percent, money, count slot whose values could differ",
    ]


def test_the_shipped_schema_names_the_identity_of_every_claim_type_anchored_on_a_number():
    schema = load_claim_schema(ROOT / "schemas" / "claims.yaml")
    anchored = {name for name, t in schema.claim_types.items() if t.anchor_slot}
    assert {name for name, t in schema.claim_types.items() if t.identity} == anchored
    assert schema.claim_types["market_share"].identity == ("subject", "market", "period")
