"""Control charts and trends, so that noise is not read as change.

A month's figure moves for two reasons: common-cause noise (the number of tickets is finite) and
a real change in the process. Shewhart's control limits separate the two: a point outside
``centre +/- 3 sigma`` or a non-random run (the Western Electric rules) is a signal worth acting
on; anything else is noise. Proportions (SLA attainment, reopen rate, FCR) use a p-chart with
limits for each month's volume; continuous figures (time to resolve, backlog) an individuals
(XmR) chart. A robust Theil-Sen slope with its confidence interval says whether a drift is real.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from .._validation import check_choice, check_magnitude, check_probability
from ..exceptions import ParameterError

__all__ = [
    "D2",
    "D4",
    "DEFAULT_RULES",
    "E2",
    "RULES",
    "ControlChart",
    "Trend",
    "p_chart",
    "run_rules",
    "theil_sen_trend",
    "xmr_chart",
]

#: Bias constant d2 of the range of two normal observations (Montgomery, Appendix VI).
D2 = 1.128
#: Individuals-chart factor 3 / d2, as tabulated (2.66).
E2 = 2.66
#: Moving-range chart upper factor D4 for ranges of two (3.267).
D4 = 3.267

#: The run rules available: Western Electric rules 1-4 and Nelson's trend rule.
RULES = {
    "beyond_3sigma": "1 point beyond 3 sigma",
    "2_of_3_beyond_2sigma": "2 of 3 in a row beyond 2 sigma, same side",
    "4_of_5_beyond_1sigma": "4 of 5 in a row beyond 1 sigma, same side",
    "8_on_one_side": "8 in a row on one side of the centre line",
    "6_trending": "6 in a row steadily rising or falling",
}
#: The rules applied by default: the four Western Electric rules.
DEFAULT_RULES = ("beyond_3sigma", "2_of_3_beyond_2sigma", "4_of_5_beyond_1sigma", "8_on_one_side")


def _window_flags(mask: np.ndarray, width: int, need: int) -> np.ndarray:
    """Flag point i when it is True and the ``width`` points ending at i hold >= ``need``."""
    out = np.zeros(mask.size, dtype=bool)
    if mask.size >= width:
        counts = sliding_window_view(mask.astype(np.int64), width).sum(axis=1)
        out[width - 1 :] = counts >= need
    return out & mask


def _check_rules(rules: Any) -> tuple[str, ...]:
    chosen = (rules,) if isinstance(rules, str) else tuple(rules)
    for rule in chosen:
        check_choice(rule, "rules", list(RULES))
    if not chosen:
        raise ParameterError(f"`rules` must name at least one of {list(RULES)}.")
    return chosen


def run_rules(z: Any, *, rules: Any = DEFAULT_RULES) -> pd.DataFrame:
    """Western Electric run rules (and Nelson's trend rule) on standardised points.

    Parameters
    ----------
    z : array_like
        ``(value - centre) / sigma`` per point, in time order. NaN (a month with no data)
        satisfies no rule and breaks runs.

    Returns
    -------
    pandas.DataFrame
        One boolean column per rule in :data:`RULES` and ``signal`` (any applied rule), one
        row per point; rules not applied are all False. A window rule flags the point that completes the window, if that point is
        itself one of the points beyond the limit (as Minitab does).

    Notes
    -----
    Rule 1: ``|z| > 3``. Rule 2: 2 of 3 consecutive points with ``z > 2`` (or all ``z < -2``).
    Rule 3: 4 of 5 consecutive with ``z > 1`` (or ``z < -1``). Rule 4: 8 consecutive with
    ``z > 0`` (or ``z < 0``). Trend: 6 consecutive points each higher (or each lower) than the
    one before. Rule 1 alone flags about one point in 370 of a stable normal process; the four
    Western Electric rules together about one in 90 (Montgomery, section 5.3.6), so a year of
    monthly points for several teams will show the odd false alarm: read a signal with its
    size and its cause, and prefer rule 1 plus a sustained run for decisions.

    References
    ----------
    Western Electric Company (1956), *Statistical Quality Control Handbook*. NIST/SEMATECH
    e-Handbook of Statistical Methods, section 6.3.2 (Western Electric rules). L. S. Nelson
    (1984), "The Shewhart control chart - tests for special causes", *Journal of Quality
    Technology* 16(4).

    Examples
    --------
    >>> flags = run_rules([0.5, 3.2, 0.1, -2.5, -2.1, 0.0])
    >>> flags["signal"].tolist()
    [False, True, False, False, True, False]
    """
    z = np.asarray(z, dtype=float).ravel()
    with np.errstate(invalid="ignore"):
        flags = {"beyond_3sigma": np.abs(z) > 3}
        flags["2_of_3_beyond_2sigma"] = _window_flags(z > 2, 3, 2) | _window_flags(z < -2, 3, 2)
        flags["4_of_5_beyond_1sigma"] = _window_flags(z > 1, 5, 4) | _window_flags(z < -1, 5, 4)
        flags["8_on_one_side"] = _window_flags(z > 0, 8, 8) | _window_flags(z < 0, 8, 8)
        step = np.diff(z)
        up = np.concatenate([[False], step > 0])
        down = np.concatenate([[False], step < 0])
    flags["6_trending"] = _window_flags(up, 5, 5) | _window_flags(down, 5, 5)
    out = pd.DataFrame(flags)
    chosen = _check_rules(rules)
    out["signal"] = out[list(chosen)].any(axis=1)
    for name in RULES:
        if name not in chosen:
            out[name] = False
    return out


@dataclass(frozen=True)
class ControlChart:
    """A control chart: centre line, limits per point, run-rule signals.

    Attributes
    ----------
    kind : {"p", "xmr"}
        p-chart for proportions, individuals (XmR) chart for continuous values.
    baseline_points : int
        Points the centre and sigma were estimated from (the first ones), echoed.
    centre : float
        ``p-bar`` (pooled proportion) or ``X-bar`` (mean) of the baseline.
    mr_bar : float
        Mean moving range of the baseline (XmR only; NaN for a p-chart).
    points : pandas.DataFrame
        ``label``, ``value``, ``n`` (p-chart sample sizes), ``centre``, ``sigma``, ``lcl``,
        ``ucl``, ``z``, ``moving_range`` and ``mr_ucl`` (XmR), one flag per run rule,
        ``signal`` and ``side`` ("above", "below" or ""). ``z`` is +/-inf where sigma is 0
        (a constant baseline) and the point is off the centre: a certain signal.
    """

    kind: str
    baseline_points: int
    centre: float
    mr_bar: float
    points: pd.DataFrame = field(repr=False)

    @property
    def n_signals(self) -> int:
        """Points flagged by at least one rule."""
        return int(self.points["signal"].sum())

    @property
    def signals(self) -> pd.DataFrame:
        """The flagged points with the rules they broke (``rules``, text)."""
        flagged = self.points[self.points["signal"]].copy()
        names = np.array(list(RULES.values()))
        hits = flagged[list(RULES)].to_numpy()
        flagged["rules"] = ["; ".join(names[row]) for row in hits]
        return flagged[["label", "value", "lcl", "ucl", "side", "rules"]].reset_index(drop=True)

    @property
    def last_point_signal(self) -> bool:
        """Whether the latest point is flagged."""
        return bool(self.points["signal"].iloc[-1])

    def summary(self) -> pd.DataFrame:
        """Tidy table of the chart's figures (``metric``, ``value``)."""
        last = self.points.iloc[-1]
        rows = [
            ("centre", self.centre),
            ("baseline_points", float(self.baseline_points)),
            ("mr_bar", self.mr_bar),
            ("last_value", float(last["value"])),
            ("last_lcl", float(last["lcl"])),
            ("last_ucl", float(last["ucl"])),
            ("n_signals", float(self.n_signals)),
        ]
        return pd.DataFrame(rows, columns=["metric", "value"])


def _baseline(baseline_points: int | None, n: int) -> int:
    if baseline_points is None:
        return n
    if isinstance(baseline_points, bool) or not float(baseline_points).is_integer():
        raise ParameterError(
            f"`baseline_points` must be a whole number of points. Got {baseline_points!r}."
        )
    k = int(baseline_points)
    if not 2 <= k <= n:
        raise ParameterError(
            f"`baseline_points` must be between 2 and the number of points ({n}). Got {k}. "
            "Use the months before the change you want to test, or None for all."
        )
    return k


def _labels(labels: Any, n: int) -> np.ndarray:
    if labels is None:
        return np.arange(1, n + 1)
    out = np.asarray(labels)
    if out.shape != (n,):
        raise ParameterError(f"`labels` must have one entry per point ({n}). Got {out.shape}.")
    return out


def _finish(kind, k, centre, mr_bar, labels, value, n, sigma, lcl, ucl, extra, rules):
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = value - centre
        z = np.where(sigma > 0, dev / np.where(sigma > 0, sigma, 1.0), np.sign(dev) * np.inf)
        z = np.where(np.isnan(value), np.nan, np.where(dev == 0, 0.0, z))
        # A point on a limit is not beyond it: z within rounding of a zone edge (1, 2 or 3
        # sigma) is that edge, so the rules' strict comparisons do not depend on rounding.
        edge = np.round(z)
        z = np.where(np.abs(z - edge) <= 1e-9 * np.maximum(1.0, np.abs(z)), edge, z)
    flags = run_rules(z, rules=rules)
    side = np.where(flags["signal"], np.where(z > 0, "above", "below"), "")
    points = pd.DataFrame(
        {"label": labels, "value": value, "n": n, "centre": centre, "sigma": sigma,
         "lcl": lcl, "ucl": ucl, "z": z, **extra}
    )  # fmt: skip
    points = pd.concat([points, flags], axis=1)
    points["side"] = side
    return ControlChart(kind, k, float(centre), float(mr_bar), points)


def p_chart(
    n_events: Any,
    n_total: Any,
    *,
    labels: Any = None,
    baseline_points: int | None = None,
    rules: Any = DEFAULT_RULES,
) -> ControlChart:
    """p-chart of a proportion with limits for each point's sample size.

    Parameters
    ----------
    n_events : array_like
        Events per period (e.g. tickets resolved within target), >= 0.
    n_total : array_like
        Trials per period (tickets resolved), >= ``n_events``; 0 marks a period with no data.
    labels : array_like, optional
        Period labels (e.g. months), default 1, 2, ...
    baseline_points : int, optional
        Estimate ``p-bar`` from the first ``baseline_points`` periods only (phase I), so that a
        recent change does not move its own limits. Default: all periods.
    rules : sequence of str, default :data:`DEFAULT_RULES`
        Run rules to apply (see :func:`run_rules`).

    Returns
    -------
    ControlChart

    Notes
    -----
    ``p-bar = sum(x_i) / sum(n_i)`` over the baseline and, per period,
    ``limits = p-bar +/- 3 sqrt(p-bar (1 - p-bar) / n_i)``, clipped to [0, 1]. Points are
    standardised, ``z_i = (p_i - p-bar) / sigma_i``, and tested with :func:`run_rules`; a point
    on a limit (to within rounding, e.g. 99 of 99 when the upper limit is 1) does not signal.

    References
    ----------
    D. C. Montgomery (2013), *Introduction to Statistical Quality Control*, 7th ed., Wiley,
    section 7.2 (control chart for fraction nonconforming, variable sample size).
    NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.3.2 (proportions control charts).

    Examples
    --------
    >>> chart = p_chart([90, 92, 88, 70], [100, 100, 100, 100], baseline_points=3)
    >>> print(f"{chart.centre:.2f} {chart.points['lcl'].iloc[3]:.4f}")
    0.90 0.8100
    >>> chart.points["signal"].tolist()
    [False, False, False, True]
    """
    x = np.asarray(check_magnitude(n_events, "n_events", "number"), dtype=float).ravel()
    n = np.asarray(check_magnitude(n_total, "n_total", "number"), dtype=float).ravel()
    if x.shape != n.shape or x.size < 2:
        raise ParameterError(
            f"`n_events` and `n_total` must be arrays of the same length >= 2. Got {x.size} "
            f"and {n.size} values."
        )
    bad = ~((x >= 0) & (n >= x) & np.isfinite(n))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"each point needs 0 <= n_events <= n_total. Got {x[i]:g} of {n[i]:g} at point "
            f"{i + 1}. Pass counts (tickets met, tickets resolved), not rates."
        )
    tiny = (n > 0) & (n < 1)
    if tiny.any():
        i = int(np.flatnonzero(tiny)[0])
        raise ParameterError(
            f"`n_total` counts items (tickets resolved), so it is 0 or at least 1. Got "
            f"{n[i]:g} at point {i + 1}. Pass counts, not rates or shares."
        )
    k = _baseline(baseline_points, x.size)
    if n[:k].sum() == 0:
        raise ParameterError("the baseline periods hold no trials (`n_total` all 0).")
    pbar = float(x[:k].sum() / n[:k].sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, x / n, np.nan)
        sigma = np.where(n > 0, np.sqrt(pbar * (1 - pbar) / n), np.nan)
    lcl = np.clip(pbar - 3 * sigma, 0.0, 1.0)
    ucl = np.clip(pbar + 3 * sigma, 0.0, 1.0)
    extra = {"moving_range": np.nan, "mr_ucl": np.nan}
    return _finish(
        "p", k, pbar, np.nan, _labels(labels, x.size), value, n, sigma, lcl, ucl, extra,
        _check_rules(rules),
    )  # fmt: skip


