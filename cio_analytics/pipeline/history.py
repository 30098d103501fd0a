"""The run history: every published pack's figures in one embedded DuckDB file.

A published pack writes what its reports recorded (job, figure, label, value, unit, the
decision) and its run metadata (period, run id, git state, input hashes) into
``reports/history.duckdb``. The figures are one long table, ``(period, job, figure, value,
...)``, so a new report or figure needs no migration; the store itself carries a schema version
and migrates older files forward when it opens them.

- **One transaction per publish.** A run killed while writing leaves no partial rows: DuckDB
  commits the whole run or nothing.
- **One writer at a time.** DuckDB locks the file for a writing process; a second publish
  waits and retries until ``timeout_s`` and then stops with :class:`HistoryLockedError`,
  which names the file and what to do.
- **Every run kept.** Re-running a period adds a run and marks it ``current``; the earlier
  runs of that period stay, no longer current. A report's current figures are those of the
  latest run of its period that ran it: re-running one report (``run --only``) supersedes
  that report's figures, not the other reports' of the period.

Examples
--------
>>> import tempfile, os
>>> store = os.path.join(tempfile.mkdtemp(), "history.duckdb")
>>> manifest = {"pack": {"name": "quarterly", "title": "Quarterly"}, "period": "2026Q3",
...             "start": "2026-10-01T08:00:00+00:00", "end": "2026-10-01T08:01:00+00:00",
...             "git": {"commit": "abc", "dirty": False},
...             "jobs": [{"name": "budget-review", "title": "Budget", "status": "ok",
...                       "inputs": {}, "records": {
...                           "decision": {"value": "Adjust", "label": "Decision"},
...                           "landing_p50": {"value": 17.2e6, "label": "Landing",
...                                           "unit": "EUR", "fmt": ",.0f"}}}]}
>>> run_id = record_run(manifest, history=store)
>>> read_history(store)[["period", "job", "figure", "value", "text"]]
   period            job       figure       value    text
0  2026Q3  budget-review     decision         NaN  Adjust
1  2026Q3  budget-review  landing_p50  17200000.0    None
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from .errors import OutputError

__all__ = [
    "DEFAULT_HISTORY",
    "SCHEMA_VERSION",
    "FigureChange",
    "HistoryLockedError",
    "export_history",
    "figure_changes",
    "history_runs",
    "previous_period",
    "read_history",
    "record_run",
]

#: Where a pack's history goes unless ``--history PATH`` says otherwise (relative to ``--out``'s
#: parent folder of the period folders, i.e. ``reports/history.duckdb``).
DEFAULT_HISTORY = "history.duckdb"

#: The store's schema version; :func:`_migrate` brings an older file up to it.
SCHEMA_VERSION = 1

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, pack VARCHAR NOT NULL, pack_title VARCHAR,
        period VARCHAR NOT NULL, started VARCHAR, finished VARCHAR, recorded_at VARCHAR,
        git_commit VARCHAR, git_dirty BOOLEAN, inputs_json VARCHAR, n_jobs INTEGER,
        n_ok INTEGER, current BOOLEAN NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS figures (
        run_id VARCHAR NOT NULL, pack VARCHAR NOT NULL, period VARCHAR NOT NULL,
        job VARCHAR NOT NULL, job_title VARCHAR, status VARCHAR, figure VARCHAR NOT NULL,
        label VARCHAR, value DOUBLE, text VARCHAR, unit VARCHAR, fmt VARCHAR)""",
)

_COLUMNS = (
    "period, pack, job, job_title, figure, label, value, text, unit, fmt, status, run_id, "
    "recorded_at, current"
)


#: The (run, job) pairs whose figures are current: for each pack, period and job, the latest
#: run that recorded that job. A run of a few jobs (``--only``) leaves the others' figures as
#: they were.
_CURRENT_JOBS = (
    "(SELECT run_id, job FROM (SELECT j.run_id, j.job, row_number() OVER (PARTITION BY j.pack, "
    "j.period, j.job ORDER BY rr.recorded_at DESC, rr.started DESC, rr.rowid DESC) AS k FROM "
    "(SELECT DISTINCT run_id, pack, period, job FROM figures) j JOIN runs rr USING (run_id)) "
    "WHERE k = 1) c ON c.run_id = f.run_id AND c.job = f.job"
)


