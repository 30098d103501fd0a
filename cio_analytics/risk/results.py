"""``SimulationResult``: statistics, tail measures, sensitivity, stress and convergence.

Everything here works on the stored samples; nothing re-simulates.

Conventions
-----------
* Outputs are costs or losses: **high is bad**. ``value_at_risk(0.95)`` is the 95th percentile
  of the output and ``expected_shortfall(0.95)`` the mean of the worst 5 % of trials (tail
  value at risk). For a profit-type output (NPV), analyse ``-npv`` or use the low quantiles.
* Quantiles interpolate linearly between order statistics (numpy's default, Hyndman & Fan
  type 7, the same as Excel's ``PERCENTILE.INC``).
* Standard errors assume independent trials (plain Monte Carlo). Latin hypercube and Sobol are
  usually more precise, so the stated errors are conservative for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from .._deprecation import renamed_kwargs
from .._validation import check_probability, did_you_mean
from ..exceptions import ParameterError
from ._base import Distribution
from ._order import sorting_order
from .correlation import gram

__all__ = [
    "SUMMARY_LEVELS",
    "CorrelationInfo",
    "SimulationResult",
    "precision_of",
    "wilks_sample_size",
]

SUMMARY_LEVELS = (0.05, 0.10, 0.20, 0.25, 0.50, 0.75, 0.80, 0.90, 0.95)


def _z(confidence: float) -> float:
    return float(special.ndtri(0.5 + confidence / 2.0))


def _quantile_ci(sorted_y: np.ndarray, p: float, confidence: float) -> tuple[float, float]:
    """Distribution-free CI of the p-quantile from order statistics (binomial ranks)."""
    n = sorted_y.size
    alpha = 1.0 - confidence
    lo = int(stats.binom.ppf(alpha / 2.0, n, p))  # 1-based rank l: P(B < l) <= alpha/2
    hi = int(stats.binom.ppf(1.0 - alpha / 2.0, n, p)) + 1
    return float(sorted_y[min(max(lo, 1), n) - 1]), float(sorted_y[min(max(hi, 1), n) - 1])


@dataclass(frozen=True)
class CorrelationInfo:
    """What correlation was asked for, what was imposed, and what the samples achieved.

    Attributes
    ----------
    target : DataFrame
        Spearman targets as given.
    used : DataFrame
        Targets actually imposed (Higham's nearest correlation matrix if ``repaired``).
    repaired : bool
        True if ``target`` was not positive semi-definite and was repaired.
    achieved : DataFrame
        Spearman rank correlations of the stored input samples.
    nearest : DataFrame or None
        Higham's nearest correlation matrix to ``target`` (Spearman space); None if the target
        needed no repair.
    normal : DataFrame or None
        The normal-score correlation Iman-Conover actually imposed (``2 sin(pi used / 6)``).
    normal_repaired : bool
        True if the normal-score form of ``nearest`` was indefinite and was repaired a second
        time in normal-score space; ``used`` (its Spearman equivalent) then differs from
        ``nearest`` (by up to about 0.02).
    """

    target: pd.DataFrame
    used: pd.DataFrame
    repaired: bool
    achieved: pd.DataFrame
    nearest: pd.DataFrame | None = None
    normal: pd.DataFrame | None = None
    normal_repaired: bool = False

    def matrices(self) -> pd.DataFrame:
        """Per pair: ``target``, ``nearest`` (Higham repair of the target), ``used`` (Spearman
        equivalent of what was imposed), ``normal_imposed`` (normal-score correlation used by
        Iman-Conover), ``gap`` (``used - nearest``) and ``achieved``."""
        names = list(self.target.index)
        near = self.nearest if self.nearest is not None else self.target
        rows = [
            {
                "input_a": a,
                "input_b": b,
                "target": self.target.loc[a, b],
                "nearest": near.loc[a, b],
                "used": self.used.loc[a, b],
                "normal_imposed": np.nan if self.normal is None else self.normal.loc[a, b],
                "gap": self.used.loc[a, b] - near.loc[a, b],
                "achieved": self.achieved.loc[a, b],
            }
            for i, a in enumerate(names)
            for b in names[i + 1 :]
        ]
        return pd.DataFrame(rows)

    @property
    def max_abs_error(self) -> float:
        """Largest |achieved - used| over the off-diagonal pairs."""
        return float(np.nanmax(np.abs(self.achieved.to_numpy() - self.used.to_numpy())))

    def summary(self) -> pd.DataFrame:
        """One row per pair: target, used (after any repair) and achieved rank correlation."""
        names = list(self.target.index)
        rows = [
            {
                "input_a": a,
                "input_b": b,
                "target": self.target.loc[a, b],
                "used": self.used.loc[a, b],
                "achieved": self.achieved.loc[a, b],
            }
            for i, a in enumerate(names)
            for b in names[i + 1 :]
        ]
        return pd.DataFrame(rows, columns=["input_a", "input_b", "target", "used", "achieved"])


def _mean(y: np.ndarray) -> float:
    """Mean without overflow: outputs near the float maximum average to a finite value."""
    with np.errstate(over="ignore"):
        out = float(y.mean())
    if np.isinf(out) and np.isfinite(y).all():  # the sum overflowed
        scale = float(np.max(np.abs(y)))
        out = float(np.mean(y / scale) * scale)
    return out


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of :func:`~cio_analytics.risk.simulate`.

    Attributes
    ----------
    samples : DataFrame
        The first ``n_kept`` trials: one column per input, then one per output.
    outputs : DataFrame
        Every trial's outputs (``n_trials`` rows).
    inputs : dict
        The input distributions (or constants) as given.
    n_trials, seed, method, block_size, chunk_size, n_kept
        The run's settings; ``simulate(..., rng=seed, block_size=block_size)`` replays it.
    correlation : CorrelationInfo or None
        Target, imposed and achieved rank correlations.
    precision : dict or None
        Set by :func:`simulate_until`: the statistic, its estimate, CI half-width, target and
        whether it was met.
    """

    samples: pd.DataFrame
    outputs: pd.DataFrame
    inputs: dict[str, Any]
    n_trials: int
    seed: int
    method: str
    block_size: int
    chunk_size: int
    n_kept: int
    correlation: CorrelationInfo | None = None
    precision: dict[str, Any] | None = None
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    # -- access -----------------------------------------------------------------------------
    @property
    def output_names(self) -> list[str]:
        """Names of the model outputs."""
        return list(self.outputs.columns)

    @property
    def input_names(self) -> list[str]:
        """Names of the inputs."""
        return list(self.inputs)

    def _name(self, output: str | None) -> str:
        names = self.output_names
        if output is None:
            if len(names) == 1:
                return names[0]
            raise ParameterError(f"The model has several outputs {names}: pass `output=`.")
        if output not in names:
            raise ParameterError(
                f"Unknown output {output!r}. Outputs are {names}.{did_you_mean(output, names)}"
            )
        return output

    def _sorted(self, output: str | None) -> np.ndarray:
        name = self._name(output)
        if name not in self._cache:
            y = self.outputs[name].to_numpy()
            self._cache[name] = np.sort(y[~np.isnan(y)])
        if self._cache[name].size == 0:
            raise ParameterError(f"Output {name!r} is NaN in every trial.")
        return self._cache[name]

    # -- statistics -------------------------------------------------------------------------
    def mean(self, output: str | None = None) -> float:
        """Mean of the output over its trials (NaN trials skipped)."""
        return _mean(self._sorted(output))

    def sd(self, output: str | None = None) -> float:
        """Sample standard deviation (``ddof=1``)."""
        y = self._sorted(output)
        return float(y.std(ddof=1)) if y.size > 1 else float("nan")

    def quantile(self, q: Any, output: str | None = None) -> Any:
        """Quantile(s) at level(s) ``q`` (0.8 for P80), linear interpolation (type 7)."""
        q = check_probability(q, "q")
        y = self._sorted(output)
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.quantile(y, q)
        if not np.all(np.isfinite(out)):  # interpolating near the float maximum overflowed
            scale = float(np.max(np.abs(y)))
            out = np.quantile(y / scale, q) * scale
        return float(out) if np.ndim(out) == 0 else out

    def probability_below(self, x: Any, output: str | None = None) -> Any:
        """Share of trials with output <= ``x`` (the confidence of a budget ``x``)."""
        y = self._sorted(output)
        out = np.searchsorted(y, np.asarray(x, dtype=float), side="right") / y.size
        return float(out) if np.ndim(out) == 0 else out

    def probability_above(self, x: Any, output: str | None = None) -> Any:
        """Share of trials with output > ``x`` (the exceedance probability)."""
        out = 1.0 - np.asarray(self.probability_below(x, output))
        return float(out) if np.ndim(out) == 0 else out

    @renamed_kwargs(level="percentile")
    def value_at_risk(self, percentile: float = 0.95, output: str | None = None) -> float:
        """The ``percentile`` quantile of the output (losses high), exceeded in
        ``1 - percentile`` of trials. ``level`` is the deprecated former name."""
        return self.quantile(check_probability(percentile, "percentile"), output)

    @renamed_kwargs(level="percentile")
    def expected_shortfall(self, percentile: float = 0.95, output: str | None = None) -> float:
        """Mean of the trials beyond the ``percentile`` quantile: the worst ``1 - percentile``
        share (tail value at risk; losses high). ``level`` is the deprecated former name.

        Notes
        -----
        With sorted outcomes ``y_(1) <= ... <= y_(n)``: the mean of ``y_(k+1) .. y_(n)`` with
        ``k = floor(percentile n)``. Converges to ``E[Y | Y >= VaR]`` for continuous ``Y``.
        """
        percentile = check_probability(percentile, "percentile")
        y = self._sorted(output)
        k = min(math.floor(percentile * y.size), y.size - 1)
        return _mean(y[k:])

    def exceedance_curve(self, output: str | None = None, n_points: int = 101) -> pd.DataFrame:
        """Loss exceedance curve: ``value`` and ``probability_exceeding`` (P(output > value))."""
        y = self._sorted(output)
        values = np.quantile(y, np.linspace(0.0, 1.0, int(n_points)))
        prob = 1.0 - np.searchsorted(y, values, side="right") / y.size
        return pd.DataFrame({"value": values, "probability_exceeding": prob})

    @renamed_kwargs(levels="percentiles", confidence="confidence_level")
    def summary(
        self, percentiles: tuple[float, ...] = SUMMARY_LEVELS, confidence_level: float = 0.95
    ) -> pd.DataFrame:
        """Tidy table per output: mean, sd and percentiles with standard errors and CIs.

        ``percentiles`` are the percentiles reported (0.9: the P90); ``confidence_level`` is
        the coverage of the intervals ``ci_low``/``ci_high``. ``levels`` and ``confidence``
        are the deprecated former names.

        Notes
        -----
        Mean: ``se = sd / sqrt(n)``, CI ``mean +- z se``. SD: ``se ~ sd / sqrt(2 (n - 1))``
        (normal theory). Percentile ``P``: distribution-free CI between order statistics with
        binomial ranks; ``se`` is that CI's half-width divided by ``z``.
        """
        confidence_level = check_probability(confidence_level, "confidence_level")
        z = _z(confidence_level)
        rows = []
        for name in self.output_names:
            y = self._sorted(name)
            n = y.size
            mean, sd = float(y.mean()), float(y.std(ddof=1)) if n > 1 else float("nan")
            se = sd / math.sqrt(n)
            rows.append((name, "mean", mean, se, mean - z * se, mean + z * se, n))
            se_sd = sd / math.sqrt(2 * max(n - 1, 1))
            rows.append((name, "sd", sd, se_sd, sd - z * se_sd, sd + z * se_sd, n))
            for p in percentiles:
                val = float(np.quantile(y, p))
                lo, hi = _quantile_ci(y, p, confidence_level)
                rows.append((name, f"P{p * 100:g}", val, (hi - lo) / (2 * z), lo, hi, n))
        return pd.DataFrame(
            rows, columns=["output", "statistic", "value", "se", "ci_low", "ci_high", "n_valid"]
        )

    # -- sensitivity ------------------------------------------------------------------------
    def _uncertain_inputs(self) -> list[str]:
        return [n for n, d in self.inputs.items() if isinstance(d, Distribution)]

    def _ranked(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(average ranks, sorted values) of a stored sample column, cached."""
        key = "rank:" + column
        if key not in self._cache:
            self._cache[key], self._cache["sorted:" + column] = _rank(
                self.samples[column].to_numpy()
            )
        return self._cache[key], self._cache["sorted:" + column]

    def rank_correlation(self, columns: list[str]) -> pd.DataFrame:
        """Spearman rank correlation matrix of stored sample columns (inputs or outputs)."""
        ranks = [self._ranked(c)[0] for c in columns]
        labels = pd.Index(columns)
        return pd.DataFrame(_pearson(ranks), index=labels, columns=labels)

    def sensitivity(
        self, output: str | None = None, *, low: float = 0.1, high: float = 0.9
    ) -> pd.DataFrame:
        """Tornado data from the stored samples, one row per uncertain input, most important first.

        Columns: ``spearman`` (rank correlation input-output), ``contribution_to_variance``
        (squared rank correlations normalised to sum to 1, as @RISK), ``low_mean`` and
        ``high_mean`` (mean output over trials with the input at or below its ``low`` quantile /
        at or above its ``high`` quantile: @RISK's "change in output mean" bins), ``swing``
        (``high_mean - low_mean``).
        """
        name = self._name(output)
        names = self._uncertain_inputs()
        if not names or self.n_kept < 3:
            raise ParameterError(
                "Sensitivity needs stored input samples: run with keep_inputs >= 3 and at least "
                "one uncertain input."
            )
        y = self.samples[name].to_numpy()
        if np.isnan(y).any():
            raise ParameterError(
                f"Output {name!r} has NaN trials; sensitivity needs every stored trial. "
                "Analyse a NaN-free output (e.g. replace an undefined IRR by a flag)."
            )
        y_rank = self._ranked(name)[0]
        n = y_rank.size
        y_mean = float(y_rank.mean())
        y_ss = float(np.einsum("i,i->", y_rank, y_rank)) - n * y_mean**2
        rho = np.empty(len(names))
        low_mean, high_mean = np.empty(len(names)), np.empty(len(names))
        for j, col in enumerate(names):  # loop over inputs, not trials
            r, xs = self._ranked(col)
            r_mean = float(r.mean())
            r_ss = float(np.einsum("i,i->", r, r)) - n * r_mean**2
            cov = float(np.einsum("i,i->", r, y_rank)) - n * r_mean * y_mean
            rho[j] = cov / math.sqrt(r_ss * y_ss) if r_ss > 0 and y_ss > 0 else 0.0
            x = self.samples[col].to_numpy()
            # np.compress: the same values in the same order as y[mask], in half the time.
            low_mean[j] = np.compress(x <= _type7(xs, low), y).mean()
            high_mean[j] = np.compress(x >= _type7(xs, high), y).mean()
        rho = np.nan_to_num(rho)
        total = (rho**2).sum()
        contrib = rho**2 / total if total > 0 else np.zeros_like(rho)
        table = pd.DataFrame(
            {
                "input": names,
                "spearman": rho,
                "contribution_to_variance": contrib,
                "low_mean": low_mean,
                "high_mean": high_mean,
                "swing": high_mean - low_mean,
            }
        )
        order = np.argsort(-np.abs(rho), kind="stable")
        return table.iloc[order].reset_index(drop=True)

    # -- stress and goal seek ---------------------------------------------------------------
    def stress(
        self, input: str, low: float = 0.9, high: float = 1.0, output: str | None = None
    ) -> pd.DataFrame:
        """Output statistics when ``input`` is held within its ``[low, high]`` percentile band.

        Uses the stored trials whose input value lies between its ``low`` and ``high``
        quantiles (e.g. ``low=0.9, high=1.0``: the input's worst decile). Returns rows
        ``mean, P10, P50, P80, P90`` with columns ``baseline``, ``stressed``, ``change``, and
        the number of trials in the band in ``stressed`` of row ``n_trials``.
        """
        name = self._name(output)
        if input not in self.inputs:
            raise ParameterError(
                f"Unknown input {input!r}.{did_you_mean(input, self.inputs)} "
                f"Inputs are {list(self.inputs)}."
            )
        low, high = check_probability(low, "low"), check_probability(high, "high")
        if low >= high:
            raise ParameterError(f"`low` must be below `high`. Got {low:g} and {high:g}.")
        x = self.samples[input].to_numpy()
        y = self.samples[name].to_numpy()
        lo_v, hi_v = np.quantile(x, [low, high])
        band = y[(x >= lo_v) & (x <= hi_v) & ~np.isnan(y)]
        base = y[~np.isnan(y)]
        if band.size == 0:
            raise ParameterError(f"No stored trial has {input!r} in that band. Widen it.")
        levels = [0.1, 0.5, 0.8, 0.9]
        rows = {"mean": (base.mean(), band.mean())}
        for p, b, s in zip(
            levels, np.quantile(base, levels), np.quantile(band, levels), strict=True
        ):
            rows[f"P{p * 100:g}"] = (b, s)
        table = pd.DataFrame(rows, index=["baseline", "stressed"]).T
        table["change"] = table["stressed"] - table["baseline"]
        table.loc["n_trials"] = [base.size, band.size, band.size - base.size]
        return table.rename_axis("statistic").reset_index()

    @renamed_kwargs(level="percentile")
    def contingency(self, base: float, percentile: float = 0.8, output: str | None = None) -> float:
        """Goal seek: the amount to add to ``base`` so the budget is the ``percentile`` (P80).

        ``contingency = P(percentile) - base``; with the budget ``base + contingency`` the
        output stays within budget in a share ``percentile`` of trials (up to interpolation).
        ``level`` is the deprecated former name.
        """
        return self.quantile(check_probability(percentile, "percentile"), output) - float(base)

    # -- convergence ------------------------------------------------------------------------
    @renamed_kwargs(confidence="confidence_level")
    def trials_for_precision(
        self,
        statistic: str | float = "mean",
        *,
        output: str | None = None,
        rel_tol: float | None = None,
        abs_tol: float | None = None,
        confidence_level: float = 0.95,
    ) -> int:
        """Trials needed for the ``confidence_level`` interval of ``statistic`` to have
        half-width at most ``abs_tol`` (or ``rel_tol`` times the estimate). ``confidence`` is
        the deprecated former name of ``confidence_level``.

        Notes
        -----
        ``n_needed = n (h / tol)^2`` where ``h`` is the current half-width, since it shrinks like
        ``1 / sqrt(n)``. For the mean this is ``(z sd / tol)^2``.
        """
        if (rel_tol is None) == (abs_tol is None):
            raise ParameterError("Give exactly one of `rel_tol` and `abs_tol`.")
        est, half = precision_of(self, statistic, output, confidence_level)
        tol = abs_tol if abs_tol is not None else rel_tol * abs(est)
        if tol is None or tol <= 0:
            raise ParameterError(f"The tolerance must be greater than 0. Got {tol!r}.")
        n = self._sorted(output).size
        return math.ceil(n * (half / tol) ** 2)


def _rank(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """1-based average ranks (ties share their mean rank) and the sorted values."""
    order = sorting_order(x)  # one SIMD sort; exact unless values agree to ~10 digits ...
    xs = x[order]
    if np.any(xs[1:] < xs[:-1]):  # ... which shows as a descent: use the full argsort
        order = np.argsort(x)
        xs = x[order]
    if np.any(xs[1:] == xs[:-1]):
        return stats.rankdata(x), xs
    ranks = np.empty(x.size)
    ranks[order] = np.arange(1.0, x.size + 1.0)
    return ranks, xs


def _pearson(rows: list[np.ndarray]) -> np.ndarray:
    """Correlation matrix of equal-length vectors (NaN for a constant one).

    ``cov = sum(x y) - n mean(x) mean(y)``, the sums of products in one single-threaded
    product of the stacked vectors (:func:`.correlation.gram`).
    """
    n = rows[0].size
    means = np.array([float(r.mean()) for r in rows])
    out = gram(_as_block(rows))
    out -= n * np.outer(means, means)
    sd = np.sqrt(np.maximum(np.diag(out), 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        out /= np.outer(sd, sd)
    np.fill_diagonal(out, 1.0)
    return out


def _as_block(rows: list[np.ndarray]) -> np.ndarray:
    """``np.stack(rows)``, without the copy when the rows already are one block's rows in order
    (Iman-Conover returns its ranks that way)."""
    base = rows[0].base
    if (
        isinstance(base, np.ndarray)
        and base.ndim == 2
        and base.dtype == np.float64
        and base.flags.c_contiguous
        and base.shape == (len(rows), rows[0].size)
        and all(
            r.base is base
            and r.dtype == np.float64
            and r.shape == base.shape[1:]
            and r.strides == base.strides[1:]
            and r.ctypes.data == base.ctypes.data + i * base.strides[0]
            for i, r in enumerate(rows)
        )
    ):
        return base
    return np.stack(rows)


def _type7(sorted_x: np.ndarray, p: float) -> float:
    """Linear-interpolation quantile of already sorted values."""
    h = (sorted_x.size - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, sorted_x.size - 1)
    return float(sorted_x[lo] + (h - lo) * (sorted_x[hi] - sorted_x[lo]))


def _percentile_of(statistic: str) -> float | None:
    """0.9 for "P90" / "p90" (a percentile target written as @RISK labels it), else None."""
    text = statistic.strip()
    if len(text) > 1 and text[0] in "pP":
        try:
            value = float(text[1:]) / 100.0
        except ValueError:
            return None
        return value if 0 < value < 1 else None
    return None


def precision_of(
    result: SimulationResult, statistic: str | float, output: str | None, confidence_level: float
) -> tuple[float, float]:
    """Estimate and CI half-width of the mean, the sd or a percentile of an output.

    ``statistic``: ``"mean"``, ``"sd"``, a percentile as a probability (``0.9``) or as text
    (``"P90"``). The sd's standard error uses the sample kurtosis, not normal theory:
    ``se(s) = sqrt((m4 - s^4 (n - 3) / (n - 1)) / n) / (2 s)`` (delta method on ``s^2``).
    """
    confidence_level = check_probability(confidence_level, "confidence_level")
    y = result._sorted(output)
    if statistic == "mean":
        return float(y.mean()), _z(confidence_level) * float(y.std(ddof=1)) / math.sqrt(y.size)
    if statistic == "sd":
        n = y.size
        if n < 4:
            return float(y.std(ddof=1)) if n > 1 else float("nan"), float("inf")
        d = y - y.mean()
        s2 = float(np.dot(d, d)) / (n - 1)
        m4 = float(np.mean(d**4))
        var_s2 = max(m4 - s2 * s2 * (n - 3) / (n - 1), 0.0) / n
        s = math.sqrt(s2)
        return s, _z(confidence_level) * (math.sqrt(var_s2) / (2 * s) if s > 0 else 0.0)
    if isinstance(statistic, str):
        p = _percentile_of(statistic)
        if p is None:
            raise ParameterError(
                f"`statistic` must be 'mean', 'sd', or a percentile such as 0.8 or 'P80'. "
                f"Got {statistic!r}."
            )
    else:
        p = check_probability(statistic, "statistic")
    lo, hi = _quantile_ci(y, p, confidence_level)
    return float(np.quantile(y, p)), (hi - lo) / 2.0


@renamed_kwargs(confidence="confidence_level")
def wilks_sample_size(
    coverage: float = 0.95, confidence_level: float = 0.95, order: int = 1
) -> int:
    """Trials needed so the ``order``-th largest exceeds the ``coverage`` quantile with
    probability ``confidence_level`` (formerly ``confidence``, a deprecated alias).

    Wilks' one-sided non-parametric tolerance limit: the smallest ``n`` with
    ``1 - BinomCDF(order - 1; n, 1 - coverage) >= confidence_level``. For 95 %/95 % and the sample
    maximum (``order=1``) this is the famous 59 (``1 - 0.95^59 = 0.9515``); the second largest
    needs 93.

    References
    ----------
    Wilks, S. S. (1941). Determination of sample sizes for setting tolerance limits. *Annals of
    Mathematical Statistics* 12(1), 91-96.

    Examples
    --------
    >>> wilks_sample_size(), wilks_sample_size(order=2), wilks_sample_size(0.99, 0.99)
    (59, 93, 459)
    """
    coverage = check_probability(coverage, "coverage")
    confidence_level = check_probability(confidence_level, "confidence_level")
    if not (0 < coverage < 1 and 0 < confidence_level < 1):
        raise ParameterError("`coverage` and `confidence_level` must be strictly between 0 and 1.")
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ParameterError(f"`order` must be a whole number >= 1. Got {order!r}.")
    hi = order
    while 1.0 - stats.binom.cdf(order - 1, hi, 1.0 - coverage) < confidence_level:
        hi *= 2  # bracket, then search the bracket in one vectorised call
    ns = np.arange(order, hi + 1)
    ok = 1.0 - stats.binom.cdf(order - 1, ns, 1.0 - coverage) >= confidence_level
    return int(ns[np.argmax(ok)])
