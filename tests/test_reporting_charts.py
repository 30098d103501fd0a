"""Charts, theme and formatting of cio_analytics.reporting.charts (issue 6).

Every chart is built from a real, small result of the library (fixed seeds), saved as a PNG into
pytest's tmp_path, and checked for a title, axis labels with units and an alt text; the numbers a
chart writes on itself are checked against the library's own figures.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import (
    read_case,
    read_fair_scenarios,
    read_risk_appetite,
    read_risk_register,
    read_uncertain_case,
)
from cio_analytics.pipeline._kernel_setup import alt_text as kernel_alt_text
from cio_analytics.reporting import charts
from cio_analytics.reporting.charts.formatting import MoneyFormatter
from cio_analytics.risk import (
    FairScenario,
    Normal,
    Risk,
    Uniform,
    simulate,
    simulate_case,
    simulate_fair,
    simulate_register,
    uncertainty_from_spec,
)
from cio_analytics.staffing import hiring_plan, required_agents, staffing_plan
from cio_analytics.valuation import InvestmentCase


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def case_result():
    case = InvestmentCase.from_spec(read_case("data/sample/cases/service_desk_platform.yaml"))
    return case.evaluate()


@pytest.fixture(scope="module")
def uncertain():
    case, ranges, basis = uncertainty_from_spec(
        read_uncertain_case(
            "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
        )
    )
    return simulate_case(case, ranges, 1000, basis=basis, rng=2026)


@pytest.fixture(scope="module")
def appetite():
    return read_risk_appetite("data/sample/risk_appetite.csv")


@pytest.fixture(scope="module")
def register(appetite):
    risks = Risk.from_table(read_risk_register("data/sample/risk_register.csv"))
    return simulate_register(risks, 5000, appetite=appetite, rng=7)


@pytest.fixture(scope="module")
def fair(appetite):
    scenario, controls = FairScenario.from_spec(
        read_fair_scenarios("data/sample/fair_scenarios.yaml")
    )[0]
    return simulate_fair(scenario, 5000, controls=controls, appetite=appetite, rng=7)


@pytest.fixture(scope="module")
def plan():
    starts = pd.date_range("2026-03-30", periods=7 * 48, freq="30min")
    weekday = np.where(starts.day_of_week < 5, 1.0, 0.4)
    calls = 40.0 * ((starts.hour >= 8) & (starts.hour < 18)) * weekday
    forecast = pd.DataFrame(
        {"queue": "Service desk", "interval_start": starts, "calls": calls, "handle_time_s": 300.0}
    )
    return staffing_plan(forecast, target_service_level=0.8, answer_time_s=20, shrinkage=0.3)


@pytest.fixture(scope="module")
def hiring(plan):
    return hiring_plan(
        plan.total_fte,
        current_headcount=round(plan.total_fte * 0.7),
        n_months=6,
        time_to_hire_months=1,
        ramp_up_months=1,
        employee_cost_per_fte_year=60000,
        contractor_cost_per_fte_year=90000,
    )


def check_chart(fig, tmp_path, name, *, value_axis="y", unit=None):
    """The contract of every chart: themed Figure, title, labelled axes with units, alt text."""
    assert isinstance(fig, Figure)
    assert fig not in [plt.figure(n) for n in plt.get_fignums()]  # not tracked by pyplot
    ax = fig.axes[0]
    assert fig.get_suptitle().strip()
    labels = {"x": ax.get_xlabel(), "y": ax.get_ylabel()}
    assert all(labels.values()) or name.startswith("waterfall")
    assert re.search(r"\(.+\)", labels[value_axis]), labels  # a unit in brackets
    if unit:
        assert unit in labels[value_axis]
    alt = charts.alt_text(fig)
    assert alt == getattr(fig, charts.ALT_TEXT_ATTR)
    assert len(alt) > 60 and "nan" not in alt.lower()
    assert kernel_alt_text(fig) == alt  # what the report kernels attach to the image
    path = tmp_path / f"{name}.png"
    fig.savefig(path)
    assert path.stat().st_size > 10_000
    plt.close(fig)
    return alt


# ------------------------------------------------------------------------------ formatting
@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1234567, {"currency": "EUR"}, "EUR 1.2M"),  # the example
        (-2500, {"currency": "EUR"}, "-EUR 2.5k"),
        (950, {"currency": "USD"}, "USD 950"),
        (0, {"currency": "EUR"}, "EUR 0"),
        (-0.04, {"currency": "EUR"}, "EUR 0"),  # rounds to zero: no sign
        (999_960, {"currency": "EUR"}, "EUR 1M"),  # rounding carries into the next suffix
        (999.6, {"currency": "EUR"}, "EUR 1k"),
        (3.2e9, {"currency": "CHF"}, "CHF 3.2bn"),
        (1.5e12, {"currency": "EUR"}, "EUR 1.5tn"),
        (1234567, {"currency": "EUR", "style": "full"}, "EUR 1,234,567"),
        (1234567, {"currency": "EUR", "compact": False}, "EUR 1,234,567"),
        (1234.5, {"currency": "EUR", "style": "full", "decimals": 2}, "EUR 1,234.50"),
        (12_500, {"currency": "EUR", "signed": True}, "+EUR 12.5k"),
        (500_000, {"currency": "EUR"}, "EUR 500k"),
        (500_000, {"currency": "EUR", "trim": False}, "EUR 500.0k"),
        (1_581_000, {"currency": "EUR", "significant": 3}, "EUR 1.58M"),
        (97_840, {"currency": "EUR", "significant": 3}, "EUR 97.8k"),
        (2_000_000, {}, "2M"),
        (float("nan"), {"currency": "EUR"}, "n/a"),
        (None, {"currency": "EUR"}, "n/a"),
    ],
)
def test_format_money_known_answers(value, kwargs, expected):
    """Conventions of docs/charts.md (ISO code, space, k/M/bn/tn suffixes, minus first)."""
    assert charts.format_money(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.845, {}, "84.5 %"),
        (0.08, {"decimals": 0}, "8 %"),
        (-0.0123, {"decimals": 2}, "-1.23 %"),
        (0.05, {"signed": True}, "+5 %"),
        (12.5, {}, "1,250 %"),
        (float("nan"), {}, "n/a"),
    ],
)
def test_format_percent_known_answers(value, kwargs, expected):
    assert charts.format_percent(value, **kwargs) == expected


def test_formatters_keep_shape_and_index():
    s = pd.Series([1e3, -2e6], index=["a", "b"])
    assert charts.format_money(s, "EUR").to_dict() == {"a": "EUR 1k", "b": "-EUR 2M"}
    arr = charts.format_percent(np.array([[0.1, 0.2]]))
    assert arr.shape == (1, 2) and arr[0, 1] == "20 %"
    assert charts.format_number(12.46, decimals=1, unit="FTE") == "12.5 FTE"


@pytest.mark.parametrize("bad", [-1, 7, 1.5, True])
def test_format_money_rejects_bad_decimals(bad):
    with pytest.raises(ParameterError, match="decimals"):
        charts.format_money(1.0, "EUR", decimals=bad)


_SUFFIX = {"": 1.0, "k": 1e3, "M": 1e6, "bn": 1e9, "tn": 1e12}


def _parse(text: str, currency: str) -> tuple[float, float]:
    """(value, unit of the suffix) of a compact money text."""
    m = re.fullmatch(rf"([-+]?){currency} ([\d,]+(?:\.\d+)?)(k|M|bn|tn)?", text)
    assert m, text
    sign = -1.0 if m.group(1) == "-" else 1.0
    scale = _SUFFIX[m.group(3) or ""]
    return sign * float(m.group(2).replace(",", "")) * scale, scale


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-1e14, max_value=1e14, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_format_money_round_trips_order_of_magnitude(x, decimals):
    """Parsing the text back gives x within half a unit of its last digit, same sign, and the
    same power of ten (or the next one when rounding carries, 999.96k -> 1.0M)."""
    back, scale = _parse(charts.format_money(x, "EUR", decimals=decimals), "EUR")
    step = scale * 10.0 ** (-decimals) if scale > 1 else 1.0
    assert abs(back - x) <= 0.5 * step * (1 + 1e-9)
    if back != 0:
        assert math.copysign(1, back) == math.copysign(1, x)
    if abs(x) >= 1 and back != 0:
        assert math.floor(math.log10(abs(back))) - math.floor(math.log10(abs(x))) in (0, 1)


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e9, allow_nan=False),
)
def test_money_axis_labels_tell_ticks_apart(low, width):
    """Whatever the axis range, distinct ticks get distinct labels with one suffix."""
    ticks = MaxNLocator(nbins=8).tick_values(low, low + width)
    labels = MoneyFormatter("EUR").format_ticks(ticks)
    assert len(set(labels)) == len(set(np.round(ticks, 12)))
    suffixes = {re.sub(r"[-\d.,\s]|EUR", "", t) for t in labels if t != "EUR 0"}
    assert len(suffixes) <= 1


def test_axis_helpers(tmp_path):
    fig = Figure()
    ax = fig.subplots()
    assert charts.percent_axis(ax).yaxis.get_major_formatter().format_ticks([0, 0.025, 0.05]) == [
        "0.0 %",
        "2.5 %",
        "5.0 %",
    ]
    charts.currency_axis(ax, "USD", axis="x")
    assert ax.xaxis.get_major_formatter().format_ticks([-5e5, 0, 5e5, 1e6]) == [
        "-USD 0.5M",
        "USD 0",
        "USD 0.5M",
        "USD 1.0M",
    ]
    with pytest.raises(ParameterError, match="axis"):
        charts.currency_axis(ax, "EUR", axis="z")


# ------------------------------------------------------------------------------ theme
def test_theme_palette_and_use_theme():
    """Okabe-Ito colours (colour-blind safe), projection-size fonts, no top/right spines."""
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"}
    assert okabe_ito <= set(charts.PALETTE) and len(set(charts.PALETTE)) == len(charts.PALETTE)
    with matplotlib.rc_context():
        charts.use_theme(font_scale=1.2)
        assert matplotlib.rcParams["font.size"] == pytest.approx(13 * 1.2)
        assert not matplotlib.rcParams["axes.spines.top"]
    assert charts.theme_rc()["axes.titlesize"] >= 16
    with pytest.raises(ParameterError, match="font_scale"):
        charts.theme_rc(font_scale=10)


def test_charts_do_not_change_global_settings(uncertain):
    before = dict(matplotlib.rcParams)
    plt.close(charts.outcome_distribution(uncertain))
    assert dict(matplotlib.rcParams) == before


@pytest.mark.slow
def test_reporting_import_stays_light():
    """Importing cio_analytics.reporting (what every report kernel does) loads no matplotlib."""
    code = (
        "import sys, cio_analytics.reporting as r; assert 'matplotlib' not in sys.modules; "
        "assert r.charts.format_money(1, 'EUR') == 'EUR 1'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------------------ charts
def test_outcome_distribution_npv(uncertain, tmp_path):
    """The probability written on the chart is the library's P(NPV < 0)."""
    fig = charts.outcome_distribution(uncertain)
    alt = check_chart(fig, tmp_path, "outcome_distribution", value_axis="x", unit="EUR")
    p = charts.format_percent(uncertain.probability_npv_negative)
    assert f"{p} chance the NPV is below EUR 0" in alt
    for q in ("npv_p10", "npv_p50", "npv_p90"):
        assert charts.format_money(getattr(uncertain, q), "EUR", significant=3, trim=True) in alt


