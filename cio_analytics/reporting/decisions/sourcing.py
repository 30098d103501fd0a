"""The sourcing decision: which offer, or in-house."""

from __future__ import annotations

from typing import Any

from ..._validation import check_nonnegative, check_probability
from ..formatting import format_money, format_percent
from ..glossary import label
from ..summary import Decision, key_numbers_frame

__all__ = ["SCORE_POINTS", "score_points", "scoring_table", "sourcing_decision"]

#: Weighted scores are shown on a 0 to 100 scale (the library scores 0 to 1).
SCORE_POINTS = 100.0


def score_points(score: float) -> str:
    """A 0-1 weighted score as the reports show it: points out of 100, one decimal.

    Examples
    --------
    >>> score_points(0.8312), score_points(0.013)
    ('83.1', '1.3')
    """
    return f"{float(score) * SCORE_POINTS:.1f}"


def scoring_table(scores: Any):
    """``scores.summary()`` with the score and each criterion's contribution in points (0-100).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> s = NS(summary=lambda: pd.DataFrame({"offer": ["A"], "score": [0.83], "price": [0.4],
    ...        "rank": [1], "p_first": [0.6]}), criteria=pd.DataFrame({"criterion": ["price"]}))
    >>> scoring_table(s)[["score", "price", "p_first"]].round(6).values.tolist()
    [[83.0, 40.0, 0.6]]
    """
    table = scores.summary().copy()
    for column in ["score", *scores.criteria["criterion"]]:
        if column in table.columns:
            table[column] = table[column] * SCORE_POINTS
    return table


