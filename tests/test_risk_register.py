"""Risk registers: expected loss, tail allocation, mitigation pairing and ROI, correlation, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import PERT, LogNormal, Risk, Triangular, simulate_register


def _register():
    return [
        Risk("Outage", PERT(100_000, 250_000, 900_000), probability=0.1,
             mitigation_cost=10_000, mitigated_probability=0.04),
        Risk("Phishing", PERT(5_000, 20_000, 80_000), frequency=3.0,
             mitigation_cost=5_000, mitigated_frequency=1.5),
        Risk("Fine", LogNormal.from_interval(50_000, 2_000_000), probability=0.03),
        Risk("Overrun", Triangular(10_000, 40_000, 160_000), probability=0.35,
             mitigation_cost=4_000, mitigated_impact=Triangular(5_000, 20_000, 60_000)),
    ]  # fmt: skip


def test_expected_loss_is_sum_of_p_times_mean_impact():
    """Vose (2008), Risk Analysis 3rd ed., ch. 22: a register's expected annual loss is
    sum_i p_i E[I_i] (frequency basis: lambda_i E[I_i]). PERT mean (a + 4m + b)/6, triangular
    (a + m + b)/3. Exact 0.1*333,333.33 + 3*27,500 + 0.03*lognormal mean + 0.35*70,000.
    400,000 years, seed 1, relative tolerance 1.5 %."""
    reg = _register()
    exact = 0.1 * 2_000_000 / 6 + 3 * 165_000 / 6 + 0.03 * reg[2].impact.mean() + 0.35 * 70_000
    res = simulate_register(reg, 400_000, rng=1)
    assert sum(r.expected_loss() for r in reg) == pytest.approx(exact)
    assert res.by_risk["expected_loss_exact"].sum() == pytest.approx(exact)
    assert res.expected_loss == pytest.approx(exact, rel=0.015)
    np.testing.assert_allclose(
        res.by_risk["expected_loss"], res.by_risk["expected_loss_exact"], rtol=0.04
    )
    # occurrence shares: P(loss > 0) = p, or 1 - exp(-lambda) for a frequency
    np.testing.assert_allclose(
        res.by_risk["probability_of_loss"], [0.1, 1 - np.exp(-3), 0.03, 0.35], atol=0.003
    )


def test_shares_and_tail_contributions_add_up():
    """Euler allocation (Tasche 1999): the risks' mean losses in the tail years add up to the
    expected shortfall of the total; shares of expected loss and tail each sum to 1."""
    res = simulate_register(_register(), 100_000, rng=2, tail_share=0.05)
    assert res.by_risk["tail_contribution"].sum() == pytest.approx(
        res.expected_shortfall, rel=1e-12
    )
    assert res.by_risk["share_of_expected"].sum() == pytest.approx(1.0)
    assert res.by_risk["share_of_tail"].sum() == pytest.approx(1.0)
    total = res.total_before
    k = int(np.floor(0.95 * total.size))
    assert res.expected_shortfall == pytest.approx(np.sort(total)[k:].mean())
    # the rare large fine dominates the tail more than the mean
    fine = res.by_risk.set_index("risk").loc["Fine"]
    assert fine.share_of_tail > fine.share_of_expected


def test_mitigation_roi_is_paired():
    """ROI = (E[L] - E[L'] - cost) / cost on the paired run; unmitigated risks give identical
    losses before and after, and a risk's draws do not change when another risk is added."""
    reg = _register()
    res = simulate_register(reg, 50_000, rng=3)
    pd.testing.assert_series_equal(res.losses_before["Fine"], res.losses_after["Fine"])
    row = res.mitigations.set_index("risk").loc["Outage"]
    before, after = res.losses_before["Outage"], res.losses_after["Outage"]
    assert row.roi == pytest.approx((before.mean() - after.mean() - 10_000) / 10_000)
    assert (after <= before).all()
    assert "Fine" not in set(res.mitigations["risk"])
    more = simulate_register([*reg, Risk("Extra", PERT(1, 2, 3), probability=0.5)], 50_000, rng=3)
    pd.testing.assert_frame_equal(more.losses_before[res.losses_before.columns], res.losses_before)


@settings(max_examples=40, deadline=None)
@given(
    p=st.floats(0.0, 1.0),
    cut=st.floats(0.0, 1.0),
    rate=st.floats(0.0, 8.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_lower_probability_never_increases_loss(p, cut, rate, seed):
    """Property: a mitigation that only lowers the probability (or frequency) never increases
    the loss in any simulated year, hence never the expected loss."""
    reg = [
        Risk("a", PERT(10, 50, 200), probability=p, mitigated_probability=p * cut),
        Risk("b", PERT(1, 5, 9), frequency=rate, mitigated_frequency=rate * cut),
    ]
    res = simulate_register(reg, 2_000, rng=seed)
    assert (res.losses_after.to_numpy() <= res.losses_before.to_numpy() + 1e-9).all()
    assert res.expected_loss_after <= res.expected_loss + 1e-9


@pytest.mark.slow
def test_correlation_raises_the_tail_not_the_mean():
    """Positively correlated occurrences (Spearman 0.9 via a Gaussian copula) leave each risk's
    probability unchanged but make joint losses likelier: P90 and ES rise."""
    reg = [Risk(f"r{i}", PERT(80, 100, 150), probability=0.2) for i in range(5)]
    names = [r.name for r in reg]
    corr = pd.DataFrame(0.1 * np.eye(5) + 0.9, index=names, columns=names)
    ind = simulate_register(reg, 100_000, rng=4)
    cor = simulate_register(reg, 100_000, rng=4, correlation=corr)
    assert cor.expected_loss == pytest.approx(ind.expected_loss, rel=0.02)
    np.testing.assert_allclose(cor.by_risk["probability_of_loss"], 0.2, atol=0.005)
    assert cor.expected_shortfall > 1.3 * ind.expected_shortfall
    bad = corr.copy()
    bad.loc["r0", "r1"] = bad.loc["r1", "r0"] = -0.9
    assert simulate_register(reg, 1_000, rng=4, correlation=bad).correlation_repaired


def test_summary_and_determinism():
    a = simulate_register(_register(), 5_000, rng=8)
    b = simulate_register(_register(), 5_000, rng=8)
    np.testing.assert_array_equal(a.total_before, b.total_before)
    s = a.summary().set_index("metric")
    assert s.loc["p90", "value"] == pytest.approx(np.quantile(a.total_before, 0.9))
    assert s.loc["total_mitigation_cost", "value"] == 19_000
    assert set(a.exceedance()["case"]) == {"before", "after"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(probability=30.0), "use 0.3 for 30"),
        (dict(probability=0.3, frequency=2.0), "exactly one"),
        (dict(), "exactly one"),
        (dict(frequency=-1.0), "0 or more"),
        (dict(probability=0.3, mitigated_frequency=0.1), "mitigated_probability"),
        (dict(probability=0.3, mitigation_cost=-5.0), "mitigation_cost"),
    ],
)
def test_bad_risks(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        Risk("x", PERT(1, 2, 3), **kwargs)


def test_frequency_above_one_is_a_rate_and_duplicates_refused():
    assert Risk("x", PERT(1, 2, 3), frequency=12.0).expected_loss() == pytest.approx(24.0)
    with pytest.raises(ParameterError, match="unique"):
        simulate_register([Risk("x", PERT(1, 2, 3), probability=0.1)] * 2, 10)
    with pytest.raises(ParameterError, match="cannot be negative"):
        Risk("x", Triangular(-5, 0, 5), probability=0.1)
