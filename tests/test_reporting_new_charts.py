"""The control chart, the budget landing fan, the value-risk frontier and the option-cost bars:
a themed Figure is returned, its headline states the message, the plotted data are the inputs,
and legend, title and labels do not overlap when drawn at 1024 px."""

from __future__ import annotations

from types import SimpleNamespace as NS

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting.charts import (
    alt_text,
    control_chart,
    landing_fan,
    option_costs,
    value_risk_frontier,
)


def no_overlaps(fig: Figure) -> None:
    """The suptitle, the legend and the axes' labels do not overlap each other."""
    fig.set_dpi(1024 / fig.get_figwidth())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {"title": fig._suptitle.get_window_extent(renderer)}
    for i, legend in enumerate(fig.legends):
        boxes[f"legend{i}"] = legend.get_window_extent(renderer)
    ax = fig.axes[0]
    boxes["xlabel"] = ax.xaxis.label.get_window_extent(renderer)
    boxes["axes"] = ax.get_window_extent(renderer)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b, boxes[a], boxes[b])


def line_data(ax, label_or_index):
    line = ax.get_lines()[label_or_index]
    return np.asarray(line.get_ydata(), dtype=float)


# ----------------------------------------------------------------------- control chart
POINTS = pd.DataFrame({
    "label": ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"],
    "value": [0.86, 0.88, 0.85, 0.87, 0.84, 0.70], "centre": 0.86, "lcl": 0.79, "ucl": 0.93,
    "signal": [False, False, False, False, False, True],
})  # fmt: skip


def test_control_chart_plots_the_points_and_states_the_message():
    c = NS(points=POINTS, kind="p", baseline_points=3)
    fig = control_chart(c, team="Service desk", metric="sla_attainment")
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == (
        "Service desk: SLA attainment 70.0 % in Oct 2026, outside its limits"
    )
    ax = fig.axes[0]
    values = [line_data(ax, i) for i in range(len(ax.get_lines()))]
    assert any(np.allclose(v, POINTS["value"]) for v in values)
    assert any(np.allclose(v, 0.86) for v in values)  # the centre line
    ringed = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert np.allclose(ringed[0].get_offsets()[0][1], 0.70)  # the one signal month
    band = next(c for c in ax.collections if isinstance(c, PolyCollection))
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(0.79) and ys.max() == pytest.approx(0.93)
    assert "1 month flagged" in ax.get_title(loc="left")
    assert "latest 70.0 % against limits 79.0 % to 93.0 %" in alt_text(fig)
    no_overlaps(fig)


def test_control_chart_hours_within_limits():
    pts = POINTS.assign(value=[20.0, 22, 19, 21, 20, 23], centre=20.5, lcl=12.0, ucl=29.0,
                        signal=False)  # fmt: skip
    fig = control_chart(NS(points=pts, kind="xmr", baseline_points=4), team="Network",
                        metric="resolve_p90_h")  # fmt: skip
    assert fig.get_suptitle() == "Network: P90 time to resolve 23.0 in Oct 2026, within its limits"
    assert fig.axes[0].get_ylabel() == "P90 time to resolve (hours)"
    assert "No month flagged" in fig.axes[0].get_title(loc="left")


def test_control_chart_rejects_what_is_not_a_chart():
    with pytest.raises(ParameterError, match="ControlChart"):
        control_chart(POINTS)
    with pytest.raises(ParameterError, match="lacks columns"):
        control_chart(NS(points=POINTS.drop(columns="ucl")))


# -------------------------------------------------------------------------- landing fan
MONTHLY = pd.DataFrame({
    "month": pd.date_range("2026-01-01", periods=6, freq="MS"),
    "cum_budget": [100.0, 200, 300, 400, 500, 600],
    "cum_actual": [110.0, 215, 320, np.nan, np.nan, np.nan],
    "cum_p10": [110.0, 215, 320, 410, 500, 590],
    "cum_p50": [110.0, 215, 320, 425, 530, 635],
    "cum_p90": [110.0, 215, 320, 440, 560, 680],
})  # fmt: skip


def fc(**kw):
    base = dict(monthly=MONTHLY, n_months_reported=3, landing_p10=590.0, landing_p50=635.0,
                landing_p90=680.0, budget_total=600.0, probability_of_overrun=0.83,
                currency="EUR")  # fmt: skip
    return NS(**(base | kw))


