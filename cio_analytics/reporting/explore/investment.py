"""The investment what-if explorer: benefits, capex and the discount rate -> decision, NPV, chart."""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..._validation import check_int, check_rate, resolve_seed
from ...exceptions import CioAnalyticsError, ParameterError
from ...io import read_case, read_uncertain_case
from ...io.paths import project_root, resolve_data_path
from ...risk import UncertainCaseResult, simulate_case, uncertainty_from_spec
from ...valuation import CaseResult, InvestmentCase
from ..decisions import investment_decision
from ..formatting import format_money, format_percent
from ..summary import Decision
from ._common import (
    DEFAULT_SCENARIOS,
    build_widget,
    readout_html,
    relative_change,
    slider,
)

__all__ = ["InvestmentExplorer", "InvestmentView", "scaled_case"]

_RANGE = (0.0, 3.0)  # benefits and capex factors the explorer accepts (0 % to 300 % of plan)


def scaled_case(
    case: InvestmentCase, *, benefits: float = 1.0, capex: float = 1.0
) -> InvestmentCase:
    """The case with every benefit line and every capex line scaled by a factor of the plan.

    Parameters
    ----------
    case : InvestmentCase
    benefits, capex : float, default 1.0
        Factors of the planned amounts (0.8 = 20 % below plan), in [0, 3].

    Returns
    -------
    InvestmentCase
        Same timing, escalation, tax and rates; only those amounts change.

    Notes
    -----
    ``amount'_i = benefits * amount_i`` for ``kind == "benefit"``, ``capex * amount_i`` for
    ``kind == "capex"``, unchanged otherwise. The NPV is linear in the amounts
    (``NPV = a W d``), so it moves linearly with either factor.

    Examples
    --------
    >>> from cio_analytics.valuation import LineItem
    >>> case = InvestmentCase("x", [LineItem("Build", "capex", 1000), LineItem("Gain", "benefit", 300)],
    ...                       horizon_years=3)
    >>> [i.amount for i in scaled_case(case, benefits=0.8, capex=1.1).line_items]
    [1100.0, 240.0]
    """
    for value, name in ((benefits, "benefits"), (capex, "capex")):
        if not _RANGE[0] <= float(value) <= _RANGE[1]:
            raise ParameterError(
                f"`{name}` must be a factor of the plan in [0, 3] (1.0 = as planned). "
                f"Got {value!r}. Use 0.8 for 20 % below plan."
            )
    factor = {"benefit": float(benefits), "capex": float(capex)}
    items = [
        dataclasses.replace(i, amount=i.amount * factor[i.kind]) if i.kind in factor else i
        for i in case.line_items
    ]
    return case.replace(line_items=items)


@dataclass(frozen=True)
class InvestmentView:
    """One state of the explorer: the settings, the plan and Monte Carlo figures, the decision.

    Attributes
    ----------
    case_name : str
    benefits, capex : float
        Factors of the plan (1.0 = as planned).
    discount_rate : float
        Annual decimal used.
    result : CaseResult
        The scaled case evaluated at ``discount_rate``.
    risk : UncertainCaseResult or None
        Its Monte Carlo (the explorer's seed: the same draws for every setting), None when the
        case has no ranges.
    decision : Decision
    n_trials : int
    seed : int
    elapsed_s : float
        Seconds the computation took.
    """

    case_name: str
    benefits: float
    capex: float
    discount_rate: float
    result: CaseResult
    risk: UncertainCaseResult | None
    decision: Decision
    n_trials: int
    seed: int
    elapsed_s: float = field(compare=False)

    @property
    def npv(self) -> float:
        """NPV of the plan at ``discount_rate``, in the case currency."""
        return self.result.npv

    @property
    def currency(self) -> str:
        return self.result.currency

    @property
    def npv_text(self) -> str:
        """The NPV as the explorer shows it (full amount, e.g. ``EUR 412,345``)."""
        return format_money(self.npv, self.currency, style="full")

    def summary(self) -> pd.DataFrame:
        """Settings and headline figures, one row per metric (``metric, value, unit``)."""
        rows = [
            ("benefits", self.benefits, "factor of plan"),
            ("capex", self.capex, "factor of plan"),
            ("discount_rate", self.discount_rate, "decimal"),
            ("npv", self.npv, self.currency),
            ("irr", self.result.irr, "decimal"),
        ]
        if self.risk is not None:
            rows += [
                ("npv_p10", self.risk.npv_p10, self.currency),
                ("npv_p90", self.risk.npv_p90, self.currency),
                ("probability_npv_positive", 1.0 - self.risk.probability_npv_negative, "decimal"),
            ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])

    def chart(self) -> Any:
        """The headline chart: NPV distribution (Monte Carlo) or cumulative cash flow."""
        from ..charts import cumulative_cash_flow, outcome_distribution

        return outcome_distribution(self.risk) if self.risk else cumulative_cash_flow(self.result)

    def executive_summary(self, title: str | None = "") -> Any:
        """The decision banner, key-number tiles and chart (an ``ExecutiveSummary``);
        ``title`` None for none (the explorer page has its own), "" for the default."""
        from ..summary import executive_summary

        heading = f"Investment case: {self.case_name}" if title == "" else title
        return executive_summary(self.decision, chart=self.chart(), title=heading)


