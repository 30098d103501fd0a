"""The sample data describe one company: the figures two files (or two reports) share agree.

``data/sample/README.md`` tells the story. The data tests read the files only (a second or
two); the last test reads the records of the session's quarterly pack (tests/conftest.py) and
ties the figures the reports share. Record names are stable; record labels and table headings
are not relied upon (rows are found by their content, e.g. a project id).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cio_analytics.io import (
    read_actuals,
    read_budget,
    read_case,
    read_disaster_scenarios,
    read_evm_status,
    read_portfolio,
    read_project_register,
    read_project_tasks,
    read_risk_register,
    read_service_structure,
    read_sla_data,
    read_staffing_forecast,
    read_team_roster,
    read_ticket_history,
    read_uncertain_case,
    read_volume_forecast,
)
from cio_analytics.reporting.record import read_records, read_tables
from cio_analytics.risk import simulate_case, uncertainty_from_spec
from cio_analytics.valuation import InvestmentCase

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "data/sample"
CASE = f"{SAMPLE}/cases/service_desk_platform.yaml"
DESK = "Service desk"
PLATFORM = "WRK04"
WEEKS_PER_YEAR = 52


def _defaults(notebook: str) -> dict[str, object]:
    """The literal defaults of a report notebook's ``parameters`` cell (read, never run)."""
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    out = {}
    for node in ast.parse("".join(cell["source"])).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            out[node.target.id] = ast.literal_eval(node.value)
    return out


def _desk_week() -> pd.DataFrame:
    forecast = read_staffing_forecast(f"{SAMPLE}/staffing_forecast.csv")
    return forecast[forecast["queue"] == DESK]


def _roster() -> pd.Series:
    return read_team_roster(f"{SAMPLE}/team_roster.csv").loc[DESK]


def _case_one_offs() -> dict[str, float]:
    items = read_case(CASE).line_items.set_index("name")
    one_off = items[items["kind"].isin(["capex", "opex_one_off"])]
    return one_off["amount"].astype(float).to_dict()


# --- the service desk: staffing, sourcing, budget ------------------------------------------------


def test_sourcing_prices_the_desk_staffing_sizes():
    """Year 1 of the tender's volume forecast is the staffing week's contacts x 52 (+ up to 5 %
    growth to 2027), and the staffing report's +15 % scenario lies inside year 1's range."""
    week = _desk_week()
    annual = week["calls"].sum() * WEEKS_PER_YEAR
    year1 = read_volume_forecast(f"{SAMPLE}/sourcing/volume_forecast.csv").iloc[0]
    assert 1.0 <= year1["likely"] / annual <= 1.05
    assert year1["low"] <= annual <= year1["likely"] <= annual * 1.15 <= year1["high"]
    # the forecast week is the history's level: same handle time, same weekly volume (+/- 10 %)
    history = read_ticket_history(f"{SAMPLE}/ticket_history.csv")
    desk = history[history["queue"] == DESK]
    weekly = desk.groupby(desk["created_at"].dt.to_period("W")).size()
    assert week["calls"].sum() == pytest.approx(weekly.tail(4).mean(), rel=0.10)
    assert week["handle_time_s"].mean() == pytest.approx(desk["handle_time_s"].mean(), rel=0.02)


def test_sourcing_in_house_option_is_the_staffing_model():
    """The in-house desk that sourcing prices has the staffing report's service target, shrinkage
    and the roster's cost per FTE (the notebooks' defaults, read from their parameters cell)."""
    staffing, sourcing = (_defaults(n) for n in ("service_desk_staffing.ipynb",
                                                 "sourcing_decision.ipynb"))  # fmt: skip
    for name in ("target_service_level", "answer_time_s", "shrinkage"):
        assert sourcing[name] == staffing[name], name
    assert sourcing["cost_per_fte_year"] == _roster()["employee_cost_per_fte_year"]
    assert sourcing["staffing_forecast_path"] == f"{SAMPLE}/staffing_forecast.csv"
    assert staffing["roster_path"] == f"{SAMPLE}/team_roster.csv" and staffing["team"] == DESK


