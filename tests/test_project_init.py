"""``cio-analytics init`` and ``upgrade-notebooks``: a project of one's own, never overwriting edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from cio_analytics import cli
from cio_analytics.exceptions import CioAnalyticsError
from cio_analytics.pipeline import scaffold
from cio_analytics.pipeline.pack import load_pack
from cio_analytics.pipeline.scaffold import (
    MANIFEST_NAME,
    code_cells_text,
    init_project,
    is_sample_data,
    notebook_changes,
    upgrade_notebooks,
)
from cio_analytics.project import load_project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    return init_project(tmp_path_factory.mktemp("init") / "proj", with_sample_data=True).folder


def test_init_writes_a_whole_project(sample_project):
    p = sample_project
    shipped = sorted(x.name for x in (REPO / "notebooks").glob("*.ipynb"))
    assert sorted(x.name for x in (p / "notebooks").glob("*.ipynb")) == shipped
    assert (p / "reports").is_dir() and (p / "README.md").is_file()
    readme = (p / "README.md").read_text(encoding="utf-8")
    assert "cio-analytics validate quarterly" in readme and "cio-analytics run quarterly" in readme
    config = load_project(p)
    assert config is not None and config.currency == "EUR" and config.name == "proj"
    for src in (REPO / "data" / "sample").rglob("*"):
        if is_sample_data(src, REPO / "data" / "sample"):
            rel = src.relative_to(REPO / "data" / "sample")
            expected = src.read_bytes()
            if src.suffix != ".xlsx":  # paths inside data files point into the project
                expected = expected.replace(b"data/sample/", b"data/")
            assert (p / "data" / rel).read_bytes() == expected, rel
    manifest = json.loads((p / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(manifest["notebooks"]) == [f"notebooks/{n}" for n in shipped]


def test_the_project_pack_names_only_project_paths(sample_project):
    """No path in the written pack or notebooks points into the repository's data/sample/."""
    text = (sample_project / "packs" / "quarterly.yaml").read_text(encoding="utf-8")
    assert "data/sample" not in text
    for f in [
        *(sample_project / "notebooks").glob("*.ipynb"),
        *(sample_project / "data").rglob("*.yaml"),
    ]:
        assert "data/sample/" not in f.read_text(encoding="utf-8"), f.name
    shipped = yaml.safe_load((REPO / "notebooks" / "packs" / "quarterly.yaml").read_text())
    mine = yaml.safe_load(text)
    assert [j["name"] for j in mine["jobs"]] == [j["name"] for j in shipped["jobs"]]
    assert "currency" not in mine["parameters"]  # from cio-analytics.toml


def test_a_pack_resolves_against_its_own_project(sample_project, monkeypatch):
    """Loaded from this repository's folder, the project's pack still reads the project's files,
    and the project's currency reaches the notebooks that declare it."""
    config = sample_project / "cio-analytics.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace('currency = "EUR"', 'currency = "CHF"'), encoding="utf-8")
    try:
        monkeypatch.chdir(REPO)
        pack = load_pack(sample_project / "packs" / "quarterly.yaml", root=REPO)
    finally:
        config.write_text(original, encoding="utf-8")
    assert pack.root == sample_project.resolve()
    for job in pack.jobs:
        assert job.notebook.is_relative_to(sample_project.resolve()), job.name
        assert job.parameters.get("currency", "CHF") == "CHF", job.name
        for path in job.inputs(pack.root).values():
            assert path.is_file() and path.is_relative_to(sample_project), (job.name, path)


def test_validate_works_from_a_subfolder_of_the_project(sample_project, monkeypatch, capsys):
    monkeypatch.delenv("CIO_ANALYTICS_HOME", raising=False)
    monkeypatch.chdir(sample_project / "notebooks")
    assert cli.main(["validate", "quarterly"]) == 0
    out = capsys.readouterr().out
    assert "11 job(s), all parameters valid" in out


def test_templates_hold_the_header_row_of_each_csv(tmp_path):
    p = init_project(tmp_path / "t").folder
    for src in (REPO / "data" / "sample").rglob("*.csv"):
        rel = src.relative_to(REPO / "data" / "sample")
        lines = (p / "data" / rel).read_text(encoding="utf-8").splitlines()
        assert lines == [src.read_text(encoding="utf-8-sig").splitlines()[0]], rel
    assert not list((p / "data").rglob("*.xlsx"))


