"""Named scenarios side by side (issue 14): the scenarios file, its checks, the runs and the
comparison report.

The comparison's figures are tested against direct library calls with the same adjustments and
seed; common random numbers against a second run of the base; a change of the discount rate
alone against the closed form of the NPV (Brealey, Myers & Allen, *Principles of Corporate
Finance*, 13th ed., ch. 2: NPV = sum_t C_t / (1 + r)^t, so at fixed cash flows the change is
sum_t C_t ((1 + r1)^-t - (1 + r0)^-t)).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from cio_analytics.io import read_case, read_uncertain_case
from cio_analytics.pipeline.pack import load_pack, select_jobs
from cio_analytics.pipeline.params import ParameterValidationError
from cio_analytics.pipeline.scenarios import load_scenarios, plan_scenarios, run_scenarios
from cio_analytics.reporting.explore import write_scenario
from cio_analytics.reporting.formatting import format_money
from cio_analytics.reporting.record import read_outcomes
from cio_analytics.reporting.scenarios import changes_text, compare_scenarios
from cio_analytics.risk import simulate_case, uncertainty_from_spec
from cio_analytics.valuation import InvestmentCase, adjust_case

ROOT = Path(__file__).resolve().parents[1]
CASE = "data/sample/cases/service_desk_platform.yaml"
UNC = "data/sample/uncertain_case.yaml"
JOB = "investment-service-desk"
N_TRIALS = 1500
SEED = 2026
VARIANTS = {
    "pessimistic": {"benefits": "-20 %", "capex": "+15 %"},
    "higher rate": {"discount_rate": 0.10},
    "longer life": {"horizon_years": 7, "SaaS subscription": "-10 %"},
    "same again": {"min_probability_positive": 0.6},  # changes no figure: the base run again
}


def _pack(n_trials: int = N_TRIALS):
    return load_pack("quarterly", overrides=[f"{JOB}.n_trials={n_trials}"], root=ROOT)


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _direct(adjustments=None, discount_rate=None, n_trials=N_TRIALS):
    """What the investment report computes, called directly on the library."""
    case = adjust_case(InvestmentCase.from_spec(read_case(ROOT / CASE)), adjustments or {})
    result = case.evaluate(discount_rate=discount_rate)
    ranges = uncertainty_from_spec(read_uncertain_case(ROOT / UNC, case=ROOT / CASE))
    risk = simulate_case(result.case, ranges.uncertainty, n_trials, basis=ranges.basis, rng=SEED)
    return result, risk


# ------------------------------------------------------------------------- the file and its checks
def test_load_scenarios_lists_every_problem_of_the_form(tmp_path):
    path = _write(
        tmp_path / "bad.yaml",
        {"jobz": [JOB], "variants": {"base": {"benefits": "-5 %"}, "ok": [1, 2], "fine": {}}},
    )
    with pytest.raises(ParameterValidationError) as err:
        load_scenarios(path)
    problems = err.value.problems
    assert len(problems) == 3, problems
    assert all(p.startswith("bad.yaml") for p in problems)
    assert "unknown key `jobz`" in problems[0] and "jobs" in problems[0]  # did-you-mean
    assert "not 'base'" in problems[1]
    assert "variant `ok` must be a mapping" in problems[2]


def test_load_scenarios_reads_what_the_explorer_writes(tmp_path):
    path = tmp_path / "scenarios" / "explorer.yaml"
    write_scenario(path, "pessimistic", {"benefits": "-20 %"}, job="investment_case")
    write_scenario(path, "fast", {"discount_rate": 0.1}, job="investment_case")
    scn = load_scenarios(path)
    assert scn.jobs == ("investment_case",) and scn.name == "explorer"
    assert scn.variants == {"pessimistic": {"benefits": "-20 %"}, "fast": {"discount_rate": 0.1}}


def test_plan_lists_every_problem_with_file_variant_key_value_and_fix(tmp_path):
    path = _write(
        tmp_path / "what-if.yaml",
        {
            "jobs": [JOB],
            "variants": {
                "a": {"benfits": "-20 %"},
                "b": {"discount_rate": 8},
                "c": {"n_trials": "lots"},
                "d": {"seed": 7},
                "e": {"benefits": "-20"},
                "f": {"SaaS subscriptoin": "+5 %"},
                "g": {"investment-servic-desk.n_trials": 500},
                "h": {"horizon_years": 0},
            },
        },
    )
    with pytest.raises(ParameterValidationError) as err:
        plan_scenarios(_pack(), path)
    text = str(err.value)
    expected = {
        "a": ("`benfits: -20 %`", "did you mean", "benefits"),
        "b": ("`discount_rate: 8`", "[0, 0.5]", "use 0.08 for 8 %"),
        "c": ("`n_trials: lots`", "must be an integer"),
        "d": ("`seed: 7`", "common random numbers", "under `base:`"),
        "e": ("`benefits: -20`", "relative change such as '-20 %'"),
        "f": ("`SaaS subscriptoin: +5 %`", "SaaS subscription"),
        "g": ("no job named `investment-servic-desk`", JOB),
        "h": ("`horizon_years: 0`", "whole number of years >= 1"),
    }
    for variant, fragments in expected.items():
        lines = [p for p in err.value.problems if p.startswith(f"what-if.yaml: {variant}:")]
        assert lines, (variant, text)
        for fragment in fragments:
            assert any(fragment.lower() in line.lower() for line in lines), (fragment, lines)


def test_plan_applies_relative_changes_and_finds_the_jobs(tmp_path):
    pack = _pack()
    path = _write(
        tmp_path / "s.yaml",
        {
            "base": {"n_trials": 2000},
            "variants": {"more": {"benefits": "-20 %", "n_trials": "+50 %"}},
        },
    )
    plan = plan_scenarios(pack, path)
    assert plan.jobs == ("investment-service-desk", "investment-laptops")  # both take benefits
    runs = {(r.job, r.scenario): r for r in plan.runs}
    base, more = runs[(JOB, "base")], runs[(JOB, "more")]
    assert base.parameters["n_trials"] == 2000 and base.parameters["adjustments"] == {}
    assert more.parameters["n_trials"] == 3000  # +50 % of the job's value under the base
    assert more.parameters["adjustments"] == {"benefits": "-20 %"}
    assert more.parameters["seed"] == base.parameters["seed"] == SEED
    assert [j.name for j in plan.pack.jobs][:2] == [f"{JOB}--base", f"{JOB}--more"]


def test_plan_refuses_a_change_that_fits_several_reports(tmp_path):
    path = _write(tmp_path / "s.yaml", {"variants": {"rate": {"discount_rate": 0.1}}})
    with pytest.raises(ParameterValidationError, match="jobs: \\[JOB\\]"):
        plan_scenarios(_pack(), path)


def test_adjust_case_changes_amounts_and_settings():
    """A group and a line item multiply; a new amount replaces the plan; the NPV is linear in
    the amounts, so benefits -20 % lowers it by 20 % of the benefits' after-tax present value."""
    case = InvestmentCase.from_spec(read_case(ROOT / CASE))
    new = adjust_case(
        case, {"benefits": "-20 %", "Agent productivity": "+10 %", "Data migration": 0}
    )
    amounts = {i.name: i.amount for i in new.line_items}
    assert amounts["Agent productivity"] == pytest.approx(340_000 * 0.8 * 1.1)
    assert amounts["Legacy tool retired"] == pytest.approx(70_000 * 0.8)
    assert amounts["Data migration"] == 0.0
    plan = case.evaluate()
    flows = plan.cash_flows
    pv_benefits = float((flows["benefit"] * flows["discount_factor"]).sum())
    lower = adjust_case(case, {"benefits": "-20 %"}).evaluate()
    after_tax = 1 - case.tax_rate  # benefits are taxed at the case's rate (tax credits on losses)
    assert lower.npv == pytest.approx(plan.npv - 0.2 * after_tax * pv_benefits, rel=1e-12)
    assert adjust_case(case, {}) is case


