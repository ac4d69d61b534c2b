"""Calibrated confidence: a suggestion's confidence is the share of its kind that were right on development gold."""

from annotations.calibration import Calibration, fit


def judged(claim_type: str, basis: str, right: int, wrong: int) -> list[tuple[str, str, float, bool]]:
    return [(claim_type, basis, 0.5, True)] * right + [(claim_type, basis, 0.5, False)] * wrong


def test_a_well_measured_cell_gets_its_own_precision_and_a_thin_one_leans_on_its_type():
    calibration = fit(judged("growth", "number/parse", 80, 20) + judged("growth", "number/near", 1, 0), gold_count=120)
    assert abs(calibration.confidence("growth", "number/parse", 0.9) - 0.8) < 0.02
    assert calibration.confidence("growth", "number/near", 0.9) < 0.95  # one right of one is not certainty


def test_a_basis_a_type_never_used_takes_that_basis_over_all_types():
    """A phrasing of market_entry that the development articles never matched: as reliable as phrasings are."""
    calibration = fit(judged("investment", "phrasing", 9, 1) + judged("market_entry", "trigger/near", 1, 9), gold_count=30)
    entry = calibration.confidence("market_entry", "phrasing", 0.9)
    assert entry > calibration.confidence("market_entry", "trigger/near", 0.9)
    assert entry == calibration.precision["*"]["phrasing"] > 0.7


def test_a_type_added_since_keeps_its_own_figure_and_nothing_below_the_threshold_is_wanted():
    calibration = Calibration({"growth": {"*": 0.6}}, min_confidence=0.4)
    assert calibration.confidence("store_opening", "trigger/parse", 0.77) == 0.77
    assert calibration.confidence("growth", "trigger/parse", 0.9) == 0.6



def test_the_threshold_is_where_the_lower_of_precision_and_recall_is_highest():
    # with 100 gold facts: down to a, 60 right of 60 (P 1.0, R 0.6); down to b, 66 of 75 (P 0.88, R 0.66);
    # down to c, 70 of 100 (P 0.70, R 0.70): c is where the weaker of the two is best
    rows = judged("growth", "a", 60, 0) + judged("growth", "b", 6, 9) + judged("growth", "c", 4, 21)
    calibration = fit(rows, gold_count=100)
    cells = calibration.precision["growth"]
    assert cells["a"] > cells["b"] > cells["c"]
    assert calibration.min_confidence == cells["c"]
