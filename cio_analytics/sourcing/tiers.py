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

from .._validation import as_float_array, check_choice, check_nonnegative
from ..exceptions import ParameterError

__all__ = ["TIER_SCHEMES", "TierSchedule", "tiered_cost"]

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
      just below one pays more than at it; the break-even volume is ``p_k t_{k+1} / p_{k+1}``.

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
    out = _charge(v, starts, prices, scheme)
    return float(out) if out.ndim == 0 else out


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
