"""simulate_until: the sd and percentiles as convergence targets, @RISK's test-every-N rule."""

from __future__ import annotations

import math

import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.risk import Exponential, Normal, simulate, simulate_until
from cio_analytics.risk.results import precision_of


def _identity(x):
    return x


def test_sd_target_normal():
    """Normal(100, 10): se(s) = sigma / sqrt(2 n), so n ~ (1.96 * 10 / 0.2)^2 / 2 = 4,802."""
    res = simulate_until(_identity, {"x": Normal(100, 10)}, statistic="sd", abs_tol=0.2,
                         block_size=1_000, rng=4)  # fmt: skip
    p = res.precision
    assert p["met"] and p["statistic"] == "sd"
    assert p["estimate"] == pytest.approx(10, abs=0.5)
    assert p["n_trials"] == res.n_trials >= 0.8 * 4_802
    assert p["half_width"] <= 0.2


def test_sd_half_width_uses_the_kurtosis():
    """Exp(1): Var(s^2) ~ (mu4 - sigma^4) / n = 8 / n, so se(s) = sqrt(2 / n), twice the
    normal-theory sqrt(1 / (2n)) (delta method; Kendall & Stuart, 10.5)."""
    res = simulate(_identity, {"x": Exponential(1.0)}, 200_000, method="mc", rng=3)
    est, half = precision_of(res, "sd", None, 0.95)
    assert est == pytest.approx(1.0, abs=0.01)
    assert half / 1.959964 == pytest.approx(math.sqrt(2 / 200_000), rel=0.15)


def test_percentile_as_text_or_number():
    inputs = {"x": Normal(0, 1)}
    res = simulate(_identity, inputs, 20_000, rng=1)
    assert precision_of(res, "P90", None, 0.95) == precision_of(res, 0.9, None, 0.95)
    run = simulate_until(_identity, inputs, statistic="P95", abs_tol=0.05, rng=2)
    assert run.precision["met"] and run.precision["estimate"] == pytest.approx(1.645, abs=0.05)


def test_check_every_stops_at_the_first_test_that_meets():
    """@RISK's rule: test every N trials; the run before the last one did not meet the target."""
    inputs = {"x": Normal(100, 10)}
    kw = {"statistic": "mean", "abs_tol": 0.5, "rng": 9, "block_size": 500}
    res = simulate_until(_identity, inputs, check_every=1_000, **kw)
    p = res.precision
    assert p["met"] and res.n_trials % 1_000 == 0
    assert p["n_checks"] == res.n_trials // 1_000
    previous = simulate(_identity, inputs, res.n_trials - 1_000, rng=9, block_size=500)
    assert precision_of(previous, "mean", None, 0.95)[1] > 0.5
    # the blocks are deterministic: the final run equals a plain simulate with that count
    plain = simulate(_identity, inputs, res.n_trials, rng=9, block_size=500)
    assert plain.mean() == res.mean()


def test_check_every_rounds_to_whole_blocks_and_respects_max_trials():
    res = simulate_until(_identity, {"x": Normal(0, 1)}, abs_tol=1e-4, max_trials=3_000,
                         block_size=1_000, check_every=1_500, rng=1)  # fmt: skip
    assert not res.precision["met"]
    assert res.n_trials == 3_000 and res.precision["n_checks"] == 2


def test_unknown_statistic_refused():
    with pytest.raises(ParameterError, match="'mean', 'sd', or a percentile"):
        simulate_until(_identity, {"x": Normal(0, 1)}, statistic="median", abs_tol=0.1, rng=1)
    with pytest.raises(ParameterError, match="check_every"):
        simulate_until(_identity, {"x": Normal(0, 1)}, abs_tol=0.1, check_every=0, rng=1)
