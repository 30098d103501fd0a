"""One seed policy (issue 11): every public stochastic function records an int seed that
replays it.

Each function is called with ``rng`` as an int, a ``numpy.random.Generator`` and None. In every
case the result's ``seed`` is a non-negative ``int`` and a second call with ``rng=result.seed``
gives identical numbers (every array, DataFrame and float of the result). An int seed is
recorded as given. The rule is :func:`cio_analytics._validation.resolve_seed` (scipy SPEC 7:
``rng`` is None, an int seed or a Generator).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cio_analytics._validation import resolve_seed
from cio_analytics.budget import landing_forecast
from cio_analytics.continuity import (
    ContinuityOption,
    ServiceModel,
    evaluate_options,
    simulate_outages,
)
from cio_analytics.exceptions import ParameterError
from cio_analytics.io import (
    read_actuals,
    read_budget,
    read_fair_scenarios,
    read_offers,
    read_project_tasks,
    read_risk_register,
    read_service_structure,
    read_ticket_export,
    read_uncertain_case,
    read_volume_forecast,
)
from cio_analytics.performance import capacity_vs_demand, ticket_metrics
from cio_analytics.portfolio import (
    Constraints,
    Portfolio,
    efficient_frontier,
    select_portfolio,
    simulate_portfolio,
)
from cio_analytics.risk import (
    PERT,
    FairScenario,
    Normal,
    Risk,
    Task,
    simulate,
    simulate_case,
    simulate_fair,
    simulate_project,
    simulate_register,
    simulate_until,
    uncertainty_from_spec,
)
from cio_analytics.sourcing import Offer, compare_offers, inhouse_vs_outsourced, score_offers
from cio_analytics.staffing import required_agents_at_confidence, staffing_plan, workload_fte

SERVICE = "data/sample/continuity/online_ordering.yaml"


def _portfolio() -> Portfolio:
    t = pd.DataFrame({"id": ["A", "B", "C"], "npv": [10.0, 20.0, 7.0],
                      "npv_low": [0.0, 5.0, -10.0], "npv_high": [30.0, 50.0, 20.0],
                      "cost_2027": [1.0, 1.0, 1.0], "risk_driver": ["erp", "erp", "cloud"]})  # fmt: skip
    return Portfolio.from_table(t)


def _offers_comparison(rng: Any):
    spec = read_offers("data/sample/sourcing/offers.yaml")
    return compare_offers(
        Offer.from_tables(spec.offers, spec.tiers),
        read_volume_forecast("data/sample/sourcing/volume_forecast.csv"),
        discount_rate=spec.discount_rate,
        n_trials=300,
        rng=rng,
    )


def _inhouse(rng: Any):
    vf = pd.DataFrame({"year": [1, 2], "low": [900.0] * 2, "likely": [1000.0] * 2,
                       "high": [1200.0] * 2})  # fmt: skip
    from cio_analytics.sourcing import TierSchedule

    cmp = compare_offers([Offer("V", tiers=TierSchedule([0], [50.0]))], vf, discount_rate=0.05,
                         n_trials=300, rng=1)  # fmt: skip
    demand = pd.DataFrame({"activity": ["run"], "low_hours": [1000.0], "demand_hours": [1200.0],
                           "high_hours": [1600.0]})  # fmt: skip
    return inhouse_vs_outsourced(cmp, cost_per_fte_year=60_000, demand=demand, rng=rng)


def _plan(rng: Any):
    fc = pd.DataFrame({"queue": ["Desk"] * 2,
                       "interval_start": pd.to_datetime(["2026-03-30 09:00", "2026-03-30 09:30"]),
                       "calls": [100.0, 60.0], "handle_time_s": [180.0, 180.0],
                       "calls_sd": [15.0, 10.0]})  # fmt: skip
    return staffing_plan(fc, target_service_level=0.8, answer_time_s=20, interval_s=1800,
                         percentile=0.9, n_trials=100, rng=rng)  # fmt: skip


def _scores(rng: Any):
    values = pd.DataFrame({"price": [100.0, 80.0, 90.0], "quality": [0.9, 0.6, 0.7]},
                          index=["A", "B", "C"])  # fmt: skip
    crit = pd.DataFrame({"criterion": ["price", "quality"], "weight": [0.6, 0.4],
                         "direction": ["lower", "higher"]})  # fmt: skip
    return score_offers(values, crit, n_trials=300, rng=rng)


#: name -> function of rng returning a result with ``seed``
CALLS: dict[str, Callable[[Any], Any]] = {
    "simulate": lambda rng: simulate(lambda x: 2 * x, {"x": PERT(1, 2, 6)}, 500, rng=rng),
    "simulate_until": lambda rng: simulate_until(
        lambda x: x, {"x": Normal(0, 1)}, abs_tol=0.3, block_size=100, rng=rng
    ),
    "simulate_case": lambda rng: simulate_case(
        (
            s := uncertainty_from_spec(
                read_uncertain_case(
                    "data/sample/uncertain_case.yaml",
                    case="data/sample/cases/service_desk_platform.yaml",
                )
            )
        ).case,
        s.uncertainty,
        300,
        basis=s.basis,
        rng=rng,
    ),
    "simulate_register": lambda rng: simulate_register(
        Risk.from_table(read_risk_register("data/sample/risk_register.csv")), 1_000, rng=rng
    ),
    "simulate_project": lambda rng: simulate_project(
        Task.from_table(read_project_tasks("data/sample/project_tasks.csv")), 1_000, rng=rng
    ),
    "simulate_fair": lambda rng: simulate_fair(
        FairScenario.from_spec(read_fair_scenarios("data/sample/fair_scenarios.yaml"))[0][0],
        1_000,
        rng=rng,
    ),
    "workload_fte": lambda rng: workload_fte(
        pd.DataFrame(
            {
                "activity": ["a", "b"],
                "low_hours": [800.0, 100.0],
                "demand_hours": [1000.0, 200.0],
                "high_hours": [1500.0, 400.0],
            }
        ),
        productive_hours_per_fte_year=1450,
        n_trials=300,
        rng=rng,
    ),
    "required_agents_at_confidence": lambda rng: required_agents_at_confidence(
        [100.0, 50.0],
        180.0,
        calls_sd=[15.0, 8.0],
        interval_s=1800,
        percentile=0.9,
        n_trials=100,
        rng=rng,
        target_service_level=0.8,
        answer_time_s=20,
    ),
    "staffing_plan": _plan,
    "simulate_portfolio": lambda rng: simulate_portfolio(
        _portfolio(), ["A", "B", "C"], 500, rng=rng
    ),
    "select_portfolio": lambda rng: select_portfolio(
        _portfolio(),
        Constraints({2027: 2.0}),
        objective="expected_shortfall",
        n_trials=60,
        rng=rng,
    ),
    "efficient_frontier": lambda rng: efficient_frontier(
        _portfolio(), Constraints({2027: 2.0}), n_points=2, n_trials=60, rng=rng
    ),
    "landing_forecast": lambda rng: landing_forecast(
        read_budget("data/sample/budget.csv"),
        read_actuals("data/sample/actuals.csv"),
        n_trials=300,
        rng=rng,
    ),
    "compare_offers": _offers_comparison,
    "inhouse_vs_outsourced": _inhouse,
    "score_offers": _scores,
    "simulate_outages": lambda rng: simulate_outages(
        ServiceModel.from_spec(read_service_structure(SERVICE)), n_trials=500, rng=rng
    ),
    "evaluate_options": lambda rng: evaluate_options(
        ServiceModel.from_spec(spec := read_service_structure(SERVICE)),
        ContinuityOption.from_spec(spec),
        n_trials=500,
        rng=rng,
    ),
    "capacity_vs_demand": lambda rng: capacity_vs_demand(
        ticket_metrics(read_ticket_export("data/sample/tickets_export.csv")),
        available_fte={"Service desk": 6.0},
        n_trials=200,
        rng=rng,
    ),
}


#: result fields that measure the machine, not the model
WALL_CLOCK = {"solve_time_s"}


def _same(a: Any, b: Any, where: str) -> None:
    """Every array, DataFrame and number of two results is identical (NaN equals NaN)."""
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            if f.name in WALL_CLOCK:
                continue
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, pd.DataFrame | pd.Series):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, obj=where)
        else:
            pd.testing.assert_series_equal(a, b, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, float | int | np.floating | np.integer) and not isinstance(a, bool):
        np.testing.assert_equal(a, b, err_msg=where)
    elif isinstance(a, list | tuple) and a and dataclasses.is_dataclass(a[0]):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")


def _seed(result: Any) -> Any:
    return result.seed


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("kind", ["int", "generator", "none"])
def test_seed_is_an_int_that_replays_the_run(name, kind):
    call = CALLS[name]
    rng = {"int": 2026, "generator": np.random.default_rng(7), "none": None}[kind]
    first = call(rng)
    seed = _seed(first)
    assert isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0, (name, seed)
    if kind == "int":
        assert seed == 2026
    _same(first, call(seed), name)


def test_resolve_seed_rules():
    """None draws a fresh seed, an int is kept, a Generator gives one draw; all replay."""
    assert resolve_seed(5)[0] == 5
    a, b = resolve_seed(None)[0], resolve_seed(None)[0]
    assert isinstance(a, int) and a != b  # 63 bits of entropy: a tie has probability 2**-63
    seed, gen = resolve_seed(np.random.default_rng(1))
    assert seed == int(np.random.default_rng(1).integers(2**63))
    assert gen.random() == resolve_seed(seed)[1].random()
    for bad in (-1, True, 1.5, "7"):
        with pytest.raises(ParameterError, match="rng"):
            resolve_seed(bad)
