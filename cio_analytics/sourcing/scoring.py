"""Weighted multi-criteria scoring of offers, and how far the weights can move before the
winner changes.

Each criterion's raw values are turned into utilities in [0, 1] (1 best) by a documented
normalisation, the weighted sum ranks the offers, and three sensitivity views follow:

* :attr:`ScoringResult.flip_weights`: for each pair of offers and each criterion, the weight at
  which the pair swaps places (the other weights keep their proportions);
* :attr:`ScoringResult.winner_stability`: for each criterion, the range of its weight over which
  the winner stays, and who wins beyond each end;
* :attr:`ScoringResult.acceptability`: rank-acceptability indices (SMAA-2) from weights drawn
  on the simplex from a Dirichlet distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    as_float_array,
    check_choice,
    check_int,
    check_magnitude,
    resolve_seed,
    short_repr,
)
from ..exceptions import ParameterError

__all__ = ["DIRECTIONS", "NORMALISATIONS", "ScoringResult", "normalise_scores", "score_offers"]

#: ``higher``: more is better (quality, fit); ``lower``: less is better (price, risk).
DIRECTIONS = ("higher", "lower")
#: How raw values become utilities in [0, 1]; see :func:`normalise_scores`.
NORMALISATIONS = ("ratio", "minmax", "scale")
_WEIGHT_TOL = 1e-6


def normalise_scores(
    values: Any,
    *,
    direction: str = "higher",
    method: str = "ratio",
    scale_min: float | None = None,
    scale_max: float | None = None,
) -> np.ndarray:
    """Utilities in [0, 1] (1 best) from one criterion's raw values, one per offer.

    Parameters
    ----------
    values : array_like
        Raw values, one per offer (a price, a 1-5 quality mark, ...).
    direction : {"higher", "lower"}
        Whether a higher or a lower raw value is better.
    method : {"ratio", "minmax", "scale"}, default "ratio"
        ``ratio``: ``x / max`` (higher) or ``min / x`` (lower), values > 0 (the public
        procurement "lowest price / price" formula); ``minmax``: ``(x - min) / (max - min)`` or
        ``(max - x) / (max - min)`` (all 1 when every value is equal); ``scale``:
        ``(x - a) / (b - a)`` or ``(b - x) / (b - a)`` on the fixed marking scale ``[a, b]``.
    scale_min, scale_max : float, optional
        The marking scale ``[a, b]`` for ``method="scale"``.

    Returns
    -------
    numpy.ndarray

    Notes
    -----
    ``ratio`` and ``minmax`` depend on the other offers, so adding or removing an offer can
    reorder the rest (rank reversal); ``scale`` does not. ``minmax`` stretches small gaps to
    the full [0, 1] range and so gives that criterion more pull than its weight suggests.

    References
    ----------
    E. Triantaphyllou (2000), *Multi-Criteria Decision Making Methods: A Comparative Study*,
    Kluwer, ch. 2 (weighted sum model, normalisations).

    Examples
    --------
    >>> normalise_scores([100, 125, 200], direction="lower").round(3).tolist()
    [1.0, 0.8, 0.5]
    >>> normalise_scores([3, 4, 5], method="scale", scale_min=1, scale_max=5).tolist()
    [0.5, 0.75, 1.0]
    """
    direction = check_choice(direction, "direction", DIRECTIONS)
    method = check_choice(method, "method", NORMALISATIONS)
    x = as_float_array(values, "values", ndim=1, min_size=1)
    check_magnitude(x, "values", "number")
    higher = direction == "higher"
    if method == "ratio":
        if np.any(x <= 0):
            raise ParameterError(
                f"`method='ratio'` needs values > 0. Got {x[x <= 0][0]:g}. Use 'minmax' or "
                "'scale' for criteria that can be 0 or negative."
            )
        return x / x.max() if higher else x.min() / x
    if method == "minmax":
        span = x.max() - x.min()
        if span == 0:
            return np.ones_like(x)
        return (x - x.min()) / span if higher else (x.max() - x) / span
    if scale_min is None or scale_max is None or not scale_min < scale_max:
        raise ParameterError(
            "`method='scale'` needs scale_min < scale_max (the marking scale, e.g. 1 and 5). "
            f"Got scale_min={scale_min!r}, scale_max={scale_max!r}."
        )
    if np.any((x < scale_min) | (x > scale_max)):
        bad = x[(x < scale_min) | (x > scale_max)][0]
        raise ParameterError(
            f"A value {bad:g} lies outside the marking scale [{scale_min:g}, {scale_max:g}]. "
            "Correct the mark or widen the scale."
        )
    u = (x - scale_min) / (scale_max - scale_min)
    return u if higher else 1.0 - u


def _criteria_table(criteria: Any, columns: list[str], normalise_weights: bool) -> pd.DataFrame:
    if isinstance(criteria, dict):
        criteria = pd.DataFrame({"criterion": list(criteria), "weight": list(criteria.values())})
    if not isinstance(criteria, pd.DataFrame) or not {"criterion", "weight"} <= set(criteria):
        raise ParameterError(
            "`criteria` must be a table with columns criterion, weight (and optionally "
            f"direction, method, scale_min, scale_max), or a dict name -> weight. Got "
            f"{short_repr(criteria)}."
        )
    table = criteria.reset_index(drop=True).copy()
    for col, default in (("direction", "higher"), ("method", "ratio")):
        if col not in table:
            table[col] = default
        table[col] = table[col].fillna(default)
    for col in ("scale_min", "scale_max"):
        if col not in table:
            table[col] = np.nan
    names = table["criterion"].astype(str).tolist()
    for name in names:
        if name not in columns:
            raise ParameterError(
                f"Criterion {name!r} has no column in `values`. Columns: {columns}."
            )
    if len(set(names)) != len(names):
        raise ParameterError(f"Criteria must be unique. Got {names}.")
    w = as_float_array(table["weight"], "weight", ndim=1)
    if np.any(w < 0):
        raise ParameterError(f"Weights must be 0 or more. Got {w[w < 0][0]:g}.")
    total = w.sum()
    if total <= 0:
        raise ParameterError("At least one weight must be above 0. Got all zero.")
    if abs(total - 1.0) > _WEIGHT_TOL and not normalise_weights:
        fixed = ", ".join(f"{n} {x / total:.3f}" for n, x in zip(names, w, strict=True))
        raise ParameterError(
            f"Weights must sum to 1. Got {total:g} "
            f"({', '.join(f'{n} {x:g}' for n, x in zip(names, w, strict=True))}). "
            f"Divide each by the total ({fixed}) or pass normalise_weights=True."
        )
    table["weight"] = w / total
    table["criterion"] = names
    return table


def _flip_t(d_j: np.ndarray, d_r: np.ndarray) -> np.ndarray:
    """Weight t in (0, 1) where ``d_r + t (d_j - d_r)`` changes sign; NaN if it never does.

    A pair that only ties at an end (``d_j = 0`` or ``d_r = 0``) never swaps places.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        t = d_r / (d_r - d_j)
    return np.where(d_r * d_j < 0, t, np.nan)


