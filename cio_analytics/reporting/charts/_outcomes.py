"""Turn the library's simulation results into one outcome (values, names, units, loss side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import ParameterError
from ._common import finite

__all__ = ["Outcome", "outcome_of"]

_CASE_OUTPUTS = {"npv": "money", "irr": "percent", "payback_years": "years"}


@dataclass(frozen=True)
class Outcome:
    """One simulated quantity ready to plot."""

    values: np.ndarray  # finite trial values
    n_trials: int  # trials including NaN ones
    name: str  # "NPV at 8.0 %", "Annual loss"
    short: str  # "NPV", "annual loss" (for sentences)
    kind: str  # "money", "percent", "years", "number"
    currency: str | None
    is_loss: bool  # True: larger is worse (annual losses)
    subject: str  # "Service desk platform", "Risk register", ...
    appetite: pd.DataFrame | None = None  # loss, max_probability (loss results only)
    default_threshold: float | None = None  # replaces 0 / the appetite's first point

    @property
    def unit(self) -> str:
        if self.kind == "money":
            return self.currency or "currency"
        return {"percent": "%", "years": "years"}.get(self.kind, "value")


def outcome_of(result: Any, output: str | None = None, currency: str | None = None) -> Outcome:
    """The outcome of ``result`` to plot; see :func:`outcome_distribution` for what is accepted."""
    name = type(result).__name__
    if name == "UncertainCaseResult":
        out = output or "npv"
        if out not in _CASE_OUTPUTS:
            raise ParameterError(
                f"`output` of an UncertainCaseResult must be one of {sorted(_CASE_OUTPUTS)}. "
                f"Got {output!r}."
            )
        raw = result.simulation.outputs[out].to_numpy()
        rate = result.case.discount_rate
        label = {
            "npv": f"NPV at {rate * 100:.1f} %",
            "irr": "IRR per year",
            "payback_years": "Payback",
        }[out]
        short = {"npv": "NPV", "irr": "IRR", "payback_years": "payback"}[out]
        threshold = {"npv": 0.0, "irr": rate, "payback_years": result.case.horizon_years}[out]
        return Outcome(
            finite(raw, "output"),
            raw.size,
            label,
            short,
            _CASE_OUTPUTS[out],
            currency or result.currency,
            out == "payback_years",  # a longer payback is worse
            result.case.name,
            default_threshold=float(threshold),
        )
    if name == "SimulationResult":
        out = result._name(output)
        raw = result.outputs[out].to_numpy()
        kind = "money" if currency else "number"
        return Outcome(finite(raw, out), raw.size, out, out, kind, currency, False, "Simulation")
    if name == "RegisterResult":
        out = output or "before"
        if out not in ("before", "after"):
            raise ParameterError(
                f"`output` of a RegisterResult must be 'before' or 'after' (mitigation). "
                f"Got {output!r}."
            )
        raw = result.total_before if out == "before" else result.total_after
        label = "Annual loss" + (" with every mitigation" if out == "after" else "")
        return Outcome(
            finite(raw, "losses"),
            raw.size,
            label,
            "annual loss",
            "money",
            currency or result.currency,
            True,
            "Risk register",
            _appetite(result.appetite),
        )
    if name == "FairResult":
        if output in (None, "ale"):
            raw, label = np.asarray(result.ale, dtype=float), "Annualised loss exposure"
        else:
            col = output if output in result.trials.columns else f"ale_with_{output}"
            if col not in result.trials.columns:
                opts = [c[len("ale_with_") :] for c in result.trials.columns if "ale_with_" in c]
                raise ParameterError(
                    f"`output` of a FairResult must be None/'ale' or a control name {opts}. "
                    f"Got {output!r}."
                )
            raw = result.trials[col].to_numpy(dtype=float)
            label = f"Annualised loss exposure with {col[len('ale_with_') :]}"
        return Outcome(
            finite(raw, "ale"),
            raw.size,
            label,
            "annual loss",
            "money",
            currency or result.currency,
            True,
            result.scenario.name,
            _appetite(result.appetite),
        )
    if isinstance(result, (np.ndarray, pd.Series, list, tuple)):
        raw = np.asarray(result, dtype=float).ravel()
        label = str(output or (getattr(result, "name", None) or "Outcome"))
        kind = "money" if currency else "number"
        values = finite(raw, "result")
        return Outcome(values, raw.size, label, label.lower(), kind, currency, False, "Simulation")
    raise ParameterError(
        "`result` must be a SimulationResult, UncertainCaseResult, RegisterResult, FairResult "
        f"or an array of trial values. Got {name}."
    )


def _appetite(table: pd.DataFrame | None) -> pd.DataFrame | None:
    if table is None or len(table) == 0:
        return None
    return table[["loss", "max_probability"]].sort_values("loss").reset_index(drop=True)
