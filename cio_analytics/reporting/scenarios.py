"""Scenarios side by side, for the comparison report of ``cio-analytics run PACK --scenarios FILE``.

:func:`compare_scenarios` reads what each scenario's run of a report recorded (the figures of
:func:`~cio_analytics.reporting.record`, the executive summary as data, the trial outcomes of
:func:`~cio_analytics.reporting.record.record_outcomes`) and returns a
:class:`ScenarioComparison`: the decision under each scenario, the figures side by side with
each scenario's difference to the base, and the decision of the comparison with its chart
(the outcome distributions overlaid). ``notebooks/scenario_comparison.ipynb`` shows it. Display
only: every figure is one a run recorded; nothing here computes a model a second time.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from .formatting import format_money, format_number, format_percent
from .record import (
    RECORD_ENV,
    figure_text,
    is_currency_unit,
    read_outcomes,
    read_records,
    read_summary,
)
from .summary import Decision, key_numbers_frame

__all__ = ["ScenarioComparison", "changes_text", "compare_scenarios"]

BASE = "base"
_AT_RATE = re.compile(r"\s+at\s+[\d.,]+\s*%")
_UNITS = {"_s": "s", "_years": "years", "_h": "h"}  # a unit ending a name: shown with the value
_RATE_NAME = re.compile(r"(_rate|_share|_level|growth|shrinkage|occupancy|confidence)$")


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def scenario_label(name: str) -> str:
    """A scenario's name as a report shows it: ``base`` -> ``Base``, ``low_case`` -> ``Low case``."""
    text = str(name).replace("_", " ")
    return "Base" if name == BASE else text[:1].upper() + text[1:]


def changes_text(changes: Any) -> str:
    """What a scenario changes, in words.

    Parameters
    ----------
    changes : mapping or sequence of (name, value)
        The overrides as the scenarios file writes them.

    Examples
    --------
    >>> changes_text({"benefits": "-20 %", "discount_rate": 0.1, "horizon_years": 7})
    'Benefits -20 %, discount rate 10 %, horizon 7 years'
    >>> changes_text({"handle_time_s": "+10 %", "answer_time_s": 30})
    'Handle time +10 %, answer time 30 s'
    >>> changes_text([])
    'As planned'
    """
    items = changes.items() if isinstance(changes, Mapping) else changes
    parts = []
    for key, value in items:
        name = str(key)
        unit = next((u for s, u in _UNITS.items() if name.endswith(s)), None)
        words = name.removesuffix(next((s for s in _UNITS if name.endswith(s)), ""))
        if isinstance(value, str):
            text = re.sub(r"\s*%", " %", value.strip())
        elif _finite(value) and _RATE_NAME.search(name):
            text = format_percent(float(value))
        elif _finite(value):
            text = format_number(value, decimals=0 if float(value).is_integer() else 2, unit=unit)
        else:
            text = str(value)
        parts.append(f"{words.replace('_', ' ')} {text}")
    out = ", ".join(parts)
    return out[:1].upper() + out[1:] if out else "As planned"


def _cell(unit: Any, fmt: Any, value: Any) -> str:
    if not _finite(value):
        return "n/a"
    if is_currency_unit(unit):
        return format_money(value, unit, style="full")
    return figure_text({"unit": unit, "fmt": fmt, "value": value})


def _difference(unit: Any, fmt: Any, diff: Any) -> str:
    if not _finite(diff):
        return "n/a"
    if abs(diff) < 1e-9:
        return "no change"
    sign = "+" if diff > 0 else "-"
    if is_currency_unit(unit):
        return format_money(diff, unit, style="full", signed=True)
    if unit == "%" or str(fmt or "").endswith("%"):
        return f"{sign}{format_number(abs(diff) * 100, decimals=1)} pp"
    return sign + figure_text({"unit": unit, "fmt": fmt, "value": abs(diff)})