def xmr_chart(
    values: Any,
    *,
    labels: Any = None,
    baseline_points: int | None = None,
    rules: Any = DEFAULT_RULES,
) -> ControlChart:
    """Individuals and moving-range (XmR) chart of a continuous monthly figure.

    Parameters
    ----------
    values : array_like
        One value per period, in time order (e.g. P90 hours to resolve); NaN for no data.
    labels : array_like, optional
        Period labels, default 1, 2, ...
    baseline_points : int, optional
        Estimate the centre and the moving range from the first ``baseline_points`` periods.
        Default: all.
    rules : sequence of str, default :data:`DEFAULT_RULES`
        Run rules to apply (see :func:`run_rules`).

    Returns
    -------
    ControlChart
        ``points`` also holds ``moving_range`` (``|x_i - x_{i-1}|``) and ``mr_ucl``
        (``D4 * MR-bar``); a moving range above it is flagged in ``mr_signal``.

    Notes
    -----
    ``X-bar`` is the baseline mean, ``MR-bar`` the mean of its ``k - 1`` moving ranges, and
    ``limits = X-bar +/- E2 MR-bar`` with ``E2 = 3 / d2 = 2.66`` (``d2 = 1.128`` for ranges of
    two), so ``sigma = E2 MR-bar / 3``. The moving-range chart's upper limit is
    ``D4 MR-bar = 3.267 MR-bar`` (lower limit 0). Limits are not clipped: clip them yourself
    for a figure that cannot be negative.

    References
    ----------
    D. C. Montgomery (2013), *Introduction to Statistical Quality Control*, 7th ed., section 6.4
    (individuals control chart) and Appendix VI (d2, D4). D. J. Wheeler (1995), *Advanced
    Topics in Statistical Process Control*, SPC Press (the 2.66 and 3.268 factors).

    Examples
    --------
    >>> chart = xmr_chart([10.0, 12.0, 11.0, 13.0, 12.0])
    >>> print(f"{chart.centre:.1f} {chart.mr_bar:.2f} {chart.points['ucl'].iloc[0]:.3f}")
    11.6 1.50 15.590
    """
    x = np.asarray(check_magnitude(values, "values", "number"), dtype=float).ravel()
    if x.size < 2:
        raise ParameterError(f"`values` needs at least 2 points. Got {x.size}.")
    k = _baseline(baseline_points, x.size)
    base = x[:k]
    mr = np.abs(np.diff(x))
    base_mr = mr[: k - 1]
    if np.isnan(base).all() or np.isnan(base_mr).all():
        raise ParameterError("the baseline holds no two consecutive values. Give more points.")
    centre = float(np.nanmean(base))
    mr_bar = float(np.nanmean(base_mr))
    sigma = np.full(x.size, E2 * mr_bar / 3.0)
    lcl = centre - E2 * mr_bar
    ucl = centre + E2 * mr_bar
    moving = np.concatenate([[np.nan], mr])
    with np.errstate(invalid="ignore"):
        extra = {"moving_range": moving, "mr_ucl": D4 * mr_bar}
    chart = _finish(
        "xmr", k, centre, mr_bar, _labels(labels, x.size), x, np.nan, sigma,
        np.full(x.size, lcl), np.full(x.size, ucl), extra, _check_rules(rules),
    )  # fmt: skip
    with np.errstate(invalid="ignore"):
        chart.points["mr_signal"] = moving > D4 * mr_bar
    return chart