def _rest_scores(u: np.ndarray, w: np.ndarray, j: int) -> np.ndarray:
    """Scores on every criterion but ``j`` with their weights rescaled to sum to 1."""
    rest = np.delete(w, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.size, 1.0 / rest.size)
    return np.delete(u, j, axis=1) @ rest


@dataclass(frozen=True)
class ScoringResult:
    """Weighted scores of offers with the sensitivity of the ranking to the weights.

    Attributes
    ----------
    values : pandas.DataFrame
        Raw values, offers x criteria, echoed.
    criteria : pandas.DataFrame
        ``criterion, weight, direction, method, scale_min, scale_max`` (weights summing to 1).
    utilities, contributions : pandas.DataFrame
        Offers x criteria: normalised values in [0, 1], and ``weight * utility``.
    scores : pandas.DataFrame
        ``offer, score, rank``, best first.
    winner : str
    margin : float
        Winner's score minus the runner-up's (score points, 0-1 scale).
    flip_weights : pandas.DataFrame
        ``criterion, weight, offer, other, flip_weight, leader_above``: for each criterion and
        each pair (``offer`` ranked above ``other``), the weight of the criterion at which the
        two tie, the other weights keeping their proportions (NaN: no flip in [0, 1]);
        ``leader_above`` is who leads when the weight is above ``flip_weight``.
    winner_stability : pandas.DataFrame
        ``criterion, weight, holds_from, holds_to, winner_below, winner_above``: the winner stays
        while the criterion's weight is in ``[holds_from, holds_to]``; beyond, the named offer
        wins (empty when the winner holds up to 0 or 1).
    acceptability : pandas.DataFrame
        Offers x ranks (``rank_1``..): share of Dirichlet weight draws giving each rank.
    central_weights : pandas.DataFrame
        Offers x criteria: mean weights of the draws in which the offer wins (NaN if never).
    n_trials, seed : int
        Weight draws and the int seed that replays them (``rng=seed``); seed is None when
        ``n_trials=0`` (nothing is drawn).
    concentration : float or None
        Dirichlet concentration (None: uniform on the simplex).
    """

    values: pd.DataFrame = field(repr=False)
    criteria: pd.DataFrame = field(repr=False)
    utilities: pd.DataFrame = field(repr=False)
    contributions: pd.DataFrame = field(repr=False)
    scores: pd.DataFrame = field(repr=False)
    winner: str
    margin: float
    flip_weights: pd.DataFrame = field(repr=False)
    winner_stability: pd.DataFrame = field(repr=False)
    acceptability: pd.DataFrame = field(repr=False)
    central_weights: pd.DataFrame = field(repr=False)
    n_trials: int
    seed: int | None
    concentration: float | None

    @property
    def weights(self) -> pd.Series:
        """Weights by criterion (sum 1)."""
        return self.criteria.set_index("criterion")["weight"]

    def weight_limits(self) -> pd.DataFrame:
        """The weight changes that would change the winner, the smallest change first.

        Returns
        -------
        pandas.DataFrame
            ``criterion, weight, limit, side, new_winner, change``: moving the criterion's
            weight past ``limit`` (``side`` "above" or "below"; the other weights keeping their
            proportions) makes ``new_winner`` first; ``change = |limit - weight|``. Empty when
            no single weight can change the winner.
        """
        ws = self.winner_stability
        above = ws[ws["winner_above"] != ""].assign(
            limit=lambda d: d["holds_to"], side="above", new_winner=lambda d: d["winner_above"]
        )
        below = ws[ws["winner_below"] != ""].assign(
            limit=lambda d: d["holds_from"], side="below", new_winner=lambda d: d["winner_below"]
        )
        out = pd.concat([above, below], ignore_index=True)
        out["change"] = (out["limit"] - out["weight"]).abs()
        cols = ["criterion", "weight", "limit", "side", "new_winner", "change"]
        return out[cols].sort_values("change", kind="stable").reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Tidy table: ``offer, score, rank, p_first`` plus one column per contribution."""
        out = self.scores.merge(
            self.acceptability["rank_1"].rename("p_first"), left_on="offer", right_index=True
        )
        return out.merge(self.contributions, left_on="offer", right_index=True)


def score_offers(
    values: pd.DataFrame,
    criteria: Any,
    *,
    normalise_weights: bool = False,
    n_trials: int = 10_000,
    concentration: float | None = None,
    rng: int | np.random.Generator | None = None,
) -> ScoringResult:
    """Rank offers by the weighted sum of normalised criteria, with weight sensitivity.

    Parameters
    ----------
    values : pandas.DataFrame
        One row per offer (index: offer name), one column per criterion, raw values.
    criteria : DataFrame or dict
        ``criterion, weight`` and optionally ``direction`` ("higher"/"lower", default higher),
        ``method`` ("ratio"/"minmax"/"scale", default ratio), ``scale_min``, ``scale_max``
        (see :func:`normalise_scores`); or a dict criterion -> weight.
    normalise_weights : bool, default False
        Divide the weights by their total instead of refusing weights that do not sum to 1.
    n_trials : int, default 10,000
        Weight vectors drawn for the rank-acceptability indices (0 to skip).
    concentration : float, optional
        Dirichlet ``alpha = concentration * weights`` (mean = the weights; larger is tighter);
        None draws uniformly on the simplex (``alpha = 1``), SMAA's "no preference" case.
    rng : None, int or Generator
        Seed for the weight draws (SPEC 7).

    Returns
    -------
    ScoringResult

    Notes
    -----
    Score ``S_i = sum_j w_j u_ij``. Moving criterion ``j``'s weight to ``t`` and rescaling the
    others in proportion gives ``S_i(t) = t u_ij + (1 - t) R_i`` with
    ``R_i = sum_{k != j} w_k u_ik / (1 - w_j)``, a line in ``t``. Offers ``a`` and ``b`` tie at
    ``t* = d_R / (d_R - d_j)`` with ``d_j = u_aj - u_bj`` and ``d_R = R_a - R_b``, if that lies
    in [0, 1]. Rank acceptability ``b_i^r`` is the share of weight draws in which offer ``i``
    ranks ``r`` (Lahdelma and Salminen 2001).

    References
    ----------
    E. Triantaphyllou and A. Sanchez (1997), "A sensitivity analysis approach for some
    deterministic multi-criteria decision-making methods", *Decision Sciences* 28(1).
    R. Lahdelma and P. Salminen (2001), "SMAA-2: Stochastic multicriteria acceptability
    analysis for group decision making", *Operations Research* 49(3).

    Examples
    --------
    >>> values = pd.DataFrame({"price": [100.0, 80.0], "quality": [0.9, 0.6]}, index=["A", "B"])
    >>> crit = pd.DataFrame({"criterion": ["price", "quality"], "weight": [0.6, 0.4],
    ...                      "direction": ["lower", "higher"]})
    >>> res = score_offers(values, crit, n_trials=0)
    >>> res.scores[["offer", "score"]].round(4).to_dict("records")
    [{'offer': 'A', 'score': 0.88}, {'offer': 'B', 'score': 0.8667}]
    >>> print(f"{res.winner_stability.set_index('criterion').loc['price', 'holds_to']:.4f}")
    0.6250
    """
    if not isinstance(values, pd.DataFrame) or values.empty:
        raise ParameterError(
            "`values` must be a non-empty DataFrame: offers as rows (index), criteria as "
            f"columns. Got {short_repr(values)}."
        )
    offers = [str(i) for i in values.index]
    if len(set(offers)) != len(offers):
        raise ParameterError(f"Offer names (the index of `values`) must be unique. Got {offers}.")
    table = _criteria_table(criteria, [str(c) for c in values.columns], normalise_weights)
    names = table["criterion"].tolist()
    raw = values.copy()
    raw.index, raw.columns = offers, [str(c) for c in raw.columns]
    raw = raw[names]
    u = np.column_stack(
        [
            normalise_scores(
                as_float_array(raw[row.criterion], row.criterion, ndim=1),
                direction=row.direction,
                method=row.method,
                scale_min=None if pd.isna(row.scale_min) else float(row.scale_min),
                scale_max=None if pd.isna(row.scale_max) else float(row.scale_max),
            )
            for row in table.itertuples()
        ]
    )
    w = table["weight"].to_numpy()
    n_trials = check_int(n_trials, "n_trials", minimum=0)
    s = u @ w
    order = np.argsort(-s, kind="stable")
    scores = pd.DataFrame({"offer": np.array(offers)[order], "score": s[order]})
    scores["rank"] = np.arange(1, len(offers) + 1)
    flips, stability = _sensitivity(u, w, s, order, offers, names)
    accept, central, seed = _acceptability(u, w, offers, names, n_trials, concentration, rng)
    return ScoringResult(
        values=raw,
        criteria=table,
        utilities=pd.DataFrame(u, index=offers, columns=names),
        contributions=pd.DataFrame(u * w, index=offers, columns=names),
        scores=scores,
        winner=offers[order[0]],
        margin=float(s[order[0]] - s[order[1]]) if len(offers) > 1 else float("nan"),
        flip_weights=flips,
        winner_stability=stability,
        acceptability=accept,
        central_weights=central,
        n_trials=n_trials,
        seed=seed,
        concentration=concentration,
    )


def _sensitivity(u, w, s, order, offers, names) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_off, n_crit = u.shape
    hi_i, lo_i = np.triu_indices(n_off, k=1)
    a, b = order[hi_i], order[lo_i]  # every pair, a ranked above b
    flips, stab = [], []
    win = order[0]
    for j in range(n_crit):  # a loop over criteria; offers and pairs are vectorised
        r = _rest_scores(u, w, j) if n_crit > 1 else np.zeros(n_off)
        t = _flip_t(u[a, j] - u[b, j], r[a] - r[b]) if n_crit > 1 else np.full(a.size, np.nan)
        above = np.where(u[a, j] >= u[b, j], a, b)
        flips.append(
            pd.DataFrame(
                {
                    "criterion": names[j],
                    "weight": w[j],
                    "offer": np.array(offers)[a],
                    "other": np.array(offers)[b],
                    "flip_weight": t,
                    "leader_above": np.array(offers)[above],
                }
            )
        )
        lo, hi, below_name, above_name = 0.0, 1.0, "", ""
        if n_crit > 1 and n_off > 1:
            others = np.delete(np.arange(n_off), win)
            d_j, d_r = u[win, j] - u[others, j], r[win] - r[others]
            slope = d_j - d_r
            with np.errstate(divide="ignore", invalid="ignore"):
                cross = -d_r / slope
            lo = float(np.max(cross[slope > 0], initial=0.0))
            hi = float(np.min(cross[slope < 0], initial=1.0))
            lo, hi = max(lo, 0.0), min(hi, 1.0)
            if lo > 0:
                below_name = _leader_at(u[:, j], r, lo - 1e-9, offers)
            if hi < 1:
                above_name = _leader_at(u[:, j], r, hi + 1e-9, offers)
        stab.append((names[j], w[j], lo, hi, below_name, above_name))
    stability = pd.DataFrame(
        stab,
        columns=["criterion", "weight", "holds_from", "holds_to", "winner_below", "winner_above"],
    )
    return pd.concat(flips, ignore_index=True), stability


def _leader_at(u_j: np.ndarray, r: np.ndarray, t: float, offers: list[str]) -> str:
    t = min(max(t, 0.0), 1.0)
    return offers[int(np.argmax(t * u_j + (1 - t) * r))]


def _acceptability(u, w, offers, names, n_trials, concentration, rng):
    n_off, n_crit = u.shape
    ranks = [f"rank_{k}" for k in range(1, n_off + 1)]
    if n_trials == 0:
        nan = np.full((n_off, n_off), np.nan)
        return (
            pd.DataFrame(nan, index=offers, columns=ranks),
            pd.DataFrame(np.full((n_off, n_crit), np.nan), index=offers, columns=names),
            None,
        )
    if concentration is None:
        alpha = np.ones(n_crit)
    else:
        c = float(as_float_array(concentration, "concentration", ndim=0))
        if c <= 0:
            raise ParameterError(f"`concentration` must be above 0. Got {c:g}. Try 50.")
        if np.any(w == 0):
            raise ParameterError(
                "`concentration` centres the draws on the weights, so every weight must be "
                "above 0. Drop zero-weight criteria or use concentration=None."
            )
        alpha = c * w
    seed, gen = resolve_seed(rng)
    draws = gen.dirichlet(alpha, size=n_trials)  # (n_trials, n_crit)
    s = draws @ u.T
    order = np.argsort(-s, axis=1, kind="stable")
    rank_of = np.empty_like(order)
    np.put_along_axis(rank_of, order, np.arange(n_off)[None, :], axis=1)
    counts = np.bincount(
        (np.arange(n_off)[None, :] * n_off + rank_of).ravel(), minlength=n_off * n_off
    ).reshape(n_off, n_off)
    accept = pd.DataFrame(counts / n_trials, index=offers, columns=ranks)
    first = np.eye(n_off)[order[:, 0]]  # (n_trials, n_off) one-hot of the winner
    wins = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T @ draws) / wins[:, None]
    return accept, pd.DataFrame(central, index=offers, columns=names), seed