class HistoryLockedError(OutputError):
    """Another process held the history file longer than the wait allowed."""


def previous_period(period: str) -> str | None:
    """The quarter before ``period`` (``"2026Q1"`` -> ``"2025Q4"``); None for other names.

    Examples
    --------
    >>> previous_period("2026Q1"), previous_period("2026Q4"), previous_period("board-review")
    ('2025Q4', '2026Q3', None)
    """
    text = str(period)
    if len(text) == 6 and text[:4].isdigit() and text[4] == "Q" and text[5] in "1234":
        year, quarter = int(text[:4]), int(text[5])
        return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"
    return None


@contextmanager
def _connect(path: Path, *, read_only: bool, timeout_s: float) -> Iterator[Any]:
    """A DuckDB connection to ``path``, retried while another process holds its lock."""
    import duckdb

    if read_only and not path.is_file():
        raise FileNotFoundError(
            f"No run history at {path}: publish a pack first (`cio-analytics run quarterly`) "
            "or name the file with --history PATH."
        )
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                if "lock" in str(exc).lower():
                    raise HistoryLockedError(
                        f"The run history {path.name} is in use by another process (a run "
                        f"publishing at the same time) and stayed locked for {timeout_s:g} s. "
                        "The reports are published; add this run to the history later with "
                        "`cio-analytics history --add reports/<period>` or wait and rerun."
                    ) from None
                raise OutputError(f"The run history {path.name} cannot be opened: {exc}") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        yield con
    finally:
        con.close()


def _schema_version(con: Any) -> int:
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    if "meta" not in tables:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


#: ``{from_version: statements}`` that bring a store from one version to the next.
_MIGRATIONS: dict[int, tuple[str, ...]] = {0: _SCHEMA}


def _migrate(con: Any, path: Path) -> None:
    """Create or upgrade the store's tables to :data:`SCHEMA_VERSION` (inside a transaction)."""
    version = _schema_version(con)
    if version > SCHEMA_VERSION:
        raise OutputError(
            f"The run history {path.name} has schema version {version}, newer than this "
            f"cio-analytics understands ({SCHEMA_VERSION}). Upgrade cio-analytics, or point "
            "--history at another file."
        )
    while version < SCHEMA_VERSION:
        for statement in _MIGRATIONS[version]:
            con.execute(statement)
        version += 1
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])


