"""The project: ``cio-analytics.toml``, found upwards like git, and the shipped copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.io.paths import project_root
from cio_analytics.project import (
    CONFIG_NAME,
    ProjectConfig,
    find_project,
    load_project,
    shipped_root,
)

REPO = Path(__file__).resolve().parents[1]


def _write(folder: Path, text: str = "[project]\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    return folder


def test_the_nearest_config_upwards_is_the_project(tmp_path, monkeypatch):
    outer = _write(tmp_path / "outer")
    inner = _write(outer / "sub" / "inner")
    deep = inner / "notebooks" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project(deep) == inner.resolve()
    assert find_project(outer / "sub") == outer.resolve()
    assert find_project(tmp_path) is None
    monkeypatch.delenv("CIO_ANALYTICS_HOME", raising=False)
    monkeypatch.chdir(deep)
    assert project_root() == inner.resolve()


def test_this_repository_is_a_project_found_from_a_subfolder(monkeypatch):
    monkeypatch.delenv("CIO_ANALYTICS_HOME", raising=False)
    monkeypatch.chdir(REPO / "notebooks" / "packs")
    assert project_root() == REPO
    config = load_project(REPO)
    assert config is not None and config.currency == "EUR"
    assert config.history_dir == REPO / "reports"


def test_config_values_and_defaults(tmp_path):
    folder = _write(
        tmp_path / "p",
        '[project]\nname = "x"\ncurrency = "GBP"\nfiscal_year_start_month = 4\nhistory = "h"\n',
    )
    config = ProjectConfig.from_file(folder / CONFIG_NAME)
    assert (config.name, config.currency, config.fiscal_year_start_month) == ("x", "GBP", 4)
    assert config.history_dir == folder.resolve() / "h"
    assert config.parameter_defaults == {"currency": "GBP", "fiscal_year_start_month": 4}
    empty = ProjectConfig.from_file(_write(tmp_path / "q", "") / CONFIG_NAME)
    assert (empty.name, empty.currency, empty.fiscal_year_start_month) == ("q", "EUR", 1)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[project]\ncurrency = "euro"\n', ["`currency`", "ISO 4217", "'euro'"]),
        ("[project]\nfiscal_year_start_month = 13\n", ["`fiscal_year_start_month`", "13"]),
        ('[project]\ncurency = "EUR"\n', ["`curency`", "Did you mean 'currency'"]),
        ('[reports]\nhistory = "r"\n', ["`reports`", "[project]"]),
        ('[project]\nhistory = ""\n', ["`history`"]),
        ("[project\n", ["not valid TOML"]),
    ],
)
def test_a_wrong_config_is_refused_naming_file_key_and_value(tmp_path, text, words):
    folder = _write(tmp_path / "p", text)
    with pytest.raises(ParameterError) as err:
        ProjectConfig.from_file(folder / CONFIG_NAME)
    message = str(err.value)
    assert CONFIG_NAME in message
    for word in words:
        assert word in message


def test_the_shipped_copies_are_found():
    """Editable install: the checkout's own folders (a wheel: cio_analytics/_shipped, see
    tests/test_install.py)."""
    root = shipped_root()
    assert (root / "notebooks" / "packs" / "quarterly.yaml").is_file()
    assert (root / "data" / "sample" / "budget.csv").is_file()
    assert sorted(p.name for p in (root / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("*.ipynb")
    )
