"""Break-even values for sourcing: the volume, price level or discount rate at which two offers'
costs are equal (the cheaper offer stops being cheaper).

Returns the result objects of :mod:`cio_analytics.valuation.breakeven` (:class:`BreakEven`,
:class:`BreakEvenAnalysis`), so a report phrases every domain's break-even the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .._validation import as_float_array, check_nonnegative, check_rate, short_repr
from ..exceptions import ParameterError
from ..valuation import BreakEvenAnalysis, find_root
from ..valuation.breakeven import _pick_inputs, _results, _search_factors
from .offers import Offer

__all__ = ["TCO_INPUTS", "tco_break_even"]

#: The inputs :func:`tco_break_even` can move.
TCO_INPUTS = ("volume", "chosen_price_level", "runner_up_price_level", "discount_rate")

_RATE_RANGE = (-0.9, 1.0)


def _pv(offer: Offer, volumes: np.ndarray, rate: Any) -> np.ndarray:
    """PV of ``offer``'s costs for volume rows ``(m, H)`` at rates ``(m,)`` (or one rate)."""
    flows = sum(offer.costs(volumes).values())
    t = np.arange(flows.shape[-1])
    r = np.asarray(rate, dtype=float)[..., None]
    return np.sum(flows * (1.0 + r) ** -t, axis=-1)


def tco_break_even(
    offers: Sequence[Offer],
    volumes: Any,
    *,
    discount_rate: float,
    currency: str = "EUR",
    inputs: Iterable[str] | None = None,
    search_factors: tuple[float, float] = (0.0, 10.0),
) -> BreakEvenAnalysis:
    """Where the cheapest offer and the runner-up cost the same (present value of costs).

    Parameters
    ----------
    offers : sequence of Offer
        Two or more offers; at the planned volumes the one with the lowest PV of costs is the
        ``chosen`` offer and the next the ``runner-up``.
    volumes : array_like
        Planned volume in each year 1..H, units per year (the ``likely`` column of a volume
        forecast), >= 0.
    discount_rate : float
        Yearly discount rate, a decimal.
    currency : str, default "EUR"
    inputs : list of str, optional
        Any of ``"volume"`` (every year's volume scaled together; values are the mean yearly
        volume), ``"chosen_price_level"``, ``"runner_up_price_level"`` (every price of that
        offer scaled: 1.0 is the offer as made) and ``"discount_rate"``; default all.
    search_factors : (float, float), default (0, 10)
        Multiples of plan searched (the discount rate from -90 % to 100 % a year).

    Returns
    -------
    BreakEvenAnalysis
        ``criterion="tco"``, ``threshold=0``; ``subject`` is "<chosen> vs <runner-up>";
        per input the value at which ``PV(runner-up) - PV(chosen) = 0``; ``metric_at_base`` is
        that difference at plan (the chosen offer's advantage, in currency).

    Notes
    -----
    ``PV_o = sum_t cost_o,t (1 + r)^-t`` with the costs of
    :func:`~cio_analytics.sourcing.offer_cash_flows`. A price level scales every charge of one
    offer, so its break-even is ``PV_runner-up / PV_chosen`` (for the chosen offer). For a flat
    fee ``F`` a year against a unit price ``p``, the volume break-even is ``F / p`` a year.
    Volumes move every year by the same factor; the root is found by vectorised bisection.

    Examples
    --------
    >>> from cio_analytics.sourcing import Offer, TierSchedule
    >>> flat = Offer("Flat", recurring=12_000)
    >>> usage = Offer("Usage", tiers=TierSchedule.flat(10.0))
    >>> be = tco_break_even([flat, usage], [1000, 1000, 1000], discount_rate=0.05)
    >>> be.subject, round(be["volume"].break_even_value, 6), be["volume"].holds_while
    ('Usage vs Flat', 1200.0, 'below')
    """
    if isinstance(offers, Offer) or not isinstance(offers, Sequence):
        raise ParameterError(
            f"`offers` must be a list of two or more Offer. Got {short_repr(offers)}."
        )
    offers = tuple(offers)
    if len(offers) < 2 or not all(isinstance(o, Offer) for o in offers):
        raise ParameterError(
            f"`offers` must be a list of two or more Offer. Got {short_repr(offers)}."
        )
    v = as_float_array(volumes, "volumes", ndim=1, min_size=1)
    check_nonnegative(v, "volumes")
    rate = float(check_rate(discount_rate, "discount_rate", allow_array=False))
    lo_f, hi_f = _search_factors(search_factors)
    chosen_names = _pick_inputs(inputs, list(TCO_INPUTS), list(TCO_INPUTS))
    pvs = np.array([float(_pv(o, v[None, :], rate)[0]) for o in offers])
    order = np.argsort(pvs, kind="stable")
    best, second = offers[order[0]], offers[order[1]]
    pv_best, pv_second = pvs[order[0]], pvs[order[1]]
    which = np.array([TCO_INPUTS.index(n) for n in chosen_names])

    def gap(x: np.ndarray) -> np.ndarray:  # PV(runner-up) - PV(chosen), row j moves input j
        x = np.asarray(x, dtype=float)
        scale_v = np.where(which == 0, x, 1.0)
        r = np.where(which == 3, x, rate)
        rows = scale_v[:, None] * v[None, :]
        a, b = _pv(best, rows, r), _pv(second, rows, r)
        a = np.where(which == 1, x * pv_best, a)
        b = np.where(which == 2, x * pv_second, b)
        return b - a

    mean_v = float(v.mean())
    base = np.where(which == 0, 1.0, np.where(which == 3, rate, 1.0))
    low = np.where(which == 3, _RATE_RANGE[0], lo_f * base)
    high = np.where(which == 3, _RATE_RANGE[1], hi_f * base)
    x, status = find_root(gap, low, high)
    g_base = gap(base)
    to_units = np.where(which == 0, mean_v, 1.0)  # volume factor -> mean units per year
    units = ["units per year", "x", "x", "per year"]
    results = _results(
        chosen_names, base * to_units, x * to_units, status, gap(low), gap(high), g_base,
        criterion="tco", threshold=0.0, metric_at_base=g_base,
        units=[units[k] for k in which], low=low * to_units, high=high * to_units,
    )  # fmt: skip
    return BreakEvenAnalysis(
        subject=f"{best.name} vs {second.name}",
        criterion="tco",
        threshold=0.0,
        results=results,
        currency=str(currency),
    )