def test_budget_holds_the_desk_and_its_provider():
    """Budget: the roster's headcount at the roster's cost; the current provider's fee as the SLA
    file bills it, budget and actuals month by month."""
    budget = read_budget(f"{SAMPLE}/budget.csv")
    actuals = read_actuals(f"{SAMPLE}/actuals.csv")
    roster = _roster()
    staff = budget[budget["line"] == "Service desk staff"]
    assert (staff["volume"] == roster["headcount"]).all()
    assert staff["amount"].sum() == pytest.approx(
        roster["headcount"] * roster["employee_cost_per_fte_year"]
    )
    sla = read_sla_data(f"{SAMPLE}/sourcing/sla_monthly.csv")
    fee = sla.assign(month=sla["month"].dt.to_timestamp()).set_index("month")["monthly_fee"]
    provider = "Service desk provider (Vendor C)"
    paid = actuals[actuals["line"] == provider].set_index("month")["amount"]
    assert len(paid) == 9
    pd.testing.assert_series_equal(paid, fee.reindex(paid.index), check_names=False)
    planned = budget[budget["line"] == provider]["amount"]
    assert len(planned) == 12 and (planned == fee.iloc[-1]).all()


# --- the service desk platform: case, portfolio, delivery, budget --------------------------------


def test_platform_costs_the_same_everywhere():
    """The case's one-off costs = the task plan's most likely costs = the register's BAC = the
    EVM's BAC = the portfolio's cost; the case's items are the plan's tasks."""
    one_offs = _case_one_offs()
    tasks = read_project_tasks(f"{SAMPLE}/project_tasks.csv").set_index("task")["cost_most_likely"]
    register = read_project_register(f"{SAMPLE}/projects/register.yaml").projects.set_index("id")
    portfolio = read_portfolio(f"{SAMPLE}/portfolio.csv").set_index("id")
    status = read_evm_status(f"{SAMPLE}/projects/evm_status.csv")
    total = sum(one_offs.values())
    assert tasks.sum() == total == register.loc[PLATFORM, "budget_at_completion"]
    cost = portfolio.loc[PLATFORM, [c for c in portfolio.columns if c.startswith("cost_")]]
    assert cost.sum() == total
    assert (status.loc[status["project"] == PLATFORM, "budget_at_completion"] == total).all()
    assert one_offs["Data migration"] == tasks["Data migration"]
    assert one_offs["Agent training"] == tasks["Training"]
    assert register.loc[PLATFORM, "name"] == portfolio.loc[PLATFORM, "name"] == read_case(CASE).name


def test_platform_value_in_the_portfolio_is_the_case_simulation():
    """The portfolio's expected NPV of the platform is the case's Monte Carlo mean (within 10 % of
    the range), its range covers the case's P10-P90 and the plan's NPV; it is kept as committed."""
    spec = uncertainty_from_spec(read_uncertain_case(f"{SAMPLE}/uncertain_case.yaml", case=CASE))
    sim = simulate_case(spec.case, spec.uncertainty, 4_000, basis=spec.basis, rng=2026)
    plan = InvestmentCase.from_spec(read_case(CASE)).evaluate().npv
    row = read_portfolio(f"{SAMPLE}/portfolio.csv").set_index("id").loc[PLATFORM]
    width = row["npv_high"] - row["npv_low"]
    assert row["npv"] == pytest.approx(sim.npv_mean, abs=0.1 * width)
    assert row["npv_low"] < sim.npv_p10 < sim.npv_p90 < row["npv_high"]
    assert row["npv_low"] < plan < row["npv_high"]
    assert bool(row["mandatory"]) and row["mandatory_reason"] == "in delivery"


def test_budget_holds_the_platform_spend_of_the_earned_value_status():
    """The budget's platform line is the EVM planned value by month; its actuals are the EVM
    actual cost by month (cumulated at each status date)."""
    budget = read_budget(f"{SAMPLE}/budget.csv")
    actuals = read_actuals(f"{SAMPLE}/actuals.csv")
    status = read_evm_status(f"{SAMPLE}/projects/evm_status.csv")
    evm = status[status["project"] == PLATFORM].set_index("period")
    month = evm.index.to_period("M").to_timestamp()
    planned = budget[budget["line"] == "Service desk platform"].set_index("month")["amount"]
    np.testing.assert_allclose(planned.cumsum().reindex(month), evm["planned_value"])
    spent = actuals[actuals["line"] == "Service desk platform"].set_index("month")["amount"]
    closed = month <= spent.index.max()
    np.testing.assert_allclose(spent.cumsum().reindex(month[closed]), evm["actual_cost"][closed])
    assert planned.sum() <= evm["budget_at_completion"].iloc[-1]


