"""Catalogue of bad inputs to the library and its case/range readers (issue 12): each row is a
clear error (class + the words its message must contain) or the correct value.

Silent wrong answers closed here: signs in case files (1), a Monte Carlo bound to another case
(2), magnitudes (4); and the arguments that are easy to swap. Known answers: the sample case's
NPV 176,764.13 (issue 12's report; 5 years at 8 %, tax 25 %), ``npv`` on Excel's NPV example
(Microsoft, "NPV function": 1,922.06 with the outlay now), Erlang C ``C(2, 3) = 4/9`` (ITU-D,
*Teletraffic Engineering Handbook*, 2005, the Erlang C formula) and 14 agents for 100 calls of
180 s per half hour at 80/20 (the same handbook's worked example form, also the docstring).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _catalogue import Case, check

from cio_analytics.exceptions import DataFileError, ParameterError
from cio_analytics.io import (
    read_case,
    read_it_spend_history,
    read_line_items,
    read_staffing_forecast,
    read_team_roster,
    read_uncertain_case,
)
from cio_analytics.risk import (
    PERT,
    LogNormal,
    Normal,
    Weibull,
    simulate_case,
    uncertainty_from_spec,
)
from cio_analytics.staffing import (
    erlang_b,
    erlang_c,
    offered_load,
    required_agents,
    staffing_requirement,
)
from cio_analytics.valuation import InvestmentCase, LineItem, fv, irr, npv, pmt

SAMPLE_CASE = "data/sample/cases/service_desk_platform.yaml"
SAMPLE_RANGES = "data/sample/uncertain_case.yaml"
SL = {"target_service_level": 0.8, "answer_time_s": 20}


def _write(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _sample_text() -> str:
    return Path(SAMPLE_CASE).read_text(encoding="utf-8")


def _case_with(tmp: Path, old: str, new: str, name: str = "case.yaml") -> str:
    text = _sample_text()
    assert old in text
    return _write(tmp, name, text.replace(old, new))


def _replanned(tmp: Path) -> str:
    """The sample case re-planned: capex 420k -> 300k, productivity 340k -> 500k, same name."""
    text = _sample_text().replace("amount: 420000", "amount: 300000")
    return _write(tmp, "replanned.yaml", text.replace("amount: 340000", "amount: 500000"))


def _ranges(tmp: Path, head: str, items: str, name: str = "ranges.yaml") -> str:
    return _write(tmp, name, f"{head}uncertainty:\n{items}")


_PLATFORM = "  Platform implementation: {distribution: pert, low: 0.9, most_likely: 1, high: 1.5}\n"
_ABSOLUTE = (
    "  Platform implementation: {distribution: pert, low: 380000, most_likely: 420000, "
    "high: 650000}\n"
)


def _notebook_path(tmp: Path) -> bool:
    """The investment notebook's library path with the re-planned case: its P10-P90 brackets
    the re-planned NPV (the sample plan's whole band lies far below it)."""
    path = _replanned(tmp)
    result = InvestmentCase.from_spec(read_case(path)).evaluate()
    ranges = uncertainty_from_spec(read_uncertain_case(SAMPLE_RANGES, case=path))
    risk = simulate_case(result.case, ranges.uncertainty, 2000, basis=ranges.basis, rng=2026)
    return bool(risk.npv_p10 < result.npv < risk.npv_p90 and risk.npv_base == result.npv)


def _line_items_csv(tmp: Path, amount: str, kind: str = "capex") -> str:
    return _write(tmp, "items.csv", f"name,kind,amount,start\nPlatform,{kind},{amount},0\n")


def _line_items_xlsx(tmp: Path) -> str:
    path = tmp / "items.xlsx"
    pd.DataFrame(
        {"name": ["SaaS"], "kind": ["licence"], "amount": [-95000], "start": [1]}
    ).to_excel(path, index=False)
    return str(path)


def _forecast(tmp: Path, calls: str) -> str:
    return _write(
        tmp, "forecast.csv",
        f"queue,interval_start,calls,handle_time_s\nDesk,2026-03-30 08:00,{calls},300\n",
    )  # fmt: skip


CASES = [
    # --- 1. signs in case files: one rule, the other sign refused (file, item, value, fix)
    Case(id="case-yaml-negative-capex", call=lambda tmp: read_case(_case_with(tmp, "amount: 420000", "amount: -420000")), error=DataFileError, words=("case.yaml", "Platform implementation", "capex", "-420000", "positive", "Enter 420000"), value=None),
    Case(id="case-yaml-negative-benefit", call=lambda tmp: read_case(_case_with(tmp, "amount: 340000", "amount: -340000")), error=DataFileError, words=("case.yaml", "Agent productivity", "benefit", "-340000", "Enter 340000"), value=None),
    Case(id="line-items-csv-negative-capex", call=lambda tmp: read_line_items(_line_items_csv(tmp, "-420000")), error=DataFileError, words=("items.csv", "row 2", "amount", "'Platform'", "-420000", "Enter 420000", "benefit"), value=None),
    Case(id="line-items-xlsx-negative-licence", call=lambda tmp: read_line_items(_line_items_xlsx(tmp)), error=DataFileError, words=("items.xlsx", "row 2", "'SaaS'", "licence", "-95000", "Enter 95000"), value=None),
    Case(id="case-file-table-negative", call=lambda tmp: read_case(_write(tmp, "c.yaml", f"name: c\ncurrency: EUR\nhorizon_years: 3\ndiscount_rate: 0.08\nline_items_file: {_line_items_csv(tmp, '-5')}\n")), error=DataFileError, words=("items.csv", "row 2", "-5", "Enter 5"), value=None),
    Case(id="line-item-negative-library", call=lambda tmp: LineItem("Build", "capex", -1000), error=ParameterError, words=("'Build'", "capex", "-1000", "Enter 1000"), value=None),
    Case(id="line-item-zero-is-allowed", call=lambda tmp: LineItem("Build", "capex", 0).amount, error=None, words=(), value=0.0),
    Case(id="sample-case-npv", call=lambda tmp: InvestmentCase.from_spec(read_case(SAMPLE_CASE)).evaluate().npv, error=None, words=(), value=176764.13059916825),
    Case(id="line-items-csv-positive", call=lambda tmp: float(read_line_items(_line_items_csv(tmp, "420000"))["amount"].iloc[0]), error=None, words=(), value=420000.0),
    # --- 2. Monte Carlo ranges follow the case in use
    Case(id="ranges-follow-replanned-case", call=_notebook_path, error=None, words=(), value=True),
    Case(id="ranges-for-absent-items", call=lambda tmp: read_uncertain_case(_ranges(tmp, "basis: factor\n", _PLATFORM + "  Cloud migration: {distribution: uniform, low: 0.5, high: 2}\n  Vendor exit: {distribution: uniform, low: 0.5, high: 2}\n"), case=SAMPLE_CASE), error=DataFileError, words=("ranges.yaml", "does not have", "'Cloud migration'", "'Vendor exit'", "Service desk platform"), value=None),
    Case(id="ranges-bound-to-other-case-file", call=lambda tmp: read_uncertain_case(_ranges(tmp, f"case_path: {SAMPLE_CASE}\nbasis: factor\n", _PLATFORM), case=_replanned(tmp)), error=DataFileError, words=("ranges.yaml", "bound to the case file", SAMPLE_CASE, "replanned.yaml", "basis: factor"), value=None),
    Case(id="ranges-bound-to-other-case-name", call=lambda tmp: read_uncertain_case(_ranges(tmp, "case_name: Identity platform\nbasis: factor\n", _PLATFORM), case=SAMPLE_CASE), error=DataFileError, words=("bound to case 'Identity platform'", "'Service desk platform'"), value=None),
    Case(id="ranges-absolute-without-case", call=lambda tmp: read_uncertain_case(_ranges(tmp, "basis: amount\n", _ABSOLUTE), case=SAMPLE_CASE), error=DataFileError, words=("basis: amount", "does not name its case", "basis: factor"), value=None),
    Case(id="ranges-absolute-for-another-plan", call=lambda tmp: read_uncertain_case(_ranges(tmp, "case_name: Service desk platform\nbasis: amount\n", _ABSOLUTE), case=_replanned(tmp)), error=DataFileError, words=("Platform implementation", "planned amount 300000", "outside", "[380000, 650000]", "basis: factor"), value=None),
    Case(id="ranges-without-basis", call=lambda tmp: read_uncertain_case(_ranges(tmp, "", _PLATFORM), case=SAMPLE_CASE), error=DataFileError, words=("`basis:`", "factor", "percent", "amount"), value=None),
    Case(id="ranges-without-any-case", call=lambda tmp: read_uncertain_case(SAMPLE_RANGES), error=DataFileError, words=("uncertain_case.yaml", "which case", "case=case_path"), value=None),
    Case(id="ranges-basis-misspelt", call=lambda tmp: read_uncertain_case(_ranges(tmp, "basis: factr\n", _PLATFORM), case=SAMPLE_CASE), error=DataFileError, words=("`basis`", "'factr'", "Did you mean 'factor'"), value=None),
    Case(id="simulate-case-absent-items", call=lambda tmp: simulate_case(InvestmentCase("x", [LineItem("Build", "capex", 1000)]), {"Buidl": PERT(1, 2, 3), "Run": PERT(1, 2, 3)}, 100, rng=1), error=ParameterError, words=("does not have", "'Buidl', 'Run'", "Did you mean 'Build'"), value=None),
    Case(id="ranges-percent-basis", call=lambda tmp: read_uncertain_case(_ranges(tmp, "basis: percent\n", "  Data migration: {distribution: pert, low: 75, most_likely: 100, high: 200}\n"), case=SAMPLE_CASE)["uncertainty"]["Data migration"]["high"], error=None, words=(), value=2.0),
    Case(id="ranges-case-given-as-model", call=lambda tmp: read_uncertain_case(SAMPLE_RANGES, case=InvestmentCase.from_spec(read_case(SAMPLE_CASE))), error=DataFileError, words=("`case`", "InvestmentCase", "case=case_path"), value=None),
    # --- 4. magnitudes: a clear error naming the bound, never inf or an artefact
    Case(id="npv-1e308-flows", call=lambda tmp: npv(0.08, [1e308] * 3), error=ParameterError, words=("`values`", "at most 1e+12", "amount of money", "1e+308"), value=None),
    Case(id="npv-overflowing-discount", call=lambda tmp: npv(-0.999999, [1.0] * 200), error=ParameterError, words=("`rate`", "-0.999999", "200 periods", "floating-point"), value=None),
    Case(id="required-agents-1e300-calls", call=lambda tmp: required_agents(1e300, 1800, 180, **SL), error=ParameterError, words=("`calls`", "at most 1e+07", "1e+300", "one interval"), value=None),
    Case(id="offered-load-1e300-handle-time", call=lambda tmp: offered_load(100, 1e301, 1e300), error=ParameterError, words=("`interval_s`", "at most 1e+09", "seconds"), value=None),
    Case(id="erlang-b-1e300-load", call=lambda tmp: erlang_b(1e300, 10), error=ParameterError, words=("`load`", "at most 1e+07", "Erlangs"), value=None),
    Case(id="erlang-c-1e300-agents", call=lambda tmp: erlang_c(10, 1e300), error=ParameterError, words=("`agents`", "at most 1e+07", "1e+300"), value=None),
    Case(id="line-item-1e300-amount", call=lambda tmp: LineItem("Build", "capex", 1e300), error=ParameterError, words=("Build: amount", "at most 1e+12", "1e+300"), value=None),
    Case(id="line-items-csv-1e300", call=lambda tmp: read_line_items(_line_items_csv(tmp, "1e300")), error=DataFileError, words=("items.csv", "row 2", "`amount`", "at most 1e+12", "'1e300'"), value=None),
    Case(id="case-yaml-horizon-1e300", call=lambda tmp: read_case(_case_with(tmp, "horizon_years: 5", "horizon_years: 1e300")), error=DataFileError, words=("case.yaml", "horizon_years", "at most 100"), value=None),
    Case(id="case-yaml-start-1e6", call=lambda tmp: read_case(_case_with(tmp, "amount: 35000, start: 1", "amount: 35000, start: 1000000")), error=DataFileError, words=("`start`", "at most 1200", "1000000"), value=None),
    Case(id="forecast-csv-1e300-calls", call=lambda tmp: read_staffing_forecast(_forecast(tmp, "1e300")), error=DataFileError, words=("forecast.csv", "row 2", "`calls`", "at most 1e+07", "'1e300'"), value=None),
    Case(id="spend-history-year-1e300", call=lambda tmp: read_it_spend_history(_write(tmp, "spend.csv", "year,it_spend,employees,revenue\n1e300,100,10,1000\n")), error=DataFileError, words=("spend.csv", "`year`", "2200 or less", "calendar year", "'1e300'"), value=None),
    Case(id="roster-headcount-1e300", call=lambda tmp: read_team_roster(_write(tmp, "roster.csv", Path("data/sample/team_roster.csv").read_text(encoding="utf-8").replace("Service desk,36,", "Service desk,1e300,"))), error=DataFileError, words=("roster.csv", "`headcount`", "at most 1e+07", "'1e300'"), value=None),
    Case(id="roster-time-to-hire-1e300", call=lambda tmp: read_team_roster(_write(tmp, "roster.csv", Path("data/sample/team_roster.csv").read_text(encoding="utf-8").replace("0.015,2,2", "0.015,1e300,2"))), error=DataFileError, words=("`time_to_hire_months`", "at most 1200", "months"), value=None),
    Case(id="irr-1e124-flows", call=lambda tmp: irr([-1.0, 3.4e124, -1.9e-184]), error=ParameterError, words=("`values`", "at most 1e+12", "3.4e+124"), value=None),
    Case(id="fv-overflowing-growth", call=lambda tmp: fv(0.99, 1200, 1.0), error=ParameterError, words=("floating-point", "`n_periods`", "decimals per period"), value=None),
    Case(id="pmt-1e300-periods", call=lambda tmp: pmt(0.05, 1e300, 1000.0), error=ParameterError, words=("`n_periods`", "at most 1200", "1e+300"), value=None),
    Case(id="normal-1e154-sd", call=lambda tmp: Normal(0, 1.3e154), error=ParameterError, words=("Normal", "at most 1e+15", "1.3e+154"), value=None),
    Case(id="lognormal-sigma-20", call=lambda tmp: LogNormal(0, 20), error=ParameterError, words=("LogNormal", "beyond floating point", "log scale", "from_interval"), value=None),
    Case(id="weibull-variance-never-negative", call=lambda tmp: Weibull(20888773635.0, 1.0).var(), error=None, words=(), value=0.0),
    # --- arguments that are easy to swap
    Case(id="required-agents-swapped-times", call=lambda tmp: required_agents(120, 300, 1800, **SL), error=ParameterError, words=("handle time 1800 s is longer than the 300 s interval: are they swapped?", "(calls, interval_s, handle_time_s)"), value=None),
    Case(id="staffing-requirement-swapped-times", call=lambda tmp: staffing_requirement(120, 300, 1800, **SL), error=ParameterError, words=("handle time 1800 s", "300 s interval", "swapped"), value=None),
    Case(id="offered-load-swapped-times", call=lambda tmp: offered_load(120, 300, 1800), error=ParameterError, words=("are they swapped?",), value=None),
    Case(id="npv-swapped-arguments", call=lambda tmp: npv([-1000, 300, 400, 500], 0.08), error=ParameterError, words=("`rate` looks like cash flows and `values` like a rate", "npv(rate, values)"), value=None),
    Case(id="npv-swapped-array", call=lambda tmp: npv(np.array([-1000.0, 600.0, 600.0]), 0.1), error=ParameterError, words=("looks like cash flows",), value=None),
    # --- the correct answers stay correct
    Case(id="required-agents-in-order", call=lambda tmp: required_agents(120, 1800, 300, **SL), error=None, words=(), value=25),
    Case(id="required-agents-known-answer", call=lambda tmp: required_agents(100, 1800, 180, **SL), error=None, words=(), value=14),
    Case(id="erlang-c-known-answer", call=lambda tmp: erlang_c(2.0, 3), error=None, words=(), value=4 / 9),
    Case(id="npv-excel-example", call=lambda tmp: round(npv(0.08, [-40000, 8000, 9200, 10000, 12000, 14500]), 2), error=None, words=(), value=1922.06),
    Case(id="npv-at-the-bound", call=lambda tmp: npv(0.0, [1e12, 1e12]), error=None, words=(), value=2e12),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_catalogue(case, tmp_path, monkeypatch):
    check(case, tmp_path)


def test_catalogue_counts():
    """The closing note's counts: every row is a clear error or a correct value, none silent."""
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) >= 30
    clear = sum(c.error is not None and len(c.words) > 0 for c in CASES)
    correct = sum(c.error is None for c in CASES)
    assert clear + correct == len(CASES)
