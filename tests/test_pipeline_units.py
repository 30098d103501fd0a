"""Units files (issue 18): the same pack for every business unit, each on its own data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cio_analytics.pipeline.pack import load_pack
from cio_analytics.pipeline.params import ParameterValidationError
from cio_analytics.pipeline.units import Unit, load_units, unit_overrides

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
