"""Portfolio value risk: correlated Monte Carlo over project NPVs with the risk engine.

Each project's NPV is a PERT on ``[npv_low, npv_high]`` whose mean is the expected ``npv``
(the mode is backed out: ``mode = (6 npv - low - high) / 4``). Projects that share a
``risk_driver`` (the same supplier, platform or business programme) move together: their rank
correlation is ``within_driver``; other pairs get ``between_drivers``. The samples come from
:func:`cio_analytics.risk.simulate` (Latin hypercube, Iman-Conover rank correlation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs, warn_renamed
from .._validation import check_int, check_probability, short_repr
from ..exceptions import ParameterError
from ..risk import PERT, SimulationResult, simulate
from .model import Portfolio
from .select import PortfolioSelection, downside

__all__ = ["PortfolioRisk", "driver_correlation", "project_scenarios", "simulate_portfolio"]


def _inputs(portfolio: Portfolio, ids: list[str]) -> dict[str, Any]:
    info = portfolio.projects.loc[ids]
    low, npv, high = (info[c].to_numpy() for c in ("npv_low", "npv", "npv_high"))
    out: dict[str, Any] = {}
    for j, (lo, mean, hi) in enumerate(zip(low, npv, high, strict=True)):
        if hi - lo <= 1e-12 * max(abs(hi), 1.0):
            out[f"p{j}"] = float(mean)
        else:
            mode = min(max((6.0 * mean - lo - hi) / 4.0, lo), hi)
            out[f"p{j}"] = PERT(lo, mode, hi)
    return out


def _check_corr(within_driver: float, between_drivers: float) -> tuple[float, float]:
    w = float(check_probability(within_driver, "within_driver"))
    b = float(check_probability(between_drivers, "between_drivers"))
    if b > w or w >= 1.0:
        raise ParameterError(
            f"Need 0 <= between_drivers <= within_driver < 1 (a valid correlation matrix). Got "
            f"within_driver={w:g}, between_drivers={b:g}."
        )
    return w, b


def driver_correlation(portfolio: Portfolio, ids: Iterable[str] | None = None, *,
                       within_driver: float = 0.5, between_drivers: float = 0.0) -> pd.DataFrame:  # fmt: skip
    """Rank-correlation targets between project NPVs from their shared risk drivers.

    Returns
    -------
    DataFrame
        Square, labelled by project id: 1 on the diagonal, ``within_driver`` for two projects
        with the same non-empty ``risk_driver``, ``between_drivers`` otherwise. Positive
        semi-definite whenever ``0 <= between_drivers <= within_driver <= 1`` (a sum of a
        constant matrix, block constants and a diagonal, each PSD).

    Examples
    --------
    >>> t = pd.DataFrame({"id": list("ABC"), "npv": [1.0] * 3, "cost_2027": [1.0] * 3,
    ...                   "risk_driver": ["erp", "erp", ""]})
    >>> driver_correlation(Portfolio.from_table(t), within_driver=0.6).to_numpy().tolist()
    [[1.0, 0.6, 0.0], [0.6, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    w, b = _check_corr(within_driver, between_drivers)
    ids = list(portfolio.ids if ids is None else ids)
    drivers = portfolio.projects.loc[ids, "risk_driver"].to_numpy()
    same = (drivers[:, None] == drivers[None, :]) & (drivers[:, None] != "")
    mat = np.where(same, w, b)
    np.fill_diagonal(mat, 1.0)
    return pd.DataFrame(mat, index=ids, columns=ids)


def _run(portfolio, ids, n_trials, within, between, method, rng, keep: int) -> SimulationResult:
    inputs = _inputs(portfolio, ids)
    uncertain = [k for k, v in inputs.items() if not isinstance(v, float)]
    corr = None
    if len(uncertain) > 1 and (within > 0 or between > 0) and n_trials <= len(uncertain):
        raise ParameterError(
            f"Correlated sampling of {len(uncertain)} uncertain projects needs more trials than "
            f"projects (Iman-Conover). Got n_trials={n_trials}. Use at least {len(uncertain) + 1} "
            "(scenarios), or within_driver=0 and between_drivers=0 for independent projects."
        )
    if len(uncertain) > 1:
        full = driver_correlation(portfolio, ids, within_driver=within, between_drivers=between)
        pos = [int(k[1:]) for k in uncertain]
        sub = full.to_numpy()[np.ix_(pos, pos)]
        if np.any(sub[~np.eye(len(pos), dtype=bool)] != 0):
            corr = pd.DataFrame(sub, index=uncertain, columns=uncertain)
    names = list(inputs)
    return simulate(lambda a: {"portfolio_npv": sum(a[k] for k in names)}, inputs, n_trials,
                    correlation=corr, method=method, rng=rng, keep_inputs=keep)  # fmt: skip


def project_scenarios(portfolio: Portfolio, n_trials: int, *, within_driver: float = 0.5,
                      between_drivers: float = 0.0, method: str = "lhs",
                      rng: int | np.random.Generator | None = None) -> pd.DataFrame:  # fmt: skip
    """Correlated NPV scenarios of every project (rows: scenarios, columns: project ids).

    The input of the risk-adjusted objectives of :func:`select_portfolio` and of
    :func:`efficient_frontier`. ``attrs["seed"]`` records the seed.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "npv": [10.0, 5.0], "npv_low": [0.0, 5.0],
    ...                   "npv_high": [30.0, 5.0], "cost_2027": [1.0, 1.0]})
    >>> s = project_scenarios(Portfolio.from_table(t), 2000, rng=1)
    >>> s.shape, round(float(s["A"].mean()), 1), float(s["B"].std())
    ((2000, 2), 10.0, 0.0)
    """
    n_trials = check_int(n_trials, "n_trials", minimum=2)
    w, b = _check_corr(within_driver, between_drivers)
    ids = list(portfolio.ids)
    res = _run(portfolio, ids, n_trials, w, b, method, rng, keep=n_trials)
    cols = [f"p{j}" for j in range(len(ids))]
    frame = pd.DataFrame(res.samples[cols].to_numpy(), columns=ids)
    frame.attrs["seed"] = res.seed
    return frame


@dataclass(frozen=True)
class PortfolioRisk:
    """Monte Carlo distribution of the NPV of a chosen portfolio.

    Attributes
    ----------
    portfolio : Portfolio
        The candidate list, echoed.
    selected : tuple of str
        The projects simulated.
    n_trials, seed, tail_share, within_driver, between_drivers
        The run's settings (``tail_share``: the share of worst trials in the expected
        shortfall, 0.1 for the worst 10 %).
    expected_value : float
        Sum of the selected projects' expected NPVs (the simulated mean estimates it).
    mean, npv_p10, npv_p50, npv_p90 : float
        Simulated mean and the 10th, 50th and 90th percentiles (type 7, as Excel
        PERCENTILE.INC) of portfolio NPV.
    expected_shortfall : float
        Mean portfolio NPV over the worst ``tail_share`` of trials.
    probability_negative : float
        Share of trials with a portfolio NPV below 0.
    by_project : DataFrame
        Per project: ``name``, ``risk_driver``, ``npv``, ``sd`` and ``share_of_variance``
        (``cov(NPV_i, total) / var(total)``; the shares add up to 1).
    simulation : SimulationResult
        The risk engine's result (inputs ``p0``, ``p1``... in ``selected`` order).
    """

    portfolio: Portfolio
    selected: tuple[str, ...]
    n_trials: int
    seed: int
    tail_share: float
    within_driver: float
    between_drivers: float
    expected_value: float
    mean: float
    npv_p10: float
    npv_p50: float
    npv_p90: float
    expected_shortfall: float
    probability_negative: float
    by_project: pd.DataFrame
    simulation: SimulationResult

    level = deprecated_field("tail_share", "level")
    p50 = deprecated_field("npv_p50", "p50")

    @property
    def p_low(self) -> float:
        """Deprecated: the ``tail_share`` quantile of NPV (``npv_p10`` at the default 0.1)."""
        warn_renamed("PortfolioRisk.p_low", ".npv_p10 (the P10)")
        return float(np.quantile(self.values, self.tail_share))

    @property
    def p_high(self) -> float:
        """Deprecated: the ``1 - tail_share`` quantile (``npv_p90`` at the default 0.1)."""
        warn_renamed("PortfolioRisk.p_high", ".npv_p90 (the P90)")
        return float(np.quantile(self.values, 1 - self.tail_share))

    @property
    def values(self) -> np.ndarray:
        """Portfolio NPV of every trial."""
        return self.simulation.outputs["portfolio_npv"].to_numpy()

    def summary(self) -> pd.DataFrame:
        """Tidy headline figures: ``metric``, ``value``, ``unit``."""
        cur = self.portfolio.currency
        rows = [("n_selected", len(self.selected), "projects"),
                ("expected_value", self.expected_value, cur), ("mean", self.mean, cur),
                ("npv_p10", self.npv_p10, cur), ("npv_p50", self.npv_p50, cur),
                ("npv_p90", self.npv_p90, cur), ("tail_share", self.tail_share, "share"),
                ("expected_shortfall", self.expected_shortfall, cur),
                ("probability_negative", self.probability_negative, "probability"),
                ("n_trials", self.n_trials, "trials"), ("seed", self.seed, "")]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


@renamed_kwargs(level="tail_share")
def simulate_portfolio(portfolio: Portfolio, selected: Any, n_trials: int = 10_000, *,
                       tail_share: float = 0.1, within_driver: float = 0.5,
                       between_drivers: float = 0.0, method: str = "lhs",
                       rng: int | np.random.Generator | None = None) -> PortfolioRisk:  # fmt: skip
    """Simulate the NPV of a portfolio with correlated project outcomes.

    Parameters
    ----------
    portfolio : Portfolio
        The candidates.
    selected : PortfolioSelection or iterable of str
        The chosen projects (a selection result or project ids).
    n_trials : int
        Simulated outcomes (>= 2).
    tail_share : float
        Share of worst trials in the expected shortfall, in (0, 0.5]: 0.1 gives the mean of
        the worst 10 %. Formerly ``level`` (deprecated alias; it also set the percentiles
        reported, now always P10/P50/P90).
    within_driver, between_drivers : float
        Spearman rank correlation of two projects with the same / different risk drivers.
    method : {"lhs", "mc", "sobol"}
        Sampling method of :func:`cio_analytics.risk.simulate`.
    rng : None, int or Generator
        Seed; recorded on the result.

    Returns
    -------
    PortfolioRisk

    Notes
    -----
    Portfolio NPV = sum of the selected projects' NPVs, each PERT(low, mode, high) with
    ``mode = (6 E - low - high) / 4`` so that its mean is the expected NPV ``E`` the optimiser
    used. Correlation is imposed on ranks (Iman and Conover 1982).

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["A", "B"], "npv": [10.0, 20.0], "npv_low": [0.0, 5.0],
    ...                   "npv_high": [30.0, 50.0], "cost_2027": [1.0, 1.0],
    ...                   "risk_driver": ["x", "x"]})
    >>> r = simulate_portfolio(Portfolio.from_table(t), ["A", "B"], 20_000, rng=3)
    >>> print(f"{r.mean:.1f} {r.expected_value:.1f} {r.npv_p10 < r.npv_p50 < r.npv_p90}")
    30.0 30.0 True
    """
    if isinstance(selected, PortfolioSelection):
        selected = selected.selected
    if isinstance(selected, str) or not isinstance(selected, Iterable):
        raise ParameterError(f"`selected` must be a PortfolioSelection or a list of project ids. "
                             f"Got {short_repr(selected)}.")  # fmt: skip
    ids = [str(s) for s in selected]
    unknown = [s for s in ids if s not in portfolio.projects.index]
    if unknown:
        raise ParameterError(f"`selected` names unknown project {unknown[0]!r}.")
    if not ids:
        raise ParameterError("`selected` is empty: there is no portfolio to simulate.")
    ids = [p for p in portfolio.ids if p in set(ids)]
    n_trials = check_int(n_trials, "n_trials", minimum=2)
    tail_share = float(check_probability(tail_share, "tail_share"))
    if not 0 < tail_share <= 0.5:
        raise ParameterError(
            f"`tail_share` must be a share of worst outcomes in (0, 0.5], e.g. 0.1 for the worst "
            f"10 %. Got {tail_share:g}."
        )
    w, b = _check_corr(within_driver, between_drivers)
    res = _run(portfolio, ids, n_trials, w, b, method, rng, keep=n_trials)
    total = res.outputs["portfolio_npv"].to_numpy()
    x = res.samples[[f"p{j}" for j in range(len(ids))]].to_numpy()
    xc, tc = x - x.mean(axis=0), total - total.mean()
    var = float(tc @ tc)
    share = (xc.T @ tc) / var if var > 0 else np.full(len(ids), np.nan)
    info = portfolio.projects.loc[ids]
    by_project = pd.DataFrame({"name": info["name"], "risk_driver": info["risk_driver"],
                               "npv": info["npv"], "sd": x.std(axis=0, ddof=1),
                               "share_of_variance": share}, index=pd.Index(ids, name="id"))  # fmt: skip
    q = np.quantile(total, [0.1, 0.5, 0.9])
    return PortfolioRisk(
        portfolio, tuple(ids), n_trials, res.seed, tail_share, w, b,
        float(info["npv"].sum()), float(total.mean()), float(q[0]), float(q[1]), float(q[2]),
        float(downside(total, "expected_shortfall", tail_share)), float(np.mean(total < 0)),
        by_project, res,
    )  # fmt: skip
