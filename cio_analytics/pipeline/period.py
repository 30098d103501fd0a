"""The period of a run drives its data: the as-of date, the dated inputs and the default period.

``run --period 2026Q3`` builds the pack "as of 30 Sep 2026": every job gets the pack-level
parameter ``as_of`` (applied to the notebooks that declare it, like ``seed``), the notebooks'
readers keep only the records dated up to it, recommendations are dated from it, and every
report says "Data as of 30 Sep 2026" under its title.

The as-of date of a period is its last day, capped at the day of the run for the period that is
still running (a 2026Q4 pack built on 7 Dec 2026 is as of 7 Dec 2026, not 31 Dec: the quarter
has not closed and a recommendation "cut in December" is still actionable). A period that has
not started yet is refused. A period name that is not a quarter (``2026Q3``) or a month
(``2026-09``) -- a free folder name such as ``trial`` -- has no as-of date: the notebooks use
all their data, as before.

Before any kernel starts, :func:`check_period` reads each job's dated inputs (actuals, ticket
export, ticket history, SLA months, earned-value status) and refuses a period for which one of
them holds no record up to the as-of date, naming the period, the job, the file, the first and
last dates it holds and the periods that would work. :func:`period_coverage` tells the same
without raising -- which jobs have data for the period and why the others have none -- so a
backfill can build a past quarter without the reports whose data starts later.

The default period (:func:`default_period`) is the latest quarter the pack's dated data
reaches, never one after the quarter of the run: a run made in January 2027 on data that ends
in December 2026 is for 2026Q4.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from .params import ParameterValidationError, resolve_input

__all__ = [
    "DATED_INPUTS",
    "TODAY_ENV",
    "InputCoverage",
    "PeriodCoverage",
    "check_period",
    "data_coverage",
    "default_period",
    "period_as_of",
    "period_coverage",
    "quarter_of",
    "quarters_between",
]

# The day of the run when set (ISO, e.g. 2026-12-07), else the clock's: fixes "today" for
# reproducible runs and tests (a backfill passes its own ``today`` to the runs it starts).
TODAY_ENV = "CIO_ANALYTICS_TODAY"

_QUARTER = re.compile(r"(\d{4})Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _every_actual(path: Any):
    """Every month of an actuals file, whatever budget years it holds (``read_actuals`` reads
    one year, by default the latest: a file with 2025 and 2026 covers 2025Q1 on)."""
    from ..io.budget import _read_spend

    return _read_spend(
        path, "actuals_path", "the actuals", allow_negative=True, date_format=None, sheet=None
    )


def _reader(kind: str):
    """The reader of one kind of dated input and the date column it returns."""
    from ..io import read_evm_status, read_sla_data, read_ticket_export
    from ..io.staffing import read_ticket_history

    return {
        "actuals": (_every_actual, "month", True),
        "tickets": (read_ticket_export, "opened_at", False),
        "contacts": (read_ticket_history, "created_at", False),
        "SLA months": (read_sla_data, "month", True),
        "earned-value status": (read_evm_status, "period", False),
    }[kind]


# notebook (file stem) -> {path parameter: kind of dated records}. A notebook listed here
# declares ``as_of`` and passes it to the reader of each of these inputs.
DATED_INPUTS: dict[str, dict[str, str]] = {
    "budget_review": {"actuals_path": "actuals"},
    "team_performance": {"tickets_path": "tickets"},
    "service_desk_staffing": {"history_path": "contacts"},
    "sourcing_decision": {"sla_path": "SLA months"},
    "project_delivery": {"status_path": "earned-value status"},
}


def run_day(today: date | None = None) -> date:
    """``today`` if given, else ``CIO_ANALYTICS_TODAY`` when set, else the clock's day."""
    if today is not None:
        return today
    text = os.environ.get(TODAY_ENV, "").strip()
    if text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ParameterValidationError(
                [f"{TODAY_ENV} must be an ISO date such as 2026-12-07. Got {text!r}."]
            ) from None
    return date.today()


