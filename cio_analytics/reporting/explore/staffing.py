"""The staffing what-if explorer: volume, handle time, service target, shrinkage -> FTE and cost."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._validation import check_int, check_positive, resolve_seed
from ...exceptions import ParameterError
from ...io import read_staffing_forecast, read_team_roster, read_ticket_history
from ...io.paths import project_root, resolve_data_path
from ...staffing import HiringPlan, StaffingPlan, arrival_profile, hiring_plan, staffing_plan
from ..decisions import staffing_decision
from ..summary import Decision
from ._common import (
    DEFAULT_SCENARIOS,
    build_widget,
    readout_html,
    relative_change,
    slider,
)

__all__ = ["StaffingExplorer", "StaffingView", "scaled_forecast"]


def scaled_forecast(
    forecast: pd.DataFrame, *, growth: float = 0.0, handle_time_s: float | None = None
) -> pd.DataFrame:
    """The interval forecast with its volume grown and its handle time set to a new average.

    Parameters
    ----------
    forecast : DataFrame
        ``queue, interval_start, calls, handle_time_s`` (optional ``calls_sd``, ``handle_time_se_s``).
    growth : float, default 0
        Volume change, decimal (0.1 for +10 %), above -1; scales ``calls`` and ``calls_sd``.
    handle_time_s : float, optional
        The new call-weighted average handle time in seconds; every interval's handle time is
        scaled by the same factor (the queue mix stays). None: as forecast.

    Returns
    -------
    DataFrame

    Notes
    -----
    ``calls' = (1 + growth) calls``; ``aht'_i = aht_i * handle_time_s / (sum calls aht / sum calls)``.

    Examples
    --------
    >>> f = pd.DataFrame({"queue": "q", "interval_start": pd.to_datetime(["2026-03-30 09:00",
    ...     "2026-03-30 09:30"]), "calls": [10.0, 30.0], "handle_time_s": [200.0, 400.0]})
    >>> g = scaled_forecast(f, growth=0.1, handle_time_s=700.0)
    >>> g["calls"].round(6).tolist(), g["handle_time_s"].tolist()
    ([11.0, 33.0], [400.0, 800.0])
    """
    if not float(growth) > -1:
        raise ParameterError(
            f"`growth` must be a decimal above -1. Got {growth!r}. Use 0.1 for +10 %."
        )
    out = forecast.copy()
    factor = 1.0 + float(growth)
    out["calls"] = out["calls"] * factor
    if "calls_sd" in out:
        out["calls_sd"] = out["calls_sd"] * factor
    if handle_time_s is not None:
        check_positive(handle_time_s, "handle_time_s")
        ratio = float(handle_time_s) / average_handle_time_s(forecast)
        out["handle_time_s"] = out["handle_time_s"] * ratio
        if "handle_time_se_s" in out:
            out["handle_time_se_s"] = out["handle_time_se_s"] * ratio
    return out


def average_handle_time_s(forecast: pd.DataFrame) -> float:
    """Call-weighted average handle time of a forecast, in seconds."""
    calls = forecast["calls"].to_numpy(dtype=float)
    aht = forecast["handle_time_s"].to_numpy(dtype=float)
    return float((calls * aht).sum() / calls.sum()) if calls.sum() > 0 else float(aht.mean())


@dataclass(frozen=True)
class StaffingView:
    """One state of the staffing explorer.

    Attributes
    ----------
    growth : float
        Volume change against the forecast, decimal.
    handle_time_s, target_service_level, answer_time_s, shrinkage : float
        The settings used (seconds, share, seconds, share).
    calls_per_week : float
    plan : StaffingPlan
    hiring : HiringPlan or None
    decision : Decision
    elapsed_s : float
    """

    team: str
    growth: float
    handle_time_s: float
    target_service_level: float
    answer_time_s: float
    shrinkage: float
    calls_per_week: float
    plan: StaffingPlan
    hiring: HiringPlan | None
    decision: Decision
    seed: int
    elapsed_s: float = field(compare=False)

    @property
    def fte_needed(self) -> float:
        """Scheduled FTE the plan needs (``plan.total_fte``)."""
        return self.plan.total_fte

    @property
    def fte_text(self) -> str:
        """The FTE needed as the explorer shows it (``23.4 FTE``)."""
        return f"{self.fte_needed:,.1f} FTE"

    def summary(self) -> pd.DataFrame:
        """Settings and headline figures (``metric, value, unit``)."""
        rows = [
            ("growth", self.growth, "decimal"),
            ("handle_time_s", self.handle_time_s, "s"),
            ("target_service_level", self.target_service_level, "share"),
            ("answer_time_s", self.answer_time_s, "s"),
            ("shrinkage", self.shrinkage, "share"),
            ("calls_per_week", self.calls_per_week, "calls"),
            ("total_fte", self.plan.total_fte, "FTE"),
            ("peak_agents", float(self.plan.peak_agents), "agents"),
            ("worst_service_level", self.plan.worst_service_level, "share"),
            ("annual_cost", self.plan.annual_cost, self.plan.currency),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])

    def chart(self) -> Any:
        """The headline chart: agents per half hour and queue."""
        from ..charts import staffing_heatmap

        return staffing_heatmap(self.plan)

    def executive_summary(self, title: str | None = "") -> Any:
        """The decision banner, key-number tiles and chart (an ``ExecutiveSummary``);
        ``title`` None for none (the explorer page has its own), "" for the default."""
        from ..summary import executive_summary

        heading = f"{self.team} staffing" if title == "" else title
        return executive_summary(self.decision, chart=self.chart(), title=heading)


class StaffingExplorer:
    """What if volume, handle time, the service target or shrinkage change?

    Parameters
    ----------
    forecast : DataFrame
        The interval forecast of one week (:meth:`ArrivalProfile.forecast_table` or
        :func:`cio_analytics.io.read_staffing_forecast`).
    team : str
        Named in the decision.
    current_fte : float
        Today's headcount in FTE.
    cost_per_fte_year : float
        Full yearly cost of one agent FTE, in ``currency``.
    roster : pandas.Series, optional
        The team's roster row (attrition, hiring lead times, contractor cost) for the hiring
        plan; None: no hiring plan.
    max_occupancy : float, default 0.85
    hours_per_fte_week : float, default 37.5
    percentile : float, optional
        Plan each interval at this confidence against forecast error (Monte Carlo of
        ``n_trials`` with the explorer's seed); None plans the point forecast.
    n_trials : int, default 500
    rng : None, int or Generator
    currency : str, default "EUR"
    scenarios_path : path-like, optional

    Examples
    --------
    >>> ex = StaffingExplorer.from_files(history_path="data/sample/ticket_history.csv",
    ...     roster_path="data/sample/team_roster.csv", rng=1, hiring=False)
    >>> v = ex.compute(growth=0.1)
    >>> v.fte_needed > ex.compute().fte_needed
    True
    """

    def __init__(
        self,
        forecast: pd.DataFrame,
        *,
        team: str,
        current_fte: float,
        cost_per_fte_year: float,
        roster: pd.Series | None = None,
        max_occupancy: float = 0.85,
        hours_per_fte_week: float = 37.5,
        percentile: float | None = None,
        n_trials: int = 500,
        rng: Any = None,
        currency: str = "EUR",
        scenarios_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.forecast = forecast
        self.team = str(team)
        self.current_fte = float(current_fte)
        self.cost_per_fte_year = float(check_positive(cost_per_fte_year, "cost_per_fte_year"))
        self.roster = roster
        self.max_occupancy = float(max_occupancy)
        self.hours_per_fte_week = float(hours_per_fte_week)
        self.percentile = percentile
        self.n_trials = check_int(n_trials, "n_trials", minimum=10)
        self.seed, _ = resolve_seed(rng)
        self.currency = currency
        self.scenarios_path = Path(scenarios_path or project_root() / DEFAULT_SCENARIOS)
        self.base_handle_time_s = average_handle_time_s(forecast)

    @classmethod
    def from_files(
        cls,
        *,
        history_path: str | os.PathLike[str] = "data/sample/ticket_history.csv",
        roster_path: str | os.PathLike[str] = "data/sample/team_roster.csv",
        forecast_path: str | os.PathLike[str] | None = None,
        team: str = "Service desk",
        week_start: str = "",
        history_weeks: int = 12,
        as_of: Any = None,
        confidence: float = 0.0,
        n_trials: int = 500,
        rng: Any = None,
        hiring: bool = True,
        currency: str = "EUR",
        scenarios_path: str | os.PathLike[str] | None = None,
    ) -> StaffingExplorer:
        """The explorer from the files the staffing notebook reads (same parameter names).

        ``confidence`` 0 plans the point forecast (deterministic, fastest); above 0 each
        interval meets the target with that probability against forecast error. As in the
        notebook, the arrival pattern averages the last ``history_weeks`` complete weeks of
        contacts up to ``as_of`` and an empty ``week_start`` plans the week after them.
        """
        if forecast_path:
            forecast = read_staffing_forecast(
                resolve_data_path(forecast_path, parameter="forecast_path")
            )
        else:
            history = read_ticket_history(
                resolve_data_path(history_path, parameter="history_path"), as_of=as_of or None
            )
            profile = arrival_profile(history, weeks=history_weeks)
            forecast = profile.forecast_table(week_start or profile.end)
        roster = read_team_roster(resolve_data_path(roster_path, parameter="roster_path"))
        if team not in roster.index:
            raise ParameterError(
                f"`team` {team!r} is not in {roster_path}. Teams: {', '.join(roster.index)}."
            )
        staff = roster.loc[team]
        use = confidence > 0 and "calls_sd" in forecast.columns
        return cls(
            forecast,
            team=team,
            current_fte=float(staff["headcount"]),
            cost_per_fte_year=float(staff["employee_cost_per_fte_year"]),
            roster=staff if hiring else None,
            percentile=confidence if use else None,
            n_trials=n_trials,
            rng=rng,
            currency=currency,
            scenarios_path=scenarios_path,
        )

    def compute(
        self,
        *,
        growth: float = 0.0,
        handle_time_s: float | None = None,
        target_service_level: float = 0.8,
        answer_time_s: float = 20.0,
        shrinkage: float = 0.3,
    ) -> StaffingView:
        """The plan, hiring and decision for one setting of the controls.

        Parameters
        ----------
        growth : float, default 0
            Volume change against the forecast, decimal.
        handle_time_s : float, optional
            Call-weighted average handle time, seconds; default the forecast's.
        target_service_level : float, default 0.8
            Share of calls answered within ``answer_time_s``.
        answer_time_s : float, default 20
            Seconds.
        shrinkage : float, default 0.3
            Share of paid time off the phones.

        Returns
        -------
        StaffingView
        """
        start = time.perf_counter()
        aht = self.base_handle_time_s if handle_time_s is None else float(handle_time_s)
        forecast = scaled_forecast(self.forecast, growth=growth, handle_time_s=aht)
        plan = staffing_plan(
            forecast,
            target_service_level=target_service_level,
            answer_time_s=answer_time_s,
            max_occupancy=self.max_occupancy,
            shrinkage=shrinkage,
            hours_per_fte_week=self.hours_per_fte_week,
            cost_per_fte_year=self.cost_per_fte_year,
            currency=self.currency,
            percentile=self.percentile,
            n_trials=self.n_trials,
            rng=self.seed,
        )
        hiring = None
        if self.roster is not None and plan.total_fte > self.current_fte:
            r = self.roster
            hiring = hiring_plan(
                plan.total_fte,
                current_headcount=float(r["headcount"]),
                n_months=12,
                monthly_attrition=float(r["monthly_attrition"]),
                time_to_hire_months=int(r["time_to_hire_months"]),
                ramp_up_months=int(r["ramp_up_months"]),
                employee_cost_per_fte_year=self.cost_per_fte_year,
                contractor_cost_per_fte_year=float(r["contractor_cost_per_fte_year"]),
                currency=self.currency,
            )
        decision = staffing_decision(
            plan, hiring, current_fte=self.current_fte, team=self.team.lower()
        )
        return StaffingView(
            team=self.team,
            growth=float(growth),
            handle_time_s=aht,
            target_service_level=float(target_service_level),
            answer_time_s=float(answer_time_s),
            shrinkage=float(shrinkage),
            calls_per_week=float(np.sum(forecast["calls"])),
            plan=plan,
            hiring=hiring,
            decision=decision,
            seed=self.seed,
            elapsed_s=time.perf_counter() - start,
        )

    # ------------------------------------------------------------------ the page
    def _settings(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "growth": values["growth"] / 100.0,
            "handle_time_s": float(values["handle_time_s"]),
            "target_service_level": values["target_service_level"] / 100.0,
            "answer_time_s": float(values["answer_time_s"]),
            "shrinkage": values["shrinkage"] / 100.0,
        }

    def overrides(self, values: dict[str, Any]) -> dict[str, Any]:
        """What "Save as scenario" writes (the staffing notebook's parameter names)."""
        s = self._settings(values)
        out: dict[str, Any] = {}
        if abs(s["growth"]) > 1e-9:
            out["growth"] = round(s["growth"], 4)
        if abs(s["handle_time_s"] - round(self.base_handle_time_s)) > 1e-9:
            out["handle_time_s"] = relative_change(s["handle_time_s"] / self.base_handle_time_s)
        defaults = {"target_service_level": 0.8, "answer_time_s": 20.0, "shrinkage": 0.3}
        for key, default in defaults.items():
            if abs(s[key] - default) > 1e-9:
                out[key] = round(s[key], 4)
        return out

    def _update(self, values: dict[str, Any]) -> tuple[str, str]:
        view = self.compute(**self._settings(values))
        summary = view.executive_summary(title=None)._repr_html_()
        head = readout_html(
            f"FTE needed for {view.calls_per_week:,.0f} contacts a week", view.fte_text, "fte",
            view.elapsed_s,
        )  # fmt: skip
        return head, summary

    def widget(self) -> Any:
        """The ipywidgets page: volume, handle time, service target, answer time, shrinkage."""
        aht = round(self.base_handle_time_s)
        controls = {
            "growth": slider("int", "Contacts growth (%)", 0, -50, 100, 1, "+d"),
            "handle_time_s": slider(
                "int", "Handle time (s)", aht, max(30, aht // 3), aht * 2, 1, "d"
            ),
            "target_service_level": slider("int", "Service level target (%)", 80, 50, 99, 1, "d"),
            "answer_time_s": slider("int", "Answer time target (s)", 20, 5, 120, 5, "d"),
            "shrinkage": slider("int", "Shrinkage (%)", 30, 0, 60, 1, "d"),
        }
        return build_widget(
            controls,
            self._update,
            self.overrides,
            scenarios_path=self.scenarios_path,
            job="service_desk_staffing",
        )
