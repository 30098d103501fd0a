"""The delivery decision (every branch) and the delivery charts (message, data, no overlaps)."""

from __future__ import annotations

from types import SimpleNamespace as NS

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting import delivery_decision, delivery_table
from cio_analytics.reporting.charts import (
    alt_text,
    completion_s_curve,
    delivery_portfolio,
    evm_trend,
)
from cio_analytics.risk import Task, Triangular, earned_value, project_outlook

D = np.datetime64


def outlook(p_on_time=0.9, contingency=0.0, cost_p80=9e5, budget=1e6, **kw):
    base = dict(
        currency="EUR", probability_on_time=p_on_time, committed_date=D("2027-06-30"),
        completion_date_p50=D("2027-05-20"), completion_date_p80=D("2027-06-10"),
        slip_days_p80=-20.0, budget=budget, cost_p50=8.5e5, cost_p80=cost_p80,
        contingency_needed=contingency, percentile=0.8, n_trials=1000,
        status_date=D("2026-11-30"),
    )  # fmt: skip
    base.update(kw)
    return NS(**base)


def evm(**rows):
    """``evm(P1=(cpi, spi, eac), ...)``: an EarnedValueResult-like ``latest``."""
    frame = pd.DataFrame(
        [dict(zip(("cpi", "spi", "eac"), v, strict=True)) for v in rows.values()],
        index=pd.Index(list(rows), name="project"),
    )
    return NS(latest=frame)


def test_all_within_the_thresholds_is_on_track():
    d = delivery_decision(
        {"A": outlook(), "B": outlook(p_on_time=0.75)},
        evm(A=(1.0, 1.0, 8.8e5), B=(0.96, 0.91, 8.8e5)),
        names={"A": "Alpha", "B": "Beta"},
    )
    assert d.decision == "On track" and d.favourable is True
    assert d.sentence.startswith("On track: all 2 running projects pass the tests: at most 25 %")
    k = d.key_numbers.set_index("figure")
    assert k.loc["Projects needing attention", "value"] == "0 of 2"
    assert k.loc["Contingency short (all projects)", "value"] == 0.0
    assert k.loc["Lowest chance of meeting the date (Beta)", "value"] == pytest.approx(0.75)
    assert k.loc["Lowest CPI (Beta)", "value"] == pytest.approx(0.96)
    assert d.flags == () and d.thresholds["min_spi"] == 0.9


def test_late_project_needs_a_recovery_plan():
    d = delivery_decision({"A": outlook(p_on_time=0.6)}, evm(A=(1.0, 0.95, 8.8e5)),
                          names={"A": "Alpha"})  # fmt: skip
    assert d.decision == "1 of 1 projects needs attention" and d.favourable is False
    assert d.sentence.startswith(
        "1 of 1 projects needs attention: Alpha (40 % chance of missing 30 Jun 2027; 8 in 10 "
        "chance of finishing by 10 Jun 2027)."
    )
    assert d.sentence.endswith("Ask for a recovery plan or a re-baselined date.")
    assert "Fund" not in d.sentence and d.subject == "Alpha"


def test_the_threshold_is_strict_and_configurable():
    at = {"A": outlook(p_on_time=0.7)}
    # 1 - 0.7 is 0.30000000000000004 in floating point: still not above 30 %
    assert delivery_decision(at, evm(A=(1, 1, 8.8e5))).decision == "On track"
    d = delivery_decision(at, evm(A=(1, 1, 8.8e5)), max_probability_late=0.2)
    assert d.decision.endswith("needs attention") and d.thresholds["max_probability_late"] == 0.2


def test_schedule_index_below_threshold():
    t = delivery_table({"A": outlook()}, evm(A=(1.0, 0.85, 8.8e5)))
    assert t.loc[0, "behind"] and not t.loc[0, "late"] and t.loc[0, "needs_attention"]
    assert t.loc[0, "reasons"] == (
        "behind schedule: 85 % of the work planned by now is done, SPI 0.85, below 0.90"
    )


