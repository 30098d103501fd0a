"""Units files (issue 18): the same pack for every business unit, each on its own data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cio_analytics.pipeline.pack import load_pack
from cio_analytics.pipeline.params import ParameterValidationError
from cio_analytics.pipeline.units import Unit, load_units, run_units, unit_overrides, unit_pack

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_units_file_read_with_titles_folders_and_parameters(tmp_path):
    (tmp_path / "data" / "retail").mkdir(parents=True)
    (tmp_path / "data" / "b2b").mkdir(parents=True)
    units = load_units(
        write(
            tmp_path / "units.yaml",
            "title: Group pack\nunits:\n"
            "  - {name: retail, title: Retail, data: data/retail,"
            " parameters: {staffing-growth.growth: 0.05}}\n"
            "  - {name: b2b, data: data/b2b}\n",
        ),
        root=tmp_path,
    )
    assert units.title == "Group pack" and [u.name for u in units.units] == ["retail", "b2b"]
    assert units.units[0].parameters == {"staffing-growth.growth": 0.05}
    assert units.units[1].title == "b2b" and units.sample_data == tmp_path / "data" / "sample"


def test_every_problem_of_a_units_file_is_listed_with_its_fix(tmp_path):
    (tmp_path / "data" / "a").mkdir(parents=True)
    with pytest.raises(ParameterValidationError) as err:
        load_units(
            write(
                tmp_path / "units.yaml",
                "titel: x\nunits:\n"
                "  - {name: Retail Unit, data: data/a}\n"
                "  - {name: a, data: data/nowhere, params: {}}\n"
                "  - {name: a, data: data/a}\n",
            ),
            root=tmp_path,
        )
    text = str(err.value)
    assert "unknown key `titel`" in text and "title" in text
    assert "`name` must be lower-case" in text and "'Retail Unit'" in text
    assert "`data: data/nowhere` is not a folder" in text
    assert "unknown key `params`" in text and "parameters" in text
    assert "unit name `a` is used twice" in text


def test_a_units_file_without_units_is_refused(tmp_path):
    with pytest.raises(ParameterValidationError, match="non-empty `units:` list"):
        load_units(write(tmp_path / "u.yaml", "title: x\n"), root=tmp_path)
    with pytest.raises(ParameterValidationError, match="cannot be read"):
        load_units(tmp_path / "none.yaml", root=tmp_path)


def test_unit_overrides_read_every_sample_input_from_the_unit_folder(tmp_path):
    unit_data = tmp_path / "retail"
    shutil.copytree(SAMPLE, unit_data)
    pack = load_pack("quarterly", root=ROOT)
    unit = Unit("retail", "Retail", unit_data, {"seed": 7})
    overrides = unit_overrides(unit, pack, sample_data=SAMPLE)
    assert overrides[-1] == "seed=7"
    unit_pack = load_pack("quarterly", root=ROOT, overrides=overrides)
    for job in unit_pack.jobs:
        for path in job.inputs(ROOT).values():
            assert not Path(path).resolve().is_relative_to(SAMPLE.resolve()), (job.name, path)
    assert {job.parameters["seed"] for job in unit_pack.jobs if "seed" in job.parameters} == {7}


def test_a_unit_folder_missing_a_file_names_the_file_and_the_job(tmp_path):
    unit_data = tmp_path / "b2b"
    shutil.copytree(SAMPLE, unit_data)
    (unit_data / "budget.csv").unlink()
    pack = load_pack("quarterly", root=ROOT)
    with pytest.raises(ParameterValidationError) as err:
        unit_overrides(Unit("b2b", "B2B", unit_data, {}), pack, sample_data=SAMPLE)
    assert "unit `b2b`" in str(err.value) and "budget.csv is missing" in str(err.value)
    assert "job `budget-review`" in str(err.value)


UNITS = ROOT / "data" / "units"
NB = ROOT / "tests" / "fixtures" / "notebooks"


def _small_pack(tmp_path: Path) -> Path:
    """A 2-job pack of the fixture notebooks: demand figures (reads team_demand.csv) and a
    quick division (fails when a unit sets ``quick.divisor: 0``)."""
    return write(
        tmp_path / "small.yaml",
        f"""name: small
