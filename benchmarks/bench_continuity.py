"""Continuity benchmark: k-of-n availability and the outage Monte Carlo against plain loops.

Run with ``.venv-bench/bin/python benchmarks/run.py continuity``. No peer library in the bench
environment models block-structured service availability, so the references are the direct
implementations a user would otherwise write: the binomial / Poisson-binomial by enumerating
states per scenario, and the outage simulation with a Python loop per simulated year
(``numpy`` Poisson and restore draws per year). Answers are compared before timing.
"""

from __future__ import annotations

import itertools

import numpy as np
from _common import Row, median_time, print_table

from cio_analytics.continuity import ServiceModel, k_of_n_availability, simulate_outages
from cio_analytics.io import read_service_structure

SEED = 2026


def enumerate_k_of_n(p: np.ndarray, k: int) -> np.ndarray:
    states = np.array(list(itertools.product([0, 1], repeat=p.shape[1])), dtype=bool)
    up = states.sum(axis=1) >= k
    out = np.empty(p.shape[0])
    for i, row in enumerate(p):  # one scenario at a time
        out[i] = np.where(states, row, 1 - row).prod(axis=1)[up].sum()
    return out


def loop_outages(model, n_trials: int) -> np.ndarray:
    """Annual downtime with a Python loop per year (same rates and restore distributions)."""
    from cio_analytics.continuity import service_availability

    birn = service_availability(model).components["birnbaum"].to_numpy()
    rng = np.random.default_rng(SEED)
    out = np.zeros(n_trials)
    for t in range(n_trials):
        total = 0.0
        for comp, b in zip(model.components, birn, strict=True):
            n = rng.poisson(comp.failures_per_year * b)
            if n:
                r = comp.restore_h
                total += n * r if isinstance(r, float) else float(r.ppf(rng.random(n)).sum())
        out[t] = total
    return out


def main() -> None:
    rows = []
    rng = np.random.default_rng(SEED)
    p = rng.uniform(0.95, 1.0, size=(10_000, 10))
    ours = k_of_n_availability(p, 7)
    np.testing.assert_allclose(ours[:200], enumerate_k_of_n(p[:200], 7), atol=1e-13, rtol=0)
    t_ours = median_time(lambda: k_of_n_availability(p, 7))
    t_ref = median_time(lambda: enumerate_k_of_n(p, 7), repeats=1, warmup=0)
    rows.append(
        Row(
            "7-of-10, 10,000 scenarios (non-identical)",
            t_ours,
            "state enumeration loop",
            t_ref,
            None,
        )
    )

    model = ServiceModel.from_spec(
        read_service_structure("data/sample/continuity/online_ordering.yaml")
    )
    res = simulate_outages(model, n_trials=100_000, rng=SEED)
    ref = loop_outages(model, 20_000)
    print(f"mean downtime h/year: ours {res.mean_downtime_h:.3f}, loop {ref.mean():.3f}, "
          f"analytic {res.expected_downtime_h:.3f}")  # fmt: skip
    t_ours = median_time(lambda: simulate_outages(model, n_trials=100_000, rng=SEED), repeats=3)
    t_ref = 5 * median_time(lambda: loop_outages(model, 20_000), repeats=1, warmup=0)
    rows.append(
        Row(
            "outages, 12 components, 100,000 years",
            t_ours,
            "loop per year (x5 of 20k)",
            t_ref,
            None,
        )
    )
    t_m = median_time(lambda: simulate_outages(model, n_trials=1_000_000, rng=SEED), repeats=1)
    rows.append(Row("outages, 1,000,000 years", t_m, "-", float("nan"), None))
    print_table(rows)


if __name__ == "__main__":
    main()
