"""The run history (issue 15): append a pack's figures, read 8 quarters back.

Target: each under 100 ms. A "pack" here is the shape of the quarterly pack: 11 reports with
25 recorded figures each (275 rows), like ``reports/2026Q4/manifest.json``. No peer: DuckDB
is the store; the figure printed is ours against the target.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import median_time

from cio_analytics.pipeline.history import figure_changes, read_history, record_run

TARGET_S = 0.100


def _manifest(period: str, n_jobs: int = 11, n_figures: int = 25, start: str = "") -> dict:
    jobs = []
    for j in range(n_jobs):
        records = {"decision": {"value": "Proceed", "label": "Decision"}}
        records.update(
            {f"figure_{k}": {"value": 1000.0 * j + k, "label": f"Figure {k}", "unit": "EUR"}
             for k in range(n_figures - 1)}
        )  # fmt: skip
        jobs.append({"name": f"job-{j}", "title": f"Report {j}", "status": "ok",
                     "inputs": {}, "records": records})  # fmt: skip
    return {"pack": {"name": "quarterly", "title": "Quarterly"}, "period": period,
            "start": start or f"{period}-start", "end": "", "git": {}, "jobs": jobs}  # fmt: skip


def main() -> None:
    periods = [f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "history.duckdb"
        for period in periods[:-1]:
            record_run(_manifest(period), history=store)
        counter = iter(range(10_000))

        def append() -> None:  # a new run of the last period each time (a re-run)
            record_run(_manifest(periods[-1], start=f"run-{next(counter)}"), history=store)

        t_append = median_time(append, repeats=7)
        t_read = median_time(lambda: read_history(store, pack="quarterly"), repeats=7)
        t_changes = median_time(
            lambda: figure_changes(store, pack="quarterly", period=periods[-1]), repeats=7
        )
        n_rows = len(read_history(store))
    print(f"history store: {len(periods)} quarters x 11 reports x 25 figures = {n_rows} rows")
    print(f"{'operation':<44}{'ours (ms)':>10}{'target (ms)':>13}{'ratio':>8}")
    for name, t in [
        ("append one pack's figures (one transaction)", t_append),
        ("read 8 quarters of history (DataFrame)", t_read),
        ("changes + trend lines for the index", t_changes),
    ]:
        print(f"{name:<44}{t * 1000:>10.1f}{TARGET_S * 1000:>13.0f}{t / TARGET_S:>8.2f}")


if __name__ == "__main__":
    main()