def period_bounds(period: str) -> tuple[date, date] | None:
    """The first and last day of a quarter (``2026Q3``) or month (``2026-09``); else None.

    Examples
    --------
    >>> period_bounds("2026Q3"), period_bounds("trial")
    ((datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)), None)
    """
    if m := _QUARTER.fullmatch(period):
        start = pd.Period(year=int(m.group(1)), quarter=int(m.group(2)), freq="Q")
    elif m := _MONTH.fullmatch(period):
        start = pd.Period(year=int(m.group(1)), month=int(m.group(2)), freq="M")
    else:
        return None
    return start.start_time.date(), start.end_time.date()


def period_as_of(period: str, today: date | None = None) -> date | None:
    """The as-of date of ``period``: its last day, capped at ``today`` while it runs.

    None for a period name that is neither a quarter nor a month (a free folder name). A period
    that starts after ``today`` is refused.

    Examples
    --------
    >>> period_as_of("2026Q3", date(2026, 12, 7)), period_as_of("2026Q4", date(2026, 12, 7))
    (datetime.date(2026, 9, 30), datetime.date(2026, 12, 7))
    >>> period_as_of("2026Q4", date(2027, 1, 15))
    datetime.date(2026, 12, 31)
    """
    bounds = period_bounds(period)
    if bounds is None:
        return None
    today = run_day(today)
    first, last = bounds
    if first > today:
        raise ParameterValidationError(
            [
                f"period {period} has not started yet (it starts on {_day(first)}; today is "
                f"{_day(today)}): there is no data as of it. Choose {quarter_of(today)} or "
                "an earlier period."
            ]
        )
    return min(last, today)


def _day(day: date | pd.Timestamp) -> str:
    return f"{day.day} {day:%b %Y}"


def quarter_of(day: date | pd.Timestamp) -> str:
    """The calendar quarter of ``day`` as ``YYYYQn``.

    Examples
    --------
    >>> quarter_of(date(2027, 1, 4))
    '2027Q1'
    """
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    """The quarters from ``first`` to ``last``, both included (``2025Q4``, ``2026Q1``, ...).

    Examples
    --------
    >>> quarters_between("2025Q3", "2026Q2")
    ['2025Q3', '2025Q4', '2026Q1', '2026Q2']
    """
    bad = [(n, v) for n, v in (("--from", first), ("--to", last)) if not _QUARTER.fullmatch(v)]
    if bad:
        raise ParameterValidationError(
            [f"`{n}` must be a quarter such as 2025Q1. Got {v!r}." for n, v in bad]
        )
    a, b = pd.Period(first, freq="Q"), pd.Period(last, freq="Q")
    if b < a:
        raise ParameterValidationError(
            [f"`--to` {last} is before `--from` {first}. Give the earlier quarter first."]
        )
    return [str(p) for p in pd.period_range(a, b, freq="Q")]


@dataclass(frozen=True)
class InputCoverage:
    """The dates one dated input of one job holds."""

    job: str
    parameter: str
    kind: str
    path: str  # as the pack gives it
    first: pd.Timestamp
    last: pd.Timestamp

    @property
    def monthly(self) -> bool:
        """True for records dated by month (actuals, SLA months), False for dated by day."""
        return _reader(self.kind)[2]

    def text(self) -> str:
        fmt = "%Y-%m" if self.monthly else "%Y-%m-%d"
        return f"{self.first:{fmt}} to {self.last:{fmt}}"

    def first_text(self) -> str:
        """The first record's date as a reader writes it: ``Jan 2026`` or ``31 May 2026``."""
        return f"{self.first:%b %Y}" if self.monthly else _day(self.first)


_CACHE: dict[tuple[str, str, float], tuple[pd.Timestamp, pd.Timestamp]] = {}


def _dates(kind: str, path: Path) -> tuple[pd.Timestamp, pd.Timestamp]:
    key = (kind, str(path), path.stat().st_mtime)
    if key not in _CACHE:
        reader, column, _ = _reader(kind)
        dates = reader(path)[column]
        if isinstance(dates.dtype, pd.PeriodDtype):
            dates = dates.dt.to_timestamp()
        dates = pd.to_datetime(dates)
        _CACHE[key] = (pd.Timestamp(dates.min()), pd.Timestamp(dates.max()))
    return _CACHE[key]


