"""Kernels shared by the risk register and FAIR: Poisson counts by inversion, per-event sums.

Everything here is whole-array numpy over trials (years); the only Python loops run over the
count value ``k`` (a handful of iterations), never over trials or events.

Pairing. Counts are drawn by *inversion* of one uniform per year, ``N = F^-1(u; rate)``, so for
a fixed ``u`` a lower rate never gives more events (monotone coupling): a "with control" run that
only lowers the rate loses no more events than the "without control" run in any year. Per-event
uniforms are laid out by a shared ``layout`` count (the larger of the two runs' counts), so event
``k`` of year ``t`` uses the same uniform in both runs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import Distribution
from .sampling import input_stream

__all__ = ["compound_sum", "event_slots", "make_distribution", "stream"]


def stream(seed: int, *parts: str) -> np.random.Generator:
    """The generator keyed by ``seed`` and a name such as ``("register", risk, "impact")``.

    Keys are names, not positions, so adding or changing another risk or input never changes
    this one's draws (common random numbers).
    """
    return input_stream(seed, ":".join(parts), 0)


def event_slots(
    layout: np.ndarray, *, positions: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Year index and within-year position of every event slot of a ``layout`` of counts.

    ``positions=False`` skips the positions (None), which are needed only to pair two runs.

    Examples
    --------
    >>> year, pos = event_slots(np.array([2, 0, 1]))
    >>> year.tolist(), pos.tolist()
    ([0, 0, 2], [0, 1, 0])
    """
    layout = np.asarray(layout, dtype=np.int64)
    year = np.repeat(np.arange(layout.size), layout)
    if not positions:
        return year, None
    starts = np.cumsum(layout) - layout
    pos = np.arange(year.size) - np.repeat(starts, layout)
    return year, pos


def compound_sum(
    counts: np.ndarray,
    severity: Distribution,
    u_events: np.ndarray,
    year: np.ndarray,
    pos: np.ndarray | None,
) -> np.ndarray:
    """Sum over each year of ``counts[t]`` losses ``severity.ppf(u)`` from the year's slots.

    Parameters
    ----------
    counts : ndarray of int, shape (n_years,)
        Events per year in this run (at most the layout count of the year).
    severity : Distribution
        Loss per event, in currency.
    u_events : ndarray, shape (n_slots,)
        One uniform per event slot of the layout.
    year, pos : ndarray
        From :func:`event_slots` of the layout; ``pos=None`` when every slot is used
        (``counts`` is the layout).

    Returns
    -------
    ndarray, shape (n_years,)
        ``S_t = sum_{k < counts[t]} severity.ppf(u_{t,k})`` (0 in years without events).
    """
    n = counts.size
    if year.size == 0:
        return np.zeros(n)
    if pos is None:
        return np.bincount(year, weights=severity._ppf(u_events), minlength=n)
    used = pos < counts[year]
    if used.all():
        return np.bincount(year, weights=severity._ppf(u_events), minlength=n)
    return np.bincount(year[used], weights=severity._ppf(u_events[used]), minlength=n)


def make_distribution(spec: Any) -> Any:
    """A number, or a distribution from ``{"distribution", "low", "most_likely", "high"}``.

    ``lognormal`` reads ``low``/``high`` as a central interval of ``confidence`` (default 0.9).

    Examples
    --------
    >>> make_distribution({"distribution": "pert", "low": 1, "most_likely": 2, "high": 6}).mean()
    2.5
    """
    from .distributions import PERT, LogNormal, Triangular, Uniform

    if not isinstance(spec, dict):
        return float(spec)
    kind, lo, hi = spec["distribution"], spec["low"], spec["high"]
    if kind == "pert":
        return PERT(lo, spec["most_likely"], hi)
    if kind == "triangular":
        return Triangular(lo, spec["most_likely"], hi)
    if kind == "uniform":
        return Uniform(lo, hi)
    return LogNormal.from_interval(lo, hi, spec.get("confidence", 0.9))