def test_outcome_distribution_bars_are_shares(uncertain):
    fig = charts.outcome_distribution(uncertain, bins=40)
    bars = [bar for container in fig.axes[0].containers for bar in container]
    total = sum(b.get_height() for b in bars)
    assert 0.97 <= total <= 1.0 + 1e-9  # P0.5-P99.5 range: about 1 % of trials beyond it
    plt.close(fig)


def test_outcome_distribution_register_loss_side_is_above(register, tmp_path):
    """Annual losses: loss side above the first appetite point; P matches the library."""
    fig = charts.outcome_distribution(register)
    alt = check_chart(fig, tmp_path, "outcome_distribution_register", value_axis="x")
    first = register.appetite.iloc[0]
    assert (
        f"{charts.format_percent(first['probability_exceeding'])} chance the annual loss is above"
        in alt
    )


def test_outcome_distribution_other_results(fair, tmp_path):
    check_chart(charts.outcome_distribution(fair), tmp_path, "outcome_fair", value_axis="x")
    sim = simulate(
        lambda x, y: {"cost": x + y}, {"x": Normal(100, 10), "y": Uniform(0, 50)}, 2000, rng=3
    )
    alt = check_chart(
        charts.outcome_distribution(sim, threshold=150, loss_side="above", currency="EUR"),
        tmp_path,
        "outcome_sim",
        value_axis="x",
    )
    written = float(re.search(r"([\d.]+) % chance the cost is above EUR 150", alt).group(1))
    assert written == pytest.approx(100 * sim.probability_above(150, "cost"), abs=0.05 + 1e-9)


