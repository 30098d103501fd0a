"""team_review (control charts per team, verdict) and capacity_vs_demand (workload FTE)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_ticket_export
from cio_analytics.performance import (
    CapacityReview,
    TeamReview,
    capacity_vs_demand,
    p_chart,
    team_review,
    ticket_metrics,
)


@pytest.fixture(scope="module")
def sample():
    return ticket_metrics(read_ticket_export("data/sample/tickets_export.csv", months=12))


def test_review_finds_the_real_change_and_only_it(sample):
    """The sample holds one real shift (service desk, October) and noise elsewhere."""
    review = team_review(sample)
    assert isinstance(review, TeamReview)
    assert review.baseline_months == 9 and review.recent_months == 3
    verdict = review.verdict.set_index("team")
    assert verdict.loc["Service desk", "verdict"] == "real deterioration"
    assert verdict.loc["Service desk", "attainment_signal"]
    assert (verdict.drop("Service desk")["verdict"] == "stable: noise only").all()
    assert review.teams_changed("worse") == ("Service desk",)
    assert review.teams_changed("better") == ()
    assert set(review.signals["team"]) == {"Service desk"}
    assert (review.signals["effect"] == "worse").all()
    # the chart is the library's p-chart of the same counts
    desk = sample.team_monthly("Service desk")
    ref = p_chart(desk["n_met"], desk["n_resolved"], baseline_points=9)
    chart = review.chart("Service desk")
    np.testing.assert_allclose(chart.points["lcl"], ref.points["lcl"])
    assert verdict.loc["Service desk", "lcl"] == pytest.approx(ref.points["lcl"].iloc[-1])
    # FCR only where the export has the flag
    assert ("Service desk", "fcr_rate") in review.charts
    assert ("Network", "fcr_rate") not in review.charts
    with pytest.raises(ParameterError, match="FCR needs"):
        review.chart("Network", "fcr_rate")
    assert review.summary().shape[0] == 4


def test_review_arguments(sample):
    with pytest.raises(ParameterError, match="baseline_months"):
        team_review(sample, baseline_months=1)
    with pytest.raises(ParameterError, match="monitored"):
        team_review(sample, monitored=["sla"])
    with pytest.raises(ParameterError, match="TicketMetrics"):
        team_review(sample.monthly)
    review = team_review(sample, baseline_months=12, recent_months=1, monitored="backlog")
    assert review.metrics == ("backlog",) and all(m == "backlog" for _, m in review.charts)


def tiny_metrics():
    return ticket_metrics(
        pd.DataFrame(
            {
                "team": ["Desk"] * 4 + ["Net"],
                "opened_at": pd.to_datetime(
                    [
                        "2026-01-05 09:00",
                        "2026-01-06 09:00",
                        "2026-02-02 09:00",
                        "2026-02-03 09:00",
                        "2026-02-03 10:00",
                    ]
                ),
                "resolved_at": pd.to_datetime(
                    [
                        "2026-01-05 10:00",
                        "2026-01-06 10:00",
                        "2026-02-02 10:00",
                        "2026-02-03 10:00",
                        "2026-02-03 11:00",
                    ]
                ),
                "sla_target_h": 8.0,
                "handle_time_min": [60.0, 60.0, 90.0, 90.0, np.nan],
            }
        )
    )


def test_capacity_by_hand():
    """Desk: January 2 x 60 min = 2 h, February 2 x 90 min = 3 h. With 100 productive hours per
    FTE-month at 80 % utilisation one FTE carries 80 h: the recent month (February) needs
    3 / 80 = 0.0375 FTE; the range is 2-3 h, so 2 / 80 <= P80 <= 3 / 80. Net has no handle time:
    handle_time_s=1800 (30 min) -> 0.5 h in February, none in January."""
    review = capacity_vs_demand(
        tiny_metrics(),
        available_fte={"Desk": 0.03, "Net": 1.0},
        productive_hours_per_fte_month=100,
        utilisation_target=0.8,
        recent_months=1,
        handle_time_s=1800,
        n_trials=500,
        rng=3,
    )
    assert isinstance(review, CapacityReview)
    desk = review.by_team.set_index("team").loc["Desk"]
    assert desk["demand_hours"] == pytest.approx(3.0)
    assert (desk["low_hours"], desk["high_hours"]) == (2.0, 3.0)
    assert desk["fte_needed"] == pytest.approx(3 / 80)
    assert 2 / 80 <= desk["fte_needed_p80"] <= 3 / 80
    assert desk["utilisation"] == pytest.approx(3 / (0.03 * 100))
    assert desk["status"] == "short" and review.teams_short == ("Desk",)
    net = review.by_team.set_index("team").loc["Net"]
    assert net["demand_hours"] == pytest.approx(0.5) and net["status"] == "enough"
    month = review.monthly.set_index(["team", "month"])
    assert month.loc[("Desk", pd.Timestamp("2026-01-01")), "demand_hours"] == pytest.approx(2.0)
    assert month.loc[("Desk", pd.Timestamp("2026-01-01")), "fte_needed"] == pytest.approx(2 / 80)
    assert set(review.summary()["metric"]) >= {"fte_needed", "gap_fte", "utilisation"}
    again = capacity_vs_demand(
        tiny_metrics(), available_fte={"Desk": 0.03, "Net": 1.0},
        productive_hours_per_fte_month=100, utilisation_target=0.8, recent_months=1,
        handle_time_s=1800, n_trials=500, rng=3,
    )  # fmt: skip
    pd.testing.assert_frame_equal(again.by_team, review.by_team)
    assert review.seed == 3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"available_fte": {"Dsk": 1.0}}, "Did you mean 'Desk'"),
        ({"available_fte": {"Desk": -1}}, "FTE >= 0"),
        ({"available_fte": []}, "must map team names"),
        ({"available_fte": {"Net": 1.0}}, "no handle times"),
        ({"available_fte": {"Desk": 1.0}, "utilisation_target": 85}, "0.85 for 85"),
        ({"available_fte": {"Desk": 1.0}, "recent_months": 5}, "recent_months"),
        ({"available_fte": {"Desk": 1.0}, "productive_hours_per_fte_month": 0}, "productive"),
    ],
)
def test_capacity_bad_arguments(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        capacity_vs_demand(tiny_metrics(), **{"recent_months": 1, **kwargs})


def test_result_contract(sample):
    """Every result type is a frozen dataclass whose summary() is a tidy DataFrame."""
    import dataclasses

    from cio_analytics.performance import theil_sen_trend, xmr_chart

    review = team_review(sample)
    capacity = capacity_vs_demand(sample, available_fte={"Network": 3.0}, n_trials=100, rng=1)
    desk = sample.team_monthly("Service desk")
    results = [
        sample,
        review,
        capacity,
        review.chart("Service desk"),
        xmr_chart(desk["backlog"]),
        theil_sen_trend(desk["sla_attainment"]),
    ]
    for result in results:
        assert dataclasses.is_dataclass(result)
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.seed = 1  # type: ignore[misc]
        summary = result.summary()
        assert isinstance(summary, pd.DataFrame) and len(summary) > 0


def test_default_handle_time_min_is_a_deprecated_alias_in_minutes():
    """`default_handle_time_min=30` is `handle_time_s=1800`: same review, with a warning."""
    metrics = tiny_metrics()
    kw = dict(available_fte={"Desk": 0.03, "Net": 1.0}, recent_months=1, n_trials=200, rng=3)
    new = capacity_vs_demand(metrics, handle_time_s=1800, **kw)
    with pytest.warns(DeprecationWarning, match="handle_time_s"):
        old = capacity_vs_demand(metrics, default_handle_time_min=30, **kw)
    pd.testing.assert_frame_equal(old.by_team, new.by_team)
