"""The recommended adjustment: the needed cut by hand, its allocation, and its confidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.budget import landing_forecast, recommend_adjustment
from cio_analytics.exceptions import ParameterError


def spend(rows, n_months):
    """rows: (cost_centre, category, amount per month) repeated over ``n_months``."""
    out = [
        (pd.Timestamp(f"2026-{m:02d}"), cc, cat, "opex", "external", float(x))
        for cc, cat, x in rows
        for m in range(1, n_months + 1)
    ]
    cols = ["month", "cost_centre", "category", "expense_type", "sourcing", "amount"]
    return pd.DataFrame(out, columns=cols)


BUDGET = spend([("A", "grow", 80.0), ("B", "transform", 50.0), ("C", "run", 200.0)], 12)
ACTUALS = spend([("A", "grow", 100.0), ("B", "transform", 50.0), ("C", "run", 200.0)], 9)


def deterministic():
    return landing_forecast(BUDGET, ACTUALS, monthly_sd=0.0, n_trials=20, rng=0)


def test_cut_worked_by_hand():
    """Landing (no uncertainty): A 9 x 100 + 3 x 100 = 1,200 against 960 (overrun 240), B 600 on
    600, C 2,400 on 2,400: total 4,200 against 3,960, so 240 must go at any confidence.

    max_cut_share 0.5: A may give half of its remaining 300 = 150 (it is the only group over
    budget, so it gives first); the other 90 is shared by room: B 0.5 x 150 = 75, C 0.5 x 600 =
    300, so B 90 x 75 / 375 = 18 and C 72."""
    adj = recommend_adjustment(deterministic(), percentile=0.9)
    assert adj.reduction_needed == pytest.approx(240.0)
    assert adj.reduction_recommended == pytest.approx(240.0)
    assert adj.feasible
    cut = adj.table.set_index("cost_centre")["cut"]
    assert cut["A"] == pytest.approx(150.0)
    assert cut["B"] == pytest.approx(18.0)
    assert cut["C"] == pytest.approx(72.0)
    assert adj.table.set_index("cost_centre").loc["A", "cut_per_month"] == pytest.approx(50.0)
    assert adj.probability_of_overrun_before == 1.0 and adj.probability_of_overrun_after == 0.0
    assert adj.landing_p50_after == pytest.approx(3_960.0)
    assert adj.cut_by("category")["category"].iloc[0] == "grow"


def test_cut_from_protects_run_and_reports_infeasible():
    """Only grow/transform may be cut: A 150 + B 75 = 225 < 240: not feasible, 15 short."""
    adj = recommend_adjustment(deterministic(), cut_from={"category": ["grow", "transform"]})
    assert not adj.feasible
    assert adj.reduction_recommended == pytest.approx(225.0)
    assert adj.table.set_index("cost_centre").loc["C", "cut"] == 0.0
    assert "Widen" in adj.message
    full = recommend_adjustment(deterministic(), cut_from={"category": "grow"}, max_cut_share=1.0)
    assert full.feasible and full.table.set_index("cost_centre").loc["A", "cut"] == pytest.approx(
        240.0
    )


def test_no_cut_when_within_target():
    adj = recommend_adjustment(deterministic(), target=5_000.0)
    assert adj.reduction_needed == 0.0 and adj.table["cut"].sum() == 0.0
    assert adj.message.startswith("No cut needed")


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 0.95), st.integers(0, 10_000))
def test_cut_reaches_the_confidence(confidence, seed):
    """After the recommended cut the landing is within budget in a share >= confidence of the
    trials (up to the interpolation between two order statistics)."""
    rng = np.random.default_rng(seed)
    actuals = ACTUALS.copy()
    actuals["amount"] = actuals["amount"] * (1 + 0.1 * rng.standard_normal(len(actuals)))
    fc = landing_forecast(BUDGET, actuals, n_trials=2_000, rng=seed)
    adj = recommend_adjustment(fc, percentile=confidence, max_cut_share=1.0)
    assert adj.feasible
    assert 1 - adj.probability_of_overrun_after >= confidence - 1 / 2_000
    assert adj.table["cut"].sum() == pytest.approx(adj.reduction_recommended)
    assert (adj.table["cut"] <= adj.table["cuttable"] + 1e-9).all()


def test_bad_input():
    fc = deterministic()
    with pytest.raises(ParameterError, match="Did you mean 'category'"):
        recommend_adjustment(fc, cut_from={"categry": ["grow"]})
    with pytest.raises(ParameterError, match="Did you mean 'grow'"):
        recommend_adjustment(fc, cut_from={"category": ["grwo"]})
    with pytest.raises(ParameterError, match="percentile"):
        recommend_adjustment(fc, percentile=80)
    with pytest.raises(ParameterError, match="LandingForecast"):
        recommend_adjustment("forecast")
    assert list(recommend_adjustment(fc).summary().columns) == ["metric", "value", "unit"]


def test_confidence_is_a_deprecated_alias_of_percentile():
    """`confidence` was the required probability of landing on budget: the landing's
    percentile. The old keyword and fields still work, warn and give the same cut."""
    fc = deterministic()
    new = recommend_adjustment(fc, percentile=0.9)
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = recommend_adjustment(fc, confidence=0.9)
    assert old.reduction_recommended == new.reduction_recommended
    with pytest.warns(DeprecationWarning, match="landing_at_percentile"):
        assert new.landing_at_confidence == new.landing_at_percentile
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert new.confidence == 0.9