def test_outcome_distribution_errors(uncertain):
    with pytest.raises(ParameterError, match="loss_side"):
        charts.outcome_distribution(uncertain, loss_side="left")
    with pytest.raises(ParameterError, match="output"):
        charts.outcome_distribution(uncertain, output="profit")
    with pytest.raises(ParameterError, match="result"):
        charts.outcome_distribution({"npv": 1})


def test_s_curve(uncertain, tmp_path):
    fig = charts.s_curve(uncertain)
    check_chart(fig, tmp_path, "s_curve", value_axis="x", unit="EUR")
    x, y = fig.axes[0].lines[0].get_data()
    assert np.all(np.diff(x) >= 0) and y[0] == 0 and y[-1] == 1


def test_tornado_sorted_by_swing(uncertain, tmp_path):
    fig = charts.tornado(uncertain)
    table = uncertain.sensitivity()
    order = table.assign(s=(table.high_mean - table.low_mean).abs()).sort_values(
        "s", ascending=False
    )
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == list(order["input"])
    check_chart(fig, tmp_path, "tornado", value_axis="x", unit="EUR")


def test_tornado_from_dataframe_and_n_inputs(tmp_path):
    t = pd.DataFrame(
        {"input": list("abc"), "low_mean": [90.0, 99.0, 80.0], "high_mean": [110, 101, 120]}
    )
    fig = charts.tornado(t, output="Cost", currency="EUR", base=100, n_inputs=2)
    assert [x.get_text() for x in fig.axes[0].get_yticklabels()] == ["c", "a"]
    check_chart(fig, tmp_path, "tornado_frame", value_axis="x")
    with pytest.raises(ParameterError, match="low_mean"):
        charts.tornado(pd.DataFrame({"input": ["a"]}))