def test_cost_index_below_threshold_asks_for_a_cost_plan():
    d = delivery_decision({"A": outlook()}, evm(A=(0.9, 1.0, 8.9e5)), names={"A": "Alpha"})
    assert (
        "Alpha (over cost: each euro spent bought 0.90 of a euro of planned work, CPI 0.90, "
        "below 0.95)." in d.sentence
    )
    assert d.sentence.endswith("Ask for a cost recovery plan.")


def test_contingency_short_is_the_money_at_stake():
    d = delivery_decision(
        {"A": outlook(contingency=1.2e5, cost_p80=1.12e6), "B": outlook(contingency=3e4)},
        evm(A=(1.0, 1.0, 8.8e5), B=(1.0, 1.0, 8.8e5)),
        names={"A": "Alpha", "B": "Beta"},
    )
    assert d.decision == "2 of 2 projects need attention"
    assert "Alpha (contingency short by EUR 120k at P80)." in d.sentence
    assert d.sentence.endswith("Fund EUR 150k of contingency.")
    k = d.key_numbers.set_index("figure")
    assert k.loc["Contingency short (all projects)", "value"] == pytest.approx(1.5e5)
    assert len(k) == 4  # four tiles fit one row of the summary
    # issue 13: the banner states the money at stake: the contingency to fund
    assert d.at_stake == pytest.approx(1.5e5) and d.at_stake_label == "Contingency to fund"
    # a tolerance in currency lets a small shortfall pass
    small = delivery_decision({"B": outlook(contingency=3e4)}, evm(B=(1, 1, 8.8e5)),
                              max_contingency_short=5e4)  # fmt: skip
    assert small.decision == "On track"
    # on track: the money at stake is the approved budget of the running projects
    assert small.at_stake == pytest.approx(1e6)
    assert small.at_stake_label == "Approved budget of the running projects"


def test_eac_above_the_simulated_p80_is_flagged_and_explained():
    d = delivery_decision({"A": outlook(cost_p80=1.1e6)}, evm(A=(0.8, 1.0, 1.3e6)),
                          names={"A": "Alpha"})  # fmt: skip
    assert len(d.flags) == 1
    assert d.flags[0].startswith("Alpha: at today's CPI the estimate at completion is EUR 1.3M")
    assert "above the simulated P80 cost of EUR 1.1M" in d.flags[0]


def test_a_project_without_earned_value_is_judged_on_its_outlook():
    d = delivery_decision({"A": outlook(), "B": outlook()}, evm(A=(1.0, 1.0, 8.8e5)),
                          names={"A": "Alpha", "B": "Beta"})  # fmt: skip
    assert d.decision == "On track"
    assert d.flags == ("No earned-value status for Beta: judged on the outlook only.",)


@pytest.mark.parametrize(
    ("args", "kw", "match"),
    [
        (({}, None), {}, "`outlooks` must be a non-empty mapping"),
        (({"A": None}, "not evm"), {}, "`evm` must be an EarnedValueResult"),
        (({"A": None}, NS(latest=None)), {"max_probability_late": 1.5}, "max_probability_late"),
        (({"A": None}, NS(latest=None)), {"min_cpi": -1}, "min_cpi"),
    ],
)
def test_bad_arguments(args, kw, match):
    with pytest.raises(ParameterError, match=match):
        delivery_decision(*args, **kw)


# ------------------------------------------------------------------------------ charts
def no_overlaps(fig: Figure) -> None:
    """Suptitle, legends, the axes and their x labels do not overlap (drawn at 1024 px)."""
    fig.set_dpi(1024 / fig.get_figwidth())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {"title": fig._suptitle.get_window_extent(renderer)}
    for i, legend in enumerate(fig.legends):
        boxes[f"legend{i}"] = legend.get_window_extent(renderer)
    for i, ax in enumerate(fig.axes):
        boxes[f"xlabel{i}"] = ax.xaxis.label.get_window_extent(renderer)
        boxes[f"axes{i}"] = ax.get_window_extent(renderer)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b, boxes[a], boxes[b])
    for ax in fig.axes:  # no text under 11 pt at 1024 px
        for text in [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.texts]:
            if text.get_text():
                assert text.get_fontsize() >= 11, text.get_text()