@dataclass(frozen=True)
class ScenarioComparison:
    """A report's scenarios side by side.

    Attributes
    ----------
    title : str
        The comparison's title.
    source : str
        The scenarios file's name.
    scenarios : DataFrame
        One row per scenario, the base first: ``scenario``, ``label``, ``run``, ``status``,
        ``verdict``, ``reason``, ``favourable``, ``changes`` (in words), ``report`` (its HTML).
    figures : DataFrame
        Tidy: one row per figure and scenario, ``figure``, ``label``, ``unit``, ``fmt``,
        ``scenario``, ``value``, ``difference`` (the scenario minus the base, same unit).
    outcomes : dict of str -> ndarray
        Scenario -> the trial values of the headline outcome (empty without trials).
    seed : int or None
        The seed every scenario ran with (common random numbers).
    n_trials : int or None
        Trials per scenario (None: the runs have no trials).
    """

    title: str
    source: str
    scenarios: pd.DataFrame = field(repr=False)
    figures: pd.DataFrame = field(repr=False)
    outcomes: dict[str, np.ndarray] = field(repr=False)
    seed: int | None = None
    n_trials: int | None = None

    # ------------------------------------------------------------------ figures
    @property
    def currency(self) -> str:
        units = [u for u in self.figures["unit"].unique() if is_currency_unit(u)]
        return units[0] if units else ""

    @property
    def headline(self) -> str | None:
        """The figure the tiles and the chart show: the NPV, else the first money figure."""
        names = list(dict.fromkeys(self.figures["figure"]))
        for want in ("npv", "npv_p50"):
            if want in names:
                return want
        money = self.figures.loc[self.figures["unit"].map(is_currency_unit), "figure"]
        return money.iloc[0] if len(money) else (names[0] if names else None)

    def value(self, figure: str, scenario: str) -> float | None:
        """A recorded figure of one scenario (None when it was not recorded)."""
        rows = self.figures[
            (self.figures["figure"] == figure) & (self.figures["scenario"] == scenario)
        ]
        return None if rows.empty else rows["value"].iloc[0]

    def summary(self) -> pd.DataFrame:
        """The figures side by side: one row per figure, a value and a difference column per
        scenario (numbers, for the workbook)."""
        wide = self.figures.pivot_table(
            index=["figure", "label", "unit"], columns="scenario", values=["value", "difference"],
            aggfunc="first", sort=False, dropna=False,
        )  # fmt: skip
        return wide.reset_index()

    @property
    def crn_note(self) -> str:
        """The sentence saying how the scenarios were run (common random numbers)."""
        if self.n_trials:
            return (
                f"Common random numbers: every scenario ran with seed {self.seed} and the same "
                f"{self.n_trials:,} trials, so a difference between scenarios is the effect of "
                "the changes, not sampling noise."
            )
        return (
            f"Every scenario ran with seed {self.seed} and the same random streams, so a "
            "difference between scenarios is the effect of the changes, not sampling noise."
        )

    # ------------------------------------------------------------------ the decision
    def decision(self) -> Decision:
        """The comparison as a decision: the same verdict everywhere, or where it differs."""
        rows = self.scenarios
        verdicts = [v or "Not decided" for v in rows["verdict"]]
        if len(set(verdicts)) == 1:
            verdict = f"{verdicts[0]} in every scenario"
            favourable = rows["favourable"].iloc[0]
            reason = f"the decision holds in all {len(rows)} scenarios"
        else:
            verdict, favourable = "The decision depends on the scenario", None
            groups: dict[str, list[str]] = {}
            for label, v in zip(rows["label"], verdicts, strict=True):
                groups.setdefault(v, []).append(label)
            reason = "; ".join(f"{v} in {', '.join(n)}" for v, n in groups.items())
        head = self.headline
        tiles = []
        if head:
            cur = self.currency or None
            label = self._label(head)
            values = {r.label: self.value(head, r.scenario) for r in rows.itertuples()}
            finite = {k: v for k, v in values.items() if _finite(v)}
            if finite:
                lo, hi = min(finite, key=finite.get), max(finite, key=finite.get)
                text = (lambda v: format_money(v, cur)) if cur else format_number
                reason += (
                    f". {label} from {text(finite[lo])} ({lo}) to {text(finite[hi])} ({hi})"
                    if lo != hi
                    else f". {label} {text(finite[lo])} in every scenario"
                )
            stem = head.removesuffix("_p50").removesuffix("_mean")  # best_pv_mean: best_pv_p10
            kind = "money" if cur else "number"
            for r in rows.head(5).itertuples():
                tiles.append(
                    (f"{label}, {r.label}", self.value(head, r.scenario),
                     self.value(f"{stem}_p10", r.scenario), self.value(f"{stem}_p90", r.scenario),
                     kind)
                )  # fmt: skip
        frame = pd.DataFrame(tiles, columns=["figure", "value", "low", "high", "kind"])
        for c in ("value", "low", "high"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce")
        return Decision(
            verdict,
            f"{verdict}: {reason}.",
            key_numbers_frame(frame),
            favourable if isinstance(favourable, bool) else None,
            self.currency,
            notes=(self.crn_note,),
            subject=self.title,
        )

    def _label(self, figure: str) -> str:
        rows = self.figures.loc[self.figures["figure"] == figure, "label"]
        return rows.iloc[0] if len(rows) else figure.replace("_", " ")

    def chart(self) -> Any:
        """The outcome distributions overlaid (bars of the headline figure without trials)."""
        from .charts.scenarios import scenario_bars, scenario_distributions

        rows = self.scenarios
        head = self.headline
        label = self._label(head) if head else "NPV"
        if self.outcomes and all(s in self.outcomes for s in rows["scenario"]):
            return scenario_distributions(
                {r.label: self.outcomes[r.scenario] for r in rows.itertuples()},
                figure=label,
                currency=self.currency or None,
                subtitle=f"Every scenario with the same {self.n_trials:,} trials (seed {self.seed})",
            )
        if head:
            values = {r.label: self.value(head, r.scenario) for r in rows.itertuples()}
            values = {k: v for k, v in values.items() if _finite(v)}
            if values:
                return scenario_bars(values, figure=label, currency=self.currency or None)
        return None

    # ------------------------------------------------------------------ the tables
    def decisions_table(self) -> pd.DataFrame:
        """Scenario, what it changes, decision, why (text, as the report shows it)."""
        return pd.DataFrame(
            {
                "Scenario": self.scenarios["label"],
                "What it changes": self.scenarios["changes"],
                "Decision": [v or "Not decided" for v in self.scenarios["verdict"]],
                "Why": self.scenarios["reason"],
            }
        )

    def figures_table(self) -> pd.DataFrame:
        """The figures side by side as text: each scenario's value and its change to the base."""
        rows = self.scenarios
        out = []
        for name in dict.fromkeys(self.figures["figure"]):
            f = self.figures[self.figures["figure"] == name].set_index("scenario")
            unit, fmt = f["unit"].iloc[0], f["fmt"].iloc[0]
            row = {"Figure": f["label"].iloc[0]}
            for i, r in enumerate(rows.itertuples()):
                value = f["value"].get(r.scenario)
                row[r.label] = _cell(unit, fmt, value)
                if i:
                    row[f"{r.label}: change"] = _difference(
                        unit, fmt, f["difference"].get(r.scenario)
                    )
            out.append(row)
        return pd.DataFrame(out)


def _verdict(summary: dict[str, Any] | None, records: dict[str, Any]) -> tuple[str, str, Any]:
    if summary and (summary.get("verdict") or summary.get("sentence")):
        verdict = str(summary.get("verdict") or "")
        sentence = str(summary.get("sentence") or "")
        if verdict and sentence.startswith(verdict):
            sentence = sentence[len(verdict) :].lstrip(" :")
        return verdict, sentence[:1].upper() + sentence[1:], summary.get("favourable")
    entry = records.get("decision") or {}
    return str(entry.get("value") or ""), "", None


def compare_scenarios(
    plan_file: str | os.PathLike[str], *, folder: str | os.PathLike[str] | None = None
) -> ScenarioComparison:
    """The scenarios of one report side by side, from what each scenario's run recorded.

    Parameters
    ----------
    plan_file : str or path-like
        The comparison's plan (JSON, written by ``cio-analytics run --scenarios``): ``title``,
        ``file``, ``seed`` and ``runs`` (each ``scenario``, ``run``, ``status``, ``changes``
        as ``[name, value]`` pairs), the base first.
    folder : str or path-like, optional
        Where the runs' sidecars are; default the folder of ``plan_file`` when it is a path,
        else the folder of this report's records under the pipeline.

    Returns
    -------
    ScenarioComparison

    Notes
    -----
    ``difference = value(scenario) - value(base)`` for every numeric figure the base recorded,
    in the figure's unit (a share's difference is in percentage points).
    """
    path = Path(plan_file)
    if folder is None and not path.is_file() and os.environ.get(RECORD_ENV):
        folder = Path(os.environ[RECORD_ENV]).parent
    folder = Path(folder) if folder is not None else path.parent
    path = path if path.is_file() else folder / path.name
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(
            f"`plan_file`: cannot read the comparison plan {path.name} ({exc}). It is written "
            "by `cio-analytics run PACK --scenarios FILE`; run that command."
        ) from None
    rows, figures, outcomes = [], [], {}
    n_trials = None
    base_records: dict[str, Any] | None = None
    for run in plan["runs"]:
        name, scenario = run["run"], run["scenario"]
        records = read_records(folder / f"{name}.records.jsonl") if run["status"] == "ok" else {}
        summary = read_summary(folder / f"{name}.summary.json") if run["status"] == "ok" else None
        verdict, reason, favourable = _verdict(summary, records)
        if run["status"] != "ok":
            verdict, reason, favourable = "Not decided", "The report did not run.", False
        found = read_outcomes(folder / f"{name}.outcomes.npz")
        if found:
            first = next(iter(found.values()))
            outcomes[scenario] = first["values"]
            n_trials = first["values"].size
        rows.append(
            {
                "scenario": scenario,
                "label": scenario_label(scenario),
                "run": name,
                "status": run["status"],
                "verdict": verdict,
                "reason": reason,
                "favourable": favourable,
                "changes": changes_text(run.get("changes") or []),
                "report": f"{name}.html",
            }
        )
        if base_records is None:
            base_records = records
        for fname, entry in (base_records or {}).items():
            v0 = entry.get("value")
            if isinstance(v0, (bool, str)) or not (_finite(v0) or v0 is None):
                continue
            value = (records.get(fname) or {}).get("value")
            value = value if _finite(value) else None
            diff = value - v0 if value is not None and _finite(v0) else None
            figures.append(
                {
                    "figure": fname,
                    "label": _AT_RATE.sub("", str(entry.get("label") or fname)),
                    "unit": entry.get("unit"),
                    "fmt": entry.get("fmt"),
                    "scenario": scenario,
                    "value": value,
                    "difference": diff,
                }
            )
    columns = ["figure", "label", "unit", "fmt", "scenario", "value", "difference"]
    return ScenarioComparison(
        title=str(plan.get("title") or "Scenarios compared"),
        source=str(plan.get("file") or ""),
        scenarios=pd.DataFrame(rows),
        figures=pd.DataFrame(figures, columns=columns),
        outcomes=outcomes,
        seed=plan.get("seed"),
        n_trials=n_trials,
    )
