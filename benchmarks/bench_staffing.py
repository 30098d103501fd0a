"""Staffing benchmark: a week of 20 queues x 336 half hours, ours in one call vs pyworkforce.

Run with ``.venv-bench/bin/python benchmarks/run.py staffing``. Prints medians and ratios:
our ``required_agents`` (one vectorised call) against ``pyworkforce.queuing.ErlangC(...)
.required_positions(...)`` in a Python loop, the answers compared interval by interval; a
large queue (5,000 calls per 30 min, 300 s handle time, 80/20); Erlang A for the whole week.
"""

from __future__ import annotations

import time

import numpy as np
from _common import Row, median_time, print_table

from cio_analytics.staffing import required_agents, staffing_requirement

SEED = 2026
SL, ANSWER_S, MAX_OCC, INTERVAL_S = 0.8, 20.0, 0.85, 1800.0


def week_forecast(seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Calls per half hour (336 x 20) and handle time per queue (1 x 20), fixed seed.

    Intraday double-peak profile 07:00-20:00, quieter weekends, empty nights (zero calls),
    queue sizes from about 10 to 900 calls in the peak half hour, Poisson noise.
    """
    rng = np.random.default_rng(seed)
    slot = np.arange(48)
    hour = slot / 2.0
    intraday = np.exp(-0.5 * ((hour - 10.5) / 1.8) ** 2) + 0.8 * np.exp(
        -0.5 * ((hour - 15) / 2.0) ** 2
    )
    intraday = np.where((hour >= 7) & (hour < 20), intraday, 0.0)
    weekday = np.array([1.1, 1.0, 0.95, 0.95, 0.9, 0.45, 0.3])
    profile = (weekday[:, None] * intraday[None, :]).ravel()  # 336
    peak = np.exp(rng.uniform(np.log(10), np.log(900), size=20))
    calls = rng.poisson(profile[:, None] * peak[None, :]).astype(float)
    aht = rng.uniform(180, 600, size=(1, 20)).round()
    return calls, aht


def pyworkforce_loop(calls: np.ndarray, aht: np.ndarray) -> tuple[np.ndarray, int]:
    from pyworkforce.queuing import ErlangC

    out = np.zeros(calls.shape, dtype=np.int64)
    n_failed = 0
    for (i, j), c in np.ndenumerate(calls):
        try:
            e = ErlangC(transactions=c, aht=aht[0, j] / 60, asa=ANSWER_S / 60, interval=30)
            out[i, j] = e.required_positions(service_level=SL, max_occupancy=MAX_OCC)[
                "raw_positions"
            ]
        except ValueError:  # pyworkforce refuses transactions <= 0 (empty intervals)
            n_failed += 1
            out[i, j] = 0
    return out, n_failed


def ours(calls: np.ndarray, aht: np.ndarray) -> np.ndarray:
    return required_agents(calls, INTERVAL_S, aht, target_service_level=SL,
                           answer_time_s=ANSWER_S, max_occupancy=MAX_OCC)  # fmt: skip


def main() -> None:
    calls, aht = week_forecast()
    n_empty = int((calls == 0).sum())
    print(f"week: {calls.size} intervals (20 queues x 336), {n_empty} empty, "
          f"{calls.sum():,.0f} calls, peak {calls.max():,.0f} per half hour")  # fmt: skip
    t_ours = median_time(lambda: ours(calls, aht), repeats=7)
    mine = ours(calls, aht)
    start = time.perf_counter()
    theirs, n_failed = pyworkforce_loop(calls, aht)
    t_theirs = min(
        time.perf_counter() - start,
        median_time(lambda: pyworkforce_loop(calls, aht), repeats=2, warmup=0),
    )
    busy = calls > 0
    mismatch = busy & (mine != theirs)
    print(f"pyworkforce raised ValueError on {n_failed} empty intervals (counted as 0 agents)")
    print(f"answers differ on {int(mismatch.sum())} of {int(busy.sum())} non-empty intervals")
    if mismatch.any():
        idx = np.argwhere(mismatch)[:5]
        for i, j in idx:
            print(
                f"  interval {i} queue {j}: calls {calls[i, j]:.0f}, ours {mine[i, j]}, pyworkforce {theirs[i, j]}"
            )
    t_full = median_time(
        lambda: staffing_requirement(calls, INTERVAL_S, aht, target_service_level=SL,
                                     answer_time_s=ANSWER_S, max_occupancy=MAX_OCC),
        repeats=5,
    )  # fmt: skip
    # Large queue.
    big = dict(target_service_level=SL, answer_time_s=ANSWER_S)
    t_big = median_time(lambda: required_agents(5000, INTERVAL_S, 300, **big), repeats=7)
    n_big = required_agents(5000, INTERVAL_S, 300, **big)
    from pyworkforce.queuing import ErlangC

    t_big_pw = median_time(
        lambda: ErlangC(
            transactions=5000, aht=5, asa=ANSWER_S / 60, interval=30
        ).required_positions(SL),
        repeats=3,
    )
    n_big_pw = ErlangC(transactions=5000, aht=5, asa=ANSWER_S / 60, interval=30).required_positions(
        SL
    )["raw_positions"]
    print(f"large queue 5,000 calls/30 min, 300 s, 80/20: ours {n_big} agents in {t_big * 1e3:.2f} ms; "
          f"pyworkforce {n_big_pw} agents in {t_big_pw * 1e3:.2f} ms")  # fmt: skip

    # Erlang A for the whole week (patience 180 s), full figures.
    def erlang_a_week():
        return staffing_requirement(calls, INTERVAL_S, aht, target_service_level=SL,
                                    answer_time_s=ANSWER_S, patience_s=180.0)  # fmt: skip

    t_a = median_time(erlang_a_week, repeats=3)
    res_a = erlang_a_week()
    print(f"Erlang A week (patience 180 s): {t_a:.3f} s, {res_a.n_agents_total:,} agent-intervals "
          f"vs Erlang C {int(mine.sum()):,} (no occupancy cap: "
          f"{int(required_agents(calls, INTERVAL_S, aht, **big).sum()):,})")  # fmt: skip
    print_table([
        Row("week 6,720 intervals, Erlang C (one call)", t_ours, "pyworkforce ErlangC loop", t_theirs, 15),
        Row("week, full result (figures, status, binding)", t_full, "pyworkforce ErlangC loop", t_theirs, None),
        Row("large queue 5,000 calls, 300 s, 80/20", t_big, "pyworkforce ErlangC", t_big_pw, None),
        Row("week, Erlang A (no peer has it)", t_a, "-", float("nan"), None),
    ])  # fmt: skip


if __name__ == "__main__":
    main()
