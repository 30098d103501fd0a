"""Catalogue of bad inputs to the readers (CSV, XLSX, YAML), issue 12: one row per case.

Each row writes its file into ``tmp_path`` and names what is called, the error class and the
words its message must hold (the value as typed, the rule or the fix), or the correct value.
Covered: misspelt optional columns (silent wrong answer 3), ambiguous dates (silent wrong
answer 5) and the unclear messages of the readers (text in a number, semicolons, decimal
commas, a folder, uncalculated formulas, the wrong sheet, a CSV named .xlsx, a year of 1e300,
the continuity option, an unreadable interval_start).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from _catalogue import Case, check

from cio_analytics.continuity import ContinuityOption
from cio_analytics.exceptions import DataFileError, DataFileWarning, ParameterError
from cio_analytics.io import (
    read_actuals,
    read_budget,
    read_case,
    read_commitments,
    read_cost_overruns,
    read_disaster_scenarios,
    read_dr_tiers,
    read_it_spend_history,
    read_line_items,
    read_offers,
    read_portfolio,
    read_portfolio_constraints,
    read_project_tasks,
    read_risk_appetite,
    read_risk_register,
    read_scoring,
    read_service_structure,
    read_sla_contract,
    read_sla_data,
    read_staffing_forecast,
    read_team_demand,
    read_team_roster,
    read_ticket_export,
    read_ticket_history,
    read_volume_forecast,
)
from cio_analytics.staffing import staffing_plan

TICKETS = "ticket_id,team,priority,opened_at,resolved_at"
T_ROW = "T1,Desk,P1,2026-01-05 08:00,2026-01-05 09:00"
FORECAST = "queue,interval_start,calls,handle_time_s"
ROSTER = (
    "team,headcount,employee_cost_per_fte_year,contractor_cost_per_fte_year,"
    "monthly_attrition,time_to_hire_months,ramp_up_months"
)
BUDGET = "month,cost_centre,category,expense_type,sourcing,amount"
SPEND = "year,it_spend,employees,revenue"


def write(tmp: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def book(tmp: Path, name: str, sheets: dict[str, list[list]]) -> Path:
    """An XLSX workbook with the given sheets (rows of cell values; '=...' is a formula that
    openpyxl stores without a calculated value, as any writer that does not calculate)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp / name
    wb.save(path)
    return path


