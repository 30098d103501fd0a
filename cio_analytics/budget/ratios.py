"""IT spend ratios (per employee, share of revenue) against the organisation's own history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_int, check_positive
from ..exceptions import ParameterError

__all__ = ["SpendRatios", "spend_ratios"]

_RATIOS = ("it_spend", "spend_per_employee", "spend_share_of_revenue")


@dataclass(frozen=True)
class SpendRatios:
    """This year's IT spend ratios placed against the organisation's own trend.

    Attributes
    ----------
    current_year : int
    currency : str
    current_spend, current_spend_p10, current_spend_p90 : float
        This year's IT spend (the median of the samples when samples were given) and its
        range (equal to ``current_spend`` for a single figure).
    employees, revenue : float
        This year's headcount and revenue.
    spend_per_employee, spend_share_of_revenue : float
        This year's ratios (money per employee; decimal share).
    table : DataFrame
        One row per year: ``year``, ``it_spend``, ``employees``, ``revenue``,
        ``spend_per_employee``, ``spend_share_of_revenue``, ``is_current``.
    trend : DataFrame
        One row per measure (``it_spend``, ``spend_per_employee``, ``spend_share_of_revenue``):
        ``this_year``, ``low``, ``high`` (from the spend range), ``trend_value`` (linear trend
        of the history extended to this year), ``deviation`` (this_year / trend_value - 1),
        ``z_score`` (distance from the trend in standard errors of a prediction; NaN with fewer
        than three past years), ``slope_per_year``, ``cagr`` (compound growth per year over
        the history), ``historical_min``, ``historical_max``, ``historical_mean`` and
        ``position`` ("above the historical range", "within the historical range", "below the
        historical range").
    """

    current_year: int
    currency: str
    current_spend: float
    current_spend_p10: float
    current_spend_p90: float
    employees: float
    revenue: float
    spend_per_employee: float
    spend_share_of_revenue: float
    table: pd.DataFrame = field(repr=False)
    trend: pd.DataFrame = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        t = self.trend.set_index("measure")
        rows = [
            ("current_year", self.current_year, "year"),
            ("current_spend", self.current_spend, self.currency),
            ("spend_per_employee", self.spend_per_employee, f"{self.currency} per employee"),
            ("spend_share_of_revenue", self.spend_share_of_revenue, "share"),
            ("spend_per_employee_trend", t.loc["spend_per_employee", "trend_value"],
             f"{self.currency} per employee"),
            ("spend_share_of_revenue_trend", t.loc["spend_share_of_revenue", "trend_value"],
             "share"),
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _trend(years: np.ndarray, values: np.ndarray, x0: float) -> tuple[float, float, float]:
    """OLS line through (years, values): slope, value at x0, standard error of a prediction."""
    n = years.size
    xbar, ybar = years.mean(), values.mean()
    sxx = float(np.sum((years - xbar) ** 2))
    slope = float(np.sum((years - xbar) * (values - ybar)) / sxx)
    fitted = ybar + slope * (x0 - xbar)
    if n < 3:
        return slope, float(fitted), np.nan
    resid = values - (ybar + slope * (years - xbar))
    s = np.sqrt(np.sum(resid**2) / (n - 2))
    se = float(s * np.sqrt(1.0 + 1.0 / n + (x0 - xbar) ** 2 / sxx))
    return slope, float(fitted), se


def spend_ratios(
    history: pd.DataFrame,
    *,
    current_spend: Any,
    current_year: int | None = None,
    employees: float | None = None,
    revenue: float | None = None,
    currency: str = "EUR",
) -> SpendRatios:
    """IT spend per employee and as a share of revenue, this year against the history.

    Parameters
    ----------
    history : DataFrame
        From :func:`cio_analytics.io.read_it_spend_history`: ``year``, ``it_spend``,
        ``employees``, ``revenue``; the current year's row may leave ``it_spend`` empty.
    current_spend : float or array_like
        This year's IT spend (money): a figure, or simulated landings (e.g.
        ``LandingForecast.landing_samples``) whose median is the figure and P10/P90 the range.
    current_year : int, optional
        Default: the history's row without spend, else the year after the last one.
    employees, revenue : float, optional
        This year's headcount and revenue; by default from the current year's row.
    currency : str, default "EUR"

    Returns
    -------
    SpendRatios

    Notes
    -----
    ``spend_per_employee = it_spend / employees`` and
    ``spend_share_of_revenue = it_spend / revenue``, for each past year and for this one. The
    trend is the least-squares line through the past years, extended to this year; with
    ``n >= 3`` past years the standard error of a new observation is
    ``s * sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)`` (``s`` the residual standard deviation), and
    ``z_score = (this_year - trend_value) / se``. CAGR is
    ``(last / first)^(1 / (n - 1)) - 1`` over the past years. The history's spend must be
    measured the way this year's is (here capex + opex as budgeted).

    Examples
    --------
    >>> from cio_analytics.io import read_it_spend_history
    >>> r = spend_ratios(read_it_spend_history("data/sample/it_spend_history.csv"),
    ...                  current_spend=17_500_000)
    >>> r.current_year, round(r.spend_per_employee)
    (2026, 7231)
    """
    if not isinstance(history, pd.DataFrame):
        raise ParameterError(
            "`history` must be a DataFrame (cio_analytics.io.read_it_spend_history). "
            f"Got {type(history).__name__}."
        )
    missing = [c for c in ("year", "it_spend", "employees", "revenue") if c not in history]
    if missing:
        raise ParameterError(f"`history` is missing column(s) {missing}.")
    spend = as_float_array(current_spend, "current_spend", ndim=(0, 1), min_size=1)
    check_positive(spend, "current_spend")
    h = history.sort_values("year").reset_index(drop=True)
    open_rows = h[h["it_spend"].isna()]
    if current_year is None:
        current_year = (
            int(open_rows["year"].iloc[-1]) if len(open_rows) else int(h["year"].max()) + 1
        )
    current_year = check_int(current_year, "current_year")
    row = h[h["year"] == current_year]
    past = h[(h["year"] < current_year) & h["it_spend"].notna()]
    if len(past) < 2:
        raise ParameterError(
            f"the history needs at least two years with IT spend before {current_year} for a "
            f"trend. Got {len(past)}."
        )
    if employees is None:
        if row.empty:
            raise ParameterError(
                f"no row for {current_year} in the history: pass `employees` and `revenue`."
            )
        employees = float(row["employees"].iloc[0])
    if revenue is None:
        if row.empty:
            raise ParameterError(
                f"no row for {current_year} in the history: pass `employees` and `revenue`."
            )
        revenue = float(row["revenue"].iloc[0])
    employees = float(check_positive(employees, "employees"))
    revenue = float(check_positive(revenue, "revenue"))

    point = float(np.median(spend))
    low, high = (float(x) for x in np.quantile(spend, [0.1, 0.9]))
    table = past[["year", "it_spend", "employees", "revenue"]].astype(float).copy()
    table.loc[len(table)] = [current_year, point, employees, revenue]
    table["year"] = table["year"].astype(int)
    table["spend_per_employee"] = table["it_spend"] / table["employees"]
    table["spend_share_of_revenue"] = table["it_spend"] / table["revenue"]
    table["is_current"] = table["year"] == current_year

    years = past["year"].to_numpy(dtype=float)
    this = {
        "it_spend": (point, low, high),
        "spend_per_employee": (point / employees, low / employees, high / employees),
        "spend_share_of_revenue": (point / revenue, low / revenue, high / revenue),
    }
    rows = []
    for measure in _RATIOS:  # three measures
        values = table.loc[~table["is_current"], measure].to_numpy(dtype=float)
        slope, fitted, se = _trend(years, values, float(current_year))
        value, lo, hi = this[measure]
        hmin, hmax = float(values.min()), float(values.max())
        position = (
            "above the historical range"
            if value > hmax
            else "below the historical range"
            if value < hmin
            else "within the historical range"
        )
        rows.append(
            {
                "measure": measure,
                "this_year": value,
                "low": lo,
                "high": hi,
                "trend_value": fitted,
                "deviation": value / fitted - 1.0,
                "z_score": (value - fitted) / se if se and np.isfinite(se) and se > 0 else np.nan,
                "slope_per_year": slope,
                "cagr": (values[-1] / values[0]) ** (1.0 / (values.size - 1)) - 1.0,
                "historical_min": hmin,
                "historical_max": hmax,
                "historical_mean": float(values.mean()),
                "position": position,
            }
        )
    return SpendRatios(
        current_year=current_year,
        currency=currency,
        current_spend=point,
        current_spend_p10=low,
        current_spend_p90=high,
        employees=employees,
        revenue=revenue,
        spend_per_employee=point / employees,
        spend_share_of_revenue=point / revenue,
        table=table.reset_index(drop=True),
        trend=pd.DataFrame(rows),
    )
