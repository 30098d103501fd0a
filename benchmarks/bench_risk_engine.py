"""Monte Carlo engine: 20-input PERT cost model against chaospy, monaco and a bare numpy draw.

Task: cost = sum of PERT(100+i, 150+2i, 300+5i), i = 0..19 (each a Beta(2, 4) on its range),
pairwise Spearman 0.3, 100,000 Latin hypercube trials, then the Spearman tornado.

Peers, in the same process run:
* chaospy: ``J(*[Beta(2, 4, lower, upper)]).sample(100_000, rule="latin_hypercube")``, sampling
  only (chaospy has no rank-correlation or tornado), i.e. less work than ours.
* monaco: its own ``Sim`` (latin hypercube, scipy ``beta`` inputs, the same model per case,
  no correlation), timed on 2,000 cases and scaled linearly to 100,000 (monaco runs Python
  per case, so its time is linear in the case count); ``calcSensitivities`` not included.
* numpy: ``rng.beta(2, 4, n)`` scaled, 20 times, summed: the floor for plain Monte Carlo.

Sobol' indices: the Ishigami function (a = 7, b = 0.1) at N = 2^14 base rows, first-order and
total indices with 100 bootstrap resamples: our ``sobol_indices`` against SALib's
``sample.sobol.sample`` + the same vectorised model + ``analyze.sobol.analyze`` (no second order,
``num_resamples=100``), both timed end to end in the same run; the indices are printed side by
side.

Our timings clear the PERT inverse-CDF table cache before every repeat (cold), so the one-off
table build for each distinct (alpha, beta) is included.

Against chaospy the cost model is timed in alternation (5 rounds of 3 runs of ours then one
of chaospy, medians), in wall time and in process CPU time, and both ratios are printed with
the load average: on a shared, loaded machine the CPU ratio is the steadier of the two.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
import pandas as pd
from _common import Row, median_time, print_table
from scipy import special

from cio_analytics.risk import PERT, Uniform, simulate, sobol_indices
from cio_analytics.risk._beta_ppf import beta_ppf, clear_cache

N_TRIALS = 100_000
N_INPUTS = 20
MONACO_CASES = 2_000
SOBOL_N = 2**14
SOBOL_RESAMPLES = 100
ISHIGAMI = {n: Uniform(-np.pi, np.pi) for n in ("x1", "x2", "x3")}


def _inputs() -> dict[str, PERT]:
    return {f"x{i:02d}": PERT(100 + i, 150 + 2 * i, 300 + 5 * i) for i in range(N_INPUTS)}


def _correlation(names: list[str]) -> pd.DataFrame:
    m = np.full((len(names), len(names)), 0.3)
    np.fill_diagonal(m, 1.0)
    return pd.DataFrame(m, index=names, columns=names)


def _cost(**x: np.ndarray) -> np.ndarray:
    return sum(x.values())


def ours_lhs_correlated_with_tornado() -> None:
    clear_cache()
    inputs = _inputs()
    res = simulate(_cost, inputs, N_TRIALS, correlation=_correlation(list(inputs)), rng=1)
    res.sensitivity()


def _ishigami(x1: np.ndarray, x2: np.ndarray, x3: np.ndarray) -> np.ndarray:
    return np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)


def ours_sobol():
    return sobol_indices(_ishigami, ISHIGAMI, SOBOL_N, rng=1, n_bootstrap=SOBOL_RESAMPLES)


def _salib_fn():
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    problem = {"num_vars": 3, "names": list(ISHIGAMI), "bounds": [[-np.pi, np.pi]] * 3}

    def run():
        x = salib_sample.sample(problem, SOBOL_N, calc_second_order=False, seed=1)
        y = _ishigami(x[:, 0], x[:, 1], x[:, 2])
        return salib_analyze.analyze(
            problem, y, calc_second_order=False, num_resamples=SOBOL_RESAMPLES, seed=1
        )

    return run


def sobol_rows() -> list[Row]:
    """Ishigami Sobol' indices, ours vs SALib, and the indices side by side."""
    try:
        salib = _salib_fn()
    except ImportError as exc:  # pragma: no cover - bench env only
        print(f"SALib unavailable: {exc}")
        return []
    ours = median_time(ours_sobol, repeats=5)
    theirs = median_time(salib, repeats=5)
    mine, ref = ours_sobol().indices, salib()
    print(
        f"Ishigami N=2^{int(np.log2(SOBOL_N))}: exact S1 0.3139 0.4424 0; ST 0.5576 0.4424 0.2437"
    )
    for key in ("S1", "ST"):
        print(
            f"  {key}: ours {' '.join(f'{v:.4f}' for v in mine[key])} | "
            f"SALib {' '.join(f'{v:.4f}' for v in ref[key])}"
        )
    print(f"  Sobol' ratio SALib / ours: {theirs / ours:.2f}x")
    return [
        Row("Ishigami Sobol' S1+ST, N=2^14, 100 boots", ours, "SALib sample+analyze", theirs, 1)
    ]


ROUNDS = 5
OURS_PER_ROUND = 3