def _run_id(manifest: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(
        json.dumps(manifest, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
    started = str(manifest.get("start") or "")[:19].replace(":", "").replace("-", "")
    return f"{manifest.get('period')}-{started}-{digest[:10]}"


def _figure_rows(run_id: str, pack: str, period: str, job: Mapping[str, Any]) -> list[tuple]:
    rows = []
    for name, entry in (job.get("records") or {}).items():
        value = entry.get("value")
        number, text = None, None
        if isinstance(value, bool):
            number, text = float(value), "Yes" if value else "No"
        elif isinstance(value, (int, float)):
            number = float(value)
        elif value is not None:
            text = str(value)
        rows.append(
            (run_id, pack, period, job["name"], job.get("title"), job.get("status"), str(name),
             entry.get("label"), number, text, entry.get("unit"), entry.get("fmt"))
        )  # fmt: skip
    return rows


def record_run(
    manifest: Mapping[str, Any] | str | Path,
    *,
    history: str | Path,
    timeout_s: float = 30.0,
) -> str:
    """Add one published run (its ``manifest.json`` or the dict) to the history; return its id.

    The run's figures and metadata are written in one transaction and the run becomes the
    current one of its pack and period. Adding the same manifest twice adds nothing.

    Parameters
    ----------
    manifest : dict or path
        The run's manifest (:func:`~cio_analytics.pipeline.manifest.build_manifest`), or the
        path of a ``manifest.json``, or of the run's folder.
    history : path
        The DuckDB file (created with its folder if missing).
    timeout_s : float, default 30
        How long to wait for another process that is writing the history.
    """
    if not isinstance(manifest, Mapping):
        source = Path(manifest)
        if source.is_dir():
            source = source / "manifest.json"
        try:
            manifest = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"{source}: not a readable run manifest ({exc}).") from None
    pack_info = manifest.get("pack") or {}
    pack, period = str(pack_info.get("name") or "pack"), str(manifest["period"])
    run_id = _run_id(manifest)
    jobs = list(manifest.get("jobs") or [])
    inputs = {
        f"{job['name']}.{name}": info.get("sha256")
        for job in jobs
        for name, info in (job.get("inputs") or {}).items()
        if isinstance(info, Mapping)
    }
    git = manifest.get("git") or {}
    rows = [row for job in jobs for row in _figure_rows(run_id, pack, period, job)]
    path = Path(history)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _connect(path, read_only=False, timeout_s=timeout_s) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            _migrate(con, path)
            known = con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if known is None:
                con.execute(
                    "UPDATE runs SET current = false WHERE pack = ? AND period = ?", [pack, period]
                )
                con.execute(
                    "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)",
                    [run_id, pack, pack_info.get("title"), period, manifest.get("start"),
                     manifest.get("end"), datetime.now(UTC).isoformat(timespec="seconds"),
                     git.get("commit"), git.get("dirty"), json.dumps(inputs, sort_keys=True),
                     len(jobs), sum(j.get("status") == "ok" for j in jobs)],
                )  # fmt: skip
                if rows:
                    _insert_figures(con, rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return run_id


_FIGURE_COLUMNS = (
    "run_id", "pack", "period", "job", "job_title", "status", "figure", "label", "value",
    "text", "unit", "fmt",
)  # fmt: skip


def _insert_figures(con: Any, rows: list[tuple]) -> None:
    """Insert the rows in one statement (a DataFrame scan; row-by-row binding is 50x slower)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(_FIGURE_COLUMNS))
    frame["value"] = frame["value"].astype(float)
    con.register("new_figures", frame)
    try:
        con.execute("INSERT INTO figures SELECT * FROM new_figures")
    finally:
        con.unregister("new_figures")


def _where(
    *, pack=None, job=None, figure=None, period_from=None, period_to=None, all_runs=False
) -> tuple[str, list[Any]]:
    clauses, args = [], []
    for column, value in (("f.pack", pack), ("f.job", job), ("f.figure", figure)):
        if value is not None:
            values = [value] if isinstance(value, str) else list(value)
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            args += values
    if period_from is not None:
        clauses.append("f.period >= ?")
        args.append(str(period_from))
    if period_to is not None:
        clauses.append("f.period <= ?")
        args.append(str(period_to))
    if not all_runs:
        clauses.append("c.run_id IS NOT NULL")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def read_history(
    history: str | Path,
    *,
    pack: str | None = None,
    job: str | list[str] | None = None,
    figure: str | list[str] | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    all_runs: bool = False,
    timeout_s: float = 30.0,
):
    """The recorded figures as a DataFrame, one row per (period, job, figure) of current runs.

    Columns: ``period, pack, job, job_title, figure, label, value, text, unit, fmt, status,
    run_id, recorded_at, current``; ``value`` holds numbers (yes/no as 1/0), ``text`` the
    decisions and other text. ``all_runs=True`` includes the superseded runs of a period.
    Sorted by period, job and the order the report recorded its figures.
    """
    where, args = _where(
        pack=pack, job=job, figure=figure, period_from=period_from, period_to=period_to,
        all_runs=all_runs,
    )  # fmt: skip
    cols = ", ".join(
        "r.recorded_at" if c == "recorded_at"
        else "(c.run_id IS NOT NULL) AS current" if c == "current"
        else f"f.{c}"
        for c in _COLUMNS.split(", ")
    )  # fmt: skip
    sql = (
        f"SELECT {cols} FROM figures f JOIN runs r USING (run_id) LEFT JOIN {_CURRENT_JOBS}{where} "
        "ORDER BY f.period, r.recorded_at, f.job, f.rowid"
    )
    with _connect(Path(history), read_only=True, timeout_s=timeout_s) as con:
        frame = con.execute(sql, args).df()
    for column in ("job_title", "label", "text", "unit", "fmt", "status"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def history_runs(history: str | Path, *, timeout_s: float = 30.0):
    """Every run in the history (current and superseded), oldest first, as a DataFrame."""
    with _connect(Path(history), read_only=True, timeout_s=timeout_s) as con:
        return con.execute(
            "SELECT period, pack, run_id, started, finished, recorded_at, git_commit, git_dirty, "
            "n_jobs, n_ok, current FROM runs ORDER BY period, recorded_at"
        ).df()


def export_history(
    history: str | Path, target: str | Path, *, format: str | None = None, **filters: Any
) -> Path:
    """Write :func:`read_history` (with its filters) to ``target`` as Parquet or CSV.

    ``format`` is ``"parquet"`` or ``"csv"``; by default it follows the file's suffix.
    """
    from ..exceptions import ParameterError

    target = Path(target)
    fmt = (format or target.suffix.lstrip(".")).lower()
    if fmt not in ("parquet", "csv"):
        raise ParameterError(
            f"`format` must be 'parquet' or 'csv' (or a target ending .parquet/.csv); got "
            f"{format or target.name!r}."
        )
    frame = read_history(history, **filters)  # noqa: F841 - read by DuckDB below by name
    import duckdb

    options = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
    con = duckdb.connect()
    try:
        con.execute(f"COPY (SELECT * FROM frame) TO '{_sql_path(target)}' {options}")
    finally:
        con.close()
    return target


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@dataclass(frozen=True)
class FigureChange:
    """One figure this period against the previous period (see :func:`figure_changes`).

    ``previous_period`` is the last period before this one in which the figure's report
    recorded figures (None when there is none: nothing to compare with); ``new`` marks a
    figure that period did not record. ``change`` is ``value - previous_value`` in the figure's unit and
    ``relative_change`` that change over ``|previous_value|`` (None from a zero). ``trend``
    holds the figure's values over ``trend_periods`` (oldest first; None where a period did
    not record it).
    """

    job: str
    figure: str
    label: str | None
    unit: str | None
    fmt: str | None
    period: str
    value: float | None
    text: str | None
    previous_period: str | None
    previous_value: float | None
    previous_text: str | None
    change: float | None
    relative_change: float | None
    flipped: bool
    moved: bool
    trend: tuple[float | None, ...]
    trend_periods: tuple[str, ...] = ()
    new: bool = False
    job_title: str | None = None


class _Row(NamedTuple):
    period: str
    job: str
    figure: str
    label: str | None
    value: float | None
    text: str | None
    unit: str | None
    fmt: str | None
    job_title: str | None


def _current_rows(current: Mapping[str, Any] | Any, pack: str, period: str) -> list[_Row]:
    """The figures of a run not yet in the history (its manifest, or its list of jobs)."""
    jobs = current.get("jobs") if isinstance(current, Mapping) else current
    where = [_FIGURE_COLUMNS.index(f) for f in _Row._fields]
    return [
        _Row(*(r[i] for i in where))
        for job in jobs or ()
        for r in _figure_rows("current", pack, period, job)
    ]


def _stored_rows(history: str | Path, pack: str, period_to: str, timeout_s: float) -> list[_Row]:
    """The current runs' figures of ``pack`` up to ``period_to``, as plain tuples (no
    DataFrame: the index needs them row by row, and pandas' rows cost ten times as much)."""
    sql = (
        f"SELECT {', '.join('f.' + c for c in _Row._fields)} FROM figures f JOIN runs r "
        f"USING (run_id) JOIN {_CURRENT_JOBS} WHERE f.pack = ? AND f.period <= ? "
        "ORDER BY f.period, r.recorded_at, f.job, f.rowid"
    )
    with _connect(Path(history), read_only=True, timeout_s=timeout_s) as con:
        return [_Row(*row) for row in con.execute(sql, [pack, str(period_to)]).fetchall()]


def figure_changes(
    history: str | Path | None,
    *,
    pack: str,
    period: str,
    threshold: float = 0.10,
    n_trend: int = 8,
    timeout_s: float = 30.0,
    current: Mapping[str, Any] | None = None,
) -> list[FigureChange]:
    """Each figure of ``period`` against the pack's previous period in the history.

    The previous period is the latest earlier period in which the figure's report recorded
    figures (the quarter before, unless it was skipped or that period ran other reports
    only). ``flipped`` marks a text figure (a decision, a
    yes/no answer) that changed; ``moved`` a number whose relative change exceeds
    ``threshold`` (0.10 = 10 %); ``new`` a figure the previous period did not record.
    ``trend`` holds the figure's values over the last ``n_trend`` periods of the pack up to
    ``period`` (oldest first; None where a period did not record it).

    Parameters
    ----------
    history : path or None
        The DuckDB file. With ``current``, a missing file (or None) is an empty history.
    pack, period : str
        The pack's name and the period whose figures are compared.
    threshold : float, default 0.10
        The relative change above which a number has ``moved`` (a decimal: 0.10 = 10 %).
    n_trend : int, default 8
        How many periods the trend holds at most (this one included).
    timeout_s : float, default 30
        How long to wait for a process writing the history.
    current : mapping, optional
        A run not yet in the history (its manifest, or ``{"jobs": [...]}``): its figures are
        this period's, in place of any run of ``period`` the history holds. The pipeline adds a
        run to the history only after publishing it, so the index compares it this way.

    Returns
    -------
    list of FigureChange
        One per figure ``period`` recorded, in the order the reports recorded them; empty when
        neither the history nor ``current`` holds ``period``.

    Examples
    --------
    >>> import tempfile, os
    >>> store = os.path.join(tempfile.mkdtemp(), "history.duckdb")
    >>> def run(period, landing):
    ...     return {"pack": {"name": "q"}, "period": period, "jobs": [{"name": "budget",
    ...             "status": "ok", "records": {"landing": {"value": landing, "unit": "EUR"}}}]}
    >>> _ = record_run(run("2026Q3", 10e6), history=store)
    >>> [c] = figure_changes(store, pack="q", period="2026Q4", current=run("2026Q4", 12e6))
    >>> c.previous_period, c.change, c.relative_change, c.moved, c.trend
    ('2026Q3', 2000000.0, 0.2, True, (10000000.0, 12000000.0))
    """
    rows: list[_Row] = []
    if history is not None and (current is None or Path(history).is_file()):
        rows = _stored_rows(history, pack, period, timeout_s)
    if current is not None:  # this run's figures stand for its period
        rows = [r for r in rows if r.period != period] + _current_rows(current, pack, period)
    periods = sorted({r.period for r in rows})
    if period not in periods:
        return []
    at = periods.index(period)
    window = tuple(periods[max(0, at - n_trend + 1) : at + 1])
    by_key: dict[tuple[str, str], dict[str, _Row]] = {}
    ran: dict[str, set[str]] = {}  # the periods each report recorded figures in
    for row in rows:
        by_key.setdefault((row.job, row.figure), {})[row.period] = row
        ran.setdefault(row.job, set()).add(row.period)
    # each report against its own last period: a period run with `--only` for other reports
    # leaves this one's figures compared with the period before, not marked new
    last = {job: max((p for p in ps if p < period), default=None) for job, ps in ran.items()}
    changes = []
    for (job, figure), found in by_key.items():
        now = found.get(period)
        if now is None:
            continue
        before = last[job]
        prev = found.get(before) if before is not None else None
        value = None if _nan(now.value) else float(now.value)
        pvalue = None if prev is None or _nan(prev.value) else float(prev.value)
        ptext = None if prev is None else prev.text
        change = rel = None
        if value is not None and pvalue is not None:
            change = value - pvalue
            rel = change / abs(pvalue) if pvalue else None
        flipped = bool(now.text is not None and ptext is not None and now.text != ptext)
        moved = now.text is None and rel is not None and abs(rel) > threshold
        trend = tuple(
            None if p not in found or _nan(found[p].value) else float(found[p].value)
            for p in window
        )
        changes.append(
            FigureChange(
                job, figure, now.label, now.unit, now.fmt, period, value, now.text, before,
                pvalue, ptext, change, rel, flipped, moved, trend, window,
                before is not None and prev is None, now.job_title,
            )
        )  # fmt: skip
    return changes


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
