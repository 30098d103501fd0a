"""FAIR: compound Poisson moments, product vs compound, known answers, pairing, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from cio_analytics._numeric import poisson_ppf
from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import PERT, FairControl, FairScenario, LogNormal, simulate_fair
from cio_analytics.risk._compound import event_slots


def test_compound_poisson_moments():
    """Compound Poisson S = X_1 + ... + X_N, N ~ Poisson(lambda): E[S] = lambda E[X],
    Var[S] = lambda E[X^2] (Klugman, Panjer & Willmot, Loss Models, 4th ed., sec. 9.3; the
    moments @RISK's RiskCompound documentation states). lambda = 3, X ~ PERT(10, 20, 60):
    E[X] = 25, Var[X] = (25-10)(60-25)/7 = 75, E[S] = 75, Var[S] = 3 (75 + 625) = 2100.
    1,000,000 years, seed 3; tolerances 4 standard errors."""
    s = FairScenario("c", primary_loss=PERT(10, 20, 60), loss_event_frequency=3.0)
    res = simulate_fair(s, 1_000_000, rng=3)
    assert res.expected_ale_exact == pytest.approx(75.0)
    se = np.sqrt(2100 / 1e6)
    assert res.expected_ale == pytest.approx(75.0, abs=4 * se)
    assert res.ale.var() == pytest.approx(2100.0, rel=0.01)
    # the number of loss events per year is Poisson(3)
    assert res.trials["loss_events"].mean() == pytest.approx(3.0, abs=4 * np.sqrt(3 / 1e6))


def test_riskquant_simple_loss():
    """Netflix riskquant SimpleLoss: frequency 0.1 a year, 90 % interval 635,000-19,000,000;
    lognormal mean 5,922,706.83 (riskquant's test value), so ALE = 592,270.68.
    400,000 years, seed 5, relative tolerance 3 %."""
    s = FairScenario(
        "rq", primary_loss=LogNormal.from_interval(635_000, 19_000_000), loss_event_frequency=0.1
    )
    res = simulate_fair(s, 400_000, rng=5)
    assert res.expected_ale_exact == pytest.approx(592_270.683351131, rel=1e-9)
    assert res.expected_ale == pytest.approx(592_270.68, rel=0.03)


def _capability_scenario(**kw):
    base = dict(
        primary_loss=PERT(20_000, 80_000, 400_000),
        threat_event_frequency=PERT(1, 4, 12),
        threat_capability=PERT(30, 50, 90),
        control_strength=PERT(40, 60, 80),
        secondary_loss_probability=PERT(0.1, 0.3, 0.6),
        secondary_loss=PERT(10_000, 50_000, 500_000),
    )
    base.update(kw)
    return FairScenario("cap", **base)


@pytest.mark.slow
def test_product_form_expected_value():
    """Open FAIR (O-RT 2.0) product form: Risk = LEF x LM, LEF = TEF x Vuln,
    LM = PL + SLEF x SLM; with independent inputs E[Risk] = E[TEF] P(TCap > CS) (E[PL] +
    E[SLEF] E[SLM]) (the relation pyfair's FairModel computes). PERT means (Vose 2008):
    TEF 29/6, PL 123,333.33, SLEF 19/60, SLM 118,333.33. P(TCap > CS) by quadrature.
    Both methods, 600,000 years, seed 11, relative tolerance 2 %."""
    tcap, cs = PERT(30, 50, 90), PERT(40, 60, 80)
    vuln, _ = integrate.quad(
        lambda x: (1 - tcap.cdf(x)) * stats.beta(cs.a, cs.b, 40, 40).pdf(x), 40, 80
    )
    exact = 29 / 6 * vuln * (740_000 / 6 + 19 / 60 * 710_000 / 6)
    s = _capability_scenario()
    assert s.expected_ale() == pytest.approx(exact, rel=1e-6)
    for method in ("product", "compound"):
        res = simulate_fair(s, 600_000, method=method, rng=11)
        assert res.expected_ale == pytest.approx(exact, rel=0.02), method


def test_product_compares_capability_and_strength_per_trial():
    """Product form: LEF is TEF in trials where TCap > CS and 0 otherwise (not a scalar average)."""
    res = simulate_fair(_capability_scenario(), 20_000, method="product", rng=1)
    lef = res.trials["loss_events"].to_numpy()
    assert (lef == 0).mean() > 0.3 and (lef > 1).mean() > 0.2


def test_control_pairing_and_rosi():
    """A stronger control (a larger PERT at every percentile) never raises any year's loss;
    ROSI = (ALE_before - ALE_after - cost) / cost (Sonnenreich et al. 2006)."""
    ctrl = FairControl("edr", 50_000, {"control_strength": PERT(50, 70, 90)})
    for method in ("compound", "product"):
        res = simulate_fair(_capability_scenario(), 50_000, method=method, controls=[ctrl], rng=2)
        before, after = res.trials["ale"], res.trials["ale_with_edr"]
        # equal up to the 1e-12-of-range accuracy of the two PERT quantile paths
        assert (after <= before + 1e-3).all()
        row = res.controls.iloc[0]
        assert row.rosi == pytest.approx((before.mean() - after.mean() - 50_000) / 50_000)
        # the baseline does not change when a control is priced
        alone = simulate_fair(_capability_scenario(), 50_000, method=method, rng=2)
        np.testing.assert_array_equal(alone.ale, res.ale)


def test_same_seed_same_numbers_and_summary():
    s = _capability_scenario()
    a, b = simulate_fair(s, 5_000, rng=9), simulate_fair(s, 5_000, rng=9)
    np.testing.assert_array_equal(a.ale, b.ale)
    assert a.seed == 9
    assert a.ale_p90 == pytest.approx(np.quantile(a.ale, 0.9), rel=1e-12)
    assert a.value_at_risk == pytest.approx(np.quantile(a.ale, 0.95), rel=1e-12)
    summary = a.summary()
    assert list(summary.columns) == ["metric", "value", "unit"]
    assert summary.set_index("metric").loc["expected_ale", "value"] == a.expected_ale


def test_appetite_breach():
    """Breach when P(ALE > loss) exceeds the appetite probability at a point. One loss event a
    year on average, X ~ PERT(100, 200, 300): P(ALE > 150) = P(N = 1) P(X > 150) + P(N >= 2)
    (two events always exceed 150). 50,000 years, seed 1, tolerance 0.01 (> 4 SE)."""
    x = PERT(100, 200, 300)
    s = FairScenario("x", primary_loss=x, loss_event_frequency=1.0)
    res = simulate_fair(s, 50_000, rng=1, appetite={150.0: 0.9, 10_000.0: 0.01})
    exact = np.exp(-1) * (1 - x.cdf(150.0)) + 1 - 2 * np.exp(-1)
    assert res.appetite["probability_exceeding"].iloc[0] == pytest.approx(exact, abs=0.01)
    assert res.appetite["breached"].tolist() == [False, False]
    res = simulate_fair(s, 50_000, rng=1, appetite={150.0: 0.3})
    assert res.appetite_breached


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.0, 40.0), seed=st.integers(0, 10_000))
def test_poisson_ppf_matches_scipy(rate, seed):
    u = np.random.default_rng(seed).random(2_000)
    want = stats.poisson.ppf(u, rate)
    np.testing.assert_array_equal(poisson_ppf(u, rate), want)
    per_year = np.full(u.size, rate) * np.linspace(0.5, 1.0, u.size)
    np.testing.assert_array_equal(poisson_ppf(u, per_year), stats.poisson.ppf(u, per_year))


def test_event_slots():
    year, pos = event_slots(np.array([0, 3, 1]))
    assert year.tolist() == [1, 1, 1, 2] and pos.tolist() == [0, 1, 2, 0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            dict(loss_event_frequency=1.0, vulnerability=1.5, threat_event_frequency=2.0),
            "0.3 for 30",
        ),
        (dict(threat_event_frequency=2.0), "exactly one frequency route"),
        (dict(loss_event_frequency=1.0, threat_event_frequency=2.0), "exactly one frequency route"),
        (dict(loss_event_frequency=-1.0), "cannot be negative"),
        (dict(loss_event_frequency=1.0, secondary_loss_probability=0.2), "secondary_loss"),
    ],
)
def test_bad_scenarios(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        FairScenario("bad", primary_loss=PERT(1, 2, 3), **kwargs)


def test_bad_control_and_method():
    with pytest.raises(ParameterError, match="Did you mean 'control_strength'"):
        FairControl("c", 1.0, {"control_strenght": PERT(1, 2, 3)})
    s = FairScenario("x", primary_loss=PERT(1, 2, 3), loss_event_frequency=2.5)  # rate > 1 ok
    with pytest.raises(ParameterError, match="method"):
        simulate_fair(s, 10, method="products")


def test_constant_capability_and_strength():
    """Constants are allowed: TCap 60 against CS PERT(40, 60, 80) (symmetric) succeeds in half
    the years, so E[ALE] = 2 x 0.5 x 100 = 100 in both forms. 200,000 years, seed 4, 2 %."""
    s = FairScenario("k", primary_loss=100.0, threat_event_frequency=2.0, threat_capability=60.0,
                     control_strength=PERT(40, 60, 80))  # fmt: skip
    assert s.expected_ale() == pytest.approx(100.0, rel=1e-9)
    for method in ("compound", "product"):
        assert simulate_fair(s, 200_000, method=method, rng=4).expected_ale == pytest.approx(
            100.0, rel=0.02
        )
