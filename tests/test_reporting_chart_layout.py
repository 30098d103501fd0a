"""Charts legible on a projector (issue 13): ``check_layout`` on crafted figures, then on every
public chart function of :mod:`cio_analytics.reporting.charts` drawn from small sample results.

The crafted figures each break one rule (and a clean one breaks none), so the checker is shown
to find what it claims. The sample charts are the ones the reports show; a finding there is a
chart to fix, not a number to loosen.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace as NS

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting import charts
from cio_analytics.reporting.charts._layout import apparent_size_pt, check_layout


def _fig(figsize=(10, 5.625)) -> tuple[Figure, object]:
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots()


def _rules(fig: Figure) -> set[str]:
    return {f.rule for f in check_layout(fig)}


# ------------------------------------------------------------------------ crafted figures
def test_a_clean_chart_has_no_finding():
    fig, ax = _fig()
    ax.plot([2022, 2023, 2024, 2025], [1, 3, 2, 4], label="Cost")
    ax.set_title("Cost rises", fontsize=16)
    ax.set_xlabel("Year", fontsize=13)
    ax.set_ylabel("Cost (EUR)", fontsize=13)
    ax.tick_params(labelsize=12)
    fig.legend(loc="outside lower center", fontsize=12)
    assert check_layout(fig) == []


def test_small_text_is_found_with_its_size():
    fig, ax = _fig()
    ax.tick_params(labelsize=12)
    ax.text(0.5, 0.5, "fine print", fontsize=8)
    found = check_layout(fig)
    assert [f.rule for f in found] == ["small-text"]
    assert found[0].text == "fine print" and "8.5 pt at 1024 px" in found[0].detail


def test_the_same_font_is_too_small_on_a_wider_figure():
    """A 12 pt tick label on a 16-inch figure shrinks to 8 pt when shown 1024 px wide."""
    fig, ax = _fig(figsize=(16, 6))
    ax.tick_params(labelsize=12)
    assert "small-text" in _rules(fig)
    assert apparent_size_pt(12, 16, 1024) == pytest.approx(8.0)
    fig, ax = _fig(figsize=(10, 5.625))
    ax.tick_params(labelsize=12)
    assert "small-text" not in _rules(fig)


def test_an_annotation_over_the_legend_is_found():
    fig, ax = _fig()
    ax.tick_params(labelsize=12)
    ax.plot([0, 1], [0, 1], label="Cumulative cash flow")
    ax.plot([0, 1], [1, 0], label="Break-even")
    ax.legend(loc="upper left", fontsize=12)
    ax.text(0.02, 0.97, "No payback within 3 years", transform=ax.transAxes, va="top",
            fontsize=12)  # fmt: skip
    found = [f for f in check_layout(fig) if f.rule == "legend-overlap"]
    assert [f.text for f in found] == ["No payback within 3 years"]


def test_annotations_over_each_other_and_crowded_ticks_are_found():
    fig, ax = _fig()
    ax.text(0.5, 0.5, "P50 EUR 1.2M", fontsize=13)
    ax.text(0.51, 0.5, "P90 EUR 1.9M", fontsize=13)
    ax.set_xticks(np.linspace(0, 1, 40), [f"Category {i}" for i in range(40)], fontsize=12)
    rules = _rules(fig)
    assert {"text-overlap", "tick-overlap"} <= rules


def test_text_cut_off_at_the_edge_is_found():
    fig, ax = _fig()
    ax.tick_params(labelsize=12)
    fig.text(0.95, 0.5, "a note that runs past the right edge", fontsize=12)
    assert _rules(fig) == {"outside-figure"}


def test_hidden_text_and_ticks_outside_the_view_are_ignored():
    fig, ax = _fig()
    ax.tick_params(labelsize=12)
    ax.text(0.5, 0.5, "hidden", fontsize=5, visible=False)
    ax.set_xlim(0.2, 0.8)  # ticks at 0 and 1 are not drawn
    assert check_layout(fig) == []
    fig = Figure(figsize=(10, 5.625), layout="constrained")
    ax, key = fig.subplots(1, 2)
    for a in (ax, key):
        a.tick_params(labelsize=12)
    key.axis("off")  # a key panel: its tick labels are never drawn
    key.text(0, 1, "R01 Data centre outage", fontsize=12, va="top")
    assert check_layout(fig) == []


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ParameterError, match="`fig` must be a matplotlib Figure"):
        check_layout("chart.png")
    fig, _ = _fig()
    with pytest.raises(ParameterError, match="width_px"):
        check_layout(fig, width_px=0)


# ------------------------------------------------------------- every public chart function
D = np.datetime64


@functools.cache
def _case(path: str):
    from cio_analytics.io import read_case
    from cio_analytics.valuation import InvestmentCase

    return InvestmentCase.from_spec(read_case(path)).evaluate()


@functools.cache
def _uncertain():
    from cio_analytics.io import read_uncertain_case
    from cio_analytics.risk import simulate_case, uncertainty_from_spec

    spec = read_uncertain_case(
        "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
    )
    u = uncertainty_from_spec(spec)
    return simulate_case(u.case, u.uncertainty, 1000, basis=u.basis, rng=2026)


@functools.cache
def _register():
    from cio_analytics.io import read_risk_appetite, read_risk_register
    from cio_analytics.risk import Risk, simulate_register

    risks = Risk.from_table(read_risk_register("data/sample/risk_register.csv"))
    appetite = read_risk_appetite("data/sample/risk_appetite.csv")
    return simulate_register(risks, 2000, appetite=appetite, rng=7)


@functools.cache
def _plan():
    from cio_analytics.staffing import staffing_plan

    starts = pd.date_range("2026-03-30", periods=7 * 48, freq="30min")
    weekday = np.where(starts.day_of_week < 5, 1.0, 0.4)
    calls = 40.0 * ((starts.hour >= 8) & (starts.hour < 18)) * weekday
    forecast = pd.DataFrame(
        {"queue": "Service desk", "interval_start": starts, "calls": calls, "handle_time_s": 300.0}
    )
    return staffing_plan(forecast, target_service_level=0.8, answer_time_s=20, shrinkage=0.3)


@functools.cache
def _hiring():
    from cio_analytics.staffing import hiring_plan

    plan = _plan()
    return hiring_plan(plan.total_fte, current_headcount=round(plan.total_fte * 0.7), n_months=6,
                       time_to_hire_months=1, ramp_up_months=1, employee_cost_per_fte_year=60000,
                       contractor_cost_per_fte_year=90000)  # fmt: skip


@functools.cache
def _sobol():
    from cio_analytics.risk import Uniform, sobol_indices

    def model(licence, hours, rate):
        return licence + hours * rate

    inputs = {"licence": Uniform(1e5, 2e5), "hours": Uniform(800, 1200), "rate": Uniform(60, 90)}
    return sobol_indices(model, inputs, 2**10, rng=2026, n_bootstrap=50)


@functools.cache
def _outlook():
    from cio_analytics.risk import Task, Triangular, project_outlook

    net = [Task("Build", Triangular(20, 30, 50), 1e5),
           Task("Test", Triangular(5, 10, 20), 2e4, predecessors=("Build",))]  # fmt: skip
    status = pd.DataFrame({"task": ["Build"], "percent_complete": [0.5], "actual_cost": [6e4]})
    return project_outlook(net, status, status_date="2027-03-01", committed_date="2027-04-01",
                           budget=1.5e5, n_trials=300, rng=1)  # fmt: skip


@functools.cache
def _evm():
    from cio_analytics.risk import earned_value

    return earned_value(pd.DataFrame({
        "project": ["C"] * 4, "period": pd.date_range("2026-08-31", periods=4, freq="ME"),
        "planned_value": [100.0, 200, 300, 400], "earned_value": [95.0, 190, 285, 380],
        "actual_cost": [100.0, 215, 340, 470], "budget_at_completion": 1000.0,
    }))  # fmt: skip


_POINTS = pd.DataFrame({
    "label": ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"],
    "value": [0.86, 0.88, 0.85, 0.87, 0.84, 0.70], "centre": 0.86, "lcl": 0.79, "ucl": 0.93,
    "signal": [False, False, False, False, False, True],
})  # fmt: skip
_MONTHLY = pd.DataFrame({
    "month": pd.date_range("2026-01-01", periods=12, freq="MS"),
    "cum_budget": np.arange(1, 13) * 1.0e6,
    "cum_actual": np.r_[np.arange(1, 10) * 1.02e6, [np.nan] * 3],
    "cum_p10": np.arange(1, 13) * 1.00e6, "cum_p50": np.arange(1, 13) * 1.02e6,
    "cum_p90": np.arange(1, 13) * 1.04e6,
})  # fmt: skip
_FORECAST = NS(monthly=_MONTHLY, n_months_reported=9, landing_p10=12.0e6, landing_p50=12.24e6,
               landing_p90=12.48e6, budget_total=12.0e6, probability_of_overrun=0.83,
               currency="EUR")  # fmt: skip
_DELIVERY = pd.DataFrame({
    "name": ["Service desk platform", "NIS2 compliance programme", "CRM consolidation"],
    "slip_days_p80": [-64.0, 8.0, -56.0], "overrun_p80": [-5.6e3, 8.7e4, 1.97e5],
    "needs_attention": [False, True, True],
})  # fmt: skip
_COSTS = pd.DataFrame({"offer": ["Provider A", "Provider B", "In-house"],
                       "pv_mean": [4.6e6, 4.0e6, 4.9e6], "pv_p10": [4.1e6, 3.6e6, 4.4e6],
                       "pv_p90": [5.2e6, 4.5e6, 5.5e6]})  # fmt: skip
_FRONTIER = pd.DataFrame({"downside": [1.0e6, 1.6e6, 2.0e6],
                          "expected_value": [5.0e6, 4.8e6, 4.1e6]})  # fmt: skip
_BRIDGE = pd.DataFrame({"step": ["Budget 2025", "New projects", "Savings", "Budget 2026"],
                        "value": [10e6, 1.2e6, -0.5e6, None],
                        "measure": ["absolute", "relative", "relative", "total"]})  # fmt: skip

#: One call per public chart function, drawn the way the reports draw it (laptops: the plan
#: with no payback inside its horizon, the case the issue saw overlap its legend).
SAMPLES = {
    "completion_s_curve": lambda: charts.completion_s_curve(_outlook(), name="Pilot"),
    "control_chart": lambda: charts.control_chart(
        NS(points=_POINTS, kind="p", baseline_points=3),
        team="Service desk",
        metric="sla_attainment",
    ),
    "cumulative_cash_flow": lambda: charts.cumulative_cash_flow(
        _case("data/sample/cases/laptops_buy.yaml")
    ),
    "delivery_portfolio": lambda: charts.delivery_portfolio(_DELIVERY, currency="EUR"),
    "evm_trend": lambda: charts.evm_trend(_evm(), "C", name="CRM", min_cpi=0.95, min_spi=0.9),
    "hiring_plan_chart": lambda: charts.hiring_plan_chart(_hiring()),
    "landing_fan": lambda: charts.landing_fan(
        _FORECAST, NS(reduction_recommended=3.0e5, landing_p50_after=11.94e6)
    ),
    "loss_exceedance": lambda: charts.loss_exceedance(_register()),
    "option_costs": lambda: charts.option_costs(
        _COSTS, currency="EUR", muted="In-house", horizon_years=5
    ),
    "outcome_distribution": lambda: charts.outcome_distribution(_uncertain()),
    "risk_matrix": lambda: charts.risk_matrix(_register()),
    "s_curve": lambda: charts.s_curve(_uncertain()),
    "service_level_curve": lambda: charts.service_level_curve(10.0, 180, 20, target=0.8),
    "sobol_chart": lambda: charts.sobol_chart(_sobol(), labels={"licence": "Licence price"}),
    "staffing_heatmap": lambda: charts.staffing_heatmap(_plan()),
    "tco_waterfall": lambda: charts.tco_waterfall(
        _case("data/sample/cases/service_desk_platform.yaml")
    ),
    "tornado": lambda: charts.tornado(_uncertain()),
    "value_risk_frontier": lambda: charts.value_risk_frontier(
        NS(points=_FRONTIER, level=0.1, n_scenarios=150, portfolio=NS(currency="EUR")),
        NS(n_selected=12),
    ),
    "waterfall": lambda: charts.waterfall(_BRIDGE, title="Budget bridge", currency="EUR"),
}
NOT_CHARTS = {"alt_text", "set_alt_text", "show_figures_in_notebooks", "theme_context",
              "theme_rc", "use_theme", "format_money", "format_number", "format_percent",
              "currency_axis", "number_axis", "percent_axis", "tco_steps"}  # fmt: skip
PUBLIC_CHARTS = sorted(
    n for n in charts.__all__ if callable(getattr(charts, n)) and n not in NOT_CHARTS
)


def test_every_public_chart_function_has_a_sample():
    assert sorted(SAMPLES) == PUBLIC_CHARTS


@pytest.mark.parametrize("name", PUBLIC_CHARTS)
def test_public_chart_is_legible_at_1024_px(name):
    fig = SAMPLES[name]()
    assert isinstance(fig, Figure)
    findings = check_layout(fig)
    assert findings == [], f"{name}: " + "; ".join(map(str, findings))