def data_coverage(pack: Any) -> list[InputCoverage]:
    """The dated inputs of every job of ``pack`` with the first and last date each holds.

    An input that cannot be read is left out here: the job reports it when it runs.
    """
    found = []
    for job in pack.jobs:
        for parameter, kind in DATED_INPUTS.get(Path(job.notebook).stem, {}).items():
            value = job.parameters.get(parameter)
            if not isinstance(value, str) or not value:
                continue
            try:
                first, last = _dates(kind, resolve_input(value, pack.root))
            except (OSError, ValueError, KeyError):
                continue
            if pd.isna(first) or pd.isna(last):
                continue
            found.append(InputCoverage(job.name, parameter, kind, value, first, last))
    return found


def _covers(item: InputCoverage, as_of: date) -> bool:
    """True when ``item`` holds a record dated up to ``as_of`` (a month counts once started)."""
    return item.first.normalize() <= pd.Timestamp(as_of)


def _as_of(period: str, today: date | None, as_of: Any) -> date | None:
    """The as-of date of a run: a pack-wide ``as_of`` when given, else the period's."""
    if as_of not in (None, ""):
        from ..io._as_of import as_of_date

        return as_of_date(as_of).date()
    return period_as_of(period, today)


@dataclass(frozen=True)
class PeriodCoverage:
    """Which jobs of a pack have data for a period, and why the others have none.

    Attributes
    ----------
    period : str
        The period as given (``2026Q1``).
    as_of : date or None
        Its as-of date (None for a free folder name: every job uses all its data).
    jobs : tuple of str
        Every job of the pack, in the pack's order.
    inputs : tuple of InputCoverage
        The dated inputs of the jobs with the dates each holds (none read when ``as_of`` is
        None).
    """

    period: str
    as_of: date | None
    jobs: tuple[str, ...]
    inputs: tuple[InputCoverage, ...] = ()

    @property
    def missing(self) -> tuple[InputCoverage, ...]:
        """The dated inputs that hold no record up to the as-of date."""
        if self.as_of is None:
            return ()
        return tuple(i for i in self.inputs if not _covers(i, self.as_of))

    @property
    def uncovered(self) -> tuple[str, ...]:
        """The jobs with a dated input that holds no record up to the as-of date."""
        names = {i.job for i in self.missing}
        return tuple(j for j in self.jobs if j in names)

    @property
    def covered(self) -> tuple[str, ...]:
        """The jobs that can run as of the period (all of them when nothing is missing)."""
        names = {i.job for i in self.missing}
        return tuple(j for j in self.jobs if j not in names)

    @property
    def has_data(self) -> bool:
        """False when an input is missing and no job that reads dated data is covered.

        The jobs without dated inputs alone would report the same in every period, so a
        period none of whose dated inputs reaches is one without data.
        """
        if not self.missing:
            return True
        return bool({i.job for i in self.inputs} & set(self.covered))

    def problems(self) -> list[str]:
        """One line per missing input: the period, the job, the file, the dates it holds and
        the periods that would work (:func:`check_period`'s message)."""
        lines = []
        for item in self.missing:
            first_ok, last_ok = quarter_of(item.first), quarter_of(item.last)
            span = first_ok if first_ok == last_ok else f"{first_ok} to {last_ok}"
            lines.append(
                f"period {self.period} (data as of {_day(self.as_of)}): job `{item.job}` reads "
                f"{item.kind} from {item.path} (`{item.parameter}`), dated {item.text()}: "
                f"none up to {_day(self.as_of)}. Choose a period the file covers ({span}), or "
                "add that period's records to the file."
            )
        return lines

    def reasons(self) -> dict[str, str]:
        """Each uncovered job's reason, for a reader: ``{"project-delivery": "its earned-value
        status starts on 31 May 2026"}`` (the first record of each input it lacks)."""
        out: dict[str, list[str]] = {}
        for item in self.missing:
            when = f"{'in' if item.monthly else 'on'} {item.first_text()}"
            verb = "starts" if item.kind.endswith("status") else "start"
            out.setdefault(item.job, []).append(f"its {item.kind} {verb} {when}")
        return {job: " and ".join(texts) for job, texts in out.items()}

    def left_out_text(self) -> str:
        """The uncovered jobs and why, in one line ("" when none is).

        Jobs that read the same file are named together: ``staffing-baseline and
        staffing-growth (contacts only from 5 Jan 2026), project-delivery (earned-value status
        only from 31 May 2026)``.
        """
        groups: dict[tuple[str, str], list[InputCoverage]] = {}
        for item in self.missing:
            groups.setdefault((item.kind, item.path), []).append(item)
        parts = []
        for (kind, _), items in groups.items():
            names = list(dict.fromkeys(i.job for i in items))
            who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            parts.append(f"{who} ({kind} only from {items[0].first_text()})")
        return ", ".join(parts)

    def summary(self) -> pd.DataFrame:
        """One row per dated input: job, parameter, kind, path, first, last, covered."""
        keys = ("job", "parameter", "kind", "path", "first", "last")
        missing = set(self.missing)
        return pd.DataFrame(
            [{**{k: getattr(i, k) for k in keys}, "covered": i not in missing}
             for i in self.inputs],
            columns=[*keys, "covered"],
        )  # fmt: skip


