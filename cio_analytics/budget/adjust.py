"""The recommended adjustment: how much to cut from the remaining months, and where, to land on
budget at a stated percentile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs
from .._validation import check_probability, did_you_mean, short_repr
from ..exceptions import ParameterError
from .forecast import LandingForecast

__all__ = ["BudgetAdjustment", "recommend_adjustment"]


@dataclass(frozen=True)
class BudgetAdjustment:
    """Cuts in the remaining months that bring the landing within the target.

    Attributes
    ----------
    percentile, target, cut_from, max_cut_share, currency
        The inputs, echoed (``target`` defaults to the full-year budget).
    landing_at_percentile : float
        The landing's ``percentile`` quantile before any cut.
    reduction_needed : float
        ``max(landing_at_percentile - target, 0)``: the cut that lands within the target with
        probability ``percentile``.
    reduction_recommended : float
        What the eligible groups can give (equal to ``reduction_needed`` when ``feasible``).
    feasible : bool
        Whether the eligible groups can give the whole reduction.
    probability_of_overrun_before, probability_of_overrun_after : float
        Chance of landing above ``target`` without and with the recommended cut.
    landing_p50_after : float
        Median landing after the cut.
    n_months_remaining : int
    message : str
        One sentence for the report.
    table : DataFrame
        One row per group of the forecast: its ``by`` columns, ``eligible``, ``budget_total``,
        ``expected_landing``, ``expected_overrun``, ``cuttable`` (most that may be cut:
        ``max_cut_share`` of the remaining spend at the run-rate; commitments are never cut),
        ``cut``, ``cut_per_month`` and ``cut_share`` (cut / remaining run-rate spend); largest
        cut first.
    """

    percentile: float
    target: float
    cut_from: dict[str, tuple[str, ...]] | None
    max_cut_share: float
    currency: str
    landing_at_percentile: float
    reduction_needed: float
    reduction_recommended: float
    feasible: bool
    probability_of_overrun_before: float
    probability_of_overrun_after: float
    landing_p50_after: float
    n_months_remaining: int
    message: str
    table: pd.DataFrame = field(repr=False)

    confidence = deprecated_field("percentile", "confidence")
    landing_at_confidence = deprecated_field("landing_at_percentile", "landing_at_confidence")

    def cut_by(self, column: str) -> pd.DataFrame:
        """The recommended cut summed by one of the forecast's grouping columns."""
        if column not in self.table.columns or column in ("cut", "cuttable"):
            raise ParameterError(
                f"`column` must be a grouping column of the forecast. Got {short_repr(column)}."
            )
        out = self.table.groupby(column, sort=False)[["cuttable", "cut"]].sum()
        return out.sort_values("cut", ascending=False).reset_index()

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        c = self.currency
        rows = [
            ("percentile", self.percentile, "probability"),
            ("target", self.target, c),
            ("landing_at_percentile", self.landing_at_percentile, c),
            ("reduction_needed", self.reduction_needed, c),
            ("reduction_recommended", self.reduction_recommended, c),
            ("feasible", self.feasible, ""),
            ("probability_of_overrun_before", self.probability_of_overrun_before, "probability"),
            ("probability_of_overrun_after", self.probability_of_overrun_after, "probability"),
            ("landing_p50_after", self.landing_p50_after, c),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _eligible(forecast: LandingForecast, cut_from: Any) -> tuple[np.ndarray, dict | None]:
    groups = forecast.groups
    if cut_from is None:
        return np.ones(len(groups), dtype=bool), None
    if not isinstance(cut_from, dict):
        raise ParameterError(
            "`cut_from` must be a dict {column: values}, e.g. {'category': ['grow', "
            f"'transform']}}, or None for every group. Got {short_repr(cut_from)}."
        )
    mask = np.ones(len(groups), dtype=bool)
    clean = {}
    for col, values in cut_from.items():
        if col not in forecast.by:
            raise ParameterError(
                f"`cut_from` names column {short_repr(col)}, but the forecast is grouped by "
                f"{list(forecast.by)}.{did_you_mean(col, forecast.by)} Forecast with that "
                "column in `by`, or restrict by a grouping column."
            )
        vals = (values,) if isinstance(values, str) else tuple(values)
        present = list(pd.unique(groups[col]))
        for v in vals:
            if v not in present:
                raise ParameterError(
                    f"`cut_from[{col!r}]` names {short_repr(v)}, which is not in the forecast "
                    f"(values: {', '.join(map(repr, present))}).{did_you_mean(v, present)}"
                )
        mask &= groups[col].isin(vals).to_numpy()
        clean[col] = vals
    return mask, clean


def _allocate(needed: float, weights: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Share ``needed`` in proportion to ``weights``, never above ``cap`` (water-filling)."""
    cut = np.zeros_like(cap)
    remaining = needed
    active = (weights > 0) & (cap > 0)
    for _ in range(cap.size + 1):  # each pass fills at least one group or finishes
        if remaining <= 1e-9 * max(needed, 1.0) or not active.any():
            break
        share = remaining * np.where(active, weights, 0.0) / weights[active].sum()
        give = np.minimum(share, cap - cut)
        cut += give
        remaining -= give.sum()
        active &= (cap - cut) > 1e-12 * np.maximum(cap, 1.0)
    return cut


@renamed_kwargs(confidence="percentile")
def recommend_adjustment(
    forecast: LandingForecast,
    *,
    percentile: float = 0.8,
    target: float | None = None,
    cut_from: dict[str, Any] | None = None,
    max_cut_share: float = 0.5,
) -> BudgetAdjustment:
    """The reduction in the remaining months that lands on budget at a stated percentile.

    Parameters
    ----------
    forecast : LandingForecast
        From :func:`landing_forecast`.
    percentile : float, default 0.8
        Required probability of landing at or below ``target``, in [0, 1]: the cut brings the
        landing's ``percentile`` quantile (0.8: the P80) down to the target. Formerly
        ``confidence`` (deprecated alias).
    target : float, optional
        Full-year spend to land within (money); by default the full-year budget.
    cut_from : dict, optional
        Which groups may be cut, as ``{column: values}`` over the forecast's ``by`` columns,
        e.g. ``{"category": ["grow", "transform"]}`` (run spend protected). Default: every
        group.
    max_cut_share : float, default 0.5
        Most of a group's remaining run-rate spend that may be cut, in [0, 1].

    Returns
    -------
    BudgetAdjustment

    Notes
    -----
    A cut of ``R`` in the remaining months lowers every trial's landing by ``R``, so
    ``P(L - R <= T) >= percentile`` exactly when ``R >= Q_L(percentile) - T``: the needed
    reduction is ``max(Q_L(percentile) - T, 0)`` (``Q_L`` the simulated quantile). It is shared
    among the eligible groups in proportion to their expected overrun of their own budget
    (largest overrun gives most), each capped at ``max_cut_share`` of its remaining spend at the
    run-rate; what the overrunning groups cannot give is then shared among the other eligible
    groups in proportion to their remaining room. Committed spend is never cut.

    Examples
    --------
    >>> from cio_analytics.io import read_actuals, read_budget, read_commitments
    >>> from cio_analytics.budget import landing_forecast
    >>> fc = landing_forecast(read_budget("data/sample/budget.csv"),
    ...                       read_actuals("data/sample/actuals.csv"),
    ...                       read_commitments("data/sample/commitments.csv"),
    ...                       n_trials=2_000, rng=2026)
    >>> adj = recommend_adjustment(fc, percentile=0.8,
    ...                            cut_from={"category": ["grow", "transform"]})
    >>> bool(abs(adj.probability_of_overrun_after - 0.2) < 0.01) if adj.feasible else True
    True
    """
    if not isinstance(forecast, LandingForecast):
        raise ParameterError(
            "`forecast` must be a LandingForecast (from landing_forecast). "
            f"Got {type(forecast).__name__}."
        )
    percentile = float(check_probability(percentile, "percentile"))
    max_cut_share = float(check_probability(max_cut_share, "max_cut_share"))
    target = forecast.budget_total if target is None else float(target)
    if not np.isfinite(target):
        raise ParameterError(f"`target` must be a finite amount of money. Got {target!r}.")
    eligible, clean = _eligible(forecast, cut_from)

    groups = forecast.groups
    k = forecast.n_months_remaining
    remaining = groups["cuttable"].to_numpy(dtype=float)
    cap = np.where(eligible, max_cut_share * remaining, 0.0)
    over = np.maximum(groups["expected_overrun"].to_numpy(dtype=float), 0.0)

    landing = forecast.landing_samples
    at_conf = float(np.quantile(landing, percentile))
    needed = max(at_conf - target, 0.0)
    cut = _allocate(needed, np.where(eligible, over, 0.0), cap)
    left = needed - cut.sum()
    if left > 1e-9 * max(needed, 1.0):
        cut += _allocate(left, cap - cut, cap - cut)
    given = float(cut.sum())
    feasible = bool(needed - given <= 1e-6 * max(needed, 1.0))
    after = landing - given
    p_before = float((landing > target).mean())
    p_after = float((after > target).mean())
    c = forecast.currency
    if needed == 0:
        message = (
            f"No cut needed: the landing is within {c} {target:,.0f} with "
            f"{1 - p_before:.0%} probability (required {percentile:.0%})."
        )
    elif feasible:
        message = (
            f"Cut {c} {given:,.0f} from the remaining {k} month(s) to land within "
            f"{c} {target:,.0f} with {percentile:.0%} probability (overrun probability "
            f"{p_before:.0%} -> {p_after:.0%})."
        )
    else:
        message = (
            f"{c} {needed:,.0f} would be needed but the eligible spend allows only "
            f"{c} {given:,.0f} (at most {max_cut_share:.0%} of each group's remaining spend); "
            f"the overrun probability falls only from {p_before:.0%} to {p_after:.0%}. Widen "
            "`cut_from`, raise `max_cut_share` or revise the target."
        )
    table = groups[[*forecast.by] if forecast.by else ["group"]].copy()
    table["eligible"] = eligible
    for col in ("budget_total", "expected_landing", "expected_overrun"):
        table[col] = groups[col].to_numpy()
    table["cuttable"] = cap
    table["cut"] = cut
    table["cut_per_month"] = cut / k if k else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        table["cut_share"] = np.where(remaining > 0, cut / remaining, 0.0)
    table = table.sort_values("cut", ascending=False, kind="stable").reset_index(drop=True)
    return BudgetAdjustment(
        percentile=percentile,
        target=target,
        cut_from=clean,
        max_cut_share=max_cut_share,
        currency=c,
        landing_at_percentile=at_conf,
        reduction_needed=float(needed),
        reduction_recommended=given,
        feasible=feasible,
        probability_of_overrun_before=p_before,
        probability_of_overrun_after=p_after,
        landing_p50_after=float(np.median(after)),
        n_months_remaining=k,
        message=message,
        table=table,
    )
