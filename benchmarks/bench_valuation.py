"""Benchmark: vectorised IRR / XIRR of cio_analytics.valuation against peer libraries.

Data (fixed seed 2026, built once):
* 1,000,000 scenarios x 10 periodic flows: an outlay of 800-1,200 at period 0, then nine
  positive lognormal inflows (median 150); 2 % of rows are failed projects (inflows turned
  into small outflows: no sign change) and 1 % carry a decommissioning cost in the last
  period (two sign changes, usually two roots).
* 100,000 scenarios x 12 dated flows: per-row dates (an outlay, then 11 flows on sorted
  random days within three years), the same mix of rows.

Peers called once per row (numpy-financial ``irr``, pyxirr ``irr``/``xirr``; pyxirr has no
batch API for irr/xirr: a 2-D array is refused) are timed on a subsample of rows (2,000;
500 for numpy-financial) and scaled per row to the full size, in rounds alternating with our
timing (medians of 5); scipy's ``optimize.newton`` runs vectorised on every row, once.
Answers are compared on every row that both solve (|difference| <= 1e-9 counts as equal).
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from _common import Row, peak_memory, print_table

from cio_analytics.valuation import irr, xirr

SEED = 2026
N_PERIODIC, N_DATED, N_SAMPLE = 1_000_000, 100_000, 2_000
TOL = 1e-9
ROUNDS = 5


def _flows(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    v = np.empty((m, n))
    v[:, 0] = -rng.uniform(800, 1200, m)
    v[:, 1:] = rng.lognormal(np.log(150), 0.5, (m, n - 1))
    failed = rng.random(m) < 0.02
    v[failed, 1:] *= -0.1
    decommission = rng.random(m) < 0.01
    v[decommission, -1] = -rng.uniform(100, 300, decommission.sum())
    return v


def _dates(rng: np.random.Generator, m: int, n: int) -> np.ndarray:
    start = np.datetime64("2026-01-01") + rng.integers(0, 365, m)
    offsets = np.sort(rng.integers(1, 3 * 365, (m, n - 1)), axis=1)
    days = np.concatenate([np.zeros((m, 1), dtype=np.int64), offsets], axis=1)
    return start[:, None] + days.astype("timedelta64[D]")


def _per_row_time(fn, rows) -> float:
    """Seconds per row of ``fn(row)`` over the subsample (one pass after a warm-up)."""
    for r in rows[:50]:
        fn(r)
    start = time.perf_counter()
    for r in rows:
        fn(r)
    return (time.perf_counter() - start) / len(rows)


def _interleaved(ours, peers: dict, rounds: int = ROUNDS) -> tuple[float, dict]:
    """Median seconds of ``ours()`` and of each peer, measured in alternating rounds.

    The machine is shared: alternating the measurements exposes ours and the peers to the
    same background load, so their ratio is steadier than timings taken minutes apart.
    """
    ours()
    mine, theirs = [], {k: [] for k in peers}
    for _ in range(rounds):
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
        for k, fn in peers.items():
            theirs[k].append(fn())
    return statistics.median(mine), {k: statistics.median(v) for k, v in theirs.items()}


def _mismatches(ours: np.ndarray, theirs: np.ndarray) -> tuple[int, int, float]:
    both = np.isfinite(ours) & np.isfinite(theirs)
    diff = np.abs(ours[both] - theirs[both])
    return int(both.sum()), int((diff > TOL).sum()), float(diff.max(initial=0.0))


def _safe(fn):
    def call(*args):
        try:
            out = fn(*args)
        except Exception:
            return np.nan
        return np.nan if out is None else float(out)

    return call


def _scipy_newton(f, fprime, m: int) -> np.ndarray:
    from scipy.optimize import newton

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            r = newton(f, np.full(m, 0.1), fprime=fprime, maxiter=100, tol=1e-12, disp=False)
    r = np.asarray(r, dtype=float)
    return np.where(r > -1, r, np.nan)


def _report_accuracy(label: str, ours: np.ndarray, theirs: np.ndarray, several: np.ndarray) -> None:
    n_both, n_bad, _ = _mismatches(ours, theirs)
    _, bad_single, worst_single = _mismatches(ours[~several], theirs[~several])
    print(
        f"  {label:<34} both solve {n_both:>9,}  mismatches > 1e-9: {n_bad:>6,} "
        f"(of which on single-root rows: {bad_single:,}; max |diff| there {worst_single:.1e})"
    )


def bench_periodic(rows: list[Row]) -> None:
    import numpy_financial as npf
    import pyxirr

    rng = np.random.default_rng(SEED)
    v = _flows(rng, N_PERIODIC, 10)
    m, n = v.shape
    res = irr(v, full_output=True)
    print(res.summary().to_string(index=False))
    sample = v[:: m // N_SAMPLE][:N_SAMPLE]
    ours_s, peer = _interleaved(
        lambda: irr(v),
        {
            "npf": lambda: _per_row_time(_safe(npf.irr), sample[:500]) * m,
            "pyxirr": lambda: _per_row_time(_safe(pyxirr.irr), sample) * m,
        },
    )
    npf_s, pyx_s = peer["npf"], peer["pyxirr"]
    t = np.arange(n, dtype=float)

    def f(r):
        return (v * (1 + r[:, None]) ** -t).sum(axis=1)

    def fp(r):
        return (-t * v * (1 + r[:, None]) ** (-t - 1)).sum(axis=1)

    start = time.perf_counter()
    sp = _scipy_newton(f, fp, m)
    sp_s = time.perf_counter() - start
    rows += [
        Row("irr 1e6 x 10 (per-row peers scaled)", ours_s, "numpy_financial.irr/row", npf_s, 100),
        Row("irr 1e6 x 10 (per-row peers scaled)", ours_s, "pyxirr.irr/row", pyx_s, 5),
        Row("irr 1e6 x 10", ours_s, "scipy newton vectorised", sp_s, None),
    ]
    ours = np.asarray(res.rate)
    several = np.asarray(res.status) == "several roots"
    idx = np.arange(0, m, m // N_SAMPLE)[:N_SAMPLE]
    print(f"accuracy, periodic ({N_SAMPLE:,}-row subsample for per-row peers):")
    _report_accuracy("vs numpy_financial.irr", ours[idx], _apply(npf.irr, sample), several[idx])
    _report_accuracy("vs pyxirr.irr", ours[idx], _apply(pyxirr.irr, sample), several[idx])
    _report_accuracy("vs scipy newton (all rows)", ours, sp, several)
    peak = peak_memory(lambda: irr(v))
    print(f"  peak traced memory of irr: {peak / 1e6:,.0f} MB = {peak / v.nbytes:.2f}x the input")


def _apply(fn, sample) -> np.ndarray:
    return np.array([_safe(fn)(r) for r in sample])


def bench_dated(rows: list[Row]) -> None:
    import pyxirr

    rng = np.random.default_rng(SEED + 1)
    v = _flows(rng, N_DATED, 12)
    d = _dates(rng, N_DATED, 12)
    m = len(v)
    res = xirr(v, d, full_output=True)
    print(res.summary().to_string(index=False))
    step = m // N_SAMPLE
    idx = np.arange(0, m, step)[:N_SAMPLE]
    pairs = list(zip(d[idx], v[idx], strict=True))
    pyx = _safe(lambda p: pyxirr.xirr(p[0], p[1]))
    ours_s, peer = _interleaved(
        lambda: xirr(v, d), {"pyxirr": lambda: _per_row_time(pyx, pairs) * m}
    )
    pyx_s = peer["pyxirr"]
    t = (d - d.min(axis=1, keepdims=True)).astype(float) / 365.0

    def f(r):
        return (v * (1 + r[:, None]) ** -t).sum(axis=1)

    def fp(r):
        return (-t * v * (1 + r[:, None]) ** (-t - 1)).sum(axis=1)

    start = time.perf_counter()
    sp = _scipy_newton(f, fp, m)
    sp_s = time.perf_counter() - start
    rows += [
        Row("xirr 1e5 x 12 (per-row peer scaled)", ours_s, "pyxirr.xirr/row", pyx_s, 5),
        Row("xirr 1e5 x 12", ours_s, "scipy newton vectorised", sp_s, None),
    ]
    ours = np.asarray(res.rate)
    several = np.asarray(res.status) == "several roots"
    print(f"accuracy, dated ({N_SAMPLE:,}-row subsample for pyxirr):")
    theirs = np.array([pyx(p) for p in pairs])
    _report_accuracy("vs pyxirr.xirr", ours[idx], theirs, several[idx])
    _report_accuracy("vs scipy newton (all rows)", ours, sp, several)
    peak = peak_memory(lambda: xirr(v, d))
    size = v.nbytes + d.nbytes
    print(f"  peak traced memory of xirr: {peak / 1e6:,.0f} MB = {peak / size:.2f}x the input")


def main() -> None:
    rows: list[Row] = []
    print(
        f"seed {SEED}; per-row peers timed on {N_SAMPLE:,} rows (numpy-financial: 500) and "
        f"scaled per row to the full size; medians of {ROUNDS} alternating rounds"
    )
    bench_periodic(rows)
    bench_dated(rows)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
