"""Full-year landing forecast: actuals to date + run-rate + committed spend, with uncertainty.

For every group (by default cost centre x category) the months still to come are forecast at the
group's run-rate (the mean of its last ``run_rate_months`` months of actuals) plus the spend
already committed for those months; the run-rate's error is simulated (Monte Carlo, trials x
months x groups in one array) from the month-to-month variability of the actuals. The result gives
the landing's P10/P50/P90, the probability of overrunning the full-year budget and the fan of
cumulative spend month by month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    check_int,
    check_magnitude,
    check_nonnegative,
    check_probability,
    resolve_seed,
)
from ..exceptions import ParameterError
from ._frame import as_by, check_spend, reported_months

__all__ = ["LandingForecast", "landing_forecast", "monthly_volatility"]

_GROUP_COLS = ("cost_centre", "line", "category", "expense_type", "sourcing")


def monthly_volatility(monthly_spend: Any) -> Any:
    """Month-to-month variability of spend: the von Neumann successive-difference estimate.

    Parameters
    ----------
    monthly_spend : array_like, shape (..., n_months)
        Spend per month (money), months on the last axis, at least two months.

    Returns
    -------
    float or ndarray
        Standard deviation of one month's spend around its level (money per month).

    Notes
    -----
    ``sigma = sqrt( sum_t (x_t - x_{t-1})^2 / (2 (n - 1)) )``. For independent months with a
    common level its square is an unbiased estimate of the variance, like the sample variance,
    but a slow trend (a ramp-up) inflates it far less, because only neighbouring months are
    compared.

    References
    ----------
    von Neumann, J., Kent, R. H., Bellinson, H. R., Hart, B. I. (1941). The mean square
    successive difference. *Annals of Mathematical Statistics* 12(2), 153-162.

    Examples
    --------
    >>> print(f"{monthly_volatility([100.0, 110.0, 100.0, 110.0]):.4f}")
    7.0711
    """
    x = np.asarray(monthly_spend, dtype=float)
    if x.ndim == 0 or x.shape[-1] < 2:
        raise ParameterError(
            "`monthly_spend` needs at least two months on its last axis to measure "
            f"month-to-month variability. Got shape {x.shape}."
        )
    check_magnitude(x, "monthly_spend", "amount")
    n = x.shape[-1]
    sigma = np.sqrt(np.sum(np.diff(x, axis=-1) ** 2, axis=-1) / (2.0 * (n - 1)))
    return float(sigma) if sigma.ndim == 0 else sigma


@dataclass(frozen=True, eq=False)
class LandingForecast:
    """Where the year lands: the range, the chance of overrun and the monthly fan.

    Attributes
    ----------
    by, run_rate_months, n_trials, seed, currency, include_run_rate_error
        The inputs, echoed; ``seed`` is the run's integer seed (``rng=seed`` replays it).
    months : list of Timestamp
        The budget year's months.
    n_months_reported, n_months_remaining : int
    budget_total : float
        Full-year budget.
    budget_to_date, actual_to_date : float
        Budget and actual spend of the reported months.
    committed_total : float
        Committed spend in the remaining months.
    run_rate_total : float
        Remaining months at the run-rate, without commitments: ``sum_g n_remaining * r_g``.
    expected_landing, landing_p10, landing_p50, landing_p90 : float
        Mean and quantiles of the full-year spend over the trials.
    probability_of_overrun : float
        Share of trials whose full-year spend exceeds ``budget_total``.
    expected_overrun : float
        Mean of ``max(landing - budget_total, 0)``.
    groups : DataFrame
        One row per group: the ``by`` columns, ``budget_total``, ``budget_to_date``,
        ``actual_to_date``, ``run_rate``, ``monthly_sd``, ``committed``, ``cuttable`` (remaining
        spend at the run-rate, excluding commitments), ``expected_landing``, ``landing_p10``,
        ``landing_p50``, ``landing_p90``, ``expected_overrun`` (expected landing - budget) and
        ``probability_of_overrun`` (of the group's own budget).
    monthly : DataFrame
        One row per month: ``month``, ``reported`` (bool), ``budget``, ``actual`` (NaN after the
        close), ``committed``, ``forecast_mean`` (actual in reported months), and the
        cumulative ``cum_budget``, ``cum_actual``, ``cum_p10``, ``cum_p50``, ``cum_p90`` (the
        fan; equal to the cumulative actual up to the close).
    landing_samples : ndarray, shape (n_trials,)
        Simulated full-year spend.
    group_samples : ndarray, shape (n_trials, n_groups)
        Simulated full-year spend per group (columns in the order of ``groups``).
    """

    by: tuple[str, ...]
    run_rate_months: int
    n_trials: int
    seed: int
    currency: str
    include_run_rate_error: bool
    months: list[pd.Timestamp]
    n_months_reported: int
    n_months_remaining: int
    budget_total: float
    budget_to_date: float
    actual_to_date: float
    committed_total: float
    run_rate_total: float
    expected_landing: float
    landing_p10: float
    landing_p50: float
    landing_p90: float
    probability_of_overrun: float
    expected_overrun: float
    groups: pd.DataFrame = field(repr=False)
    monthly: pd.DataFrame = field(repr=False)
    landing_samples: np.ndarray = field(repr=False)
    group_samples: np.ndarray = field(repr=False)

    def quantile(self, q: Any) -> Any:
        """Quantile(s) of the full-year spend (linear interpolation, Excel PERCENTILE.INC)."""
        q = check_probability(q, "q")
        out = np.quantile(self.landing_samples, q)
        return float(out) if np.ndim(out) == 0 else out

    def probability_above(self, amount: Any) -> Any:
        """Share of trials whose full-year spend exceeds ``amount`` (money)."""
        a = np.asarray(amount, dtype=float)
        s = np.sort(self.landing_samples)
        out = 1.0 - np.searchsorted(s, a, side="right") / s.size
        return float(out) if out.ndim == 0 else out

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        c = self.currency
        rows = [
            ("n_months_reported", self.n_months_reported, "months"),
            ("budget_total", self.budget_total, c),
            ("budget_to_date", self.budget_to_date, c),
            ("actual_to_date", self.actual_to_date, c),
            ("committed_total", self.committed_total, c),
            ("expected_landing", self.expected_landing, c),
            ("landing_p10", self.landing_p10, c),
            ("landing_p50", self.landing_p50, c),
            ("landing_p90", self.landing_p90, c),
            ("probability_of_overrun", self.probability_of_overrun, "probability"),
            ("expected_overrun", self.expected_overrun, c),
            ("n_trials", self.n_trials, "trials"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _pivot(frame: pd.DataFrame, by: tuple[str, ...], months: list, keys: pd.MultiIndex):
    """Amounts as a (n_groups, n_months) array in the order of ``keys``."""
    if by:
        table = frame.pivot_table(
            index=list(by), columns="month", values="amount", aggfunc="sum", fill_value=0.0
        )
        if len(by) == 1:
            table.index = pd.MultiIndex.from_arrays([table.index], names=list(by))
        table = table.reindex(index=keys, columns=months, fill_value=0.0)
        return table.to_numpy(dtype=float)
    sums = frame.groupby("month")["amount"].sum().reindex(months, fill_value=0.0)
    return sums.to_numpy(dtype=float)[None, :]


def _check_commitments(commitments: Any, by: tuple[str, ...], months: list, n_rep: int):
    if commitments is None:
        return None
    if not isinstance(commitments, pd.DataFrame):
        raise ParameterError(
            "`commitments` must be a DataFrame (cio_analytics.io.read_commitments) or None. "
            f"Got {type(commitments).__name__}."
        )
    need = [*by, "month", "amount"]
    missing = [c for c in need if c not in commitments.columns]
    if missing:
        raise ParameterError(
            f"`commitments` lacks column(s) {missing} needed to forecast by {list(by)}. Add "
            "them to the commitments file, or forecast by columns the file has (e.g. "
            "by='cost_centre')."
        )
    c = commitments.copy()
    c["month"] = pd.to_datetime(c["month"]).dt.to_period("M").dt.to_timestamp()
    c["amount"] = np.asarray(c["amount"], dtype=float)
    if (c["amount"] < 0).any():
        raise ParameterError("`commitments['amount']` must be 0 or more (spend still to come).")
    future = set(months[n_rep:])
    bad = ~c["month"].isin(future).to_numpy()
    if bad.any():
        m = c["month"].iloc[int(np.flatnonzero(bad)[0])]
        raise ParameterError(
            f"a commitment is dated {m:%Y-%m}, which is not a month still to come in the budget "
            f"year ({', '.join(f'{x:%Y-%m}' for x in months[n_rep:]) or 'none left'}). Date each "
            "commitment by the month its invoice is expected; spend of a closed month belongs "
            "in the actuals."
        )
    return c


def landing_forecast(
    budget: pd.DataFrame,
    actuals: pd.DataFrame,
    commitments: pd.DataFrame | None = None,
    *,
    by: Any = ("cost_centre", "category"),
    run_rate_months: int = 3,
    monthly_sd: float | None = None,
    include_run_rate_error: bool = True,
    n_trials: int = 10_000,
    currency: str = "EUR",
    rng: Any = None,
) -> LandingForecast:
    """Forecast the full-year spend: actuals to date + run-rate + commitments, with its range.

    Parameters
    ----------
    budget, actuals : DataFrame
        From :func:`cio_analytics.io.read_budget` and :func:`~cio_analytics.io.read_actuals`. The
        budget's months are the year; the actuals must be its first months without a gap.
    commitments : DataFrame, optional
        From :func:`~cio_analytics.io.read_commitments`: spend committed for the remaining
        months, on top of the run-rate (one-offs: purchase orders, milestones). It must have
        the ``by`` columns.
    by : str or sequence of str, default ("cost_centre", "category")
        The groups forecast separately (each with its own run-rate and variability): any of
        ``cost_centre, line, category, expense_type, sourcing``; ``()`` forecasts the total.
    run_rate_months : int, default 3
        Months of actuals averaged into the run-rate (the last ones; fewer if fewer reported).
    monthly_sd : float, optional
        Standard deviation of one month's spend per group (money). By default it is estimated
        from the actuals with :func:`monthly_volatility`; 0 gives the deterministic forecast.
    include_run_rate_error : bool, default True
        Also simulate the error of the run-rate itself (the mean of ``w`` months is uncertain,
        standard error ``sigma / sqrt(w)``), shared by all remaining months of a group.
    n_trials : int, default 10000
        Monte Carlo trials.
    currency : str, default "EUR"
    rng : None, int or numpy.random.Generator
        Seed or generator (SPEC 7); the same seed gives the same numbers.

    Returns
    -------
    LandingForecast

    Notes
    -----
    With ``m`` reported months, ``k`` remaining, group ``g`` having actuals ``a_g,t``, run-rate
    ``r_g`` (mean of the last ``w = min(run_rate_months, m)`` months), volatility ``sigma_g``
    and commitments ``c_g,j``, trial ``i`` spends in remaining month ``j``

    ``x_ig,j = r_g + c_g,j + sigma_g * (e_ig,j + u_ig / sqrt(w))``,  ``e, u ~ N(0, 1)``

    (``u`` only with ``include_run_rate_error``), and lands at
    ``L_i = sum_g (sum_t a_g,t + sum_j x_ig,j)``. Groups are independent, so
    ``L ~ Normal(A + C + k * sum_g r_g, sum_g sigma_g^2 (k + k^2 / w))``: the probability of
    overrun ``P(L > B)`` has this closed form, which the tests check. Monthly spend is not
    truncated at 0 (a normal model of steady spend). Commitments must be one-off spend that the
    run-rate does not already contain, or they are counted twice.

    Examples
    --------
    >>> from cio_analytics.io import read_actuals, read_budget, read_commitments
    >>> fc = landing_forecast(read_budget("data/sample/budget.csv"),
    ...                       read_actuals("data/sample/actuals.csv"),
    ...                       read_commitments("data/sample/commitments.csv"),
    ...                       n_trials=2_000, rng=2026)
    >>> fc.n_months_reported, fc.n_months_remaining
    (9, 3)
    >>> bool(fc.landing_p10 < fc.landing_p50 < fc.landing_p90)
    True
    """
    budget = check_spend(budget, "budget", allow_negative=False)
    actuals = check_spend(actuals, "actuals", allow_negative=True)
    by = as_by(by, allowed=_GROUP_COLS)
    w_max = check_int(run_rate_months, "run_rate_months", minimum=1)
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    if monthly_sd is not None:
        monthly_sd = float(check_nonnegative(monthly_sd, "monthly_sd"))
    seed, gen = resolve_seed(rng)

    months = sorted(pd.unique(budget["month"]))
    months = [pd.Timestamp(m) for m in months]
    m = reported_months(actuals, months)
    k = len(months) - m
    w = min(w_max, m)
    c = _check_commitments(commitments, by, months, m)

    if by:
        keys = pd.MultiIndex.from_frame(
            pd.concat([budget[list(by)], actuals[list(by)]]).drop_duplicates().sort_values(list(by))
        )
    else:
        keys = pd.MultiIndex.from_tuples([("total",)], names=["group"])
    b = _pivot(budget, by, months, keys)  # (G, 12)
    a = _pivot(actuals, by, months[:m], keys)  # (G, m)
    committed = _pivot(c, by, months[m:], keys) if c is not None and k else np.zeros((len(keys), k))
    if c is not None and by:
        known = set(keys)
        ckeys = list(c[list(by)].itertuples(index=False, name=None))
        unknown = [key for key in ckeys if key not in known]
        if unknown:
            raise ParameterError(
                f"a commitment is for {dict(zip(by, unknown[0], strict=True))}, which is in "
                "neither the budget nor the actuals. Check the cost centre and category."
            )

    run_rate = a[:, m - w :].mean(axis=1)
    if monthly_sd is not None:
        sigma = np.full(len(keys), monthly_sd)
    elif m < 2:
        raise ParameterError(
            "one reported month is not enough to estimate month-to-month variability. Pass "
            "`monthly_sd` (money per month per group) or wait for the second month's actuals."
        )
    else:
        sigma = monthly_volatility(a)

    # trials x months x groups in one array
    g = len(keys)
    future = gen.standard_normal((n_trials, k, g))  # becomes the spend, in place
    if include_run_rate_error:
        future += gen.standard_normal((n_trials, 1, g)) / math.sqrt(w)
    future *= sigma[None, None, :]
    future += run_rate[None, None, :] + committed.T[None, :, :]
    actual_to_date_g = a.sum(axis=1)
    group_samples = actual_to_date_g[None, :] + future.sum(axis=1)  # (n_trials, G)
    landing = group_samples.sum(axis=1)
    budget_total = float(b.sum())

    groups = keys.to_frame(index=False)
    budget_g = b.sum(axis=1)
    groups["budget_total"] = budget_g
    groups["budget_to_date"] = b[:, :m].sum(axis=1)
    groups["actual_to_date"] = actual_to_date_g
    groups["run_rate"] = run_rate
    groups["monthly_sd"] = sigma
    groups["committed"] = committed.sum(axis=1)
    groups["cuttable"] = np.maximum(k * run_rate, 0.0)
    groups["expected_landing"] = group_samples.mean(axis=0)
    q = np.quantile(group_samples, [0.1, 0.5, 0.9], axis=0)
    groups["landing_p10"], groups["landing_p50"], groups["landing_p90"] = q
    groups["expected_overrun"] = groups["expected_landing"] - budget_g
    groups["probability_of_overrun"] = (group_samples > budget_g[None, :]).mean(axis=0)

    monthly_total = future.sum(axis=2)  # (n_trials, k)
    cum = a.sum(axis=0).sum() + np.cumsum(monthly_total, axis=1)
    fan = np.quantile(cum, [0.1, 0.5, 0.9], axis=0) if k else np.zeros((3, 0))
    actual_month = a.sum(axis=0)
    cum_actual = np.cumsum(actual_month)
    monthly = pd.DataFrame({"month": months, "reported": np.arange(len(months)) < m})
    monthly["budget"] = b.sum(axis=0)
    monthly["actual"] = np.concatenate([actual_month, np.full(k, np.nan)])
    monthly["committed"] = np.concatenate([np.zeros(m), committed.sum(axis=0)])
    monthly["forecast_mean"] = np.concatenate([actual_month, monthly_total.mean(axis=0)])
    monthly["cum_budget"] = np.cumsum(monthly["budget"].to_numpy())
    monthly["cum_actual"] = np.concatenate([cum_actual, np.full(k, np.nan)])
    for i, name in enumerate(("cum_p10", "cum_p50", "cum_p90")):
        monthly[name] = np.concatenate([cum_actual, fan[i]])

    p10, p50, p90 = np.quantile(landing, [0.1, 0.5, 0.9])
    return LandingForecast(
        by=by,
        run_rate_months=w_max,
        n_trials=n_trials,
        seed=seed,
        currency=currency,
        include_run_rate_error=bool(include_run_rate_error),
        months=months,
        n_months_reported=m,
        n_months_remaining=k,
        budget_total=budget_total,
        budget_to_date=float(b[:, :m].sum()),
        actual_to_date=float(a.sum()),
        committed_total=float(committed.sum()),
        run_rate_total=float(k * run_rate.sum()),
        expected_landing=float(landing.mean()),
        landing_p10=float(p10),
        landing_p50=float(p50),
        landing_p90=float(p90),
        probability_of_overrun=float((landing > budget_total).mean()),
        expected_overrun=float(np.maximum(landing - budget_total, 0.0).mean()),
        groups=groups,
        monthly=monthly,
        landing_samples=landing,
        group_samples=group_samples,
    )