# --- systems: risk register and continuity -------------------------------------------------------


def test_register_system_risks_are_continuity_events():
    """Every continuity disaster scenario is a register risk of the same name and annual rate;
    the data centre outage is the `site` component (rate, restore time x outage cost per hour),
    and its mitigation is the continuity option that changes the site."""
    register = read_risk_register(f"{SAMPLE}/risk_register.csv").set_index("name")
    scenarios = read_disaster_scenarios(f"{SAMPLE}/continuity/disaster_scenarios.csv")
    service = read_service_structure(f"{SAMPLE}/continuity/online_ordering.yaml")
    for s in scenarios.itertuples():
        assert s.scenario in register.index, s.scenario
        assert register.loc[s.scenario, "probability"] == s.events_per_year, s.scenario
    hourly = scenarios["outage_cost_per_h"]
    assert np.allclose(hourly, np.mean(service["outage_cost_per_h"]), rtol=0.01)
    outage = register.loc["Data centre outage"]
    site = service["components"]["site"]
    assert outage["probability"] == site["failures_per_year"]
    rate = float(hourly.iloc[0])
    impact = [outage[f"impact_{k}"] for k in ("low", "most_likely", "high")]
    assert impact == [rate * site["restore_h"][k] for k in ("low", "most_likely", "high")]
    option = next(o for o in service["options"] if o["name"] == outage["mitigation"])
    after = option["changes"]["components"]["site"]["restore_h"]
    mitigated = [outage[f"mitigated_impact_{k}"] for k in ("low", "most_likely", "high")]
    assert mitigated == [rate * after[k] for k in ("low", "most_likely", "high")]
    annualised = option["one_off_cost"] / option["life_years"] + option["annual_cost"]
    assert outage["mitigation_cost"] == annualised


# --- the reports agree with each other -----------------------------------------------------------


def _row(table, key: str) -> list:
    """The first row of a recorded table holding the cell ``key`` (found by content)."""
    hits = [list(r) for r in table.frame.itertuples(index=False) if key in list(r)]
    assert hits, f"{key} not in table {table.name}"
    return hits[0]


@pytest.mark.slow
def test_reports_tell_one_story(quarterly_pack):
    """Across the pack's records: both staffing reports and the budget see the same 36 agents;
    the platform the investment case values is funded in the portfolio at a value inside the
    case's P10-P90 and costs in delivery what the case's one-offs cost; the risk review names
    the continuity report's disaster scenarios."""
    folder = quarterly_pack[2]

    def records(job):
        return read_records(folder / f"{job}.records.jsonl")

    def tables(job):
        return read_tables(folder / f"{job}.tables.jsonl")

    roster = _roster()
    base, growth = records("staffing-baseline"), records("staffing-growth")
    assert base["current_headcount"]["value"] == growth["current_headcount"]["value"]
    assert base["current_headcount"]["value"] == roster["headcount"]
    assert growth["fte_needed"]["value"] > base["fte_needed"]["value"]
    budget = read_budget(f"{SAMPLE}/budget.csv")
    staff = budget.loc[budget["line"] == "Service desk staff", "amount"].sum()
    cost = base["current_headcount"]["value"] * roster["employee_cost_per_fte_year"]
    assert staff == pytest.approx(cost)

    invest = records("investment-service-desk")
    funded = _row(tables("portfolio-review")["recommended_projects"], PLATFORM)
    value = read_portfolio(f"{SAMPLE}/portfolio.csv").set_index("id").loc[PLATFORM, "npv"]
    assert value in funded
    assert invest["npv_p10"]["value"] < value < invest["npv_p90"]["value"]
    one_offs = sum(_case_one_offs().values())
    assert one_offs in funded  # the portfolio's cost, all years
    delivery = _row(tables("project-delivery")["projects"], PLATFORM)
    assert one_offs in delivery  # the delivery report's budget
    assert records("project-delivery")[f"cost_p80_{PLATFORM}"]["value"] == pytest.approx(
        one_offs, rel=0.10
    )

    losses = tables("service-continuity")["disaster_losses"].frame
    risks = tables("risk-review")["by_risk"].frame
    named = {v for row in risks.itertuples(index=False) for v in row if isinstance(v, str)}
    scenarios = {v for v in losses.iloc[:, 0]}
    assert scenarios and scenarios <= named