def sourcing_decision(
    comparison: Any,
    scores: Any = None,
    inhouse: Any = None,
    *,
    min_margin: float = 0.05,
    min_share_first: float = 0.6,
    inhouse_name: str = "In-house",
) -> Decision:
    """Which offer to choose: the lowest present value of cost, checked against the scoring
    and against keeping the service in-house.

    Parameters
    ----------
    comparison : OfferComparison
        ``compare_offers``: per offer the present value of cost (mean, P10, P90, currency) and
        the share of volume scenarios in which it is cheapest.
    scores : ScoringResult, optional
        ``score_offers``: the weighted score (0 to 1), its margin and how often each offer
        ranks first under random weights.
    inhouse : InhouseComparison, optional
        ``inhouse_vs_outsourced`` of the same comparison.
    min_margin : float, default 0.05
        A scoring win by less than this margin (on the 0-1 score; the reports show it as
        points out of 100) is flagged as thin.
    min_share_first : float, default 0.6
        A winner that ranks first in fewer than this share of random weightings is flagged.
    inhouse_name : str, default "In-house"
        The in-house row's name in ``inhouse.costs``.

    Returns
    -------
    Decision
        "Choose X" when the cheapest offer also scores best (or no scoring is given), else
        "No clear winner"; favourable (green) only when nothing is flagged. Flags: a thin scoring win, in-house delivery cheaper than the chosen
        offer. Key numbers: the chosen offer's present value of cost (P10 to P90), the saving
        against the runner-up, the in-house cost, the winning score and how often it wins.
        ``at_stake``: the present value of the cheapest offer's cost over the horizon.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> costs = pd.DataFrame({"offer": ["B", "A"], "pv_mean": [4.0e6, 4.6e6],
    ...     "pv_p10": [3.6e6, 4.1e6], "pv_p90": [4.5e6, 5.2e6], "p_cheapest": [0.9, 0.1]})
    >>> cmp = NS(best="B", costs=costs, currency="EUR", horizon_years=5, n_trials=1000, seed=1,
    ...          discount_rate=0.08)
    >>> print(sourcing_decision(cmp).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Choose B: the lowest 5-year cost, EUR 4M present value (P10 to P90 EUR 3.6M to EUR 4.5M),
    cheapest in 90 % of the volume scenarios.
    >>> sourcing_decision(cmp).at_stake_label
    '5-year cost of B, present value'
    """
    check_probability(min_share_first, "min_share_first")
    check_nonnegative(min_margin, "min_margin")
    cur = comparison.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    costs = comparison.costs.set_index("offer")
    cheapest = str(comparison.best)
    best = costs.loc[cheapest]
    cost_text = (
        f"the lowest {comparison.horizon_years}-year cost, {m(best['pv_mean'])} present value "
        f"(P10 to P90 {m(best['pv_p10'])} to {m(best['pv_p90'])}), cheapest in "
        f"{format_percent(best['p_cheapest'])} of the volume scenarios"
    )
    flags: list[str] = []
    winner = cheapest if scores is None else str(scores.winner)
    if scores is not None:
        top = float(scores.scores["score"].iloc[0])
        share = float(scores.acceptability.loc[winner, "rank_1"])
        limits = scores.weight_limits().head(2)
        holds = (
            "holds whatever the weights"
            if limits.empty
            else "holds unless the "
            + " or the ".join(
                f"weight of {_criterion(r.criterion)} is {r.side} {format_percent(r.limit)} (now "
                f"{format_percent(r.weight)}; then {r.new_winner} wins)"
                for r in limits.itertuples()
            )
        )
        if scores.margin < min_margin or share < min_share_first:
            flags.append(
                f"{winner} wins the scoring by {score_points(scores.margin)} points (on a 0 to "
                "100 score) "
                f"and ranks first in {format_percent(share)} of random weightings: agree the "
                "weights before awarding."
            )
    if winner == cheapest:
        verdict, favourable = f"Choose {cheapest}", True
        sentence = f"{verdict}: {cost_text}"
        if scores is not None:
            sentence += (
                f", and the best weighted score ({score_points(top)} of 100); the ranking {holds}"
            )
    else:
        verdict, favourable = "No clear winner", None
        sentence = (
            f"{verdict}: {cheapest} has {cost_text}, but {winner} scores best "
            f"({score_points(top)} of 100); the "
            f"scoring {holds}. Decide on the weights first"
        )
    sentence += "."
    runner_up = [o for o in costs.index if o != cheapest]
    rows = [(f"Present value of cost: {cheapest}", best["pv_mean"], best["pv_p10"],
             best["pv_p90"], "money")]  # fmt: skip
    if runner_up:
        rows.append((f"Saving against {runner_up[0]}", costs.loc[runner_up[0], "pv_mean"]
                     - best["pv_mean"], None, None, "money"))  # fmt: skip
    if inhouse is not None:
        own = inhouse.costs.set_index("offer").loc[inhouse_name]
        rows.append(("Present value of cost: in-house", own["pv_mean"], own["pv_p10"],
                     own["pv_p90"], "money"))  # fmt: skip
        if own["pv_mean"] < best["pv_mean"]:
            flags.append(
                f"Keeping the service in-house is cheaper still: {m(own['pv_mean'])} "
                f"({m(best['pv_mean'] - own['pv_mean'])} less than {cheapest}, cheaper in "
                f"{format_percent(inhouse.p_inhouse_cheaper)} of scenarios)."
            )
    if scores is not None:
        rows.append((f"Share of random weightings {winner} wins", share, None, None, "percent"))
    notes = (
        f"Present values at {format_percent(comparison.discount_rate, 1)} over "
        f"{comparison.horizon_years} years; ranges P10 to P90 over {comparison.n_trials:,} volume "
        f"scenarios (seed {comparison.seed}).",
    )
    if flags:  # a thin win or a cheaper in-house option: the banner is not green
        favourable = None
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, "P10 to P90",
        {"min_margin": min_margin, "min_share_first": min_share_first}, notes, tuple(flags),
        cheapest, at_stake=float(best["pv_mean"]),
        at_stake_label=f"{comparison.horizon_years}-year cost of {cheapest}, present value",
    )  # fmt: skip


def _criterion(name: str) -> str:
    """A scoring criterion as prose: its glossary label, lower case (``"fit with ..."``)."""
    text = label(name, "sourcing")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
