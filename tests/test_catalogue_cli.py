"""Catalogue of bad command-line and notebook-parameter inputs (issue 12): one row per case.

CLI rows run ``cio_analytics.cli.main([...])`` in this process, capturing its output: a non-zero
exit raises :class:`CliExit` whose message is ``exit N: <stderr>``, so a row names the exit code
and the words the one-line error must hold; a zero exit returns what the row checks. Notebook
rows call the kernel-side ``check_parameters`` on a namespace built as papermill builds it (the
notebook's real parameters cell, then papermill's injected ``# Parameters`` cell), so they test
each shipped notebook's own schema without starting a kernel; one slow test runs real papermill.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat
import pytest
from _catalogue import Case, check

from cio_analytics.cli import main
from cio_analytics.exceptions import ParameterError
from cio_analytics.reporting.parameters import (
    ParameterValidationError,
    check_parameters,
    parameters_cell,
    parse_parameters_source,
)

ROOT = Path(__file__).resolve().parents[1]
NAP = str(ROOT / "tests" / "fixtures" / "packs" / "nap.yaml")


class CliExit(Exception):
    """The command exited non-zero; the message is ``exit N: <stderr>``."""


def cli(*argv: str) -> tuple[int, str]:
    """Run the command; return ``(0, stdout)`` or raise :class:`CliExit`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    if code:
        assert "Traceback" not in err.getvalue()
        raise CliExit(f"exit {code}: {err.getvalue()}")
    return code, out.getvalue()


def valid(*argv: str) -> tuple[int, bool]:
    code, out = cli(*argv)
    return code, "all parameters valid" in out


def _listed_case_paths() -> dict[str, str]:
    """`list quarterly`: per investment job, its case file as listed (``*`` = set by the pack
    or the job, not the notebook default): the laptops job overrides it, the other does not."""
    _, out = cli("list", "quarterly")
    found: dict[str, str] = {}
    job = None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            job = line.split()[0]
        elif line.strip().lstrip("*").startswith("case_path ") and job:
            mark = "*" if line.lstrip().startswith("*") else ""
            found[job] = mark + line.split("= ", 1)[1].split()[0]
    return {k: v for k, v in found.items() if k.startswith("investment")}


def _cell(notebook: str) -> str:
    nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    return parameters_cell(nb).source


def kernel(notebook: str, **injected) -> dict:
    """What the notebook's check cell does under ``papermill -p name value ...``."""
    source = _cell(notebook)
    ns = parse_parameters_source(source).defaults()
    ns.update(injected)
    lines = "".join(f"{k} = {v!r}\n" for k, v in injected.items())
    ns["In"] = ["", source, f"# Parameters\n{lines}", "check_parameters(globals())"]
    check_parameters(ns)
    return ns


def same_message(notebook: str, job: str, name: str, text: str, value) -> bool:
    """The kernel's problem line equals the command line's, after the CLI's job prefix."""
    try:
        cli("validate", "-p", f"{job}.{name}={text}")
    except CliExit as exc:
        cli_line = next(line for line in str(exc).splitlines() if f"`{name}`" in line)
    try:
        kernel(notebook, **{name: value})
    except ParameterValidationError as exc:
        kernel_line = exc.problems[0]
    return cli_line.split("): ", 1)[1] == kernel_line


