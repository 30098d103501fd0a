"""Vectorised search machinery behind ``required_agents`` and ``required_lines`` (private).

``smallest`` finds, per element, the smallest whole count meeting a monotone predicate with a
handful of passes over the whole array: probe a good first guess and its neighbour, grow a
bracket by doubling where the guess was short, then bisect. ``sqrt_staffing_guess`` gives that
first guess from the Halfin-Whitt (square-root staffing) approximation of Erlang C, usually
within one agent of the exact answer.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .erlang import _erlang_c_core, _occupancy_core
from .erlang_a import _erlang_a_core

__all__ = ["failing", "figures", "smallest", "sqrt_staffing_guess"]

SL_TOL = 1e-12


def smallest(pred, lo: np.ndarray, start: np.ndarray, limit: float = 2.0**52) -> tuple:
    """Smallest integer n > lo with ``pred(n, idx)`` true, per element (pred monotone in n).

    ``lo`` is a count known to fail (or not allowed), ``start`` a first guess, ``idx`` the
    element indices ``pred`` is asked about. Returns the counts and a mask of elements for
    which no count up to ``limit`` meets the predicate (their count is then ``limit``).
    """
    lo = np.asarray(lo, float).copy()
    hi = np.maximum(np.asarray(start, float), lo + 1.0)
    idx = np.arange(lo.size)
    failed = np.zeros(lo.size, bool)
    ok = pred(hi, idx)
    # Probe the neighbour of the guess: one more pass settles most elements.
    met, short = idx[ok], idx[~ok]
    below = met[hi[met] - 1.0 > lo[met]]
    if below.size:
        ok_below = pred(hi[below] - 1.0, below)
        lo[below[~ok_below]] = hi[below[~ok_below]] - 1.0
        hi[below[ok_below]] -= 1.0
    if short.size:
        lo[short] = hi[short]
        hi[short] += 1.0
        ok_above = pred(hi[short], short)
        pending = short[~ok_above]
        while pending.size:  # grow the bracket: each pass doubles the excess over lo
            step = hi[pending] - lo[pending]
            lo[pending] = hi[pending]
            hi[pending] = np.minimum(hi[pending] + 2.0 * step, limit)
            ok = pred(hi[pending], pending)
            stuck = ~ok & (hi[pending] >= limit)
            failed[pending[stuck]] = True
            pending = pending[~ok & ~stuck]
    todo = idx[(hi - lo > 1) & ~failed]
    while todo.size:  # bisection
        mid = np.floor((lo[todo] + hi[todo]) / 2.0)
        ok = pred(mid, todo)
        hi[todo] = np.where(ok, mid, hi[todo])
        lo[todo] = np.where(ok, lo[todo], mid)
        todo = todo[hi[todo] - lo[todo] > 1]
    return hi, failed


def sqrt_staffing_guess(load, h, t, sl, asa, occ) -> np.ndarray:
    """Erlang C staff from the Halfin-Whitt approximation, n = ceil(A + beta sqrt(A)).

    P(wait) ~ alpha(beta) = 1 / (1 + beta Phi(beta) / phi(beta)); service level
    ~ 1 - alpha exp(-beta sqrt(A) t / h); ASA ~ alpha h / (beta sqrt(A)). beta is found by a
    vectorised bisection on these cheap closed forms (no gamma functions).
    """
    root = np.sqrt(load)
    b_lo, b_hi = np.zeros(load.shape), np.full(load.shape, 8.0)
    for _ in range(24):
        beta = 0.5 * (b_lo + b_hi)
        alpha = 1.0 / (1.0 + beta * special.ndtr(beta) * np.sqrt(2 * np.pi) * np.exp(0.5 * beta**2))
        good = (1.0 - alpha * np.exp(-beta * root * t / h) >= sl) & (alpha * h <= asa * beta * root)
        b_hi, b_lo = np.where(good, beta, b_hi), np.where(good, b_lo, beta)
    guess = np.ceil(load + b_hi * root)
    return np.maximum(np.maximum(guess, np.floor(load) + 1.0), np.ceil(load / occ * (1 - 1e-12)))


def figures(load, n, h, t, pat, definition, want_asa=True) -> dict[str, np.ndarray]:
    """All figures at counts ``n`` (Erlang C where patience is infinite)."""
    if np.all(np.isinf(pat)):  # fast path: Erlang C with one Erlang B evaluation
        c = _erlang_c_core(load, n)
        stable = n > load
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            sl = np.where(stable, 1.0 - c * np.exp(-(n - load) * t / h), 0.0)
            asa = np.where(stable, c * h / (n - load), np.inf) if want_asa else np.nan
        busy = load > 0
        return {
            "p_wait": c,
            "p_abandon": np.zeros(np.shape(c)),
            "service_level": np.where(busy, np.clip(sl, 0.0, 1.0), 1.0),
            "asa_s": np.where(busy, asa, 0.0),
            "occupancy": _occupancy_core(load, n),
        }
    out = _erlang_a_core(load, n, h, pat, t, definition, want_asa)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(n > 0, load * (1.0 - out["p_abandon"]) / n, np.where(load > 0, np.nan, 0.0))
    out["occupancy"] = np.where(np.isinf(pat), _occupancy_core(load, n), np.minimum(occ, 1.0))
    return out


def failing(fig, n, load, pat, targets) -> dict[str, np.ndarray]:
    """Per constraint, a mask of elements that fail it at counts ``n``."""
    sl, asa, occ, ab = targets
    return {
        "stability": np.isinf(pat) & (n <= load) & (load > 0),
        "service_level": fig["service_level"] < sl - SL_TOL,
        "asa": fig["asa_s"] > asa * (1 + 1e-12),
        "abandonment": fig["p_abandon"] > ab + SL_TOL,
        "occupancy": fig["occupancy"] > occ * (1 + 1e-12),
        "agents": (n < 1) & (load > 0),
    }
