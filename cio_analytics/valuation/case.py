"""The investment case model: line items -> a period-by-period cash-flow table -> metrics.

A case is a set of line items (capex, one-off opex, recurring opex, licences, staff, benefits),
each an amount per period with a start period, a duration and an annual escalation, over a
horizon of whole years, at one discount rate and in one currency. Optional straight-line
depreciation of capex and a profit tax turn it into an after-tax appraisal.

Conventions
-----------
* Period 0 is now and is not discounted; with ``periods_per_year=12`` periods are months and the
  annual ``discount_rate`` becomes ``(1 + r)^(1/12) - 1`` a month.
* Amounts are entered as positive numbers (0 allowed); the kind gives the sign (benefits in,
  everything else out). A negative amount is refused, in :class:`LineItem` and in the case
  readers alike: money coming back on a cost (a rebate, a resale) is its own benefit line.
* An item runs in periods (``start`` defaults to 0 for capex and one-off opex, to 1 otherwise) ``start .. start + duration - 1``, cut at the horizon. Its amount grows
  by ``escalation`` once per full year since its start: ``amount (1 + e)^floor((t - start) / ppy)``.
* Tax (``tax_rate > 0``) is paid in the period the profit arises:
  ``tax_t = tax_rate (benefits_t - opex_t - licences_t - staff_t - depreciation_t)``. A negative
  taxable amount gives a tax saving (the organisation has other profits to offset it).
  Capex is not expensed: it is depreciated straight line over ``depreciation_years`` starting the
  period after the spend, and its tax shield is ``tax_rate x depreciation``. Depreciation that
  falls after the horizon is not counted (no terminal value or write-off).
* Every cash flow is linear in the line-item amounts, so the model reduces to one weight matrix
  ``W`` (items x periods): net cash flows = ``amounts @ W``. :meth:`InvestmentCase.cash_flow_matrix`
  uses it to price 100,000 Monte Carlo scenarios in one matrix product.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import (
    as_float_array,
    check_int,
    check_magnitude,
    check_rate,
    did_you_mean,
    short_repr,
)
from ..exceptions import DataFileError, ParameterError
from ._spec import KIND_ALIASES, LINE_ITEM_KINDS, CaseSpec, sign_error_text
from .case_result import CaseResult
from .rates import discounted_payback_period, irr, mirr, npv, payback_period
from .tvm import eac

__all__ = ["CaseResult", "InvestmentCase", "LineItem"]

COST_KINDS = tuple(k for k in LINE_ITEM_KINDS if k != "benefit")


@dataclass(frozen=True)
class LineItem:
    """One line of an investment case.

    Parameters
    ----------
    name : str
        Label, unique within the case.
    kind : {"capex", "opex_one_off", "opex_recurring", "licence", "staff", "benefit"}
        What it is; sets the sign and the tax treatment.
    amount : float
        Amount per period in the case currency, 0 or more (at most 1e12): the kind gives the
        sign, so a negative amount is refused.
    start : int or None
        First period (0 is now); None: 0 for capex and one-off opex, 1 (the first period's
        end) for recurring opex, licences, staff and benefits.
    duration : int or None
        Number of periods; None: 1 for capex and one-off opex, to the horizon otherwise.
    escalation : float, default 0
        Annual growth of the amount, a decimal (0.03 for 3 % a year).
    depreciation_years : int or None
        Straight-line life of this capex item in years; None uses the case's default.
    """

    name: str
    kind: str
    amount: float
    start: int | None = None
    duration: int | None = None
    escalation: float = 0.0
    depreciation_years: int | None = None

    def __post_init__(self) -> None:
        kind = KIND_ALIASES.get(str(self.kind), str(self.kind))
        if kind not in LINE_ITEM_KINDS:
            raise ParameterError(
                f"`kind` of line item {self.name!r} must be one of {', '.join(LINE_ITEM_KINDS)}. "
                f"Got {short_repr(self.kind)}.{did_you_mean(str(self.kind), LINE_ITEM_KINDS)}"
            )
        set_ = object.__setattr__
        set_(self, "kind", kind)
        amount = float(as_float_array(self.amount, f"{self.name}: amount", ndim=0))
        check_magnitude(amount, f"{self.name}: amount", "amount")
        if amount < 0:
            rule, fix = sign_error_text(str(self.name), kind, amount)
            raise ParameterError(f"`amount`: {rule} Got {amount:g}. {fix}")
        set_(self, "amount", amount)
        start = (
            (0 if kind in ("capex", "opex_one_off") else 1) if self.start is None else self.start
        )
        set_(self, "start", check_int(start, f"{self.name}: start", minimum=0))
        if self.duration is not None:
            set_(self, "duration", check_int(self.duration, f"{self.name}: duration", minimum=1))
        set_(self, "escalation", check_rate(self.escalation, f"{self.name}: escalation"))
        if self.depreciation_years is not None:
            if kind != "capex":
                raise ParameterError(
                    f"`depreciation_years` of line item {self.name!r}: only capex is depreciated; "
                    f"this item is {kind}. Got {self.depreciation_years!r}. Remove it."
                )
            years = check_int(
                self.depreciation_years, f"{self.name}: depreciation_years", minimum=1
            )
            set_(self, "depreciation_years", years)


@dataclass(frozen=True)
class InvestmentCase:
    """An investment case: line items over a horizon, at a discount rate, in one currency.

    Parameters
    ----------
    name : str
        Name of the option ("Buy: SaaS service desk").
    line_items : sequence of LineItem
        The lines (stored as a tuple).
    horizon_years : int, default 5
        Length of the appraisal in years; periods run 0 .. ``horizon_years * periods_per_year``.
    discount_rate : float, default 0.08
        Annual discount rate, a decimal.
    currency : str, default "EUR"
        Currency of every amount (never converted).
    tax_rate : float, default 0
        Profit tax rate, a decimal in [0, 1).
    depreciation_years : int or None
        Default straight-line life of capex in years; None: no depreciation (capex gets no tax
        shield unless an item sets its own life).
    periods_per_year : {1, 12}, default 1
        Yearly or monthly periods.
    description : str
        Free text.

    Examples
    --------
    >>> case = InvestmentCase(
    ...     name="Example",
    ...     line_items=[LineItem("Build", "capex", 1000), LineItem("Savings", "benefit", 300)],
    ...     horizon_years=5,
    ...     discount_rate=0.10,
    ... )
    >>> result = case.evaluate()
    >>> print(f"NPV {result.npv:.2f}, payback {result.payback_years:.2f} years")
    NPV 137.24, payback 3.33 years
    """

    name: str
    line_items: tuple[LineItem, ...]
    horizon_years: int = 5
    discount_rate: float = 0.08
    currency: str = "EUR"
    tax_rate: float = 0.0
    depreciation_years: int | None = None
    periods_per_year: int = 1
    description: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        items = tuple(self.line_items)
        if not items or not all(isinstance(i, LineItem) for i in items):
            raise ParameterError(
                "`line_items` must be a non-empty sequence of LineItem. "
                f"Got {short_repr(self.line_items)}."
            )
        set_(self, "line_items", items)
        set_(self, "horizon_years", check_int(self.horizon_years, "horizon_years", minimum=1))
        set_(
            self,
            "discount_rate",
            check_rate(self.discount_rate, "discount_rate", allow_array=False),
        )
        tax = float(as_float_array(self.tax_rate, "tax_rate", ndim=0))
        if not 0.0 <= tax < 1.0:
            hint = f" Rates are decimals: use {tax / 100:g} for {tax:g} %." if tax > 1 else ""
            raise ParameterError(f"`tax_rate` must be a decimal in [0, 1). Got {tax:g}.{hint}")
        set_(self, "tax_rate", tax)
        if self.depreciation_years is not None:
            years = check_int(self.depreciation_years, "depreciation_years", minimum=1)
            set_(self, "depreciation_years", years)
        if self.periods_per_year not in (1, 12):
            raise ParameterError(
                f"`periods_per_year` must be 1 (yearly) or 12 (monthly). "
                f"Got {short_repr(self.periods_per_year)}."
            )
        currency = str(self.currency).strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ParameterError(
                f"`currency` must be a 3-letter code such as 'EUR'. Got {short_repr(self.currency)}."
            )
        set_(self, "currency", currency)
        names = [i.name for i in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ParameterError(
                f"line item names must be unique. Got {dupes[0]!r} more than once. Rename one."
            )
        last = self.n_periods - 1
        for item in items:
            if item.start > last:
                raise ParameterError(
                    f"line item {item.name!r} starts in period {item.start}, after the horizon "
                    f"(periods 0 to {last}). Lengthen `horizon_years` or correct `start`."
                )

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_spec(cls, spec: CaseSpec) -> InvestmentCase:
        """Build a case from a validated :class:`~cio_analytics.io.CaseSpec` (``read_case``).

        Errors the file reader cannot see (an item starting after the horizon) are raised as
        :class:`~cio_analytics.exceptions.DataFileError` naming the file.
        """
        table = spec.line_items
        try:
            items = tuple(
                LineItem(
                    name=row.name,
                    kind=row.kind,
                    amount=row.amount,
                    start=None if pd.isna(row.start) else int(row.start),
                    duration=None if pd.isna(row.duration) else int(row.duration),
                    escalation=row.escalation,
                    depreciation_years=(
                        None if pd.isna(row.depreciation_years) else int(row.depreciation_years)
                    ),
                )
                for row in table.itertuples(index=False)
            )
            return cls(
                name=spec.name,
                line_items=items,
                horizon_years=spec.horizon_years,
                discount_rate=spec.discount_rate,
                currency=spec.currency,
                tax_rate=spec.tax_rate,
                depreciation_years=spec.depreciation_years,
                periods_per_year=spec.periods_per_year,
                description=spec.description,
            )
        except ParameterError as exc:
            raise DataFileError(str(exc), path=spec.path) from None

    def replace(self, **changes: Any) -> InvestmentCase:
        """A copy with some settings changed (validated again), e.g. ``discount_rate=0.1``."""
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ shape of the model
    @property
    def n_periods(self) -> int:
        """Number of periods including period 0: ``horizon_years * periods_per_year + 1``."""
        return self.horizon_years * self.periods_per_year + 1

    @property
    def period_rate(self) -> float:
        """Discount rate per period: ``(1 + discount_rate)^(1 / periods_per_year) - 1``."""
        return (1.0 + self.discount_rate) ** (1.0 / self.periods_per_year) - 1.0

    @property
    def item_names(self) -> list[str]:
        """Line-item names, in the column order of ``amounts`` for :meth:`cash_flow_matrix`."""
        return [i.name for i in self.line_items]

    @property
    def base_amounts(self) -> np.ndarray:
        """The line items' amounts, shape (n_items,)."""
        return np.array([i.amount for i in self.line_items], dtype=float)

    def _profiles(self) -> np.ndarray:
        """Per unit of amount: the escalated activity of each item, shape (n_items, n_periods)."""
        t = np.arange(self.n_periods)
        out = np.zeros((len(self.line_items), self.n_periods))
        for k, item in enumerate(self.line_items):  # a loop over line items, not scenarios
            one_off = item.kind in ("capex", "opex_one_off")
            duration = item.duration if item.duration is not None else (1 if one_off else None)
            end = self.n_periods if duration is None else item.start + duration
            active = (t >= item.start) & (t < end)
            years = np.floor((t - item.start) / self.periods_per_year)
            out[k] = np.where(active, (1.0 + item.escalation) ** np.maximum(years, 0.0), 0.0)
        return out

    def _depreciation(self, profiles: np.ndarray) -> np.ndarray:
        """Per unit of amount: straight-line depreciation of capex, (n_items, n_periods)."""
        out = np.zeros_like(profiles)
        n = self.n_periods
        for k, item in enumerate(self.line_items):
            years = item.depreciation_years or self.depreciation_years
            if item.kind != "capex" or years is None:
                continue
            life = years * self.periods_per_year
            # spend in period s is written off evenly over s+1 .. s+life (cut at the horizon)
            kernel = np.concatenate([[0.0], np.full(life, 1.0 / life)])
            out[k] = np.convolve(profiles[k], kernel)[:n]
        return out

    def cash_flow_weights(self) -> pd.DataFrame:
        """Net after-tax cash flow per unit of each item's amount: the matrix ``W``.

        Returns
        -------
        pandas.DataFrame
            Rows are line items (``item_names``), columns periods. The net cash flow of the case
            is ``base_amounts @ W``; of a scenario with amounts ``a``, ``a @ W``.
        """
        profiles = self._profiles()
        dep = self._depreciation(profiles)
        sign = np.array([1.0 if i.kind == "benefit" else -1.0 for i in self.line_items])
        is_capex = np.array([i.kind == "capex" for i in self.line_items])
        tax = self.tax_rate
        operating = sign[:, None] * profiles * (1.0 - tax)
        capital = -profiles + tax * dep
        weights = np.where(is_capex[:, None], capital, operating)
        return pd.DataFrame(weights, index=self.item_names, columns=np.arange(self.n_periods))

    # ------------------------------------------------------------------ outputs
    def cash_flow_matrix(self, amounts: Any = None, *, multipliers: Any = None) -> np.ndarray:
        """Net cash flows for many scenarios of line-item amounts, in one matrix product.

        For the risk engine: draw amounts (or multipliers of the base amounts) per trial, get
        the trial x period net cash-flow matrix, then ``npv``/``irr`` on it (row-wise).

        Parameters
        ----------
        amounts : array_like, optional
            Amounts per period of each line item, shape (n_items,) or (n_scenarios, n_items),
            columns in ``item_names`` order, in the case currency (positive, as entered).
        multipliers : array_like, optional
            Factors on the base amounts, same shapes (1.0 = as in the case). Not with
            ``amounts``. With neither, the case's own amounts.

        Returns
        -------
        ndarray
            Net after-tax cash flows, shape (n_periods,) for 1-D input, else
            (n_scenarios, n_periods); column ``j`` is period ``j``.

        Notes
        -----
        ``CF = A W`` with ``W`` from :meth:`cash_flow_weights`: every line, depreciation tax
        shield and tax is linear in the amounts. Escalation, timing and rates stay as in the
        case. Memory: one float per scenario and period.

        Examples
        --------
        >>> case = InvestmentCase(
        ...     name="x", line_items=[LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
        ...     horizon_years=3)
        >>> case.cash_flow_matrix(multipliers=[[1.0, 1.0], [1.2, 0.5]])
        array([[-1000.,   300.,   300.,   300.],
               [-1200.,   150.,   150.,   150.]])
        """
        n_items = len(self.line_items)
        if amounts is not None and multipliers is not None:
            raise ParameterError("Give `amounts` or `multipliers`, not both.")
        if amounts is None and multipliers is None:
            a = self.base_amounts
        elif amounts is not None:
            a = as_float_array(amounts, "amounts", ndim=(1, 2))
        else:
            a = as_float_array(multipliers, "multipliers", ndim=(1, 2)) * self.base_amounts
        if a.shape[-1] != n_items:
            raise ParameterError(
                f"`amounts`/`multipliers` need one column per line item ({n_items}: "
                f"{', '.join(self.item_names)}). Got shape {a.shape}."
            )
        return a @ self.cash_flow_weights().to_numpy()

    def cash_flow_table(self) -> pd.DataFrame:
        """The period-by-period cash-flow table of the case (see :class:`CaseResult`)."""
        profiles = self._profiles()
        amounts = self.base_amounts[:, None] * profiles
        dep = (self.base_amounts[:, None] * self._depreciation(profiles)).sum(axis=0)
        kinds = np.array([i.kind for i in self.line_items])
        t = np.arange(self.n_periods)
        table = pd.DataFrame({"period": t, "year": t / self.periods_per_year})
        for kind in LINE_ITEM_KINDS:
            total = amounts[kinds == kind].sum(axis=0)
            table[kind] = (total if kind == "benefit" else -total) + 0.0  # no -0.0
        operating = table[["opex_one_off", "opex_recurring", "licence", "staff", "benefit"]]
        table["depreciation"] = dep
        table["tax"] = -self.tax_rate * (operating.sum(axis=1) - dep) + 0.0
        table["net"] = table[list(LINE_ITEM_KINDS)].sum(axis=1) + table["tax"]
        table["cumulative"] = table["net"].cumsum()
        table["discount_factor"] = (1.0 + self.period_rate) ** -t
        table["discounted"] = table["net"] * table["discount_factor"]
        table["cumulative_discounted"] = table["discounted"].cumsum()
        return table

    def evaluate(
        self,
        *,
        discount_rate: float | None = None,
        tax_rate: float | None = None,
        currency: str | None = None,
    ) -> CaseResult:
        """Cash-flow table and metrics of the case.

        Parameters
        ----------
        discount_rate, tax_rate : float, optional
            Override the case's annual rates for this evaluation.
        currency : str, optional
            The currency the caller expects; a case in another currency is refused (amounts
            are never converted).

        Returns
        -------
        CaseResult
        """
        if currency is not None and str(currency).strip().upper() != self.currency:
            raise ParameterError(
                f"`currency` {currency!r} does not match case {self.name!r}, which is in "
                f"{self.currency}. Amounts are not converted: use currency={self.currency!r} "
                "or a case file in the currency you report in."
            )
        changes = {
            k: v
            for k, v in (("discount_rate", discount_rate), ("tax_rate", tax_rate))
            if v is not None
        }
        case = self.replace(**changes) if changes else self
        table = case.cash_flow_table()
        net = table["net"].to_numpy()
        r, ppy = case.period_rate, case.periods_per_year
        costs = -table[list(COST_KINDS)].sum(axis=1).to_numpy()
        irr_full = irr(net, full_output=True)
        per_irr = irr_full.rate
        per_mirr = mirr(net, r, r) if len(net) > 1 else np.nan
        discounted_tco = float(costs @ table["discount_factor"].to_numpy())
        return CaseResult(
            case=case,
            cash_flows=table,
            npv=float(npv(r, net)),
            irr=_annual(per_irr, ppy),
            irr_status=str(irr_full.status),
            mirr=_annual(per_mirr, ppy),
            payback_years=float(payback_period(net)) / ppy,
            discounted_payback_years=float(discounted_payback_period(r, net)) / ppy,
            tco=float(costs.sum()),
            discounted_tco=discounted_tco,
            eac=float(eac(case.discount_rate, case.horizon_years, discounted_tco)),
        )


def _annual(rate_per_period: float, periods_per_year: int) -> float:
    return float((1.0 + rate_per_period) ** periods_per_year - 1.0)
