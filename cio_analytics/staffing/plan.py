"""Interval staffing plan: a week's forecast for every queue -> agents, FTE and cost.

One broadcast call sizes every queue and interval at once (Erlang C, or Erlang A when callers'
patience is given); the requirement on the phones is grossed up for shrinkage as a fractional
number and rounded up once; scheduled agent-hours become FTE per week and cost.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecation import deprecated_field, renamed_kwargs
from .._validation import (
    as_float_array,
    check_frame,
    check_int,
    check_nonnegative,
    check_positive,
    check_probability,
    resolve_seed,
    short_repr,
)
from ..exceptions import ParameterError
from .forecast import required_agents_at_confidence
from .requirements import StaffingWarning, apply_shrinkage, staffing_requirement

__all__ = ["StaffingPlan", "staffing_plan"]

_WEEK_S = 7 * 86400.0
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_REQUIRED = ("queue", "interval_start", "calls", "handle_time_s")


@dataclass(frozen=True)
class StaffingPlan:
    """Agents per queue and interval, scheduled FTE and cost for the planned period.

    Attributes
    ----------
    target_service_level, answer_time_s, max_occupancy, target_asa_s, patience_s, shrinkage,
    min_agents, hours_per_fte_week, cost_per_fte_hour, weeks_per_year, currency, interval_s,
    percentile, n_trials, seed
        The inputs, echoed (``shrinkage`` is ``"by interval"`` when it varies).
    n_queues, n_intervals : int
        Queues, and intervals per queue.
    n_weeks : float
        Weeks the forecast covers (``n_intervals * interval_s / 604800``).
    agent_hours : float
        Scheduled agent-hours over the forecast, all queues.
    total_fte : float
        Scheduled FTE per week: ``agent_hours / n_weeks / hours_per_fte_week``.
    weekly_cost, annual_cost : float
        ``total_fte * hours_per_fte_week * cost_per_fte_hour`` and ``weekly_cost * weeks_per_year``
        (NaN without a cost rate).
    peak_agents : int
        Most agents scheduled in one interval, all queues together.
    worst_service_level : float
        Lowest service level over intervals with calls.
    n_not_ok : int
        Intervals whose status is not ``"ok"`` (capped or infeasible target).
    detail : pandas.DataFrame
        One row per queue and interval (see :func:`staffing_plan`).
    by_queue : pandas.DataFrame
        Per queue: ``calls, agent_hours, fte, weekly_cost, annual_cost, peak_agents,
        worst_service_level, n_not_ok``.
    """

    target_service_level: float
    answer_time_s: float
    max_occupancy: float | None
    target_asa_s: float | None
    patience_s: float | None
    shrinkage: float | str
    min_agents: int
    hours_per_fte_week: float
    cost_per_fte_hour: float | None
    weeks_per_year: float
    currency: str
    interval_s: float
    percentile: float | None
    n_trials: int | None
    seed: int | None
    n_queues: int
    n_intervals: int
    n_weeks: float
    agent_hours: float
    total_fte: float
    weekly_cost: float
    annual_cost: float
    peak_agents: int
    worst_service_level: float
    n_not_ok: int
    detail: pd.DataFrame = field(repr=False)
    by_queue: pd.DataFrame = field(repr=False)

    hours_per_fte = deprecated_field("hours_per_fte_week", "hours_per_fte")
    confidence = deprecated_field("percentile", "confidence")

    def summary(self) -> pd.DataFrame:
        """Tidy table of the headline figures (``metric``, ``value``, ``unit``)."""
        rows = [
            ("total_fte", self.total_fte, "FTE"),
            ("agent_hours", self.agent_hours, "h"),
            ("weekly_cost", self.weekly_cost, self.currency),
            ("annual_cost", self.annual_cost, self.currency),
            ("peak_agents", float(self.peak_agents), "agents"),
            ("worst_service_level", self.worst_service_level, "share"),
            ("n_not_ok", float(self.n_not_ok), "intervals"),
            ("n_queues", float(self.n_queues), "queues"),
            ("n_intervals", float(self.n_intervals), "intervals"),
        ]
        return pd.DataFrame(rows, columns=["metric", "value", "unit"])

    def heatmap(
        self, value: str = "agents_scheduled", *, queue: str | None = None, aggfunc: str = "sum"
    ) -> pd.DataFrame:
        """Pivot for a weekday x time-of-day heatmap.

        Parameters
        ----------
        value : str, default "agents_scheduled"
            A numeric column of :attr:`detail` (``agents_required``, ``service_level``, ...).
        queue : str, optional
            One queue; by default all queues are combined with ``aggfunc``.
        aggfunc : str, default "sum"
            How queues (and repeated weeks) combine: ``"sum"``, ``"mean"``, ``"max"``, ``"min"``.

        Returns
        -------
        pandas.DataFrame
            Index: time of day (``"HH:MM"``); columns: weekdays Mon..Sun present in the plan.
        """
        if value not in self.detail.columns:
            raise ParameterError(
                f"`value` must be a column of the plan's detail, e.g. 'agents_scheduled'. "
                f"Got {value!r}."
            )
        frame = self.detail
        if queue is not None:
            if queue not in set(frame["queue"]):
                raise ParameterError(
                    f"`queue` {queue!r} is not in the plan. Queues: {sorted(set(frame['queue']))}."
                )
            frame = frame[frame["queue"] == queue]
        per_slot = frame.groupby(["weekday", "time", "interval_start"], sort=False)[value].agg(
            aggfunc
        )
        pivot = per_slot.groupby(level=["time", "weekday"]).agg(
            "mean" if aggfunc == "sum" else aggfunc
        )
        table = pivot.unstack("weekday").sort_index()
        return table.reindex(columns=[d for d in _DAYS if d in table.columns])


def _targets(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


@renamed_kwargs(hours_per_fte="hours_per_fte_week", confidence="percentile")
def staffing_plan(
    forecast: pd.DataFrame,
    *,
    target_service_level: float,
    answer_time_s: float,
    max_occupancy: float | None = None,
    target_asa_s: float | None = None,
    patience_s: float | None = None,
    shrinkage: Any = None,
    min_agents: int = 0,
    hours_per_fte_week: float = 37.5,
    cost_per_fte_hour: float | None = None,
    cost_per_fte_year: float | None = None,
    weeks_per_year: float = 52.0,
    currency: str = "EUR",
    interval_s: float | None = None,
    percentile: float | None = None,
    n_trials: int = 1000,
    rng: int | np.random.Generator | None = None,
) -> StaffingPlan:
    """Agents per interval for every queue, scheduled FTE per week and cost.

    Parameters
    ----------
    forecast : pandas.DataFrame
        ``queue``, ``interval_start``, ``calls``, ``handle_time_s`` (seconds), optionally
        ``shrinkage`` (per interval), ``calls_sd`` and ``handle_time_se_s`` (forecast error,
        used with ``percentile``). See :func:`cio_analytics.io.read_staffing_forecast` and
        :meth:`ArrivalProfile.forecast_table`.
    target_service_level : float
        Share of calls to answer within ``answer_time_s``, in [0, 1] (0.8 for 80 %).
    answer_time_s : float
        Answer-time threshold in seconds (20 for "80 % in 20 s").
    max_occupancy, target_asa_s, patience_s : float, optional
        Highest agent occupancy allowed (decimal), highest average speed of answer (seconds),
        and mean caller patience (seconds; switches to Erlang A with abandonment).
    shrinkage : float or array_like, optional
        Share of paid time agents are not available (breaks, training, absence), in [0, 1).
        A number for all intervals, an array per row, or the forecast's ``shrinkage`` column
        (used when this is None; 0 without the column).
    min_agents : int, default 0
        Floor of agents on the phones in every interval (e.g. 1 to keep a queue open).
    hours_per_fte_week : float, default 37.5
        Paid hours of one FTE per week (formerly ``hours_per_fte``).
    cost_per_fte_hour, cost_per_fte_year : float, optional
        Cost rate of a scheduled FTE, per paid hour or per year (give one);
        ``cost_per_fte_hour = cost_per_fte_year / (hours_per_fte_week * weeks_per_year)``.
    weeks_per_year : float, default 52
        Paid weeks per FTE-year, to convert between weekly and yearly cost.
    currency : str, default "EUR"
    interval_s : float, optional
        Interval length in seconds; default the forecast's ``attrs["interval_s"]`` or the
        smallest gap between its intervals.
    percentile : float, optional
        Staff each interval at this percentile of the agents required under forecast error
        (0.9: the P90, meeting the targets with probability 0.9; formerly ``confidence``)
        (Monte Carlo over ``calls_sd`` and ``handle_time_se_s``); None plans for the point
        forecast.
    n_trials : int, default 1000
        Monte Carlo trials when ``percentile`` is given.
    rng : None, int or numpy.random.Generator
        Seed or generator for the Monte Carlo (SPEC 7); the plan records the integer seed
        (None without ``percentile``: no trials are drawn).

    Returns
    -------
    StaffingPlan
        ``detail`` has one row per queue and interval: ``queue, interval_start, weekday,
        time, calls, handle_time_s, load_erlangs, agents_at_forecast, agents_required,
        shrinkage, agents_scheduled_exact, agents_scheduled, service_level, asa_s, occupancy,
        p_wait, p_abandon, status, binding, agent_hours, cost`` (``p_meet_at_forecast`` too with
        ``percentile``).

    Notes
    -----
    For each queue and interval, ``agents_required`` ``n`` is the fewest agents on the phones
    that meet every target (:func:`staffing_requirement`, one broadcast call over all queues
    and intervals), raised to ``min_agents`` and, with ``percentile``, to the Monte Carlo
    quantile. Shrinkage ``s`` gives the fractional requirement
    ``agents_scheduled_exact = n / (1 - s)``, rounded up once:
    ``agents_scheduled = ceil(n / (1 - s))`` (:func:`apply_shrinkage`; float noise below
    1e-9 ignored, so 14 / 0.7 is 20). Then ``agent_hours = sum(agents_scheduled * interval_s / 3600)``,
    ``FTE = agent_hours / n_weeks / hours_per_fte_week`` and
    ``weekly_cost = FTE * hours_per_fte_week * cost_per_fte_hour``. Service level, ASA, occupancy,
    P(wait) and abandonment are those of ``n`` agents at the point forecast.

    References
    ----------
    Call Centre Helper, "Erlang C Formula - Made Simple with an Easy Worked Example" (100
    calls in 30 minutes, 180 s handle time, 80 % in 20 s, 85 % occupancy, 30 % shrinkage:
    14 agents, 20 with shrinkage); the same figures in pyworkforce's ErlangC tutorial.

    Examples
    --------
    >>> fc = pd.DataFrame({"queue": ["Desk"], "interval_start": [pd.Timestamp("2026-03-30 09:00")],
    ...                    "calls": [100.0], "handle_time_s": [180.0]})
    >>> plan = staffing_plan(fc, target_service_level=0.8, answer_time_s=20, max_occupancy=0.85,
    ...                      shrinkage=0.3, interval_s=1800)
    >>> row = plan.detail.iloc[0]
    >>> int(row["agents_required"]), int(row["agents_scheduled"]), f"{row['service_level']:.4f}"
    (14, 20, '0.8884')
    """
    frame = _check_forecast(forecast)
    step = _interval(frame, forecast, interval_s)
    sl = check_probability(target_service_level, "target_service_level")
    ans = float(check_nonnegative(answer_time_s, "answer_time_s"))
    occ = None if max_occupancy is None else check_probability(max_occupancy, "max_occupancy")
    asa = None if target_asa_s is None else float(check_positive(target_asa_s, "target_asa_s"))
    pat = None if patience_s is None else float(check_positive(patience_s, "patience_s"))
    floor = check_int(min_agents, "min_agents", minimum=0)
    hours = float(check_positive(hours_per_fte_week, "hours_per_fte_week"))
    wpy = float(check_positive(weeks_per_year, "weeks_per_year"))
    rate = _cost_rate(cost_per_fte_hour, cost_per_fte_year, hours, wpy)
    shrink, shrink_echo = _shrinkage(shrinkage, frame)
    level, seed = None, None
    if percentile is not None:
        level = check_probability(percentile, "percentile")
        if not 0 < level < 1:
            raise ParameterError(f"`percentile` must be in (0, 1). Got {level:g}; use 0.9.")
        n_trials = check_int(n_trials, "n_trials", minimum=1)
        seed, _ = resolve_seed(rng)
        if "calls_sd" not in frame.columns:
            raise ParameterError(
                "`percentile` needs the forecast error: add a `calls_sd` column (and optionally "
                "`handle_time_se_s`), e.g. from arrival_profile(...).forecast_table(...)."
            )

    calls = frame["calls"].to_numpy(dtype=float)
    aht = frame["handle_time_s"].to_numpy(dtype=float)
    targets = _targets(
        target_service_level=sl,
        answer_time_s=ans,
        max_occupancy=occ,
        target_asa_s=asa,
        patience_s=pat,
    )
    extra: dict[str, np.ndarray] = {}
    floor_arr = np.full(calls.shape, float(floor))
    if level is not None:
        mc = required_agents_at_confidence(
            calls,
            aht,
            calls_sd=as_float_array(frame["calls_sd"], "forecast['calls_sd']"),
            handle_time_se_s=(
                as_float_array(frame["handle_time_se_s"], "forecast['handle_time_se_s']")
                if "handle_time_se_s" in frame.columns
                else 0.0
            ),
            interval_s=step,
            percentile=level,
            n_trials=n_trials,
            rng=seed,
            **targets,
        )
        floor_arr = np.maximum(floor_arr, mc.agents)
        extra["p_meet_at_forecast"] = mc.p_meet_at_forecast
    # Unmet targets are reported per row in `status`; inf ASA of unstable queues is expected.
    with warnings.catch_warnings(), np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", StaffingWarning)
        point = staffing_requirement(calls, step, aht, **targets)
        req = staffing_requirement(calls, step, aht, min_agents=floor_arr, **targets)
    required = np.asarray(req.agents, dtype=float)
    binding = np.asarray(req.binding, dtype=object).copy()
    if level is not None:
        raised = required > np.maximum(np.asarray(point.agents, float), floor)
        binding[raised] = "confidence"

    exact = required / (1.0 - shrink)
    scheduled = np.asarray(apply_shrinkage(required, shrink), dtype=float)  # the one rounding
    agent_hours = scheduled * step / 3600.0
    detail = pd.DataFrame(
        {
            "queue": frame["queue"].to_numpy(),
            "interval_start": frame["interval_start"].to_numpy(),
            "weekday": np.array(_DAYS)[frame["interval_start"].dt.day_of_week.to_numpy()],
            "time": frame["interval_start"].dt.strftime("%H:%M").to_numpy(),
            "calls": calls,
            "handle_time_s": aht,
            "load_erlangs": np.asarray(req.load, dtype=float),
            "agents_at_forecast": np.asarray(point.agents, dtype=np.int64),
            "agents_required": required.astype(np.int64),
            "shrinkage": shrink,
            "agents_scheduled_exact": exact,
            "agents_scheduled": scheduled.astype(np.int64),
            "service_level": np.asarray(req.service_level, dtype=float),
            "asa_s": np.asarray(req.asa_s, dtype=float),
            "occupancy": np.asarray(req.occupancy, dtype=float),
            "p_wait": np.asarray(req.p_wait, dtype=float),
            "p_abandon": np.asarray(req.p_abandon, dtype=float),
            "status": np.asarray(req.status).astype(str),
            "binding": binding.astype(str),
            "agent_hours": agent_hours,
            "cost": agent_hours * (np.nan if rate is None else rate),
            **extra,
        }
    )
    n_queues = int(frame["queue"].nunique())
    n_intervals = len(frame) // n_queues
    n_weeks = n_intervals * step / _WEEK_S
    by_queue = _by_queue(detail, n_weeks, hours, wpy)
    total_hours = float(agent_hours.sum())
    fte = total_hours / n_weeks / hours
    weekly = fte * hours * rate if rate is not None else np.nan
    busy = detail["calls"] > 0
    per_slot = detail.groupby("interval_start", sort=False)["agents_scheduled"].sum()
    return StaffingPlan(
        target_service_level=float(sl),
        answer_time_s=ans,
        max_occupancy=None if occ is None else float(occ),
        target_asa_s=asa,
        patience_s=pat,
        shrinkage=shrink_echo,
        min_agents=floor,
        hours_per_fte_week=hours,
        cost_per_fte_hour=rate,
        weeks_per_year=wpy,
        currency=currency,
        interval_s=step,
        percentile=None if level is None else float(level),
        n_trials=n_trials if level is not None else None,
        seed=seed,
        n_queues=n_queues,
        n_intervals=n_intervals,
        n_weeks=n_weeks,
        agent_hours=total_hours,
        total_fte=fte,
        weekly_cost=weekly,
        annual_cost=weekly * wpy,
        peak_agents=int(per_slot.max()) if len(per_slot) else 0,
        worst_service_level=float(detail.loc[busy, "service_level"].min()) if busy.any() else 1.0,
        n_not_ok=int((detail["status"] != "ok").sum()),
        detail=detail,
        by_queue=by_queue,
    )


def _by_queue(detail: pd.DataFrame, n_weeks: float, hours: float, wpy: float) -> pd.DataFrame:
    busy = detail.assign(
        sl_busy=detail["service_level"].where(detail["calls"] > 0),
        not_ok=(detail["status"] != "ok").astype(int),
    )
    g = busy.groupby("queue", sort=True)
    out = pd.DataFrame(
        {
            "calls": g["calls"].sum(),
            "agent_hours": g["agent_hours"].sum(),
            "peak_agents": g["agents_scheduled"].max(),
            "worst_service_level": g["sl_busy"].min(),
            "n_not_ok": g["not_ok"].sum(),
            "weekly_cost": g["cost"].sum(min_count=1) / n_weeks,
        }
    )
    out.insert(2, "fte", out["agent_hours"] / n_weeks / hours)
    out["annual_cost"] = out["weekly_cost"] * wpy
    return out.reset_index()


def _interval_starts(frame: pd.DataFrame) -> pd.Series:
    """``interval_start`` as date-times: ISO 8601 text or date-time values, else a clear error.

    Text in another format is refused rather than guessed (``04/03/2015`` is March or April);
    :func:`cio_analytics.io.read_staffing_forecast` reads other formats with ``date_format``.
    """
    col = frame["interval_start"]
    if pd.api.types.is_datetime64_any_dtype(col):
        parsed = col
    else:
        try:
            parsed = pd.to_datetime(col, format="ISO8601", errors="coerce")
        except (TypeError, ValueError):  # mixed time zones, objects pandas cannot read
            parsed = pd.Series(
                [pd.to_datetime(v, format="ISO8601", errors="coerce") for v in col],
                index=col.index,
            )
    bad = parsed.isna().to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"`forecast['interval_start']` row {pos} (queue {str(frame['queue'].iloc[pos])!r}) "
            f"is not a date-time. Got {short_repr(col.iloc[pos])}. Write ISO 8601 date-times "
            "(e.g. '2026-03-30 09:00'), or read the file with "
            "cio_analytics.io.read_staffing_forecast, which accepts date_format=."
        )
    return pd.Series(parsed, index=col.index)


def _check_forecast(forecast: Any) -> pd.DataFrame:
    check_frame(
        forecast,
        "forecast",
        _REQUIRED,
        fix="Read the file with cio_analytics.io.read_staffing_forecast.",
    )
    frame = forecast.copy()
    frame["queue"] = frame["queue"].astype(str)
    frame["interval_start"] = _interval_starts(frame)
    for col, strict in (("calls", False), ("handle_time_s", True)):
        vals = as_float_array(frame[col], f"forecast['{col}']")
        bad = vals <= 0 if strict else vals < 0
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            rule = "greater than 0" if strict else "0 or more"
            raise ParameterError(
                f"`forecast['{col}']` must be {rule}; row {pos} (queue "
                f"{frame['queue'].iloc[pos]!r}, {frame['interval_start'].iloc[pos]}) holds "
                f"{vals[pos]:g}."
            )
    if frame.duplicated(["queue", "interval_start"]).any():
        pos = int(np.flatnonzero(frame.duplicated(["queue", "interval_start"]).to_numpy())[0])
        raise ParameterError(
            f"`forecast` has two rows for queue {frame['queue'].iloc[pos]!r} at "
            f"{frame['interval_start'].iloc[pos]}. Keep one row per queue and interval."
        )
    counts = frame.groupby("queue")["interval_start"].nunique()
    if counts.nunique() > 1:
        raise ParameterError(
            f"Every queue needs the same intervals; interval counts differ: {counts.to_dict()}. "
            "Add rows with calls 0 for closed hours."
        )
    return frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)


def _interval(frame: pd.DataFrame, forecast: pd.DataFrame, interval_s: Any) -> float:
    if interval_s is None:
        interval_s = forecast.attrs.get("interval_s")
    if interval_s is None:
        ns = frame["interval_start"].to_numpy().astype("datetime64[ns]").astype(np.int64)
        same = frame["queue"].to_numpy()[1:] == frame["queue"].to_numpy()[:-1]
        gaps = np.diff(ns)[same] / 1e9
        if not gaps.size:
            raise ParameterError(
                "`interval_s` is needed for a forecast with one interval per queue "
                "(e.g. interval_s=1800)."
            )
        interval_s = float(gaps.min())
    return float(check_positive(interval_s, "interval_s"))


def _cost_rate(per_hour: Any, per_year: Any, hours: float, wpy: float) -> float | None:
    if per_hour is not None and per_year is not None:
        raise ParameterError(
            "Give `cost_per_fte_hour` or `cost_per_fte_year`, not both "
            f"(got {per_hour!r} and {per_year!r})."
        )
    if per_hour is not None:
        return float(check_nonnegative(per_hour, "cost_per_fte_hour"))
    if per_year is not None:
        return float(check_nonnegative(per_year, "cost_per_fte_year")) / (hours * wpy)
    return None


def _shrinkage(shrinkage: Any, frame: pd.DataFrame) -> tuple[np.ndarray, float | str]:
    if shrinkage is None:
        if "shrinkage" not in frame.columns:
            return np.zeros(len(frame)), 0.0
        values = as_float_array(frame["shrinkage"], "forecast['shrinkage']")
        name = "forecast['shrinkage']"
    else:
        values = as_float_array(shrinkage, "shrinkage", ndim=(0, 1))
        name = "shrinkage"
        if values.ndim and values.size != len(frame):
            raise ParameterError(
                f"`shrinkage` must be one number or one per forecast row ({len(frame)}). "
                f"Got {values.size} values."
            )
    bad = (values < 0) | (values >= 1)
    if np.any(bad):
        v = float(np.ravel(values)[int(np.flatnonzero(np.ravel(bad))[0])])
        hint = f" Use {v / 100:g} for {v:g} %." if v >= 1 else ""
        raise ParameterError(f"`{name}` must be a decimal in [0, 1). Got {v:g}.{hint}")
    arr = np.broadcast_to(values, (len(frame),)).astype(float)
    echo: float | str = float(arr[0]) if np.all(arr == arr[0]) else "by interval"
    return arr, echo
