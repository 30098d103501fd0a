"""Readers for risk registers, FAIR scenarios, appetite, project tasks and uncertain cases."""

from __future__ import annotations

import pandas as pd
import pytest

from cio_analytics.exceptions import DataFileError
from cio_analytics.io import (
    read_fair_scenarios,
    read_project_tasks,
    read_risk_appetite,
    read_risk_register,
    read_uncertain_case,
)
from cio_analytics.risk import (
    fair_from_spec,
    risks_from_table,
    simulate_register,
    tasks_from_table,
)

REGISTER = "data/sample/risk_register.csv"
HEADER = (
    "id,name,probability,frequency,distribution,impact_low,impact_most_likely,impact_high,"
    "mitigation_cost,mitigated_probability\n"
)


def _write(tmp_path, text, name="reg.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_sample_register_csv_and_xlsx_agree():
    csv = read_risk_register(REGISTER)
    xlsx = read_risk_register("data/sample/risk_register.xlsx")
    pd.testing.assert_frame_equal(csv, xlsx, check_dtype=False)
    risks = risks_from_table(csv)
    assert len(risks) == 11
    assert {r.basis for r in risks} == {"probability", "frequency"}
    phishing = next(r for r in risks if r.name == "Phishing incidents")
    assert phishing.frequency == 6.0 and phishing.chance(mitigated=True) == 3.0
    res = simulate_register(risks, 2_000, rng=1)
    assert res.expected_loss > 0 and len(res.mitigations) == 9


@pytest.mark.parametrize(
    ("row", "column", "match"),
    [
        ("R1,Outage,30,,pert,1,2,3,,", "probability", "write 0.3.*frequency"),
        ("R1,Outage,0.3,,pert,5,2,3,,", "impact_low", "must be below `impact_high`"),
        ("R1,Outage,0.3,,pret,1,2,3,,", "distribution", "Did you mean 'pert'"),
        ("R1,Outage,0.3,,pert,1,9,3,,", "impact_most_likely", "between low"),
        ("R1,Outage,0.3,2,pert,1,2,3,,", "frequency", "both a probability and a frequency"),
        ("R1,Outage,,,pert,1,2,3,,", "probability", "needs a probability"),
        ("R1,Outage,0.3,,pert,1,2,3,-5,", "mitigation_cost", "0 or more"),
        ("R1,Outage,0.3,,pert,1,2,TBD,,", "impact_high", "expected a number"),
        ("R1,Outage,0.3,,lognormal,0,,3,,", "impact_low", "low > 0"),
    ],
)
def test_register_errors_name_file_row_column(tmp_path, row, column, match):
    path = _write(tmp_path, HEADER + "R0,Fine,0.1,,pert,1,2,3,,\n" + row + "\n")
    with pytest.raises(DataFileError, match=match) as info:
        read_risk_register(path)
    err = info.value
    assert err.path == path and err.row == 3 and err.column == column


def test_register_missing_columns_and_duplicates(tmp_path):
    with pytest.raises(DataFileError, match="Rename the header 'impact_hgh' to 'impact_high'"):
        read_risk_register(_write(tmp_path, "name,probability,impact_low,impact_hgh\nx,0.1,1,2\n"))
    with pytest.raises(DataFileError, match="appears twice"):
        read_risk_register(
            _write(tmp_path, HEADER + "a,x,0.1,,pert,1,2,3,,\nb,x,0.1,,pert,1,2,3,,\n")
        )
    with pytest.raises(DataFileError, match="unsupported file type"):
        read_risk_register(_write(tmp_path, "x", "reg.json"))


def test_appetite_and_tasks(tmp_path):
    app = read_risk_appetite("data/sample/risk_appetite.csv")
    assert app["loss"].is_monotonic_increasing and app["max_probability"].between(0, 1).all()
    with pytest.raises(DataFileError, match=r"Write 0\.1 for 10 %") as info:
        read_risk_appetite(_write(tmp_path, "loss,max_probability\n1000,10\n", "a.csv"))
    assert info.value.row == 2 and info.value.column == "max_probability"
    tasks = tasks_from_table(read_project_tasks("data/sample/project_tasks.csv"))
    assert tasks[6].predecessors == ("Configuration", "Integrations", "Data migration")
    bad = ("task,duration_low,duration_most_likely,duration_high,cost_low,cost_most_likely,"
           "cost_high,predecessors\nA,5,3,9,1,2,3,\n")  # fmt: skip
    with pytest.raises(DataFileError, match=r"must be below `duration_high`|between low") as info:
        read_project_tasks(_write(tmp_path, bad, "t.csv"))
    assert info.value.row == 2


def test_fair_yaml(tmp_path):
    spec = read_fair_scenarios("data/sample/fair_scenarios.yaml")
    pairs = fair_from_spec(spec)
    assert [s.route for s, _ in pairs] == ["capability", "vulnerability"]
    assert pairs[0][1][0].annual_cost == 120_000
    cases = {
        "threat_event_frequncy: 2": "Did you mean 'threat_event_frequency'",
        "vulnerability: 30": "Write 0.3 for 30 %",
        "primary_loss: {distribution: pert, low: 5, most_likely: 2, high: 9}": "between low and high",
        "primary_loss: {distribution: gamma, low: 1, high: 2}": "unknown distribution 'gamma'",
        "primary_loss: {distribution: pert, low: 9, most_likely: 9, high: 2}": "must be below high",
    }
    for line, match in cases.items():
        path = _write(tmp_path, f"currency: EUR\nscenarios:\n  - name: s\n    {line}\n", "f.yaml")
        with pytest.raises(DataFileError, match=match):
            read_fair_scenarios(path)


def test_uncertain_case_yaml(tmp_path):
    spec = read_uncertain_case(
        "data/sample/uncertain_case.yaml", case="data/sample/cases/service_desk_platform.yaml"
    )
    assert spec["uncertainty"]["Legacy tool retired"]["distribution"] == "uniform"
    path = _write(
        tmp_path,
        "case_path: data/sample/cases/service_desk_platform.yaml\nbasis: amount\nuncertainty:\n"
        "  Platform implementaton: {distribution: pert, low: 1, most_likely: 2, high: 3}\n",
        "u.yaml",
    )
    with pytest.raises(DataFileError, match="Did you mean 'Platform implementation'"):
        read_uncertain_case(path)