title: Small pack
parameters: {{n_trials: 200, seed: 3}}
jobs:
  - name: figures
    notebook: {NB / "figures.ipynb"}
    title: Demand figures
  - name: quick
    notebook: {NB / "fails.ipynb"}
    title: Quick check
    parameters: {{divisor: 2}}
""",
    )


def _two_units(tmp_path: Path, *, fail_online: bool = False) -> Path:
    online = ", parameters: {quick.divisor: 0}" if fail_online else ""
    return write(
        tmp_path / "units.yaml",
        "title: Two-unit group\nsample_fallback: true\nunits:\n"
        "  - {name: wholesale, title: Wholesale, data: data/units/wholesale}\n"
        f"  - {{name: online, title: Online, data: data/units/online{online}}}\n",
    )


def test_the_sample_units_file_names_three_units_with_their_own_data():
    """data/units/units.yaml: three units, each folder holding what differs from the sample
    (the quarterly pack's every input resolves, to the unit's file or the shared sample)."""
    units = load_units(UNITS / "units.yaml", root=ROOT)
    assert [u.name for u in units.units] == ["retail", "wholesale", "online"]
    assert units.sample_fallback is True
    pack = load_pack("quarterly", root=ROOT)
    budgets = {}
    for unit in units.units:
        upack = unit_pack(pack, unit, sample_data=units.sample_data, sample_fallback=True)
        assert upack.name == f"quarterly/{unit.name}" and unit.title in upack.title
        budget = next(j for j in upack.jobs if j.name == "budget-review")
        path = budget.inputs(ROOT)["budget_path"]
        assert path.resolve().is_relative_to(unit.data.resolve()), path
        budgets[unit.name] = path.stat().st_size
        tickets = next(j for j in upack.jobs if j.name == "team-performance").inputs(ROOT)
        shared = unit.name == "retail"  # the sample's volumes: the sample's ticket export
        assert tickets["tickets_path"].resolve().is_relative_to(SAMPLE.resolve()) is shared
    shrinkage = {
        u.name: {j.parameters["shrinkage"] for j in unit_pack(
            pack, u, sample_data=units.sample_data, sample_fallback=True).jobs
            if "shrinkage" in j.parameters}
        for u in units.units
    }  # fmt: skip
    assert shrinkage == {"retail": {0.3}, "wholesale": {0.35}, "online": {0.3}}


def test_the_sample_units_are_rebuilt_identically_by_their_script(tmp_path):
    """data/units/make_units.py is deterministic and the committed files are its output."""
    import hashlib
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_units", UNITS / "make_units.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    for name in module.UNITS:
        for path in module.build(name):
            committed = UNITS / path.relative_to(tmp_path)
            # digests, not bytes: a failing comparison of two large files would run difflib
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest == hashlib.sha256(committed.read_bytes()).hexdigest(), committed


def test_sample_fallback_keeps_the_sample_file_a_unit_lacks(tmp_path):
    unit_data = tmp_path / "b2b"
    unit_data.mkdir()
    (unit_data / "budget.csv").write_bytes((SAMPLE / "budget.csv").read_bytes())
    pack = load_pack("quarterly", root=ROOT)
    unit = Unit("b2b", "B2B", unit_data, {})
    overrides = unit_overrides(unit, pack, sample_data=SAMPLE, sample_fallback=True)
    assert overrides == [f"budget-review.budget_path={unit_data / 'budget.csv'}"]
    with pytest.raises(ParameterValidationError, match=r"actuals\.csv is missing"):
        unit_overrides(unit, pack, sample_data=SAMPLE)


def test_sample_fallback_must_be_true_or_false(tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(ParameterValidationError, match="`sample_fallback` must be true or false"):
        load_units(
            write(tmp_path / "u.yaml", "sample_fallback: maybe\nunits: [{name: a, data: a}]\n"),
            root=tmp_path,
        )


def test_every_unit_is_checked_before_anything_runs(tmp_path):
    """A wrong parameter in one unit and a missing file in another: one error, both named,
    no folder written."""
    (tmp_path / "empty").mkdir()
    units = load_units(
        write(
            tmp_path / "units.yaml",
            "units:\n"
            "  - {name: a, data: data/units/online, parameters: {quick.divisr: 1}}\n"
            f"  - {{name: b, data: {tmp_path / 'empty'}}}\n",
        ),
        root=ROOT,
    )
    pack = load_pack(_small_pack(tmp_path), root=ROOT)
    with pytest.raises(ParameterValidationError) as err:
        run_units(pack, units, out=tmp_path / "r", period="G1")
    text = str(err.value)
    assert "unit `a`" in text and "divisr" in text
    assert "unit `b`" in text and "team_demand.csv is missing" in text
    assert not (tmp_path / "r").exists()


def test_every_units_data_is_checked_against_the_period(tmp_path):
    """The period check reads each unit's own files: a unit whose actuals start after the
    period is refused, named, before any kernel (the first unit's data covers it)."""
    late = tmp_path / "late"
    late.mkdir()
    for name in ("budget.csv", "actuals.csv"):
        shutil.copy(ROOT / "data" / "units" / "online" / name, late / name)
    rows = (late / "actuals.csv").read_text(encoding="utf-8").splitlines()
    (late / "actuals.csv").write_text(
        "\n".join(
            [rows[0], *[r for r in rows[1:] if r.startswith(("2026-07", "2026-08", "2026-09"))]]
        )
        + "\n",
        encoding="utf-8",
    )
    units = load_units(
        write(
            tmp_path / "units.yaml",
            "sample_fallback: true\nunits:\n"
            "  - {name: online, data: data/units/online}\n"
            f"  - {{name: late, data: {late}}}\n",
        ),
        root=ROOT,
    )
    pack = load_pack("quarterly", root=ROOT)
    with pytest.raises(ParameterValidationError) as err:
        run_units(pack, units, only="budget-review", out=tmp_path / "r", period="2026Q2")
    problems = err.value.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith("unit `late`: period 2026Q2 (data as of 30 Jun 2026)")
    assert "budget-review" in problems[0] and "actuals.csv" in problems[0]
    assert not (tmp_path / "r").exists()


def test_cli_refuses_units_with_a_manifest(tmp_path, capsys):
    from cio_analytics.cli import main

    code = main(["run", "--from-manifest", str(tmp_path / "m.json"), "--units", "u.yaml"])
    assert code == 2 and "drop --units" in capsys.readouterr().err


def _summary(folder: Path, job: str, **payload) -> dict:
    (folder / f"{job}.summary.json").write_text(json.dumps(payload), encoding="utf-8")
    return {"name": job, "title": job.title(), "status": "ok", "records": {},
            "files": {"summary": f"{job}.summary.json"}}  # fmt: skip


def test_group_rows_put_units_needing_attention_first(tmp_path):
    """Attention = reports that did not run, then decisions against, then notes; ties keep
    the units file's order. Each cell shows the report's verdict and first key number."""
    from cio_analytics.pipeline.group import unit_rows

    units = []
    for name, against, flags, failed in (
        ("calm", False, 0, False),
        ("noted", False, 2, False),
        ("against", True, 0, False),
        ("calm2", None, 0, False),
        ("broken", False, 0, True),
    ):
        folder = tmp_path / name
        folder.mkdir()
        job = _summary(
            folder, "plan", verdict="Proceed", favourable=not against if against is not None
            else None, flags=["x"] * flags,
            key_numbers=[{"figure": "NPV", "value": len(name) * 1e5, "text": "EUR 0.5M"}],
        )  # fmt: skip
        if failed:
            job["status"] = "failed"
        units.append({"name": name, "title": name.title(), "folder": name, "jobs": [job]})
    rows = unit_rows({"units": units}, tmp_path)
    assert [r.name for r in rows] == ["broken", "against", "noted", "calm", "calm2"]
    assert [r.score for r in rows] == [100, 10, 2, 0, 0]
    calm = rows[3].cells["plan"]
    assert calm["verdict"] == "Proceed" and calm["text"] == "EUR 0.5M"
    assert calm["sort"] == repr(4e5) and calm["label"] == "NPV"
    assert rows[0].cells["plan"]["verdict"] == "Did not run"


# ---------------------------------------------------------------- a two-unit pack, run locally
@pytest.fixture(scope="module")
def group_run(tmp_path_factory):
    """The 2-job pack for two units (the sample's wholesale and online; online's quick check
    divides by zero) by the command line with two local worker processes."""
    from cio_analytics.cli import main

    tmp = tmp_path_factory.mktemp("units")
    pack, units = _small_pack(tmp), _two_units(tmp, fail_online=True)
    out = tmp / "r"
    args = ["run", str(pack), "--units", str(units), "--out", str(out), "--period", "G1",
            "--jobs", "2", "--history", str(tmp / "history.duckdb"), "--no-pdf"]  # fmt: skip
    first = main(args)
    second = main(args)  # the same period again: the first run is kept as G1.1
    return tmp, out, first, second


@pytest.mark.slow
def test_two_units_run_into_one_folder_each_with_a_group_index(group_run):
    _, out, first, second = group_run
    assert first == 1 and second == 1  # online's quick check failed; the others ran
    folder = out / "G1"
    assert (out / "G1.1" / "index.html").is_file()
    for unit in ("wholesale", "online"):
        names = {p.name for p in (folder / unit).iterdir()}
        assert {"index.html", "board-summary.html", "figures.html", "quick.html"} <= names
        assert "manifest.json" not in names  # one manifest for the whole run
        index = (folder / unit / "index.html").read_text(encoding="utf-8")
        assert 'href="../manifest.json"' in index and 'href="../index.html"' in index
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "units" and manifest["pack"]["name"] == "small"
    by_unit = {u["name"]: u for u in manifest["units"]}
    assert list(by_unit) == ["wholesale", "online"]
    jobs = {u: {j["name"]: j for j in by_unit[u]["jobs"]} for u in by_unit}
    assert jobs["wholesale"]["quick"]["status"] == "ok"
    assert jobs["online"]["quick"]["status"] == "failed"
    assert not (folder / "online" / "quick.xlsx").exists()
    demand = {u: jobs[u]["figures"]["records"]["total_hours"]["value"] for u in jobs}
    sample = 18200.0  # data/sample/team_demand.csv: the demand hours summed
    assert demand == {
        "wholesale": pytest.approx(0.4 * sample),
        "online": pytest.approx(0.2 * sample),
    }
    assert jobs["online"]["figures"]["inputs"]["team_demand_path"]["resolved"] == (
        "data/units/online/team_demand.csv"
    )
    assert not list(out.glob(".*building*"))


@pytest.mark.slow
def test_the_group_index_lists_units_needing_attention_first(group_run):
    _, out, _, _ = group_run
    page = (out / "G1" / "index.html").read_text(encoding="utf-8")
    assert page.index("online/index.html") < page.index("wholesale/index.html")
    assert "1 report did not run" in page and "Did not run" in page
    assert "7,280 h" in page and "3,640 h" in page  # each unit's headline figure
    assert "<script>" in page and "http" not in page.split("<script>")[1]  # no network


@pytest.mark.slow
def test_each_unit_is_recorded_in_the_history_as_pack_slash_unit(group_run):
    from cio_analytics.pipeline.history import read_history

    tmp, _, _, _ = group_run
    frame = read_history(tmp / "history.duckdb", figure="total_hours")
    assert set(frame["pack"]) == {"small/wholesale", "small/online"}
    values = dict(zip(frame["pack"], frame["value"], strict=True))
    assert values["small/wholesale"] == pytest.approx(2 * values["small/online"])


@pytest.mark.slow
@pytest.mark.browser
def test_the_group_index_sorts_in_a_browser_and_meets_the_presentation_rules(group_run):
    """Headless Chromium: the rows start attention first; a click on a column heading sorts
    by it (numbers as numbers), a second click reverses; the page has 0 findings of the
    presentation rules (tests/_visible_text.py)."""
    from _visible_text import browser, check_page, missing_browser

    if missing_browser():
        pytest.skip(missing_browser())
    from selenium.webdriver.common.by import By

    _, out, _, _ = group_run
    page = out / "G1" / "index.html"
    with browser() as driver:
        assert check_page(driver, page, kind="index") == []
        driver.get(page.resolve().as_uri())

        def units() -> list[str]:
            rows = driver.find_elements(By.CSS_SELECTOR, "table.units tbody tr td.unit")
            return [r.text for r in rows]

        def click(heading: str) -> None:
            for button in driver.find_elements(By.CSS_SELECTOR, "table.units th button"):
                if button.text.strip().startswith(heading):
                    button.click()
                    return
            raise AssertionError(f"no column {heading!r}")

        assert units() == ["Online", "Wholesale"]  # a report did not run: first
        click("Demand figures")  # 3,640 h before 7,280 h
        assert units() == ["Online", "Wholesale"]
        click("Demand figures")
        assert units() == ["Wholesale", "Online"]
        click("Business unit")
        assert units() == ["Online", "Wholesale"]
        click("Needs attention")  # most attention first, as the page opens
        assert units() == ["Online", "Wholesale"]
        click("Needs attention")
        assert units() == ["Wholesale", "Online"]


@pytest.mark.slow
def test_from_manifest_of_a_units_run_says_how_to_run_the_group_again(group_run, capsys):
    """``--from-manifest`` reruns one pack; the group's manifest gets the command that reruns
    the group, with its units file and period, not "not a readable run manifest ('jobs')"."""
    from cio_analytics.cli import main

    tmp, out, _, _ = group_run
    code = main(["run", "--from-manifest", str(out / "G1" / "manifest.json"), "--out", str(tmp)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "the manifest of a units run (2 units: wholesale, online)" in err
    assert "--units" in err and "units.yaml" in err and "--period G1" in err
    assert "not a readable" not in err


@pytest.mark.slow
def test_each_units_index_and_board_summary_show_what_changed_since_its_last_quarter(tmp_path):
    """Two quarters of a units run into one history: each unit's index and board summary
    compare the unit with its own previous quarter (history pack ``small/<unit>``), as a
    single pack's do; the figure's change is the unit's own (demand x 1.5 in 2026Q4)."""
    from cio_analytics.cli import main

    pack, units, out = _small_pack(tmp_path), _two_units(tmp_path), tmp_path / "r"

    def run(period: str, scale: float) -> int:
        return main(["run", str(pack), "--units", str(units), "--only", "figures", "--out",
                     str(out), "--period", period, "-j", "2", "--no-pdf",
                     "-p", f"figures.scale={scale}"])  # fmt: skip

    assert run("2026Q3", 1.0) == 0
    assert "What changed" not in (out / "2026Q3" / "online" / "index.html").read_text("utf-8")
    assert run("2026Q4", 1.5) == 0
    for unit in ("wholesale", "online"):
        for page in ("index.html", "board-summary.html"):
            text = (out / "2026Q4" / unit / page).read_text(encoding="utf-8")
            assert "What changed since 2026Q3" in text, (unit, page)
            assert "+50 %" in text, (unit, page)
