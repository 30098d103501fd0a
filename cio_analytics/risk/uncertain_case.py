"""Uncertain investment cases: line items with distributions -> distributions of NPV, IRR, payback.

The investment case of :mod:`cio_analytics.valuation` is linear in its line-item amounts
(``cash flows = amounts @ W``), so every trial's cash-flow row comes from one matrix product
(:meth:`InvestmentCase.cash_flow_matrix`) and NPV, IRR and payback are computed row-wise on the
whole trial matrix. Sampling, correlation and sensitivity are the engine's
(:func:`cio_analytics.risk.simulate`); each line item draws from a stream keyed by its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, warn_renamed
from .._validation import check_choice, did_you_mean, short_repr
from ..exceptions import ParameterError
from ..valuation import InvestmentCase, irr, npv, payback_period
from ._base import Distribution
from ._compound import make_distribution
from .results import SimulationResult
from .simulation import simulate

__all__ = [
    "UncertainCaseResult",
    "UncertainCaseSpec",
    "simulate_case",
    "uncertainty_from_spec",
]


def _input_name(item: str) -> str:
    key = re.sub(r"\W+", "_", item.strip()).strip("_").lower() or "item"
    return key if key[0].isalpha() else f"item_{key}"


@dataclass(frozen=True)
class UncertainCaseResult:
    """Distributions of an investment case's NPV, IRR and payback (:func:`simulate_case`).

    Attributes
    ----------
    case : InvestmentCase
    uncertainty : dict
        Line item -> distribution, as given.
    basis : {"amount", "multiplier"}
    simulation : SimulationResult
        The engine's result: outputs ``npv``, ``irr`` (annual, NaN when undefined),
        ``payback_years`` (NaN when never); inputs named after the line items (``inputs_map``).
    inputs_map : dict
        Line item -> engine input name.
    npv_base, npv_mean, npv_p10, npv_p50, npv_p90 : float
    probability_npv_negative : float
    irr_p10, irr_p50, irr_p90 : float
        Quantiles over the trials where the IRR is defined.
    irr_undefined_share : float
        Share of trials without an IRR (no sign change, no root); see ``irr_status``.
    irr_status : DataFrame
        ``status``, ``n_trials``, ``share``.
    payback_years_p50, payback_years_p90, payback_never_share : float
    """

    case: InvestmentCase
    uncertainty: dict = field(repr=False)
    basis: str
    n_trials: int
    seed: int
    simulation: SimulationResult = field(repr=False)
    inputs_map: dict = field(repr=False)
    npv_base: float
    npv_mean: float
    npv_p10: float
    npv_p50: float
    npv_p90: float
    probability_npv_negative: float
    irr_p10: float
    irr_p50: float
    irr_p90: float
    irr_undefined_share: float
    irr_status: pd.DataFrame = field(repr=False)
    payback_years_p50: float
    payback_years_p90: float
    payback_never_share: float

    payback_p50_years = deprecated_field("payback_years_p50", "payback_p50_years")
    payback_p90_years = deprecated_field("payback_years_p90", "payback_p90_years")

    @property
    def currency(self) -> str:
        """The case currency."""
        return self.case.currency

    def sensitivity(self) -> pd.DataFrame:
        """NPV tornado (the engine's Spearman / swing table) labelled with line-item names."""
        table = self.simulation.sensitivity("npv")
        back = {v: k for k, v in self.inputs_map.items()}
        return table.assign(input=table["input"].map(back))

    def summary(self) -> pd.DataFrame:
        """Tidy headline table: ``metric``, ``value``, ``unit``."""
        c = self.currency
        rows = [
            ("npv_base", self.npv_base, c), ("npv_mean", self.npv_mean, c),
            ("npv_p10", self.npv_p10, c), ("npv_p50", self.npv_p50, c),
            ("npv_p90", self.npv_p90, c),
            ("probability_npv_negative", self.probability_npv_negative, "probability"),
            ("irr_p10", self.irr_p10, "per year"), ("irr_p50", self.irr_p50, "per year"),
            ("irr_p90", self.irr_p90, "per year"),
            ("irr_undefined_share", self.irr_undefined_share, "share"),
            ("payback_years_p50", self.payback_years_p50, "years"),
            ("payback_years_p90", self.payback_years_p90, "years"),
            ("payback_never_share", self.payback_never_share, "share"),
            ("n_trials", float(self.n_trials), "trials"),
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def simulate_case(
    case: InvestmentCase,
    uncertainty: Mapping[str, Distribution],
    n_trials: int = 10_000,
    *,
    basis: str = "amount",
    correlation: pd.DataFrame | None = None,
    method: str = "lhs",
    rng: int | np.random.Generator | None = None,
) -> UncertainCaseResult:
    """Monte Carlo of an investment case with uncertain line items.

    Parameters
    ----------
    case : InvestmentCase
        The case (timing, escalation, tax, discount rate stay as in the case).
    uncertainty : dict of str -> Distribution
        Line item name -> distribution of its amount per period (``basis="amount"``, in the
        case currency, positive as entered) or of a factor on the base amount
        (``basis="multiplier"``, 1.0 = as planned). Items not listed keep their amount; a
        name the case does not have is refused (all such names are listed). Factors follow
        the case: the same ranges applied to a case with other planned amounts give that
        case's distribution, so prefer them to absolute amounts.
    n_trials : int, default 10,000
    basis : {"amount", "multiplier"}
    correlation : DataFrame, optional
        Spearman rank correlation between line items (labelled with item names).
    method : {"lhs", "mc", "sobol"}
        Sampling method of :func:`simulate`.
    rng : None, int or Generator
        Seed; recorded on the result.

    Returns
    -------
    UncertainCaseResult

    Notes
    -----
    Per trial ``CF = a W`` (``W`` the case's weight matrix), ``NPV = sum_t CF_t (1 + r)^-t``
    with the case's period rate, IRR per row (annualised; NaN where no rate exists, counted in
    ``irr_undefined_share``), payback interpolated within the period and measured from the
    first period with a cash flow, as :meth:`InvestmentCase.evaluate` does.

    Examples
    --------
    >>> from cio_analytics.risk import PERT
    >>> from cio_analytics.valuation import InvestmentCase, LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
    ...                       horizon_years=5, discount_rate=0.10)
    >>> res = simulate_case(case, {"Build": PERT(900, 1000, 1300)}, 20_000, rng=1)
    >>> print(f"{res.npv_base:.2f} {res.npv_mean - res.npv_base:.1f}")
    137.24 -33.3
    """
    if not isinstance(case, InvestmentCase):
        raise ParameterError(f"`case` must be an InvestmentCase. Got {short_repr(case)}.")
    basis = check_choice(basis, "basis", ("amount", "multiplier"))
    if not isinstance(uncertainty, Mapping) or not uncertainty:
        raise ParameterError(
            "`uncertainty` must be a non-empty dict of line item -> distribution, e.g. "
            "{'Platform implementation': PERT(380_000, 420_000, 600_000)}."
        )
    items = case.item_names
    names = {item: _input_name(item) for item in items}
    if len(set(names.values())) != len(names):
        raise ParameterError("Line item names must stay distinct after removing punctuation.")
    unknown = [str(item) for item in uncertainty if item not in items]
    if unknown:
        raise ParameterError(
            f"`uncertainty` gives ranges for line items that case {case.name!r} does not have: "
            f"{', '.join(map(repr, unknown))}. Its items: {items}."
            f"{did_you_mean(unknown[0], items)} Ranges must follow the case they are applied "
            "to: remove those ranges or rename them to the case's line items."
        )
    for item, dist in uncertainty.items():
        if not isinstance(dist, Distribution):
            raise ParameterError(
                f"`uncertainty[{item!r}]` must be a distribution. Got {short_repr(dist)}."
            )
    base = case.base_amounts
    inputs = {
        names[item]: uncertainty.get(item, 1.0 if basis == "multiplier" else float(base[k]))
        for k, item in enumerate(items)
    }
    weights = case.cash_flow_weights().to_numpy()
    rate, ppy = case.period_rate, case.periods_per_year
    order = [names[item] for item in items]
    scale = base if basis == "multiplier" else np.ones_like(base)

    def model(**x: np.ndarray) -> dict[str, np.ndarray]:
        m = np.broadcast_to(x[order[0]], x[order[0]].shape).size
        amounts = np.column_stack([np.broadcast_to(x[k], (m,)) for k in order]) * scale
        cf = amounts @ weights
        out = irr(cf, full_output=True)
        pay = payback_period(cf)
        return {
            "npv": np.asarray(npv(rate, cf), dtype=float),
            "irr": (1.0 + np.asarray(out.rate, dtype=float)) ** ppy - 1.0,
            "payback_years": np.asarray(pay, dtype=float) / ppy,
            "irr_code": np.asarray(out.status == "ok", dtype=float)
            + 2.0 * np.asarray(out.status == "several roots", dtype=float),
        }

    sim = simulate(model, inputs, n_trials, correlation=_rename(correlation, names),
                   method=method, rng=rng, allow_nan=True)  # fmt: skip
    npv_t = sim.outputs["npv"].to_numpy()
    irr_t = sim.outputs["irr"].to_numpy()
    pay_t = sim.outputs["payback_years"].to_numpy()
    code = sim.outputs["irr_code"].to_numpy()
    labels = np.where(code == 1, "ok", np.where(code == 2, "several roots", "undefined"))
    status = pd.Series(labels).value_counts().rename_axis("status").reset_index(name="n_trials")
    status["share"] = status["n_trials"] / len(labels)
    defined = irr_t[~np.isnan(irr_t)]
    paid = pay_t[~np.isnan(pay_t)]

    def q(a: np.ndarray, p: float) -> float:
        return float(np.quantile(a, p)) if a.size else float("nan")

    return UncertainCaseResult(
        case=case,
        uncertainty=dict(uncertainty),
        basis=basis,
        n_trials=sim.n_trials,
        seed=sim.seed,
        simulation=sim,
        inputs_map=names,
        npv_base=float(npv(rate, base @ weights)),
        npv_mean=float(npv_t.mean()),
        npv_p10=q(npv_t, 0.1),
        npv_p50=q(npv_t, 0.5),
        npv_p90=q(npv_t, 0.9),
        probability_npv_negative=float(np.mean(npv_t < 0)),
        irr_p10=q(defined, 0.1),
        irr_p50=q(defined, 0.5),
        irr_p90=q(defined, 0.9),
        irr_undefined_share=float(np.mean(np.isnan(irr_t))),
        irr_status=status,
        payback_years_p50=q(paid, 0.5),
        payback_years_p90=q(paid, 0.9),
        payback_never_share=float(np.mean(np.isnan(pay_t))),
    )


def _rename(correlation: Any, names: dict[str, str]) -> Any:
    if correlation is None:
        return None
    if not isinstance(correlation, pd.DataFrame):
        raise ParameterError("`correlation` must be a DataFrame labelled with line-item names.")
    for label in correlation.index:
        if label not in names:
            raise ParameterError(
                f"`correlation` names unknown line item {label!r}.{did_you_mean(label, names)}"
            )
    return correlation.rename(index=names, columns=names)


@dataclass(frozen=True, eq=False)
class UncertainCaseSpec:
    """An investment case with the distributions of its uncertain line items.

    The arguments of :func:`simulate_case`:
    ``simulate_case(spec.case, spec.uncertainty, basis=spec.basis)``.

    Attributes
    ----------
    case : InvestmentCase
        The planned case.
    uncertainty : dict of str -> Distribution
        Line item name -> distribution of its amount (or factor, see ``basis``).
    basis : {"amount", "multiplier"}
        What the distributions describe.
    """

    case: InvestmentCase
    uncertainty: dict[str, Distribution]
    basis: str

    def summary(self) -> pd.DataFrame:
        """One row per uncertain line item: ``item``, ``distribution``, ``mean``."""
        return pd.DataFrame(
            {
                "item": list(self.uncertainty),
                "distribution": [repr(d) for d in self.uncertainty.values()],
                "mean": [
                    d.mean() if isinstance(d, Distribution) else float(d)
                    for d in self.uncertainty.values()
                ],
            }
        )

    def _as_tuple(self) -> tuple[InvestmentCase, dict[str, Distribution], str]:
        warn_renamed(
            "unpacking or indexing uncertainty_from_spec(...) as a tuple",
            "the attributes .case, .uncertainty and .basis",
            stacklevel=4,
        )
        return self.case, self.uncertainty, self.basis

    def __iter__(self):  # deprecated tuple unpacking: case, uncertainty, basis = spec
        return iter(self._as_tuple())

    def __getitem__(self, index: int) -> Any:  # deprecated tuple indexing: spec[1]
        return self._as_tuple()[index]


def uncertainty_from_spec(spec: Mapping[str, Any]) -> UncertainCaseSpec:
    """The case and its uncertain line items from :func:`cio_analytics.io.read_uncertain_case`.

    Returns
    -------
    UncertainCaseSpec
        ``.case``, ``.uncertainty``, ``.basis`` (it used to be a tuple; unpacking and
        indexing still work, deprecated).

    Examples
    --------
    >>> from cio_analytics.io import read_uncertain_case
    >>> spec = uncertainty_from_spec(read_uncertain_case(
    ...     "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"))
    >>> spec.basis in ("amount", "multiplier"), len(spec.uncertainty) > 0
    (True, True)
    """
    case = InvestmentCase.from_spec(spec["case"])
    uncertainty = {k: make_distribution(v) for k, v in spec["uncertainty"].items()}
    return UncertainCaseSpec(case=case, uncertainty=uncertainty, basis=spec["basis"])
