"""Is a redundancy or disaster-recovery option worth its cost? And which RTO/RPO tier?

:func:`evaluate_options` simulates the service without and with each option on common random
numbers (the same seed and per-component draws, see :mod:`.outage`), so the annual saving is
measured trial by trial rather than as the difference of two noisy means; the option's NPV
over its life uses :func:`cio_analytics.valuation.npv` and its payback
:func:`cio_analytics.valuation.payback_period`.

:func:`rto_rpo_scenarios` prices recovery tiers against disaster scenarios: the loss of a
disaster is ``cost_per_h * RTO + data_loss_cost_per_h * RPO + fixed``; the tier to pay for is the
one with the lowest equivalent annual cost plus expected annual loss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_alias
from .._validation import (
    as_float_array,
    check_choice,
    check_frame,
    check_int,
    check_rate,
    resolve_seed,
    short_repr,
)
from ..exceptions import ParameterError
from ..valuation import eac, npv, payback_period
from .availability import service_availability
from .outage import OutageResult, simulate_outages
from .structure import ServiceModel

__all__ = [
    "ContinuityOption",
    "OptionComparison",
    "OptionResult",
    "RtoRpoResult",
    "evaluate_options",
    "options_from_spec",
    "rto_rpo_scenarios",
]


@dataclass(frozen=True)
class ContinuityOption:
    """A redundancy or DR option: what it changes in the service and what it costs.

    Parameters
    ----------
    name : str
    changes : mapping
        ``{"components": {name: full spec}, "blocks": {name: spec}, "root": name}``, applied
        with :meth:`ServiceModel.with_changes`.
    one_off_cost : float
        Set-up cost now (year 0), currency, >= 0.
    annual_cost : float
        Running cost per year, currency, >= 0.
    life_years : int
        Years the option runs (and saves).
    description : str
    """

    name: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    one_off_cost: float = 0.0
    annual_cost: float = 0.0
    life_years: int = 5
    description: str = ""

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> list[ContinuityOption]:
        """Options listed under ``options:`` in a service spec (see ``read_service_structure``)."""
        return _options_from_spec(spec)

    def __post_init__(self) -> None:
        for attr in ("one_off_cost", "annual_cost"):
            v = getattr(self, attr)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
                raise ParameterError(f"option {self.name!r}: `{attr}` must be a number >= 0. "
                                     f"Got {short_repr(v)}.")  # fmt: skip
            object.__setattr__(self, attr, float(v))
        try:
            life = check_int(self.life_years, "life_years", minimum=1)
        except ParameterError as exc:
            raise ParameterError(f"option {self.name!r}: {exc}") from None
        object.__setattr__(self, "life_years", life)
        if not isinstance(self.changes, Mapping):
            raise ParameterError(f"option {self.name!r}: `changes` must be a mapping.")


def _options_from_spec(spec: Mapping[str, Any]) -> list[ContinuityOption]:
    keys = ("name", "changes", "one_off_cost", "annual_cost", "life_years", "description")
    return [ContinuityOption(**{k: o[k] for k in keys if k in o}) for o in spec.get("options", [])]


options_from_spec = deprecated_alias(
    ContinuityOption.from_spec, "options_from_spec", "ContinuityOption.from_spec"
)


@dataclass(frozen=True, eq=False)
class OptionResult:
    """One option against the current service (annual figures in currency per year)."""

    option: ContinuityOption
    outage: OutageResult
    saving: np.ndarray
    expected_saving: float
    analytic_saving: float
    availability_before: float
    availability_after: float
    npv: float
    payback_years: float
    prob_saving_exceeds_cost: float
    cash_flows: np.ndarray
    saving_basis: str = "analytic"


@dataclass(frozen=True, eq=False)
class OptionComparison:
    """The base case's outage simulation and each option's value.

    ``table`` has one row per option: costs, ``expected_saving`` (Monte Carlo, paired),
    ``analytic_saving``, ``saving_basis`` (which of the two the NPV uses), saving P10/P90,
    ``npv``, ``payback_years``, availability before and after, ``prob_saving_exceeds_cost``
    and ``fund`` (NPV > 0). ``seed`` is the one int seed of every run (common random
    numbers): ``evaluate_options(..., rng=seed)`` replays the comparison.
    """

    base: OutageResult
    results: dict[str, OptionResult]
    table: pd.DataFrame
    discount_rate: float
    currency: str
    seed: int = 0

    @property
    def best(self) -> str | None:
        """The option with the highest positive NPV, or None if none pays."""
        t = self.table[self.table["npv"] > 0]
        return None if t.empty else str(t.loc[t["npv"].idxmax(), "option"])

    def summary(self) -> pd.DataFrame:
        """The option table (tidy: one row per option)."""
        return self.table.copy()


def evaluate_options(
    model: ServiceModel,
    options: Sequence[ContinuityOption],
    *,
    discount_rate: float = 0.08,
    n_trials: int = 10_000,
    saving_basis: str = "analytic",
    rng: int | np.random.Generator | None = None,
) -> OptionComparison:
    """Value each option: paired simulation with and without, saving, NPV, payback.

    Parameters
    ----------
    model : ServiceModel
    options : sequence of ContinuityOption
    discount_rate : float, default 0.08
        Annual, decimal.
    n_trials : int
        Simulated years per variant.
    saving_basis : {"analytic", "simulated"}, default "analytic"
        Expected annual saving used for the NPV and payback: the exact compound Poisson
        expectation (free of sampling noise, which matters for rare disasters) or the paired
        Monte Carlo mean. Both are in the table; the simulation always gives the spread.
    rng : None, int or Generator
        One seed for every variant (common random numbers).

    Returns
    -------
    OptionComparison

    Notes
    -----
    Per year ``t``: ``S_t = C_base,t - C_option,t`` on the same draws. Cash flows
    ``[-one_off, E[S] - annual_cost, ...]`` over ``life_years``; with independent years the
    expected NPV is the NPV of the expected flows. ``analytic_saving`` is the difference of the
    compound Poisson expected costs; ``expected_saving`` the paired simulated mean, which
    converges to it.

    Examples
    --------
    >>> from cio_analytics.continuity import ServiceModel
    >>> m = ServiceModel.from_spec({"root": "s", "outage_cost_per_h": 10000,
    ...     "blocks": {"s": {"type": "series", "children": ["site"]}},
    ...     "components": {"site": {"failures_per_year": 0.1, "restore_h": 72}}})
    >>> dr = ContinuityOption("DR", {"components": {"site": {"failures_per_year": 0.1,
    ...     "restore_h": 4}}}, one_off_cost=50_000, annual_cost=20_000, life_years=3)
    >>> c = evaluate_options(m, [dr], discount_rate=0.1, rng=7)
    >>> print(f"{c.table.loc[0, 'analytic_saving']:,.0f}")  # 0.1 x 68 h x 10,000
    68,000
    """
    if not isinstance(model, ServiceModel):
        raise ParameterError(
            "`model` must be a ServiceModel; build it with ServiceModel.from_spec."
        )
    rate = check_rate(discount_rate, "discount_rate", allow_array=False)
    check_choice(saving_basis, "saving_basis", ("analytic", "simulated"))
    options = list(options)
    names = [getattr(o, "name", None) for o in options]
    for o in options:
        if not isinstance(o, ContinuityOption):
            raise ParameterError(
                f"`options` must hold ContinuityOption objects. Got {short_repr(o)}."
            )
    if len(set(names)) != len(names):
        raise ParameterError(f"option names must be unique. Got {names}.")
    seed, _ = resolve_seed(rng)
    base = simulate_outages(model, n_trials=n_trials, rng=seed)
    a_before = service_availability(model).availability
    results, rows = {}, []
    for opt in options:
        try:
            variant = model.with_changes(opt.changes)
        except ParameterError as exc:
            raise ParameterError(f"option {opt.name!r}: {exc}") from None
        out = simulate_outages(variant, n_trials=n_trials, rng=seed)
        saving = base.cost - out.cost
        e_saving = float(saving.mean())
        analytic = base.expected_cost - out.expected_cost
        basis = analytic if saving_basis == "analytic" else e_saving
        flows = np.array([-opt.one_off_cost] + [basis - opt.annual_cost] * opt.life_years)
        value, payback = float(npv(rate, flows)), float(payback_period(flows))
        res = OptionResult(
            option=opt, outage=out, saving=saving, expected_saving=e_saving,
            analytic_saving=analytic,
            availability_before=a_before,
            availability_after=service_availability(variant).availability,
            npv=value, payback_years=payback,
            prob_saving_exceeds_cost=float(np.mean(saving > opt.annual_cost)),
            cash_flows=flows, saving_basis=saving_basis,
        )  # fmt: skip
        results[opt.name] = res
        rows.append({
            "option": opt.name, "one_off_cost": opt.one_off_cost,
            "annual_cost": opt.annual_cost, "life_years": opt.life_years,
            "expected_saving": e_saving, "analytic_saving": analytic,
            "saving_basis": saving_basis,
            "saving_p10": float(np.quantile(saving, 0.1)),
            "saving_p90": float(np.quantile(saving, 0.9)),
            "npv": value, "payback_years": payback,
            "availability_before": a_before, "availability_after": res.availability_after,
            "downtime_before_h": base.mean_downtime_h, "downtime_after_h": out.mean_downtime_h,
            "prob_saving_exceeds_cost": res.prob_saving_exceeds_cost, "fund": value > 0,
        })  # fmt: skip
    table = pd.DataFrame(rows)
    return OptionComparison(base, results, table, rate, model.currency, seed)


_SCENARIO_COLS = ("events_per_year", "outage_cost_per_h", "data_loss_cost_per_h")
_TIER_COLS = ("rto_h", "rpo_h", "annual_cost")


@dataclass(frozen=True, eq=False)
class RtoRpoResult:
    """Recovery tiers priced against disaster scenarios.

    ``table``: per tier ``rto_h``, ``rpo_h``, ``equivalent_annual_cost`` (running cost plus
    the set-up cost spread over the life as an equivalent annual cost), ``expected_loss``,
    ``total_cost``, ``saving_vs_first`` and the step from the previous (cheaper) tier:
    ``extra_cost``, ``extra_loss_avoided``, ``step_worth_it``. ``losses``: expected annual loss
    per scenario and tier (long form). ``best_tier``: the lowest total cost.
    """

    table: pd.DataFrame
    losses: pd.DataFrame
    best_tier: str
    discount_rate: float
    life_years: int
    currency: str

    def summary(self) -> pd.DataFrame:
        """The tier table."""
        return self.table.copy()


def _frame(df: Any, name: str, key: str, cols: tuple[str, ...]) -> pd.DataFrame:
    reader = {"scenarios": "read_disaster_scenarios", "tiers": "read_dr_tiers"}.get(name)
    check_frame(df, name, (key, *cols), fix=f"See cio_analytics.io.{reader}." if reader else "")
    for col in cols:
        v = as_float_array(df[col], f"{name}.{col}")
        if np.any(v < 0):
            raise ParameterError(f"`{name}.{col}` must be 0 or more. Got {v[v < 0][0]:g}.")
    return df.reset_index(drop=True)


def rto_rpo_scenarios(
    scenarios: pd.DataFrame,
    tiers: pd.DataFrame,
    *,
    discount_rate: float = 0.08,
    life_years: int = 5,
    currency: str = "EUR",
) -> RtoRpoResult:
    """Expected annual loss of each disaster scenario under each RTO/RPO tier; best tier.

    Parameters
    ----------
    scenarios : DataFrame
        ``scenario``, ``events_per_year`` (>= 0), ``outage_cost_per_h``,
        ``data_loss_cost_per_h`` (cost of one hour of lost data: re-entry, lost orders), and
        optional ``fixed_cost_per_event``.
    tiers : DataFrame
        ``tier``, ``rto_h`` (recovery time reached, hours), ``rpo_h`` (data lost, hours),
        ``annual_cost`` and optional ``one_off_cost``.
    discount_rate : float
        Annual, decimal; spreads ``one_off_cost`` over ``life_years``.
    life_years : int
    currency : str

    Returns
    -------
    RtoRpoResult

    Notes
    -----
    ``L[s, t] = f_s (c_s RTO_t + d_s RPO_t + F_s)``; tier cost ``K_t = annual_t +
    EAC(r, life, one_off_t)``; best tier ``argmin_t K_t + sum_s L[s, t]``. A tier is assumed
    to meet its RTO and RPO in every disaster.

    Examples
    --------
    >>> s = pd.DataFrame({"scenario": ["site loss"], "events_per_year": [0.1],
    ...     "outage_cost_per_h": [10_000], "data_loss_cost_per_h": [5_000]})
    >>> t = pd.DataFrame({"tier": ["backup", "warm"], "rto_h": [72, 4], "rpo_h": [24, 1],
    ...     "annual_cost": [10_000, 40_000]})
    >>> r = rto_rpo_scenarios(s, t)
    >>> r.best_tier, r.table["expected_loss"].tolist()
    ('warm', [84000.0, 4500.0])
    """
    s = _frame(scenarios, "scenarios", "scenario", _SCENARIO_COLS)
    t = _frame(tiers, "tiers", "tier", _TIER_COLS)
    rate = check_rate(discount_rate, "discount_rate", allow_array=False)
    life = check_int(life_years, "life_years", minimum=1)
    fixed = s["fixed_cost_per_event"].fillna(0.0) if "fixed_cost_per_event" in s else 0.0
    one_off = t["one_off_cost"].fillna(0.0) if "one_off_cost" in t else pd.Series(0.0, t.index)
    f = s["events_per_year"].to_numpy(float)[:, None]
    per_event = (s["outage_cost_per_h"].to_numpy(float)[:, None] * t["rto_h"].to_numpy(float)
                 + s["data_loss_cost_per_h"].to_numpy(float)[:, None] * t["rpo_h"].to_numpy(float)
                 + np.asarray(fixed, float).reshape(-1, 1))  # fmt: skip
    loss = f * per_event
    k = t["annual_cost"].to_numpy(float) + np.asarray(eac(rate, life, one_off.to_numpy(float)))
    table = pd.DataFrame({"tier": t["tier"].astype(str), "rto_h": t["rto_h"].astype(float),
                          "rpo_h": t["rpo_h"].astype(float), "equivalent_annual_cost": k,
                          "expected_loss": loss.sum(axis=0)})  # fmt: skip
    table["total_cost"] = table["equivalent_annual_cost"] + table["expected_loss"]
    table = table.sort_values("equivalent_annual_cost", kind="stable").reset_index(drop=True)
    table["saving_vs_first"] = table["total_cost"].iloc[0] - table["total_cost"]
    table["extra_cost"] = table["equivalent_annual_cost"].diff()
    table["extra_loss_avoided"] = -table["expected_loss"].diff()
    table["step_worth_it"] = table["extra_loss_avoided"] > table["extra_cost"]
    best = str(table.loc[table["total_cost"].idxmin(), "tier"])
    table["best"] = table["tier"] == best
    losses = pd.DataFrame({
        "scenario": np.repeat(s["scenario"].astype(str).to_numpy(), len(t)),
        "tier": np.tile(t["tier"].astype(str).to_numpy(), len(s)),
        "loss_per_event": per_event.ravel(),
        "expected_loss": loss.ravel(),
    })  # fmt: skip
    return RtoRpoResult(table, losses, best, rate, life, currency)
