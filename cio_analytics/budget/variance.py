"""Budget variance: actual against budget by any grouping, split into volume and price effects.

Convention: ``variance = actual - budget``; a positive variance is an **overspend**
(unfavourable for a cost budget), a negative one an underspend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import check_int, check_magnitude
from ..exceptions import ParameterError
from ._frame import KEY, as_by, check_spend, month_list

__all__ = ["VarianceResult", "budget_variance", "price_volume_variance"]

_COMPONENTS = ("volume_variance", "price_variance", "other_variance")


def price_volume_variance(
    budget_quantity: Any, budget_price: Any, actual_quantity: Any, actual_price: Any
) -> tuple[Any, Any]:
    """Split ``actual - budget`` spend into a volume and a price variance.

    Parameters
    ----------
    budget_quantity, actual_quantity : float or array_like
        Units planned (BQ) and bought (AQ), >= 0.
    budget_price, actual_price : float or array_like
        Money per unit planned (BP) and paid (AP).

    Returns
    -------
    volume_variance, price_variance : float or ndarray
        Money. Scalars in, scalars out; arrays broadcast.

    Notes
    -----
    ``volume = (AQ - BQ) * BP`` and ``price = (AP - BP) * AQ``, so
    ``volume + price = AQ * AP - BQ * BP = actual - budget`` exactly: the joint effect
    ``(AQ - BQ)(AP - BP)`` is in the price variance (valued at actual quantity), the textbook
    convention for purchase price and usage variances. Positive = more spend than planned.

    References
    ----------
    Horngren, Datar & Rajan, *Cost Accounting: A Managerial Emphasis*, ch. 7 (flexible budgets,
    price and efficiency variances).

    Examples
    --------
    Planned 100 units at 10, bought 120 at 12: spend 1,440 against 1,000.

    >>> vol, price = price_volume_variance(100, 10.0, 120, 12.0)
    >>> float(vol), float(price), float(vol + price)
    (200.0, 240.0, 440.0)
    """
    bq, bp, aq, ap = (np.asarray(x, dtype=float) for x in (budget_quantity, budget_price,
                                                            actual_quantity, actual_price))  # fmt: skip
    for arr, name in ((bq, "budget_quantity"), (aq, "actual_quantity")):
        if np.any(arr < 0):
            raise ParameterError(f"`{name}` must be 0 or more. Got {arr[arr < 0].flat[0]:g}.")
        check_magnitude(arr, name, "number")
    for arr, name in ((bp, "budget_price"), (ap, "actual_price")):
        check_magnitude(arr, name, "amount")
    volume = (aq - bq) * bp
    price = (ap - bp) * aq
    if volume.ndim == 0:
        return float(volume), float(price)
    return volume, price


@dataclass(frozen=True)
class VarianceResult:
    """Budget against actual for a set of months, by a grouping, with its explanation.

    Attributes
    ----------
    by : tuple of str
        The grouping columns of ``table``.
    months : list of Timestamp
        The months compared (by default the months reported in the actuals: year to date).
    currency : str
    budget_total, actual_total, variance_total : float
        Totals over ``months``; ``variance_total = actual_total - budget_total``.
    volume_variance_total, price_variance_total, other_variance_total : float
        The explanation: they add up to ``variance_total``. ``other`` is the variance of rows
        without volume data (no price/volume split possible).
    table : DataFrame
        One row per group: the ``by`` columns, ``budget``, ``actual``, ``variance``,
        ``variance_pct`` (variance / budget, NaN when the budget is 0), ``volume_variance``,
        ``price_variance``, ``other_variance`` and ``driver`` (the component with the largest
        absolute value: ``"volume"``, ``"price"`` or ``"other"``).
    detail : DataFrame
        The same per row of the inputs (month x cost centre x line x classification), with the
        quantities and prices used.
    """

    by: tuple[str, ...]
    months: list[pd.Timestamp]
    currency: str
    budget_total: float
    actual_total: float
    variance_total: float
    volume_variance_total: float
    price_variance_total: float
    other_variance_total: float
    table: pd.DataFrame = field(repr=False)
    detail: pd.DataFrame = field(repr=False)

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` groups with the largest absolute variance, largest first."""
        n = check_int(n, "n", minimum=1)
        order = np.argsort(-np.abs(self.table["variance"].to_numpy()), kind="stable")
        return self.table.iloc[order[:n]].reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        pct = self.variance_total / self.budget_total if self.budget_total else np.nan
        rows = [
            ("months", len(self.months), "months"),
            ("budget", self.budget_total, self.currency),
            ("actual", self.actual_total, self.currency),
            ("variance", self.variance_total, self.currency),
            ("variance_pct", pct, "share of budget"),
            ("volume_variance", self.volume_variance_total, self.currency),
            ("price_variance", self.price_variance_total, self.currency),
            ("other_variance", self.other_variance_total, self.currency),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _row_detail(budget: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Budget and actual side by side per key row, with the price/volume split."""
    cols = [*KEY, "amount", "volume", "unit_price"]
    b = budget[cols].rename(columns={"amount": "budget", "volume": "bq", "unit_price": "bp"})
    a = actuals[cols].rename(columns={"amount": "actual", "volume": "aq", "unit_price": "ap"})
    d = b.merge(a, on=list(KEY), how="outer", indicator=True, sort=True)
    has_b = (d["_merge"] != "right_only").to_numpy()
    has_a = (d["_merge"] != "left_only").to_numpy()
    d["budget"] = d["budget"].fillna(0.0)
    d["actual"] = d["actual"].fillna(0.0)
    budget_amt, actual_amt = d["budget"].to_numpy(), d["actual"].to_numpy()
    bq, aq = d["bq"].to_numpy(dtype=float), d["aq"].to_numpy(dtype=float)
    # A missing side has quantity 0 (nothing planned / nothing bought).
    bq = np.where(has_b, bq, 0.0)
    aq = np.where(has_a, aq, 0.0)
    # Budget price = budget amount / BQ so that BQ x BP is the budget exactly; an unbudgeted row
    # is valued at the actual price (all volume), a zero-volume plan at its stated unit price.
    with np.errstate(divide="ignore", invalid="ignore"):
        ap = np.where(aq > 0, actual_amt / aq, np.nan)
        bp = np.where(bq > 0, budget_amt / bq, np.nan)
    bp = np.where(np.isnan(bp) & (budget_amt == 0), d["bp"].to_numpy(dtype=float), bp)
    bp = np.where(np.isnan(bp) & (budget_amt == 0), ap, bp)
    bp = np.where(np.isnan(bp) & (budget_amt == 0) & ~np.isnan(aq), 0.0, bp)
    split = ~np.isnan(bq) & ~np.isnan(aq) & ~np.isnan(bp)
    volume = np.where(split, (aq - bq) * np.where(split, bp, 0.0), 0.0)
    variance = actual_amt - budget_amt
    # price = actual - AQ x BP (equals (AP - BP) x AQ, and also covers AQ = 0 with spend).
    price = np.where(split, variance - volume, 0.0)
    d = d.drop(columns=["_merge", "bp", "ap"])
    d["bq"], d["aq"] = bq, aq
    d["bp"] = np.where(split, bp, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        d["ap"] = np.where(split & (aq > 0), actual_amt / aq, np.nan)
    d["variance"] = variance
    d["volume_variance"] = volume
    d["price_variance"] = price
    d["other_variance"] = np.where(split, 0.0, variance)
    return d


def _driver(frame: pd.DataFrame) -> np.ndarray:
    comps = np.abs(frame[list(_COMPONENTS)].to_numpy())
    return np.array(["volume", "price", "other"])[np.argmax(comps, axis=1)]


def budget_variance(
    budget: pd.DataFrame,
    actuals: pd.DataFrame,
    *,
    by: Any = "cost_centre",
    months: Any = None,
    currency: str = "EUR",
) -> VarianceResult:
    """Actual against budget by any grouping, with a price/volume explanation.

    Parameters
    ----------
    budget, actuals : DataFrame
        From :func:`cio_analytics.io.read_budget` / :func:`~cio_analytics.io.read_actuals` (or
        the same columns: ``month, cost_centre, category, expense_type, sourcing, amount`` and
        optionally ``line, volume, unit_price``).
    by : str or sequence of str, default "cost_centre"
        Grouping of ``table``: any of ``month, cost_centre, line, category, expense_type,
        sourcing``; ``()`` or None gives one total row.
    months : sequence of months, optional
        Months to compare (``["2026-07", "2026-08", "2026-09"]`` for Q3). By default the months
        in ``actuals`` (year to date).
    currency : str, default "EUR"

    Returns
    -------
    VarianceResult

    Notes
    -----
    Rows are matched on month, cost centre, line, category, expense type and sourcing; a row on
    one side only counts as 0 on the other. Per row with volume data on both sides (budget
    quantity BQ at budget price BP = budget / BQ, actual quantity AQ at actual price
    AP = actual / AQ):

    * volume variance ``(AQ - BQ) * BP``,
    * price variance ``(AP - BP) * AQ``,

    which add up to ``actual - budget`` (the joint effect sits in the price variance). A budget
    row with no spend is all volume (``AQ = 0``), unbudgeted spend with a volume is all volume
    at its own price; a row without volume data goes whole to ``other_variance``. The split is
    made per row and month and then summed, so the components add up over any grouping.

    References
    ----------
    Horngren, Datar & Rajan, *Cost Accounting: A Managerial Emphasis*, ch. 7.

    Examples
    --------
    >>> from cio_analytics.io import read_actuals, read_budget
    >>> var = budget_variance(read_budget("data/sample/budget.csv"),
    ...                       read_actuals("data/sample/actuals.csv"), by="category")
    >>> parts = var.volume_variance_total + var.price_variance_total + var.other_variance_total
    >>> bool(abs(parts - var.variance_total) < 1e-6)
    True
    """
    budget = check_spend(budget, "budget", allow_negative=False)
    actuals = check_spend(actuals, "actuals", allow_negative=True)
    by = as_by(by)
    if months is None:
        chosen = sorted(pd.unique(actuals["month"]))
    else:
        chosen = month_list(months, "months")
        unknown = [m for m in chosen if not (budget["month"] == m).any()]
        if unknown:
            raise ParameterError(
                f"`months` names {', '.join(f'{m:%Y-%m}' for m in unknown)}, not in the budget "
                f"(which covers {budget['month'].min():%Y-%m} to {budget['month'].max():%Y-%m})."
            )
    chosen = [pd.Timestamp(m) for m in chosen]
    detail = _row_detail(
        budget[budget["month"].isin(chosen)], actuals[actuals["month"].isin(chosen)]
    )
    values = ["budget", "actual", "variance", *_COMPONENTS]
    if by:
        table = detail.groupby(list(by), sort=True, observed=True)[values].sum().reset_index()
    else:
        table = detail[values].sum().to_frame().T
    with np.errstate(divide="ignore", invalid="ignore"):
        table.insert(
            len(by) + 3,
            "variance_pct",
            np.where(table["budget"] != 0, table["variance"] / table["budget"], np.nan),
        )
    table["driver"] = _driver(table)
    totals = detail[values].sum()
    return VarianceResult(
        by=by,
        months=chosen,
        currency=currency,
        budget_total=float(totals["budget"]),
        actual_total=float(totals["actual"]),
        variance_total=float(totals["variance"]),
        volume_variance_total=float(totals["volume_variance"]),
        price_variance_total=float(totals["price_variance"]),
        other_variance_total=float(totals["other_variance"]),
        table=table,
        detail=detail,
    )
