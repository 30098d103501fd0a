"""ticket_metrics: a tiny export worked by hand, properties (hypothesis), bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.io import read_ticket_export
from cio_analytics.performance import ticket_metrics

TINY = """ticket_id,team,priority,opened_at,resolved_at,reopened_count,first_contact,handle_time_min
T1,A,P1,2026-01-10 08:00,2026-01-10 11:00,0,yes,30
T2,A,P1,2026-01-15 08:00,2026-01-15 14:00,0,no,60
T3,A,P3,2026-01-20 09:00,2026-02-03 09:00,0,,90
T4,A,P3,2026-01-31 12:00,,0,,
T5,A,P3,2026-02-10 00:00,2026-02-10 20:00,1,yes,20
T6,A,P3,2026-02-27 00:00,,0,,40
B1,B,P3,2026-02-05 10:00,2026-02-06 10:00,0,,15
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(TINY)
    return ticket_metrics(read_ticket_export(path, sla_targets_h={"P1": 4, "P3": 24}))


def row(metrics, team, month):
    m = metrics.monthly
    return m[(m["team"] == team) & (m["month"] == pd.Timestamp(month))].iloc[0]


def test_tiny_export_by_hand(tiny):
    """Worked by hand. Targets P1 4 h, P3 24 h; as_of = 2026-03-01 (month after the latest stamp).

    January, team A: T1 3 h (met), T2 6 h (breach) -> attainment 1/2; FCR 1 of 2 known.
    Backlog at 1 Feb 00:00: T3 (age 11 d 15 h = 11.625 d, 279 h > 24 h: over target) and T4
    (0.5 d, 12 h: within) -> 2, median age 6.0625 d, one in [0, 7] d and one in (7, 30] d.
    February, team A: T3 336 h (breach), T5 20 h (met) -> 1/2; P50 = (20 + 336) / 2 = 178 h,
    P90 = 20 + 0.9 (336 - 20) = 304.4 h (linear interpolation); T5 reopened -> 1/2; FCR: T3
    unknown, T5 yes -> 1/1. Backlog at 1 Mar: T4 28.5 d and T6 2 d, both over 24 h.
    Team B: B1 24 h exactly -> met (within target is inclusive).
    """
    assert tiny.as_of == pd.Timestamp("2026-03-01")
    jan = row(tiny, "A", "2026-01-01")
    assert (jan["n_opened"], jan["n_resolved"], jan["n_met"]) == (4, 2, 1)
    assert jan["sla_attainment"] == 0.5 and jan["fcr_rate"] == 0.5 and jan["reopen_rate"] == 0
    assert jan["resolve_p50_h"] == pytest.approx(4.5)
    assert (jan["backlog"], jan["backlog_over_target"]) == (2, 1)
    assert jan["backlog_age_p50_d"] == pytest.approx(6.0625)
    assert jan["backlog_age_max_d"] == pytest.approx(11.625)
    assert (jan["backlog_0_7d"], jan["backlog_7_30d"], jan["backlog_30_90d"]) == (1, 1, 0)
    assert jan["handle_time_mean_min"] == pytest.approx(60.0)  # T1, T2, T3 known; T4 unknown
    feb = row(tiny, "A", "2026-02-01")
    assert (feb["n_opened"], feb["n_resolved"], feb["n_met"]) == (2, 2, 1)
    assert feb["resolve_p50_h"] == pytest.approx(178.0)
    assert feb["resolve_p90_h"] == pytest.approx(304.4)
    assert feb["reopen_rate"] == 0.5 and feb["fcr_rate"] == 1.0 and feb["n_fcr_known"] == 1
    assert (feb["backlog"], feb["backlog_over_target"]) == (2, 2)
    assert feb["backlog_age_max_d"] == pytest.approx(28.5)
    assert (feb["backlog_0_7d"], feb["backlog_7_30d"]) == (1, 1)
    b_jan, b_feb = row(tiny, "B", "2026-01-01"), row(tiny, "B", "2026-02-01")
    assert b_jan["n_opened"] == 0 and np.isnan(b_jan["sla_attainment"]) and b_jan["backlog"] == 0
    assert b_feb["sla_attainment"] == 1.0 and np.isnan(b_feb["fcr_rate"])
    # whole period
    assert tiny.n_tickets == 7 and tiny.n_open == 2
    assert tiny.sla_attainment == pytest.approx(3 / 5)
    a = tiny.by_team.set_index("team").loc["A"]
    assert (a["n_resolved"], a["n_met"], a["backlog"]) == (4, 2, 2)
    assert tiny.teams == ("A", "B") and len(tiny.monthly) == 4


def test_as_of_cuts_the_export(tiny, tmp_path):
    """As of 2026-02-01 the February tickets do not exist and T3 (resolved 3 Feb) is open."""
    path = tmp_path / "tiny.csv"
    path.write_text(TINY)
    cut = ticket_metrics(read_ticket_export(path, sla_targets_h={"P1": 4, "P3": 24}),
                         as_of="2026-02-01")  # fmt: skip
    assert cut.n_tickets == 4 and cut.n_open == 2 and len(cut.months) == 1
    assert cut.monthly["backlog"].sum() == 2  # team A: T3, T4; team B has no ticket yet
    frame = read_ticket_export(path, sla_targets_h={"P1": 4, "P3": 24})
    with pytest.raises(ParameterError, match="as_of"):
        ticket_metrics(frame, as_of="soon")
    with pytest.raises(ParameterError, match="before every ticket"):
        ticket_metrics(frame, as_of="2025-01-01")