def test_cumulative_cash_flow(case_result, tmp_path):
    fig = charts.cumulative_cash_flow(case_result)
    ax = fig.axes[0]
    line = ax.lines[0]
    assert np.allclose(line.get_ydata(), case_result.cash_flows["cumulative"])
    marker = next(ln for ln in ax.lines if ln.get_marker() == "D")
    assert marker.get_xdata()[0] == pytest.approx(case_result.payback_years)
    alt = check_chart(fig, tmp_path, "cumulative_cash_flow", unit="EUR")
    assert f"pays back after {case_result.payback_years:.1f} years" in alt
    with pytest.raises(ParameterError, match="CaseResult"):
        charts.cumulative_cash_flow(object())


@pytest.mark.parametrize(
    "path", ["laptops_buy.yaml", "laptops_lease.yaml", "service_desk_platform.yaml"]
)
def test_cumulative_cash_flow_annotations_clear_the_legend(path):
    """Issue 13: "No payback within 3 years" was drawn over the legend (both laptops charts).

    At 1024 px wide no annotation's text box overlaps a legend, the title or the axis label.
    """
    result = InvestmentCase.from_spec(read_case(f"data/sample/cases/{path}")).evaluate()
    fig = charts.cumulative_cash_flow(result)
    fig.set_dpi(1024 / fig.get_figwidth())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    notes = [t for t in ax.texts if t.get_text()]
    assert notes, "the payback (or no-payback) annotation is drawn"
    if "laptops" in path:
        assert any("No payback within 3 years" in t.get_text() for t in notes)
    others = [lg.get_window_extent(renderer) for lg in [*fig.legends, ax.get_legend()] if lg]
    others += [
        fig._suptitle.get_window_extent(renderer),
        ax.xaxis.label.get_window_extent(renderer),
    ]
    assert len(others) >= 3
    for note in notes:
        box = note.get_window_extent(renderer)
        assert all(not box.overlaps(other) for other in others), (note.get_text(), box, others)
    plt.close(fig)


