"""Issue 11's vocabulary in the risk package: renamed names keep working as deprecated aliases.

Each old keyword, function or result field gives the same numbers as the new one and emits a
DeprecationWarning that names the replacement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import (
    read_fair_scenarios,
    read_project_tasks,
    read_risk_register,
    read_uncertain_case,
)
from cio_analytics.risk import (
    PERT,
    FairScenario,
    LogNormal,
    Normal,
    Risk,
    Task,
    UncertainCaseSpec,
    fair_from_spec,
    risks_from_table,
    simulate,
    simulate_case,
    simulate_fair,
    simulate_project,
    simulate_register,
    simulate_until,
    tasks_from_table,
    uncertainty_from_spec,
    wilks_sample_size,
)

REGISTER = "data/sample/risk_register.csv"


def test_register_percentile_and_tail_share():
    risks = Risk.from_table(read_risk_register(REGISTER))
    new = simulate_register(risks, 5_000, percentile=0.9, tail_share=0.05, rng=1)
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = simulate_register(risks, 5_000, level=0.9, rng=1)
    with pytest.warns(DeprecationWarning, match="tail_share"):
        old_tail = simulate_register(risks, 5_000, tail_level=0.95, rng=1)
    assert old.loss_at_percentile == new.loss_at_percentile
    assert old_tail.expected_shortfall == new.expected_shortfall
    # the expected shortfall is the mean of the worst 5 % of years
    total = np.sort(new.total_before)
    assert new.expected_shortfall == pytest.approx(total[int(0.95 * total.size) :].mean())
    with pytest.warns(DeprecationWarning, match="loss_at_percentile"):
        assert new.p_level == new.loss_at_percentile
    with pytest.warns(DeprecationWarning, match="tail_share"):
        assert new.tail_level == pytest.approx(0.95)
    with pytest.raises(ParameterError, match="tail_share"):
        simulate_register(risks, 100, tail_share=0.0, rng=1)


def test_constructors_are_classmethods_with_deprecated_functions():
    table = read_risk_register(REGISTER)
    with pytest.warns(DeprecationWarning, match=r"Risk\.from_table"):
        assert risks_from_table(table) == Risk.from_table(table)
    tasks = read_project_tasks("data/sample/project_tasks.csv")
    with pytest.warns(DeprecationWarning, match=r"Task\.from_table"):
        assert tasks_from_table(tasks) == Task.from_table(tasks)
    spec = read_fair_scenarios("data/sample/fair_scenarios.yaml")
    with pytest.warns(DeprecationWarning, match=r"FairScenario\.from_spec"):
        old = fair_from_spec(spec)
    assert [s.name for s, _ in old] == [s.name for s, _ in FairScenario.from_spec(spec)]


def test_project_percentile_fields():
    tasks = Task.from_table(read_project_tasks("data/sample/project_tasks.csv"))
    res = simulate_project(tasks, 4_000, percentile=0.9, rng=2)
    assert res.completion_days_at_percentile == pytest.approx(np.quantile(res.completion_days, 0.9))
    assert res.completion_days_p80 == pytest.approx(np.quantile(res.completion_days, 0.8))
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = simulate_project(tasks, 4_000, level=0.9, rng=2)
    assert old.completion_days_at_percentile == res.completion_days_at_percentile
    with pytest.warns(DeprecationWarning, match="completion_days_at_percentile"):
        assert res.completion_p80_days == res.completion_days_at_percentile


def test_fair_percentile():
    scenario, _ = FairScenario.from_spec(read_fair_scenarios("data/sample/fair_scenarios.yaml"))[0]
    new = simulate_fair(scenario, 5_000, percentile=0.95, rng=3)
    with pytest.warns(DeprecationWarning, match="percentile"):
        old = simulate_fair(scenario, 5_000, tail_level=0.95, rng=3)
    assert old.value_at_risk == new.value_at_risk


def test_simulation_result_methods():
    res = simulate(lambda x: x, {"x": PERT(1, 2, 6)}, 2_000, rng=4)
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert res.value_at_risk(level=0.9) == res.value_at_risk(percentile=0.9)
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert res.expected_shortfall(level=0.9) == res.expected_shortfall(percentile=0.9)
    with pytest.warns(DeprecationWarning, match="percentile"):
        assert res.contingency(2, level=0.8) == res.contingency(2, percentile=0.8)
    with (
        pytest.warns(DeprecationWarning, match="percentiles"),
        pytest.warns(DeprecationWarning, match="confidence_level"),
    ):
        old = res.summary(levels=(0.5,), confidence=0.9)
    pd.testing.assert_frame_equal(old, res.summary(percentiles=(0.5,), confidence_level=0.9))
    with pytest.warns(DeprecationWarning, match="confidence_level"):
        n_old = res.trials_for_precision(abs_tol=0.1, confidence=0.9)
    assert n_old == res.trials_for_precision(abs_tol=0.1, confidence_level=0.9)
    with pytest.warns(DeprecationWarning, match="confidence_level"):
        assert wilks_sample_size(confidence=0.95) == wilks_sample_size(confidence_level=0.95) == 59
    with pytest.warns(DeprecationWarning, match="confidence_level"):
        a = LogNormal.from_interval(1, 10, confidence=0.8)
    b = LogNormal.from_interval(1, 10, confidence_level=0.8)
    assert (a.mu, a.sigma) == (b.mu, b.sigma)
    run = simulate_until(lambda x: x, {"x": Normal(0, 1)}, abs_tol=0.2, block_size=100, rng=1)
    assert run.precision["confidence_level"] == 0.95


def test_uncertainty_from_spec_returns_a_frozen_result():
    spec = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    assert isinstance(spec, UncertainCaseSpec)
    with pytest.raises(AttributeError):
        spec.basis = "amount"  # type: ignore[misc]
    assert list(spec.summary()["item"]) == list(spec.uncertainty)
    with pytest.warns(DeprecationWarning, match=r"\.uncertainty"):
        assert spec[1] is spec.uncertainty
    with pytest.warns(DeprecationWarning, match=r"\.case"):
        case, uncertainty, basis = spec
    assert (case, uncertainty, basis) == (spec.case, spec.uncertainty, spec.basis)


def test_uncertain_case_payback_percentiles_are_named_figure_first():
    spec = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    res = simulate_case(spec.case, spec.uncertainty, 500, basis=spec.basis, rng=1)
    with pytest.warns(DeprecationWarning, match="payback_years_p50"):
        assert res.payback_p50_years == res.payback_years_p50 or np.isnan(res.payback_years_p50)
    with pytest.warns(DeprecationWarning, match="payback_years_p90"):
        old = res.payback_p90_years
    np.testing.assert_equal(old, res.payback_years_p90)
