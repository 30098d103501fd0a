"""Spend mix against the plan: capex/opex, run/grow/transform, internal/external shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ._frame import DIMENSIONS, as_by, check_spend

__all__ = ["SpendMix", "spend_mix"]


@dataclass(frozen=True)
class SpendMix:
    """Shares of spend per classification, actual against plan.

    Attributes
    ----------
    dimensions : tuple of str
        The classifications compared (``expense_type``, ``category``, ``sourcing``).
    months : list of Timestamp
        The reported months (year to date).
    currency : str
    table : DataFrame
        One row per dimension and value (every allowed value, in canonical order):
        ``dimension``, ``value``, ``budget_year`` and ``plan_share_year`` (full-year budget),
        ``budget_to_date``, ``plan_share`` (budget share over the reported months),
        ``actual_to_date``, ``actual_share``, ``share_gap`` (actual_share - plan_share, in
        share points: 0.02 is two percentage points). Shares sum to 1 within a dimension.
    """

    dimensions: tuple[str, ...]
    months: list[pd.Timestamp]
    currency: str
    table: pd.DataFrame = field(repr=False)

    def share(self, dimension: str, value: str, *, of: str = "actual_share") -> float:
        """One share from ``table``, e.g. ``share("category", "transform")``."""
        rows = self.table[(self.table["dimension"] == dimension) & (self.table["value"] == value)]
        if rows.empty or of not in self.table.columns:
            raise ParameterError(
                f"no share {of!r} for {dimension}={value!r}. Dimensions: {self.dimensions}."
            )
        return float(rows[of].iloc[0])

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per dimension and value with the actual and plan shares."""
        out = self.table[["dimension", "value", "actual_share", "plan_share", "share_gap"]]
        return out.reset_index(drop=True)


def _shares(amounts: np.ndarray) -> np.ndarray:
    total = amounts.sum()
    if total <= 0:
        return np.full(amounts.shape, np.nan)
    return amounts / total


def spend_mix(
    budget: pd.DataFrame,
    actuals: pd.DataFrame,
    *,
    dimensions: Any = ("expense_type", "category", "sourcing"),
    currency: str = "EUR",
) -> SpendMix:
    """Compare the spend mix to date with the plan, per classification.

    Parameters
    ----------
    budget, actuals : DataFrame
        From :func:`cio_analytics.io.read_budget` / :func:`~cio_analytics.io.read_actuals`.
    dimensions : str or sequence of str, default ("expense_type", "category", "sourcing")
        Classification columns to compare.
    currency : str, default "EUR"

    Returns
    -------
    SpendMix

    Notes
    -----
    ``share_v = spend_v / sum_u spend_u`` within a dimension, for the actuals to date and for
    the budget over the same months (``plan_share``) and over the full year
    (``plan_share_year``). Comparing to the budget of the same months keeps a seasonal plan
    (capex bunched late in the year) from showing as a mix drift. A share is NaN when the total
    is 0 or less.

    Examples
    --------
    >>> from cio_analytics.io import read_actuals, read_budget
    >>> mix = spend_mix(read_budget("data/sample/budget.csv"),
    ...                 read_actuals("data/sample/actuals.csv"))
    >>> cat = mix.table[mix.table["dimension"] == "category"]
    >>> print(f"{cat['actual_share'].sum():.4f}")
    1.0000
    """
    budget = check_spend(budget, "budget", allow_negative=False)
    actuals = check_spend(actuals, "actuals", allow_negative=True)
    dims = as_by(dimensions, "dimensions", allowed=tuple(DIMENSIONS))
    if not dims:
        raise ParameterError(f"`dimensions` must name at least one of {list(DIMENSIONS)}.")
    months = [pd.Timestamp(m) for m in sorted(pd.unique(actuals["month"]))]
    to_date = budget[budget["month"].isin(months)]
    parts = []
    for dim in dims:  # a handful of dimensions, not a hot path
        values = list(DIMENSIONS[dim])
        year = budget.groupby(dim)["amount"].sum().reindex(values, fill_value=0.0).to_numpy()
        plan = to_date.groupby(dim)["amount"].sum().reindex(values, fill_value=0.0).to_numpy()
        act = actuals.groupby(dim)["amount"].sum().reindex(values, fill_value=0.0).to_numpy()
        part = pd.DataFrame({"dimension": dim, "value": values})
        part["budget_year"] = year
        part["plan_share_year"] = _shares(year)
        part["budget_to_date"] = plan
        part["plan_share"] = _shares(plan)
        part["actual_to_date"] = act
        part["actual_share"] = _shares(act)
        part["share_gap"] = part["actual_share"] - part["plan_share"]
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    return SpendMix(dimensions=dims, months=months, currency=currency, table=table)
