"""Workload FTE: hand-worked examples, PERT moments, reproducibility and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_team_demand
from cio_analytics.staffing.workload import workload_fte


def test_hand_worked_point_fte():
    """3,200 h of work, 1,600 productive h per FTE at 80 % utilisation: 3,200 / 1,280 = 2.5."""
    demand = {"activity": ["build", "run"], "demand_hours": [2000.0, 1200.0]}
    res = workload_fte(demand, productive_hours_per_fte_year=1600, utilisation_target=0.8, rng=1)
    assert res.fte_likely == pytest.approx(2.5)
    # no ranges: every trial equals the point estimate
    assert res.fte_p50 == pytest.approx(2.5) and res.fte_p80 == pytest.approx(2.5)
    assert res.by_team["team"].tolist() == ["All"]


def test_pert_mean_matches_formula():
    """PERT mean (a + 4m + b) / 6 (Malcolm et al. 1959): 1000, 1300, 2200 -> 1400 h."""
    demand = pd.DataFrame(
        {"activity": ["x"], "demand_hours": [1300.0], "low_hours": [1000.0], "high_hours": [2200.0]}
    )
    res = workload_fte(demand, productive_hours_per_fte_year=1400, utilisation_target=1.0, rng=7)
    assert res.by_activity["fte_mean"].iloc[0] == pytest.approx(1.0)
    se = res.fte_samples.std() / np.sqrt(res.n_trials)
    assert abs(res.fte_mean - 1.0) < 4 * se
    assert res.fte_p80 > res.fte_p50 > res.fte_likely  # right-skewed range


def test_triangular_mean():
    demand = {
        "activity": ["x"],
        "demand_hours": [1300.0],
        "low_hours": [1000.0],
        "high_hours": [2200.0],
    }
    res = workload_fte(
        demand,
        productive_hours_per_fte_year=1500,
        utilisation_target=1.0,
        distribution="triangular",
        rng=3,
        n_trials=20_000,
    )
    se = res.fte_samples.std() / np.sqrt(res.n_trials)
    assert abs(res.fte_mean - 1.0) < 4 * se  # (1000 + 1300 + 2200) / 3 / 1500


def test_sample_teams_and_seed():
    demand = read_team_demand("data/sample/team_demand.csv")
    a = workload_fte(demand, productive_hours_per_fte_year=1450, rng=2026)
    b = workload_fte(demand, productive_hours_per_fte_year=1450, rng=2026)
    assert a.seed == 2026
    np.testing.assert_array_equal(a.fte_samples, b.fte_samples)
    assert set(a.by_team["team"]) == {"Delivery", "Operations"}
    assert a.by_team["fte_likely"].sum() == pytest.approx(a.fte_likely)
    assert a.summary().set_index("metric").loc["fte_p80", "value"] == a.fte_p80
    assert a.fte_at(0.8) == pytest.approx(a.fte_p80)


@settings(max_examples=60, deadline=None)
@given(
    hours=st.lists(st.floats(0, 5000), min_size=1, max_size=5),
    productive=st.floats(500, 2000),
    util=st.floats(0.3, 1.0),
)
def test_more_hours_never_fewer_fte(hours, productive, util):
    demand = {"activity": [f"a{i}" for i in range(len(hours))], "demand_hours": hours}
    base = workload_fte(
        demand, productive_hours_per_fte_year=productive, utilisation_target=util, n_trials=10
    )
    more = dict(demand, demand_hours=[h + 10 for h in hours])
    bigger = workload_fte(
        more, productive_hours_per_fte_year=productive, utilisation_target=util, n_trials=10
    )
    assert bigger.fte_likely > base.fte_likely
    assert base.fte_likely == pytest.approx(sum(hours) / (productive * util))


def test_bad_input():
    demand = {"activity": ["x"], "demand_hours": [100.0]}
    with pytest.raises(ParameterError, match=r"0\.85 for 85 %"):
        workload_fte(demand, productive_hours_per_fte_year=1500, utilisation_target=85)
    with pytest.raises(ParameterError, match="productive_hours_per_fte_year"):
        workload_fte(demand, productive_hours_per_fte_year=0)
    with pytest.raises(ParameterError, match="demand_hours"):
        workload_fte({"activity": ["x"]}, productive_hours_per_fte_year=1500)
    with pytest.raises(ParameterError, match="low_hours <= demand_hours"):
        workload_fte(
            {"activity": ["x"], "demand_hours": [10.0], "low_hours": [20.0]},
            productive_hours_per_fte_year=1500,
        )
    with pytest.raises(ParameterError, match="distribution"):
        workload_fte(demand, productive_hours_per_fte_year=1500, distribution="normal")


def test_productive_hours_per_fte_is_a_deprecated_alias():
    """The yearly hours are named `productive_hours_per_fte_year`; the old name still works."""
    demand = pd.DataFrame({"activity": ["a"], "demand_hours": [3200.0]})
    new = workload_fte(demand, productive_hours_per_fte_year=1600, rng=1)
    with pytest.warns(DeprecationWarning, match="productive_hours_per_fte_year"):
        old = workload_fte(demand, productive_hours_per_fte=1600, rng=1)
    assert old.fte_likely == new.fte_likely
    with pytest.warns(DeprecationWarning, match="productive_hours_per_fte_year"):
        assert new.productive_hours_per_fte == 1600
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert new.fte_at(confidence=0.8) == new.fte_at(percentile=0.8)