def _interleaved(ours_fn, peer_fn) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median wall and CPU seconds of ours and a peer, measured in alternation.

    Each round runs ours ``OURS_PER_ROUND`` times then the peer once, so both see the same
    load on a shared machine (timing one after the other lets a change of load between the
    two blocks decide the ratio). Returns ``((ours_wall, ours_cpu), (peer_wall, peer_cpu))``.
    """
    ours_fn(), peer_fn()  # warm-up
    ours, peer = [], []
    for _ in range(ROUNDS):
        for fn, acc, repeats in ((ours_fn, ours, OURS_PER_ROUND), (peer_fn, peer, 1)):
            for _ in range(repeats):
                cpu, wall = time.process_time(), time.perf_counter()
                fn()
                acc.append((time.perf_counter() - wall, time.process_time() - cpu))
    med = statistics.median
    return (
        (med(w for w, _ in ours), med(c for _, c in ours)),
        (med(w for w, _ in peer), med(c for _, c in peer)),
    )


def ours_mc() -> None:
    simulate(_cost, _inputs(), N_TRIALS, method="mc", rng=1)


def numpy_bare() -> None:
    rng = np.random.default_rng(1)
    total = np.zeros(N_TRIALS)
    for i in range(N_INPUTS):
        total += 100 + i + (200 + 4 * i) * rng.beta(2.0, 4.0, N_TRIALS)


def _chaospy_fn():
    import chaospy

    dists = [chaospy.Beta(2.0, 4.0, lower=100 + i, upper=300 + 5 * i) for i in range(N_INPUTS)]
    joint = chaospy.J(*dists)

    def run() -> None:
        joint.sample(N_TRIALS, rule="latin_hypercube", seed=1)

    return run


def _monaco_fn(n_cases: int):
    import monaco
    from scipy.stats import beta

    names = list(_inputs())

    def preprocess(case):
        return tuple(case.invals[n].val for n in names)

    def run(*vals):
        return (sum(vals),)

    def postprocess(case, cost):
        case.addOutVal("cost", cost)

    fcns = {
        monaco.SimFunctions.PREPROCESS: preprocess,
        monaco.SimFunctions.RUN: run,
        monaco.SimFunctions.POSTPROCESS: postprocess,
    }

    def go() -> None:
        sim = monaco.Sim(
            "bench", n_cases, fcns, samplemethod=monaco.SampleMethod.LATIN_HYPERCUBE,
            seed=1, singlethreaded=True, verbose=False,
        )  # fmt: skip
        for i, n in enumerate(names):
            sim.addInVar(n, dist=beta, distkwargs={"a": 2.0, "b": 4.0, "loc": 100 + i,
                                                    "scale": 200 + 4 * i})  # fmt: skip
        sim.runSim()

    return go


def main() -> None:
    rows: list[Row] = []
    ours = median_time(ours_lhs_correlated_with_tornado, repeats=5)
    warm = median_time(
        lambda: simulate(_cost, _inputs(), N_TRIALS, correlation=_correlation(list(_inputs())),
                         rng=1).sensitivity(),
        repeats=5,
    )  # fmt: skip
    print(f"ours, LHS + correlation + tornado: cold {ours:.4f} s, warm table cache {warm:.4f} s")
    try:
        chaos_fn = _chaospy_fn()
        load = os.getloadavg()[0]
        (ours_w, ours_cpu), (chaos, chaos_cpu) = _interleaved(
            ours_lhs_correlated_with_tornado, chaos_fn
        )
        load = max(load, os.getloadavg()[0])
        rows.append(
            Row("20 PERT, 1e5 LHS (+corr, tornado)", ours_w, "chaospy LHS sample", chaos, 10)
        )
        print(
            f"  cost-model ratio chaospy LHS / ours, wall: {chaos:.3f} / {ours_w:.3f} s = "
            f"{chaos / ours_w:.2f}x (target 10x)\n"
            f"  same, process CPU time: {chaos_cpu:.3f} / {ours_cpu:.3f} s = "
            f"{chaos_cpu / ours_cpu:.2f}x (target 10x; less sensitive to other jobs)\n"
            f"  (medians of {ROUNDS} rounds, each {OURS_PER_ROUND} runs of ours then one of "
            f"chaospy; 1-minute load average up to {load:.1f} on {os.cpu_count()} CPUs)"
        )
    except ImportError as exc:  # pragma: no cover - bench env only
        print(f"chaospy unavailable: {exc}")
    try:
        go = _monaco_fn(MONACO_CASES)
        start = time.perf_counter()
        go()
        mono = (time.perf_counter() - start) * N_TRIALS / MONACO_CASES
        print(f"monaco: {MONACO_CASES} cases timed once, scaled x{N_TRIALS // MONACO_CASES}")
        rows.append(Row("20 PERT, 1e5 LHS (+corr, tornado)", ours, "monaco Sim (scaled)", mono, 30))
    except ImportError as exc:  # pragma: no cover - bench env only
        print(f"monaco unavailable: {exc}")
    q = np.random.default_rng(0).random(N_TRIALS)

    def ppf_cold() -> None:
        clear_cache()
        beta_ppf(q, 2.0, 4.0)

    rows.append(
        Row("Beta(2,4) inverse CDF, 1e5 values (cold)", median_time(ppf_cold), "scipy betaincinv",
            median_time(lambda: special.betaincinv(2.0, 4.0, q)), None)
    )  # fmt: skip
    rows.append(
        Row("Beta(2,4) inverse CDF, 1e5 values (warm)", median_time(lambda: beta_ppf(q, 2.0, 4.0)),
            "scipy betaincinv", median_time(lambda: special.betaincinv(2.0, 4.0, q)), None)
    )  # fmt: skip
    mc = median_time(ours_mc, repeats=5)
    bare = median_time(numpy_bare, repeats=5)
    rows.append(Row("20 PERT, 1e5 plain MC simulate()", mc, "bare numpy rng.beta x20", bare, 0.5))
    rows.extend(sobol_rows())
    print_table(rows)
    print("(target 0.5x on the last row = 'within 2x of the bare numpy draw')")


if __name__ == "__main__":
    main()