def test_changes_text_reads_as_words():
    assert changes_text({"benefits": "-20 %", "capex": "+15%", "discount_rate": 0.1}) == (
        "Benefits -20 %, capex +15 %, discount rate 10 %"
    )


# ------------------------------------------------------------------------------- the runs
@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Five runs of the investment report (the base and four variants) and their comparison."""
    tmp = tmp_path_factory.mktemp("scenarios")
    path = _write(tmp / "investment-what-if.yaml", {"jobs": [JOB], "variants": VARIANTS})
    result = run_scenarios(_pack(), path, out=tmp / "reports", period="2026Q4", n_jobs=2, pdf=False)
    return result


def test_run_publishes_its_own_folder_and_no_history(compared):
    assert compared.ok, compared.summary()
    assert compared.folder.name == "2026Q4-investment-what-if"
    out = compared.folder.parent
    assert not (out / "2026Q4").exists() and not (out / "history.duckdb").exists()
    (comparison,) = compared.comparisons
    assert comparison.name == f"{JOB}--comparison.html" and comparison.is_file()
    manifest = json.loads((compared.folder / "manifest.json").read_text())
    assert manifest["scenarios"]["variants"] == list(VARIANTS)


def test_comparison_figures_equal_direct_library_calls(compared):
    comp = compare_scenarios(compared.folder / f"{JOB}.scenarios.json")
    base_result, base_risk = _direct()
    assert list(comp.scenarios["scenario"]) == ["base", *VARIANTS]
    direct = {
        "pessimistic": _direct({"benefits": "-20 %", "capex": "+15 %"}),
        "higher rate": _direct(discount_rate=0.10),
        "longer life": _direct({"horizon_years": 7, "SaaS subscription": "-10 %"}),
    }
    page = (compared.folder / f"{JOB}--comparison.html").read_text(encoding="utf-8")
    for scenario, (result, risk) in direct.items():
        figures = {
            "npv": (result.npv, base_result.npv),
            "npv_p10": (risk.npv_p10, base_risk.npv_p10),
            "npv_p50": (risk.npv_p50, base_risk.npv_p50),
            "npv_p90": (risk.npv_p90, base_risk.npv_p90),
            "tco": (result.tco, base_result.tco),
            "probability_npv_positive": (
                1 - risk.probability_npv_negative,
                1 - base_risk.probability_npv_negative,
            ),
        }
        for name, (value, base) in figures.items():
            assert comp.value(name, scenario) == pytest.approx(value, rel=1e-12), (scenario, name)
            row = comp.figures[(comp.figures.figure == name) & (comp.figures.scenario == scenario)]
            assert row["difference"].iloc[0] == pytest.approx(value - base, rel=1e-9, abs=1e-9)
        text = format_money(result.npv - base_result.npv, "EUR", style="full", signed=True)
        assert text in page  # the difference the report shows is the library's
    verdicts = dict(zip(comp.scenarios["scenario"], comp.scenarios["verdict"], strict=True))
    assert verdicts["pessimistic"] == "Do not proceed" and verdicts["base"] == "Proceed"


def test_common_random_numbers(compared):
    """The base run twice gives the same trials; a discount rate change alone moves the planned
    NPV by the closed form and every trial by the same draws' discounting."""
    folder = compared.folder
    out = {s: read_outcomes(folder / f"{JOB}--{s.replace(' ', '-')}.outcomes.npz")["npv"]["values"]
           for s in ("base", "same again", "higher rate")}  # fmt: skip
    assert np.array_equal(out["base"], out["same again"])
    assert out["base"].size == N_TRIALS
    comp = compare_scenarios(folder / f"{JOB}.scenarios.json")
    flows = _direct()[0].cash_flows
    t, net = flows["period"].to_numpy(), flows["net"].to_numpy()
    closed = float(np.sum(net * (1.10**-t - 1.08**-t)))
    row = comp.figures[(comp.figures.figure == "npv") & (comp.figures.scenario == "higher rate")]
    assert row["difference"].iloc[0] == pytest.approx(closed, rel=1e-10)
    _, risk = _direct(discount_rate=0.10)
    assert np.allclose(out["higher rate"], risk.simulation.outputs["npv"], rtol=1e-6, atol=0.5)
    assert "Common random numbers" in comp.crn_note and f"{N_TRIALS:,} trials" in comp.crn_note