def warned(call) -> tuple[str, ...]:
    """The DataFileWarning messages ``call`` emits (the call itself must succeed)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    return tuple(str(w.message) for w in seen if issubclass(w.category, DataFileWarning))


def iso(series) -> list[str]:
    return [f"{t:%Y-%m-%d}" for t in series]


def tickets(tmp: Path, header: str, row: str) -> Path:
    return write(tmp, "tickets.csv", f"{TICKETS},{header}", f"{T_ROW},{row}")


def history(tmp: Path, *stamps: str, **kw):
    path = write(tmp, "history.csv", "created_at", *stamps)
    return read_ticket_history(path, **kw)["created_at"]


def forecast(*stamps: str) -> pd.DataFrame:
    n = len(stamps)
    return pd.DataFrame(
        {"queue": ["Desk"] * n, "interval_start": list(stamps), "calls": [10.0] * n,
         "handle_time_s": [300.0] * n}
    )  # fmt: skip


def continuity_decision_with(option: str):
    from cio_analytics.continuity import ServiceModel, evaluate_options
    from cio_analytics.reporting.decisions import continuity_decision

    model = ServiceModel.from_spec({
        "root": "s", "outage_cost_per_h": 1000, "sla_availability": 0.99,
        "blocks": {"s": {"type": "series", "children": ["site"]}},
        "components": {"site": {"failures_per_year": 1, "mttr_h": 10}},
    })  # fmt: skip
    standby = ContinuityOption(
        "Warm standby", {"components": {"site": {"failures_per_year": 1, "mttr_h": 1}}},
        one_off_cost=1000, annual_cost=100,
    )  # fmt: skip
    comparison = evaluate_options(model, [standby], n_trials=200, rng=1)
    from cio_analytics.continuity import service_availability

    return continuity_decision(comparison, service_availability(model), option=option)


E = DataFileError
CASES = [
    # --- silent wrong answer 3: a misspelt optional column is an error, extras are named ---
    Case(
        id="tickets-reopened-coutn-csv",
        call=lambda tmp: read_ticket_export(tickets(tmp, "reopened_coutn", "2")),
        error=E,
        words=("column `reopened_coutn`", "did you mean `reopened_count`", "Rename"),
    ),
    Case(
        id="tickets-handle-times-csv",
        call=lambda tmp: read_ticket_export(tickets(tmp, "handle_times_", "12")),
        error=E,
        words=("`handle_times_`", "`handle_time_min`"),
    ),
    Case(
        id="tickets-first-contact-case-csv",
        call=lambda tmp: read_ticket_export(tickets(tmp, "First_Contact", "yes")),
        error=E,
        words=("`First_Contact`", "`first_contact`"),
    ),
    Case(
        id="tickets-reopened-coutn-xlsx",
        call=lambda tmp: read_ticket_export(
            book(
                tmp,
                "t.xlsx",
                {
                    "Tickets": [
                        [*TICKETS.split(","), "reopened_coutn"],
                        ["T1", "Desk", "P1", "2026-01-05 08:00", "2026-01-05 09:00", 2],
                    ]
                },
            )
        ),
        error=E,
        words=("t.xlsx", "`reopened_coutn`", "`reopened_count`"),
    ),
    Case(
        id="tickets-unknown-extra-column-warns",
        call=lambda tmp: (
            warned(lambda: read_ticket_export(tickets(tmp, "assignee", "bob")))[0]
            .split(": ", 1)[1]
            .split(".")[0]
        ),
        value="ignored 1 column(s) not read by a ticket export: `assignee`",
    ),
    Case(
        id="tickets-known-optional-columns-read",
        call=lambda tmp: int(
            read_ticket_export(tickets(tmp, "reopened_count,handle_time_min", "2,12"))[
                "reopened_count"
            ].sum()
        ),
        value=2,
    ),
    Case(
        id="forecast-shrinkage-typo",
        call=lambda tmp: read_staffing_forecast(
            write(tmp, "f.csv", f"{FORECAST},shrinkag", "Desk,2026-01-05 08:00,10,300,0.3")
        ),
        error=E,
        words=("`shrinkag`", "`shrinkage`"),
    ),
    Case(
        id="forecast-calls-std-typo",
        call=lambda tmp: read_staffing_forecast(
            write(tmp, "f.csv", f"{FORECAST},calls_std", "Desk,2026-01-05 08:00,10,300,2")
        ),
        error=E,
        words=("`calls_std`", "`calls_sd`"),
    ),
    Case(
        id="history-handle-time-typo",
        call=lambda tmp: read_ticket_history(
            write(tmp, "h.csv", "created_at,handle_time", "2026-01-05 08:00,300")
        ),
        error=E,
        words=("`handle_time`", "`handle_time_s`"),
    ),
    Case(
        id="demand-low-hour-typo",
        call=lambda tmp: read_team_demand(
            write(tmp, "d.csv", "team,activity,demand_hours,low_hour", "Ops,Patching,100,80")
        ),
        error=E,
        words=("`low_hour`", "`low_hours`"),
    ),
    Case(
        id="budget-unit-prize-typo",
        call=lambda tmp: read_budget(
            write(
                tmp,
                "b.csv",
                f"{BUDGET},volume,unit_prize",
                "2026-01,IT,run,opex,internal,100,10,10",
            )
        ),
        error=E,
        words=("`unit_prize`", "`unit_price`"),
    ),
    Case(
        id="commitments-descripton-typo",
        call=lambda tmp: read_commitments(
            write(tmp, "c.csv", "cost_centre,month,amount,descripton", "IT,2026-03,500,PO 12")
        ),
        error=E,
        words=("`descripton`", "`description`"),
    ),
    Case(
        id="portfolio-strategic-scor-typo",
        call=lambda tmp: read_portfolio(
            write(tmp, "p.csv", "id,npv,cost_2027,strategic_scor", "A,100,50,3")
        ),
        error=E,
        words=("`strategic_scor`", "`strategic_score`"),
    ),
    Case(
        id="portfolio-cost-family-not-unknown",
        call=lambda tmp: warned(
            lambda: read_portfolio(
                write(tmp, "p.csv", "id,npv,cost_2027,cost_2028,fte_dev", "A,100,50,10,1")
            )
        ),
        value=(),
    ),
    Case(
        id="dr-tiers-one-off-costs-typo",
        call=lambda tmp: read_dr_tiers(
            write(tmp, "t.csv", "tier,rto_h,rpo_h,annual_cost,one_off_costs", "Backup,72,24,1000,5")
        ),
        error=E,
        words=("`one_off_costs`", "`one_off_cost`"),
    ),
    Case(
        id="disasters-fixed-cost-typo",
        call=lambda tmp: read_disaster_scenarios(
            write(
                tmp,
                "s.csv",
                "scenario,events_per_year,outage_cost_per_h,data_loss_cost_per_h,fixed_cost_per_events",
                "Fire,0.01,1000,500,20",
            )
        ),
        error=E,
        words=("`fixed_cost_per_events`", "`fixed_cost_per_event`"),
    ),
    Case(
        id="line-items-escalaton-typo",
        call=lambda tmp: read_line_items(
            write(tmp, "items.csv", "name,kind,amount,escalaton", "Licence,licence,1000,0.03")
        ),
        error=E,
        words=("`escalaton`", "`escalation`"),
    ),
    Case(
        id="risk-register-mitigation-cots-typo",
        call=lambda tmp: read_risk_register(
            write(
                tmp,
                "r.csv",
                "name,probability,impact_low,impact_most_likely,impact_high,mitigation_cots",
                "Outage,0.2,100,200,400,50",
            )
        ),
        error=E,
        words=("`mitigation_cots`", "`mitigation_cost`"),
    ),
    # --- silent wrong answer 5: dates, ISO always, other formats only when one reading ---
    Case(
        id="history-day-first-settled-by-13",
        call=lambda tmp: iso(history(tmp, "04/03/2015 08:00", "13/03/2015 09:00")),
        value=["2015-03-04", "2015-03-13"],
    ),
    Case(
        id="history-ambiguous-refused",
        call=lambda tmp: history(tmp, "04/03/2015 08:00", "05/03/2015 09:00"),
        error=E,
        words=("ambiguous", "'04/03/2015 08:00'", "'05/03/2015 09:00'", "date_format"),
    ),
    Case(
        id="history-stated-month-first",
        call=lambda tmp: iso(
            history(tmp, "04/03/2015 08:00", "05/03/2015 09:00", date_format="%m/%d/%Y %H:%M")
        ),
        value=["2015-04-03", "2015-05-03"],
    ),
    Case(
        id="history-iso-always",
        call=lambda tmp: iso(history(tmp, "2015-03-04T08:00", "2015-03-13 09:00")),
        value=["2015-03-04", "2015-03-13"],
    ),
    Case(
        id="tickets-ambiguous-opened-at",
        call=lambda tmp: read_ticket_export(
            write(
                tmp,
                "t.csv",
                TICKETS,
                "T1,Desk,P1,04/03/2015 08:00,",
                "T2,Desk,P1,05/03/2015 08:00,",
            )
        ),
        error=E,
        words=("`opened_at`", "'04/03/2015 08:00'", "'05/03/2015 08:00'"),
    ),
    Case(
        id="forecast-ambiguous-interval-start",
        call=lambda tmp: read_staffing_forecast(
            write(
                tmp,
                "f.csv",
                FORECAST,
                "Desk,04/03/2015 08:00,10,300",
                "Desk,05/03/2015 08:00,10,300",
            )
        ),
        error=E,
        words=("`interval_start`", "'04/03/2015 08:00'", "'05/03/2015 08:00'"),
    ),
    Case(
        id="commitments-ambiguous-month",
        call=lambda tmp: read_commitments(
            write(tmp, "c.csv", "cost_centre,month,amount", "IT,04/03/2026,5", "IT,05/03/2026,5")
        ),
        error=E,
        words=("`month`", "'04/03/2026'", "'05/03/2026'", "date_format"),
    ),
    Case(
        id="commitments-day-first-settled",
        call=lambda tmp: [
            f"{m:%Y-%m}"
            for m in read_commitments(
                write(
                    tmp, "c.csv", "cost_centre,month,amount", "IT,04/03/2026,5", "IT,13/03/2026,5"
                )
            )["month"]
        ],
        value=["2026-03", "2026-03"],
    ),
    Case(
        id="sla-month-not-iso",
        call=lambda tmp: read_sla_data(
            write(tmp, "s.csv", "month,monthly_fee,availability", "March 2026,100,0.99")
        ),
        error=E,
        words=("`month`", "'March 2026'", "%Y-%m"),
    ),
    Case(
        id="xlsx-date-cells-read-as-dates",
        call=lambda tmp: iso(
            read_ticket_history(
                book(
                    tmp,
                    "h.xlsx",
                    {
                        "History": [
                            ["created_at"],
                            [pd.Timestamp("2015-03-04 08:00").to_pydatetime()],
                        ]
                    },
                )
            )["created_at"]
        ),
        value=["2015-03-04"],
    ),
    # --- unclear messages: each names what was typed and the fix ---
    Case(
        id="roster-n-a-in-required-number",
        call=lambda tmp: read_team_roster(
            write(tmp, "r.csv", ROSTER, "Ops,n/a,90000,150000,0.01,3,2")
        ),
        error=E,
        words=("row 2", "`headcount`", "Got 'n/a'", "plain number"),
    ),
    Case(
        id="spend-n-a-in-required-number",
        call=lambda tmp: read_it_spend_history(write(tmp, "s.csv", SPEND, "2025,1000,n/a,100")),
        error=E,
        words=("`employees`", "Got 'n/a'"),
    ),
    Case(
        id="budget-semicolons",
        call=lambda tmp: read_budget(
            write(tmp, "b.csv", BUDGET.replace(",", ";"), "2026-01;IT;run;opex;internal;1.234,56")
        ),
        error=E,
        words=("semicolons", "comma-separated CSV", "decimal point"),
    ),
    Case(
        id="budget-decimal-comma-splits-cell",
        call=lambda tmp: read_budget(
            write(tmp, "b.csv", BUDGET, "2026-01,IT,run,opex,internal,1234,56")
        ),
        error=E,
        words=("row 2", "7 cells but the header has 6", "decimal comma"),
    ),
    Case(
        id="budget-quoted-decimal-comma",
        call=lambda tmp: read_budget(
            write(tmp, "b.csv", BUDGET, '2026-01,IT,run,opex,internal,"1.234,56"')
        ),
        error=E,
        words=("`amount`", "Got '1.234,56'", "decimal point"),
    ),
    Case(
        id="folder-given-as-file",
        call=lambda tmp: read_budget(tmp),
        error=E,
        words=("`budget_path`", "is a folder, not a file"),
    ),
    Case(
        id="missing-file",
        call=lambda tmp: read_budget(tmp / "budget_2026.csv"),
        error=E,
        words=("`budget_path`", "no file at", "budget_2026.csv"),
    ),
    Case(
        id="xlsx-uncalculated-formula",
        call=lambda tmp: read_it_spend_history(
            book(
                tmp,
                "s.xlsx",
                {"Spend": [SPEND.split(","), [2025, 1000, 10, 100], [2026, "=B2*1.1", 10, 110]]},
            )
        ),
        error=E,
        words=("cell B3", "'=B2*1.1'", "uncalculated formula", "save the workbook in Excel"),
    ),
    Case(
        id="xlsx-first-sheet-not-the-table",
        call=lambda tmp: read_it_spend_history(
            book(
                tmp,
                "s.xlsx",
                {
                    "Read me": [["IT spend 2025-2026"]],
                    "Spend": [SPEND.split(","), [2025, 1000, 10, 100]],
                },
            )
        ),
        error=E,
        words=("sheet 'Read me'", "Sheet 'Spend' holds the table", "sheet='Spend'"),
    ),
    Case(
        id="xlsx-sheet-by-name",
        call=lambda tmp: int(
            read_it_spend_history(
                book(
                    tmp,
                    "s.xlsx",
                    {"Read me": [["notes"]], "Spend": [SPEND.split(","), [2025, 1000, 10, 100]]},
                ),
                sheet="Spend",
            )["year"].iloc[0]
        ),
        value=2025,
    ),
    Case(
        id="xlsx-unknown-sheet",
        call=lambda tmp: read_budget(
            book(tmp, "b.xlsx", {"Budget": [BUDGET.split(",")]}), sheet="budget"
        ),
        error=E,
        words=("no sheet 'budget'", "'Budget'", "Did you mean 'Budget'?"),
    ),
    Case(
        id="csv-renamed-xlsx",
        call=lambda tmp: read_it_spend_history(write(tmp, "s.xlsx", SPEND, "2025,1000,10,100")),
        error=E,
        words=("s.xlsx", "text file", "Rename it to .csv"),
    ),
    Case(
        id="unsupported-suffix",
        call=lambda tmp: read_it_spend_history(write(tmp, "s.txt", SPEND, "2025,1000,10,100")),
        error=E,
        words=("'.txt'", ".csv or .xlsx"),
    ),
    Case(
        id="not-utf8",
        call=lambda tmp: read_team_demand(
            write(tmp, "d.csv", "team,activity,demand_hours", "Ops,Gestión,100", encoding="cp1252")
        ),
        error=E,
        words=("not UTF-8", "CSV UTF-8"),
    ),
    Case(
        id="year-1e300",
        call=lambda tmp: read_it_spend_history(write(tmp, "s.csv", SPEND, "1e300,1000,10,100")),
        error=E,
        words=("`year`", "2200 or less", "Got '1e300'"),
    ),
    Case(
        id="contract-year-1e300",
        call=lambda tmp: read_volume_forecast(
            write(tmp, "v.csv", "year,low,likely,high", "1e300,1,2,3")
        ),
        error=E,
        words=("`year`", "100 or less", "Got '1e300'"),
    ),
    Case(
        id="continuity-option-unknown",
        call=lambda tmp: continuity_decision_with("Warm standy"),
        error=ParameterError,
        words=("`option` 'Warm standy'", "Warm standby", "Use one of them"),
    ),
    Case(
        id="continuity-option-life-years",
        call=lambda tmp: ContinuityOption("DR", life_years="five"),
        error=ParameterError,
        words=("option 'DR'", "`life_years`", "'five'"),
    ),
    Case(
        id="staffing-plan-unparseable-interval",
        call=lambda tmp: staffing_plan(
            forecast("2026-03-30 09:00", "next monday"), target_service_level=0.8, answer_time_s=20
        ),
        error=ParameterError,
        words=("interval_start", "row 1", "'next monday'", "ISO 8601"),
    ),
    Case(
        id="staffing-plan-ambiguous-interval",
        call=lambda tmp: staffing_plan(
            forecast("04/03/2015 09:00", "04/03/2015 09:30"),
            target_service_level=0.8,
            answer_time_s=20,
        ),
        error=ParameterError,
        words=("row 0", "'04/03/2015 09:00'", "date_format"),
    ),
    # --- YAML readers ---
    Case(
        id="yaml-offers-misspelt-key",
        call=lambda tmp: read_offers(
            write(
                tmp,
                "o.yaml",
                "currency: EUR",
                "horizon_years: 5",
                "discount_rate: 0.08",
                "ofers: []",
            )
        ),
        error=E,
        words=("unknown key", "'ofers'", "Did you mean 'offers'?"),
    ),
    Case(
        id="yaml-offers-percent-rate",
        call=lambda tmp: read_offers(
            write(
                tmp, "o.yaml", "currency: EUR", "horizon_years: 5", "discount_rate: 8", "offers: []"
            )
        ),
        error=E,
        words=("`discount_rate`", "Got 8", "0.08"),
    ),
    Case(
        id="yaml-case-misspelt-key",
        call=lambda tmp: read_case(write(tmp, "c.yaml", "name: X", "discount_rat: 0.08")),
        error=E,
        words=("discount_rat", "discount_rate"),
    ),
    Case(
        id="yaml-constraints-misspelt-key",
        call=lambda tmp: read_portfolio_constraints(
            write(tmp, "k.yaml", "budget: {2027: 100}", "capacty: {dev: 2}")
        ),
        error=E,
        words=("'capacty'", "Did you mean 'capacity'?"),
    ),
    Case(
        id="yaml-service-component-misspelt",
        call=lambda tmp: read_service_structure(
            write(
                tmp,
                "s.yaml",
                "root: s",
                "blocks: {s: {type: series, children: [site]}}",
                "components: {site: {availabilty: 0.99}}",
            )
        ),
        error=E,
        words=("components.site.availabilty", "Did you mean 'availability'?"),
    ),
    Case(
        id="yaml-not-valid",
        call=lambda tmp: read_offers(write(tmp, "o.yaml", "offers: [unclosed")),
        error=E,
        words=("o.yaml", "is not valid YAML"),
    ),
    Case(
        id="actuals-xlsx-credit-note-read",
        call=lambda tmp: float(
            read_actuals(
                book(
                    tmp,
                    "a.xlsx",
                    {
                        "Actuals": [
                            BUDGET.split(","),
                            ["2026-01", "IT", "run", "opex", "internal", -12.5],
                        ]
                    },
                )
            )["amount"][0]
        ),
        value=-12.5,
    ),
    # --- more readers: YAML scoring and SLA contract, risk tables, XLSX variants ---
    Case(
        id="yaml-scoring-weights-in-percent",
        call=lambda tmp: read_scoring(
            write(
                tmp,
                "s.yaml",
                "criteria:",
                "  - {criterion: price, weight: 60, direction: lower}",
                "  - {criterion: quality, weight: 40}",
                "scores: {A: {quality: 3}}",
            )
        ),
        error=E,
        words=("weights must sum to 1", "Got 100", "0.4 for 40 %"),
    ),
    Case(
        id="yaml-scoring-misspelt-criterion-mark",
        call=lambda tmp: read_scoring(
            write(
                tmp,
                "s.yaml",
                "criteria:",
                "  - {criterion: price, weight: 0.6, direction: lower}",
                "  - {criterion: quality, weight: 0.4}",
                "scores: {A: {price: 9, qualty: 3}}",
            )
        ),
        error=E,
        words=("'qualty'", "Did you mean 'quality'?"),
    ),
    Case(
        id="yaml-sla-bands-out-of-order",
        call=lambda tmp: read_sla_contract(
            write(
                tmp,
                "c.yaml",
                "metrics:",
                "  availability: {target: 0.999, bands: [{below: 0.99, credit: 0.1},"
                " {below: 0.995, credit: 0.2}]}",
            )
        ),
        error=E,
        words=("band 2", "not ordered", "Sort the bands"),
    ),
    Case(
        id="yaml-sla-credit-in-percent",
        call=lambda tmp: read_sla_contract(
            write(
                tmp,
                "c.yaml",
                "credit_cap: 15",
                "metrics: {availability: {target: 0.999, bands: [{below: 0.999, credit: 0.05}]}}",
            )
        ),
        error=E,
        words=("`credit_cap`", "Got 15", "Write 0.15 for 15 %"),
    ),
    Case(
        id="appetite-max-probabilty-typo",
        call=lambda tmp: read_risk_appetite(
            write(tmp, "a.csv", "loss,max_probabilty", "100000,0.1")
        ),
        error=E,
        words=("missing required column `max_probability`", "max_probabilty"),
    ),
    Case(
        id="cost-overruns-completed-typo",
        call=lambda tmp: read_cost_overruns(
            write(tmp, "o.csv", "project,budget,actual_cost,complete", "ERP,100,120,2024")
        ),
        error=E,
        words=("`complete`", "`completed`"),
    ),
    Case(
        id="tasks-predecessor-typo",
        call=lambda tmp: read_project_tasks(
            write(
                tmp,
                "t.csv",
                "task,duration_low,duration_most_likely,duration_high,cost_low,cost_most_likely,"
                "cost_high,predecessor",
                "Build,1,2,3,10,20,30,",
            )
        ),
        error=E,
        words=("`predecessor`", "`predecessors`"),
    ),
    Case(
        id="forecast-xlsx-n-a-calls",
        call=lambda tmp: read_staffing_forecast(
            book(
                tmp,
                "f.xlsx",
                {"Forecast": [FORECAST.split(","), ["Desk", "2026-01-05 08:00", "n/a", 300]]},
            )
        ),
        error=E,
        words=("f.xlsx", "row 2", "`calls`", "Got 'n/a'"),
    ),
    Case(
        id="portfolio-xlsx-second-sheet",
        call=lambda tmp: read_portfolio(
            book(
                tmp,
                "p.xlsx",
                {
                    "Cover": [["Portfolio 2027"]],
                    "Projects": [["id", "npv", "cost_2027"], ["A", 100, 50]],
                },
            ),
            sheet=1,
        )["id"].tolist(),
        value=["A"],
    ),
    Case(
        id="xlsx-sheet-number-out-of-range",
        call=lambda tmp: read_portfolio(
            book(tmp, "p.xlsx", {"Projects": [["id", "npv"]]}), sheet=3
        ),
        error=E,
        words=("no sheet number 3", "'Projects'"),
    ),
    Case(
        id="roster-xlsx-attrition-percent",
        call=lambda tmp: read_team_roster(
            book(tmp, "r.xlsx", {"Roster": [ROSTER.split(","), ["Ops", 5, 90000, 150000, 2, 3, 2]]})
        ),
        error=E,
        words=("`monthly_attrition`", "Got 2", "Write 0.02 for 2 %"),
    ),
    Case(
        id="roster-months-1e300-not-wrapped",
        call=lambda tmp: read_team_roster(
            write(tmp, "r.csv", ROSTER, "Ops,5,90000,150000,0.01,1e300,2")
        ),
        error=E,
        words=("`time_to_hire_months`", "at most 1200", "Got '1e300'"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_catalogue(case: Case, tmp_path: Path) -> None:
    check(case, tmp_path)


def test_catalogue_counts():
    """The catalogue is large enough and every row is a clear error or a stated value."""
    errors = sum(c.error is not None for c in CASES)
    values = sum(c.error is None for c in CASES)
    assert len(CASES) >= 35 and errors + values == len(CASES)
    assert all(c.words for c in CASES if c.error is not None)
    assert len({c.id for c in CASES}) == len(CASES)