def test_landing_fan_plots_spend_minus_budget():
    fig = landing_fan(fc())
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "Landing EUR 35 over budget (median), 83 % chance of overrun"
    ax = fig.axes[0]
    lines = {line.get_label(): np.asarray(line.get_ydata(), float) for line in ax.get_lines()}
    assert np.allclose(lines["Actual to date"], [10.0, 15.0, 20.0])
    assert np.allclose(lines["Forecast median"], [20.0, 25.0, 30.0, 35.0])  # from March on
    band = next(c for c in ax.collections if isinstance(c, PolyCollection))
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(-10.0) and ys.max() == pytest.approx(80.0)
    assert ax.get_ylabel() == "Cumulative spend minus budget (EUR)"
    no_overlaps(fig)


def test_landing_fan_marks_the_landing_after_the_cut():
    fig = landing_fan(fc(), NS(reduction_recommended=50.0, landing_p50_after=585.0))
    marks = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert np.allclose(marks[0].get_offsets()[0][1], -15.0)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Median after cutting EUR 50" in labels
    no_overlaps(fig)


def test_landing_fan_under_budget_and_bad_input():
    fig = landing_fan(fc(landing_p50=580.0, probability_of_overrun=0.2))
    assert fig.get_suptitle().startswith("Landing EUR 20 under budget")
    with pytest.raises(ParameterError, match="lacks columns"):
        landing_fan(fc(monthly=MONTHLY.drop(columns="cum_p90")))


# ----------------------------------------------------------------------------- frontier
FRONTIER = pd.DataFrame(
    {"downside": [1.0e6, 1.6e6, 2.0e6], "expected_value": [5.0e6, 4.8e6, 4.1e6]}
)


def test_frontier_plots_the_points_from_zero():
    fr = NS(points=FRONTIER, level=0.1, n_scenarios=150, portfolio=NS(currency="EUR"))
    fig = value_risk_frontier(fr, NS(n_selected=12))
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "A safer portfolio costs up to EUR 900k of expected NPV"
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    assert np.allclose(line.get_xdata(), FRONTIER["downside"])
    assert np.allclose(line.get_ydata(), FRONTIER["expected_value"])
    assert ax.get_ylim()[0] == 0  # the axis does not exaggerate small differences
    mark = next(c for c in ax.collections if isinstance(c, PathCollection))
    assert np.allclose(mark.get_offsets()[0], [1.0e6, 5.0e6])
    assert "the worst 10 % of 150 correlated scenarios" in ax.get_title(loc="left")
    assert "Recommended (12 projects): most expected value" in [
        t.get_text() for t in fig.legends[0].get_texts()
    ]
    no_overlaps(fig)


def test_frontier_with_one_portfolio_and_bad_input():
    fig = value_risk_frontier(FRONTIER.iloc[:1], currency="EUR")
    assert fig.get_suptitle() == "The recommended portfolio is also the safest one shown"
    with pytest.raises(ParameterError, match="FrontierResult"):
        value_risk_frontier(FRONTIER.rename(columns={"downside": "risk"}))


# ------------------------------------------------------------------------- option costs
COSTS = pd.DataFrame({"offer": ["A", "B", "In-house"], "pv_mean": [4.6e6, 4.0e6, 4.9e6],
                      "pv_p10": [4.1e6, 3.6e6, 4.4e6], "pv_p90": [5.2e6, 4.5e6, 5.5e6]})  # fmt: skip


def test_option_costs_bars_are_the_means_lowest_on_top():
    fig = option_costs(COSTS, currency="EUR", muted="In-house", horizon_years=5)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "B costs least: EUR 4M, EUR 600k below A"
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [4.9e6, 4.6e6, 4.0e6]  # drawn bottom-up: the lowest cost on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["In-house", "A", "B"]
    assert ax.get_xlabel() == "Present value of 5-year cost (EUR)"
    no_overlaps(fig)


def test_option_costs_chosen_but_not_cheapest_and_bad_input():
    fig = option_costs(COSTS, currency="EUR", highlight="A")
    assert fig.get_suptitle() == "A: EUR 4.6M, EUR 600k above B"
    with pytest.raises(ParameterError, match="pv_p90"):
        option_costs(COSTS.drop(columns="pv_p90"))