def period_coverage(
    pack: Any, period: str, *, today: date | None = None, as_of: Any = None
) -> PeriodCoverage:
    """Which jobs of ``pack`` have data for ``period`` and why the others have none.

    Nothing raises for a job without data (:func:`check_period` refuses it; a backfill builds
    the period without it). ``as_of`` (a pack-wide as-of date) replaces the period's own.

    Parameters
    ----------
    pack : Pack
        The pack (its jobs, their parameters and its root folder).
    period : str
        A quarter (``2026Q1``), a month (``2026-03``) or a free folder name.
    today : date, optional
        The day of the run (default: ``CIO_ANALYTICS_TODAY`` or the clock's).
    as_of : date or str, optional
        A pack-wide as-of date.

    Returns
    -------
    PeriodCoverage
        The as-of date, the jobs covered and uncovered, and the dated inputs read.

    Raises
    ------
    ParameterValidationError
        A period that has not started yet, or an ``as_of`` that is not a date.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> found = period_coverage(SimpleNamespace(jobs=()), "2026Q1", today=date(2026, 12, 7))
    >>> found.as_of, found.uncovered, found.has_data
    (datetime.date(2026, 3, 31), (), True)
    """
    day = _as_of(period, today, as_of)
    inputs = tuple(data_coverage(pack)) if day is not None else ()
    return PeriodCoverage(period, day, tuple(j.name for j in pack.jobs), inputs)


def check_period(
    pack: Any, period: str, *, today: date | None = None, as_of: Any = None
) -> date | None:
    """The as-of date of ``period`` for ``pack``, after checking every job has data up to it.

    ``as_of`` (a pack-wide as-of date) replaces the period's own.

    Raises :class:`~.params.ParameterValidationError` (before anything runs) listing each job
    whose dated input holds no record up to the as-of date: the period, the job, the file, the
    dates it holds and the periods that would work (:meth:`PeriodCoverage.problems`).
    """
    found = period_coverage(pack, period, today=today, as_of=as_of)
    problems = found.problems()
    if problems:
        raise ParameterValidationError(problems, context=f" for period {period}")
    return found.as_of


def default_period(pack: Any, *, today: date | None = None) -> tuple[str, str]:
    """The period a run builds when none is given, and the reason in one line.

    The latest quarter the pack's dated data reaches (the quarter of its latest record), never
    after the quarter of ``today``; a pack without dated inputs: the quarter of ``today``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> default_period(SimpleNamespace(jobs=()), today=date(2027, 1, 4))[0]
    '2027Q1'
    """
    today = run_day(today)
    now = quarter_of(today)
    found = data_coverage(pack)
    if not found:
        return now, f"{now}: the current quarter (the pack reads no dated data)"
    latest = max(found, key=lambda c: c.last)
    period = min(quarter_of(latest.last), now)
    return period, (
        f"{period}: the latest quarter of the pack's data ({latest.kind} of job "
        f"`{latest.job}` run to {_day(latest.last)})"
    )
