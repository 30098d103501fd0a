"""The delivery decision: which running projects need the board's attention, and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_nonnegative, check_probability
from ...exceptions import ParameterError
from ..formatting import format_money, format_number, format_percent
from ..summary import Decision, key_numbers_frame
from ._common import _join

__all__ = ["delivery_decision", "delivery_table"]

#: Columns of :func:`delivery_table`.
DELIVERY_COLUMNS = (
    "project", "name", "committed_date", "completion_date_p50", "completion_date_p80",
    "slip_days_p80", "probability_late", "budget", "cost_p50", "cost_p80", "overrun_p80",
    "contingency_needed", "cpi", "spi", "eac", "late", "over_cost", "behind",
    "contingency_short", "needs_attention", "reasons",
)  # fmt: skip


def _day(value: Any) -> str:
    if pd.isna(value):
        return "n/a"
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"  # 8 Jul 2027, as every report writes a date


def _ratio(value: float) -> str:
    return format_number(value, decimals=2)


def delivery_table(
    outlooks: Mapping[str, Any],
    evm: Any,
    *,
    names: Mapping[str, str] | None = None,
    max_probability_late: float = 0.3,
    min_cpi: float = 0.95,
    min_spi: float = 0.9,
    max_contingency_short: float = 0.0,
) -> pd.DataFrame:
    """One row per running project: its outlook, its latest earned value and the tests failed.

    Parameters
    ----------
    outlooks : mapping of str to ProjectOutlook
        ``project_outlook`` per project id.
    evm : EarnedValueResult
        ``earned_value`` of the status table; its ``latest`` row per project gives CPI, SPI and
        EAC (a project without one has NaN there and is judged on its outlook only).
    names : mapping of str to str, optional
        Project names by id (the register's); default the ids.
    max_probability_late, min_cpi, min_spi, max_contingency_short : float
        The thresholds, as in :func:`delivery_decision`.

    Returns
    -------
    DataFrame
        :data:`DELIVERY_COLUMNS`: dates as ``datetime64``, ``probability_late`` =
        ``1 - probability_on_time``, ``overrun_p80 = cost_p80 - budget`` (currency), the four
        tests as booleans, ``needs_attention`` (any test failed) and ``reasons`` (plain text).
    """
    if not isinstance(outlooks, Mapping) or not outlooks:
        raise ParameterError(
            "`outlooks` must be a non-empty mapping {project id: ProjectOutlook}. "
            f"Got {type(outlooks).__name__}."
        )
    if not hasattr(evm, "latest"):
        raise ParameterError(
            f"`evm` must be an EarnedValueResult (earned_value). Got {type(evm).__name__}."
        )
    check_probability(max_probability_late, "max_probability_late")
    for key, v in (("min_cpi", min_cpi), ("min_spi", min_spi),
                   ("max_contingency_short", max_contingency_short)):  # fmt: skip
        check_nonnegative(v, key)
    names = dict(names or {})
    latest = evm.latest
    rows = []
    for pid, o in outlooks.items():
        ev = latest.loc[pid] if pid in latest.index else None
        cpi = float(ev["cpi"]) if ev is not None else np.nan
        spi = float(ev["spi"]) if ev is not None else np.nan
        cur = o.currency
        p_late = 1.0 - o.probability_on_time
        tests = {
            "late": bool(p_late > max_probability_late + 1e-12),  # 1 - 0.7 is not above 0.3
            "over_cost": bool(np.isfinite(cpi) and cpi < min_cpi),
            "behind": bool(np.isfinite(spi) and spi < min_spi),
            "contingency_short": bool(o.contingency_needed > max_contingency_short),
        }
        reasons = []
        if tests["late"]:
            reasons.append(
                f"{format_percent(p_late, 0)} chance of missing {_day(o.committed_date)}; "
                f"8 in 10 chance of finishing by {_day(o.completion_date_p80)}"
            )
        if tests["behind"]:
            reasons.append(
                f"behind schedule: {format_percent(spi, 0)} of the work planned by now is done, "
                f"SPI {_ratio(spi)}, below {_ratio(min_spi)}"
            )
        if tests["over_cost"]:
            reasons.append(
                f"over cost: each euro spent bought {_ratio(cpi)} of a euro of planned work, "
                f"CPI {_ratio(cpi)}, below {_ratio(min_cpi)}"
            )
        if tests["contingency_short"]:
            reasons.append(
                f"contingency short by {format_money(o.contingency_needed, cur, compact=True)} "
                f"at P{o.percentile * 100:.0f}"
            )
        rows.append({
            "project": pid, "name": names.get(pid, pid),
            "committed_date": pd.Timestamp(o.committed_date),
            "completion_date_p50": pd.Timestamp(o.completion_date_p50),
            "completion_date_p80": pd.Timestamp(o.completion_date_p80),
            "slip_days_p80": o.slip_days_p80, "probability_late": p_late, "budget": o.budget,
            "cost_p50": o.cost_p50, "cost_p80": o.cost_p80, "overrun_p80": o.cost_p80 - o.budget,
            "contingency_needed": o.contingency_needed, "cpi": cpi, "spi": spi,
            "eac": float(ev["eac"]) if ev is not None else np.nan, **tests,
            "needs_attention": any(tests.values()), "reasons": "; ".join(reasons),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS))


def delivery_decision(
    outlooks: Mapping[str, Any],
    evm: Any,
    *,
    names: Mapping[str, str] | None = None,
    max_probability_late: float = 0.3,
    min_cpi: float = 0.95,
    min_spi: float = 0.9,
    max_contingency_short: float = 0.0,
) -> Decision:
    """On track or board attention: the running projects against their committed dates and
    budgets, judged on the simulated outlook and the earned value to date.

    Parameters
    ----------
    outlooks : mapping of str to ProjectOutlook
        ``project_outlook`` per project id (all in one currency).
    evm : EarnedValueResult
        ``earned_value`` of the projects' status table (the latest period is judged).
    names : mapping of str to str, optional
        Project names by id, used in the sentence.
    max_probability_late : float, default 0.3
        A project needs attention when its chance of missing the committed date is above this.
    min_cpi, min_spi : float, default 0.95 and 0.9
        ... or its cost or schedule performance index is below these.
    max_contingency_short : float, default 0
        ... or the contingency it lacks at the outlook's percentile is above this (currency).

    Returns
    -------
    Decision
        "On track" when no project fails a test, else "k of n projects need attention" with
        the projects and their reasons, the contingency to fund (the money at stake) and the
        recovery plans to ask for. Key numbers (four tiles): the projects needing attention, the
        contingency short (sum over projects), the lowest chance of meeting a committed date
        and the lowest CPI. A flag names each project whose EVM estimate at completion
        (today's cost efficiency carried forward) is above its simulated P80 cost (the
        remaining work at its planned ranges), so the reader knows why the two differ.

    Notes
    -----
    ``probability_late = 1 - P(finish <= committed date)``; ``CPI = EV / AC``,
    ``SPI = EV / PV`` (PMBOK); contingency short ``= max(0, cost_P - budget)``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> o = NS(currency="EUR", probability_on_time=0.4, committed_date=np.datetime64("2027-06-30"),
    ...        completion_date_p50=np.datetime64("2027-07-05"),
    ...        completion_date_p80=np.datetime64("2027-08-02"), slip_days_p80=33.0,
    ...        budget=1e6, cost_p50=9.8e5, cost_p80=1.05e6, contingency_needed=5e4, percentile=0.8,
    ...        n_trials=1000, status_date=np.datetime64("2026-11-30"))
    >>> evm = NS(latest=pd.DataFrame({"cpi": [0.97], "spi": [0.8], "eac": [1.03e6]},
    ...                              index=pd.Index(["P1"], name="project")))
    >>> print(delivery_decision({"P1": o}, evm, names={"P1": "NIS2"}).sentence)
    ... # doctest: +NORMALIZE_WHITESPACE
    1 of 1 projects needs attention: NIS2 (60 % chance of missing 30 Jun 2027; 8 in 10 chance
    of finishing by 2 Aug 2027; behind schedule: 80 % of the work planned by now is done, SPI
    0.80, below 0.90; contingency short by EUR 50k at P80). Fund EUR 50k of contingency and ask
    for a recovery plan or a re-baselined date.
    """
    table = delivery_table(
        outlooks, evm, names=names, max_probability_late=max_probability_late, min_cpi=min_cpi,
        min_spi=min_spi, max_contingency_short=max_contingency_short,
    )  # fmt: skip
    cur = next(iter(outlooks.values())).currency
    m = lambda v: format_money(v, cur, compact=True)  # noqa: E731
    flagged = table[table["needs_attention"]]
    n, k = len(table), len(flagged)
    short = float(np.nansum(table["contingency_needed"]))
    if k == 0:
        verdict, favourable = "On track", True
        worst = table["probability_late"].max()
        sentence = (
            f"On track: all {n} running projects pass the tests: at most "
            f"{format_percent(worst, 0)} chance of missing a committed date, CPI and SPI at or "
            f"above {_ratio(min_cpi)} and {_ratio(min_spi)}, contingency sufficient at "
            f"P{next(iter(outlooks.values())).percentile * 100:.0f}."
        )
    else:
        verdict = f"{k} of {n} projects need{'s' if k == 1 else ''} attention"
        favourable = False
        parts = [f"{r.name} ({r.reasons})" for r in flagged.itertuples()]
        actions = []
        if short > 0:
            actions.append(f"fund {m(short)} of contingency")
        if (flagged["late"] | flagged["behind"]).any():
            actions.append("ask for a recovery plan or a re-baselined date")
        elif flagged["over_cost"].any():
            actions.append("ask for a cost recovery plan")
        action = _join(actions)
        sentence = f"{verdict}: {'. '.join(parts)}." + (
            f" {action[0].upper()}{action[1:]}." if action else ""
        )
    flags = [
        f"{r.name}: at today's CPI the estimate at completion is {m(r.eac)}, above the "
        f"simulated P80 cost of {m(r.cost_p80)}; the simulation prices the remaining work at "
        "its planned ranges, so it holds only if the cost efficiency recovers."
        for r in table.itertuples()
        if np.isfinite(r.eac) and r.eac > r.cost_p80
    ]
    missing = table.loc[~np.isfinite(table["cpi"].astype(float)), "name"].tolist()
    if missing:
        flags.append(f"No earned-value status for {_join(missing)}: judged on the outlook only.")
    i_late = int(np.argmax(table["probability_late"].to_numpy()))
    cpis = table["cpi"].to_numpy(dtype=float)
    rows = [
        ("Projects needing attention", f"{k} of {n}", None, None, "text"),
        ("Contingency short (all projects)", short, None, None, "money"),
        (f"Lowest chance of meeting the date ({table['name'].iloc[i_late]})",
         1.0 - float(table["probability_late"].iloc[i_late]), None, None, "percent"),
    ]  # fmt: skip
    if np.isfinite(cpis).any():
        i_cpi = int(np.nanargmin(cpis))
        rows.append((f"Lowest CPI ({table['name'].iloc[i_cpi]})", float(cpis[i_cpi]),
                     None, None, "number"))  # fmt: skip
    o0 = next(iter(outlooks.values()))
    notes = (
        f"Dates and costs simulated over {o0.n_trials:,} trials from the status of "
        f"{_day(o0.status_date)}; CPI and SPI from the latest earned-value status.",
    )
    return Decision(
        verdict, sentence, key_numbers_frame(rows), favourable, cur, "",
        {"max_probability_late": max_probability_late, "min_cpi": min_cpi, "min_spi": min_spi,
         "max_contingency_short": max_contingency_short},
        notes, tuple(flags), subject=", ".join(flagged["name"]),
        at_stake=float(short) if k and short > 0 else float(table["budget"].sum()),
        at_stake_label=(
            "Contingency to fund" if k and short > 0 else "Approved budget of the running projects"
        ),
    )  # fmt: skip
