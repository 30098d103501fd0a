"""The continuity downtime chart and the portfolio outcome chart: the headline states the
message, the plotted data are the inputs (the same trials as the key numbers), axes do not
exaggerate, and at 1024 px no text is under 11 pt and legend, titles and labels do not overlap."""

from __future__ import annotations

from types import SimpleNamespace as NS

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting.charts import value_risk_frontier
from cio_analytics.reporting.charts.continuity import downtime_comparison
from cio_analytics.reporting.charts.portfolio import portfolio_outcomes


def legible_without_overlaps(fig: Figure) -> None:
    """At 1024 px wide: every visible text at least 11 pt; the headline, the subtitle, the
    legend, the axis labels and the plot area do not overlap each other."""
    fig.set_dpi(1024 / fig.get_figwidth())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            assert text.get_fontsize() >= 11, (text.get_text(), text.get_fontsize())
    ax = fig.axes[0]
    boxes = {
        "headline": fig._suptitle.get_window_extent(renderer),
        "subtitle": ax.title.get_window_extent(renderer),
        "xlabel": ax.xaxis.label.get_window_extent(renderer),
        "ylabel": ax.yaxis.label.get_window_extent(renderer),
        "axes": ax.get_window_extent(renderer),
    }
    boxes |= {f"legend{i}": g.get_window_extent(renderer) for i, g in enumerate(fig.legends)}
    notes = [t for t in fig.texts if t is not fig._suptitle and t.get_text().strip()]
    boxes |= {f"note{i}": t.get_window_extent(renderer) for i, t in enumerate(notes)}
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if a == "axes" and b in ("xlabel", "ylabel"):
                continue
            assert not boxes[a].overlaps(boxes[b]), (a, b)


# ------------------------------------------------------------------ downtime comparison
def outages(seed=1):
    g = np.random.default_rng(seed)
    today = np.concatenate([g.gamma(4, 6, 1990), np.full(10, 150.0)])  # a rare site loss
    after = g.gamma(2, 6, 2000)
    base = NS(downtime_h=today, expected_downtime_h=float(today.mean()), allowed_downtime_h=8.76,
              prob_sla_breach=float((today > 8.76).mean()))  # fmt: skip
    opt = NS(downtime_h=after, expected_downtime_h=float(after.mean()), allowed_downtime_h=8.76,
             prob_sla_breach=float((after > 8.76).mean()))  # fmt: skip
    return base, opt


def test_downtime_chart_states_the_sla_breach_share_and_draws_the_trials():
    base, opt = outages()
    fig = downtime_comparison(base, opt, option="Second link")
    title = " ".join(fig.get_suptitle().split())
    assert title.startswith("With Second link, downtime exceeds the SLA allowance in")
    assert f"(today {base.prob_sla_breach:.1%})".replace("%", " %") in title
    ax = fig.axes[0]
    # each step histogram holds every trial (the clipped ones in the last bar): shares sum to 1
    heights = [np.asarray(p.get_path().vertices[:, 1]) for p in ax.patches]
    assert len(heights) == 2
    for patch in ax.patches:
        xy = patch.get_path().vertices
        steps = xy[1:-1:2, 1]  # the top of each bar of the step outline
        assert steps.sum() == pytest.approx(1.0, abs=1e-9)
    # the SLA allowance is a line named in the legend, not a label on the bars
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "SLA allowance: 8.8 h a year" in labels
    assert ax.get_xlim()[0] == 0 and "hours" in ax.get_xlabel() and "(value)" not in ax.get_xlabel()
    assert "drawn in the last bar" in ax.get_title(loc="left")  # the site-loss years are counted
    legible_without_overlaps(fig)


def test_downtime_chart_without_an_sla_states_the_fall_in_downtime():
    base, opt = outages()
    base.allowed_downtime_h = opt.allowed_downtime_h = None
    fig = downtime_comparison(base, opt, option="Second link")
    assert " ".join(fig.get_suptitle().split()).startswith("With Second link, downtime falls from")
    legible_without_overlaps(fig)


def test_downtime_chart_refuses_a_clip_percentile_outside_its_range():
    base, opt = outages()
    with pytest.raises(ParameterError, match="`clip_percentile` must be in"):
        downtime_comparison(base, opt, option="X", clip_percentile=1.5)


# ------------------------------------------------------------------ portfolio outcomes
def portfolio_risk(mean=3.0e6, sd=1.0e6, seed=2):
    v = np.random.default_rng(seed).normal(mean, sd, 4000)
    q = np.quantile(v, [0.1, 0.5, 0.9])
    return NS(values=v, npv_p10=q[0], npv_p50=q[1], npv_p90=q[2], n_trials=v.size,
              probability_negative=float((v < 0).mean()), portfolio=NS(currency="EUR"))  # fmt: skip


def test_portfolio_chart_marks_the_key_numbers_percentiles_of_the_same_trials():
    risk = portfolio_risk()
    fig = portfolio_outcomes(risk, n_selected=12)
    ax = fig.axes[0]
    xs = sorted(float(line.get_xdata()[0]) for line in ax.get_lines())
    assert xs == pytest.approx(sorted([0.0, risk.npv_p10, risk.npv_p50, risk.npv_p90]))
    shares = sum(p.get_height() for p in ax.patches)
    assert shares == pytest.approx(1.0)  # every trial is drawn
    assert "4,000 simulated outcomes" in ax.get_title(loc="left")
    assert " ".join(fig.get_suptitle().split()).startswith("12 funded projects: ")
    legible_without_overlaps(fig)


def test_portfolio_chart_without_trials_is_an_error():
    risk = portfolio_risk()
    risk.values = np.array([np.nan])
    with pytest.raises(ParameterError, match="no finite simulated NPV"):
        portfolio_outcomes(risk)


def test_frontier_axes_start_at_zero_so_a_small_gain_in_safety_is_not_exaggerated():
    pts = pd.DataFrame({"downside": [13.9e6, 14.4e6, 15.0e6],
                        "expected_value": [30.2e6, 29.3e6, 29.0e6]})  # fmt: skip
    fig = value_risk_frontier(pts, currency="EUR")
    ax = fig.axes[0]
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
    legible_without_overlaps(fig)