TABLE = pd.DataFrame({
    "name": ["Service desk platform", "NIS2 compliance programme", "CRM consolidation"],
    "slip_days_p80": [-64.0, 8.0, -56.0], "overrun_p80": [-5.6e3, 8.7e4, 1.97e5],
    "needs_attention": [False, True, True],
})  # fmt: skip


def test_portfolio_chart_plots_slip_and_overrun_and_states_the_worst():
    fig = delivery_portfolio(TABLE, currency="EUR")
    assert " ".join(fig.get_suptitle().split()) == (
        "NIS2 compliance programme finishes 8 days late, CRM consolidation EUR 197k over "
        "budget at P80"
    )
    left, right = fig.axes
    widths = [p.get_width() for p in left.patches]
    assert sorted(widths) == sorted(TABLE["slip_days_p80"])
    assert sorted(p.get_width() for p in right.patches) == sorted(TABLE["overrun_p80"])
    labels = {t.get_text(): t.get_position()[1] for t in left.get_yticklabels()}
    assert sorted(labels, key=labels.get, reverse=True) == TABLE["name"].tolist()  # top down
    assert "2 of 3 projects need attention" in left.get_title(loc="left")
    assert "NIS2 compliance programme +8" in alt_text(fig)
    no_overlaps(fig)


@pytest.mark.parametrize(
    ("slip", "over", "title"),
    [
        ([-5.0, -3.0], [-1.0, -2.0], "Every running project on time and within budget at P80"),
        ([4.0, -3.0], [-1.0, -2.0], "A finishes 4 days late at P80; every project within budget"),
        ([-4.0, -3.0], [-1.0, 2e4], "Every project on time at P80; B EUR 20k over budget"),
        ([1.0, -3.0], [5e4, 2e4], "A finishes 1 day late and EUR 50k over budget at P80"),
    ],
)
def test_portfolio_headline_branches(slip, over, title):
    t = pd.DataFrame({"name": ["A", "B"], "slip_days_p80": slip, "overrun_p80": over,
                      "needs_attention": [False, False]})  # fmt: skip
    assert delivery_portfolio(t, currency="EUR").get_suptitle() == title


def test_portfolio_chart_refuses_a_wrong_table():
    with pytest.raises(ParameterError, match="delivery_table"):
        delivery_portfolio(pd.DataFrame({"name": ["A"]}))


def test_s_curve_of_a_real_outlook():
    net = [Task("Build", Triangular(20, 30, 50), 1e5),
           Task("Test", Triangular(5, 10, 20), 2e4, predecessors=("Build",))]  # fmt: skip
    status = pd.DataFrame({"task": ["Build"], "percent_complete": [0.5], "actual_cost": [6e4]})
    o = project_outlook(net, status, status_date="2027-03-01", committed_date="2027-04-01",
                        budget=1.5e5, n_trials=2_000, rng=1)  # fmt: skip
    fig = completion_s_curve(o, name="Pilot")
    p = round(o.probability_on_time * 100)
    assert fig.get_suptitle() == f"Pilot: {p} % chance of finishing by the committed 1 Apr 2027"
    ax = fig.axes[0]
    curve = ax.get_lines()[0]
    assert np.asarray(curve.get_ydata())[-1] == pytest.approx(1.0)
    texts = [t.get_text() for t in ax.texts]
    p50, p80 = pd.Timestamp(o.completion_date_p50), pd.Timestamp(o.completion_date_p80)
    assert texts == [f"P50 {p50.day} {p50:%b %Y}", f"P80 {p80.day} {p80:%b %Y}"]
    no_overlaps(fig)


def test_s_curve_refuses_other_results():
    with pytest.raises(ParameterError, match="ProjectOutlook"):
        completion_s_curve(NS(completion_dates=np.arange(3.0)))


