"""Provider performance against its SLA: attainment per month, service credits due, trend.

The contract lists, per metric, a target and penalty bands: for a metric where higher is
better (availability), a band ``threshold 0.999, credit 0.05`` means "a month below 99.9 %
earns a credit of 5 % of the monthly fee"; deeper bands earn more, and the month's credit for
that metric is the deepest band reached (bands do not add up within a metric). Credits of all
metrics in a month add up and are capped at ``cap`` (a share of the monthly fee).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import as_float_array, check_magnitude, check_probability, short_repr
from ..exceptions import ParameterError

__all__ = ["SLAPerformance", "check_bands", "sla_performance"]

_BAND_COLUMNS = ("metric", "target", "direction", "threshold", "credit")
#: Accepted month text: 2026-01, 2026-1 or a date such as 2026-01-31.
_MONTH = r"\d{4}-\d{1,2}(-\d{1,2})?"


def check_bands(bands: Any) -> pd.DataFrame:
    """Validate a penalty-band table and return it sorted from the mildest band to the deepest.

    Parameters
    ----------
    bands : DataFrame
        ``metric, target, direction ("higher"/"lower"), threshold, credit`` (credit: share of
        the monthly fee, decimal), one row per band.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> b = pd.DataFrame({"metric": "availability", "target": 0.999, "direction": "higher",
    ...                   "threshold": [0.995, 0.999], "credit": [0.10, 0.05]})
    >>> check_bands(b)[["threshold", "credit"]].to_dict("list")
    {'threshold': [0.999, 0.995], 'credit': [0.05, 0.1]}
    """
    if not isinstance(bands, pd.DataFrame) or not set(_BAND_COLUMNS) <= set(bands.columns):
        raise ParameterError(
            f"`bands` must be a DataFrame with columns {', '.join(_BAND_COLUMNS)}. Got "
            f"{short_repr(bands)}. Read the contract with cio_analytics.io.read_sla_contract."
        )
    table = bands[list(_BAND_COLUMNS)].reset_index(drop=True).copy()
    for col in ("target", "threshold", "credit"):
        table[col] = as_float_array(table[col], col, ndim=1)
    check_probability(table["credit"].to_numpy(), "credit")
    parts = []
    for metric, grp in table.groupby("metric", sort=False):
        directions = set(grp["direction"])
        if len(directions) != 1 or not directions <= {"higher", "lower"}:
            raise ParameterError(
                f"Metric {metric!r}: `direction` must be one of 'higher', 'lower', the same on "
                f"every band. Got {sorted(map(str, directions))}."
            )
        if grp["target"].nunique() != 1:
            raise ParameterError(f"Metric {metric!r}: one target per metric. Got several.")
        higher = directions == {"higher"}
        grp = grp.sort_values("threshold", ascending=not higher, kind="stable")
        thr, credit = grp["threshold"].to_numpy(), grp["credit"].to_numpy()
        if np.any(thr[1:] == thr[:-1]):
            raise ParameterError(
                f"Metric {metric!r}: two bands share the threshold {thr[1:][thr[1:] == thr[:-1]][0]:g}. "
                "Merge them or correct one threshold."
            )
        if np.any(np.diff(credit) <= 0):
            raise ParameterError(
                f"Metric {metric!r}: bands are not ordered: a worse result must earn a larger "
                f"credit, but thresholds {thr.tolist()} carry credits {credit.tolist()}. "
                "Correct the credits so they rise as performance falls."
            )
        target = float(grp["target"].iloc[0])
        if (higher and thr[0] > target) or (not higher and thr[0] < target):
            raise ParameterError(
                f"Metric {metric!r}: the mildest band ({thr[0]:g}) lies on the good side of the "
                f"target ({target:g}), so a month meeting the target would pay a credit. "
                "Set the band at or beyond the target."
            )
        parts.append(grp)
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class SLAPerformance:
    """A provider's SLA attainment, credits due and trend.

    Attributes
    ----------
    bands : pandas.DataFrame
        The validated penalty bands.
    cap : float or None
        Most credit in one month, share of the monthly fee (None: no cap).
    currency : str
    monthly : pandas.DataFrame
        One row per month and metric: ``month, metric, target, actual, met, band_credit``.
    by_month : pandas.DataFrame
        ``month, monthly_fee, n_missed, credit_uncapped, credit_share, credit`` (shares of the
        fee; ``credit`` in currency).
    attainment : pandas.DataFrame
        Per metric: ``metric, target, n_months, n_met, attainment, mean_actual, worst_actual,
        worst_month, slope_per_year, trend_p_value, trend``.
    total_credit, total_fee : float
        Sums over the period, currency.
    n_months : int
    """

    bands: pd.DataFrame = field(repr=False)
    cap: float | None
    currency: str
    monthly: pd.DataFrame = field(repr=False)
    by_month: pd.DataFrame = field(repr=False)
    attainment: pd.DataFrame = field(repr=False)
    total_credit: float
    total_fee: float
    n_months: int

    def summary(self) -> pd.DataFrame:
        """Tidy table: ``metric, statistic, value``, one block per metric plus the credits."""
        rows = [("all", "total_credit", self.total_credit), ("all", "total_fee", self.total_fee)]
        rows.append(("all", "credit_share", self.total_credit / self.total_fee))
        for rec in self.attainment.itertuples():
            rows += [
                (rec.metric, "attainment", rec.attainment),
                (rec.metric, "mean_actual", rec.mean_actual),
                (rec.metric, "slope_per_year", rec.slope_per_year),
            ]
        return pd.DataFrame(rows, columns=["metric", "statistic", "value"])


def _months(values: Any) -> pd.PeriodIndex:
    series = pd.Series(values)
    try:
        if isinstance(series.dtype, pd.PeriodDtype):
            months = pd.PeriodIndex(series).asfreq("M")
        else:
            text = series.astype(str).str.strip()
            if not text.str.fullmatch(_MONTH).all():
                raise ValueError
            months = pd.PeriodIndex(text, freq="M")
    except (ValueError, TypeError):
        raise ParameterError(
            "`sla_data['month']` must hold months like '2026-01'. Got "
            f"{short_repr(list(values)[:3])}."
        ) from None
    if months.has_duplicates:
        dup = months[months.duplicated()][0]
        raise ParameterError(f"Month {dup} appears twice in `sla_data`. Keep one row per month.")
    return months


def _trend(y: np.ndarray, higher: bool) -> tuple[float, float, str]:
    n = y.size
    if n < 3 or np.ptp(y) == 0:
        return 0.0 if n >= 2 else float("nan"), float("nan"), "too little variation"
    fit = stats.linregress(np.arange(n, dtype=float), y)
    slope, p = float(fit.slope) * 12.0, float(fit.pvalue)
    if p >= 0.05:
        return slope, p, "no clear trend"
    return slope, p, "improving" if (slope > 0) == higher else "worsening"


def sla_performance(
    sla_data: pd.DataFrame,
    bands: pd.DataFrame,
    *,
    cap: float | None = None,
    currency: str = "EUR",
) -> SLAPerformance:
    """Monthly SLA attainment and service credits due under the contract's penalty bands.

    Parameters
    ----------
    sla_data : pandas.DataFrame
        One row per month: ``month`` ("YYYY-MM" or Period), ``monthly_fee`` (currency) and one
        column per metric named in ``bands`` (decimals: 0.9985 for 99.85 %).
    bands : pandas.DataFrame
        ``metric, target, direction, threshold, credit``; see :func:`check_bands`.
    cap : float, optional
        Most credit in a month as a share of its fee, in [0, 1] (e.g. 0.2); None for no cap.
    currency : str, default "EUR"

    Returns
    -------
    SLAPerformance

    Notes
    -----
    A month meets a metric's target when ``actual >= target`` (higher is better) or
    ``actual <= target`` (lower is better). A band applies when ``actual < threshold``
    (higher) or ``actual > threshold`` (lower), strictly: 99.9 % exactly is not "below
    99.9 %". The metric's credit is the largest applying band's; the month's credit share is
    ``min(sum over metrics, cap)`` and the credit ``share * monthly_fee``. The trend is the OLS
    slope of the monthly values (per year) with its two-sided p-value; it is called improving or
    worsening only when ``p < 0.05``, so month-to-month noise is not read as a trend.

    Examples
    --------
    >>> bands = pd.DataFrame({"metric": "availability", "target": 0.999, "direction": "higher",
    ...                       "threshold": [0.999, 0.995], "credit": [0.05, 0.10]})
    >>> data = pd.DataFrame({"month": ["2026-01", "2026-02", "2026-03"],
    ...                      "monthly_fee": 20000.0, "availability": [0.9995, 0.9970, 0.9940]})
    >>> res = sla_performance(data, bands, cap=0.15)
    >>> res.by_month["credit"].tolist(), res.total_credit  # 0, 5 % and 10 % of 20,000
    ([0.0, 1000.0, 2000.0], 3000.0)
    """
    table = check_bands(bands)
    if cap is not None:
        cap = float(check_probability(cap, "cap"))
    if not isinstance(sla_data, pd.DataFrame) or "month" not in sla_data:
        raise ParameterError(
            "`sla_data` must be a DataFrame with a `month` column, `monthly_fee` and one column "
            f"per metric. Got {short_repr(sla_data)}."
        )
    metrics = list(dict.fromkeys(table["metric"]))
    missing = [c for c in ["monthly_fee", *metrics] if c not in sla_data]
    if missing:
        raise ParameterError(
            f"`sla_data` lacks column {missing[0]!r}, which the bands need. Columns: "
            f"{list(sla_data.columns)}."
        )
    data = sla_data.assign(month=_months(sla_data["month"])).sort_values("month")
    fee = as_float_array(data["monthly_fee"], "monthly_fee", ndim=1)
    check_magnitude(fee, "monthly_fee", "amount")
    if np.any(fee < 0):
        raise ParameterError(f"`monthly_fee` must be 0 or more. Got {fee[fee < 0][0]:g}.")
    months = data["month"].to_numpy()
    long, attain, shares = [], [], np.zeros(len(data))
    for metric in metrics:  # a loop over metrics; months are vectorised
        spec = table[table["metric"] == metric]
        higher = spec["direction"].iloc[0] == "higher"
        target = float(spec["target"].iloc[0])
        y = as_float_array(data[metric], metric, ndim=1)
        if abs(target) <= 1 and np.any(np.abs(y) > 1):
            bad = y[np.abs(y) > 1][0]
            raise ParameterError(
                f"`sla_data['{metric}']` holds {bad:g} but the target is the decimal {target:g}. "
                f"Enter shares as decimals: {bad / 100:g} for {bad:g} %."
            )
        thr, credit = spec["threshold"].to_numpy(), spec["credit"].to_numpy()
        hits = y[:, None] < thr[None, :] if higher else y[:, None] > thr[None, :]
        band = np.where(hits, credit[None, :], 0.0).max(axis=1)
        met = y >= target if higher else y <= target
        shares += band
        long.append(
            pd.DataFrame(
                {
                    "month": months,
                    "metric": metric,
                    "target": target,
                    "actual": y,
                    "met": met,
                    "band_credit": band,
                }
            )
        )
        worst = int(np.argmin(y) if higher else np.argmax(y))
        slope, p, trend = _trend(y, higher)
        attain.append(
            (
                metric,
                target,
                y.size,
                int(met.sum()),
                float(met.mean()),
                float(y.mean()),
                float(y[worst]),
                months[worst],
                slope,
                p,
                trend,
            )
        )
    capped = np.minimum(shares, cap) if cap is not None else shares
    monthly = pd.concat(long, ignore_index=True)
    n_missed = (~monthly["met"]).groupby(monthly["month"]).sum()
    by_month = pd.DataFrame(
        {
            "month": months,
            "monthly_fee": fee,
            "n_missed": n_missed.reindex(months).to_numpy(),
            "credit_uncapped": shares,
            "credit_share": capped,
            "credit": capped * fee,
        }
    )
    attainment = pd.DataFrame(
        attain,
        columns=[
            "metric",
            "target",
            "n_months",
            "n_met",
            "attainment",
            "mean_actual",
            "worst_actual",
            "worst_month",
            "slope_per_year",
            "trend_p_value",
            "trend",
        ],
    )
    return SLAPerformance(
        bands=table,
        cap=cap,
        currency=str(currency),
        monthly=monthly,
        by_month=by_month,
        attainment=attainment,
        total_credit=float(by_month["credit"].sum()),
        total_fee=float(fee.sum()),
        n_months=len(data),
    )
