"""Earned value management: PMBOK measures against published worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cio_analytics import ParameterError
from cio_analytics.risk.earned_value import earned_value, earned_value_metrics


def test_schwalbe_it_project_management_exercise():
    """Schwalbe, *Information Technology Project Management*, ch. 7 (cost management)
    exercise: BAC 200,000, PV 120,000, EV 100,000, AC 90,000 -> CV 10,000, SV -20,000,
    CPI 1.11, SPI 0.83, EAC = BAC / CPI = 180,000."""
    m = earned_value_metrics(120_000, 100_000, 90_000, 200_000)
    assert float(m.cost_variance) == 10_000
    assert float(m.schedule_variance) == -20_000
    assert float(m.cpi) == pytest.approx(100 / 90, rel=1e-12)
    assert float(m.spi) == pytest.approx(100 / 120, rel=1e-12)
    assert float(m.eac) == pytest.approx(180_000, rel=1e-12)
    assert float(m.etc) == pytest.approx(90_000, rel=1e-12)
    assert float(m.vac) == pytest.approx(20_000, rel=1e-12)
    # The CPI x SPI variant: 90,000 + 100,000 / (1.111 x 0.833) = 90,000 + 108,000.
    assert float(m.eac_cpi_spi) == pytest.approx(198_000, rel=1e-12)


def test_month_six_example_cv_sv_cpi_spi_and_eac():
    """Construction project-control worked example (month 6): PV 500,000, EV 450,000,
    AC 480,000 -> CV -30,000, SV -50,000, CPI 0.9375, SPI 0.9; with BAC 1,000,000 the EAC
    at the current cost efficiency is 1,000,000 / 0.9375 = 1,066,666.67."""
    m = earned_value_metrics(500_000, 450_000, 480_000, 1_000_000)
    assert (float(m.cost_variance), float(m.schedule_variance)) == (-30_000, -50_000)
    assert float(m.cpi) == pytest.approx(0.9375)
    assert float(m.spi) == pytest.approx(0.9)
    assert float(m.eac) == pytest.approx(1_066_666.6667, rel=1e-9)


def test_atypical_variance_eac_at_budget_rate():
    """Worked example 'EAC, atypical variances': BAC 2,000,000, EV 1,000,000, AC 1,100,000;
    the overrun was a one-off, so EAC = AC + (BAC - EV) = 2,100,000."""
    m = earned_value_metrics(1_000_000, 1_000_000, 1_100_000, 2_000_000, eac_method="budget_rate")
    assert float(m.eac) == 2_100_000
    assert float(m.eac_budget_rate) == 2_100_000
    assert float(m.vac) == -100_000


def test_tcpi_worked_example():
    """Worked example 'TCPI': BAC 5,000,000, EV 2,000,000, AC 2,500,000 -> the remaining work
    must run at (5 - 2) / (5 - 2.5) = 1.2 to finish within the budget."""
    m = earned_value_metrics(2_500_000, 2_000_000, 2_500_000, 5_000_000)
    assert float(m.tcpi) == pytest.approx(1.2)


def test_board_exam_eac_at_current_cpi():
    """Project-control exam problem: BAC 5,000,000, EV 1,500,000, AC 1,800,000; assuming the
    current cost efficiency continues, EAC = 5,000,000 / (1.5 / 1.8) = 6,000,000."""
    m = earned_value_metrics(1_500_000, 1_500_000, 1_800_000, 5_000_000)
    assert float(m.eac) == pytest.approx(6_000_000, rel=1e-12)


def test_undefined_ratios_are_nan_with_a_status_never_inf():
    m = earned_value_metrics([0, 100, 100, 50], [0, 100, 50, 40], [0, 90, 120, 110], 100)
    assert list(m.status) == ["not started", "complete", "budget spent", "budget spent"]
    assert np.isnan(m.cpi[0]) and np.isnan(m.spi[0])
    assert float(m.eac[0]) == 100  # no evidence yet: the budget stands
    assert np.isnan(m.tcpi[1]) and np.isnan(m.tcpi[2])
    assert np.isfinite(m.eac).all() and np.isfinite(m.etc).all()


def test_vectorised_over_projects_and_periods_equals_one_by_one():
    rng = np.random.default_rng(7)
    bac = rng.uniform(1e5, 1e6, size=(4, 1))
    ev = bac * rng.uniform(0.05, 0.95, size=(4, 6))
    pv = bac * rng.uniform(0.05, 1.0, size=(4, 6))
    ac = ev * rng.uniform(0.7, 1.4, size=(4, 6))
    m = earned_value_metrics(pv, ev, ac, bac, eac_method="cpi_spi")
    assert m.eac.shape == (4, 6)
    for i in range(4):
        for j in range(6):
            one = earned_value_metrics(
                pv[i, j], ev[i, j], ac[i, j], bac[i, 0], eac_method="cpi_spi"
            )
            assert float(one.eac) == pytest.approx(m.eac[i, j], rel=1e-12)
            assert float(one.tcpi) == pytest.approx(m.tcpi[i, j], rel=1e-12, nan_ok=True)
            assert one.status == m.status[i, j]


amount = st.floats(1e3, 1e9, allow_nan=False)
share = st.floats(0.01, 1.0)


@given(bac=amount, done=share, planned=share, efficiency=st.floats(0.2, 5.0))
def test_identities_hold_for_every_status(bac, done, planned, efficiency):
    """CV + AC = EV, EAC_cpi x CPI = BAC, ETC + AC = EAC, VAC + EAC = BAC (all variants)."""
    ev, pv = bac * done, bac * planned
    ac = ev / efficiency
    for method in ("cpi", "budget_rate", "cpi_spi"):
        m = earned_value_metrics(pv, ev, ac, bac, eac_method=method)
        assert float(m.cost_variance) + ac == pytest.approx(ev, rel=1e-9)
        assert float(m.eac_cpi) * float(m.cpi) == pytest.approx(bac, rel=1e-9)
        assert float(m.etc) + ac == pytest.approx(float(m.eac), rel=1e-9)
        assert float(m.vac) + float(m.eac) == pytest.approx(bac, rel=1e-9)


@given(bac=amount, done=st.floats(0.01, 0.99))
def test_on_plan_and_on_cost_means_budget_is_the_estimate(bac, done):
    x = bac * done
    m = earned_value_metrics(x, x, x, bac)
    for eac in (m.eac_cpi, m.eac_budget_rate, m.eac_cpi_spi):
        assert float(eac) == pytest.approx(bac, rel=1e-9)
    assert float(m.cpi) == pytest.approx(1.0) and float(m.tcpi) == pytest.approx(1.0)


def _status_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project": ["B", "A", "A", "B"],
            "period": ["2026-06-30", "2026-12-31", "2026-09-30", "2026-12-31"],
            "planned_value": [10_000, 50_000, 20_000, 30_000],
            "earned_value": [10_000, 40_000, 20_000, 25_000],
            "actual_cost": [9_000, 45_000, 21_000, 26_000],
            "budget_at_completion": [60_000, 100_000, 100_000, 60_000],
        }
    )


def test_status_table_sorted_and_latest_per_project():
    r = earned_value(_status_table())
    assert list(r.table["project"]) == ["A", "A", "B", "B"]
    assert list(r.table["period"]) == ["2026-09-30", "2026-12-31", "2026-06-30", "2026-12-31"]
    s = r.summary()
    assert list(s["project"]) == ["A", "B"]
    assert s.loc[0, "eac"] == pytest.approx(112_500)
    assert s.loc[1, "cpi"] == pytest.approx(25 / 26)


def test_percent_complete_is_a_share_of_the_budget():
    t = _status_table().drop(columns="earned_value")
    t["percent_complete"] = [1 / 6, 0.4, 0.2, 25 / 60]
    r = earned_value(t)
    assert r.summary().loc[0, "eac"] == pytest.approx(112_500)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: earned_value_metrics(-1, 0, 0, 10), ["planned_value", "negative", "-1.00"]),
        (lambda: earned_value_metrics(5, 12, 5, 10), ["earned_value", "exceed", "12.00"]),
        (lambda: earned_value_metrics(5, 5, 5, 0), ["budget_at_completion", "more than 0"]),
        (lambda: earned_value_metrics(5, 5, 5, 10, eac_method="bac"), ["eac_method", "cpi"]),
        (lambda: earned_value(_status_table().drop(columns="actual_cost")), ["actual_cost"]),
        (
            lambda: earned_value(
                _status_table().drop(columns="earned_value").assign(percent_complete=40)
            ),
            ["percent_complete", "Got 40", "0.4"],
        ),
    ],
)
def test_bad_input_is_a_clear_error(call, words):
    with pytest.raises(ParameterError) as err:
        call()
    for w in words:
        assert w in str(err.value)