def test_index_shows_one_card_with_the_decision_per_scenario(compared):
    page = compared.index.read_text(encoding="utf-8")
    assert page.count("<article class='card'") == 1
    assert "The decision depends on the scenario." in page
    for label in ("Base", "Pessimistic", "Higher rate", "Longer life", "Same again"):
        assert f">{label}</a>" in page
    assert "Do not proceed" in page and f"{JOB}--comparison.html" in page


def test_comparison_and_index_meet_the_presentation_rules(compared, tmp_path):
    from _visible_text import browser, check_page, missing_browser

    if missing_browser():
        pytest.skip(missing_browser())
    pages = [compared.folder / f"{JOB}--comparison.html", compared.index]
    with browser() as driver:
        found = {p.name: check_page(driver, p) for p in pages}
    assert found == {p.name: [] for p in pages}, found


def test_the_explorer_written_file_runs(tmp_path):
    """Save as scenario in the investment explorer -> run --scenarios -> a comparison whose
    variant is the library's figure for those settings."""
    from cio_analytics.reporting.explore import InvestmentExplorer

    ex = InvestmentExplorer.from_files(
        case_path=ROOT / CASE, uncertainty_path=ROOT / UNC, n_trials=500, rng=SEED
    )
    values = {"case": ex.default_case, "benefits": 80, "capex": 115, "discount_rate": 10.0}
    path = write_scenario(
        tmp_path / "scenarios" / "explorer.yaml", "pessimistic", ex.overrides(values),
        job="investment_case",
    )  # fmt: skip
    pack = select_jobs(_pack(500), JOB)
    result = run_scenarios(
        pack, path, out=tmp_path / "reports", period="2026Q4", n_jobs=2, pdf=False
    )
    assert result.ok, result.summary()
    comp = compare_scenarios(result.folder / f"{JOB}.scenarios.json")
    direct, _ = _direct({"benefits": "-20 %", "capex": "+15 %"}, discount_rate=0.1, n_trials=500)
    assert comp.value("npv", "pessimistic") == pytest.approx(direct.npv, rel=1e-12)
    assert comp.value("npv", "pessimistic") == pytest.approx(
        ex.compute(benefits=0.8, capex=1.15, discount_rate=0.1).npv, rel=1e-12
    )