CASES = [
    # --- cio-analytics validate: parameters named with the job, refused as run would ---------
    Case(
        id="validate-week-start-not-a-date",
        call=lambda tmp: cli("validate", "quarterly", "-p", "week_start=2026-13-45"),
        error=CliExit,
        words=("exit 2", "job `staffing-baseline`", "`week_start`", "ISO 8601", "'2026-13-45'"),
    ),
    Case(
        id="validate-capacity-fte-item-not-a-number",
        call=lambda tmp: cli("validate", "-p", "capacity_fte=[1,x]"),
        error=CliExit,
        words=("exit 2", "job `team-performance`", "`capacity_fte`", "item 2", "'x'"),
    ),
    Case(
        id="validate-discount-rate-as-percent",
        call=lambda tmp: cli("validate", "-p", "discount_rate=8"),
        error=CliExit,
        words=("`discount_rate`", "[0, 0.5]", "Got 8", "use 0.08 for 8 %"),
    ),
    Case(
        id="validate-share-as-percent",
        call=lambda tmp: cli("validate", "-p", "shrinkage=30"),
        error=CliExit,
        words=("`shrinkage`", "use 0.3 for 30 %"),
    ),
    Case(
        id="validate-without-pack-is-the-quarterly-pack",
        call=lambda tmp: valid("validate"),
        value=(0, True),
    ),
    Case(
        id="validate-good-week-start",
        call=lambda tmp: valid("validate", "-p", "week_start=2026-04-06"),
        value=(0, True),
    ),
    Case(
        id="validate-as-of-day-out-of-range",
        call=lambda tmp: cli("validate", "-p", "as_of=2026-02-30"),
        error=CliExit,
        words=("job `budget-review`", "`as_of`", "day is out of range"),
    ),
    Case(
        id="validate-misspelt-parameter",
        call=lambda tmp: cli("validate", "-p", "n_trails=500"),
        error=CliExit,
        words=("`n_trails`", "Did you mean 'n_trials'"),
    ),
    Case(
        id="validate-unknown-job",
        call=lambda tmp: cli("validate", "-p", "risk-reviw.level=0.9"),
        error=CliExit,
        words=("no job named `risk-reviw`", "Did you mean 'risk-review'"),
    ),
    Case(
        id="run-only-unknown-job",
        call=lambda tmp: cli("run", "quarterly", "--only", "investment-laptops,risk-reviw"),
        error=CliExit,
        words=("exit 2", "--only: no job named `risk-reviw`", "Did you mean 'risk-review'"),
    ),
    Case(
        id="run-only-empty",
        call=lambda tmp: cli("run", "quarterly", "--only", ","),
        error=CliExit,
        words=("exit 2", "--only needs one or more job names"),
    ),
    Case(
        id="list-pack-shows-each-jobs-values",
        call=lambda tmp: _listed_case_paths(),
        value={
            "investment-service-desk": "'data/sample/cases/service_desk_platform.yaml'",
            "investment-laptops": "*'data/sample/cases/laptops_buy.yaml'",
        },
    ),
    Case(
        id="validate-misspelt-pack",
        call=lambda tmp: cli("validate", "quartely"),
        error=CliExit,
        words=("'quartely'", "Did you mean 'quarterly'"),
    ),
    Case(
        id="validate-level-out-of-range",
        call=lambda tmp: cli("validate", "-p", "risk-review.level=1.5"),
        error=CliExit,
        words=("job `risk-review`", "`level`", "[0.5, 0.99]", "1.5"),
    ),
    Case(
        id="validate-n-trials-not-an-integer",
        call=lambda tmp: cli("validate", "-p", "n_trials=12.5"),
        error=CliExit,
        words=("`n_trials`", "integer", "12.5"),
    ),
    Case(
        id="validate-seed-text",
        call=lambda tmp: cli("validate", "-p", "seed=abc"),
        error=CliExit,
        words=("`seed`", "integer", "'abc'"),
    ),
    Case(
        id="validate-missing-input-file",
        call=lambda tmp: cli("validate", "-p", "investment-laptops.case_path=data/nope.yaml"),
        error=CliExit,
        words=("job `investment-laptops`", "`case_path`", "no file at 'data/nope.yaml'"),
    ),
    Case(
        id="validate-list-of-texts-given-numbers",
        call=lambda tmp: cli("validate", "-p", "capacity_teams=[1,2]"),
        error=CliExit,
        words=("`capacity_teams`", "list of texts", "item 1"),
    ),
    Case(
        id="validate-assignment-without-value",
        call=lambda tmp: cli("validate", "-p", "n_trials"),
        error=CliExit,
        words=("-p takes name=value", "'n_trials'"),
    ),
    Case(
        id="validate-parameters-file-missing",
        call=lambda tmp: cli("validate", "-f", str(tmp / "missing.yaml")),
        error=CliExit,
        words=("-f", "missing.yaml", "cannot read it"),
    ),
    Case(
        id="validate-parameters-file-date-kept-as-iso",
        call=lambda tmp: (
            (tmp / "p.yaml").write_text("week_start: 2026-04-06\n"),
            valid("validate", "-f", str(tmp / "p.yaml")),
        )[1],
        value=(0, True),
    ),
    # --- cio-analytics run: refused before anything runs, with its exit code -----------------
    Case(
        id="run-out-is-an-existing-file",
        call=lambda tmp: (
            (tmp / "out.txt").write_text("x"),
            cli("run", NAP, "--out", str(tmp / "out.txt")),
        ),
        error=CliExit,
        words=("exit 3", "is a file, not a folder", "--out"),
    ),
    Case(
        id="run-pack-and-manifest-both",
        call=lambda tmp: cli("run", "quarterly", "--from-manifest", "m.json"),
        error=CliExit,
        words=("exit 2", "either a PACK or --from-manifest"),
    ),
    Case(
        id="run-jobs-zero",
        call=lambda tmp: cli("run", NAP, "--jobs", "0", "--out", str(tmp)),
        error=CliExit,
        words=("exit 2", "--jobs must be 1 or more", "Got 0"),
    ),
    Case(
        id="run-period-with-a-slash",
        call=lambda tmp: cli("run", NAP, "--period", "2026/Q4", "--out", str(tmp)),
        error=CliExit,
        words=("exit 2", "`period`", "'2026/Q4'"),
    ),
    Case(
        id="run-misspelt-parameter-runs-nothing",
        call=lambda tmp: cli("run", NAP, "-p", "sleep=1", "--out", str(tmp)),
        error=CliExit,
        words=("exit 2", "`sleep`", "Did you mean 'sleep_s'", "nothing was run or written"),
    ),
    # --- the check cell of every notebook: same schema, same messages as the command line ----
    Case(
        id="notebook-investment-misspelt-discount-rate",
        call=lambda tmp: kernel("investment_case", discount_rat=0.12),
        error=ParameterValidationError,
        words=("`discount_rat` is not a parameter", "Did you mean 'discount_rate'"),
    ),
    Case(
        id="notebook-investment-rate-as-percent",
        call=lambda tmp: kernel("investment_case", discount_rate=8),
        error=ParameterValidationError,
        words=("`discount_rate`", "use 0.08 for 8 %"),
    ),
    Case(
        id="notebook-staffing-week-start-not-a-date",
        call=lambda tmp: kernel("service_desk_staffing", week_start="2026-13-45"),
        error=ParameterValidationError,
        words=("`week_start`", "ISO 8601", "'2026-13-45'"),
    ),
    Case(
        id="notebook-team-capacity-fte-item",
        call=lambda tmp: kernel("team_performance", capacity_fte=[1, "x"]),
        error=ParameterValidationError,
        words=("`capacity_fte`", "item 2", "'x'"),
    ),
    Case(
        id="notebook-continuity-too-few-trials",
        call=lambda tmp: kernel("service_continuity", n_trials=10),
        error=ParameterValidationError,
        words=("`n_trials`", "[1000, 1000000]", "Got 10"),
    ),
    Case(
        id="notebook-continuity-misspelt-option",
        call=lambda tmp: kernel("service_continuity", optoin="active-passive"),
        error=ParameterValidationError,
        words=("`optoin` is not a parameter", "Did you mean 'option'"),
    ),
    Case(
        id="notebook-risk-level-as-text",
        call=lambda tmp: kernel("risk_review", level="high"),
        error=ParameterValidationError,
        words=("`level`", "must be a number", "'high'"),
    ),
    Case(
        id="notebook-budget-missing-file",
        call=lambda tmp: kernel("budget_review", budget_path="data/none.csv"),
        error=ParameterValidationError,
        words=("`budget_path`", "no file at 'data/none.csv'"),
    ),
    Case(
        id="notebook-sourcing-two-problems-in-one-message",
        call=lambda tmp: kernel("sourcing_decision", n_trails=10, shrinkage=0.9),
        error=ParameterValidationError,
        words=("2 problem(s)", "`n_trails`", "`shrinkage`"),
    ),
    Case(
        id="notebook-portfolio-values-coerced-to-declared-types",
        call=lambda tmp: (lambda ns: (ns["n_trials"], type(ns["budget_step"]).__name__))(
            kernel("portfolio_review", n_trials=5000.0, budget_step=300000)
        ),
        value=(5000, "float"),
    ),
    Case(
        id="notebook-defaults-pass",
        call=lambda tmp: sorted(kernel("investment_case"))[:2],
        value=["In", "adjustments"],  # sorted: the scenario adjustments come first
    ),
    Case(
        id="notebook-check-without-the-parameters-cell",
        call=lambda tmp: check_parameters({"x": 1}),
        error=ParameterError,
        words=(
            "has not run the notebook's parameters cell",
            "run the notebook from its first cell",
        ),
    ),
    Case(
        id="notebook-and-cli-give-the-same-message",
        call=lambda tmp: same_message("risk_review", "risk-review", "level", "1.5", 1.5),
        value=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_catalogue(case, tmp_path):
    check(case, tmp_path)


def test_catalogue_counts():
    """Issue 12's closing note quotes these counts: at least 20 rows, every one a clear error
    (class and words) or a correct value; none silent."""
    errors = [c for c in CASES if c.error is not None]
    values = [c for c in CASES if c.error is None]
    assert len(CASES) >= 20 and len({c.id for c in CASES}) == len(CASES)
    assert all(c.words for c in errors) and all(c.value is not None for c in values)


@pytest.mark.slow
def test_papermill_refuses_a_misspelt_parameter(tmp_path):
    """Plain papermill (no pack runner) with a misspelt name: the check cell stops the notebook
    before any work, with the command line's message."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "investment_case.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"discount_rat": 0.12},
            kernel_name="python3",
            cwd=str(ROOT),
            progress_bar=False,
        )
    assert info.value.ename == "ParameterValidationError"
    assert "`discount_rat` is not a parameter" in info.value.evalue
    assert "Did you mean 'discount_rate'" in info.value.evalue
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    ran = [c for c in nb.cells if c.cell_type == "code" and c.get("execution_count")]
    assert ran[-1].get("id") == "check-parameters"  # nothing after the check ran


def test_output_into_a_closed_pipe_is_not_a_traceback():
    """`cio-analytics list quarterly | head -1`: the reader has left; the command stops with
    141 (128 + SIGPIPE) and no traceback. The pipe's reading end is closed before the command
    writes, so every write fails (a live reader would let 64 KB through unnoticed)."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cio_analytics.cli", "list", "quarterly"],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 141