def test_staffing_heatmap_fits_the_page_with_its_colour_bar_label():
    """At 1024 px the heatmap (and its colour bar label) fitted neither the page nor the figure."""
    from cio_analytics.io import read_ticket_history
    from cio_analytics.staffing import arrival_profile, staffing_plan

    forecast = arrival_profile(
        read_ticket_history("data/sample/ticket_history.csv")
    ).forecast_table("2026-03-30")
    plan = staffing_plan(forecast, target_service_level=0.8, answer_time_s=20.0,
                         cost_per_fte_year=50_000.0, currency="EUR")  # fmt: skip
    fig = charts.staffing_heatmap(plan)
    assert fig.get_figwidth() * fig.dpi <= 960  # its PNG is shown at full size in the report
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    label = fig.axes[-1].yaxis.label
    assert label.get_text() == "Agents scheduled"
    box = label.get_window_extent(renderer)
    assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1


def test_waterfall_semantics(tmp_path):
    """Plotly's waterfall measures: absolute sets, relative adds, total shows the running total."""
    steps = pd.DataFrame(
        {
            "step": ["Budget 2025", "New projects", "Savings", "Budget 2026"],
            "value": [10e6, 1.2e6, -0.5e6, None],
            "measure": ["absolute", "relative", "relative", "total"],
        }
    )
    fig = charts.waterfall(steps, title="Budget bridge", currency="EUR")
    bars = fig.axes[0].patches
    spans = [sorted((round(b.get_y()), round(b.get_y() + b.get_height()))) for b in bars]
    assert spans == [
        [0, 10_000_000],
        [10_000_000, 11_200_000],
        [10_700_000, 11_200_000],
        [0, 10_700_000],
    ]
    check_chart(fig, tmp_path, "waterfall_budget")


@pytest.mark.slow
def test_tco_waterfall_adds_up(case_result, tmp_path):
    steps = charts.tco_steps(case_result)
    assert steps.sum() == pytest.approx(case_result.tco)
    fig = charts.tco_waterfall(case_result)
    assert fig.axes[0].patches[-1].get_height() == pytest.approx(case_result.tco)
    check_chart(fig, tmp_path, "waterfall_tco", unit="EUR")
    disc = charts.tco_waterfall(case_result, discounted=True)
    assert disc.axes[0].patches[-1].get_height() == pytest.approx(case_result.discounted_tco)
    plt.close(disc)


@pytest.mark.slow
def test_loss_exceedance_breaches_match_library(register, fair, tmp_path):
    fig = charts.loss_exceedance(fair)
    alt = check_chart(fig, tmp_path, "loss_exceedance_fair", value_axis="x", unit="EUR")
    assert alt.count(" > ") == int(fair.appetite["breached"].sum())
    fig = charts.loss_exceedance({"Register": register, "Ransomware": fair}, show_after=False)
    assert len(fig.axes[0].get_legend().get_texts()) == 3  # two curves + appetite
    check_chart(fig, tmp_path, "loss_exceedance_both", value_axis="x", unit="EUR")