STATUS = pd.DataFrame({
    "project": ["C"] * 4, "period": pd.date_range("2026-08-31", periods=4, freq="ME"),
    "planned_value": [100.0, 200, 300, 400], "earned_value": [95.0, 190, 285, 380],
    "actual_cost": [100.0, 215, 340, 470], "budget_at_completion": 1000.0,
})  # fmt: skip


def test_evm_trend_plots_cpi_spi_and_the_plan_line():
    r = earned_value(STATUS)
    fig = evm_trend(r, "C", name="CRM", min_cpi=0.95, min_spi=0.9)
    assert fig.get_suptitle() == "CRM: CPI down to 0.81 and SPI 0.95 in Nov 2026"
    ax = fig.axes[0]
    ys = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()]
    assert any(y.shape == (4,) and np.allclose(y, r.table["cpi"]) for y in ys)
    assert any(y.shape == (4,) and np.allclose(y, r.table["spi"]) for y in ys)
    assert any(np.allclose(y, 1.0) for y in ys)  # the on-plan line
    lo, hi = ax.get_ylim()
    assert lo < 0.8 and hi > 1.0
    no_overlaps(fig)


def test_evm_trend_names_an_unknown_project():
    with pytest.raises(ParameterError, match=r"'X' is not in the status table\. Known: C"):
        evm_trend(earned_value(STATUS), "X")


# The per-project parts of the report (cio_analytics.reporting.delivery).


@pytest.fixture(scope="module")
def two_projects():
    """Two real outlooks and their earned value: "C" late and over cost, "H" healthy."""
    net = [Task("Build", Triangular(20, 30, 50), 1e5),
           Task("Test", Triangular(5, 10, 20), 2e4, predecessors=("Build",))]  # fmt: skip
    status = pd.DataFrame({"task": ["Build"], "percent_complete": [0.5], "actual_cost": [6e4]})
    outlooks = {
        pid: project_outlook(
            net,
            status,
            status_date="2027-03-01",
            committed_date=committed,
            budget=budget,
            n_trials=2_000,
            rng=1,
        )
        for pid, committed, budget in (("C", "2027-03-20", 1.2e5), ("H", "2027-12-31", 5e5))
    }
    healthy = STATUS.assign(project="H", earned_value=STATUS["planned_value"],
                            actual_cost=STATUS["planned_value"])  # fmt: skip
    r = earned_value(pd.concat([STATUS, healthy], ignore_index=True))
    table = delivery_table(outlooks, r, names={"C": "CRM", "H": "Helpdesk"})
    return outlooks, r, table


def test_record_delivery_figures_records_each_projects_headline_figures(
    two_projects, tmp_path, monkeypatch
):
    from cio_analytics.reporting import record_delivery_figures
    from cio_analytics.reporting.record import RECORD_ENV, read_records

    outlooks, _, table = two_projects
    sidecar = tmp_path / "delivery.records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(sidecar))
    assert record_delivery_figures(table, currency="EUR", percentile=0.9) is None
    found = read_records(sidecar)
    per_project = ("probability_on_time", "completion_date_p80", "cost_p80", "cpi", "spi")
    assert list(found) == ["contingency_short"] + [
        f"{figure}_{pid}" for pid in ("C", "H") for figure in per_project
    ]
    assert found["contingency_short"]["label"] == "Contingency short at P90"
    assert found["contingency_short"]["value"] == pytest.approx(
        sum(o.contingency_needed for o in outlooks.values())
    )
    assert found["probability_on_time_C"]["value"] == pytest.approx(
        outlooks["C"].probability_on_time
    )
    assert found["completion_date_p80_H"] == {
        "value": str(outlooks["H"].completion_date_p80), "label": "Helpdesk: P80 finish date",
        "unit": None, "fmt": None,
    }  # fmt: skip
    assert found["cost_p80_C"]["unit"] == "EUR"
    assert found["cpi_C"]["value"] == pytest.approx(380 / 470)
    assert found["spi_H"]["value"] == pytest.approx(1.0)


