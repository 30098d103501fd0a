"""In-house delivery of a service, costed with the staffing models, against the vendor offers.

The in-house team has two parts:

* **queue work** (a service desk answering contacts): agents per interval from Erlang C
  (:func:`cio_analytics.staffing.staffing_plan`) for the interval forecast scaled to each
  year's volume. The plan is computed once on a grid of volume multipliers (one broadcast call)
  and interpolated per trial, so queueing economies of scale are kept: double the contacts
  needs less than double the agents.
* **fixed work** (service management, tooling, problem management): FTE from three-point hour
  estimates (:func:`cio_analytics.staffing.workload_fte`), independent of the volume.

Both are priced at a yearly cost per FTE plus fixed running costs, escalated each year, over
the same volume draws as :func:`~cio_analytics.sourcing.offers.compare_offers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import renamed_kwargs
from .._validation import (
    check_int,
    check_nonnegative,
    check_positive,
    check_rate,
    resolve_seed,
    short_repr,
)
from ..exceptions import ParameterError
from ..staffing import staffing_plan, workload_fte
from ..valuation import npv
from .offers import OfferComparison

__all__ = ["INHOUSE", "InHouseComparison", "inhouse_vs_outsourced"]

#: Label of the in-house option in result tables.
INHOUSE = "In-house"


@dataclass(frozen=True)
class InHouseComparison:
    """Cost of delivering the service in-house against the best vendor offer.

    Attributes
    ----------
    cost_per_fte_year, fixed_cost_per_year, one_off_cost, exit_cost, escalation : float
        The in-house cost settings, echoed (currency, yearly decimals).
    base_volume : float
        Yearly volume the interval forecast represents (units per year).
    currency : str
    seed : int
        Seed of the fixed-work Monte Carlo (``rng=seed`` replays it); the volumes come from
        ``comparison`` (its seed).
    fte_curve : pandas.DataFrame
        ``multiplier, volume, fte_queue``: scheduled queue FTE at each grid volume.
    by_year : pandas.DataFrame
        At the likely volumes: ``year, volume, fte_queue, fte_fixed, fte_total, cost``.
    pv_samples, tco_samples : numpy.ndarray
        In-house PV and undiscounted TCO of costs per trial.
    costs : pandas.DataFrame
        The offers' cost table (:attr:`OfferComparison.costs`) with an ``In-house`` row, by
        ``pv_mean``, cheapest first.
    best_offer : str
        The cheapest vendor offer (lowest mean PV).
    saving_samples : numpy.ndarray
        ``PV(best offer) - PV(in-house)`` per trial (positive: in-house is cheaper).
    p_inhouse_cheaper : float
        Share of trials in which in-house costs less than the best offer.
    decision : str
        ``"In-house"`` or the name of the best offer, by mean PV.
    """

    cost_per_fte_year: float
    fixed_cost_per_year: float
    one_off_cost: float
    exit_cost: float
    escalation: float
    base_volume: float
    currency: str
    seed: int
    fte_curve: pd.DataFrame = field(repr=False)
    by_year: pd.DataFrame = field(repr=False)
    pv_samples: np.ndarray = field(repr=False)
    tco_samples: np.ndarray = field(repr=False)
    costs: pd.DataFrame = field(repr=False)
    best_offer: str
    saving_samples: np.ndarray = field(repr=False)
    p_inhouse_cheaper: float
    decision: str

    @property
    def pv_mean(self) -> float:
        """Mean PV of the in-house costs."""
        return float(self.pv_samples.mean())

    def summary(self) -> pd.DataFrame:
        """Tidy table: ``metric, value, unit``."""
        rows = [
            ("inhouse_pv_mean", self.pv_mean, self.currency),
            ("inhouse_pv_p10", float(np.quantile(self.pv_samples, 0.1)), self.currency),
            ("inhouse_pv_p90", float(np.quantile(self.pv_samples, 0.9)), self.currency),
            ("saving_mean", float(self.saving_samples.mean()), self.currency),
            ("p_inhouse_cheaper", self.p_inhouse_cheaper, "share"),
            ("fte_year1", float(self.by_year["fte_total"].iloc[0]), "FTE"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def _fte_curve(forecast, multipliers, base_volume, staffing: dict[str, Any]) -> pd.DataFrame:
    """Queue FTE at each volume multiplier: one staffing_plan call over all of them."""
    frame = forecast[["queue", "interval_start", "calls", "handle_time_s"]]
    copies = []
    for k, m in enumerate(multipliers):  # builds the table; the plan itself is one call
        part = frame.assign(queue=frame["queue"].astype(str) + f"\x1f{k}", calls=frame["calls"] * m)
        copies.append(part)
    grid = pd.concat(copies, ignore_index=True)
    plan = staffing_plan(grid, **staffing)
    fte = plan.by_queue.assign(k=plan.by_queue["queue"].str.rsplit("\x1f", n=1).str[1].astype(int))
    per_k = fte.groupby("k")["fte"].sum().reindex(range(len(multipliers))).to_numpy()
    return pd.DataFrame(
        {"multiplier": multipliers, "volume": multipliers * base_volume, "fte_queue": per_k}
    )


@renamed_kwargs(
    hours_per_fte="hours_per_fte_week", productive_hours_per_fte="productive_hours_per_fte_year"
)
def inhouse_vs_outsourced(
    comparison: OfferComparison,
    *,
    cost_per_fte_year: float,
    forecast: pd.DataFrame | None = None,
    base_volume: float | None = None,
    target_service_level: float = 0.8,
    answer_time_s: float = 20.0,
    max_occupancy: float | None = 0.85,
    shrinkage: float = 0.3,
    hours_per_fte_week: float = 37.5,
    weeks_per_year: float = 52.0,
    interval_s: float | None = None,
    demand: pd.DataFrame | None = None,
    productive_hours_per_fte_year: float = 1450.0,
    utilisation_target: float = 0.85,
    fixed_cost_per_year: float = 0.0,
    one_off_cost: float = 0.0,
    exit_cost: float = 0.0,
    escalation: float = 0.0,
    n_grid: int = 13,
    rng: int | np.random.Generator | None = None,
) -> InHouseComparison:
    """Present value of in-house delivery over the offers' volume draws, against the best offer.

    Parameters
    ----------
    comparison : OfferComparison
        From :func:`compare_offers`; its volume draws, discount rate and horizon are reused.
    cost_per_fte_year : float
        Full yearly cost of one in-house FTE at year-1 prices, currency.
    forecast : DataFrame, optional
        Interval forecast of the queue work (``queue, interval_start, calls, handle_time_s``;
        :func:`cio_analytics.io.read_staffing_forecast`), representing ``base_volume``.
    base_volume : float, optional
        Yearly volume the forecast represents, in the offers' volume unit; default the
        forecast's calls per week times ``weeks_per_year``.
    target_service_level, answer_time_s, max_occupancy, shrinkage, hours_per_fte_week,
    weeks_per_year, interval_s
        Passed to :func:`cio_analytics.staffing.staffing_plan`.
    demand : DataFrame, optional
        Fixed work in hours per year (``activity, demand_hours[, low_hours, high_hours]``;
        :func:`cio_analytics.io.read_team_demand`), for :func:`workload_fte`.
    productive_hours_per_fte_year, utilisation_target : float
        Passed to :func:`workload_fte` (hours per FTE-year, decimal).
    fixed_cost_per_year : float, default 0
        Tools, licences, premises per year at year-1 prices, currency.
    one_off_cost, exit_cost : float, default 0
        Set-up (year 0) and wind-down (end of year H) costs, currency.
    escalation : float, default 0
        Yearly increase of FTE and fixed costs, decimal.
    n_grid : int, default 13
        Volume multipliers on which the queue staffing is computed (between the lowest and the
        highest sampled volume) and interpolated linearly.
    rng : None, int or Generator
        Seed for the fixed-work hours (SPEC 7).

    Returns
    -------
    InHouseComparison

    Notes
    -----
    Year ``t`` in-house cost: ``(FTE_q(V_t) + FTE_f) * c * g_t + F * g_t`` with
    ``g_t = (1 + escalation) ** (t - 1)``, ``FTE_q`` the scheduled queue FTE at volume ``V_t``
    (Erlang C with shrinkage, interpolated on the grid), ``FTE_f`` the fixed-work FTE of the
    trial, ``c`` the cost per FTE-year and ``F`` the fixed running cost. Year 0 adds the one-off
    cost, year H the exit cost. FTE are fractional (a cost, not a headcount).

    Examples
    --------
    >>> from cio_analytics.sourcing import Offer, TierSchedule, compare_offers
    >>> vf = pd.DataFrame({"year": [1, 2], "low": [900.0] * 2, "likely": [1000.0] * 2,
    ...                    "high": [1200.0] * 2})
    >>> cmp = compare_offers([Offer("V", tiers=TierSchedule([0], [50.0]))], vf,
    ...                      discount_rate=0.0, n_trials=500, rng=3)
    >>> demand = pd.DataFrame({"activity": ["run"], "demand_hours": [1450.0 * 0.85]})
    >>> res = inhouse_vs_outsourced(cmp, cost_per_fte_year=60000, demand=demand, rng=3)
    >>> res.by_year["fte_total"].tolist(), res.decision  # 1 FTE at 60,000 vs ~52,000 a year
    ([1.0, 1.0], 'V')
    """
    if not isinstance(comparison, OfferComparison):
        raise ParameterError(
            f"`comparison` must be the result of compare_offers. Got {short_repr(comparison)}."
        )
    if forecast is None and demand is None:
        raise ParameterError(
            "Give the in-house work: an interval `forecast` (queue work), a `demand` table "
            "(fixed work in hours per year), or both."
        )
    cost = float(check_positive(cost_per_fte_year, "cost_per_fte_year"))
    fixed = float(check_nonnegative(fixed_cost_per_year, "fixed_cost_per_year"))
    one_off = float(check_nonnegative(one_off_cost, "one_off_cost"))
    exit_ = float(check_nonnegative(exit_cost, "exit_cost"))
    esc = float(check_rate(escalation, "escalation", allow_array=False))
    n_grid = check_int(n_grid, "n_grid", minimum=2)
    volumes = comparison.volume_samples.to_numpy()  # (n_trials, H)
    n, h = volumes.shape
    likely = comparison.volume_forecast["likely"].to_numpy()
    curve = pd.DataFrame(columns=["multiplier", "volume", "fte_queue"])
    base = float("nan")
    fte_q_trials, fte_q_likely = np.zeros((n, h)), np.zeros(h)
    if forecast is not None:
        n_weeks = forecast["interval_start"].nunique() * _interval_s(forecast, interval_s) / 604800
        base = (
            float(forecast["calls"].sum()) / n_weeks * weeks_per_year
            if base_volume is None
            else float(check_positive(base_volume, "base_volume"))
        )
        lo = min(volumes.min(), likely.min()) / base
        hi = max(volumes.max(), likely.max()) / base
        multipliers = np.linspace(lo, hi, n_grid) if hi > lo else np.array([lo, lo * 1.0001])
        curve = _fte_curve(
            forecast,
            multipliers,
            base,
            dict(
                target_service_level=target_service_level,
                answer_time_s=answer_time_s,
                max_occupancy=max_occupancy,
                shrinkage=shrinkage,
                hours_per_fte_week=hours_per_fte_week,
                weeks_per_year=weeks_per_year,
                interval_s=interval_s,
            ),
        )
        fte_q_trials = np.interp(volumes, curve["volume"], curve["fte_queue"])
        fte_q_likely = np.interp(likely, curve["volume"], curve["fte_queue"])
    seed, _ = resolve_seed(rng)
    fte_f_trials, fte_f_likely = np.zeros(n), 0.0
    if demand is not None:
        work = workload_fte(
            demand,
            productive_hours_per_fte_year=productive_hours_per_fte_year,
            utilisation_target=utilisation_target,
            n_trials=n,
            rng=seed,
        )
        fte_f_trials, fte_f_likely = work.fte_samples, work.fte_likely
    g = (1.0 + esc) ** np.arange(h)
    flows = np.zeros((n, h + 1))
    flows[:, 0] = one_off
    flows[:, 1:] = ((fte_q_trials + fte_f_trials[:, None]) * cost + fixed) * g
    flows[:, h] += exit_
    pv = npv(comparison.discount_rate, flows)
    tco = flows.sum(axis=1)
    yearly = ((fte_q_likely + fte_f_likely) * cost + fixed) * g
    by_year = pd.DataFrame(
        {
            "year": np.arange(1, h + 1),
            "volume": likely,
            "fte_queue": fte_q_likely,
            "fte_fixed": fte_f_likely,
            "fte_total": fte_q_likely + fte_f_likely,
            "cost": yearly,
        }
    )
    likely_flows = np.concatenate([[one_off], yearly])
    likely_flows[-1] += exit_
    best = comparison.best
    saving = comparison.pv_samples[best].to_numpy() - pv
    row = {
        "offer": INHOUSE,
        "tco_likely": float(likely_flows.sum()),
        "pv_likely": float(npv(comparison.discount_rate, likely_flows)),
        "pv_mean": float(pv.mean()),
        "pv_p10": float(np.quantile(pv, 0.1)),
        "pv_p50": float(np.quantile(pv, 0.5)),
        "pv_p90": float(np.quantile(pv, 0.9)),
        "tco_mean": float(tco.mean()),
        "tco_p10": float(np.quantile(tco, 0.1)),
        "tco_p90": float(np.quantile(tco, 0.9)),
        "p_cheapest": float(np.mean(pv < comparison.pv_samples.to_numpy().min(axis=1))),
    }
    costs = pd.concat(
        [comparison.costs.drop(columns="rank"), pd.DataFrame([row])], ignore_index=True
    )
    costs = costs.sort_values("pv_mean", kind="stable").reset_index(drop=True)
    costs["rank"] = np.arange(1, len(costs) + 1)
    return InHouseComparison(
        cost_per_fte_year=cost,
        fixed_cost_per_year=fixed,
        one_off_cost=one_off,
        exit_cost=exit_,
        escalation=esc,
        base_volume=base,
        currency=comparison.currency,
        seed=seed,
        fte_curve=curve,
        by_year=by_year,
        pv_samples=pv,
        tco_samples=tco,
        costs=costs,
        best_offer=best,
        saving_samples=saving,
        p_inhouse_cheaper=float(np.mean(saving > 0)),
        decision=INHOUSE if pv.mean() < comparison.costs["pv_mean"].min() else best,
    )


def _interval_s(forecast: pd.DataFrame, interval_s: float | None) -> float:
    if interval_s is not None:
        return float(check_positive(interval_s, "interval_s"))
    if forecast.attrs.get("interval_s"):
        return float(forecast.attrs["interval_s"])
    starts = pd.to_datetime(forecast["interval_start"]).drop_duplicates().sort_values()
    if len(starts) < 2:
        raise ParameterError("`interval_s` is needed for a forecast with a single interval.")
    return float(starts.diff().dt.total_seconds().min())