def test_cli_refuses_a_bad_scenarios_file_before_running(tmp_path, capsys, monkeypatch):
    from cio_analytics.cli import main

    path = _write(tmp_path / "s.yaml", {"jobs": [JOB], "variants": {"a": {"benfits": "-2 %"}}})
    monkeypatch.chdir(ROOT)
    code = main(["run", "quarterly", "--scenarios", str(path), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code != 0 and "Did you mean 'benefits'?" in err and "nothing was run" in err
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_the_staffing_explorers_file_runs(tmp_path):
    """The staffing explorer's saved volume and handle time reach the staffing report: its
    FTE under the variant is the library's staffing plan of the adjusted forecast."""
    from cio_analytics.io import read_team_roster, read_ticket_history
    from cio_analytics.reporting.explore import StaffingExplorer
    from cio_analytics.staffing import adjust_forecast, arrival_profile, staffing_plan

    history, roster = ROOT / "data/sample/ticket_history.csv", ROOT / "data/sample/team_roster.csv"
    ex = StaffingExplorer.from_files(history_path=history, roster_path=roster, rng=SEED)
    aht = round(ex.base_handle_time_s)
    values = {"growth": 20, "handle_time_s": round(aht * 1.1), "target_service_level": 80,
              "answer_time_s": 20, "shrinkage": 30}  # fmt: skip
    overrides = ex.overrides(values)
    assert set(overrides) == {"growth", "handle_time_s"}
    path = write_scenario(
        tmp_path / "explorer.yaml", "busier", overrides, job="service_desk_staffing"
    )
    job = "staffing-baseline"
    pack = select_jobs(load_pack("quarterly", overrides=[f"{job}.n_trials=100"], root=ROOT), job)
    plan = plan_scenarios(pack, path)
    (busier,) = [r for r in plan.runs if r.scenario == "busier"]
    assert busier.parameters["growth"] == 0.2
    assert busier.parameters["adjustments"] == {"handle_time_s": overrides["handle_time_s"]}
    result = run_scenarios(
        pack, plan, out=tmp_path / "reports", period="2026Q4", n_jobs=2, pdf=False
    )
    assert result.ok, result.summary()
    comp = compare_scenarios(result.folder / f"{job}.scenarios.json")
    p = busier.parameters
    manifest = json.loads((result.folder / "manifest.json").read_text())
    as_of = next(j for j in manifest["jobs"] if j["name"] == busier.name)["parameters"]["as_of"]
    contacts = read_ticket_history(history, as_of=as_of or None)  # the data as the run saw it
    profile = arrival_profile(contacts, weeks=p["history_weeks"])
    forecast = adjust_forecast(
        profile.forecast_table(p["week_start"] or profile.end, growth=0.2), p["adjustments"]
    )
    staff = read_team_roster(roster).loc[p["team"]]
    direct = staffing_plan(
        forecast, target_service_level=p["target_service_level"], answer_time_s=p["answer_time_s"],
        max_occupancy=p["max_occupancy"], shrinkage=p["shrinkage"],
        hours_per_fte_week=p["hours_per_fte"], cost_per_fte_year=staff["employee_cost_per_fte_year"],
        currency=p["currency"], percentile=p["confidence"] if "calls_sd" in forecast else None,
        n_trials=p["n_trials"], rng=p["seed"],
    )  # fmt: skip
    assert comp.value("fte_needed", "busier") == pytest.approx(direct.total_fte, rel=1e-12)
    assert comp.value("fte_needed", "busier") > comp.value("fte_needed", "base")


def test_the_risk_explorers_file_runs(tmp_path):
    """The risk explorer's saved likelihood, loss size and mitigation effectiveness reach the
    risk review: its register expected loss under the variant is the library's simulation of
    the adjusted register (same trials and seed); the base run is the register as it is."""
    from cio_analytics.io import read_risk_appetite, read_risk_register
    from cio_analytics.reporting.explore import RiskExplorer
    from cio_analytics.risk import Risk, adjust_risks, simulate_register

    ex = RiskExplorer.from_files(n_trials=1000, rng=SEED)
    overrides = ex.overrides({"frequency": 120, "magnitude": 90, "control_effectiveness": 80})
    assert overrides == {"frequency": "+20 %", "magnitude": "-10 %", "control_effectiveness": 0.8}
    path = write_scenario(tmp_path / "risk.yaml", "riskier", overrides, job="risk_review")
    job = "risk-review"
    pack = select_jobs(
        load_pack("quarterly", overrides=[f"{job}.n_trials=2000", f"{job}.sobol_rows=256"],
                  root=ROOT),
        job,
    )  # fmt: skip
    plan = plan_scenarios(pack, path)
    (riskier,) = [r for r in plan.runs if r.scenario == "riskier"]
    assert riskier.parameters["adjustments"] == overrides
    with pytest.raises(ParameterValidationError, match="Did you mean 'magnitude'"):
        plan_scenarios(pack, _write(tmp_path / "typo.yaml", {"jobs": [job], "variants": {"x": {"magnitud": "+5 %"}}}))  # fmt: skip
    with pytest.raises(ParameterValidationError, match="control_effectiveness"):
        plan_scenarios(pack, _write(tmp_path / "bad.yaml", {"jobs": [job], "variants": {"x": {"control_effectiveness": 1.5}}}))  # fmt: skip
    result = run_scenarios(
        pack, plan, out=tmp_path / "reports", period="2026Q4", n_jobs=2, pdf=False
    )
    assert result.ok, result.summary()
    comp = compare_scenarios(result.folder / f"{job}.scenarios.json")
    p = riskier.parameters
    risks = Risk.from_table(read_risk_register(ROOT / p["register_path"]))
    appetite = read_risk_appetite(ROOT / p["appetite_path"])

    def direct(changes):
        adjusted, _ = adjust_risks(risks, [], changes)
        return simulate_register(
            adjusted, p["n_trials"], percentile=p["level"], appetite=appetite, currency="EUR",
            rng=p["seed"],
        ).expected_loss  # fmt: skip

    loss = comp.value("register_expected_loss", "riskier")
    assert loss == pytest.approx(direct(overrides), rel=1e-12)
    assert comp.value("register_expected_loss", "base") == pytest.approx(direct({}), rel=1e-12)
    assert loss != pytest.approx(comp.value("register_expected_loss", "base"), rel=1e-3)


def test_a_vendor_price_scenario_reaches_the_sourcing_report(tmp_path):
    """A vendor's prices -10 %: the sourcing report's lowest-offer PV is the library's
    comparison of the adjusted offers (same volumes, rate, trials and seed)."""
    from cio_analytics.io import read_offers, read_volume_forecast
    from cio_analytics.sourcing import Offer, adjust_offers, compare_offers

    job = "sourcing-decision"
    pack = select_jobs(load_pack("quarterly", overrides=[f"{job}.n_trials=200"], root=ROOT), job)
    path = _write(tmp_path / "prices.yaml", {"variants": {"cheaper A": {"Vendor A": "-10 %"}}})
    plan = plan_scenarios(pack, path)  # no `jobs:`: only the sourcing report has a Vendor A
    assert plan.jobs == (job,)
    with pytest.raises(ParameterValidationError, match="Did you mean 'Vendor A'"):
        plan_scenarios(pack, _write(tmp_path / "typo.yaml", {"jobs": [job], "variants": {"x": {"Vendor AA": "-1 %"}}}))  # fmt: skip
    result = run_scenarios(
        pack, plan, out=tmp_path / "reports", period="2026Q4", n_jobs=2, pdf=False
    )
    assert result.ok, result.summary()
    comp = compare_scenarios(result.folder / f"{job}.scenarios.json")
    p = plan.runs[1].parameters
    spec = read_offers(ROOT / p["offers_path"])
    direct = compare_offers(
        adjust_offers(Offer.from_tables(spec.offers, spec.tiers), {"Vendor A": "-10 %"}),
        read_volume_forecast(ROOT / p["volume_path"]),
        discount_rate=spec.discount_rate, n_trials=p["n_trials"],
        year_correlation=p["year_correlation"], currency=spec.currency, rng=p["seed"],
    )  # fmt: skip
    best = direct.costs.set_index("offer").loc[direct.best, "pv_mean"]
    assert comp.value("best_pv_mean", "cheaper A") == pytest.approx(best, rel=1e-12)
