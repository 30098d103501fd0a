"""Weighted scoring of offers: sums and flip weights by hand, sensitivity properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import normalise_scores, score_offers

VALUES = pd.DataFrame(
    {"price": [100.0, 80.0, 125.0], "quality": [4.0, 3.0, 5.0], "risk": [2.0, 3.0, 1.0]},
    index=["A", "B", "C"],
)
CRITERIA = pd.DataFrame(
    {
        "criterion": ["price", "quality", "risk"],
        "weight": [0.5, 0.3, 0.2],
        "direction": ["lower", "higher", "lower"],
        "method": ["ratio", "scale", "scale"],
        "scale_min": [np.nan, 1, 1],
        "scale_max": [np.nan, 5, 5],
    }
)


def test_normalisations_by_hand():
    """ratio (lower): min / x = 80/100, 80/80, 80/125 = 0.8, 1, 0.64; minmax (higher):
    (x - 3) / (5 - 3); scale 1-5 (lower): 1 - (x - 1) / 4."""
    np.testing.assert_allclose(normalise_scores([100, 80, 125], direction="lower"), [0.8, 1, 0.64])
    np.testing.assert_allclose(normalise_scores([4, 3, 5], method="minmax"), [0.5, 0, 1])
    np.testing.assert_allclose(
        normalise_scores([2, 3, 1], direction="lower", method="scale", scale_min=1, scale_max=5),
        [0.75, 0.5, 1.0],
    )
    np.testing.assert_allclose(normalise_scores([7, 7], method="minmax"), [1, 1])


def test_weighted_sums_by_hand():
    """A: 0.5 x 0.8 + 0.3 x 0.75 + 0.2 x 0.75 = 0.775; B: 0.5 x 1 + 0.3 x 0.5 + 0.2 x 0.5 =
    0.75; C: 0.5 x 0.64 + 0.3 x 1 + 0.2 x 1 = 0.82. Ranking C, A, B."""
    res = score_offers(VALUES, CRITERIA, n_trials=0)
    assert res.scores["offer"].tolist() == ["C", "A", "B"]
    np.testing.assert_allclose(res.scores["score"], [0.82, 0.775, 0.75])
    assert res.winner == "C" and res.margin == pytest.approx(0.045)
    np.testing.assert_allclose(res.contributions.loc["A"], [0.4, 0.225, 0.15])


def test_flip_weight_two_offers_by_hand():
    """Two offers, price (lower, ratio) 0.6 and quality (higher, ratio) 0.4.
    A: price 100 -> 0.8, quality 0.9 -> 1;  B: price 80 -> 1, quality 0.6 -> 2/3.
    Scores A 0.88, B 0.8667. Moving the price weight to t (quality 1 - t):
    A(t) = 0.8 t + (1 - t), B(t) = t + (2/3)(1 - t); equal when 1 - 0.2 t = 2/3 + t/3, i.e.
    t = (1/3) / (8/15) = 0.625. Above 62.5 % price weight B wins; the quality weight flips at
    1 - 0.625 = 0.375 (below it B wins)."""
    values = pd.DataFrame({"price": [100.0, 80.0], "quality": [0.9, 0.6]}, index=["A", "B"])
    crit = {"price": 0.6, "quality": 0.4}
    crit = pd.DataFrame(
        {"criterion": list(crit), "weight": list(crit.values()), "direction": ["lower", "higher"]}
    )
    res = score_offers(values, crit, n_trials=0)
    assert res.winner == "A"
    flips = res.flip_weights.set_index("criterion")
    assert flips.loc["price", "flip_weight"] == pytest.approx(0.625)
    assert flips.loc["price", "leader_above"] == "B"
    assert flips.loc["quality", "flip_weight"] == pytest.approx(0.375)
    assert flips.loc["quality", "leader_above"] == "A"
    stab = res.winner_stability.set_index("criterion")
    assert stab.loc["price", ["holds_from", "holds_to"]].tolist() == pytest.approx([0.0, 0.625])
    assert stab.loc["price", "winner_above"] == "B"
    assert stab.loc["quality", ["holds_from", "holds_to"]].tolist() == pytest.approx([0.375, 1.0])
    assert stab.loc["quality", "winner_below"] == "B"
    limits = res.weight_limits()
    # price 0.6 -> 0.625 (B above) and quality 0.4 -> 0.375 (B below): both 0.025 away
    assert dict(zip(limits["criterion"], limits["side"], strict=True)) == {
        "price": "above",
        "quality": "below",
    }
    assert limits["change"].tolist() == pytest.approx([0.025, 0.025])
    assert set(limits["new_winner"]) == {"B"}


def rescore(values, criteria, criterion, t):
    w = criteria.set_index("criterion")["weight"].copy()
    rest = w.drop(criterion)
    w[rest.index] = rest / rest.sum() * (1 - t)
    w[criterion] = t
    return score_offers(values, criteria.assign(weight=w.to_numpy()), n_trials=0)


def test_winner_changes_just_beyond_the_stability_range():
    res = score_offers(VALUES, CRITERIA, n_trials=0)
    for row in res.winner_stability.itertuples():
        if row.winner_above:
            assert rescore(VALUES, CRITERIA, row.criterion, row.holds_to + 1e-6).winner == (
                row.winner_above
            )
            assert rescore(VALUES, CRITERIA, row.criterion, row.holds_to - 1e-6).winner == "C"
        if row.winner_below:
            assert rescore(VALUES, CRITERIA, row.criterion, row.holds_from - 1e-6).winner == (
                row.winner_below
            )


def test_acceptability_rows_and_columns_sum_to_one_and_seed():
    r1 = score_offers(VALUES, CRITERIA, n_trials=3000, rng=5)
    r2 = score_offers(VALUES, CRITERIA, n_trials=3000, rng=5)
    pd.testing.assert_frame_equal(r1.acceptability, r2.acceptability)
    np.testing.assert_allclose(r1.acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(r1.acceptability.sum(axis=0), 1.0)
    assert r1.seed == 5
    wins = r1.central_weights.dropna()
    np.testing.assert_allclose(wins.sum(axis=1), 1.0)
    # tightly concentrated weights reproduce the deterministic ranking
    tight = score_offers(VALUES, CRITERIA, n_trials=2000, concentration=1e6, rng=5)
    assert tight.acceptability.loc["C", "rank_1"] == 1.0
    assert tight.acceptability.loc["B", "rank_3"] == 1.0
    assert "p_first" in r1.summary().columns


def test_weights_must_sum_to_one_with_hint():
    bad = CRITERIA.assign(weight=[5, 3, 2])
    with pytest.raises(ParameterError, match=r"sum to 1. Got 10 .*price 0.500.*normalise_weights"):
        score_offers(VALUES, bad, n_trials=0)
    res = score_offers(VALUES, bad, normalise_weights=True, n_trials=0)
    np.testing.assert_allclose(res.weights, [0.5, 0.3, 0.2])


@pytest.mark.parametrize(
    ("criteria", "match"),
    [
        (CRITERIA.assign(weight=[0.5, 0.7, -0.2]), "0 or more"),
        (CRITERIA.assign(criterion=["price", "quality", "cost"]), "no column"),
        (CRITERIA.assign(direction=["lower", "up", "lower"]), "direction"),
        (CRITERIA.assign(scale_max=[np.nan, 3, 5]), "outside the marking scale"),
    ],
)
def test_bad_criteria(criteria, match):
    with pytest.raises(ParameterError, match=match):
        score_offers(VALUES, criteria, n_trials=0)


def test_bad_values_and_concentration():
    with pytest.raises(ParameterError, match="values > 0"):
        score_offers(VALUES.assign(price=[0.0, 80, 125]), CRITERIA, n_trials=0)
    with pytest.raises(ParameterError, match="concentration"):
        score_offers(VALUES, CRITERIA, n_trials=10, concentration=-1)


weights = st.lists(st.floats(0.01, 10), min_size=3, max_size=3)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(weights, st.floats(0.1, 100))
def test_weights_normalised_and_scale_invariant(w, c):
    """Weights always end up summing to 1, and multiplying them all by c changes nothing."""
    crit = CRITERIA.assign(weight=w)
    r1 = score_offers(VALUES, crit, normalise_weights=True, n_trials=0)
    r2 = score_offers(
        VALUES, crit.assign(weight=np.asarray(w) * c), normalise_weights=True, n_trials=0
    )
    assert r1.weights.sum() == pytest.approx(1.0)
    assert r1.scores["offer"].tolist() == r2.scores["offer"].tolist()
    np.testing.assert_allclose(r1.scores["score"], r2.scores["score"])


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(weights)
def test_pairs_tie_at_their_flip_weight(w):
    crit = CRITERIA.assign(weight=np.asarray(w) / np.sum(w))
    res = score_offers(VALUES, crit, n_trials=0)
    for row in res.flip_weights.dropna(subset=["flip_weight"]).itertuples():
        at = rescore(VALUES, crit, row.criterion, row.flip_weight).scores.set_index("offer")
        assert at.loc[row.offer, "score"] == pytest.approx(at.loc[row.other, "score"], abs=1e-9)