class InvestmentExplorer:
    """What if the benefits, the capex or the discount rate differ from the plan?

    Loads the cases once and keeps one seed: every setting is simulated with the same random
    streams (common random numbers), so a difference between two settings is the change, not
    noise, and returning a slider to a value gives the same numbers.

    Parameters
    ----------
    cases : dict of str -> (InvestmentCase, UncertainCaseSpec or None)
        Case name -> the case and its ranges (factors of the plan) or None.
    n_trials : int, default 10,000
        Monte Carlo trials per update.
    rng : None, int or Generator
        The seed of every update (recorded as ``seed``).
    hurdle_rate : float, default 0.12
        Lowest acceptable IRR, annual decimal.
    min_probability_positive : float, default 0.6
        Lowest acceptable chance that the NPV is positive.
    scenarios_path : path-like, optional
        Where "Save as scenario" writes (default ``scenarios/explorer.yaml`` under the project).
    case_paths : dict of str -> str, optional
        Case name -> its file as the notebook names it (written as ``case_path`` in scenarios).

    Examples
    --------
    >>> ex = InvestmentExplorer.from_files(
    ...     case_path="data/sample/cases/service_desk_platform.yaml",
    ...     uncertainty_path="data/sample/uncertain_case.yaml", n_trials=2_000, rng=7)
    >>> a = ex.compute(benefits=0.8)
    >>> b = ex.compute(benefits=0.8)
    >>> a.npv == b.npv and a.risk.npv_p10 == b.risk.npv_p10
    True
    """

    def __init__(
        self,
        cases: dict[str, tuple[InvestmentCase, Any]],
        *,
        n_trials: int = 10_000,
        rng: Any = None,
        hurdle_rate: float = 0.12,
        min_probability_positive: float = 0.6,
        scenarios_path: str | os.PathLike[str] | None = None,
        case_paths: dict[str, str] | None = None,
        default_case: str | None = None,
    ) -> None:
        if not cases:
            raise ParameterError("`cases` is empty: give at least one investment case.")
        self.cases = dict(cases)
        self.n_trials = check_int(n_trials, "n_trials", minimum=100)
        self.seed, _ = resolve_seed(rng)
        self.hurdle_rate = float(check_rate(hurdle_rate, "hurdle_rate", allow_array=False))
        self.min_probability_positive = float(min_probability_positive)
        self.scenarios_path = Path(scenarios_path or project_root() / DEFAULT_SCENARIOS)
        self.case_paths = dict(case_paths or {})
        self.default_case = default_case if default_case in self.cases else next(iter(self.cases))

    @classmethod
    def from_files(
        cls,
        *,
        case_path: str | os.PathLike[str],
        uncertainty_path: str | os.PathLike[str] | None = None,
        n_trials: int = 10_000,
        rng: Any = None,
        hurdle_rate: float = 0.12,
        min_probability_positive: float = 0.6,
        scenarios_path: str | os.PathLike[str] | None = None,
    ) -> InvestmentExplorer:
        """The explorer over ``case_path`` and the other YAML cases in its folder.

        The ranges in ``uncertainty_path`` (factors of the plan) apply to every case that has
        the line items they name; a case without them is explored at plan (no Monte Carlo).
        Relative paths resolve from the working directory, else from the project root.
        """
        main = resolve_data_path(case_path, parameter="case_path")
        unc = (
            resolve_data_path(uncertainty_path, parameter="uncertainty_path")
            if uncertainty_path
            else None
        )
        paths = [main, *sorted(p for p in main.parent.glob("*.yaml") if p != main)]
        cases: dict[str, tuple[InvestmentCase, Any]] = {}
        names: dict[str, str] = {}
        for p in paths:
            try:
                case = InvestmentCase.from_spec(read_case(p))
            except CioAnalyticsError:
                if p == main:
                    raise
                continue  # another kind of YAML in the folder: not a case
            ranges = None
            if unc is not None:
                try:
                    ranges = uncertainty_from_spec(read_uncertain_case(unc, case=p))
                except CioAnalyticsError:
                    if p == main:
                        raise
            cases[case.name] = (case, ranges)
            shown = Path(case_path).parent / p.name
            names[case.name] = shown.as_posix()
        first = next(iter(cases))
        return cls(
            cases,
            n_trials=n_trials,
            rng=rng,
            hurdle_rate=hurdle_rate,
            min_probability_positive=min_probability_positive,
            scenarios_path=scenarios_path,
            case_paths=names,
            default_case=first,
        )

    def compute(
        self,
        *,
        case: str | None = None,
        benefits: float = 1.0,
        capex: float = 1.0,
        discount_rate: float | None = None,
    ) -> InvestmentView:
        """The decision and figures for one setting of the controls.

        Parameters
        ----------
        case : str, optional
            A case name (``self.cases``); default the first.
        benefits, capex : float, default 1.0
            Factors of the planned benefit and capex amounts, in [0, 3].
        discount_rate : float, optional
            Annual decimal; default the case file's.

        Returns
        -------
        InvestmentView
        """
        start = time.perf_counter()
        name = case or self.default_case
        if name not in self.cases:
            raise ParameterError(f"`case` {name!r} is not loaded. Cases: {', '.join(self.cases)}.")
        base, ranges = self.cases[name]
        scaled = scaled_case(base, benefits=benefits, capex=capex)
        result = scaled.evaluate(discount_rate=discount_rate)
        risk = (
            simulate_case(
                result.case, ranges.uncertainty, self.n_trials, basis=ranges.basis, rng=self.seed
            )
            if ranges
            else None
        )
        decision = investment_decision(
            result,
            risk,
            hurdle_rate=self.hurdle_rate,
            min_probability_positive=self.min_probability_positive,
        )
        return InvestmentView(
            case_name=name,
            benefits=float(benefits),
            capex=float(capex),
            discount_rate=result.case.discount_rate,
            result=result,
            risk=risk,
            decision=decision,
            n_trials=self.n_trials if risk else 0,
            seed=self.seed,
            elapsed_s=time.perf_counter() - start,
        )

    # ------------------------------------------------------------------ the page
    def _settings(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "case": values["case"],
            "benefits": values["benefits"] / 100.0,
            "capex": values["capex"] / 100.0,
            "discount_rate": round(values["discount_rate"] / 100.0, 6),
        }

    def overrides(self, values: dict[str, Any]) -> dict[str, Any]:
        """What "Save as scenario" writes for these control values (notebook parameter names)."""
        s = self._settings(values)
        plan = self.cases[s["case"]][0]
        out: dict[str, Any] = {}
        if s["case"] != self.default_case:
            out["case_path"] = self.case_paths.get(s["case"], s["case"])
        for key in ("benefits", "capex"):
            if abs(s[key] - 1.0) > 1e-9:
                out[key] = relative_change(s[key])
        if abs(s["discount_rate"] - plan.discount_rate) > 1e-9:
            out["discount_rate"] = s["discount_rate"]
        return out

    def _update(self, values: dict[str, Any]) -> tuple[str, str]:
        view = self.compute(**self._settings(values))
        summary = view.executive_summary(title=None)._repr_html_()
        elapsed = view.elapsed_s
        label = f"NPV at {format_percent(view.discount_rate, 1)}"
        return readout_html(label, view.npv_text, "npv", elapsed), summary

    def widget(self) -> Any:
        """The ipywidgets page: case, benefits, capex and discount rate; the summary in place."""
        import ipywidgets as w

        plan = self.cases[self.default_case][0]
        controls = {
            "case": w.Dropdown(
                options=list(self.cases),
                value=self.default_case,
                description="Case",
                style={"description_width": "170px"},
                layout=w.Layout(width="410px"),
            ),
            "benefits": slider("int", "Benefits (% of plan)", 100, 0, 200, 1, "d"),
            "capex": slider("int", "Capex (% of plan)", 100, 0, 200, 1, "d"),
            "discount_rate": slider(
                "float",
                "Discount rate (% a year)",
                round(plan.discount_rate * 100, 1),
                0,
                30,
                0.5,
                ".1f",
            ),
        }

        def reset_rate(change: Any) -> None:  # a new case starts at its own discount rate
            controls["discount_rate"].value = round(
                self.cases[change["new"]][0].discount_rate * 100, 1
            )

        controls["case"].observe(reset_rate, names="value")
        return build_widget(
            controls,
            self._update,
            self.overrides,
            scenarios_path=self.scenarios_path,
            job="investment_case",
        )