def test_init_refuses_a_non_empty_folder_naming_it(tmp_path, capsys):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(
        CioAnalyticsError, match=r"busy is not empty \(it holds notes.txt\).*--force"
    ):
        init_project(folder)
    assert cli.main(["init", str(folder)]) == 2
    assert "busy is not empty" in capsys.readouterr().err
    assert cli.main(["init", str(folder), "--force"]) == 0
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "packs" / "quarterly.yaml").is_file()


def _shipped_copy(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the shipped folders the test can change, as the 'installed version'."""
    root = tmp_path / "shipped"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copytree(REPO / "data" / "sample", root / "data" / "sample")
    monkeypatch.setattr(scaffold, "shipped_root", lambda: root)
    return root


def _append_code(path: Path, line: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = source + "\n" + line
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def test_upgrade_takes_unedited_notebooks_and_never_overwrites_edits(tmp_path, monkeypatch):
    shipped = _shipped_copy(tmp_path, monkeypatch)
    project = init_project(tmp_path / "proj").folder
    assert {c.status for c in notebook_changes(project)} == {"same"}
    # the user edits one notebook; the new version changes it and another one
    _append_code(project / "notebooks" / "budget_review.ipynb", "my_line = 1")
    _append_code(shipped / "notebooks" / "budget_review.ipynb", "shipped_line = 2")
    _append_code(shipped / "notebooks" / "risk_review.ipynb", "shipped_line = 3")
    changes = {c.notebook: c for c in notebook_changes(project)}
    edited = changes["notebooks/budget_review.ipynb"]
    assert edited.status == "edited" and not edited.updatable
    assert "-my_line = 1" in edited.diff and "+shipped_line = 2" in edited.diff
    fresh = changes["notebooks/risk_review.ipynb"]
    assert fresh.status == "shipped changed" and fresh.updatable
    assert "+shipped_line = 3" in fresh.diff
    mine_before = (project / "notebooks" / "budget_review.ipynb").read_text(encoding="utf-8")
    assert upgrade_notebooks(project) == ["notebooks/risk_review.ipynb"]
    after = project / "notebooks" / "budget_review.ipynb"
    assert after.read_text(encoding="utf-8") == mine_before
    assert "shipped_line = 3" in code_cells_text(
        (project / "notebooks" / "risk_review.ipynb").read_text(encoding="utf-8")
    )
    # the upgraded one counts as unedited again; the edited one stays edited
    statuses = {c.notebook: c.status for c in notebook_changes(project)}
    assert statuses["notebooks/risk_review.ipynb"] == "same"
    assert statuses["notebooks/budget_review.ipynb"] == "edited"


def test_upgrade_command_is_a_dry_run_by_default(tmp_path, monkeypatch, capsys):
    shipped = _shipped_copy(tmp_path, monkeypatch)
    project = init_project(tmp_path / "proj").folder
    _append_code(shipped / "notebooks" / "risk_review.ipynb", "shipped_line = 3")
    target = project / "notebooks" / "risk_review.ipynb"
    before = target.read_text(encoding="utf-8")
    monkeypatch.delenv("CIO_ANALYTICS_HOME", raising=False)
    monkeypatch.chdir(project / "notebooks")
    assert cli.main(["upgrade-notebooks"]) == 0
    out = capsys.readouterr().out
    assert "shipped changed  notebooks/risk_review.ipynb" in out
    assert "+shipped_line = 3" in out and "Dry run: 1 notebook(s) would be written" in out
    assert target.read_text(encoding="utf-8") == before
    assert cli.main(["upgrade-notebooks", "--write"]) == 0
    assert "Wrote 1 notebook(s): notebooks/risk_review.ipynb" in capsys.readouterr().out
    assert "shipped_line = 3" in target.read_text(encoding="utf-8")


def test_code_cells_ignore_outputs():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "# title"},
            {"cell_type": "code", "source": ["x = 1\n", "y = 2"], "outputs": [{"text": "1"}]},
        ]
    }
    assert code_cells_text(json.dumps(nb)) == ["# %% cell 1", "x = 1", "y = 2"]


def test_list_shows_the_project_packs_folder(sample_project, monkeypatch, capsys):
    monkeypatch.delenv("CIO_ANALYTICS_HOME", raising=False)
    monkeypatch.chdir(sample_project / "data")
    assert cli.main(["list"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"Packs: quarterly (in {sample_project / 'packs'})"