def test_team_monthly_and_summary(tiny):
    assert len(tiny.team_monthly("A")) == 2
    with pytest.raises(ParameterError, match="Teams: A, B"):
        tiny.team_monthly("C")
    summary = tiny.summary()
    assert list(summary.columns) == ["metric", "value", "unit"]
    assert summary.set_index("metric").loc["sla_attainment", "value"] == pytest.approx(0.6)


def test_sample_export_shows_the_service_desk_drop():
    metrics = ticket_metrics(read_ticket_export("data/sample/tickets_export.csv", months=12))
    assert len(metrics.months) == 12 and metrics.as_of == pd.Timestamp("2026-11-01")
    desk = metrics.team_monthly("Service desk")
    assert desk["sla_attainment"].iloc[-1] < desk["sla_attainment"].iloc[:9].min()
    assert 0.85 < metrics.sla_attainment < 0.95


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tickets": "x.csv"}, "must be a DataFrame"),
        ({"tickets": pd.DataFrame({"team": ["A"]})}, "missing"),
        ({"age_bins_d": (30, 7)}, "increasing"),
    ],
)
def test_bad_arguments(tiny, kwargs, match):
    tickets = pd.DataFrame(
        {
            "team": ["A"],
            "opened_at": pd.to_datetime(["2026-01-01 10:00"]),
            "resolved_at": pd.to_datetime(["2026-01-01 12:00"]),
            "sla_target_h": [4.0],
        }
    )
    args = {"tickets": tickets, **kwargs}
    with pytest.raises(ParameterError, match=match):
        ticket_metrics(args.pop("tickets"), **args)


def test_resolved_before_opened_in_a_frame():
    tickets = pd.DataFrame(
        {
            "team": ["A"],
            "opened_at": pd.to_datetime(["2026-01-02"]),
            "resolved_at": pd.to_datetime(["2026-01-01"]),
            "sla_target_h": [4.0],
        }
    )
    with pytest.raises(ParameterError, match="resolved before it was opened"):
        ticket_metrics(tickets)


@st.composite
def exports(draw):
    n = draw(st.integers(1, 40))
    start = pd.Timestamp("2026-01-01")
    opened_h = draw(st.lists(st.integers(0, 24 * 120), min_size=n, max_size=n))
    dur_h = draw(st.lists(st.one_of(st.none(), st.integers(0, 24 * 60)), min_size=n, max_size=n))
    teams = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    targets = draw(st.lists(st.sampled_from([4.0, 24.0, 72.0]), min_size=n, max_size=n))
    fcr = draw(st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n))
    opened = start + pd.to_timedelta(opened_h, unit="h")
    resolved = [
        o + pd.Timedelta(hours=d) if d is not None else pd.NaT
        for o, d in zip(opened, dur_h, strict=True)
    ]
    return pd.DataFrame(
        {
            "team": teams,
            "opened_at": opened,
            "resolved_at": pd.to_datetime(resolved),
            "sla_target_h": targets,
            "reopened_count": draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)),
            "first_contact": pd.array(fcr, dtype="boolean"),
            "handle_time_min": draw(st.lists(st.floats(1, 300), min_size=n, max_size=n)),
        }
    )


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(exports(), st.randoms(use_true_random=False))
def test_properties(tickets, rnd):
    """Rates in [0, 1], backlog >= 0, backlog conserved month to month, row order irrelevant."""
    m = ticket_metrics(tickets)
    monthly = m.monthly
    for col in ("sla_attainment", "reopen_rate", "fcr_rate"):
        vals = monthly[col].dropna()
        assert ((vals >= 0) & (vals <= 1)).all()
    assert (monthly["backlog"] >= 0).all()
    assert (monthly["backlog_over_target"] <= monthly["backlog"]).all()
    buckets = [c for c in monthly.columns if c.startswith("backlog_") and c.endswith("d")
               and c not in ("backlog_age_p50_d", "backlog_age_max_d")]  # fmt: skip
    assert (monthly[buckets].sum(axis=1) == monthly["backlog"]).all()
    # conservation: backlog(m) = backlog(m-1) + opened(m) - resolved(m)
    for _, g in monthly.groupby("team"):
        flow = (g["n_opened"] - g["n_resolved"]).cumsum().to_numpy()
        np.testing.assert_array_equal(g["backlog"].to_numpy(), flow)
    assert m.n_open == int(monthly.groupby("team")["backlog"].last().sum())
    assert (monthly["resolve_p50_h"].dropna() <= monthly["resolve_p90_h"].dropna() + 1e-9).all()
    order = list(range(len(tickets)))
    rnd.shuffle(order)
    shuffled = ticket_metrics(tickets.iloc[order].reset_index(drop=True))
    pd.testing.assert_frame_equal(shuffled.monthly, monthly)
    pd.testing.assert_frame_equal(shuffled.by_team, m.by_team)
    assert shuffled.sla_attainment == m.sla_attainment or (
        np.isnan(m.sla_attainment) and np.isnan(shuffled.sla_attainment)
    )


def test_month_boundary_belongs_to_the_new_month():
    """Resolved at 1 Feb 00:00: resolved in February, so still open in January's closing backlog
    (found by the conservation property: backlog(Jan) + opened(Feb) - resolved(Feb) = backlog(Feb))."""
    tickets = pd.DataFrame(
        {
            "team": ["A", "A"],
            "opened_at": pd.to_datetime(["2026-01-20 00:00", "2026-02-01 00:00"]),
            "resolved_at": pd.to_datetime(["2026-02-01 00:00", "2026-02-02 00:00"]),
            "sla_target_h": [24.0, 24.0],
        }
    )
    m = ticket_metrics(tickets).monthly
    assert m["n_opened"].tolist() == [1, 1] and m["n_resolved"].tolist() == [0, 2]
    assert m["backlog"].tolist() == [1, 0]
    assert m["backlog_age_max_d"].iloc[0] == pytest.approx(12.0)
