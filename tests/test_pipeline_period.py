"""The period drives the data (issue 15): the as-of date of a period, the refusal of a period
without data before any kernel starts, the default period, and one real run of an earlier
period whose reports show the earlier numbers.

The dates are fixed (``today=`` or ``CIO_ANALYTICS_TODAY``), never the clock's; the data files
that decide a refusal or a default are written here, so the tests do not depend on how far the
sample data reaches.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from cio_analytics.cli import main
from cio_analytics.pipeline.pack import load_pack, select_jobs
from cio_analytics.pipeline.params import ParameterValidationError
from cio_analytics.pipeline.period import (
    TODAY_ENV,
    check_period,
    default_period,
    period_as_of,
    quarters_between,
)
from cio_analytics.pipeline.publish import run_pack, with_as_of

ROOT = Path(__file__).resolve().parents[1]


def _actuals(tmp_path: Path, months: list[str]) -> Path:
    """A copy of the sample actuals holding only ``months`` (YYYY-MM)."""
    frame = pd.read_csv(ROOT / "data" / "sample" / "actuals.csv")
    frame = frame[frame["month"].isin(["2026-01"])].copy()  # one month's lines as a template
    rows = pd.concat([frame.assign(month=m) for m in months], ignore_index=True)
    path = tmp_path / "actuals.csv"
    rows.to_csv(path, index=False)
    return path


def _budget_pack(tmp_path: Path, months: list[str]):
    path = _actuals(tmp_path, months)
    pack = load_pack("quarterly", overrides=[f"budget-review.actuals_path={path}"], root=ROOT)
    return select_jobs(pack, "budget-review"), path


def test_as_of_is_the_period_end_capped_at_the_run_day():
    """The last day of the quarter (or month); the run day while the period runs; none for a
    free folder name; a period not started yet is refused."""
    assert period_as_of("2026Q3", date(2026, 12, 7)) == date(2026, 9, 30)
    assert period_as_of("2026Q4", date(2026, 12, 7)) == date(2026, 12, 7)
    assert period_as_of("2026Q4", date(2027, 2, 1)) == date(2026, 12, 31)
    assert period_as_of("2026-02", date(2026, 12, 7)) == date(2026, 2, 28)
    assert period_as_of("board-trial", date(2026, 12, 7)) is None
    with pytest.raises(ParameterValidationError, match="2027Q1 has not started"):
        period_as_of("2027Q1", date(2026, 12, 7))
    assert quarters_between("2025Q4", "2026Q2") == ["2025Q4", "2026Q1", "2026Q2"]


def test_the_run_day_can_be_fixed_by_the_environment(monkeypatch):
    monkeypatch.setenv(TODAY_ENV, "2027-01-04")
    assert period_as_of("2026Q4") == date(2026, 12, 31)
    monkeypatch.setenv(TODAY_ENV, "4 Jan")
    with pytest.raises(ParameterValidationError, match=TODAY_ENV):
        period_as_of("2026Q4")


def test_as_of_goes_to_the_jobs_that_declare_it_unless_set():
    """Budget review gets the period's date; a job given its own as_of keeps it; a notebook
    without the parameter gets none (it is dated through the kernel's environment)."""
    pack = load_pack("quarterly", overrides=["team-performance.as_of=2026-08-31"], root=ROOT)
    jobs = {j.name: j for j in with_as_of(pack, date(2026, 9, 30)).jobs}
    assert jobs["budget-review"].parameters["as_of"] == "2026-09-30"
    assert jobs["team-performance"].parameters["as_of"] == "2026-08-31"
    assert jobs["staffing-baseline"].parameters["as_of"] == "2026-09-30"
    assert "as_of" not in jobs["risk-review"].parameters


def test_default_period_is_the_latest_quarter_of_the_data(tmp_path):
    """Data to September 2026: a run in January 2027 builds 2026Q3 (the quarter that ended
    with data), a run in August 2026 builds 2026Q3 too, one in May 2026 the running 2026Q2."""
    months = [str(m) for m in pd.period_range("2026-01", "2026-09", freq="M")]
    pack, _ = _budget_pack(tmp_path, months)
    assert default_period(pack, today=date(2027, 1, 4))[0] == "2026Q3"
    assert default_period(pack, today=date(2026, 8, 1))[0] == "2026Q3"
    period, why = default_period(pack, today=date(2026, 5, 2))
    assert period == "2026Q2" and "budget-review" in why


def test_period_without_data_is_refused_before_any_kernel(tmp_path, monkeypatch):
    """Actuals from July 2026 only: 2026Q2 is refused naming the period, the job, the file,
    the dates found and the fix; no kernel is started and no folder is written."""
    from cio_analytics.pipeline import kernel, publish

    started = []
    monkeypatch.setattr(kernel.PrivateKernel, "start", lambda self, *a, **k: started.append(1))
    monkeypatch.setattr(publish, "run_jobs", lambda *a, **k: started.append(2))
    pack, path = _budget_pack(tmp_path, ["2026-07", "2026-08", "2026-09"])
    out = tmp_path / "reports"
    with pytest.raises(ParameterValidationError) as err:
        run_pack(pack, period="2026Q2", out=out, today=date(2026, 12, 7))
    text = str(err.value)
    for part in ("2026Q2", "budget-review", str(path), "2026-07 to 2026-09", "30 Jun 2026",
                 "Choose a period the file covers (2026Q3)"):  # fmt: skip
        assert part in text, part
    assert not started and not out.exists()
    assert check_period(pack, "2026Q3", today=date(2026, 12, 7)) == date(2026, 9, 30)


def test_cli_refuses_a_period_without_data_with_exit_2(tmp_path, capsys):
    path = _actuals(tmp_path, ["2026-07"])
    code = main(["validate", "quarterly", "-p", f"budget-review.actuals_path={path}",
                 "--period", "2026Q1"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "period 2026Q1" in err and "budget-review" in err


@pytest.mark.slow
def test_an_earlier_period_reports_the_earlier_numbers(tmp_path, monkeypatch):
    """Budget review, team performance and project delivery built for 2026Q2: the figures are
    the library's on the data up to 30 Jun 2026 (not the whole files), delivery's status date
    is 30 Jun 2026 (the register's is 30 Nov 2026), and each report says so."""
    from cio_analytics.budget import budget_variance
    from cio_analytics.io import read_actuals, read_budget, read_ticket_export
    from cio_analytics.performance import ticket_metrics

    monkeypatch.setenv(TODAY_ENV, "2026-12-07")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["run", "quarterly", "--only",
                     "budget-review,team-performance,project-delivery",
                     "--period", "2026Q2", "--out", str(tmp_path), "--jobs", "2", "--no-pdf",
                     "--no-history", "-p", "budget-review.n_trials=500",
                     "-p", "team-performance.n_trials=100",
                     "-p", "project-delivery.n_trials=200"])  # fmt: skip
    assert code == 0, buf.getvalue()
    assert "Data as of 30 Jun 2026." in buf.getvalue()
    folder = tmp_path / "2026Q2"
    manifest = json.loads((folder / "manifest.json").read_text())
    records = {j["name"]: j["records"] for j in manifest["jobs"]}

    actuals = read_actuals("data/sample/actuals.csv", as_of="2026Q2")
    assert actuals["month"].max().strftime("%Y-%m") == "2026-06"
    variance = budget_variance(
        read_budget("data/sample/budget.csv"), actuals, by=("cost_centre", "line"), currency="EUR"
    )
    assert records["budget-review"]["ytd_variance"]["value"] == pytest.approx(
        variance.variance_total, rel=1e-9
    )
    everything = budget_variance(
        read_budget("data/sample/budget.csv"),
        read_actuals("data/sample/actuals.csv"),
        by=("cost_centre", "line"),
        currency="EUR",
    )
    assert everything.variance_total != pytest.approx(variance.variance_total)

    tickets = read_ticket_export("data/sample/tickets_export.csv", as_of="2026-06-30", months=12)
    metrics = ticket_metrics(tickets, as_of="2026-07-01")
    assert records["team-performance"]["n_tickets"]["value"] == metrics.n_tickets
    delivery = json.loads((folder / "project-delivery.summary.json").read_text())
    assert "status 30 Jun 2026" in delivery["title"]
    params = {j["name"]: j["parameters"] for j in manifest["jobs"]}
    assert params["project-delivery"]["as_of"] == "2026-06-30"
    for job in ("budget-review", "team-performance", "project-delivery"):
        summary = json.loads((folder / f"{job}.summary.json").read_text())
        assert summary["as_of"] == "30 Jun 2026"
        assert "Data as of 30 Jun 2026" in (folder / f"{job}.html").read_text()
    assert not list(folder.glob("*.pdf"))


@pytest.mark.slow
def test_every_report_of_the_pack_says_its_as_of_date(quarterly_pack):
    """The shared sample pack (2026Q4): each report, with or without dated inputs, shows the
    run's as-of date under its title and carries it in its summary sidecar."""
    from conftest import QUARTERLY_TODAY

    from cio_analytics.pipeline.period import period_as_of

    _, printed, folder = quarterly_pack
    day = period_as_of("2026Q4", date.fromisoformat(QUARTERLY_TODAY))
    text = f"{day.day} {day:%b %Y}"
    assert f"Data as of {text}." in printed
    manifest = json.loads((folder / "manifest.json").read_text())
    for job in manifest["jobs"]:
        summary = json.loads((folder / job["files"]["summary"]).read_text())
        assert summary["as_of"] == text, job["name"]
        assert f"Data as of {text}" in (folder / job["files"]["html"]).read_text()


def test_period_coverage_tells_the_jobs_without_data_without_raising(tmp_path):
    """Actuals from July 2026: as of 30 Jun 2026 budget-review is uncovered (and, the pack's
    only dated job, the period has no data); as of 30 Sep 2026 it is covered; a free folder
    name reads no data at all. check_period raises exactly the problems listed here."""
    from cio_analytics.pipeline.period import period_coverage

    pack, path = _budget_pack(tmp_path, ["2026-07", "2026-08", "2026-09"])
    before = period_coverage(pack, "2026Q2", today=date(2026, 12, 7))
    assert before.as_of == date(2026, 6, 30)
    assert before.uncovered == ("budget-review",) and before.covered == ()
    assert not before.has_data
    assert before.left_out_text() == "budget-review (actuals only from Jul 2026)"
    table = before.summary()
    assert list(table["job"]) == ["budget-review"] and not table["covered"].any()
    with pytest.raises(ParameterValidationError) as err:
        check_period(pack, "2026Q2", today=date(2026, 12, 7))
    assert err.value.problems == before.problems() and str(path) in before.problems()[0]

    after = period_coverage(pack, "2026Q3", today=date(2026, 12, 7))
    assert after.uncovered == () and after.has_data and after.left_out_text() == ""
    assert after.summary()["covered"].all()
    free = period_coverage(pack, "board-trial", today=date(2026, 12, 7))
    assert free.as_of is None and free.inputs == () and free.covered == ("budget-review",)
