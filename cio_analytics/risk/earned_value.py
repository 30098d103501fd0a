"""Earned value management (EVM): where running projects stand against their baseline.

From planned value (PV), earned value (EV) and actual cost (AC) at each status date and the
budget at completion (BAC), the PMBOK measures: variances (CV, SV), indices (CPI, SPI), the
estimate at completion (EAC) in its three standard variants, the estimate to complete (ETC),
the variance at completion (VAC) and the to-complete performance index (TCPI).

Everything broadcasts like a ufunc (projects x periods in one call); a ratio with nothing to
divide by is NaN with a status saying why, never an infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._validation import as_float_array, check_choice, check_magnitude
from ..exceptions import ParameterError

__all__ = [
    "EAC_METHODS",
    "EarnedValueMetrics",
    "EarnedValueResult",
    "earned_value",
    "earned_value_metrics",
]

#: The estimate-at-completion variants (PMI, PMBOK Guide 6th ed., section 7.4.2.2).
EAC_METHODS = {
    "cpi": "BAC / CPI: today's cost efficiency continues",
    "budget_rate": "AC + (BAC - EV): the remaining work at the budgeted rate",
    "cpi_spi": "AC + (BAC - EV) / (CPI x SPI): cost and schedule pressure both continue",
}

_FIELDS = (
    "cost_variance",
    "schedule_variance",
    "cpi",
    "spi",
    "eac",
    "etc",
    "vac",
    "tcpi",
)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN where the denominator is not positive (no infinities)."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    ok = np.broadcast_to(den > 0, out.shape)
    np.divide(num, den, out=out, where=ok)
    return out


@dataclass(frozen=True)
class EarnedValueMetrics:
    """The EVM measures, element by element over the broadcast inputs.

    Attributes
    ----------
    planned_value, earned_value, actual_cost, budget_at_completion : ndarray
        The inputs, broadcast to one shape (currency).
    cost_variance, schedule_variance : ndarray
        ``CV = EV - AC`` and ``SV = EV - PV`` (currency; negative is over cost / behind).
    cpi, spi : ndarray
        ``CPI = EV / AC`` and ``SPI = EV / PV``; NaN where AC or PV is 0 (nothing to judge yet).
    eac_cpi, eac_budget_rate, eac_cpi_spi : ndarray
        The three EAC variants (see :data:`EAC_METHODS`).
    eac_method : str
        Which variant ``eac``, ``etc`` and ``vac`` use.
    eac, etc, vac : ndarray
        The chosen EAC, ``ETC = EAC - AC`` and ``VAC = BAC - EAC``.
    tcpi : ndarray
        ``(BAC - EV) / (BAC - AC)``: the cost efficiency the remaining work needs to finish on
        budget; NaN where the budget is already spent (``AC >= BAC``) with work left, or
        the work is complete.
    status : ndarray of str
        ``"ok"``, ``"not started"`` (AC = 0 and EV = 0), ``"no value earned"`` (AC > 0 and
        EV = 0: CPI is 0, so the CPI-based EAC is NaN), ``"complete"`` (EV = BAC) or
        ``"budget spent"`` (AC >= BAC with work left, so no TCPI can meet the budget).
    """

    planned_value: np.ndarray
    earned_value: np.ndarray
    actual_cost: np.ndarray
    budget_at_completion: np.ndarray
    cost_variance: np.ndarray
    schedule_variance: np.ndarray
    cpi: np.ndarray
    spi: np.ndarray
    eac_cpi: np.ndarray
    eac_budget_rate: np.ndarray
    eac_cpi_spi: np.ndarray
    eac_method: str
    eac: np.ndarray
    etc: np.ndarray
    vac: np.ndarray
    tcpi: np.ndarray
    status: np.ndarray

    def summary(self) -> pd.DataFrame:
        """A tidy table: one row per element (flattened), inputs then measures then status."""
        cols = {
            "planned_value": self.planned_value,
            "earned_value": self.earned_value,
            "actual_cost": self.actual_cost,
            "budget_at_completion": self.budget_at_completion,
            **{name: getattr(self, name) for name in _FIELDS},
            "status": self.status,
        }
        return pd.DataFrame({k: np.ravel(v) for k, v in cols.items()})


def earned_value_metrics(
    planned_value: Any,
    earned_value: Any,
    actual_cost: Any,
    budget_at_completion: Any,
    *,
    eac_method: str = "cpi",
) -> EarnedValueMetrics:
    """Earned value measures (PMBOK) for any number of projects and status dates at once.

    Parameters
    ----------
    planned_value : float or array_like
        PV: the budgeted cost of the work scheduled up to the status date (currency, >= 0).
    earned_value : float or array_like
        EV: the budgeted cost of the work actually done (currency, 0 <= EV <= BAC).
    actual_cost : float or array_like
        AC: what the work done actually cost (currency, >= 0).
    budget_at_completion : float or array_like
        BAC: the whole project's budget (currency, > 0).
    eac_method : {"cpi", "budget_rate", "cpi_spi"}, default "cpi"
        The estimate-at-completion variant that ``eac``, ``etc`` and ``vac`` use; all three
        are always returned as ``eac_cpi``, ``eac_budget_rate`` and ``eac_cpi_spi``.

    Returns
    -------
    EarnedValueMetrics
        Every measure as an array of the broadcast shape (0-d for scalar inputs).

    Notes
    -----
    ``CV = EV - AC``, ``SV = EV - PV``, ``CPI = EV / AC``, ``SPI = EV / PV``,
    ``EAC = BAC / CPI`` (or ``AC + (BAC - EV)``, or ``AC + (BAC - EV) / (CPI * SPI)``),
    ``ETC = EAC - AC``, ``VAC = BAC - EAC``, ``TCPI = (BAC - EV) / (BAC - AC)``.
    Where CPI is undefined (nothing spent yet) the CPI-based EACs fall back to BAC (no
    evidence of a different efficiency), and the status says "not started".

    References
    ----------
    Project Management Institute, *A Guide to the Project Management Body of Knowledge
    (PMBOK Guide)*, 6th ed., 2017, section 7.4.2.2, table 7-1.

    Examples
    --------
    BAC 100,000; at the status date PV 50,000, EV 40,000, AC 45,000:

    >>> m = earned_value_metrics(50_000, 40_000, 45_000, 100_000)
    >>> float(m.cost_variance), float(m.schedule_variance), round(float(m.cpi), 4)
    (-5000.0, -10000.0, 0.8889)
    >>> round(float(m.eac)), round(float(m.vac)), round(float(m.tcpi), 4)
    (112500, -12500, 1.0909)
    """
    method = check_choice(eac_method, "eac_method", EAC_METHODS)
    pv = as_float_array(planned_value, "planned_value")
    ev = as_float_array(earned_value, "earned_value")
    ac = as_float_array(actual_cost, "actual_cost")
    bac = as_float_array(budget_at_completion, "budget_at_completion")
    for name, arr in (("planned_value", pv), ("earned_value", ev), ("actual_cost", ac)):
        if (arr < 0).any():
            raise ParameterError(
                f"`{name}` cannot be negative (it is an amount of budget or cost to date). "
                f"Got {float(arr[arr < 0].flat[0]):,.2f}. Enter costs as positive amounts."
            )
    for name, arr in (("planned_value", pv), ("earned_value", ev), ("actual_cost", ac),
                      ("budget_at_completion", bac)):  # fmt: skip
        check_magnitude(arr, name, "amount")
    if (bac <= 0).any():
        raise ParameterError(
            f"`budget_at_completion` must be more than 0. Got {float(bac[bac <= 0].flat[0]):,.2f}."
        )
    try:
        pv, ev, ac, bac = np.broadcast_arrays(pv, ev, ac, bac)
    except ValueError:
        raise ParameterError(
            "`planned_value`, `earned_value`, `actual_cost` and `budget_at_completion` must "
            f"broadcast to one shape. Got shapes {pv.shape}, {ev.shape}, {ac.shape}, {bac.shape}."
        ) from None
    over = ev > bac * (1 + 1e-12)
    if over.any():
        i = np.argwhere(over)[0] if over.ndim else ()
        raise ParameterError(
            f"`earned_value` cannot exceed `budget_at_completion` (work done is valued at "
            f"its budget). Got EV {float(ev[tuple(i)]):,.2f} > BAC {float(bac[tuple(i)]):,.2f}"
            f"{' at index ' + str(tuple(int(k) for k in i)) if over.ndim else ''}. "
            "Check that EV is to date and BAC is the whole project's budget."
        )
    cv = ev - ac
    sv = ev - pv
    cpi = _ratio(ev, ac)
    spi = _ratio(ev, pv)
    remaining = bac - ev
    eac_cpi = np.where(np.isnan(cpi), bac, _ratio(bac, cpi))
    eac_budget = ac + remaining
    cs = cpi * spi
    eac_cs = np.where(np.isnan(cs), eac_budget, ac + _ratio(remaining, cs))
    eac = {"cpi": eac_cpi, "budget_rate": eac_budget, "cpi_spi": eac_cs}[method]
    tcpi = np.where(remaining <= 0, np.nan, _ratio(remaining, bac - ac))
    for name, figure in (("CPI", cpi), ("SPI", spi), ("EAC", eac_cpi), ("EAC", eac_cs),
                         ("TCPI", tcpi)):  # fmt: skip
        if np.isinf(figure).any():
            i = np.argwhere(np.isinf(figure))[0] if figure.ndim else ()
            raise ParameterError(
                f"The {name} overflows: `earned_value` {float(ev[tuple(i)]):g}, "
                f"`planned_value` {float(pv[tuple(i)]):g}, `actual_cost` "
                f"{float(ac[tuple(i)]):g} and `budget_at_completion` "
                f"{float(bac[tuple(i)]):g} are too far apart to give a finite figure. Enter "
                "all four in the same currency unit; an amount below a cent is 0."
            )
    status = np.full(cv.shape, "ok", dtype=object)
    status[(ac == 0) & (ev == 0)] = "not started"
    # CPI (or CPI x SPI, underflowing) 0: the CPI-based EACs are NaN
    status[(ac > 0) & ((ev == 0) | (cs == 0))] = "no value earned"
    status[remaining <= 0] = "complete"
    status[(remaining > 0) & (ac >= bac)] = "budget spent"
    return EarnedValueMetrics(
        planned_value=pv,
        earned_value=ev,
        actual_cost=ac,
        budget_at_completion=bac,
        cost_variance=cv,
        schedule_variance=sv,
        cpi=cpi,
        spi=spi,
        eac_cpi=eac_cpi,
        eac_budget_rate=eac_budget,
        eac_cpi_spi=eac_cs,
        eac_method=method,
        eac=eac,
        etc=eac - ac,
        vac=bac - eac,
        tcpi=tcpi,
        status=status,
    )


@dataclass(frozen=True)
class EarnedValueResult:
    """EVM over a project status table: every project at every status date.

    Attributes
    ----------
    eac_method : str
        The EAC variant used for ``eac``, ``etc`` and ``vac``.
    table : DataFrame
        One row per project and period, sorted: ``project, period`` then the inputs and every
        measure of :class:`EarnedValueMetrics` and ``status``.
    """

    eac_method: str
    table: pd.DataFrame

    @property
    def latest(self) -> pd.DataFrame:
        """The last status date of each project, indexed by project."""
        return self.table.groupby("project", sort=False).tail(1).set_index("project")

    def summary(self) -> pd.DataFrame:
        """The latest status per project: BAC, PV, EV, AC, CPI, SPI, EAC, VAC, TCPI, status."""
        cols = [
            "period",
            "budget_at_completion",
            "planned_value",
            "earned_value",
            "actual_cost",
            "cpi",
            "spi",
            "eac",
            "vac",
            "tcpi",
            "status",
        ]
        return self.latest[cols].reset_index()


_STATUS_COLUMNS = ("project", "period", "planned_value", "actual_cost", "budget_at_completion")


def earned_value(status: pd.DataFrame, *, eac_method: str = "cpi") -> EarnedValueResult:
    """Earned value of every project at every status date of a status table.

    Parameters
    ----------
    status : DataFrame
        One row per project and status date with columns ``project``, ``period`` (a date or
        any sortable label), ``planned_value``, ``actual_cost``, ``budget_at_completion`` and
        either ``earned_value`` or ``percent_complete`` (a decimal in [0, 1] of the BAC).
        Amounts are cumulative to the status date, in currency.
    eac_method : {"cpi", "budget_rate", "cpi_spi"}, default "cpi"
        See :func:`earned_value_metrics`.

    Returns
    -------
    EarnedValueResult

    Examples
    --------
    >>> status = pd.DataFrame({
    ...     "project": ["A", "A"], "period": ["2026-09-30", "2026-12-31"],
    ...     "planned_value": [20_000, 50_000], "percent_complete": [0.2, 0.4],
    ...     "actual_cost": [21_000, 45_000], "budget_at_completion": [100_000, 100_000]})
    >>> r = earned_value(status)
    >>> r.summary()[["project", "cpi", "spi", "eac"]].round(4).to_dict("records")
    [{'project': 'A', 'cpi': 0.8889, 'spi': 0.8, 'eac': 112500.0}]
    """
    if not isinstance(status, pd.DataFrame):
        raise ParameterError(
            f"`status` must be a pandas DataFrame (one row per project and status date). "
            f"Got {type(status).__name__}."
        )
    missing = [c for c in _STATUS_COLUMNS if c not in status.columns]
    if missing or not ({"earned_value", "percent_complete"} & set(status.columns)):
        need = missing + (
            []
            if {"earned_value", "percent_complete"} & set(status.columns)
            else ["earned_value or percent_complete"]
        )
        raise ParameterError(
            f"`status` is missing the column(s) {', '.join(need)}. It has: "
            f"{', '.join(map(str, status.columns))}."
        )
    frame = status.sort_values(["project", "period"], kind="stable").reset_index(drop=True)
    bac = as_float_array(frame["budget_at_completion"], "budget_at_completion")
    if "earned_value" in frame.columns:
        ev = as_float_array(frame["earned_value"], "earned_value")
    else:
        pct = as_float_array(frame["percent_complete"], "percent_complete")
        if ((pct < 0) | (pct > 1)).any():
            bad = float(pct[(pct < 0) | (pct > 1)][0])
            raise ParameterError(
                f"`percent_complete` must be a decimal in [0, 1]. Got {bad:g}."
                + (f" Use {bad / 100:g} for {bad:g} %." if 1 < bad <= 100 else "")
            )
        ev = pct * bac
    metrics = earned_value_metrics(
        frame["planned_value"],
        ev,
        frame["actual_cost"],
        bac,
        eac_method=eac_method,
    )
    table = frame[["project", "period"]].copy()
    for name in (
        "budget_at_completion",
        "planned_value",
        "earned_value",
        "actual_cost",
        *_FIELDS,
        "eac_cpi",
        "eac_budget_rate",
        "eac_cpi_spi",
        "status",
    ):
        table[name] = getattr(metrics, name)
    return EarnedValueResult(eac_method=metrics.eac_method, table=table)
