"""Sourcing: offer TCO Monte Carlo, tiered charges, weight Monte Carlo, against peers and loops.

* Offer TCO: 3 offers (tiered, escalation, exit), 5 uncertain years, 100,000 LHS trials with
  year correlation, PV per trial. Peers: monaco ``Sim`` running the same per-case pricing
  (timed on 2,000 cases, scaled linearly), and a per-trial loop pricing each trial with
  ``numpy_financial.npv`` (the way a spreadsheet-style script would).
* Tiered charge of 1,000,000 volumes: ours vs a pure-Python per-volume loop (no peer library
  prices tiers).
* Rank acceptability (SMAA-2): 4 criteria, 3 offers, 100,000 Dirichlet weight draws: ours vs a
  per-draw Python loop.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from _common import Row, median_time, print_table

from cio_analytics.sourcing import Offer, TierSchedule, compare_offers, score_offers, tiered_cost

N_TRIALS = 100_000
MONACO_CASES = 2_000
LOOP_TRIALS = 5_000
RATE = 0.08

OFFERS = [
    Offer("A", one_off=250e3, recurring=300e3, escalation=0.03, exit_cost=150e3,
          committed_volume=110e3, tiers=TierSchedule([0, 120e3, 170e3], [11.0, 9.0, 7.5])),
    Offer("B", one_off=200e3, recurring=250e3, escalation=0.025, exit_cost=120e3,
          committed_volume=100e3,
          tiers=TierSchedule([0, 100e3, 150e3, 200e3], [12.0, 10.8, 10.4, 9.8], "all_units")),
    Offer("C", recurring=450e3, escalation=0.04, exit_cost=100e3, committed_volume=130e3,
          tiers=TierSchedule([0, 150e3], [10.0, 8.5])),
]  # fmt: skip
FORECAST = pd.DataFrame(
    {
        "year": [1, 2, 3, 4, 5],
        "low": [135e3, 136e3, 137e3, 138e3, 139e3],
        "likely": [150e3, 155e3, 160e3, 165e3, 170e3],
        "high": [172e3, 182e3, 192e3, 203e3, 215e3],
    }
)


def ours_tco() -> None:
    compare_offers(OFFERS, FORECAST, discount_rate=RATE, n_trials=N_TRIALS, rng=1)


def _price_one(offer: Offer, volumes) -> list[float]:
    flows = [offer.one_off]
    for t, v in enumerate(volumes):
        g = (1 + offer.escalation) ** t
        billed = max(v, offer.committed_volume)
        starts, prices = offer.tiers.from_volume, offer.tiers.unit_price
        if offer.tiers.scheme == "all_units":
            k = max(i for i, s in enumerate(starts) if s <= billed)
            charge = prices[k] * billed
        else:
            ends = [*list(starts[1:]), float("inf")]
            charge = sum(
                p * max(0.0, min(billed, e) - s)
                for s, e, p in zip(starts, ends, prices, strict=False)
            )
        flows.append((offer.recurring + charge) * g)
    flows[-1] += offer.exit_cost
    return flows


def loop_npf(n: int):
    import numpy_financial as npf

    rng = np.random.default_rng(1)
    v = rng.uniform(135e3, 215e3, size=(n, 5))

    def go() -> None:
        for row in v:
            for o in OFFERS:
                npf.npv(RATE, _price_one(o, row))

    return go


def monaco_fn(n_cases: int):
    import monaco
    from scipy.stats import beta

    names = [f"volume_y{t}" for t in range(1, 6)]

    def preprocess(case):
        return ([case.invals[n].val for n in names],)

    def run(volumes):
        return tuple(
            sum(f / (1 + RATE) ** t for t, f in enumerate(_price_one(o, volumes))) for o in OFFERS
        )

    def postprocess(case, *pvs):
        for o, pv in zip(OFFERS, pvs, strict=False):
            case.addOutVal(o.name, pv)

    fcns = {
        monaco.SimFunctions.PREPROCESS: preprocess,
        monaco.SimFunctions.RUN: run,
        monaco.SimFunctions.POSTPROCESS: postprocess,
    }

    def go() -> None:
        sim = monaco.Sim("bench", n_cases, fcns, samplemethod=monaco.SampleMethod.LATIN_HYPERCUBE,
                         seed=1, singlethreaded=True, verbose=False)  # fmt: skip
        for row in FORECAST.itertuples():
            a = 1 + 4 * (row.likely - row.low) / (row.high - row.low)
            b = 1 + 4 * (row.high - row.likely) / (row.high - row.low)
            sim.addInVar(
                f"volume_y{row.year}",
                dist=beta,
                distkwargs={"a": a, "b": b, "loc": row.low, "scale": row.high - row.low},
            )
        sim.runSim()

    return go


def main() -> None:
    rows: list[Row] = []
    ours = median_time(ours_tco, repeats=3)
    print(f"ours: compare_offers, 3 offers x 5 years x {N_TRIALS:,} trials: {ours:.3f} s")
    start = time.perf_counter()
    loop_npf(LOOP_TRIALS)()
    loop = (time.perf_counter() - start) * N_TRIALS / LOOP_TRIALS
    print(
        f"per-trial loop with numpy_financial.npv: {LOOP_TRIALS:,} trials, scaled x{N_TRIALS // LOOP_TRIALS}"
    )
    rows.append(Row("offer TCO 3x5y, 1e5 trials", ours, "loop + numpy_financial.npv", loop, 30))
    try:
        go = monaco_fn(MONACO_CASES)
        start = time.perf_counter()
        go()
        mono = (time.perf_counter() - start) * N_TRIALS / MONACO_CASES
        print(f"monaco: {MONACO_CASES:,} cases timed once, scaled x{N_TRIALS // MONACO_CASES}")
        rows.append(Row("offer TCO 3x5y, 1e5 trials", ours, "monaco Sim (scaled)", mono, 30))
    except ImportError as exc:  # pragma: no cover - bench env only
        print(f"monaco unavailable: {exc}")

    vols = np.random.default_rng(2).uniform(0, 3e5, 1_000_000)
    starts, prices = [0, 1e5, 1.5e5, 2e5], [12.0, 10.8, 10.4, 9.8]
    t_ours = median_time(lambda: tiered_cost(vols, starts, prices), repeats=5)
    t_au = median_time(lambda: tiered_cost(vols, starts, prices, scheme="all_units"), repeats=5)
    sub = vols[:100_000].tolist()
    ends = [*starts[1:], float("inf")]
    start = time.perf_counter()
    for v in sub:
        sum(p * max(0.0, min(v, e) - s) for s, e, p in zip(starts, ends, prices, strict=False))
    t_loop = (time.perf_counter() - start) * 10
    rows.append(Row("graduated charge, 1e6 volumes", t_ours, "Python loop (scaled)", t_loop, 20))
    print(f"all-units charge, 1e6 volumes: {t_au:.4f} s")

    values = pd.DataFrame(
        {"price": [8.74e6, 8.38e6, 8.86e6], "quality": [4.3, 4.0, 3.6],
         "risk": [2.5, 2.5, 1.5], "fit": [3.5, 4.0, 3.5]}, index=["A", "B", "C"],
    )  # fmt: skip
    crit = pd.DataFrame({"criterion": ["price", "quality", "risk", "fit"],
                         "weight": [0.4, 0.3, 0.15, 0.15],
                         "direction": ["lower", "higher", "lower", "higher"],
                         "method": ["ratio", "scale", "scale", "scale"],
                         "scale_min": [np.nan, 1, 1, 1], "scale_max": [np.nan, 5, 5, 5]})  # fmt: skip
    t_smaa = median_time(lambda: score_offers(values, crit, n_trials=100_000, rng=1), repeats=3)
    u = score_offers(values, crit, n_trials=0).utilities.to_numpy()
    w = np.random.default_rng(1).dirichlet(np.ones(4), size=10_000)
    start = time.perf_counter()
    counts = np.zeros((3, 3))
    for wi in w:
        s = [float(np.dot(ui, wi)) for ui in u]
        for r, i in enumerate(sorted(range(3), key=lambda k: -s[k])):
            counts[i, r] += 1
    t_smaa_loop = (time.perf_counter() - start) * 10
    rows.append(Row("SMAA 3 offers x 4 criteria, 1e5 draws", t_smaa, "per-draw loop (scaled)",
                    t_smaa_loop, 20))  # fmt: skip
    print_table(rows)


if __name__ == "__main__":
    main()