def test_risk_matrix(register, tmp_path):
    fig = charts.risk_matrix(register)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    for risk in register.risks:
        assert texts.count(risk.id) == 1
    check_chart(fig, tmp_path, "risk_matrix", value_axis="x", unit="EUR")
    table = read_risk_register("data/sample/risk_register.csv")
    plt.close(charts.risk_matrix(table, currency="EUR", mitigated=True))


@pytest.mark.slow
def test_staffing_heatmap(plan, tmp_path):
    fig = charts.staffing_heatmap(plan)
    peak = int(plan.heatmap("agents_scheduled").to_numpy().max())
    alt = check_chart(fig, tmp_path, "staffing_heatmap", value_axis="x")
    assert f"peak is {peak} agents" in alt
    sl = charts.staffing_heatmap(plan, "service_level")
    check_chart(sl, tmp_path, "staffing_heatmap_sl", value_axis="x")


def test_service_level_curve(tmp_path):
    """Erlang C, 10 Erlangs, 180 s handle time, 80 % in 20 s: 13 agents give 79.6 %, 14 give
    88.8 % (service_level docstring); the marked count is required_agents'."""
    fig = charts.service_level_curve(10.0, 180, 20, target=0.8)
    # 100 calls of 180 s in 30 minutes = 10 Erlangs
    need = int(required_agents(100, 1800, 180, target_service_level=0.8, answer_time_s=20))
    assert need == 14 and fig.get_suptitle().startswith(f"{need} agents")
    alt = check_chart(fig, tmp_path, "service_level_curve", unit="%")
    assert "13: 79.6 %" in alt and "14: 88.8 %" in alt
    with pytest.raises(ParameterError, match="target"):
        charts.service_level_curve(10.0, 180, 20, target=80)


def test_hiring_plan_chart(hiring, tmp_path):
    fig = charts.hiring_plan_chart(hiring)
    bars = fig.axes[0].patches
    n = len(hiring.monthly)
    tops = [bars[n + i].get_y() + bars[n + i].get_height() for i in range(n)]
    assert np.allclose(tops, hiring.monthly["capacity_fte"], atol=1e-6)
    check_chart(fig, tmp_path, "hiring_plan", unit="FTE")


def test_outcome_distribution_payback_counts_never(uncertain, tmp_path):
    """A payback that never comes is on the loss side (above the horizon)."""
    fig = charts.outcome_distribution(uncertain, "payback_years")
    alt = check_chart(fig, tmp_path, "outcome_payback", value_axis="x", unit="years")
    pay = uncertain.simulation.outputs["payback_years"].to_numpy()
    expected = np.mean(np.isnan(pay) | (pay > uncertain.case.horizon_years))
    assert f"{charts.format_percent(expected)} chance the payback is above" in alt


def test_a_plain_kernel_shows_chart_figures_as_images():
    """Chart functions build figures without pyplot, so a kernel whose inline backend was never
    activated printed ``<Figure ...>`` (JupyterLab, plain papermill). Importing the charts
    registers a PNG formatter with the alt text when none exists, and leaves one that exists."""
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure

    from cio_analytics.reporting.charts import set_alt_text, show_figures_in_notebooks

    shell = InteractiveShell.instance()
    try:
        png = shell.display_formatter.formatters["image/png"]
        png.type_printers.pop(Figure, None)
        assert show_figures_in_notebooks() is True
        assert show_figures_in_notebooks() is False  # registered once
        fig = Figure()
        fig.subplots().plot([1, 2, 3])
        set_alt_text(fig, "Line chart of three points.")
        data, metadata = shell.display_formatter.format(fig)
        assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
        assert metadata["image/png"] == {"alt": "Line chart of three points."}
    finally:
        InteractiveShell.clear_instance()
