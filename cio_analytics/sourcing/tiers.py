"""Volume-based price schedules with tiers: "all-units" and "graduated" (incremental) schemes.

A schedule is a list of tiers, each starting at a volume (``from_volume``, the first at 0) and
carrying a unit price. The two schemes vendors use read the same table differently:

* **graduated** (incremental, "tiered" in cloud price lists): each unit is charged at the price
  of the tier it falls in, so the first 1,000 units cost the tier-1 price whatever the total.
  The cost is continuous and non-decreasing in the volume.
* **all-units** (volume discount): every unit is charged at the price of the tier the *total*
  volume reaches. The cost jumps down at each threshold (999 units may cost more than 1,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_choice, check_magnitude, check_nonnegative
from ..exceptions import ParameterError

__all__ = ["TIER_SCHEMES", "TierSchedule", "all_units_break_even", "tiered_cost"]

#: The two ways of reading a tier table.
TIER_SCHEMES = ("graduated", "all_units")


def _check_tiers(from_volume: Any, unit_price: Any) -> tuple[np.ndarray, np.ndarray]:
    starts = as_float_array(from_volume, "from_volume", ndim=1, min_size=1)
    prices = as_float_array(unit_price, "unit_price", ndim=1, min_size=1)
    if starts.size != prices.size:
        raise ParameterError(
            f"`from_volume` and `unit_price` must have one value per tier. Got {starts.size} "
            f"starts and {prices.size} prices."
        )
    if starts[0] != 0:
        raise ParameterError(
            f"The first tier must start at volume 0 (`from_volume[0]`). Got {starts[0]:g}. "
            "Add a tier from 0 or set the first start to 0."
        )
    steps = np.diff(starts)
    if np.any(steps <= 0):
        k = int(np.flatnonzero(steps <= 0)[0]) + 1
        raise ParameterError(
            f"Tier starts (`from_volume`) must increase strictly; tier {k + 1} starts at "
            f"{starts[k]:g}, not above tier {k} at {starts[k - 1]:g}. Sort the tiers and remove "
            "overlaps or duplicates."
        )
    check_nonnegative(prices, "unit_price")
    check_magnitude(starts, "from_volume", "number")
    check_magnitude(prices, "unit_price", "amount")
    return starts, prices


def tiered_cost(volume: Any, from_volume: Any, unit_price: Any, *, scheme: str = "graduated"):
    """Charge for ``volume`` units under a tiered unit-price schedule.

    Parameters
    ----------
    volume : float or array_like
        Units in the period (>= 0); any shape (scenarios x years, ...).
    from_volume : array_like
        Volume at which each tier starts, strictly increasing, the first 0. Tier ``k`` covers
        ``[from_volume[k], from_volume[k + 1])``; the last tier is open-ended.
    unit_price : array_like
        Price per unit in each tier (currency per unit, >= 0).
    scheme : {"graduated", "all_units"}, default "graduated"
        ``"graduated"``: each unit at the price of its own tier; ``"all_units"``: every unit at
        the price of the tier that the total volume reaches.

    Returns
    -------
    float or numpy.ndarray
        The charge, same shape as ``volume``.

    Notes
    -----
    With starts ``t_0 = 0 < t_1 < ... < t_{K-1}`` (``t_K = inf``) and prices ``p_k``:

    * graduated: ``C(v) = sum_k p_k * clip(v - t_k, 0, t_{k+1} - t_k)``, continuous and
      non-decreasing in ``v``;
    * all-units: ``C(v) = p_k * v`` for ``t_k <= v < t_{k+1}`` (a volume exactly at a threshold
      gets the new tier's price). With falling prices ``C`` drops at each threshold, so a buyer
      just below one pays more than at it: from the break-even volume
      ``b = p_{k+1} t_{k+1} / p_k`` up to ``t_{k+1}``, buying ``t_{k+1}`` units is cheaper
      (10 per unit up to 1,000, then 8: ``b = 8 * 1000 / 10 = 800``). See
      :func:`all_units_break_even`.

    References
    ----------
    R. Dolan (1987), "Quantity discounts: managerial issues and research opportunities",
    *Marketing Science* 6(1) (all-units vs incremental discounts).

    Examples
    --------
    >>> tiered_cost(2500, [0, 1000, 2000], [10, 8, 6])  # 1000*10 + 1000*8 + 500*6
    21000.0
    >>> tiered_cost(2500, [0, 1000, 2000], [10, 8, 6], scheme="all_units")  # 2500*6
    15000.0
    """
    scheme = check_choice(scheme, "scheme", TIER_SCHEMES)
    starts, prices = _check_tiers(from_volume, unit_price)
    v = as_float_array(volume, "volume")
    check_nonnegative(v, "volume")
    check_magnitude(v, "volume", "number")
    out = _charge(v, starts, prices, scheme)
    return float(out) if out.ndim == 0 else out


def all_units_break_even(from_volume: Any, unit_price: Any) -> np.ndarray:
    """Volumes from which buying up to the next all-units threshold costs no more.

    Under an all-units schedule the charge drops at each threshold, so a buyer just below a
    threshold pays more than a buyer at it. For each threshold ``t_k`` (``k = 1 .. K-1``) this
    returns the break-even volume ``b_k``: from ``b_k`` up to ``t_k``, ordering ``t_k`` units
    costs no more than ordering what is needed.

    Parameters
    ----------
    from_volume : array_like, shape (..., K)
        Tier starts, the first 0, strictly increasing, in units. Leading axes are a batch of
        schedules (e.g. one row per offer).
    unit_price : array_like, shape (..., K)
        Price per unit of each tier (currency per unit, >= 0); broadcasts with ``from_volume``.

    Returns
    -------
    numpy.ndarray, shape (..., K - 1)
        Break-even volume of each threshold, in units, ``0 <= b_k <= t_k``. ``b_k = t_k`` when
        buying up never pays (the price does not fall at ``t_k``).

    Notes
    -----
    With starts ``t_0 = 0 < t_1 < ...`` and prices ``p_k``, all-units charges ``C(v) = p_j v``
    for ``t_j <= v < t_{j+1}``. At threshold ``t_k`` the charge is ``p_k t_k``; ``b_k`` is the
    lowest volume such that every volume in ``[b_k, t_k)`` costs at least that. When it lies
    in the tier just below (the usual case)

    .. math:: b_k = \\frac{p_k \\, t_k}{p_{k-1}},

    and in general it is ``p_k t_k / p_j`` in the highest tier ``j < k`` whose charge crosses
    ``p_k t_k`` (clipped to the tier's range). With prices that never rise, the charge at
    ``b_k`` equals the charge at ``t_k``.

    References
    ----------
    R. Dolan (1987), "Quantity discounts: managerial issues and research opportunities",
    *Marketing Science* 6(1) (all-units vs incremental discounts).

    Examples
    --------
    10 per unit up to 1,000, then 8: from 800 units on, buying 1,000 is no dearer
    (800 x 10 = 1,000 x 8 = 8,000).

    >>> all_units_break_even([0, 1000], [10, 8])
    array([800.])
    >>> all_units_break_even([[0, 1000, 2000], [0, 500, 900]], [[10, 8, 6], [4, 4, 5]])
    array([[ 800., 1500.],
           [ 500.,  900.]])
    """
    starts = as_float_array(from_volume, "from_volume")
    prices = as_float_array(unit_price, "unit_price")
    if starts.ndim == 0 or prices.ndim == 0:
        raise ParameterError(
            "`from_volume` and `unit_price` must list the tiers (last axis). Got a single "
            "number. E.g. from_volume=[0, 1000], unit_price=[10, 8]."
        )
    try:
        starts, prices = np.broadcast_arrays(starts, prices)
    except ValueError:
        raise ParameterError(
            f"`from_volume` (shape {starts.shape}) and `unit_price` (shape {prices.shape}) must "
            "have one value per tier along the last axis."
        ) from None
    if starts.shape[-1] < 2:
        raise ParameterError(
            f"An all-units break-even needs at least two tiers. Got {starts.shape[-1]}."
        )
    if np.any(starts[..., 0] != 0) or np.any(np.diff(starts, axis=-1) <= 0):
        raise ParameterError(
            "`from_volume` must start at 0 and increase strictly along the last axis (one "
            "start per tier). Sort the tiers and remove duplicates."
        )
    check_nonnegative(prices, "unit_price")
    k_count = starts.shape[-1]
    out = np.empty((*starts.shape[:-1], k_count - 1))
    for k in range(1, k_count):
        target = prices[..., k] * starts[..., k]
        b = np.zeros_like(target)
        found = target <= 0
        for j in range(k - 1, -1, -1):
            lo, hi, p = starts[..., j], starts[..., j + 1], prices[..., j]
            crosses = ~found & (p * lo < target)
            with np.errstate(divide="ignore", invalid="ignore"):
                here = np.where(p > 0, np.clip(target / np.where(p > 0, p, 1.0), lo, hi), hi)
            b = np.where(crosses, here, b)
            found |= crosses
        out[..., k - 1] = np.minimum(b, starts[..., k])
    return out


def _charge(v: np.ndarray, starts: np.ndarray, prices: np.ndarray, scheme: str) -> np.ndarray:
    """Vectorised core without checks: ``v`` of any shape, tiers along a new last axis."""
    if scheme == "all_units":
        k = np.searchsorted(starts, v, side="right") - 1
        return prices[k] * v
    widths = np.append(np.diff(starts), np.inf)
    in_tier = np.clip(v[..., None] - starts, 0.0, widths)
    return in_tier @ prices


@dataclass(frozen=True)
class TierSchedule:
    """A validated tiered unit-price schedule.

    Attributes
    ----------
    from_volume : tuple of float
        Start of each tier (the first 0, strictly increasing), in units per year.
    unit_price : tuple of float
        Price per unit in each tier, currency per unit.
    scheme : {"graduated", "all_units"}
        How the tiers apply (see :func:`tiered_cost`).

    Examples
    --------
    >>> s = TierSchedule([0, 1000, 2000], [10, 8, 6], scheme="all_units")
    >>> s.cost(999), s.cost(1000)
    (9990.0, 8000.0)
    """

    from_volume: tuple[float, ...]
    unit_price: tuple[float, ...]
    scheme: str = "graduated"

    def __init__(self, from_volume: Any, unit_price: Any, scheme: str = "graduated") -> None:
        scheme = check_choice(scheme, "scheme", TIER_SCHEMES)
        starts, prices = _check_tiers(from_volume, unit_price)
        object.__setattr__(self, "from_volume", tuple(float(x) for x in starts))
        object.__setattr__(self, "unit_price", tuple(float(x) for x in prices))
        object.__setattr__(self, "scheme", scheme)

    @classmethod
    def flat(cls, unit_price: float) -> TierSchedule:
        """One price for every unit."""
        return cls([0.0], [unit_price])

    def cost(self, volume: Any, *, escalation_factor: Any = 1.0) -> Any:
        """Charge for ``volume`` units, unit prices multiplied by ``escalation_factor``.

        ``escalation_factor`` broadcasts against ``volume`` (e.g. one factor per year).
        """
        v = as_float_array(volume, "volume")
        check_nonnegative(v, "volume")
        factor = as_float_array(escalation_factor, "escalation_factor")
        out = self._cost(v) * factor
        return float(out) if out.ndim == 0 else out

    def _cost(self, v: np.ndarray) -> np.ndarray:
        return _charge(v, np.asarray(self.from_volume), np.asarray(self.unit_price), self.scheme)

    def table(self) -> pd.DataFrame:
        """``tier, from_volume, to_volume, unit_price`` (``to_volume`` of the last tier is inf)."""
        starts = list(self.from_volume)
        return pd.DataFrame(
            {
                "tier": range(1, len(starts) + 1),
                "from_volume": starts,
                "to_volume": [*starts[1:], np.inf],
                "unit_price": list(self.unit_price),
            }
        )
