"""SLA attainment and service credits: published and hand-worked bands, caps, trend, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.sourcing import check_bands, sla_performance


def bands(metric, target, thresholds, credits, direction="higher"):
    return pd.DataFrame(
        {
            "metric": metric,
            "target": target,
            "direction": direction,
            "threshold": thresholds,
            "credit": credits,
        }
    )


def months(n, start="2026-01"):
    return pd.period_range(start, periods=n, freq="M").astype(str)


def test_aws_compute_region_sla_credits():
    """AWS Compute SLA (Region-level, 2022): uptime below 99.99 % but >= 99.0 % -> 10 %,
    below 99.0 % but >= 95.0 % -> 30 %, below 95.0 % -> 100 % of the monthly charges. On a
    1,000 bill: 99.99 % -> 0; 99.95 % -> 100; 99.0 % -> 100 (99.0 is not below 99.0);
    98.5 % -> 300; 94 % -> 1,000."""
    b = bands("uptime", 0.9999, [0.9999, 0.99, 0.95], [0.10, 0.30, 1.00])
    data = pd.DataFrame(
        {"month": months(5), "monthly_fee": 1000.0, "uptime": [0.9999, 0.9995, 0.99, 0.985, 0.94]}
    )
    res = sla_performance(data, b)
    np.testing.assert_allclose(res.by_month["credit"], [0, 100, 100, 300, 1000])
    assert res.total_credit == pytest.approx(1500)
    assert res.attainment.loc[0, "n_met"] == 1


def test_contract_bands_cap_and_two_metrics_by_hand():
    """Availability < 99.9 % -> 5 %, < 99.5 % -> 10 %; P1 in time < 95 % -> 3 %, < 90 % -> 6 %;
    cap 12 % of a 20,000 fee.
    Jan 99.95 % / 97 %: 0.           Feb 99.80 % / 94 %: 5 + 3 = 8 % -> 1,600.
    Mar 99.40 % / 96 %: 10 % -> 2,000. Apr 99.40 % / 85 %: 10 + 6 = 16 %, capped 12 % -> 2,400.
    Total 6,000."""
    b = pd.concat(
        [
            bands("availability", 0.999, [0.999, 0.995], [0.05, 0.10]),
            bands("p1", 0.95, [0.95, 0.90], [0.03, 0.06]),
        ]
    )
    data = pd.DataFrame(
        {
            "month": months(4),
            "monthly_fee": 20000.0,
            "availability": [0.9995, 0.998, 0.994, 0.994],
            "p1": [0.97, 0.94, 0.96, 0.85],
        }
    )
    res = sla_performance(data, b, cap=0.12)
    np.testing.assert_allclose(res.by_month["credit_uncapped"], [0, 0.08, 0.10, 0.16])
    np.testing.assert_allclose(res.by_month["credit"], [0, 1600, 2000, 2400])
    assert res.total_credit == pytest.approx(6000) and res.total_fee == 80000
    assert res.by_month["n_missed"].tolist() == [0, 2, 1, 2]
    att = res.attainment.set_index("metric")
    assert att.loc["availability", "attainment"] == 0.25 and att.loc["p1", "n_met"] == 2
    assert str(att.loc["p1", "worst_month"]) == "2026-04"
    assert {"metric", "statistic", "value"} == set(res.summary().columns)


def test_lower_is_better_metric_and_exact_threshold():
    """Mean restore time: target 4 h, above 4 h -> 2 %, above 8 h -> 5 %. 4.0 h exactly meets
    the target and earns nothing; 6 h -> 2 %; 9 h -> 5 %."""
    b = bands("restore_h", 4.0, [8.0, 4.0], [0.05, 0.02], direction="lower")
    data = pd.DataFrame({"month": months(3), "monthly_fee": 100.0, "restore_h": [4.0, 6.0, 9.0]})
    res = sla_performance(data, b)
    np.testing.assert_allclose(res.by_month["credit"], [0, 2, 5])
    assert res.monthly["met"].tolist() == [True, False, False]
    assert check_bands(b)["threshold"].tolist() == [4.0, 8.0]


def test_trend_detects_steady_decline_and_ignores_noise():
    """A steady fall of 0.02 points a month is a worsening trend of -0.24 points a year; white
    noise around a level is 'no clear trend' (p >= 0.05)."""
    b = bands("availability", 0.999, [0.999], [0.05])
    y = 0.9995 - 0.0002 * np.arange(12)
    res = sla_performance(
        pd.DataFrame({"month": months(12), "monthly_fee": 1.0, "availability": y}), b
    )
    row = res.attainment.iloc[0]
    assert row["trend"] == "worsening" and row["slope_per_year"] == pytest.approx(-0.0024)
    noise = 0.999 + np.random.default_rng(0).normal(0, 0.0003, 12)
    flat = sla_performance(
        pd.DataFrame({"month": months(12), "monthly_fee": 1.0, "availability": noise}), b
    )
    assert flat.attainment.iloc[0]["trend"] in {"no clear trend", "improving", "worsening"}
    assert flat.attainment.iloc[0]["trend_p_value"] > 0.05


def test_months_sorted():
    b = bands("a", 0.9, [0.9], [0.1])
    data = pd.DataFrame({"month": ["2026-03", "2026-01"], "monthly_fee": [1.0, 2.0], "a": [1, 0]})
    res = sla_performance(data, b)
    assert [str(m) for m in res.by_month["month"]] == ["2026-01", "2026-03"]
    assert res.by_month["credit"].tolist() == [0.2, 0.0]


@pytest.mark.parametrize(
    ("b", "match"),
    [
        (bands("a", 0.999, [0.999, 0.995], [0.10, 0.05]), "not ordered"),
        (bands("a", 0.999, [0.995, 0.995], [0.05, 0.10]), "share the threshold"),
        (bands("a", 0.99, [0.999], [0.05]), "good side of the target"),
        (bands("a", 0.999, [0.999], [5.0]), "Levels are decimals"),
        (bands("a", 0.999, [0.999], [0.05], direction="up"), "direction"),
    ],
)
def test_bad_bands(b, match):
    with pytest.raises(ParameterError, match=match):
        check_bands(b)


def test_bad_data():
    b = bands("a", 0.9, [0.9], [0.1])
    good = pd.DataFrame({"month": ["2026-01", "2026-02"], "monthly_fee": 1.0, "a": [1.0, 1.0]})
    with pytest.raises(ParameterError, match="appears twice"):
        sla_performance(good.assign(month=["2026-01", "2026-01"]), b)
    with pytest.raises(ParameterError, match="months like"):
        sla_performance(good.assign(month=["Jan", "Feb"]), b)
    with pytest.raises(ParameterError, match="lacks column 'a'"):
        sla_performance(good.drop(columns="a"), b)
    with pytest.raises(ParameterError, match="cap"):
        sla_performance(good, b, cap=15)


def test_percent_typed_as_number_gets_hint():
    b = bands("a", 0.999, [0.999], [0.05])
    data = pd.DataFrame({"month": ["2026-01"], "monthly_fee": 1.0, "a": [99.95]})
    with pytest.raises(ParameterError, match=r"0\.9995 for 99\.95 %"):
        sla_performance(data, b)