@dataclass(frozen=True)
class Trend:
    """Robust linear trend (Theil-Sen) with a confidence interval for its slope.

    Attributes
    ----------
    slope, intercept : float
        Median pairwise slope (units per period) and the matching intercept.
    slope_low, slope_high : float
        Confidence interval of the slope.
    confidence_level : float
        Echoed.
    n_points : int
        Points used (NaN dropped).
    significant : bool
        True when the interval excludes 0.
    """

    slope: float
    intercept: float
    slope_low: float
    slope_high: float
    confidence_level: float
    n_points: int
    significant: bool

    @property
    def direction(self) -> str:
        """``"rising"``, ``"falling"`` or ``"flat"`` (interval includes 0)."""
        if not self.significant:
            return "flat"
        return "rising" if self.slope > 0 else "falling"

    def summary(self) -> pd.DataFrame:
        """Tidy table (``metric``, ``value``)."""
        rows = [
            ("slope", self.slope),
            ("slope_low", self.slope_low),
            ("slope_high", self.slope_high),
            ("intercept", self.intercept),
            ("confidence_level", self.confidence_level),
            ("n_points", float(self.n_points)),
        ]
        return pd.DataFrame(rows, columns=["metric", "value"])


def theil_sen_trend(values: Any, x: Any = None, *, confidence_level: float = 0.95) -> Trend:
    """Theil-Sen slope of a series with its confidence interval (robust to outliers).

    Parameters
    ----------
    values : array_like
        The series (e.g. monthly attainment); NaN points are dropped.
    x : array_like, optional
        Positions (default 0, 1, 2, ...: the slope is then per period).
    confidence_level : float, default 0.95
        Two-sided confidence of the slope interval, in [0.5, 1).

    Returns
    -------
    Trend

    Notes
    -----
    The slope is the median of ``(y_j - y_i) / (x_j - x_i)`` over all pairs ``i < j``; the
    interval comes from the distribution of Kendall's tau (Sen 1968), via
    :func:`scipy.stats.theilslopes`. A trend is *significant* when the interval excludes 0.

    References
    ----------
    P. K. Sen (1968), "Estimates of the regression coefficient based on Kendall's tau",
    *Journal of the American Statistical Association* 63(324). H. Theil (1950).

    Examples
    --------
    >>> trend = theil_sen_trend([0.90, 0.91, 0.89, 0.87, 0.85, 0.84, 0.82])
    >>> print(f"{trend.slope:.4f} {trend.direction}")
    -0.0167 falling
    """
    level = float(check_probability(confidence_level, "confidence_level"))
    if not 0.5 <= level < 1:
        # scipy's theilslopes reads a level below 0.5 as 1 - level (0.1 gave a 90 % interval)
        raise ParameterError(
            f"`confidence_level` must be in [0.5, 1), e.g. 0.95 for a 95 % interval. "
            f"Got {confidence_level!r}."
        )
    y = np.asarray(check_magnitude(values, "values", "number"), dtype=float).ravel()
    pos = (np.arange(y.size, dtype=float) if x is None
           else np.asarray(check_magnitude(x, "x", "number"), dtype=float).ravel())  # fmt: skip
    if pos.shape != y.shape:
        raise ParameterError(f"`x` must have one entry per value ({y.size}). Got {pos.size}.")
    ok = ~(np.isnan(y) | np.isnan(pos))
    if ok.sum() < 3 or np.unique(pos[ok]).size < 2:
        raise ParameterError(
            f"a trend needs at least 3 points at 2 or more positions. Got {int(ok.sum())}."
        )
    res = stats.theilslopes(y[ok], pos[ok], alpha=level)
    low, high = float(res.low_slope), float(res.high_slope)
    return Trend(
        slope=float(res.slope),
        intercept=float(res.intercept),
        slope_low=low,
        slope_high=high,
        confidence_level=level,
        n_points=int(ok.sum()),
        significant=bool(low > 0 or high < 0),
    )
