"""The label colours of schemas/claims.yaml can be read on and told apart (annotations/palette.py)."""

from annotations.palette import EVIDENCE, contrast, delta_e, distance, palette_problems
from annotations.schema import load_claim_schema
from annotations.settings import SCHEMA_DIR


def test_every_label_colour_reads_and_stands_apart_from_the_others_the_page_and_the_marks():
    assert palette_problems(load_claim_schema(SCHEMA_DIR / "claims.yaml")) == []


def test_the_check_finds_the_clashes_curators_reported(tmp_path):
    """The colours before this check: ORG looked like DATE, GPE like LOC, PERCENT like the
    evidence shading, CARDINAL like the page."""
    text = (SCHEMA_DIR / "claims.yaml").read_text(encoding="utf-8")
    old = {"ORG": "#8ecae6", "DATE": "#bde0fe", "GPE": "#95d5b2", "LOC": "#b7e4c7", "PERCENT": "#fdffb6", "CARDINAL": "#e9ecef"}
    schema = load_claim_schema(SCHEMA_DIR / "claims.yaml")
    for label, color in old.items():
        text = text.replace(f'color: "{schema.entity_labels[label].color}"', f'color: "{color}"')
    (tmp_path / "claims.yaml").write_text(text, encoding="utf-8")
    problems = palette_problems(load_claim_schema(tmp_path / "claims.yaml"))
    for clash in ("ORG #8ecae6 and DATE #bde0fe", "GPE #95d5b2 and LOC #b7e4c7", f"PERCENT #fdffb6: 7.4 from the evidence shading {EVIDENCE}",
                  "CARDINAL #e9ecef: 4.4 from the white page"):
        assert any(p.startswith(clash) for p in problems), clash


def test_the_measures_agree_with_published_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0 and round(contrast("#777777", "#ffffff"), 2) == 4.48
    # Sharma, Wu and Dalal's CIEDE2000 test data, pairs 1, 7 and 17
    assert round(delta_e((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(delta_e((50, 0, 0), (50, -1, 2)), 4) == 2.3669
    assert round(delta_e((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492
    assert round(distance("#ffffff", "#000000")) == 100