def test_delivery_sections_one_section_per_project_needing_attention(two_projects):
    from IPython.display import Markdown
    from pandas.io.formats.style import Styler

    from cio_analytics.reporting import delivery_sections
    from cio_analytics.reporting.delivery import ChartImage

    outlooks, r, table = two_projects
    attention = table[table["needs_attention"]]
    assert list(attention["project"]) == ["C"]
    sections = delivery_sections(
        attention, outlooks, r, currency="EUR", min_cpi=0.95, min_spi=0.9, top_n=1
    )
    assert [type(s) for s in sections] == [Markdown, ChartImage, ChartImage, Styler, Styler]
    heading, curve, trend, tasks, months = sections
    assert heading.data.startswith("## CRM\n\n**Why it needs attention:** ")
    assert "CPI 0.81, below 0.95" in heading.data
    assert curve.figure.get_suptitle().startswith("CRM: ")
    assert trend.figure.get_suptitle() == "CRM: CPI down to 0.81 and SPI 0.95 in Nov 2026"
    png, meta = trend._repr_png_()
    assert png.startswith(b"\x89PNG") and meta == {"alt": alt_text(trend.figure)}
    assert tasks.caption.startswith("CRM: the open tasks")
    assert len(tasks.data) == 1 and tasks.data.columns[0] == "Open task"
    assert months.data["Status date"].tolist() == ["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]


def test_delivery_sections_says_so_when_no_project_needs_attention(two_projects):
    from cio_analytics.reporting import delivery_sections

    outlooks, r, table = two_projects
    (only,) = delivery_sections(
        table[~table["needs_attention"]].iloc[:0], outlooks, r,
        currency="EUR", min_cpi=0.95, min_spi=0.9,
    )  # fmt: skip
    assert only.data.startswith("## Projects needing attention\n\nNone")


def test_delivery_sections_refuse_a_wrong_table_or_a_missing_outlook(two_projects):
    from cio_analytics.reporting import delivery_sections, record_delivery_figures
    from cio_analytics.reporting.delivery import ChartImage

    outlooks, r, table = two_projects
    kw = dict(currency="EUR", min_cpi=0.95, min_spi=0.9)
    with pytest.raises(ParameterError, match=r"`attention` must be a table from delivery_table"):
        delivery_sections(table[["name"]], outlooks, r, **kw)
    with pytest.raises(ParameterError, match=r"no outlook for C; .* Known: H"):
        delivery_sections(table, {"H": outlooks["H"]}, r, **kw)
    with pytest.raises(ParameterError, match=r"`table` must be a table from delivery_table"):
        record_delivery_figures(pd.DataFrame(), currency="EUR", percentile=0.8)
    with pytest.raises(ParameterError, match="matplotlib Figure"):
        ChartImage("chart.png")


def test_recorded_figures_lead_with_the_projects_that_need_attention(tmp_path, monkeypatch):
    """Issue 13: the index shows the first figures recorded; a healthy project led the card."""
    from cio_analytics.reporting import record_delivery_figures
    from cio_analytics.reporting.record import RECORD_ENV, read_records

    table = delivery_table(
        {"A": outlook(), "B": outlook(p_on_time=0.5)},
        evm(A=(1.0, 1.0, 8.8e5), B=(1.0, 1.0, 8.8e5)),
        names={"A": "Alpha", "B": "Beta"},
    )
    sidecar = tmp_path / "delivery.records.jsonl"
    monkeypatch.setenv(RECORD_ENV, str(sidecar))
    record_delivery_figures(table, currency="EUR", percentile=0.8)
    records = read_records(sidecar)
    names = list(records)
    assert names[:2] == ["contingency_short", "probability_on_time_B"]
    assert names.index("spi_B") < names.index("probability_on_time_A")
    assert records["probability_on_time_B"]["fmt"] == ".1%"
    assert records["cost_p80_B"]["unit"] == "EUR"
