"""Workload FTE for delivery and operations teams: demand hours by activity -> FTE.

Service desks are sized with queueing (Erlang); project and operations teams are sized by
workload: hours of work per period divided by the productive hours one FTE gives in that period,
at a utilisation below 100 % so that there is slack for the unplanned. Three-point estimates
(low, most likely, high) per activity give the uncertainty, by Monte Carlo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs
from .._validation import check_choice, check_frame, check_int, check_positive, resolve_seed
from ..exceptions import ParameterError

__all__ = ["WorkloadFTE", "workload_fte"]


@dataclass(frozen=True)
class WorkloadFTE:
    """FTE needed for a workload, with its uncertainty.

    Attributes
    ----------
    productive_hours_per_fte_year, utilisation_target, n_trials, distribution, seed
        The inputs, echoed.
    fte_likely : float
        FTE for the most likely hours: ``sum(demand_hours) / (productive_hours_per_fte_year *
        utilisation_target)``.
    fte_mean, fte_p50, fte_p80 : float
        Mean, median and 80th percentile of total FTE over the Monte Carlo trials.
    by_activity : pandas.DataFrame
        ``team, activity, low_hours, demand_hours, high_hours, mean_hours, fte_likely, fte_mean``.
    by_team : pandas.DataFrame
        ``team, demand_hours, fte_likely, fte_mean, fte_p50, fte_p80``, one row per team.
    fte_samples : numpy.ndarray
        Total FTE per trial, shape ``(n_trials,)``.
    """

    productive_hours_per_fte_year: float
    utilisation_target: float
    n_trials: int
    distribution: str
    seed: int
    fte_likely: float
    fte_mean: float
    fte_p50: float
    fte_p80: float
    by_activity: pd.DataFrame = field(repr=False)
    by_team: pd.DataFrame = field(repr=False)
    fte_samples: np.ndarray = field(repr=False)

    productive_hours_per_fte = deprecated_field(
        "productive_hours_per_fte_year", "productive_hours_per_fte"
    )

    @renamed_kwargs(confidence="percentile")
    def fte_at(self, percentile: float) -> float:
        """Total FTE at ``percentile`` of the trials (0.8: the P80, covering the workload with
        probability 0.8). ``confidence`` is the deprecated former name."""
        if not 0 < percentile < 1:
            raise ParameterError(
                f"`percentile` must be in (0, 1). Got {percentile!r}. Use 0.8 for P80."
            )
        return float(np.quantile(self.fte_samples, percentile))

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per headline figure (``metric``, ``value``, ``unit``)."""
        rows = [
            ("fte_likely", self.fte_likely, "FTE"),
            ("fte_mean", self.fte_mean, "FTE"),
            ("fte_p50", self.fte_p50, "FTE"),
            ("fte_p80", self.fte_p80, "FTE"),
            ("demand_hours", float(self.by_activity["demand_hours"].sum()), "h"),
            ("productive_hours_per_fte_year", self.productive_hours_per_fte_year, "h"),
            ("utilisation_target", self.utilisation_target, "share"),
            ("n_trials", float(self.n_trials), "count"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _demand_frame(demand: Any) -> pd.DataFrame:
    frame = pd.DataFrame(demand).copy()
    check_frame(
        frame,
        "demand",
        ("activity", "demand_hours"),
        fix="Read the file with cio_analytics.io.read_team_demand or rename the column.",
    )
    if "team" not in frame.columns:
        frame["team"] = "All"
    likely = pd.to_numeric(frame["demand_hours"], errors="coerce").to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "team": frame["team"].astype(str).to_numpy(),
            "activity": frame["activity"].astype(str).to_numpy(),
        }
    )
    for col in ("low_hours", "demand_hours", "high_hours"):
        if col in frame.columns:
            vals = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
            vals = np.where(np.isnan(vals), likely, vals)
        else:
            vals = likely
        if np.isnan(vals).any() or (vals < 0).any() or np.isinf(vals).any():
            pos = int(np.flatnonzero(~(vals >= 0) | np.isinf(vals))[0])
            raise ParameterError(
                f"`demand` column `{col}` must hold hours >= 0. Got {frame[col].iloc[pos]!r} "
                f"for activity {out['activity'].iloc[pos]!r}. Fill it with a number of hours."
            )
        out[col] = vals
    bad = (out["low_hours"] > out["demand_hours"]) | (out["demand_hours"] > out["high_hours"])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParameterError(
            f"`demand`: activity {out['activity'].iloc[pos]!r} needs low_hours <= demand_hours "
            f"<= high_hours. Got {out['low_hours'].iloc[pos]:g}, "
            f"{out['demand_hours'].iloc[pos]:g}, {out['high_hours'].iloc[pos]:g}. "
            "Correct the range."
        )
    return out


