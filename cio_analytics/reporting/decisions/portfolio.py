"""The portfolio decision: which projects to fund."""

from __future__ import annotations

from typing import Any

from ..._validation import check_probability
from ..formatting import format_money, format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _join, _names

__all__ = ["portfolio_decision"]


def portfolio_decision(
    selection: Any,
    risk: Any,
    sweep: Any = None,
    *,
    budget_cut: float | None = None,
    max_probability_negative: float = 0.1,
) -> Decision:
    """Which projects to fund: the optimal selection, its range and what a budget cut costs.

    Parameters
    ----------
    selection : PortfolioSelection
        ``select_portfolio``: the projects funded, the expected NPV (currency) and the budget
        used.
    risk : PortfolioRisk
        ``simulate_portfolio`` of the same selection: its P10 to P90 (the ``level`` tails)
        and the chance that the portfolio NPV is negative.
    sweep : BudgetSweep, optional
        ``budget_sweep`` with the scale ``1 - budget_cut``: the projects that drop out.
    budget_cut : float, optional
        The budget reduction tested, a decimal share of every year's budget (0.1 = 10 %).
    max_probability_negative : float, default 0.1
        A flag is raised when the chance of a negative portfolio NPV is above this, in [0, 1].

    Returns
    -------
    Decision
        "Fund N of M projects" (favourable when the selection is proved optimal), or "Fund no
        project" when nothing is worth funding. Flags: a selection not proved optimal, a high
        chance of losing money. Key numbers: expected NPV (range), chance of a negative NPV,
        budget used, projects funded, expected NPV lost with the budget cut. ``at_stake``:
        the budget the funded projects commit, all years.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> projects = pd.DataFrame({"name": ["CRM", "ERP", "Wiki"], "mandatory": [True, False, False]},
    ...                         index=["P1", "P2", "P3"])
    >>> pf = NS(n_projects=3, projects=projects, currency="EUR", years=[2027, 2028])
    >>> sel = NS(portfolio=pf, n_selected=2, expected_value=2.5e6, total_cost=3.8e6,
    ...          budget_use=pd.DataFrame({"budget": [2e6, 2e6]}), status="optimal", mip_gap=0.0)
    >>> risk = NS(npv_p10=1.1e6, npv_p90=3.9e6, probability_negative=0.02, tail_share=0.1,
    ...           expected_shortfall=0.6e6, n_trials=1000, seed=1)
    >>> print(portfolio_decision(sel, risk).sentence)  # doctest: +NORMALIZE_WHITESPACE
    Fund 2 of 3 projects: expected portfolio NPV EUR 2.5M (P10 to P90 EUR 1.1M to EUR 3.9M),
    using EUR 3.8M of the EUR 4M budget over 2 years (95 %); the selection is proved optimal.
    >>> d = portfolio_decision(sel, risk)
    >>> d.at_stake, d.at_stake_label
    (3800000.0, 'Budget committed, 2027-2028')
    """
    check_probability(max_probability_negative, "max_probability_negative")
    pf = selection.portfolio
    cur = pf.currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    budget_total = float(selection.budget_use["budget"].sum())
    lo_q, hi_q = "P10", "P90"
    n, total = selection.n_selected, pf.n_projects
    proved = selection.status == "optimal"
    if n == 0:
        verdict, favourable = "Fund no project", False
    else:
        verdict, favourable = f"Fund {n} of {total} projects", True if proved else None
    used = selection.total_cost / budget_total if budget_total > 0 else float("nan")
    sentence = (
        f"{verdict}: expected portfolio NPV {m(selection.expected_value)} ({lo_q} to {hi_q} "
        f"{m(risk.npv_p10)} to {m(risk.npv_p90)}), using {m(selection.total_cost)} of the "
        f"{m(budget_total)} budget over {len(pf.years)} years ({format_percent(used)}); "
        + (
            "the selection is proved optimal"
            if proved
            else "the selection is the best found in the time limit, not proved optimal"
        )
    )
    flags, rows_cut = [], []
    if sweep is not None and budget_cut is not None:
        cut = sweep.at(1 - budget_cut)
        dropped = [p for p in str(cut["dropped"]).split(";") if p]
        names = _names(dropped, pf.projects["name"])
        lost = float(-cut["value_change"])
        which = f" ({_join(names)})" if names else ""
        sentence += (
            f". With {format_percent(budget_cut)} less budget, {len(dropped)} "
            f"project{'s' if len(dropped) != 1 else ''} drop{'' if len(dropped) != 1 else 's'} "
            f"out{which} and the expected NPV falls by {m(lost)}"
        )
        rows_cut = [(f"Expected NPV lost with {format_percent(budget_cut)} less budget", lost,
                     None, None, "money")]  # fmt: skip
    sentence += "."
    if not proved:
        flags.append(
            f"The solver stopped {format_percent(selection.mip_gap, 2)} from the best possible "
            "value: a better selection may exist."
        )
    if risk.probability_negative > max_probability_negative:
        flags.append(
            f"{format_percent(risk.probability_negative)} chance the funded portfolio loses "
            f"money (more than the {format_percent(max_probability_negative)} accepted)."
        )
    rows = [
        ("Expected portfolio NPV", selection.expected_value, risk.npv_p10, risk.npv_p90, "money"),
        ("Chance the portfolio NPV is negative", risk.probability_negative, None, None, "percent"),
        ("Budget used, all years", selection.total_cost, None, None, "money"),
        ("Projects funded", n, None, None, "integer"),
        *rows_cut,
    ]
    notes = (
        f"Range {lo_q} to {hi_q} over {risk.n_trials:,} simulated outcomes (seed {risk.seed}).",
    )
    p50 = getattr(risk, "npv_p50", None)
    if p50 is not None and n:
        # two figures of the same portfolio on one page: say why they differ
        notes += (
            f"The expected NPV adds up the funded projects' own expected NPVs; the simulated "
            f"outcomes' median is {m(p50)} (half the outcomes are above it, half below).",
        )
    years = f"{pf.years[0]}-{pf.years[-1]}" if len(pf.years) > 1 else f"{pf.years[0]}"
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, f"{lo_q} to {hi_q}",
        {"max_probability_negative": max_probability_negative}, notes, tuple(flags),
        at_stake=float(selection.total_cost), at_stake_label=f"Budget committed, {years}",
    )  # fmt: skip