@renamed_kwargs(productive_hours_per_fte="productive_hours_per_fte_year")
def workload_fte(
    demand: Any,
    *,
    productive_hours_per_fte_year: float,
    utilisation_target: float = 0.85,
    n_trials: int = 10_000,
    distribution: str = "pert",
    rng: int | np.random.Generator | None = None,
) -> WorkloadFTE:
    """FTE needed to deliver a workload, with P50/P80 from three-point estimates.

    Parameters
    ----------
    demand : DataFrame or mapping of columns
        ``activity`` and ``demand_hours`` (most likely hours per period), optionally ``team``,
        ``low_hours`` and ``high_hours`` (see :func:`cio_analytics.io.read_team_demand`).
        Activities without a range are certain.
    productive_hours_per_fte_year : float
        Hours one FTE spends on this work per period (same period as the demand; e.g. a year of
        1,720 paid hours less leave, training and meetings = about 1,450 h).
    utilisation_target : float, default 0.85
        Share of productive hours planned with work, in (0, 1]; the rest absorbs variation.
    n_trials : int, default 10,000
        Monte Carlo trials.
    distribution : {"pert", "triangular"}, default "pert"
        Distribution of each activity's hours between low and high with the mode at the likely
        value.
    rng : None, int or numpy.random.Generator
        Seed or generator (SPEC 7).

    Returns
    -------
    WorkloadFTE

    Notes
    -----
    ``FTE = hours / (productive_hours_per_fte_year * utilisation_target)``. PERT draws
    ``low + (high - low) * Beta(1 + 4 (m - low) / (high - low), 1 + 4 (high - m) / (high - low))``
    with mean ``(low + 4 m + high) / 6``. Activities are sampled independently, which
    understates the spread when estimates share a bias (state such correlation in the range).

    References
    ----------
    Malcolm, Roseboom, Clark and Fazar (1959), "Application of a technique for research and
    development program evaluation", Operations Research 7(5) (PERT).

    Examples
    --------
    >>> demand = {"activity": ["build", "run"], "demand_hours": [2000.0, 1200.0]}
    >>> res = workload_fte(demand, productive_hours_per_fte_year=1600, utilisation_target=0.8)
    >>> print(f"{res.fte_likely:.2f}")
    2.50
    """
    productive = check_positive(productive_hours_per_fte_year, "productive_hours_per_fte_year")
    util = check_positive(utilisation_target, "utilisation_target")
    if np.ndim(productive) or np.ndim(util):
        raise ParameterError(
            "`productive_hours_per_fte_year` and `utilisation_target` must be single numbers."
        )
    if util > 1:
        raise ParameterError(
            f"`utilisation_target` must be in (0, 1]. Got {util:g}. "
            f"Use a decimal: {util / 100:g} for {util:g} %."
        )
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    check_choice(distribution, "distribution", ["pert", "triangular"])
    seed, gen = resolve_seed(rng)
    frame = _demand_frame(demand)

    low = frame["low_hours"].to_numpy()
    mode = frame["demand_hours"].to_numpy()
    high = frame["high_hours"].to_numpy()
    width = high - low
    spread = width > 0
    safe = np.where(spread, width, 1.0)
    if distribution == "pert":
        alpha = 1 + 4 * (mode - low) / safe
        beta = 1 + 4 * (high - mode) / safe
        u = gen.beta(alpha, beta, size=(n_trials, len(frame)))
        mean_hours = (low + 4 * mode + high) / 6
    else:
        c = (mode - low) / safe
        u = gen.triangular(0.0, np.where(spread, c, 0.5), 1.0, size=(n_trials, len(frame)))
        mean_hours = (low + mode + high) / 3
    hours = np.where(spread, low + width * u, mode)  # (n_trials, n_activities)

    per_fte = productive * util
    teams, team_idx = np.unique(frame["team"].to_numpy(), return_inverse=True)
    onehot = np.zeros((len(frame), len(teams)))
    onehot[np.arange(len(frame)), team_idx] = 1.0
    team_fte = hours @ onehot / per_fte  # (n_trials, n_teams)
    total = team_fte.sum(axis=1)

    by_activity = frame[["team", "activity", "low_hours", "demand_hours", "high_hours"]].copy()
    by_activity["mean_hours"] = mean_hours
    by_activity["fte_likely"] = mode / per_fte
    by_activity["fte_mean"] = mean_hours / per_fte
    by_team = pd.DataFrame(
        {
            "team": teams,
            "demand_hours": mode @ onehot,
            "fte_likely": mode @ onehot / per_fte,
            "fte_mean": team_fte.mean(axis=0),
            "fte_p50": np.quantile(team_fte, 0.5, axis=0),
            "fte_p80": np.quantile(team_fte, 0.8, axis=0),
        }
    )
    return WorkloadFTE(
        productive_hours_per_fte_year=float(productive),
        utilisation_target=float(util),
        n_trials=n_trials,
        distribution=distribution,
        seed=seed,
        fte_likely=float(mode.sum() / per_fte),
        fte_mean=float(total.mean()),
        fte_p50=float(np.quantile(total, 0.5)),
        fte_p80=float(np.quantile(total, 0.8)),
        by_activity=by_activity,
        by_team=by_team,
        fte_samples=total,
    )
